/**
 * PostgreSQL, MySQL and MariaDB keep a check constraint's condition (and a generated column's
 * expression) as they re-print it, not as it was written: MariaDB stores `lower(x)` as `lcase(x)`,
 * `NOT (a = 7)` as `a <> 7`, `a % 2` as `a MOD 2`, `length(x)` as `octet_length(x)`,
 * `instr(s, 'x')` as `locate('x', s)`, pushes NOT through AND/OR…; PostgreSQL `a IN (1)` as `a = 1`, `trim(b)` as `TRIM(BOTH FROM b)`, with casts
 * added; each differently from one version to the next. PostgreSQL re-prints column defaults too
 * (`'1 hour'` of an interval as `'01:00:00'::interval`, `'P1D'` as `'1 day'`, `'{"a","b"}'` of a
 * text array as `'{a,b}'::text[]`) and index predicates and expressions. Our normalisation
 * (expressions.ts) covers the common cases; a model expression that still compares different from
 * the database's is asked of the server: created on a temporary table (which changes nothing else
 * and is gone with the session), read back as the catalog prints it, and compared again in the
 * server's own spelling. Only such expressions are asked, one temporary table per table, so a schema
 * that matches costs no query. (SQLite keeps the text as written; MySQL's defaults and index
 * expressions are not asked: its normalisation settles them.)
 */
import { stripOuterParens } from '../dialects/introspector.js'
import { checkSpec, parsePostgresDefault } from '../dialects/postgres/postgres-introspector.js'
import { CreateIndexOp, CreateTableOp } from '../operations/ops.js'
import type { DefaultValue, IndexSpec, TableSpec } from '../schema/spec.js'
import { SqlFragment } from '../schema/sql.js'
import { defaultSpellingKey } from './compare.js'
import { fragmentText } from './expressions.js'
import type { Connection } from '../dialects/dialect.js'

/** The temporary table's name (a temporary table hides a real one of that name for the session only). */
const PROBE = 'migrator_spelling_probe'

/**
 * What to ask for one table: the model table (its columns are the ones the expressions name), check
 * conditions, the names of its generated columns whose expression to ask and of its columns whose
 * default to ask (PostgreSQL), and indexes whose predicate and expressions to ask (PostgreSQL).
 */
export interface SpellingQuestion {
  readonly table: TableSpec
  readonly conditions: readonly SqlFragment[]
  readonly generated: readonly string[]
  readonly defaults?: readonly string[]
  readonly indexes?: readonly IndexSpec[]
}

/**
 * The server's text of model expressions, by their text in the models (`fragmentText`); defaults
 * as the introspector reads them back, by `defaultSpellingKey`.
 */
export interface ServerSpellings {
  readonly checks: Map<string, string>
  readonly generated: Map<string, string>
  readonly defaults: Map<string, DefaultValue | undefined>
  readonly indexes: Map<string, string>
}

/** Whether anything was learnt. */
export function spelledAny(spellings: ServerSpellings): boolean {
  return spellings.checks.size + spellings.generated.size + spellings.defaults.size + spellings.indexes.size > 0
}

/**
 * The server's text of each condition and generation expression asked. A table whose expressions
 * the server refuses (a column the models add later, a function it lacks) is left out: its
 * expressions compare as they did.
 */
