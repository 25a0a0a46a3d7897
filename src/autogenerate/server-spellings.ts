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
import { MARIADB_DEFAULT_MODE, mysqlFlavour } from '../dialects/mysql/mysql-introspector.js'
import { checkSpec, parsePostgresDefault } from '../dialects/postgres/postgres-introspector.js'
import { AlterColumnOp, CreateCheckConstraintOp, CreateIndexOp, CreateTableOp } from '../operations/ops.js'
import type { DefaultValue, IndexSpec, TableSpec } from '../schema/spec.js'
import { SqlFragment } from '../schema/sql.js'
import { defaultSpellingKey, spellingKey } from './compare.js'
import { fragmentText } from './expressions.js'
import type { Connection } from '../dialects/dialect.js'

/** The temporary table's name (a temporary table hides a real one of that name for the session only). */
const PROBE = 'migrator_spelling_probe'

/**
 * What to ask for one table: the database table's schema and name (the answers' keys), the model
 * table (its columns are the ones the expressions name), check conditions, the names of its
 * generated columns whose expression to ask and of its columns whose default to ask (PostgreSQL),
 * and indexes whose predicate and expressions to ask (PostgreSQL).
 */
export interface SpellingQuestion {
  readonly schema: string | undefined
  readonly tableName: string
  readonly table: TableSpec
  readonly conditions: readonly SqlFragment[]
  readonly generated: readonly string[]
  readonly defaults?: readonly string[]
  readonly indexes?: readonly IndexSpec[]
}

/**
 * The server's text of model expressions, by `spellingKey` (the table and the models' text);
 * defaults as the introspector reads them back, by `defaultSpellingKey`.
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
 * The server's text of each expression asked. A table whose probe the server refuses (a column the
 * models add later, a function it lacks) is left out, and on PostgreSQL an expression it refuses:
 * those compare as they did.
 */
export async function serverSpellings(connection: Connection, questions: readonly SpellingQuestion[]): Promise<ServerSpellings> {
  const spellings: ServerSpellings = { checks: new Map(), generated: new Map(), defaults: new Map(), indexes: new Map() }
  for (const question of questions) {
    try {
      if (connection.dialect.name === 'postgresql') await askPostgres(connection, question, spellings)
      else await askMysql(connection, question, spellings)
    } catch {
      // Left out: its expressions compare as they did.
    }
  }
  return spellings
}

/** The probe table: the model table's columns (generated only those asked), without defaults, keys or AUTO_INCREMENT. */
function probeTable(question: SpellingQuestion, withChecks: boolean): TableSpec {
  const asked = new Set(question.generated)
  return {
    name: PROBE,
    columns: question.table.columns.map((c) => ({
      name: c.name,
      type: c.type,
      nullable: true,
      ...(c.collation === undefined ? {} : { collation: c.collation }),
      ...(c.generated === undefined || !asked.has(c.name) ? {} : { generated: c.generated }),
    })),
    uniques: [],
    foreignKeys: [],
    indexes: [],
    checks: withChecks ? question.conditions.map((expression, i) => ({ name: `${PROBE}_${i}`, expression })) : [],
  }
}

/**
 * PostgreSQL: in a transaction rolled back at the end (its DDL is transactional), so that enum
 * types the models add can be created for the probe and nothing stays: the probe table, then each
 * check, default and index on it under a savepoint of its own (one the server refuses leaves the
 * others), read back as the introspector reads them.
 */
