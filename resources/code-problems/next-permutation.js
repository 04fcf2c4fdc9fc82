function nextPermutation(nums) {
  const a = [...nums]
  let i = a.length - 2
  while (i >= 0 && a[i] >= a[i + 1]) i--
  if (i >= 0) {
    let j = a.length - 1
    while (a[j] <= a[i]) j--
    ;[a[i], a[j]] = [a[j], a[i]]
  }
  return [...a.slice(0, i + 1), ...a.slice(i + 1).reverse()]
}
