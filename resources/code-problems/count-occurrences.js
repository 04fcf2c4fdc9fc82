function countOccurrences(items, target) {
  return items.filter((x) => x === target).length
}
