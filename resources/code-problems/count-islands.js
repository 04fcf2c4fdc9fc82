function countIslands(grid) {
  const land = grid.map((row) => [...row].map((c) => c === '1'))
  const sink = (r, c) => {
    if (r < 0 || r >= land.length || c < 0 || c >= land[r].length || !land[r][c]) return
    land[r][c] = false
    sink(r + 1, c), sink(r - 1, c), sink(r, c + 1), sink(r, c - 1)
  }
  let count = 0
  for (let r = 0; r < land.length; r++)
    for (let c = 0; c < land[r].length; c++)
      if (land[r][c]) {
        count++
        sink(r, c)
      }
  return count
}
