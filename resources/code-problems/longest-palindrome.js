function longestPalindrome(s) {
  for (let length = s.length; length > 0; length--)
    for (let start = 0; start + length <= s.length; start++) {
      const part = s.slice(start, start + length)
      if (part === [...part].reverse().join('')) return part
    }
  return ''
}
