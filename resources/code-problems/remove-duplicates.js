function removeDuplicates(items) {
  return [...new Set(items)]
}
