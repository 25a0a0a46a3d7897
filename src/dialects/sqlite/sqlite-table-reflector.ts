/**
 * Reading one SQLite table back as a `TableSpec`: columns, keys, uniques, foreign keys and indexes
 * from the pragma table-valued functions, and from the `CREATE TABLE`/`CREATE INDEX` text in
 * `sqlite_master` what the pragmas do not carry (constraint names, CHECKs, collations,
 * AUTOINCREMENT, DEFERRABLE, index expressions and `WHERE`). One query per table. The copy-and-move
 * of `src/operations/batch.ts` uses it; so can autogenerate.
 */
import type { ColumnSpec, ForeignKeySpec, IndexSpec, ReferentialAction, TableSpec, UniqueSpec } from '../../schema/spec.js'
import { sql } from '../../schema/sql.js'
import type { ColumnType } from '../../schema/types.js'
import { compact } from '../../schema/util.js'
import type { Connection } from '../dialect.js'
import { parseSqliteCreateIndex, parseSqliteCreateTable, sameName, type ParsedCreateTable } from './sqlite-sql-parser.js'

export interface ReflectedSqliteTable {
  readonly spec: TableSpec
  /** The `CREATE INDEX` text SQLite stores for each index of `spec.indexes`, by index name. */
  readonly indexSql: ReadonlyMap<string, string>
  /** The triggers on the table, as SQLite stores them (dropping the table drops them). */
  readonly triggers: readonly { readonly name: string; readonly sql: string }[]
  /** What the table has that `spec` cannot describe (generated columns, WITHOUT ROWID, …): a rebuild from `spec` would lose it. */
  readonly unsupported: readonly string[]
}

/** What reflection needs of a connection. */
export type SqliteCatalogReader = Pick<Connection, 'query' | 'dialect'>

interface ColumnRow {
  cid: number
  name: string
  type: string
  notnull: number
  dflt: string | null
  pk: number
  hidden: number
}
interface IndexRow {
  name: string
  unique: number
  origin: string
  partial: number
  seqno: number
  cid: number
  column: string | null
}
interface ForeignKeyRow {
  id: number
  seq: number
  table: string
  from: string
  to: string | null
  onUpdate: string
  onDelete: string
  match: string
}
interface MasterRow {
  type: string
  name: string
  sql: string | null
}

/** The schema's catalog table, quoted: `"aux".sqlite_master`. */
function master(schema: string | undefined, quote: (name: string) => string): string {
  return `${quote(schema ?? 'main')}.sqlite_master`
}

/**
 * Table `table` of `schema` (an attached database; default `main`), or undefined when there is no
 * such table. Names compare as SQLite compares them; the spec carries the names as declared.
 */
