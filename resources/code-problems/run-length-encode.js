function runLengthEncode(s) {
  return (s.match(/(.)\1*/gs) ?? []).map((run) => run[0] + run.length).join('')
}
