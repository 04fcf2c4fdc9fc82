function countVowels(text) {
  return [...text.toLowerCase()].filter((c) => 'aeiou'.includes(c)).length
}
