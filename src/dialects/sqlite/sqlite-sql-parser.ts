/**
 * Reading SQLite's own DDL back: the `CREATE TABLE` and `CREATE INDEX` text SQLite keeps in
 * `sqlite_master`, for what its pragmas do not report (constraint names, CHECK expressions,
 * collations, AUTOINCREMENT, DEFERRABLE, expression and partial index terms). Expressions are kept
 * as the exact source text. Not a validator: the text was accepted by SQLite already.
 */
import { compact } from '../../schema/util.js'
import { quotedEnd } from '../sql-quoted.js'

export interface SqliteToken {
  /** `word`: a bare word (keyword or name); `name`: a quoted identifier; `string`: '…'. */
  readonly kind: 'word' | 'name' | 'string' | 'number' | 'blob' | 'punct'
  /** The source text. */
  readonly text: string
  /** Identifier value: unquoted for `name`/`string`, as written for `word`. */
  readonly value: string
  readonly start: number
  readonly end: number
}

// Character classes by code (the introspection tokenizes every table's DDL): WORD_START is
// [A-Za-z_\u0080-\uffff], WORD_PART adds [0-9$]; whitespace is /\s/ (ASCII fast, the rest by the regex).
const isWordStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c >= 0x80
const isDigit = (c: number): boolean => c >= 48 && c <= 57
const isWordPart = (c: number): boolean => isWordStart(c) || isDigit(c) || c === 36
const isSpace = (sql: string, i: number, c: number): boolean => c === 32 || (c >= 9 && c <= 13) || (c >= 0x80 && /\s/.test(sql[i]!))
/** A number at `lastIndex` (sticky). */
const NUMBER = /0[xX][0-9A-Fa-f]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y

/** SQLite tokens of `sql`, comments and whitespace left out. */
export function tokenizeSqlite(sql: string): SqliteToken[] {
  const tokens: SqliteToken[] = []
  let i = 0
  const push = (kind: SqliteToken['kind'], start: number, end: number, value?: string): void => {
    const text = sql.slice(start, end)
    tokens.push({ kind, text, value: value ?? text, start, end })
  }
  while (i < sql.length) {
    const code = sql.charCodeAt(i)
    if (isSpace(sql, i, code)) {
      i++
      continue
    }
    const ch = sql[i]!
    if (ch === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i)
      i = end === -1 ? sql.length : end + 1
    } else if (ch === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2)
      i = end === -1 ? sql.length : end + 2
    } else if (ch === "'" || ch === '"' || ch === '`') {
      const end = quotedEnd(sql, i, ch)
      push(ch === "'" ? 'string' : 'name', i, end, sql.slice(i + 1, end - 1).replaceAll(ch + ch, ch))
      i = end
    } else if (ch === '[') {
      const close = sql.indexOf(']', i + 1)
      const end = close === -1 ? sql.length : close + 1
      push('name', i, end, sql.slice(i + 1, end - 1))
      i = end
    } else if ((ch === 'x' || ch === 'X') && sql[i + 1] === "'") {
      const end = quotedEnd(sql, i + 1, "'")
      push('blob', i, end)
      i = end
    } else if (isDigit(code) || (code === 46 /* . */ && isDigit(sql.charCodeAt(i + 1)))) {
      NUMBER.lastIndex = i
      const match = NUMBER.exec(sql)!
      push('number', i, i + match[0].length)
      i += match[0].length
    } else if (isWordStart(code)) {
      let end = i + 1
      while (end < sql.length && isWordPart(sql.charCodeAt(end))) end++
      push('word', i, end)
      i = end
    } else {
      push('punct', i, i + 1)
      i++
    }
  }
  return tokens
}

/** Whether `token` is the bare keyword `word` (given in upper case; the token in any case). */
export function isKeyword(token: SqliteToken | undefined, word: string): boolean {
  return token !== undefined && token.kind === 'word' && token.value.length === word.length && asciiUpper(token.value) === word
}

/**
 * `text` with its ASCII letters in upper case, as SQLite matches keywords and type names (`ſet` is
 * not SET, `ınteger` not INTEGER): itself when it has no lower-case ASCII letter (DDL keywords are
 * mostly written in upper case), sparing a copy per keyword test.
 */
export function asciiUpper(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 97 && c <= 122) return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase())
  }
  return text
}

/** Whether `token` names `name`, as SQLite compares names (ASCII case-insensitive). */
export function isName(token: SqliteToken | undefined, name: string): boolean {
  return token !== undefined && (token.kind === 'word' || token.kind === 'name' || token.kind === 'string') && sameName(token.value, name)
}

export function sameName(a: string, b: string): boolean {
  return asciiLower(a) === asciiLower(b)
}

