/**
 * SQLite introspection: four catalog queries whatever the number of tables (five with `schemas`,
 * which first reads `pragma_database_list`): `sqlite_master` of every requested database (tables,
 * indexes and triggers with their CREATE text) joined with `pragma_table_list`, then one query per
 * object kind joining the kept tables (passed as one JSON parameter) with `pragma_table_xinfo`,
 * `pragma_index_list` + `pragma_index_xinfo`, and `pragma_foreign_key_list`. Never a PRAGMA per
 * table. The CREATE TABLE/INDEX text (`sqlite-sql-parser.ts`) gives what the pragmas do not carry:
 * constraint names, CHECKs, collations, AUTOINCREMENT, DEFERRABLE, index expressions and WHERE.
 * `readSqliteSchema` is the one implementation; `sqlite-table-reflector.ts` (copy-and-move) calls it
 * for a single table. Ignored: `sqlite_%` tables, views, triggers, virtual tables and their shadow
 * tables (`pragma_table_list.type`), the databases not requested (default: `main`, reported with
 * `schema` undefined; other attached databases carry their name).
 *
 * Normalisation, so that the DDL of `SqliteDdlCompiler` reads back as the spec it came from:
 * - Types are the declared text (SQLite keeps it as written): a spelling the compiler writes
 *   (`INTEGER`, `VARCHAR(20)`, `NUMERIC(10, 2)`, `BOOLEAN`, `JSON`, `BLOB`…, any case) → that kind,
 *   anything else → `{kind:'custom', sql}` as declared (`INT`, `NUMERIC(10,2)`, `''`), so a rebuild
 *   never changes a column's affinity or whether it aliases the rowid (`sqliteColumnType`).
 * - Enums: the compiler writes `VARCHAR(<longest value>)` with the column constraint
 *   `CHECK ("col" IN ('a', 'b'))`. An unnamed column CHECK of exactly that form (any spacing or
 *   quoting of the column name) on a VARCHAR whose length is the longest value's → `{kind:'enum',
 *   name: <column name>, values}` and no check. Other checks stay checks.
 * - Defaults from `pragma_table_xinfo.dflt_value` (the text as written): `'x'` → string, numbers →
 *   numbers (bigint beyond 2^53), `0`/`1`/`TRUE`/`FALSE` → booleans on a BOOLEAN column (`TRUE`/`FALSE`
 *   → 1/0 elsewhere), `NULL` → no default, anything else → a `sql` fragment without enclosing
 *   parentheses (`CURRENT_TIMESTAMP`, `datetime('now')`).
 * - `INTEGER PRIMARY KEY AUTOINCREMENT` → `autoincrement: true`. A plain `INTEGER PRIMARY KEY` (the
 *   rowid alias, which hands out max(rowid)+1 but may reuse ids) is NOT autoincrement: that is what
 *   the compiler writes for `integer().primaryKey()`, `.autoincrement()` adds AUTOINCREMENT. The
 *   rowid alias is reported NOT NULL whatever it declares (it never holds NULL).
 * - Primary key, unique constraints (`pragma_index_list.origin` 'u') and foreign keys with the name
 *   of their `CONSTRAINT` clause when there is one, else without a name. `sqlite_autoindex_*` are the
 *   UNIQUE/PRIMARY KEY constraints, never indexes; indexes are the `CREATE INDEX` ones (origin 'c').
 * - Foreign keys: NO ACTION omitted; `referredSchema` is the table's own (SQLite keys never leave
 *   their database); `deferrable: true, initially: 'DEFERRED'` only for DEFERRABLE INITIALLY
 *   DEFERRED, the one deferred form (NOT DEFERRABLE, DEFERRABLE [INITIALLY IMMEDIATE] are immediate);
 *   MATCH is parsed and ignored by SQLite, never reported.
 * - Checks: the expression text exactly as written in CREATE TABLE.
 * - Indexes: a term on a column with the column's own collation → the column name (ASC/DESC
 *   dropped: the spec has no order); any other term → a `sql` fragment of its text without ASC/DESC
 *   and enclosing parentheses (`lower(email)`, `name COLLATE NOCASE`); `where` as written.
 * - Generated columns are reported without their expression; WITHOUT ROWID, STRICT and
 *   ON CONFLICT clauses are not represented.
 * - Unnamed constraints are offered to `includeName` with the name `''`.
 * - Primary key columns are reported NOT NULL, as the models declare them, even where SQLite lets a
 *   non-INTEGER key column without NOT NULL hold NULL (`primaryKeyNotNull`; not for copy-and-move).
 *
 * What SQLite cannot keep (see `canonicalSqliteTable`): comments; index methods (`using`);
 * `uuid` → CHAR(36), `json`/`jsonb` → JSON, `binary` length, integer `unsigned`, time/timestamp
 * time zone and precision; enum type names (the column's name) and schemas; autoincrement columns
 * are INTEGER NOT NULL; identity options; foreign key `match`, NO ACTION and the immediate forms of
 * DEFERRABLE; boolean defaults are 1/0; `sql` defaults that are literals read back as values.
 */
