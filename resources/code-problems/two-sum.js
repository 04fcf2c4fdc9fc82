function twoSum(nums, target) {
  const first = new Map()
  for (let j = 0; j < nums.length; j++) {
    if (first.has(target - nums[j])) return [first.get(target - nums[j]), j]
    if (!first.has(nums[j])) first.set(nums[j], j)
  }
  return null
}