async function askPostgres(connection: Connection, question: SpellingQuestion, spellings: ServerSpellings): Promise<void> {
  const compiler = connection.dialect.ddlCompiler()
  const { schema, tableName, table, conditions, generated, defaults = [], indexes = [] } = question
  const at = (text: string): string => spellingKey(schema, tableName, text)
  const relation = `'pg_temp.${PROBE}'::regclass`
  await connection.query('BEGIN')
  try {
    // The enum types the columns use, created when missing (the DO blocks skip those that exist).
    for (const statement of compiler.compile(new CreateTableOp({ table: probeTable(question, false) }))) {
      await connection.query(/^CREATE TABLE /.test(statement) ? statement.replace(/^CREATE TABLE /, 'CREATE TEMPORARY TABLE ') : statement)
    }
    const attempt = async (statements: readonly string[]): Promise<boolean> => {
      await connection.query('SAVEPOINT migrator_probe')
      try {
        for (const statement of statements) await connection.query(statement)
        await connection.query('RELEASE SAVEPOINT migrator_probe')
        return true
      } catch {
        await connection.query('ROLLBACK TO SAVEPOINT migrator_probe')
        return false
      }
    }
    for (const [i, expression] of conditions.entries()) {
      await attempt(compiler.compile(new CreateCheckConstraintOp({ tableName: PROBE, constraint: { name: `${PROBE}_${i}`, expression } })))
    }
    const askedDefaults = new Set(defaults)
    for (const column of table.columns) {
      if (!askedDefaults.has(column.name) || column.serverDefault === undefined) continue
      await attempt(compiler.compile(new AlterColumnOp({ tableName: PROBE, columnName: column.name, serverDefault: column.serverDefault })))
    }
    const probeIndexes = indexes.map((index, i) => ({ ...index, name: `${PROBE}_ix_${i}` }))
    for (const index of probeIndexes) await attempt(compiler.compile(new CreateIndexOp({ tableName: PROBE, index })))

    const checks = (await connection.query(`SELECT conname AS name, pg_catalog.pg_get_constraintdef(oid, true) AS definition FROM pg_catalog.pg_constraint WHERE conrelid = ${relation} AND contype = 'c'`)).rows
    const checkOf = new Map(checks.map((r) => [String(r['name']), String(r['definition'])]))
    conditions.forEach((expression, i) => {
      const name = `${PROBE}_${i}`
      const definition = checkOf.get(name)
      if (definition !== undefined) spellings.checks.set(at(fragmentText(expression, 'postgresql')), fragmentText(checkSpec(name, definition).expression, 'postgresql'))
    })
    // As the introspector reads them (`pg_get_expr`, pretty; generation expressions without their
    // outer parentheses, defaults parsed as it parses them).
    const columns = (
      await connection.query(
        `SELECT a.attname AS name, a.attgenerated <> '' AS generated, pg_catalog.pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END, true) AS expression FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum WHERE a.attrelid = ${relation}`,
      )
    ).rows
    const expressionOf = new Map(columns.map((r) => [String(r['name']), { generated: r['generated'] === true, text: String(r['expression']) }]))
    const askedGenerated = new Set(generated)
    for (const column of table.columns) {
      const read = expressionOf.get(column.name)
      if (read === undefined) continue
      if (read.generated && column.generated !== undefined && askedGenerated.has(column.name)) {
        spellings.generated.set(at(fragmentText(column.generated.expression, 'postgresql')), stripOuterParens(read.text))
      }
      const key = !read.generated && askedDefaults.has(column.name) ? defaultSpellingKey(column, 'postgresql') : undefined
      if (key !== undefined) spellings.defaults.set(key, parsePostgresDefault(read.text))
    }
    if (probeIndexes.length > 0) {
      const rows = (
        await connection.query(
          `SELECT ic.relname AS name, pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
             (SELECT json_agg(CASE WHEN i.indkey[k.n - 1] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.n, true) END ORDER BY k.n) FROM generate_series(1, i.indnkeyatts::int) k(n)) AS keys
           FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid WHERE i.indrelid = ${relation}`,
        )
      ).rows
      const indexOf = new Map(rows.map((r) => [String(r['name']), { predicate: r['predicate'] === null ? undefined : String(r['predicate']), keys: (typeof r['keys'] === 'string' ? JSON.parse(r['keys']) : r['keys']) as (string | null)[] }]))
      probeIndexes.forEach((probe, i) => {
        const read = indexOf.get(probe.name)
        const written = indexes[i]!
        if (read === undefined) return
        if (written.where !== undefined && read.predicate !== undefined) spellings.indexes.set(at(fragmentText(written.where, 'postgresql')), stripOuterParens(read.predicate))
        written.columns.forEach((c, k) => {
          const text = read.keys[k]
          if (c instanceof SqlFragment && typeof text === 'string') spellings.indexes.set(at(fragmentText(c, 'postgresql')), stripOuterParens(text))
        })
      })
    }
  } finally {
    await connection.query('ROLLBACK')
  }
}

/**
 * MySQL/MariaDB: a temporary table with the checks and generated columns asked (DDL commits there,
 * but a temporary table is the session's alone), read back from SHOW CREATE TABLE, dropped at once.
 * The CREATE TABLE alone: an enum of MySQL is the column's type.
 */
async function askMysql(connection: Connection, question: SpellingQuestion, spellings: ServerSpellings): Promise<void> {
  const { schema, tableName, table, conditions, generated } = question
  if (conditions.length + generated.length === 0) return
  const at = (text: string): string => spellingKey(schema, tableName, text)
  const quoted = connection.dialect.quoteIdentifier(PROBE)
  const create = connection.dialect.ddlCompiler().compile(new CreateTableOp({ table: probeTable(question, true) })).find((statement) => /^CREATE TABLE /.test(statement))
  if (create === undefined) return
  let text: string
  await connection.query(create.replace(/^CREATE TABLE /, 'CREATE TEMPORARY TABLE '))
  try {
    // MariaDB: printed in the default sql_mode, as the introspector reads the catalog.
    const version = String((await connection.query('SELECT VERSION() AS version')).rows[0]?.['version'] ?? '')
    const show = `${mysqlFlavour(version).compound ? MARIADB_DEFAULT_MODE : ''}SHOW CREATE TABLE ${quoted}`
    text = String((await connection.query(show)).rows[0]?.['Create Table'] ?? '')
  } finally {
    await connection.query(`DROP TEMPORARY TABLE IF EXISTS ${quoted}`)
  }
  conditions.forEach((expression, i) => {
    const spelled = checkCondition(text, `${PROBE}_${i}`)
    if (spelled !== undefined) spellings.checks.set(at(fragmentText(expression, 'mysql')), spelled)
  })
  const asked = new Set(generated)
  for (const column of table.columns) {
    if (column.generated === undefined || !asked.has(column.name)) continue
    const spelled = generationExpression(text, column.name)
    if (spelled !== undefined) spellings.generated.set(at(fragmentText(column.generated.expression, 'mysql')), spelled)
  }
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