import type { CheckSpec, ColumnSpec, DefaultValue, ForeignKeySpec, IndexSpec, ReferentialAction, TableSpec, UniqueSpec } from '../../schema/spec.js'
import { renderSqlFragment, sql, SqlFragment } from '../../schema/sql.js'
import type { ColumnType } from '../../schema/types.js'
import type { Connection } from '../dialect.js'
import {
  compactSpec,
  endOfQuoted,
  mapChanged,
  nameFilter,
  NUMERIC_LITERAL,
  numberOf,
  shallowEqual,
  sortTableSpecs,
  stripOuterParens,
  type IntrospectOptions,
  type Introspector,
  type SchemaNames,
  type SchemaSnapshot,
  withChanges,
  withHidden,
} from '../introspector.js'
import { renderLiteral, standardString, utcTimestamp } from '../literals.js'
import { asciiLower, asciiUpper, isKeyword, parseSqliteCreateIndex, parseSqliteCreateTable, sameName, tokenizeSqlite, type ParsedCreateTable } from './sqlite-sql-parser.js'

/** What reading needs of a connection. */
export type SqliteCatalogReader = Pick<Connection, 'query' | 'dialect'>

type IncludeName = NonNullable<IntrospectOptions['includeName']>

export class SqliteIntrospector implements Introspector {
  canonicalTable(spec: TableSpec): TableSpec {
    return canonicalSqliteTable(spec)
  }

  async schemaNames(connection: Connection): Promise<SchemaNames> {
    const rows = (await connection.query(`SELECT name FROM pragma_database_list WHERE name <> 'temp' ORDER BY seq`)).rows
    return { current: 'main', all: rows.map((r) => String(r['name'])).sort() }
  }

  async introspect(connection: Connection, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
    const include = nameFilter(options)
    let schemas = ['main']
    if (options.schemas !== undefined) {
      const attached = (await connection.query('SELECT name FROM pragma_database_list ORDER BY seq')).rows.map((r) => String(r['name']))
      schemas = attached.filter((name) => options.schemas!.some((s) => sameName(s, name)))
    }
    schemas = schemas.filter((s) => include(s, 'schema', {}))
    if (schemas.length === 0 || (options.tables !== undefined && options.tables.length === 0)) return { tables: [], enums: [] }
    const visibleSchema = (schemaName: string): string | undefined => (sameName(schemaName, 'main') ? undefined : schemaName)
    const readings = await readSqliteSchema(connection, {
      schemas,
      visibleSchema,
      keepTable: (name, schemaName) =>
        (options.tables === undefined || options.tables.some((t) => sameName(t, name))) &&
        !(options.excludeTables ?? []).some((t) => sameName(t, name)) &&
        include(name, 'table', compactSpec({ schema: visibleSchema(schemaName) })),
      include,
    })
    const triggers = new Map<string, string[]>()
    for (const { spec, triggers: own } of readings) if (own.length > 0) triggers.set(JSON.stringify([spec.schema ?? null, spec.name]), own.map((t) => t.sql))
    return withHidden({ tables: sortTableSpecs(readings.map((r) => primaryKeyNotNull(r.spec))), enums: [] }, { triggers })
  }
}

/**
 * The spec with its primary key columns NOT NULL. SQLite lets a key column other than the rowid
 * alias hold NULL unless it says NOT NULL (a long-standing quirk, `code TEXT PRIMARY KEY`), which
 * the models cannot declare (key columns are NOT NULL): reported as the models have it, so that
 * introspected models compare equal. The copy-and-move reflector keeps the column as declared.
 */
