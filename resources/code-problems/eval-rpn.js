function evalRpn(tokens) {
  const stack = []
  for (const t of tokens) {
    if ('+-*/'.includes(t) && t.length === 1) {
      const b = stack.pop(), a = stack.pop()
      stack.push(t === '+' ? a + b : t === '-' ? a - b : t === '*' ? a * b : Math.trunc(a / b))
    } else stack.push(Number(t))
  }
  return stack[stack.length - 1]
}