/** SQLite folds only ASCII letters when comparing names. */
export function asciiLower(name: string): string {
  // Names are mostly lower case already: the test spares the replace (and its callback) for them.
  return /[A-Z]/.test(name) ? name.replace(/[A-Z]/g, (c) => c.toLowerCase()) : name
}

/** Index of the `)` closing the `(` at `open`. */
function matchingParen(tokens: readonly SqliteToken[], open: number): number {
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!
    if (t.kind !== 'punct') continue
    if (t.text === '(') depth++
    else if (t.text === ')' && --depth === 0) return i
  }
  return tokens.length - 1
}

/** The comma-separated token ranges between the parentheses at `open` and `close` (exclusive). */
function splitList(tokens: readonly SqliteToken[], open: number, close: number): SqliteToken[][] {
  const items: SqliteToken[][] = []
  let current: SqliteToken[] = []
  let depth = 0
  for (let i = open + 1; i < close; i++) {
    const t = tokens[i]!
    if (t.kind === 'punct' && t.text === '(') depth++
    if (t.kind === 'punct' && t.text === ')') depth--
    if (depth === 0 && t.kind === 'punct' && t.text === ',') {
      items.push(current)
      current = []
    } else {
      current.push(t)
    }
  }
  if (current.length > 0) items.push(current)
  return items
}

function sourceOf(sql: string, tokens: readonly SqliteToken[], from: number, to: number): string {
  return from > to ? '' : sql.slice(tokens[from]!.start, tokens[to]!.end)
}

export interface ParsedForeignKey {
  readonly name?: string
  readonly columns: readonly string[]
  readonly referredTable: string
  /** Empty when the clause names no columns (the parent's primary key). */
  readonly referredColumns: readonly string[]
  readonly deferrable?: boolean
  readonly initially?: 'DEFERRED' | 'IMMEDIATE'
}

export interface ParsedColumn {
  readonly name: string
  /** The declared type as written (`VARCHAR(20)`), empty when none. */
  readonly declaredType: string
  readonly collation?: string
  readonly autoincrement: boolean
  /** `GENERATED ALWAYS AS (…)` / `AS (…)`: the expression as written, and whether it says STORED. */
  readonly generated?: { readonly expression: string; readonly stored: boolean }
}

/** What `CREATE TABLE` says, column constraints folded into the table-level lists. */
export interface ParsedCreateTable {
  readonly name: string
  readonly columns: readonly ParsedColumn[]
  readonly primaryKey?: { readonly name?: string; readonly columns: readonly string[] }
  readonly uniques: readonly { readonly name?: string; readonly columns: readonly string[] }[]
  /** `column`: the column whose definition declares the check (a column constraint). */
  readonly checks: readonly { readonly name?: string; readonly expression: string; readonly column?: string }[]
  readonly foreignKeys: readonly ParsedForeignKey[]
  readonly withoutRowid: boolean
  readonly strict: boolean
  /** Clauses this parse keeps no trace of, as written (`ON CONFLICT REPLACE`, `PRIMARY KEY DESC`). */
  readonly unkept: readonly string[]
}

const TABLE_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'])
const COLUMN_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS'])

