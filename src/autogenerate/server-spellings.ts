/**
 * PostgreSQL, MySQL and MariaDB keep a check constraint's condition (and a generated column's
 * expression) as they re-print it, not as it was written: MariaDB stores `lower(x)` as `lcase(x)`,
 * `NOT (a = 7)` as `a <> 7`, `a % 2` as `a MOD 2`, `length(x)` as `octet_length(x)`,
 * `instr(s, 'x')` as `locate('x', s)`, pushes NOT through AND/OR…; PostgreSQL `a IN (1)` as `a = 1`, `trim(b)` as `TRIM(BOTH FROM b)`, with casts
 * added; each differently from one version to the next. Our normalisation (expressions.ts) covers
 * the common cases; a model expression that still compares different from the database's is asked
 * of the server: created on a temporary table (which changes nothing else and is gone with the
 * session), read back as the catalog prints it, and compared again in the server's own spelling.
 * Only such expressions are asked, one temporary table per table, so a schema that matches costs no
 * query. (SQLite keeps the text as written.)
 */
import { stripOuterParens } from '../dialects/introspector.js'
import { checkSpec } from '../dialects/postgres/postgres-introspector.js'
import { CreateTableOp } from '../operations/ops.js'
import type { TableSpec } from '../schema/spec.js'
import type { SqlFragment } from '../schema/sql.js'
import { fragmentText } from './expressions.js'
import type { Connection } from '../dialects/dialect.js'

/** The temporary table's name (a temporary table hides a real one of that name for the session only). */
const PROBE = 'migrator_spelling_probe'

/**
 * What to ask for one table: the model table (its columns are the ones the expressions name), check
 * conditions, and the names of its generated columns whose expression to ask.
 */
export interface SpellingQuestion {
  readonly table: TableSpec
  readonly conditions: readonly SqlFragment[]
  readonly generated: readonly string[]
}

/** The server's text of model expressions, by their text in the models (`fragmentText`). */
export interface ServerSpellings {
  readonly checks: Map<string, string>
  readonly generated: Map<string, string>
}

/**
 * The server's text of each condition and generation expression asked. A table whose expressions
 * the server refuses (a column the models add later, a function it lacks) is left out: its
 * expressions compare as they did.
 */
export async function serverSpellings(connection: Connection, questions: readonly SpellingQuestion[]): Promise<ServerSpellings> {
  const spellings: ServerSpellings = { checks: new Map(), generated: new Map() }
  const dialect = connection.dialect.name
  const compiler = connection.dialect.ddlCompiler()
  const quoted = connection.dialect.quoteIdentifier(PROBE)
  for (const { table, conditions, generated } of questions) {
    const asked = new Set(generated)
    const probe: TableSpec = {
      name: PROBE,
      // Only what the expressions need: the columns (generated only those asked), without defaults, keys or AUTO_INCREMENT.
      columns: table.columns.map((c) => ({
        name: c.name,
        type: c.type,
        nullable: true,
        ...(c.collation === undefined ? {} : { collation: c.collation }),
        ...(c.generated === undefined || !asked.has(c.name) ? {} : { generated: c.generated }),
      })),
      uniques: [],
      foreignKeys: [],
      indexes: [],
      checks: conditions.map((expression, i) => ({ name: `${PROBE}_${i}`, expression })),
    }
    // The CREATE TABLE alone: not the CREATE TYPE of its enum types (PostgreSQL), which the
    // database has when its table uses them (else the statement fails and the table is left out).
    const create = compiler.compile(new CreateTableOp({ table: probe })).find((statement) => /^CREATE TABLE /.test(statement))
    if (create === undefined) continue
    const postgres = dialect === 'postgresql'
    let check: (name: string) => string | undefined
    let generation: (column: string) => string | undefined
    try {
      await connection.query(create.replace(/^CREATE TABLE /, 'CREATE TEMPORARY TABLE '))
      try {
        if (postgres) {
          const relation = `'pg_temp.${PROBE}'::regclass`
          const checks = (await connection.query(`SELECT conname AS name, pg_catalog.pg_get_constraintdef(oid, true) AS definition FROM pg_catalog.pg_constraint WHERE conrelid = ${relation} AND contype = 'c'`)).rows
          const byName = new Map(checks.map((r) => [String(r['name']), String(r['definition'])]))
          check = (name) => {
            const definition = byName.get(name)
            return definition === undefined ? undefined : fragmentText(checkSpec(name, definition).expression, 'postgresql')
          }
          // As the introspector reads them (`pg_get_expr`, pretty, outer parentheses off).
          const columns = (
            await connection.query(
              `SELECT a.attname AS name, pg_catalog.pg_get_expr(d.adbin, d.adrelid, true) AS expression FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = ${relation} AND a.attgenerated <> ''`,
            )
          ).rows
          const byColumn = new Map(columns.map((r) => [String(r['name']), stripOuterParens(String(r['expression']))]))
          generation = (column) => byColumn.get(column)
        } else {
          const text = String((await connection.query(`SHOW CREATE TABLE ${quoted}`)).rows[0]?.['Create Table'] ?? '')
          check = (name) => checkCondition(text, name)
          generation = (column) => generationExpression(text, column)
        }
      } finally {
        await connection.query(postgres ? `DROP TABLE pg_temp.${quoted}` : `DROP TEMPORARY TABLE IF EXISTS ${quoted}`)
      }
    } catch {
      continue
    }
    conditions.forEach((expression, i) => {
      const spelled = check(`${PROBE}_${i}`)
      if (spelled !== undefined) spellings.checks.set(fragmentText(expression, dialect), spelled)
    })
    for (const column of table.columns) {
      if (column.generated === undefined || !asked.has(column.name)) continue
      const spelled = generation(column.name)
      if (spelled !== undefined) spellings.generated.set(fragmentText(column.generated.expression, dialect), spelled)
    }
  }
  return spellings
}

/** The expression of generated column `column` in a `SHOW CREATE TABLE` text (`` `column` type GENERATED ALWAYS AS (…) ``), without its parentheses. */
export function generationExpression(createTable: string, column: string): string | undefined {
  const line = createTable.split('\n').find((l) => l.startsWith(`  \`${column.replace(/`/g, '``')}\` `))
  if (line === undefined) return undefined
  const head = ' GENERATED ALWAYS AS ('
  const at = line.indexOf(head)
  if (at === -1) return undefined
  const open = at + head.length - 1
  const close = closingParenthesis(line, open)
  return close === -1 ? undefined : line.slice(open + 1, close)
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
