/**
 * The dialects, all three. Loading this module loads no driver: each dialect imports its driver
 * inside `connect()`, so a project needs only the driver it uses. Commands load only the dialect
 * they connect to (`loadDialect`, registry.ts).
 */
import type { Dialect, DialectName } from './dialect.js'
import { MysqlDialect } from './mysql/mysql-dialect.js'
import { PostgresDialect } from './postgres/postgres-dialect.js'
import { SqliteDialect } from './sqlite/sqlite-dialect.js'
import { dialectInstances } from './registry.js'

export type { ConnectOptions, Connection, DatabaseUrl, Dialect, DialectName, QueryResult, VersionTableName } from './dialect.js'
export { QueryError } from './dialect-errors.js'
export { MysqlDialect, PostgresDialect, SqliteDialect }
export { loadDialect } from './registry.js'

const dialects: Record<DialectName, () => Dialect> = {
  postgresql: () => new PostgresDialect(),
  mysql: () => new MysqlDialect(),
  sqlite: () => new SqliteDialect(),
}

/** The dialect named `name` (one shared instance per name, the one `loadDialect` gives too). */
export function getDialect(name: DialectName): Dialect {
  let dialect = dialectInstances.get(name)
  if (dialect === undefined) {
    dialect = dialects[name]()
    dialectInstances.set(name, dialect)
  }
  return dialect
}
