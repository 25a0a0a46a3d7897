/**
 * The dialects. Loading this module loads no driver: each dialect imports its driver inside
 * `connect()`, so `--help` stays fast and a project needs only the driver it uses.
 */
import type { Dialect, DialectName } from './dialect.js'
import { MysqlDialect } from './mysql/mysql-dialect.js'
import { PostgresDialect } from './postgres/postgres-dialect.js'
import { SqliteDialect } from './sqlite/sqlite-dialect.js'

export type { ConnectOptions, Connection, DatabaseUrl, Dialect, DialectName, QueryResult, VersionTableName } from './dialect.js'
export { QueryError } from './dialect-errors.js'
export { MysqlDialect, PostgresDialect, SqliteDialect }

const dialects: Record<DialectName, () => Dialect> = {
  postgresql: () => new PostgresDialect(),
  mysql: () => new MysqlDialect(),
  sqlite: () => new SqliteDialect(),
}

const instances = new Map<DialectName, Dialect>()

/** The dialect named `name` (one shared instance per name). */
export function getDialect(name: DialectName): Dialect {
  let dialect = instances.get(name)
  if (dialect === undefined) {
    dialect = dialects[name]()
    instances.set(name, dialect)
  }
  return dialect
}
