import type { Dialect } from '../dialects/dialect.js'
import { nonCodeEnd, type SqlSyntax } from '../dialects/sql-quoted.js'
import { UsageError } from '../errors.js'

/**
 * A replacement found in SQL code: `length` characters at the visited index become `text`.
 * Returning undefined leaves the character as it is.
 */
type Visitor = (sql: string, index: number) => { text: string; length: number } | undefined

/**
 * Walks `sql`, calling `visit` only on code: quoted strings, quoted identifiers and
 * comments are copied untouched, so a `?` or `:name` inside them is never rewritten.
 */
function rewriteCode(sql: string, syntax: SqlSyntax, visit: Visitor): string {
  let out = ''
  let i = 0
  while (i < sql.length) {
    const ch = sql[i]!
    const end = nonCodeEnd(sql, i, syntax)
    if (end !== -1) {
      out += sql.slice(i, end)
      i = end
      continue
    }
    const replaced = visit(sql, i)
    if (replaced) {
      out += replaced.text
      i += replaced.length
    } else {
      out += ch
      i++
    }
  }
  return out
}

/**
 * Replaces the dialect's positional placeholders (`$1` on PostgreSQL, `?` elsewhere) by
 * literals: how a statement with bound values is written in an offline `--sql` script.
 */
export function inlineParameters(dialect: Dialect, sql: string, params: readonly unknown[]): string {
  const numbered = dialect.placeholder(1) === '$1'
  let next = 0
  return rewriteCode(sql, dialect.sqlSyntax, (text, i) => {
    const ch = text[i]
    if (numbered && ch === '$') {
      const digits = /^\$([0-9]+)/.exec(text.slice(i, i + 12))
      if (digits) return { text: dialect.literal(params[Number(digits[1]) - 1]), length: digits[0].length }
    } else if (!numbered && ch === '?') {
      return { text: dialect.literal(params[next++]), length: 1 }
    }
    return undefined
  })
}

/**
 * Replaces each `:name` in SQL code by `replace(name)`. Quoted strings, quoted identifiers and
 * comments as `syntax` writes them are left alone, and so is the `::` of a PostgreSQL cast.
 * The one `:name` scanner: `bindNamedParameters` here and the DDL compilers' `execute` use it.
 */
export function rewriteNamedParameters(sql: string, syntax: SqlSyntax, replace: (name: string) => string): string {
  return rewriteCode(sql, syntax, (source, i) => {
    if (source[i] !== ':') return undefined
    if (source[i + 1] === ':') return { text: '::', length: 2 }
    if (i > 0 && source[i - 1] === ':') return undefined
    const match = /^:([A-Za-z_][A-Za-z0-9_]*)/.exec(source.slice(i, i + 130))
    if (!match) return undefined
    return { text: replace(match[1]!), length: match[0].length }
  })
}

/**
 * Compiles `:name` bind parameters (the form revisions use with `op.execute`) into the
 * dialect's positional placeholders. `::` (a PostgreSQL cast) is not a parameter.
 */
export function bindNamedParameters(
  dialect: Dialect,
  sql: string,
  params: Readonly<Record<string, unknown>>,
): { sql: string; values: unknown[] } {
  const values: unknown[] = []
  const positions = new Map<string, number>()
  const text = rewriteNamedParameters(sql, dialect.sqlSyntax, (name) => {
    if (!Object.prototype.hasOwnProperty.call(params, name)) {
      throw new UsageError(`SQL parameter :${name} has no value`, {
        hint: `pass it in the parameters object: { ${name}: … }`,
      })
    }
    // PostgreSQL placeholders can repeat; `?` placeholders need the value once per use.
    let position = positions.get(name)
    if (position === undefined || dialect.placeholder(1) !== '$1') {
      values.push(params[name])
      position = values.length
      positions.set(name, position)
    }
    return dialect.placeholder(position)
  })
  return { sql: text, values }
}
