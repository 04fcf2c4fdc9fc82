function knapsack(weights, values, capacity) {
  const best = Array(capacity + 1).fill(0)
  weights.forEach((w, i) => {
    for (let c = capacity; c >= w; c--) best[c] = Math.max(best[c], best[c - w] + values[i])
  })
  return best[capacity]
}
