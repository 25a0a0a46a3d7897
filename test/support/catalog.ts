/**
 * Catalog readers for the operations tests (test/integration/operations-*.test.ts): what a table
 * looks like in the database, read back from information_schema / pg_catalog / SQLite pragmas,
 * as plain data that compares equal when the schema is the same. Also opens `Operations` on a live
 * connection (or an offline script) the way the runner does, without the CLI.
 */
import { parseDatabaseUrl } from '../../src/config/database-url.js'
import type { Connection } from '../../src/dialects/dialect.js'
import { getDialect } from '../../src/dialects/index.js'
import { Operations, type OperationsOptions } from '../../src/operations/operations.js'
import { OfflineExecutor, OnlineExecutor } from '../../src/runtime/executor.js'
import type { TestDialect } from './databases.js'

export type Row = Record<string, unknown>

export interface LiveOperations {
  readonly op: Operations
  readonly connection: Connection
  readonly executor: OnlineExecutor
  /** Runs a statement on the same connection. */
  query(sql: string, params?: readonly unknown[]): Promise<Row[]>
  close(): Promise<void>
}

/** A real `Operations` on a new connection to `url`, outside any transaction unless told. */
export async function openOperations(url: string, options: OperationsOptions = {}): Promise<LiveOperations> {
  const parsed = parseDatabaseUrl(url)
  const connection = await getDialect(parsed.dialect).connect(parsed)
  const executor = new OnlineExecutor(connection)
  return {
    op: new Operations(executor, options),
    connection,
    executor,
    query: async (sql, params) => (await connection.query(sql, params)).rows,
    close: () => connection.close(),
  }
}

/** The `--sql` script `body` writes, through an `OfflineExecutor` as `upgrade --sql` does. */
export async function offlineScript(dialect: TestDialect, body: (op: Operations) => Promise<void>, options: OperationsOptions = {}): Promise<string> {
  let script = ''
  const executor = new OfflineExecutor(getDialect(dialect), (text) => (script += text))
  await body(new Operations(executor, options))
  return script
}

/** The statements of an offline script (each ends with `;` and a blank line), comments left out. */
export function scriptStatements(script: string): string[] {
  return script
    .split(/;\n\n/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !/^--[^\n]*$/.test(s))
    .map((s) => s.replace(/^(--[^\n]*\n\n?)+/, ''))
}

type Query = (sql: string, params?: readonly unknown[]) => Promise<Row[]>

export interface ColumnInfo {
  readonly name: string
  /** As the database spells it: `character varying(20)`, `varchar(20)`, `VARCHAR(20)`. */
  readonly type: string
  readonly nullable: boolean
  /** The default expression as the database shows it, or null. */
  readonly default: string | null
  readonly comment: string | null
  /** Identity / AUTO_INCREMENT / AUTOINCREMENT. */
  readonly autoincrement: boolean
}

export interface ForeignKeyInfo {
  readonly name: string | null
  readonly columns: readonly string[]
  readonly referredTable: string
  readonly referredColumns: readonly string[]
  readonly onDelete: string
  readonly onUpdate: string
}

export interface IndexInfo {
  readonly name: string
  readonly unique: boolean
  /** Column names; expressions as text (`lower(email)`, or `<expr>` where the catalog does not say). */
  readonly columns: readonly string[]
  /** The partial-index condition, or null. */
  readonly where: string | null
  /** Index method (`btree`, `gin`, `BTREE`, `HASH`), where the database tells. */
  readonly method: string | null
}

export interface TableInfo {
  readonly name: string
  readonly columns: readonly ColumnInfo[]
  /** Primary key columns in key order (empty: none); `primaryKeyName` where the database keeps one. */
  readonly primaryKey: readonly string[]
  readonly primaryKeyName: string | null
  /** Unique constraints (not unique indexes), by name: columns. */
  readonly uniques: Readonly<Record<string, readonly string[]>>
  readonly foreignKeys: readonly ForeignKeyInfo[]
  /** Check constraint names (sorted), with their text where the database keeps it. */
  readonly checks: Readonly<Record<string, string>>
  /** Indexes that are not the primary key or a unique constraint, by name. */
  readonly indexes: Readonly<Record<string, IndexInfo>>
  readonly comment: string | null
}

