function fizzbuzz(n) {
  const out = []
  for (let i = 1; i <= n; i++) {
    const s = (i % 3 === 0 ? 'Fizz' : '') + (i % 5 === 0 ? 'Buzz' : '')
    out.push(s || String(i))
  }
  return out
}
