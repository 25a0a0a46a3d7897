/**
 * The end of a quoted string or identifier in SQL text: the index just past its closing quote
 * (a doubled quote inside is part of the text), or the text's length when it is not closed.
 * `backslashEscapes`: a backslash escapes the next character (MySQL strings).
 */
export function quotedEnd(sql: string, start: number, quote: string, backslashEscapes = false): number {
  let i = start + 1
  while (i < sql.length) {
    if (backslashEscapes && sql[i] === '\\') {
      i += 2
      continue
    }
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2
        continue
      }
      return i + 1
    }
    i++
  }
  return sql.length
}
