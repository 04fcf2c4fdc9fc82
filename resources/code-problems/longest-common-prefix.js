function longestCommonPrefix(words) {
  if (words.length === 0) return ''
  let prefix = words[0]
  for (const w of words.slice(1)) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1)
  return prefix
}