function primaryKeyNotNull(spec: TableSpec): TableSpec {
  const keyColumns = spec.primaryKey?.columns
  if (keyColumns === undefined || !spec.columns.some((c) => c.nullable && keyColumns.includes(c.name))) return spec
  return { ...spec, columns: spec.columns.map((c) => (c.nullable && keyColumns.includes(c.name) ? { ...c, nullable: false } : c)) }
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface SqliteSchemaRequest {
  /** Databases to read, as attached (`main`, `temp`, `aux`…). */
  readonly schemas: readonly string[]
  /** The `schema` a table of this database carries in its spec (and its foreign keys in `referredSchema`). */
  readonly visibleSchema: (schemaName: string) => string | undefined
  /** Whether to read this table; asked before the per-object queries. */
  readonly keepTable: (name: string, schemaName: string) => boolean
  /** Keep columns, constraints and indexes (as `IntrospectOptions.includeName`); default all. */
  readonly include?: IncludeName
  /** Also read `sqlite_%` tables, virtual tables and shadow tables (reported as `unsupported`). */
  readonly internal?: boolean
  /** Read only the table of this name (and its indexes and triggers), filtered in SQL. */
  readonly onlyTable?: string
}

/** One table as read: its spec (columns, constraints and indexes in declared order) and what the spec cannot say. */
export interface SqliteTableReading {
  /** The database holding it, as attached. */
  readonly schemaName: string
  /** Generated columns included (reported without their expression). */
  readonly spec: TableSpec
  /** The `CREATE INDEX` text SQLite stores for each index of `spec.indexes`, by index name. */
  readonly indexSql: ReadonlyMap<string, string>
  /** The triggers on the table, as SQLite stores them. */
  readonly triggers: readonly { readonly name: string; readonly sql: string }[]
  /** What the table has that `spec` cannot describe (WITHOUT ROWID, STRICT, …): a rebuild from `spec` would lose it. */
  readonly unsupported: readonly string[]
}

interface MasterRow {
  schema: string
  type: string
  name: string
  tbl_name: string
  sql: string | null
  kind: string | null
}
interface ColumnRow {
  t: number
  cid: number
  name: string
  type: string
  notnull: number
  dflt: string | null
  pk: number
  hidden: number
}
interface IndexRow {
  t: number
  name: string
  unique: number
  origin: string
  seqno: number
  cid: number
  column: string | null
  coll: string | null
  desc: number
}
interface ForeignKeyRow {
  t: number
  id: number
  seq: number
  table: string
  from: string
  to: string | null
  on_update: string
  on_delete: string
  match: string
}

/** The kept tables as `k(key, s, t)`: position, database, table name. */
const KEPT = `WITH k AS (SELECT key, json_extract(value, '$[0]') AS s, json_extract(value, '$[1]') AS t FROM json_each(?))`

const COLUMNS_SQL = `${KEPT}
SELECT k.key AS t, c.cid AS cid, c.name AS name, c.type AS type, c."notnull" AS "notnull", c.dflt_value AS dflt, c.pk AS pk, c.hidden AS hidden
FROM k, pragma_table_xinfo(k.t, k.s) c
ORDER BY k.key, c.cid`

const INDEXES_SQL = `${KEPT}
SELECT k.key AS t, il.name AS name, il."unique" AS "unique", il.origin AS origin, ii.seqno AS seqno, ii.cid AS cid, ii.name AS "column", ii.coll AS coll, ii."desc" AS "desc"
FROM k, pragma_index_list(k.t, k.s) il, pragma_index_xinfo(il.name, k.s) ii
WHERE ii.key = 1
ORDER BY k.key, il.name, ii.seqno`

/** `to` is NULL when the clause names no columns: the parent's primary key column at that position. */
const FOREIGN_KEYS_SQL = `${KEPT}
SELECT k.key AS t, f.id AS id, f.seq AS seq, f."table" AS "table", f."from" AS "from",
  coalesce(f."to", (SELECT p.name FROM pragma_table_info(f."table", k.s) p WHERE p.pk = f.seq + 1)) AS "to",
  f.on_update AS on_update, f.on_delete AS on_delete, f.match AS match
FROM k, pragma_foreign_key_list(k.t, k.s) f
ORDER BY k.key, f.id, f.seq`

/**
 * The tables of `request.schemas` that `request.keepTable` keeps, read with four queries whatever
 * their number. The one reading of SQLite's catalog: the introspector and the copy-and-move
 * reflector both use it.
 */
export async function readSqliteSchema(connection: SqliteCatalogReader, request: SqliteSchemaRequest): Promise<SqliteTableReading[]> {
  if (request.schemas.length === 0) return []
  const q = (name: string): string => connection.dialect.quoteIdentifier(name)
  const master = request.schemas
    .map((schema, i) => `SELECT ? AS schema, ${i} AS pos, rowid AS ord, type, name, tbl_name, sql FROM ${q(schema)}.sqlite_master`)
    .join('\n  UNION ALL\n  ')
  const objects = (
    await connection.query(
      `WITH l AS MATERIALIZED (SELECT schema, name, type FROM pragma_table_list)
SELECT m.schema AS schema, m.type AS type, m.name AS name, m.tbl_name AS tbl_name, m.sql AS sql, l.type AS kind
FROM (
  ${master}
) m
LEFT JOIN l ON m.type = 'table' AND l.schema = m.schema COLLATE NOCASE AND l.name = m.name
WHERE m.type IN ('table', 'index', 'trigger')${request.onlyTable === undefined ? '' : ' AND m.tbl_name = ? COLLATE NOCASE'}
ORDER BY m.pos, m.ord`,
      request.onlyTable === undefined ? request.schemas : [...request.schemas, request.onlyTable],
    )
  ).rows as unknown as MasterRow[]

  const tables = objects.filter(
    (o) =>
      o.type === 'table' &&
      o.sql !== null &&
      (request.internal === true || (!/^sqlite_/i.test(o.name) && (o.kind ?? 'table') === 'table' && !isVirtual(o.sql))) &&
      request.keepTable(o.name, o.schema),
  )
  if (tables.length === 0) return []
  const kept = JSON.stringify(tables.map((o) => [o.schema, o.name]))
  const byTable = <T extends { t: number }>(rows: readonly T[]): T[][] => {
    const out = tables.map((): T[] => [])
    for (const row of rows) out[Number(row.t)]?.push(row)
    return out
  }
  const columns = byTable((await connection.query(COLUMNS_SQL, [kept])).rows as unknown as ColumnRow[])
  const indexes = byTable((await connection.query(INDEXES_SQL, [kept])).rows as unknown as IndexRow[])
  const foreignKeys = byTable((await connection.query(FOREIGN_KEYS_SQL, [kept])).rows as unknown as ForeignKeyRow[])

  const ownKey = (schema: string, table: string): string => `${schema}\0${asciiLower(table)}`
  const owned = new Map<string, MasterRow[]>()
  for (const o of objects) {
    if (o.type === 'table') continue
    const key = ownKey(o.schema, o.tbl_name)
    const list = owned.get(key)
    if (list) list.push(o)
    else owned.set(key, [o])
  }
  return tables.map((table, i) =>
    assembleTable(
      table,
      owned.get(ownKey(table.schema, table.name)) ?? [],
      columns[i]!,
      indexes[i]!,
      foreignKeys[i]!,
      request,
    ),
  )
}

function isVirtual(createSql: string): boolean {
  return /^\s*CREATE\s+VIRTUAL\b/i.test(createSql)
}

function assembleTable(
  table: MasterRow,
  objects: readonly MasterRow[],
  columnRows: readonly ColumnRow[],
  indexRows: readonly IndexRow[],
  fkRows: readonly ForeignKeyRow[],
  request: SqliteSchemaRequest,
): SqliteTableReading {
  const include = request.include ?? ((): boolean => true)
  const schema = request.visibleSchema(table.schema)
  const parent = compactSpec({ schema, tableName: table.name })
  const unsupported: string[] = []
  let parsed: ParsedCreateTable = emptyParse(table.name)
  if (isVirtual(table.sql!)) {
    unsupported.push('it is a virtual table')
  } else {
    try {
      parsed = parseSqliteCreateTable(table.sql!)
    } catch {
      unsupported.push('a definition this reader cannot parse')
    }
  }
  if (parsed.withoutRowid) unsupported.push('WITHOUT ROWID')
  if (parsed.strict) unsupported.push('STRICT')
  for (const clause of parsed.unkept) unsupported.push(clause)
  const parsedColumns = new Map(parsed.columns.map((c) => [asciiLower(c.name), c]))
  const parsedColumn = (name: string) => parsedColumns.get(asciiLower(name))
  const sameColumns = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((name, i) => sameName(name, b[i]!))

  // Columns
  const pkColumns = columnRows
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name)
  // The rowid alias (a lone INTEGER primary key) never holds NULL, whatever it declares.
  const rowidAlias = pkColumns.length === 1 && !parsed.withoutRowid ? columnRows.find((c) => c.pk === 1 && asciiUpper(c.type.trim()) === 'INTEGER')?.name : undefined
  const checks = [...parsed.checks]
  const columns: ColumnSpec[] = []
  for (const c of columnRows) {
    if (c.hidden !== 0 && c.hidden !== 2 && c.hidden !== 3) continue
    const extra = parsedColumn(c.name)
    // hidden: 2 a VIRTUAL generated column, 3 a STORED one; its expression as written in CREATE TABLE.
    const generated = c.hidden === 2 || c.hidden === 3
    if (generated && extra?.generated === undefined) unsupported.push(`generated column '${c.name}' (its expression could not be read)`)
    let type = sqliteColumnType(c.type)
    const enumCheck = checks.findIndex((check) => check.name === undefined && check.column !== undefined && sameName(check.column, c.name) && enumValues(check.expression, c.name, type) !== undefined)
    if (enumCheck !== -1) {
      type = { kind: 'enum', name: c.name, values: enumValues(checks[enumCheck]!.expression, c.name, type)! }
      checks.splice(enumCheck, 1)
    }
    if (!include(c.name, 'column', parent)) continue
    columns.push(
      compactSpec({
        name: c.name,
        type,
        nullable: c.notnull === 0 && c.name !== rowidAlias,
        serverDefault: c.dflt === null || generated ? undefined : parseSqliteDefault(c.dflt, type),
        autoincrement: extra?.autoincrement ? true : undefined,
        collation: extra?.collation,
        generated: generated && extra?.generated !== undefined ? { expression: sql.raw(extra.generated.expression), stored: c.hidden === 3 } : undefined,
      }),
    )
  }
  const primaryKey = pkColumns.length === 0 ? undefined : compactSpec({ name: parsed.primaryKey?.name, columns: pkColumns })

  // Unique constraints and indexes
  const groups = groupBy(indexRows, (r) => r.name)
  const uniques: UniqueSpec[] = []
  const namedUniques = [...parsed.uniques]
  for (const [, rows] of groups) {
    if (rows[0]!.origin !== 'u') continue
    const cols = rows.map((r) => r.column ?? '')
    const at = namedUniques.findIndex((u) => sameColumns(u.columns, cols))
    const name = at >= 0 ? namedUniques.splice(at, 1)[0]!.name : undefined
    if (include(name ?? '', 'unique_constraint', parent)) uniques.push(compactSpec({ name, columns: cols }))
  }
  const indexSpecs: IndexSpec[] = []
  const indexSql = new Map<string, string>()
  const ownCollation = (column: string): string => parsedColumn(column)?.collation ?? 'BINARY'
  for (const [name, rows] of groups) {
    if (rows[0]!.origin !== 'c') continue
    const text = objects.find((o) => o.type === 'index' && o.name === name)?.sql
    if (!text || !include(name, 'index', parent)) continue
    const parsedIndex = parseSqliteCreateIndex(text)
    const descending: string[] = []
    indexSpecs.push(
      compactSpec({
        name,
        columns: rows.map((row, i): string | SqlFragment => {
          const term = parsedIndex.terms[i]
          if (row.cid >= 0 && row.column !== null && (term === undefined || 'name' in term || sameName(row.coll ?? 'BINARY', ownCollation(row.column)))) {
            if (row.desc === 1) descending.push(row.column)
            return row.column
          }
          return sql.raw(term === undefined ? (row.column ?? '') : 'name' in term ? term.name : indexTermText(term.expression))
        }),
        unique: rows[0]!.unique === 1 ? true : undefined,
        where: parsedIndex.where === undefined ? undefined : sql.raw(parsedIndex.where),
        descending: descending.length === 0 ? undefined : descending,
      }),
    )
    indexSql.set(name, text)
  }
  const indexOrder = (ix: IndexSpec): number => objects.findIndex((o) => o.type === 'index' && o.name === ix.name)
  indexSpecs.sort((a, b) => indexOrder(a) - indexOrder(b))

  // Foreign keys
  const foreignKeys: ForeignKeySpec[] = []
  const parsedFks = [...parsed.foreignKeys]
  for (const [, rows] of groupBy(fkRows, (r) => String(r.id))) {
    const first = rows[0]!
    const cols = rows.map((r) => r.from)
    const at = parsedFks.findIndex((f) => sameName(f.referredTable, first.table) && sameColumns(f.columns, cols))
    const declared = at >= 0 ? parsedFks.splice(at, 1)[0] : undefined
    if (rows.some((r) => r.to === null)) {
      unsupported.push(`foreign key (${cols.join(', ')}) to '${first.table}', whose primary key is unknown (no such table)`)
    }
    const deferred = declared?.deferrable === true && declared.initially === 'DEFERRED'
    if (!include(declared?.name ?? '', 'foreign_key_constraint', parent)) continue
    foreignKeys.push(
      compactSpec({
        name: declared?.name,
        columns: cols,
        referredTable: first.table,
        referredSchema: schema,
        referredColumns: rows.map((r) => r.to ?? ''),
        onDelete: action(first.on_delete),
        onUpdate: action(first.on_update),
        match: first.match.toUpperCase() === 'NONE' ? undefined : (first.match.toUpperCase() as ForeignKeySpec['match']),
        deferrable: deferred ? true : undefined,
        initially: deferred ? ('DEFERRED' as const) : undefined,
      }),
    )
  }
  // pragma_foreign_key_list lists foreign keys last-declared first: restore the declared order.
  const declaredOrder = (fk: ForeignKeySpec): number =>
    parsed.foreignKeys.findIndex((f) => sameName(f.referredTable, fk.referredTable) && sameColumns(f.columns, fk.columns))
  foreignKeys.sort((a, b) => declaredOrder(a) - declaredOrder(b))

  const checkSpecs: CheckSpec[] = checks
    .filter((c) => include(c.name ?? '', 'check_constraint', parent))
    .map((c) => compactSpec({ name: c.name, expression: sql.raw(c.expression) }))

  const spec: TableSpec = compactSpec({
    name: table.name,
    schema,
    columns,
    primaryKey,
    uniques,
    foreignKeys,
    checks: checkSpecs,
    indexes: indexSpecs,
  })
  const triggers = objects.filter((o) => o.type === 'trigger' && o.sql !== null).map((o) => ({ name: o.name, sql: o.sql! }))
  return { schemaName: table.schema, spec, indexSql, triggers, unsupported }
}

