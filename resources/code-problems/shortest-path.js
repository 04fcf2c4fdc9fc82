function shortestPath(grid) {
  const rows = grid.length, cols = grid[0].length
  if (grid[0][0] === '#' || grid[rows - 1][cols - 1] === '#') return -1
  const dist = new Map([['0,0', 0]])
  const queue = [[0, 0]]
  for (let head = 0; head < queue.length; head++) {
    const [r, c] = queue[head]
    const d = dist.get(r + ',' + c)
    if (r === rows - 1 && c === cols - 1) return d
    for (const [nr, nc] of [[r + 1, c], [r - 1, c], [r, c + 1], [r, c - 1]]) {
      if (nr < 0 || nr >= rows || nc < 0 || nc >= cols || grid[nr][nc] !== '.' || dist.has(nr + ',' + nc)) continue
      dist.set(nr + ',' + nc, d + 1)
      queue.push([nr, nc])
    }
  }
  return -1
}
