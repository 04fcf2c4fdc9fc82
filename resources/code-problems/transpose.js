function transpose(matrix) {
  if (matrix.length === 0) return []
  return matrix[0].map((_, i) => matrix.map((row) => row[i]))
}
