import heapq

def topological_order(n, edges):
    after = [[] for _ in range(n)]
    needs = [0] * n
    for a, b in edges:
        after[a].append(b)
        needs[b] += 1
    ready = [t for t in range(n) if needs[t] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        t = heapq.heappop(ready)
        order.append(t)
        for u in after[t]:
            needs[u] -= 1
            if needs[u] == 0:
                heapq.heappush(ready, u)
    return order if len(order) == n else None
