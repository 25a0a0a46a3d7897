/**
 * The one instance of each dialect, and loading a dialect alone: a command connects with
 * `loadDialect`, which imports only that dialect's modules (in the bundle, only its code runs).
 * `getDialect` (index.ts) gives the same instances synchronously, all three imported (the tests
 * use it); `loadedDialect` gives one already loaded, to code working on what it produced
 * (autogenerate's comparison and rendering), which so loads no dialect of its own.
 */
import type { Dialect, DialectName } from './dialect.js'

export const dialectInstances = new Map<DialectName, Dialect>()

/** The dialect named `name`, its modules imported on first use. */
export async function loadDialect(name: DialectName): Promise<Dialect> {
  const loaded = dialectInstances.get(name)
  if (loaded !== undefined) return loaded
  let dialect: Dialect
  switch (name) {
    case 'postgresql':
      dialect = new (await import('./postgres/postgres-dialect.js')).PostgresDialect()
      break
    case 'mysql':
      dialect = new (await import('./mysql/mysql-dialect.js')).MysqlDialect()
      break
    case 'sqlite':
      dialect = new (await import('./sqlite/sqlite-dialect.js')).SqliteDialect()
      break
  }
  // Another caller may have made it meanwhile: there is one instance per name.
  const made = dialectInstances.get(name) ?? dialect
  dialectInstances.set(name, made)
  return made
}

/**
 * The dialect named `name`, loaded before (`loadDialect`, `getDialect`): autogenerate compares and
 * renders what a connection of that dialect read, so it is always loaded by then.
 * @throws Error when it is not (a bug, not a user's mistake)
 */
export function loadedDialect(name: DialectName): Dialect {
  const dialect = dialectInstances.get(name)
  if (dialect === undefined) throw new Error(`the ${name} dialect is used before it was loaded (loadDialect)`)
  return dialect
}
