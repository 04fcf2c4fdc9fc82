function secondLargest(nums) {
  const values = [...new Set(nums)].sort((a, b) => b - a)
  return values.length > 1 ? values[1] : null
}
