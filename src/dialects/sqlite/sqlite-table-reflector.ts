/**
 * Reading one SQLite table back as a `TableSpec`, for the copy-and-move of `src/operations/batch.ts`:
 * a call of the whole-schema reading (`readSqliteSchema` in `sqlite-introspector.ts`, which
 * documents the normalisation) restricted to the table, internal and virtual tables included.
 * What a rebuild from the spec would lose is listed in `unsupported`.
 */
import type { TableSpec } from '../../schema/spec.js'
import { readSqliteSchema, type SqliteCatalogReader } from './sqlite-introspector.js'
import { sameName } from './sqlite-sql-parser.js'

export { sqliteColumnType, type SqliteCatalogReader } from './sqlite-introspector.js'

export interface ReflectedSqliteTable {
  readonly spec: TableSpec
  /** The `CREATE INDEX` text SQLite stores for each index of `spec.indexes`, by index name. */
  readonly indexSql: ReadonlyMap<string, string>
  /** The triggers on the table, as SQLite stores them (dropping the table drops them). */
  readonly triggers: readonly { readonly name: string; readonly sql: string }[]
  /** What the table has that `spec` cannot describe (WITHOUT ROWID, STRICT, …): a rebuild from `spec` would lose it. */
  readonly unsupported: readonly string[]
}

/** The schema's catalog table, quoted: `"aux".sqlite_master`. */
function master(schema: string | undefined, quote: (name: string) => string): string {
  return `${quote(schema ?? 'main')}.sqlite_master`
}

/**
 * Table `table` of `schema` (an attached database; default `main`), or undefined when there is no
 * such table. Names compare as SQLite compares them; the spec carries the names as declared, and
 * `schema` as given.
 */
export async function reflectSqliteTable(connection: SqliteCatalogReader, table: string, schema?: string): Promise<ReflectedSqliteTable | undefined> {
  const [reading] = await readSqliteSchema(connection, {
    schemas: [schema ?? 'main'],
    visibleSchema: () => schema,
    keepTable: (name) => sameName(name, table),
    internal: true,
    onlyTable: table,
  })
  if (reading === undefined) return undefined
  return {
    spec: reading.spec,
    indexSql: reading.indexSql,
    triggers: reading.triggers,
    unsupported: reading.unsupported,
  }
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
