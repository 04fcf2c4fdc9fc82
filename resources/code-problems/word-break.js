function wordBreak(s, words) {
  const ok = [true]
  for (let end = 1; end <= s.length; end++)
    ok[end] = words.some((w) => w.length <= end && ok[end - w.length] && s.slice(end - w.length, end) === w)
  return ok[s.length]
}
