import { createRequire } from 'node:module'
import type * as mysql from 'mysql2/promise'
import { maskUrl } from '../../config/database-url.js'
import { ConfigError, DatabaseError } from '../../errors.js'
import type { ConnectOptions, Connection, DatabaseUrl, Dialect, QueryResult } from '../dialect.js'
import { ConnectTimeout, connectTimeoutSeconds, hostPort, readTlsFiles, withConnectTimeout } from '../connect-options.js'
import { connectError, errorCode, queryError, socketFailure, type ConnectFailure } from '../dialect-errors.js'

/**
 * Open a `mysql2/promise` connection (MySQL and MariaDB). From the URL: host (default localhost),
 * port (3306), user, password, database. Query parameters used: `charset` (e.g. `utf8mb4`, or a
 * collation such as `utf8mb4_unicode_ci`; default utf8mb4_unicode_ci), `connect_timeout`
 * (seconds), `unix_socket` (socket file), `ssl` (true|1 → TLS with certificate check, false|0 → off),
 * `ssl_mode` (disabled|preferred → off, required → TLS without check, verify_ca, verify_identity),
 * `ssl_ca`, `ssl_cert`, `ssl_key` (files). Others are ignored.
 * Fixed settings: one statement per query (`multipleStatements: false`); big integers as numbers
 * when they fit, strings otherwise; DATE/DATETIME/TIMESTAMP as strings, as the server wrote them
 * (no time-zone conversion); Date parameters sent in UTC; `rowCount` of UPDATE is the rows matched
 * (CLIENT_FOUND_ROWS, as PostgreSQL and SQLite count them), not only the rows changed.
 */
export async function connectMysql(dialect: Dialect, url: DatabaseUrl, options: ConnectOptions = {}): Promise<Connection> {
  // MySQL has no default database (PostgreSQL takes the user's name): the version table and the
  // tables of the models would have nowhere to be.
  if (url.database === undefined) {
    throw new ConfigError('invalid_url', `database_url names no database: ${maskUrl(url.raw)}`, { hint: 'add it to the URL: mysql://user@host:3306/app_db' })
  }
  const seconds = connectTimeoutSeconds(url, options.connectTimeoutSeconds)
  const socketPath = url.host === undefined ? url.query['unix_socket'] : undefined
  const host = url.host ?? 'localhost'
  const port = url.port ?? 3306
  const target = socketPath ?? hostPort(host, port)
  const config: mysql.ConnectionOptions = {
    host,
    port,
    socketPath,
    user: url.user,
    password: url.password,
    database: url.database,
    connectTimeout: Math.ceil(seconds * 1000),
    multipleStatements: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    dateStrings: true,
    timezone: 'Z',
    // execute() caches prepared statements; keep the server-side count small.
    maxPreparedStatements: 100,
    ssl: sslOptions(url.query),
  }
  if (url.query['charset'] !== undefined) config.charset = url.query['charset']

  // CommonJS: loaded with require (without the ES module wrapper and export scan of import()).
  const { createConnection } = createRequire(import.meta.url)('mysql2/promise') as typeof mysql
  let connection: mysql.Connection
  try {
    connection = await withConnectTimeout(createConnection(config), seconds, (late) => late.destroy())
  } catch (error) {
    throw connectError(connectFailure(error), `cannot connect to MySQL at ${target}`, url, error, { timeoutSeconds: seconds })
  }
  // Without a listener, an error on an idle connection (server restart, wait_timeout) would crash the process.
  connection.on('error', () => undefined)
  return new MysqlConnection(dialect, connection, url.password)
}