export async function serverSpellings(connection: Connection, questions: readonly SpellingQuestion[]): Promise<ServerSpellings> {
  const spellings: ServerSpellings = { checks: new Map(), generated: new Map(), defaults: new Map(), indexes: new Map() }
  const dialect = connection.dialect.name
  const postgres = dialect === 'postgresql'
  const compiler = connection.dialect.ddlCompiler()
  const quoted = connection.dialect.quoteIdentifier(PROBE)
  for (const { table, conditions, generated, defaults = [], indexes = [] } of questions) {
    const asked = new Set(generated)
    // Defaults and indexes are asked of PostgreSQL only.
    const askedDefaults = new Set(postgres ? defaults : [])
    const askedIndexes = postgres ? indexes.map((index, i) => ({ ...index, name: `${PROBE}_ix_${i}` })) : []
    if (conditions.length + asked.size + askedDefaults.size + askedIndexes.length === 0) continue
    const probe: TableSpec = {
      name: PROBE,
      // Only what the expressions need: the columns (generated only those asked, defaults only those
      // asked), without keys or AUTO_INCREMENT.
      columns: table.columns.map((c) => ({
        name: c.name,
        type: c.type,
        nullable: true,
        ...(c.collation === undefined ? {} : { collation: c.collation }),
        ...(c.generated === undefined || !asked.has(c.name) ? {} : { generated: c.generated }),
        ...(c.serverDefault === undefined || !askedDefaults.has(c.name) ? {} : { serverDefault: c.serverDefault }),
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
    let check: (name: string) => string | undefined
    let generation: (column: string) => string | undefined
    let columnDefault: (column: string) => string | undefined = () => undefined
    let indexed: (name: string) => { predicate: string | undefined; keys: readonly (string | null)[] } | undefined = () => undefined
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
          // As the introspector reads them (`pg_get_expr`, pretty; generation expressions without
          // their outer parentheses, defaults parsed as it parses them).
          const columns = (
            await connection.query(
              `SELECT a.attname AS name, a.attgenerated <> '' AS generated, pg_catalog.pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END, true) AS expression FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = ${relation}`,
            )
          ).rows
          const byColumn = new Map(columns.filter((r) => r['generated'] === true).map((r) => [String(r['name']), stripOuterParens(String(r['expression']))]))
          generation = (column) => byColumn.get(column)
          const defaultOf = new Map(columns.filter((r) => r['generated'] !== true).map((r) => [String(r['name']), String(r['expression'])]))
          columnDefault = (column) => defaultOf.get(column)
          if (askedIndexes.length > 0) {
            for (const index of askedIndexes) {
              const statement = compiler.compile(new CreateIndexOp({ tableName: PROBE, index }))[0]
              if (statement !== undefined) await connection.query(statement)
            }
            const rows = (
              await connection.query(
                `SELECT ic.relname AS name, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
                   (SELECT json_agg(CASE WHEN i.indkey[k.n - 1] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.n, true) END ORDER BY k.n) FROM generate_series(1, i.indnkeyatts::int) k(n)) AS keys
                 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = ${relation}`,
              )
            ).rows
            const byIndex = new Map(
              rows.map((r) => [String(r['name']), { predicate: r['predicate'] === null ? undefined : String(r['predicate']), keys: (typeof r['keys'] === 'string' ? JSON.parse(r['keys']) : r['keys']) as (string | null)[] }]),
            )
            indexed = (name) => byIndex.get(name)
          }
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
      if (column.generated !== undefined && asked.has(column.name)) {
        const spelled = generation(column.name)
        if (spelled !== undefined) spellings.generated.set(fragmentText(column.generated.expression, dialect), spelled)
      }
      const key = askedDefaults.has(column.name) ? defaultSpellingKey(column, dialect) : undefined
      const spelled = key === undefined ? undefined : columnDefault(column.name)
      if (key !== undefined && spelled !== undefined) spellings.defaults.set(key, parsePostgresDefault(spelled))
    }
    askedIndexes.forEach((index, i) => {
      const read = indexed(index.name)
      const written = indexes[i]!
      if (read === undefined) return
      if (written.where !== undefined && read.predicate !== undefined) spellings.indexes.set(fragmentText(written.where, dialect), stripOuterParens(read.predicate))
      written.columns.forEach((c, k) => {
        const key = read.keys[k]
        if (c instanceof SqlFragment && typeof key === 'string') spellings.indexes.set(fragmentText(c, dialect), stripOuterParens(key))
      })
    })
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
