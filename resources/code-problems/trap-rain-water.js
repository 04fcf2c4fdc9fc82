function trapRainWater(heights) {
  let total = 0
  heights.forEach((h, i) => {
    const level = Math.min(Math.max(...heights.slice(0, i + 1)), Math.max(...heights.slice(i)))
    total += Math.max(0, level - h)
  })
  return total
}
