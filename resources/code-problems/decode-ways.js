function decodeWays(s) {
  const ways = [1]
  for (let i = 1; i <= s.length; i++) {
    let w = s[i - 1] !== '0' ? ways[i - 1] : 0
    const two = Number(s.slice(i - 2, i))
    if (i >= 2 && two >= 10 && two <= 26) w += ways[i - 2]
    ways.push(w)
  }
  return ways[s.length]
}
