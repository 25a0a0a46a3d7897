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

/**
 * What a dialect's SQL text holds besides code: the strings, quoted identifiers and comments a
 * scanner (placeholder rewriting) steps over. Every dialect has '…' strings, "…" and `--`/`/* *\/`
 * comments; the rest differs.
 */
export interface SqlSyntax {
  /** `\` escapes the next character inside '…' and "…" strings (MySQL, unless NO_BACKSLASH_ESCAPES). */
  readonly backslashEscapes: boolean
  /** `…` quotes an identifier (MySQL, SQLite). */
  readonly backticks: boolean
  /** […] quotes an identifier (SQLite). */
  readonly brackets: boolean
  /** `#` starts a comment to the end of the line, and `--` does only before a space or a control character (MySQL). */
  readonly hashComments: boolean
  /** `$tag$…$tag$` strings, `E'…'` strings with backslash escapes, nested block comments (PostgreSQL). */
  readonly dollarQuotes: boolean
}

/**
 * The index just past the string, quoted identifier or comment opening at `start` (the text's
 * length when it is not closed), or -1 when code starts there.
 */
export function nonCodeEnd(sql: string, start: number, syntax: SqlSyntax): number {
  const ch = sql[start]!
  const next = sql[start + 1]
  switch (ch) {
    case "'":
    case '"':
      return quotedEnd(sql, start, ch, syntax.backslashEscapes)
    case '`':
      return syntax.backticks ? quotedEnd(sql, start, ch) : -1
    case '[':
      return syntax.brackets ? endAfter(sql, sql.indexOf(']', start + 1), 1) : -1
    case '#':
      return syntax.hashComments ? endAfter(sql, sql.indexOf('\n', start), 0) : -1
    case '-':
      if (next !== '-') return -1
      // MySQL: `5--1` is five minus minus one; `-- ` and `--` at the end are comments.
      if (syntax.hashComments && start + 2 < sql.length && !/[\s\x00-\x1f]/.test(sql[start + 2]!)) return -1
      return endAfter(sql, sql.indexOf('\n', start), 0)
    case '/':
      return next === '*' ? blockCommentEnd(sql, start, syntax.dollarQuotes) : -1
    case 'E':
    case 'e':
      // PostgreSQL's escape string `E'a\'b'`; an E ending a word is not its prefix.
      if (!syntax.dollarQuotes || next !== "'" || (start > 0 && /[\w$]/.test(sql[start - 1]!))) return -1
      return quotedEnd(sql, start + 1, "'", true)
    case '$': {
      if (!syntax.dollarQuotes || (start > 0 && /[\w$]/.test(sql[start - 1]!))) return -1
      const tag = /^\$(?:[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*)?\$/.exec(sql.slice(start, start + 64))
      if (tag === null) return -1
      return endAfter(sql, sql.indexOf(tag[0], start + tag[0].length), tag[0].length)
    }
    default:
      return -1
  }
}

/** `found + extra`, or the text's length when `found` is -1 (an unclosed string or comment runs to the end). */
function endAfter(sql: string, found: number, extra: number): number {
  return found === -1 ? sql.length : found + extra
}

/** The end of the `/* … *\/` comment opening at `start`; PostgreSQL's nest. */
function blockCommentEnd(sql: string, start: number, nested: boolean): number {
  let depth = 0
  let i = start
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*' && (nested || depth === 0)) {
      depth++
      i += 2
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--
      i += 2
      if (depth === 0) return i
    } else {
      i++
    }
  }
  return sql.length
}
