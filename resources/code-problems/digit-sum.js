function digitSum(n) {
  return [...String(Math.abs(n))].reduce((a, d) => a + Number(d), 0)
}
