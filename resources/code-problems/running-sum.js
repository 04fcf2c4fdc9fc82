function runningSum(nums) {
  let total = 0
  return nums.map((x) => (total += x))
}
