function flatten(nested) {
  return nested.flat(Infinity)
}