function action(value: string): ReferentialAction | undefined {
  const upper = value.toUpperCase()
  return upper === 'NO ACTION' || upper === '' ? undefined : (upper as ReferentialAction)
}

/** An index term's text without a trailing ASC/DESC and enclosing parentheses. */
function indexTermText(expression: string): string {
  const tokens = tokenizeSqlite(expression)
  const last = tokens[tokens.length - 1]
  const text = last !== undefined && tokens.length > 1 && (isKeyword(last, 'ASC') || isKeyword(last, 'DESC')) ? expression.slice(0, last.start) : expression
  return stripOuterParens(text)
}

/**
 * The values of an enum CHECK as the SQLite compiler writes it, `"col" IN ('a', 'b')`, on a
 * `VARCHAR(n)` column whose `n` is the longest value's length; else undefined.
 */
function enumValues(expression: string, column: string, type: ColumnType): string[] | undefined {
  if (type.kind !== 'varchar' || type.length === undefined) return undefined
  const tokens = tokenizeSqlite(expression)
  const [name, keyword, open] = tokens
  if (name === undefined || (name.kind !== 'word' && name.kind !== 'name') || !sameName(name.value, column)) return undefined
  if (!isKeyword(keyword, 'IN') || open?.kind !== 'punct' || open.text !== '(') return undefined
  const values: string[] = []
  let i = 3
  for (;;) {
    const value = tokens[i]
    const next = tokens[i + 1]
    if (value?.kind !== 'string' || next?.kind !== 'punct') return undefined
    values.push(value.value)
    i += 2
    if (next.text === ')') break
    if (next.text !== ',') return undefined
  }
  if (i !== tokens.length) return undefined
  return Math.max(...values.map((v) => v.length)) === type.length ? values : undefined
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const k = key(row)
    const group = groups.get(k)
    if (group) group.push(row)
    else groups.set(k, [row])
  }
  return groups
}