function sslOptions(query: Readonly<Record<string, string>>): mysql.SslOptions | undefined {
  const mode = (query['ssl_mode'] ?? query['ssl-mode'])?.toLowerCase()
  const flag = query['ssl']?.toLowerCase()
  let tls: mysql.SslOptions | undefined
  switch (mode) {
    case undefined:
      tls = flag === undefined || flag === 'false' || flag === '0' ? undefined : { verifyIdentity: true }
      break
    case 'disabled':
    case 'preferred':
      tls = undefined
      break
    case 'required':
      tls = { rejectUnauthorized: false }
      break
    case 'verify_ca':
      tls = { verifyIdentity: false }
      break
    case 'verify_identity':
      tls = { verifyIdentity: true }
      break
    default:
      throw new ConfigError('invalid_url', `unknown ssl_mode '${mode}' in database_url`, {
        hint: 'use ssl_mode=disabled, required, verify_ca or verify_identity',
      })
  }
  const files = readTlsFiles(query, { ca: 'ssl_ca', cert: 'ssl_cert', key: 'ssl_key' })
  if (files) tls = { ...tls, ...files }
  return tls
}

/** Server error codes: https://mariadb.com/kb/en/mariadb-error-code-reference/ */
function connectFailure(error: unknown): ConnectFailure {
  if (error instanceof ConnectTimeout) return 'timeout'
  const code = errorCode(error)
  switch (code) {
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
    case 'ER_HOST_NOT_PRIVILEGED':
    case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
      return 'authentication'
    case 'ER_BAD_DB_ERROR':
      return 'unknown_database'
    default:
      return socketFailure(code) ?? 'other'
  }
}

const LOST_CONNECTION_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED'])

export class MysqlConnection implements Connection {
  constructor(
    readonly dialect: Dialect,
    private readonly connection: mysql.Connection,
    private readonly password: string | undefined,
  ) {}

  /** The `mysql2/promise` Connection. */
  get raw(): mysql.Connection {
    return this.connection
  }

  /**
   * Without parameters the text protocol runs, which accepts any statement. With parameters the
   * statement is prepared on the server (`execute`), so a `?` inside a string literal stays text.
   */
  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    let result: mysql.QueryResult
    try {
      ;[result] = params.length > 0 ? await this.connection.execute(sql, params.map(toParameter) as mysql.ExecuteValues[]) : await this.connection.query(sql)
    } catch (error) {
      throw this.queryError(error, sql)
    } finally {
      // mysql2 keeps a prepared statement for its text, read once in the sql_mode of then: text whose
      // reading sql_mode changes (`\` in strings, `"`, `||`) is prepared again each time.
      if (params.length > 0 && SQL_MODE_SENSITIVE.test(sql)) this.connection.unprepare(sql)
    }
    // Several result sets (a compound statement): an array of them, each rows or a status.
    if (Array.isArray(result) && result.some((set: unknown) => Array.isArray(set))) {
      return { rows: [], rowCount: 0, resultSets: (result as mysql.QueryResult[]).map(resultOf) }
    }
    return resultOf(result)
  }

  async close(): Promise<void> {
    await this.connection.end().catch(() => this.connection.destroy())
  }

  private queryError(error: unknown, sql: string): DatabaseError {
    const code = errorCode(error)
    const fatal = (error as { fatal?: unknown }).fatal === true
    const { sqlMessage } = error as { sqlMessage?: unknown }
    return queryError(error, sql, this.password, {
      lost: (code !== undefined && LOST_CONNECTION_CODES.has(code)) || (fatal && !code?.startsWith('ER_')),
      detail: typeof sqlMessage === 'string' ? sqlMessage : undefined,
    })
  }
}

/** Characters whose reading depends on sql_mode: NO_BACKSLASH_ESCAPES, ANSI_QUOTES, PIPES_AS_CONCAT. */
const SQL_MODE_SENSITIVE = /[\\"|]/

/** One result set of mysql2: rows, or the status of a statement returning none. */
function resultOf(result: mysql.QueryResult): QueryResult {
  if (Array.isArray(result)) return { rows: result as Record<string, unknown>[], rowCount: result.length }
  return { rows: [], rowCount: (result as mysql.ResultSetHeader).affectedRows ?? 0 }
}

/** mysql2 rejects `undefined`; bind it as NULL like the other dialects. */
function toParameter(value: unknown): unknown {
  return value === undefined ? null : value
}
