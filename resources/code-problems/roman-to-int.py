def roman_to_int(s):
    value = {'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100, 'D': 500, 'M': 1000}
    total = 0
    for i, c in enumerate(s):
        v = value[c]
        total += -v if i + 1 < len(s) and value[s[i + 1]] > v else v
    return total