function emptyParse(name: string): ParsedCreateTable {
  return { name, columns: [], uniques: [], checks: [], foreignKeys: [], withoutRowid: false, strict: false, unkept: [] }
}

// ---------------------------------------------------------------------------------------------
// Types and defaults

const SIMPLE_TYPES: Readonly<Record<string, ColumnType>> = {
  INTEGER: { kind: 'integer' },
  SMALLINT: { kind: 'smallint' },
  BIGINT: { kind: 'bigint' },
  BOOLEAN: { kind: 'boolean' },
  REAL: { kind: 'real' },
  DOUBLE: { kind: 'double' },
  TEXT: { kind: 'text' },
  DATE: { kind: 'date' },
  TIME: { kind: 'time' },
  TIMESTAMP: { kind: 'timestamp' },
  JSON: { kind: 'json' },
  BLOB: { kind: 'binary' },
  NUMERIC: { kind: 'numeric' },
  VARCHAR: { kind: 'varchar' },
  CHAR: { kind: 'char' },
}

/**
 * The column type a declared SQLite type stands for: the typed kind when the SQLite compiler writes
 * that text back (`INTEGER`, `VARCHAR(20)`, `NUMERIC(10, 2)`; case aside), else the text itself
 * (`sqlType`), so a rebuild never changes a column's declared type, hence its affinity or whether
 * it aliases the rowid.
 */
