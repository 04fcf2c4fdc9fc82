function reverseWords(sentence) {
  return sentence.split(' ').filter((w) => w.length > 0).reverse().join(' ')
}