export interface Catalog {
  /** Tables by name (the version table and SQLite's own tables left out). */
  readonly tables: Readonly<Record<string, TableInfo>>
  /** PostgreSQL enum types by name: their values in order. Empty elsewhere. */
  readonly enums: Readonly<Record<string, readonly string[]>>
}

/** The whole current schema (PostgreSQL `current_schema()`, MySQL `DATABASE()`, SQLite `main`). */
export async function readCatalog(dialect: TestDialect, query: Query): Promise<Catalog> {
  const names = await tableNames(dialect, query)
  const tables: Record<string, TableInfo> = {}
  for (const name of names) tables[name] = await readTable(dialect, query, name)
  return { tables, enums: dialect === 'postgresql' ? await readEnums(query) : {} }
}

export async function tableNames(dialect: TestDialect, query: Query): Promise<string[]> {
  let rows: Row[]
  if (dialect === 'postgresql') {
    rows = await query("SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')")
  } else if (dialect === 'mysql') {
    rows = await query("SELECT TABLE_NAME AS name FROM information_schema.tables WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")
  } else {
    rows = await query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
  }
  return rows.map((r) => String(r['name'])).filter((n) => n !== 'migrator_version').sort()
}

export async function tableExists(dialect: TestDialect, query: Query, name: string): Promise<boolean> {
  return (await tableNames(dialect, query)).includes(name)
}

/** PostgreSQL enum types of the current schema. */
export async function readEnums(query: Query): Promise<Record<string, string[]>> {
  const rows = await query(
    `SELECT t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = current_schema() GROUP BY t.typname ORDER BY t.typname`,
  )
  return Object.fromEntries(rows.map((r) => [String(r['name']), r['labels'] as string[]]))
}

export function readTable(dialect: TestDialect, query: Query, name: string): Promise<TableInfo> {
  switch (dialect) {
    case 'postgresql':
      return readPostgresTable(query, name)
    case 'mysql':
      return readMysqlTable(query, name)
    case 'sqlite':
      return readSqliteTable(query, name)
  }
}

function sortedRecord<T>(entries: [string, T][]): Record<string, T> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

