def decode_ways(s):
    prev, cur = 1, 1 if s[0] != '0' else 0
    for i in range(1, len(s)):
        nxt = cur if s[i] != '0' else 0
        if 10 <= int(s[i - 1:i + 1]) <= 26:
            nxt += prev
        prev, cur = cur, nxt
    return cur
