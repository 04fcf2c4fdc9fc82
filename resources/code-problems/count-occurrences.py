def count_occurrences(items, target):
    return sum(1 for x in items if x == target)
