function charFrequency(text) {
  const counts = {}
  for (const c of text) if (c !== ' ') counts[c] = (counts[c] ?? 0) + 1
  return counts
}
