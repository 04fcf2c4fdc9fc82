/** Reads a JSON column written by the engine; a value that does not parse is shown as its text. */
export function parseJson(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
