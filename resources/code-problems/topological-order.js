function topologicalOrder(n, edges) {
  const needs = Array(n).fill(0)
  for (const [, b] of edges) needs[b]++
  const done = Array(n).fill(false)
  const order = []
  while (order.length < n) {
    const next = needs.findIndex((k, t) => k === 0 && !done[t])
    if (next < 0) return null
    done[next] = true
    order.push(next)
    for (const [a, b] of edges) if (a === next) needs[b]--
  }
  return order
}
