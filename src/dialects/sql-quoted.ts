/**
 * The index of the quote closing the quoted string or identifier that opens at `start`, or -1 when
 * it is not closed: a doubled quote inside is part of the text; with `backslashEscapes` a backslash
 * escapes the next character (MySQL strings).
 */
export function closingQuote(sql: string, start: number, quote: string, backslashEscapes = false): number {
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
      return i
    }
    i++
  }
  return -1
}

/** The end of a quoted string or identifier: the index just past its closing quote, or the text's length when it is not closed. */
export function quotedEnd(sql: string, start: number, quote: string, backslashEscapes = false): number {
  const close = closingQuote(sql, start, quote, backslashEscapes)
  return close === -1 ? sql.length : close + 1
}
