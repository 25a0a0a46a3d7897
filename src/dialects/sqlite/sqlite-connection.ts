import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import type { DatabaseError } from '../../errors.js'
import type { Connection, DatabaseUrl, Dialect, QueryResult } from '../dialect.js'
import { connectError, driverMessage, errorCode, queryError, type ConnectFailure, type QueryError } from '../dialect-errors.js'
import { utcTimestamp } from '../literals.js'

/** How long a writer waits for another process's write lock before failing (SQLite busy timeout). */
export const DEFAULT_BUSY_TIMEOUT_SECONDS = 60

/**
 * Open a better-sqlite3 database. A relative filename is resolved against `process.cwd()`; an empty
 * one or `:memory:` is an in-memory database; a missing file is created. Query parameters used:
 * `timeout` (seconds a writer waits for another process's lock, default 60), `mode` (`ro`: read
 * only, `rw`: the file must exist). Each connection turns `PRAGMA foreign_keys` on.
 * better-sqlite3 is synchronous: a statement that waits for a lock blocks the event loop meanwhile,
 * which a CLI can afford.
 */
export async function connectSqlite(dialect: Dialect, url: DatabaseUrl): Promise<Connection> {
  const name = url.filename === undefined || url.filename === '' ? ':memory:' : url.filename
  const filename = name === ':memory:' ? name : resolve(process.cwd(), name)
  const timeout = Number(url.query['timeout'])
  const busySeconds = timeout >= 0 ? timeout : DEFAULT_BUSY_TIMEOUT_SECONDS
  const mode = url.query['mode']
  // CommonJS: loaded with require (without the ES module wrapper and export scan of import()).
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3
  let db: BetterSqlite3.Database | undefined
  try {
    db = new Database(filename, {
      timeout: Math.round(busySeconds * 1000),
      readonly: mode === 'ro',
      fileMustExist: mode === 'ro' || mode === 'rw',
    })
    db.pragma('foreign_keys = ON')
    // Reads the file header now, so a file that is not a database fails here rather than later.
    db.pragma('schema_version')
  } catch (error) {
    db?.close()
    throw sqliteOpenError(error, filename, url)
  }
  return new SqliteConnection(dialect, db)
}

function sqliteOpenError(error: unknown, filename: string, url: DatabaseUrl): DatabaseError {
  const code = errorCode(error)
  let failure: ConnectFailure = 'other'
  let detail = driverMessage(error)
  if (/directory does not exist/i.test(detail)) {
    failure = 'unusable_file'
    detail = 'the directory does not exist'
  } else if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    failure = 'unusable_file'
  }
  return connectError(failure, `cannot open SQLite database ${filename}`, url, error, { detail })
}

/** Binds what better-sqlite3 refuses: booleans as 1/0, Dates as UTC text, undefined as NULL. */
function toParameter(value: unknown): unknown {
  if (value === undefined) return null
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value instanceof Date) return utcTimestamp(value)
  return value
}

export class SqliteConnection implements Connection {
  constructor(
    readonly dialect: Dialect,
    private readonly db: BetterSqlite3.Database,
  ) {}

  /** The better-sqlite3 Database. */
  get raw(): BetterSqlite3.Database {
    return this.db
  }

  /** One statement per call, like MySQL. `rowCount`: rows returned by a reader, else `changes`. */
  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    try {
      const statement = this.db.prepare(sql)
      const values = params.map(toParameter)
      if (statement.reader) {
        const rows = statement.all(...values) as Record<string, unknown>[]
        return { rows, rowCount: rows.length }
      }
      return { rows: [], rowCount: statement.run(...values).changes }
    } catch (error) {
      throw sqliteQueryError(error, sql)
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close()
  }
}

function sqliteQueryError(error: unknown, sql: string): QueryError {
  const code = errorCode(error)
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return queryError(error, sql, undefined, {
      code: 'locked',
      hint: 'another process held a lock on the database for longer than the busy timeout; let it finish, or raise ?timeout= in database_url',
    })
  }
  return queryError(error, sql, undefined)
}