export async function reflectSqliteTable(connection: SqliteCatalogReader, table: string, schema?: string): Promise<ReflectedSqliteTable | undefined> {
  const q = (name: string): string => connection.dialect.quoteIdentifier(name)
  const result = await connection.query(
    `WITH args(t, s) AS (SELECT ?, ?)
SELECT
  (SELECT json_group_array(json_object('type', type, 'name', name, 'sql', sql)) FROM ${master(schema, q)} WHERE tbl_name = (SELECT t FROM args) COLLATE NOCASE) AS master,
  (SELECT json_group_array(json_object('cid', c.cid, 'name', c.name, 'type', c.type, 'notnull', c."notnull", 'dflt', c.dflt_value, 'pk', c.pk, 'hidden', c.hidden))
     FROM args, pragma_table_xinfo(args.t, args.s) c) AS columns,
  (SELECT json_group_array(json_object('name', il.name, 'unique', il."unique", 'origin', il.origin, 'partial', il.partial, 'seqno', ii.seqno, 'cid', ii.cid, 'column', ii.name))
     FROM args, pragma_index_list(args.t, args.s) il, pragma_index_xinfo(il.name, args.s) ii WHERE ii.key = 1) AS indexes,
  (SELECT json_group_array(json_object('id', f.id, 'seq', f.seq, 'table', f."table", 'from', f."from",
       'to', coalesce(f."to", (SELECT p.name FROM pragma_table_info(f."table", args.s) p WHERE p.pk = f.seq + 1)),
       'onUpdate', f.on_update, 'onDelete', f.on_delete, 'match', f.match))
     FROM args, pragma_foreign_key_list(args.t, args.s) f) AS foreign_keys`,
    [table, schema ?? 'main'],
  )
  const row = result.rows[0] ?? {}
  const parse = <T>(key: string): T[] => JSON.parse(String(row[key] ?? '[]')) as T[]
  const objects = parse<MasterRow>('master')
  const tableRow = objects.find((o) => o.type === 'table' && sameName(o.name, table))
  if (tableRow === undefined || tableRow.sql === null) return undefined
  const columns = parse<ColumnRow>('columns').sort((a, b) => a.cid - b.cid)
  const indexRows = parse<IndexRow>('indexes').sort((a, b) => a.name.localeCompare(b.name) || a.seqno - b.seqno)
  const fkRows = parse<ForeignKeyRow>('foreign_keys').sort((a, b) => a.id - b.id || a.seq - b.seq)

  const unsupported: string[] = []
  if (/^\s*CREATE\s+VIRTUAL\b/i.test(tableRow.sql)) unsupported.push('it is a virtual table')
  const parsed: ParsedCreateTable = unsupported.length > 0 ? emptyParse(tableRow.name) : parseSqliteCreateTable(tableRow.sql)
  if (parsed.withoutRowid) unsupported.push('WITHOUT ROWID')
  if (parsed.strict) unsupported.push('STRICT')
  for (const clause of parsed.unkept) unsupported.push(clause)
  const parsedColumn = (name: string) => parsed.columns.find((c) => sameName(c.name, name))

  const pkColumns = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name)
  // The rowid alias (a lone INTEGER primary key) never holds NULL, whatever it declares.
  const rowidAlias = pkColumns.length === 1 && !parsed.withoutRowid ? columns.find((c) => c.pk === 1 && c.type.trim().toUpperCase() === 'INTEGER')?.name : undefined

  const columnSpecs: ColumnSpec[] = []
  for (const c of columns) {
    if (c.hidden === 2 || c.hidden === 3) {
      unsupported.push(`generated column '${c.name}'`)
      continue
    }
    if (c.hidden !== 0) continue
    const extra = parsedColumn(c.name)
    columnSpecs.push(
      compact({
        name: c.name,
        type: sqliteColumnType(c.type),
        nullable: c.notnull === 0 && c.name !== rowidAlias,
        serverDefault: c.dflt === null ? undefined : sql.raw(c.dflt),
        autoincrement: extra?.autoincrement ? true : undefined,
        collation: extra?.collation,
      }),
    )
  }

  const primaryKey = pkColumns.length === 0 ? undefined : compact({ name: parsed.primaryKey?.name, columns: pkColumns })

  const sameColumns = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((name, i) => sameName(name, b[i]!))

  const indexes = groupBy(indexRows, (r) => r.name)
  const uniques: UniqueSpec[] = []
  const namedUniques = [...parsed.uniques]
  for (const [, rows] of indexes) {
    if (rows[0]!.origin !== 'u') continue
    const cols = rows.map((r) => r.column ?? '')
    const at = namedUniques.findIndex((u) => sameColumns(u.columns, cols))
    const name = at >= 0 ? namedUniques.splice(at, 1)[0]!.name : undefined
    uniques.push(compact({ name, columns: cols }))
  }

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
    foreignKeys.push(
      compact({
        name: declared?.name,
        columns: cols,
        referredTable: first.table,
        referredColumns: rows.map((r) => r.to ?? ''),
        onDelete: action(first.onDelete),
        onUpdate: action(first.onUpdate),
        match: first.match === 'NONE' ? undefined : (first.match.toUpperCase() as ForeignKeySpec['match']),
        deferrable: declared?.deferrable,
        initially: declared?.initially,
      }),
    )
  }
  // pragma_foreign_key_list lists foreign keys last-declared first: restore the declared order.
  const declaredOrder = (fk: ForeignKeySpec): number =>
    parsed.foreignKeys.findIndex((f) => sameName(f.referredTable, fk.referredTable) && sameColumns(f.columns, fk.columns))
  foreignKeys.sort((a, b) => declaredOrder(a) - declaredOrder(b))

  const indexSpecs: IndexSpec[] = []
  const indexSql = new Map<string, string>()
  for (const [name, rows] of indexes) {
    if (rows[0]!.origin !== 'c') continue
    const text = objects.find((o) => o.type === 'index' && o.name === name)?.sql
    if (!text) continue
    const parsedIndex = parseSqliteCreateIndex(text)
    indexSpecs.push(
      compact({
        name,
        columns: parsedIndex.terms.map((term) => ('name' in term ? term.name : sql.raw(term.expression))),
        unique: rows[0]!.unique === 1 ? true : undefined,
        where: parsedIndex.where === undefined ? undefined : sql.raw(parsedIndex.where),
      }),
    )
    indexSql.set(name, text)
  }
  const indexOrder = (ix: IndexSpec): number => objects.findIndex((o) => o.type === 'index' && o.name === ix.name)
  indexSpecs.sort((a, b) => indexOrder(a) - indexOrder(b))

  const spec: TableSpec = compact({
    name: tableRow.name,
    schema,
    columns: columnSpecs,
    primaryKey,
    uniques,
    foreignKeys,
    checks: parsed.checks.map((c) => compact({ name: c.name, expression: sql.raw(c.expression) })),
    indexes: indexSpecs,
  })
  const triggers = objects.filter((o) => o.type === 'trigger' && o.sql !== null).map((o) => ({ name: o.name, sql: o.sql! }))
  return { spec, indexSql, triggers, unsupported }
}

