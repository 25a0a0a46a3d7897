/**
 * PostgreSQL, MySQL and MariaDB keep a check constraint's condition as they re-print it, not as it
 * was written: MariaDB stores `lower(x)` as `lcase(x)`, `NOT (a = 7)` as `a <> 7`, `a % 2` as
 * `a MOD 2`, `length(x)` as `octet_length(x)`, `instr(s, 'x')` as `locate('x', s)`, pushes NOT
 * through AND/OR…; PostgreSQL `a IN (1)` as `a = 1`, `trim(b)` as `TRIM(BOTH FROM b)`, with casts
 * added; each differently from one version to the next. Our normalisation (expressions.ts) covers
 * the common cases; a model condition that still compares different from the database's is asked
 * of the server: created on a temporary table (which changes nothing else and is gone with the
 * session), read back as the catalog prints it, and compared again in the server's own spelling.
 * Only such conditions are asked, one temporary table per table, so a schema that matches costs no
 * query. (SQLite keeps the text as written.)
 */
import { checkSpec } from '../dialects/postgres/postgres-introspector.js'
import { CreateTableOp } from '../operations/ops.js'
import type { TableSpec } from '../schema/spec.js'
import type { SqlFragment } from '../schema/sql.js'
import { fragmentText } from './expressions.js'
import type { Connection } from '../dialects/dialect.js'

/** The temporary table's name (a temporary table hides a real one of that name for the session only). */
const PROBE = 'migrator_check_probe'

/** The conditions to ask for one table: the model table (its columns are the ones they name) and the conditions. */
export interface CheckQuestion {
  readonly table: TableSpec
  readonly conditions: readonly SqlFragment[]
}

/**
 * The server's text of each condition, by its text in the models (`fragmentText`). A table whose
 * conditions the server refuses (a column the models add later, a function it lacks) is left
 * out: its conditions compare as they did.
 */
export async function serverCheckSpellings(connection: Connection, questions: readonly CheckQuestion[]): Promise<Map<string, string>> {
  const spellings = new Map<string, string>()
  const compiler = connection.dialect.ddlCompiler()
  const quoted = connection.dialect.quoteIdentifier(PROBE)
  for (const { table, conditions } of questions) {
    const probe: TableSpec = {
      name: PROBE,
      // Only what the conditions need: the columns, without defaults, keys or AUTO_INCREMENT.
      columns: table.columns.map((c) => ({ name: c.name, type: c.type, nullable: true, ...(c.collation === undefined ? {} : { collation: c.collation }) })),
      uniques: [],
      foreignKeys: [],
      indexes: [],
      checks: conditions.map((expression, i) => ({ name: `${PROBE}_${i}`, expression })),
    }
    const [create] = compiler.compile(new CreateTableOp({ table: probe }))
    if (create === undefined || !/^CREATE TABLE /.test(create)) continue
    const postgres = connection.dialect.name === 'postgresql'
    let read: (name: string) => string | undefined
    try {
      await connection.query(create.replace(/^CREATE TABLE /, 'CREATE TEMPORARY TABLE '))
      try {
        if (postgres) {
          const rows = (await connection.query(`SELECT conname AS name, pg_catalog.pg_get_constraintdef(oid, true) AS definition FROM pg_catalog.pg_constraint WHERE conrelid = 'pg_temp.${PROBE}'::regclass AND contype = 'c'`)).rows
          const byName = new Map(rows.map((r) => [String(r['name']), String(r['definition'])]))
          read = (name) => {
            const definition = byName.get(name)
            return definition === undefined ? undefined : fragmentText(checkSpec(name, definition).expression, 'postgresql')
          }
        } else {
          const text = String((await connection.query(`SHOW CREATE TABLE ${quoted}`)).rows[0]?.['Create Table'] ?? '')
          read = (name) => checkCondition(text, name)
        }
      } finally {
        await connection.query(postgres ? `DROP TABLE pg_temp.${quoted}` : `DROP TEMPORARY TABLE IF EXISTS ${quoted}`)
      }
    } catch {
      continue
    }
    conditions.forEach((expression, i) => {
      const spelled = read(`${PROBE}_${i}`)
      if (spelled !== undefined) spellings.set(fragmentText(expression, connection.dialect.name), spelled)
    })
  }
  return spellings
}

/** The condition of check constraint `name` in a `SHOW CREATE TABLE` text (`CONSTRAINT \`name\` CHECK (…)`), without its parentheses. */
export function checkCondition(createTable: string, name: string): string | undefined {
  const head = `CONSTRAINT \`${name.replace(/`/g, '``')}\` CHECK (`
  const start = createTable.indexOf(head)
  if (start === -1) return undefined
  const open = start + head.length - 1
  const close = closingParenthesis(createTable, open)
  return close === -1 ? undefined : createTable.slice(open + 1, close)
}

/** The index of the `)` closing the `(` at `open`, quoted text skipped; -1 when there is none. */
function closingParenthesis(text: string, open: number): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!
    if (ch === "'" || ch === '"' || ch === '`') {
      // To the closing quote: doubled quotes and (not in backquotes) backslash escapes stay inside.
      for (i++; i < text.length; i++) {
        if (text[i] === '\\' && ch !== '`') i++
        else if (text[i] === ch) {
          if (text[i + 1] === ch) i++
          else break
        }
      }
    } else if (ch === '(') depth++
    else if (ch === ')' && --depth === 0) return i
  }
  return -1
}
