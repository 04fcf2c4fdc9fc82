/** SQL LIKE patterns (used with ESCAPE '\') that take the user's text literally: % and _ match themselves. */
const escape = (text: string): string => text.replace(/[\\%_]/g, (m) => `\\${m}`)

export const likePrefix = (text: string): string => `${escape(text)}%`
export const likeContains = (text: string): string => `%${escape(text)}%`