async function readPostgresTable(query: Query, name: string): Promise<TableInfo> {
  const oidRows = await query(
    'SELECT c.oid::int AS oid, obj_description(c.oid, \'pg_class\') AS comment FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1',
    [name],
  )
  if (oidRows.length === 0) throw new Error(`no table ${name}`)
  const oid = Number(oidRows[0]!['oid'])
  const columns = (
    await query(
      `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
              pg_get_expr(d.adbin, d.adrelid) AS "default", col_description(a.attrelid, a.attnum) AS comment, a.attidentity AS identity
         FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
      [oid],
    )
  ).map(
    (r): ColumnInfo => ({
      name: String(r['name']),
      type: String(r['type']),
      nullable: r['nullable'] === true,
      default: (r['default'] as string | null) ?? null,
      comment: (r['comment'] as string | null) ?? null,
      autoincrement: r['identity'] !== '' && r['identity'] !== null,
    }),
  )
  const attnames = new Map<number, string>(
    (await query('SELECT attnum, attname FROM pg_attribute WHERE attrelid = $1 AND attnum > 0', [oid])).map((r) => [Number(r['attnum']), String(r['attname'])]),
  )
  const columnNames = (nums: unknown): string[] => (nums as number[]).map((n) => attnames.get(Number(n)) ?? `#${n}`)
  const constraints = await query(
    `SELECT c.conname AS name, c.contype AS type, c.conkey AS key, c.confkey AS fkey, r.relname AS referred,
            c.confdeltype AS ondelete, c.confupdtype AS onupdate, pg_get_constraintdef(c.oid) AS definition, c.conindid::int AS index
       FROM pg_constraint c LEFT JOIN pg_class r ON r.oid = c.confrelid WHERE c.conrelid = $1`,
    [oid],
  )
  const action = (code: unknown): string => ({ a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' })[String(code)] ?? String(code)
  const pk = constraints.find((c) => c['type'] === 'p')
  const referredColumns = async (table: string, nums: unknown): Promise<string[]> => {
    const rows = await query(
      'SELECT attnum, attname FROM pg_attribute WHERE attrelid = (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relname = $1) AND attnum > 0',
      [table],
    )
    const map = new Map(rows.map((r) => [Number(r['attnum']), String(r['attname'])]))
    return (nums as number[]).map((n) => map.get(Number(n)) ?? `#${n}`)
  }
  const foreignKeys: ForeignKeyInfo[] = []
  for (const c of constraints.filter((c) => c['type'] === 'f')) {
    foreignKeys.push({
      name: String(c['name']),
      columns: columnNames(c['key']),
      referredTable: String(c['referred']),
      referredColumns: await referredColumns(String(c['referred']), c['fkey']),
      onDelete: action(c['ondelete']),
      onUpdate: action(c['onupdate']),
    })
  }
  const constraintIndexes = new Set(constraints.map((c) => Number(c['index'])).filter((n) => n > 0))
  const indexRows = await query(
    `SELECT i.indexrelid::int AS oid, ic.relname AS name, i.indisunique AS "unique", i.indkey::int2[] AS key, am.amname AS method,
            pg_get_expr(i.indpred, i.indrelid) AS "where", pg_get_indexdef(i.indexrelid) AS definition, i.indnkeyatts AS nkeys
       FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam WHERE i.indrelid = $1`,
    [oid],
  )
  const indexes: [string, IndexInfo][] = []
  for (const r of indexRows) {
    if (constraintIndexes.has(Number(r['oid']))) continue
    const key = (r['key'] as number[]).slice(0, Number(r['nkeys']))
    let expressions: string[] = []
    if (key.some((k) => Number(k) === 0)) {
      const rows = await query('SELECT pg_get_indexdef($1, n, true) AS col FROM generate_series(1, $2::int) n', [Number(r['oid']), key.length])
      expressions = rows.map((x) => String(x['col']))
    }
    indexes.push([
      String(r['name']),
      {
        name: String(r['name']),
        unique: r['unique'] === true,
        columns: key.map((k, i) => (Number(k) === 0 ? expressions[i]! : attnames.get(Number(k))!)),
        where: (r['where'] as string | null) ?? null,
        method: String(r['method']),
      },
    ])
  }
  return {
    name,
    columns,
    primaryKey: pk ? columnNames(pk['key']) : [],
    primaryKeyName: pk ? String(pk['name']) : null,
    uniques: sortedRecord(constraints.filter((c) => c['type'] === 'u').map((c) => [String(c['name']), columnNames(c['key'])])),
    foreignKeys: foreignKeys.sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1)),
    checks: sortedRecord(constraints.filter((c) => c['type'] === 'c').map((c) => [String(c['name']), String(c['definition'])])),
    indexes: sortedRecord(indexes),
    comment: (oidRows[0]!['comment'] as string | null) ?? null,
  }
}

// ---------------------------------------------------------------------------------------------
// MySQL / MariaDB

async function readMysqlTable(query: Query, name: string): Promise<TableInfo> {
  const tableRows = await query('SELECT TABLE_COMMENT AS comment FROM information_schema.tables WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [name])
  if (tableRows.length === 0) throw new Error(`no table ${name}`)
  const columns = (
    await query(
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, COLUMN_COMMENT AS comment, EXTRA AS extra
         FROM information_schema.columns WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
      [name],
    )
  ).map(
    (r): ColumnInfo => ({
      name: String(r['name']),
      type: String(r['type']),
      nullable: r['nullable'] === 'YES',
      // MariaDB writes a NULL default as the text NULL.
      default: r['dflt'] === null || r['dflt'] === 'NULL' ? null : String(r['dflt']),
      comment: r['comment'] === '' || r['comment'] === null ? null : String(r['comment']),
      autoincrement: /auto_increment/i.test(String(r['extra'])),
    }),
  )
  const keyColumns = await query(
    `SELECT k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.REFERENCED_TABLE_NAME AS referred, k.REFERENCED_COLUMN_NAME AS referredCol
       FROM information_schema.key_column_usage k WHERE k.TABLE_SCHEMA = DATABASE() AND k.TABLE_NAME = ? ORDER BY k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [name],
  )
  const constraints = await query(
    'SELECT CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS type FROM information_schema.table_constraints WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [name],
  )
  const columnsOf = (constraint: string): string[] => keyColumns.filter((k) => k['name'] === constraint).map((k) => String(k['col']))
  const rules = await query(
    'SELECT CONSTRAINT_NAME AS name, UPDATE_RULE AS onupdate, DELETE_RULE AS ondelete FROM information_schema.referential_constraints WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [name],
  )
  const checkRows = await query('SELECT CONSTRAINT_NAME AS name, CHECK_CLAUSE AS clause FROM information_schema.check_constraints WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ?', [name])
  const foreignKeys = constraints
    .filter((c) => c['type'] === 'FOREIGN KEY')
    .map((c): ForeignKeyInfo => {
      const fkName = String(c['name'])
      const keys = keyColumns.filter((k) => k['name'] === fkName)
      const rule = rules.find((r) => r['name'] === fkName)
      return {
        name: fkName,
        columns: keys.map((k) => String(k['col'])),
        referredTable: String(keys[0]?.['referred']),
        referredColumns: keys.map((k) => String(k['referredCol'])),
        onDelete: String(rule?.['ondelete']),
        onUpdate: String(rule?.['onupdate']),
      }
    })
    .sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1))
  const uniqueNames = new Set(constraints.filter((c) => c['type'] === 'UNIQUE').map((c) => String(c['name'])))
  const stats = await query(
    `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonunique, COLUMN_NAME AS col, INDEX_TYPE AS method, SEQ_IN_INDEX AS seq
       FROM information_schema.statistics WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [name],
  )
  const indexes = new Map<string, IndexInfo>()
  for (const s of stats) {
    const indexName = String(s['name'])
    if (indexName === 'PRIMARY' || uniqueNames.has(indexName)) continue
    const previous = indexes.get(indexName)
    const column = s['col'] === null ? '<expr>' : String(s['col'])
    indexes.set(indexName, {
      name: indexName,
      unique: Number(s['nonunique']) === 0,
      columns: [...(previous?.columns ?? []), column],
      where: null,
      method: String(s['method']),
    })
  }
  // MySQL's implicit index for a foreign key is an artefact, named after the constraint: leave it out.
  for (const fk of foreignKeys) {
    const ix = indexes.get(fk.name!)
    if (ix && !ix.unique && ix.columns.join() === fk.columns.join()) indexes.delete(fk.name!)
  }
  const comment = String(tableRows[0]!['comment'] ?? '')
  return {
    name,
    columns,
    primaryKey: constraints.some((c) => c['type'] === 'PRIMARY KEY') ? columnsOf('PRIMARY') : [],
    primaryKeyName: null,
    uniques: sortedRecord([...uniqueNames].map((n) => [n, columnsOf(n)])),
    foreignKeys,
    checks: sortedRecord(
      checkRows
        // MariaDB lists a column-level CHECK under the column's name; enum CHECKs do not exist here.
        .map((r) => [String(r['name']), String(r['clause'])]),
    ),
    indexes: sortedRecord([...indexes.entries()]),
    comment: comment === '' ? null : comment,
  }
}

// ---------------------------------------------------------------------------------------------
// SQLite

async function readSqliteTable(query: Query, name: string): Promise<TableInfo> {
  const master = await query("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [name])
  if (master.length === 0) throw new Error(`no table ${name}`)
  const sql = String(master[0]!['sql'])
  const info = await query('SELECT name, type, "notnull" AS nn, dflt_value AS dflt, pk FROM pragma_table_info(?) ORDER BY cid', [name])
  const autoincrement = /\bAUTOINCREMENT\b/i.test(sql)
  const columns = info.map(
    (r): ColumnInfo => ({
      name: String(r['name']),
      type: String(r['type']),
      nullable: Number(r["nn"]) === 0,
      default: r['dflt'] === null ? null : String(r['dflt']),
      comment: null,
      autoincrement: autoincrement && Number(r['pk']) === 1 && String(r['type']).toUpperCase() === 'INTEGER',
    }),
  )
  const primaryKey = info
    .filter((r) => Number(r['pk']) > 0)
    .sort((a, b) => Number(a['pk']) - Number(b['pk']))
    .map((r) => String(r['name']))
  const fkRows = await query('SELECT id, seq, "table" AS referred, "from" AS col, "to" AS referredCol, on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq', [name])
  const byId = new Map<number, Row[]>()
  for (const r of fkRows) byId.set(Number(r['id']), [...(byId.get(Number(r['id'])) ?? []), r])
  const foreignKeys = [...byId.values()]
    .map(
      (rows): ForeignKeyInfo => ({
        // SQLite keeps no foreign key names in its catalog.
        name: null,
        columns: rows.map((r) => String(r['col'])),
        referredTable: String(rows[0]!['referred']),
        referredColumns: rows.map((r) => String(r['referredCol'])),
        onDelete: String(rows[0]!['on_delete']),
        onUpdate: String(rows[0]!['on_update']),
      }),
    )
    .sort((a, b) => (a.columns.join() < b.columns.join() ? -1 : 1))
  const indexList = await query('SELECT name, "unique" AS isunique, origin, partial FROM pragma_index_list(?)', [name])
  const uniques: [string, string[]][] = []
  const indexes: [string, IndexInfo][] = []
  const uniqueNames = [...sql.matchAll(/CONSTRAINT\s+("(?:[^"]|"")*"|\S+)\s+UNIQUE\s*\(([^)]*)\)/gi)].map((m) => ({ name: unquote(m[1]!), columns: m[2]! }))
  for (const ix of indexList) {
    const indexName = String(ix['name'])
    const cols = (await query('SELECT name FROM pragma_index_info(?) ORDER BY seqno', [indexName])).map((r) => (r['name'] === null ? '<expr>' : String(r['name'])))
    if (ix['origin'] === 'pk') continue
    if (ix['origin'] === 'u') {
      const declared = uniqueNames.find((u) => u.columns.split(',').map((c) => unquote(c.trim())).join() === cols.join())
      uniques.push([declared?.name ?? `(unnamed ${cols.join(',')})`, cols])
      continue
    }
    const definition = String((await query("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", [indexName]))[0]?.['sql'] ?? '')
    const where = /\)\s+WHERE\s+([\s\S]*)$/i.exec(definition)
    indexes.push([indexName, { name: indexName, unique: Number(ix['isunique']) === 1, columns: cols, where: where ? where[1]!.trim() : null, method: null }])
  }
  const checks = [...sql.matchAll(/CONSTRAINT\s+("(?:[^"]|"")*"|\S+)\s+CHECK\s*\(/gi)].map((m): [string, string] => [unquote(m[1]!), 'CHECK'])
  return {
    name,
    columns,
    primaryKey,
    primaryKeyName: null,
    uniques: sortedRecord(uniques),
    foreignKeys,
    checks: sortedRecord(checks),
    indexes: sortedRecord(indexes),
    comment: null,
  }
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name
}

/** One column of a table, or an error naming the columns there are. */
export function column(table: TableInfo, name: string): ColumnInfo {
  const found = table.columns.find((c) => c.name === name)
  if (!found) throw new Error(`table ${table.name} has no column ${name}; it has ${table.columns.map((c) => c.name).join(', ')}`)
  return found
}