export function sqliteColumnType(declared: string): ColumnType {
  const upper = asciiUpper(declared.trim())
  if (Object.hasOwn(SIMPLE_TYPES, upper)) return SIMPLE_TYPES[upper]!
  const sized = /^(VARCHAR|CHAR)\((\d+)\)$/.exec(upper)
  if (sized) return { kind: sized[1] === 'VARCHAR' ? 'varchar' : 'char', length: Number(sized[2]) }
  const numeric = /^NUMERIC\((\d+)(?:, (\d+))?\)$/.exec(upper)
  if (numeric) return compactSpec({ kind: 'numeric' as const, precision: Number(numeric[1]), scale: numeric[2] === undefined ? undefined : Number(numeric[2]) })
  return { kind: 'custom', sql: declared.trim() }
}

/** A default as `pragma_table_xinfo.dflt_value` gives it (the text as written), for a column of `type`. */
export function parseSqliteDefault(text: string, type: ColumnType): DefaultValue | undefined {
  // `DEFAULT "dq"`, `DEFAULT [dq]`, `DEFAULT dq`: SQLite takes a name in a DEFAULT clause (there is
  // no column to name there) as a string literal, which written back in parentheses it would not.
  const written = text.trim()
  const name = /^(?:"((?:[^"]|"")*)"|\[([^\]]*)\]|`((?:[^`]|``)*)`|([A-Za-z_][A-Za-z0-9_$]*))$/.exec(written)
  if (name !== null && !/^(?:NULL|TRUE|FALSE|CURRENT_(?:TIME|DATE|TIMESTAMP))$/i.test(written)) {
    return name[1]?.replaceAll('""', '"') ?? name[2] ?? name[3]?.replaceAll('``', '`') ?? name[4]!
  }
  const inner = stripOuterParens(text)
  const upper = asciiUpper(inner)
  const boolean = type.kind === 'boolean'
  if (upper === 'NULL') return undefined
  if (upper === 'TRUE' || upper === 'FALSE') return boolean ? upper === 'TRUE' : upper === 'TRUE' ? 1 : 0
  if (NUMERIC_LITERAL.test(inner)) {
    if (boolean && (inner === '0' || inner === '1')) return inner === '1'
    return numberOf(inner)
  }
  if (inner.startsWith("'") && endOfQuoted(inner, 0, false) === inner.length - 1) return inner.slice(1, -1).replaceAll("''", "'")
  return sql.raw(inner)
}

