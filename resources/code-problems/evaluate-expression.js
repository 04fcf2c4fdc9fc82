function evaluateExpression(expr) {
  const tokens = expr.match(/\d+|[-+*/()]/g)
  let pos = 0
  const peek = () => tokens[pos]
  const atom = () => {
    if (peek() === '(') {
      pos++
      const value = sum()
      pos++
      return value
    }
    return Number(tokens[pos++])
  }
  const product = () => {
    let value = atom()
    while (peek() === '*' || peek() === '/') {
      const op = tokens[pos++]
      const rhs = atom()
      value = op === '*' ? value * rhs : Math.trunc(value / rhs)
    }
    return value
  }
  const sum = () => {
    let value = product()
    while (peek() === '+' || peek() === '-') {
      const op = tokens[pos++]
      const rhs = product()
      value = op === '+' ? value + rhs : value - rhs
    }
    return value
  }
  return sum()
}