/** Tables other than `table` whose foreign keys refer to it, by declared name. */
export async function sqliteTablesReferencing(connection: SqliteCatalogReader, table: string, schema?: string): Promise<string[]> {
  const result = await connection.query(
    `SELECT DISTINCT m.name AS name FROM ${master(schema, (n) => connection.dialect.quoteIdentifier(n))} m, pragma_foreign_key_list(m.name, ?) f
     WHERE m.type = 'table' AND f."table" = ? COLLATE NOCASE AND m.name <> ? COLLATE NOCASE ORDER BY m.name`,
    [schema ?? 'main', table, table],
  )
  return result.rows.map((r) => String(r['name']))
}

function action(value: string): ReferentialAction | undefined {
  const upper = value.toUpperCase()
  return upper === 'NO ACTION' || upper === '' ? undefined : (upper as ReferentialAction)
}

/**
 * The column type a declared SQLite type stands for: the typed kind when the SQLite compiler writes
 * that text back (`INTEGER`, `VARCHAR(20)`, `NUMERIC(10, 2)`; case aside), else the text itself
 * (`sqlType`), so a rebuild never changes a column's declared type, hence its affinity or whether
 * it aliases the rowid.
 */
export function sqliteColumnType(declared: string): ColumnType {
  const upper = declared.trim().toUpperCase()
  const simple: Record<string, ColumnType> = {
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
  if (Object.hasOwn(simple, upper)) return simple[upper]!
  const sized = /^(VARCHAR|CHAR)\((\d+)\)$/.exec(upper)
  if (sized) return { kind: sized[1] === 'VARCHAR' ? 'varchar' : 'char', length: Number(sized[2]) }
  const numeric = /^NUMERIC\((\d+)(?:, (\d+))?\)$/.exec(upper)
  if (numeric) return compact({ kind: 'numeric' as const, precision: Number(numeric[1]), scale: numeric[2] === undefined ? undefined : Number(numeric[2]) })
  return { kind: 'custom', sql: declared.trim() }
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
