function lcsLength(a, b) {
  let prev = Array(b.length + 1).fill(0)
  for (const ca of a) {
    const cur = [0]
    for (let j = 1; j <= b.length; j++) cur.push(ca === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]))
    prev = cur
  }
  return prev[b.length]
}