// ---------------------------------------------------------------------------------------------
// What SQLite keeps of a spec

/** Literals and quoted names as `SqliteDialect` writes them. */
const SQLITE_TEXT = {
  quoteIdentifier: (name: string): string => `"${name.replaceAll('"', '""')}"`,
  literal: (value: unknown): string =>
    renderLiteral(value, { string: standardString, boolean: (flag) => (flag ? '1' : '0'), date: (date) => `'${utcTimestamp(date)}'`, bytes: (hex) => `X'${hex}'` }, 'SQLite'),
}

/**
 * `spec` as this introspector reports the table the SQLite compiler creates from it, for the
 * losses listed at the top of this file: no comments, index methods or identity options; uuid →
 * char(36), jsonb → json, no binary length, unsigned, time zone or time precision, numeric scale
 * without precision dropped; enums named after their column, without schema; autoincrement columns
 * INTEGER NOT NULL, the rowid alias NOT NULL; `sqlType` spellings the compiler writes as typed
 * kinds; defaults as they read back (booleans 1/0 off BOOLEAN columns, literal `sql` defaults as
 * values, no enclosing parentheses); foreign keys in the table's schema, without match, NO ACTION
 * or immediate DEFERRABLE forms; `sql` fragments with interpolated values as their SQLite text;
 * index expressions without enclosing parentheses, a bare column name as the column.
 */
