def word_break(s, words):
    ok = [True] + [False] * len(s)
    for end in range(1, len(s) + 1):
        ok[end] = any(ok[end - len(w)] and s[end - len(w):end] == w for w in words if len(w) <= end)
    return ok[-1]