/** Parses the `CREATE TABLE` statement SQLite stored for a table. */
export function parseSqliteCreateTable(sql: string): ParsedCreateTable {
  const tokens = tokenizeSqlite(sql)
  const open = tokens.findIndex((t) => t.kind === 'punct' && t.text === '(')
  if (open < 0) throw new SyntaxError(`not a CREATE TABLE … (…) statement: ${sql}`)
  const nameToken = tokens[open - 1]
  const close = matchingParen(tokens, open)

  const columns: ParsedColumn[] = []
  const uniques: { name?: string; columns: string[] }[] = []
  const checks: { name?: string; expression: string; column?: string }[] = []
  const foreignKeys: ParsedForeignKey[] = []
  const unkept: string[] = []
  let primaryKey: { name?: string; columns: string[] } | undefined
  let tableAutoincrement: string | undefined

  /** Skips `ON CONFLICT x` at `i`, noting it; returns the next index. */
  const conflictClause = (item: readonly SqliteToken[], i: number): number => {
    if (isKeyword(item[i], 'ON') && isKeyword(item[i + 1], 'CONFLICT')) {
      unkept.push(sourceOf(sql, item, i, i + 2))
      return i + 3
    }
    return i
  }

  /** The name list in parentheses at `item[i]`: plain column names (COLLATE/ASC/DESC of each term ignored). */
  const nameList = (item: readonly SqliteToken[], i: number): { names: string[]; next: number } => {
    const close = matchingParen(item, i)
    return { names: splitList(item, i, close).map((term) => term[0]!.value), next: close + 1 }
  }

  const references = (item: readonly SqliteToken[], i: number, name: string | undefined, local: readonly string[]): number => {
    // item[i] is REFERENCES
    let j = i + 1
    let referredTable = item[j]!.value
    j++
    if (item[j]?.kind === 'punct' && item[j]!.text === '.') {
      referredTable = item[j + 1]!.value
      j += 2
    }
    let referredColumns: string[] = []
    if (item[j]?.kind === 'punct' && item[j]!.text === '(') {
      const list = nameList(item, j)
      referredColumns = list.names
      j = list.next
    }
    let deferrable: boolean | undefined
    let initially: 'DEFERRED' | 'IMMEDIATE' | undefined
    for (;;) {
      if (isKeyword(item[j], 'ON')) {
        // ON DELETE/UPDATE action: the pragma reports the actions.
        j += isKeyword(item[j + 2], 'SET') || isKeyword(item[j + 2], 'NO') ? 4 : 3
      } else if (isKeyword(item[j], 'MATCH')) {
        j += 2
      } else if (isKeyword(item[j], 'NOT') && isKeyword(item[j + 1], 'DEFERRABLE')) {
        deferrable = false
        j += 2
      } else if (isKeyword(item[j], 'DEFERRABLE')) {
        deferrable = true
        j++
      } else if (isKeyword(item[j], 'INITIALLY')) {
        initially = isKeyword(item[j + 1], 'DEFERRED') ? 'DEFERRED' : 'IMMEDIATE'
        j += 2
      } else {
        break
      }
    }
    foreignKeys.push(compactParsed({ name, columns: local, referredTable, referredColumns, deferrable, initially }))
    return j
  }

  for (const item of splitList(tokens, open, close)) {
    const first = item[0]
    if (first === undefined) continue
    if (first.kind === 'word' && TABLE_CONSTRAINT.has(asciiUpper(first.value))) {
      let i = 0
      let name: string | undefined
      if (isKeyword(item[i], 'CONSTRAINT')) {
        name = item[i + 1]!.value
        i += 2
      }
      if (isKeyword(item[i], 'PRIMARY')) {
        const list = nameList(item, i + 2)
        primaryKey = compactParsed({ name, columns: list.names })
        // SQLite also accepts `PRIMARY KEY (id AUTOINCREMENT)`.
        if (list.names.length === 1 && item.slice(i + 2, list.next).some((t) => isKeyword(t, 'AUTOINCREMENT'))) tableAutoincrement = list.names[0]
        conflictClause(item, list.next)
      } else if (isKeyword(item[i], 'UNIQUE')) {
        const list = nameList(item, i + 1)
        uniques.push(compactParsed({ name, columns: list.names }))
        conflictClause(item, list.next)
      } else if (isKeyword(item[i], 'CHECK')) {
        const end = matchingParen(item, i + 1)
        checks.push(compactParsed({ name, expression: sourceOf(sql, item, i + 2, end - 1) }))
      } else if (isKeyword(item[i], 'FOREIGN')) {
        const list = nameList(item, i + 2)
        references(item, list.next, name, list.names)
      }
      continue
    }

    const columnName = first.value
    let i = 1
    while (i < item.length && !(item[i]!.kind === 'word' && COLUMN_CONSTRAINT.has(asciiUpper(item[i]!.value)))) {
      i = item[i]!.kind === 'punct' && item[i]!.text === '(' ? matchingParen(item, i) + 1 : i + 1
    }
    const declaredType = sourceOf(sql, item, 1, i - 1)
    let collation: string | undefined
    let autoincrement = false
    let generated: { expression: string; stored: boolean } | undefined
    let name: string | undefined
    while (i < item.length) {
      const keyword = item[i]!.kind === 'word' ? asciiUpper(item[i]!.value) : ''
      if (keyword === 'CONSTRAINT') {
        name = item[i + 1]!.value
        i += 2
        continue
      }
      if (keyword === 'PRIMARY') {
        i += 2
        if (isKeyword(item[i], 'DESC')) unkept.push(`${columnName} PRIMARY KEY DESC`)
        if (isKeyword(item[i], 'ASC') || isKeyword(item[i], 'DESC')) i++
        i = conflictClause(item, i)
        if (isKeyword(item[i], 'AUTOINCREMENT')) {
          autoincrement = true
          i++
        }
        primaryKey = compactParsed({ name, columns: [columnName] })
      } else if (keyword === 'NOT') {
        i = conflictClause(item, i + 2)
      } else if (keyword === 'NULL') {
        i = conflictClause(item, i + 1)
      } else if (keyword === 'UNIQUE') {
        uniques.push(compactParsed({ name, columns: [columnName] }))
        i = conflictClause(item, i + 1)
      } else if (keyword === 'CHECK') {
        const end = matchingParen(item, i + 1)
        checks.push(compactParsed({ name, expression: sourceOf(sql, item, i + 2, end - 1), column: columnName }))
        i = end + 1
      } else if (keyword === 'DEFAULT') {
        // The value comes from pragma table_info; skip it here.
        i++
        if (item[i]?.kind === 'punct' && item[i]!.text === '(') i = matchingParen(item, i) + 1
        else {
          if (item[i]?.kind === 'punct' && (item[i]!.text === '-' || item[i]!.text === '+')) i++
          i++
        }
      } else if (keyword === 'COLLATE') {
        collation = item[i + 1]!.value
        i += 2
      } else if (keyword === 'REFERENCES') {
        i = references(item, i, name, [columnName])
      } else if (keyword === 'GENERATED' || keyword === 'AS') {
        while (i < item.length && !(item[i]!.kind === 'punct' && item[i]!.text === '(')) i++
        const open = i
        i = matchingParen(item, open) + 1
        generated = { expression: sourceOf(sql, item, open + 1, i - 2), stored: isKeyword(item[i], 'STORED') }
        if (isKeyword(item[i], 'STORED') || isKeyword(item[i], 'VIRTUAL')) i++
      } else {
        i++
      }
      name = undefined
    }
    columns.push(compactParsed({ name: columnName, declaredType, collation, autoincrement, generated }))
  }

  if (tableAutoincrement !== undefined) {
    const at = columns.findIndex((c) => sameName(c.name, tableAutoincrement!))
    if (at >= 0) columns[at] = { ...columns[at]!, autoincrement: true }
  }
  const tail = tokens.slice(close + 1).map((t) => asciiUpper(t.value))
  return compactParsed({
    name: nameToken?.value ?? '',
    columns,
    primaryKey,
    uniques,
    checks,
    foreignKeys,
    withoutRowid: tail.includes('ROWID'),
    strict: tail.includes('STRICT'),
    unkept,
  })
}

