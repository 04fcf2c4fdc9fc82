function rotateLeft(items, k) {
  if (items.length === 0) return []
  k %= items.length
  return [...items.slice(k), ...items.slice(0, k)]
}
