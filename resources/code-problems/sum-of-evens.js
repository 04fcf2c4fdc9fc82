function sumOfEvens(nums) {
  return nums.filter((x) => x % 2 === 0).reduce((a, b) => a + b, 0)
}
