def trap_rain_water(heights):
    total = 0
    for i, h in enumerate(heights):
        total += max(0, min(max(heights[:i + 1]), max(heights[i:])) - h)
    return total
