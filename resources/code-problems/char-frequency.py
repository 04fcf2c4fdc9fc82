def char_frequency(text):
    counts = {}
    for c in text:
        if c != ' ':
            counts[c] = counts.get(c, 0) + 1
    return counts