/** What `CREATE INDEX` says. */
export interface ParsedCreateIndex {
  readonly unique: boolean
  /** Each term as written: a column name (`name`) or any other term (`expression`, with COLLATE/ASC/DESC). */
  readonly terms: readonly ({ readonly name: string } | { readonly expression: string })[]
  /** The `WHERE` condition's text. */
  readonly where?: string
}

export function parseSqliteCreateIndex(sql: string): ParsedCreateIndex {
  const tokens = tokenizeSqlite(sql)
  const on = tokens.findIndex((t) => isKeyword(t, 'ON'))
  const open = tokens.findIndex((t, i) => i > on && t.kind === 'punct' && t.text === '(')
  if (on < 0 || open < 0) throw new SyntaxError(`not a CREATE INDEX … ON t (…) statement: ${sql}`)
  const close = matchingParen(tokens, open)
  const terms = splitList(tokens, open, close).map((term) => {
    const plain = term.length === 1 || (term.length === 2 && isKeyword(term[1], 'ASC'))
    return plain && (term[0]!.kind === 'word' || term[0]!.kind === 'name')
      ? { name: term[0]!.value }
      : { expression: sql.slice(term[0]!.start, term[term.length - 1]!.end) }
  })
  const where = isKeyword(tokens[close + 1], 'WHERE') ? sourceOf(sql, tokens, close + 2, tokens.length - 1) : undefined
  return compactParsed({ unique: isKeyword(tokens[1], 'UNIQUE'), terms, where })
}

/**
 * `sql` (a `CREATE INDEX` or `CREATE TRIGGER` statement as SQLite stores it) with the created
 * object's name qualified by `schema`, so it is created in that attached database.
 */
export function qualifyCreatedName(sql: string, schema: string | undefined, quote: (name: string) => string): string {
  if (schema === undefined || sameName(schema, 'main')) return sql
  const tokens = tokenizeSqlite(sql)
  let i = tokens.findIndex((t) => isKeyword(t, 'INDEX') || isKeyword(t, 'TRIGGER')) + 1
  if (isKeyword(tokens[i], 'IF')) i += 3
  const name = tokens[i]
  if (name === undefined || (tokens[i + 1]?.kind === 'punct' && tokens[i + 1]!.text === '.')) return sql
  return `${sql.slice(0, name.start)}${quote(schema)}.${sql.slice(name.start)}`
}

/** Whether the SQL text mentions `name` as a name (not inside a string literal). */
export function mentionsName(sql: string, name: string): boolean {
  return tokenizeSqlite(sql).some((t) => (t.kind === 'word' || t.kind === 'name') && sameName(t.value, name))
}

const compactParsed = compact