export function canonicalSqliteTable(spec: TableSpec): TableSpec {
  // What is already as SQLite keeps it comes back as it is (the same objects): autogenerate
  // prepares every model table this way, most of them unchanged.
  const pk = spec.primaryKey
  const columnNamed = (name: string) => spec.columns.find((c) => sameName(c.name, name))
  return withChanges(spec, {
    comment: undefined,
    columns: mapChanged(spec.columns, (column) => {
      const type: ColumnType = column.autoincrement ? { kind: 'integer' } : canonicalType(column.type, column.name)
      const rowidAlias = pk !== undefined && pk.columns.length === 1 && pk.columns[0] === column.name && type.kind === 'integer'
      return withChanges(column, {
        type,
        nullable: column.nullable && !column.autoincrement && !rowidAlias,
        serverDefault: column.serverDefault === undefined ? undefined : canonicalDefault(column.serverDefault, type),
        identity: undefined,
        comment: undefined,
        invisible: undefined,
      })
    }),
    foreignKeys: mapChanged(spec.foreignKeys, (fk) => {
      const deferred = fk.deferrable === true && fk.initially === 'DEFERRED'
      return withChanges(fk, {
        referredSchema: spec.schema,
        onDelete: fk.onDelete === 'NO ACTION' ? undefined : fk.onDelete,
        onUpdate: fk.onUpdate === 'NO ACTION' ? undefined : fk.onUpdate,
        match: undefined,
        deferrable: deferred ? true : undefined,
        initially: deferred ? ('DEFERRED' as const) : undefined,
      })
    }),
    checks: mapChanged(spec.checks, (check) => withChanges(check, { expression: sqliteText(check.expression) })),
    // SQLite has no deferrable or NULLS NOT DISTINCT unique constraints (the compiler leaves them out).
    uniques: mapChanged(spec.uniques, (unique) => withChanges(unique, { deferrable: undefined, initially: undefined, nullsNotDistinct: undefined })),
    indexes: mapChanged(spec.indexes, (index) =>
      withChanges(index, {
        using: undefined,
        nullsNotDistinct: undefined,
        where: index.where === undefined ? undefined : sqliteText(index.where),
        columns: mapChanged(index.columns, (c): string | SqlFragment => {
          if (!(c instanceof SqlFragment)) return c
          const text = stripOuterParens(renderSqlFragment(c, SQLITE_TEXT))
          const tokens = tokenizeSqlite(text)
          const named = tokens[0] !== undefined && (tokens[0].kind === 'word' || tokens[0].kind === 'name') ? columnNamed(tokens[0].value) : undefined
          if (named !== undefined && tokens.length === 1) return named.name
          if (named !== undefined && tokens.length === 3 && isKeyword(tokens[1], 'COLLATE') && sameName(tokens[2]!.value, named.collation ?? 'BINARY')) return named.name
          return sameText(c, text)
        }),
      }),
    ),
  })
}

function canonicalType(type: ColumnType, column: string): ColumnType {
  const canonical = canonicalTypeCopy(type, column)
  // The type itself when nothing changed: `withChanges` then keeps the column as it is.
  return canonical === type || shallowEqual(canonical, type) ? type : canonical
}

function canonicalTypeCopy(type: ColumnType, column: string): ColumnType {
  switch (type.kind) {
    case 'integer':
    case 'smallint':
    case 'bigint':
      return { kind: type.kind }
    case 'time':
    case 'timestamp':
      return { kind: type.kind }
    case 'numeric':
      return type.precision === undefined ? { kind: 'numeric' } : type
    case 'json':
    case 'jsonb':
      return { kind: 'json' }
    case 'uuid':
      return { kind: 'char', length: 36 }
    case 'binary':
      return { kind: 'binary' }
    case 'enum':
      return { kind: 'enum', name: column, values: type.values }
    case 'custom':
      return sqliteColumnType(type.sql)
    default:
      return type
  }
}

function canonicalDefault(value: DefaultValue, type: ColumnType): DefaultValue | undefined {
  const read = parseSqliteDefault(value instanceof SqlFragment ? renderSqlFragment(value, SQLITE_TEXT) : SQLITE_TEXT.literal(value), type)
  return read instanceof SqlFragment && value instanceof SqlFragment ? sameText(value, read.strings[0]!) : read
}

/** The fragment as plain SQLite text, as the compiler writes it and the catalog gives it back (trimmed). */
function sqliteText(fragment: SqlFragment): SqlFragment {
  return sameText(fragment, renderSqlFragment(fragment, SQLITE_TEXT).trim())
}

/** `fragment` itself when it is the plain text `text`, else `text` as a new fragment. */
function sameText(fragment: SqlFragment, text: string): SqlFragment {
  return fragment.isPlainText && fragment.strings[0] === text ? fragment : sql.raw(text)
}
