/**
 * `sql` fragments: raw SQL text for defaults, check conditions, index expressions and `where`
 * clauses. Interpolated values become literals of the dialect in use (never raw text), so
 * `sql\`status <> ${input}\`` cannot inject; `sql.identifier(name)` quotes a name and
 * `sql.raw(text)` splices text as it is.
 */

/** A name quoted by the dialect: `sql.identifier('users', 'email')` → `"users"."email"`. */
export class SqlIdentifier {
  readonly kind = 'identifier' as const
  readonly names: readonly string[]

  constructor(names: readonly string[]) {
    this.names = [...names]
  }
}

/** A value interpolated into a `sql` fragment: written as a literal of the dialect. */
export type SqlLiteralValue = string | number | bigint | boolean | null

export type SqlInterpolation = SqlFragment | SqlIdentifier | SqlLiteralValue

/** What a fragment holds between its text parts: an identifier or a literal (nested fragments are merged). */
export type SqlPart = SqlIdentifier | SqlLiteralValue

/**
 * A raw SQL fragment. `strings` has exactly one more element than `values`; nested fragments are
 * flattened on construction, so two fragments written differently but meaning the same text compare equal.
 */
export class SqlFragment {
  readonly kind = 'sql' as const
  readonly strings: readonly string[]
  readonly values: readonly SqlPart[]

  constructor(strings: readonly string[], values: readonly SqlInterpolation[]) {
    if (strings.length !== values.length + 1) throw new TypeError('sql fragment: strings must be one longer than values')
    const outStrings: string[] = [strings[0]!]
    const outValues: SqlPart[] = []
    values.forEach((value, i) => {
      if (value instanceof SqlFragment) {
        outStrings[outStrings.length - 1] += value.strings[0]!
        value.values.forEach((inner, j) => {
          outValues.push(inner)
          outStrings.push(value.strings[j + 1]!)
        })
        outStrings[outStrings.length - 1] += strings[i + 1]!
      } else {
        outValues.push(value)
        outStrings.push(strings[i + 1]!)
      }
    })
    this.strings = outStrings
    this.values = outValues
  }

  /** True when the fragment is plain text, with no interpolated value. */
  get isPlainText(): boolean {
    return this.values.length === 0
  }

  /** The text with `?` where values go; for messages and comparisons, never for execution. */
  toString(): string {
    return this.strings.join('?')
  }
}

export interface SqlTag {
  (strings: TemplateStringsArray, ...values: SqlInterpolation[]): SqlFragment
  /** Text spliced as it is. */
  raw(text: string): SqlFragment
  /** A quoted identifier; several names make a qualified one (`schema.table.column`). */
  identifier(...names: string[]): SqlIdentifier
}

function sqlTag(strings: TemplateStringsArray, ...values: SqlInterpolation[]): SqlFragment {
  return new SqlFragment([...strings], values)
}

/** Tagged template for raw SQL: sql\`lower(email)\`, sql\`CURRENT_TIMESTAMP\`. */
export const sql: SqlTag = Object.assign(sqlTag, {
  raw: (text: string): SqlFragment => new SqlFragment([text], []),
  identifier: (...names: string[]): SqlIdentifier => {
    if (names.length === 0) throw new TypeError('sql.identifier needs at least one name')
    return new SqlIdentifier(names)
  },
})

export function isSqlFragment(value: unknown): value is SqlFragment {
  return value instanceof SqlFragment
}

/** `text` as a fragment, or the fragment itself. */
export function toSqlFragment(value: string | SqlFragment): SqlFragment {
  return typeof value === 'string' ? sql.raw(value) : value
}

/** The quoting and literal functions a fragment needs to become SQL text. */
export interface SqlRenderer {
  quoteIdentifier(name: string): string
  literal(value: unknown): string
}

/** The fragment as SQL text for one dialect: identifiers quoted, values as literals. */
export function renderSqlFragment(fragment: SqlFragment, renderer: SqlRenderer): string {
  let out = fragment.strings[0]!
  fragment.values.forEach((value, i) => {
    out += value instanceof SqlIdentifier ? value.names.map((n) => renderer.quoteIdentifier(n)).join('.') : renderer.literal(value)
    out += fragment.strings[i + 1]!
  })
  return out
}
