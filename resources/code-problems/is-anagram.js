function isAnagram(a, b) {
  const norm = (s) => [...s.replace(/ /g, '').toLowerCase()].sort().join('')
  return norm(a) === norm(b)
}
