function longestIncreasingSubsequence(nums) {
  const best = nums.map(() => 1)
  for (let i = 0; i < nums.length; i++)
    for (let j = 0; j < i; j++) if (nums[j] < nums[i]) best[i] = Math.max(best[i], best[j] + 1)
  return Math.max(0, ...best)
}
