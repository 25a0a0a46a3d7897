/**
 * Turning driver errors into `DatabaseError`s: one line, the host:port or file named, a hint,
 * the password masked, the driver error kept as `cause`.
 */
import { maskSecrets } from '../config/database-url.js'
import { DatabaseError } from '../errors.js'
import type { DatabaseUrl } from './dialect.js'

/** Longest SQL text kept in `QueryError.sql`. */
export const MAX_ERROR_SQL_LENGTH = 200

/** A statement failed. The runtime reports `sql` with the revision that ran it. */
export class QueryError extends DatabaseError {
  /** The failing statement, truncated to about 200 characters. */
  readonly sql: string
  /** The driver's code: SQLSTATE on PostgreSQL (`42P01`), `ER_…` on MySQL, `SQLITE_…` on SQLite. */
  readonly driverCode: string | undefined

  constructor(code: string, message: string, sql: string, options: { hint: string; cause: unknown; driverCode: string | undefined }) {
    super(code, message, { hint: options.hint, cause: options.cause })
    this.sql = truncateSql(sql)
    this.driverCode = options.driverCode
  }
}

export function truncateSql(sql: string): string {
  const trimmed = sql.trim()
  return trimmed.length <= MAX_ERROR_SQL_LENGTH ? trimmed : `${trimmed.slice(0, MAX_ERROR_SQL_LENGTH - 1)}…`
}

/** `text` on one line, runs of whitespace collapsed, the password (also percent-encoded) masked. */
export function cleanDriverMessage(text: string, password: string | undefined): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return password ? maskSecrets(line, [password]) : line
}

/** The message of any thrown value, `code` when the message is empty (Node's AggregateError). */
export function driverMessage(error: unknown): string {
  if (error instanceof Error) {
    if (error.message !== '') return error.message
    const code = errorCode(error)
    const inner = (error as { errors?: unknown }).errors
    if (Array.isArray(inner) && inner[0] instanceof Error && inner[0].message !== '') return inner[0].message
    return code ?? error.name
  }
  return String(error)
}

/** `error.code` as a string, or the code of the first error inside an AggregateError. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') return code
  const inner = (error as { errors?: unknown } | null)?.errors
  if (Array.isArray(inner) && inner.length > 0) return errorCode(inner[0])
  return undefined
}

/** What went wrong while connecting; each kind has its code and hint. */
export type ConnectFailure =
  | 'refused'
  | 'timeout'
  | 'unknown_host'
  | 'authentication'
  | 'unknown_database'
  | 'unusable_file'
  | 'other'

const CONNECT_FAILURES: Record<ConnectFailure, { code: string; hint: string }> = {
  refused: { code: 'connection_refused', hint: 'is the server running? check the host and port in database_url' },
  timeout: {
    code: 'connect_timeout',
    hint: 'is the server running and reachable (firewall, VPN)? check the host and port in database_url, or raise connect_timeout',
  },
  unknown_host: { code: 'unknown_host', hint: 'check the host name in database_url' },
  authentication: { code: 'authentication_failed', hint: 'check the user and password in database_url' },
  unknown_database: {
    code: 'unknown_database',
    hint: 'the database does not exist: create it first, or check the database name in database_url',
  },
  unusable_file: { code: 'cannot_open', hint: 'check that the directory exists and that the file is a SQLite database you may write' },
  other: { code: 'connection_failed', hint: 'check database_url; MIGRATOR_DEBUG=1 shows the driver error' },
}

/** Socket-level failures (Node error codes) shared by the network drivers. */
export function socketFailure(code: string | undefined): ConnectFailure | undefined {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused'
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
      return 'timeout'
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
      return 'unknown_host'
    default:
      return undefined
  }
}

/**
 * `<subject>: <detail>`, e.g. "cannot connect to PostgreSQL at 127.0.0.1:5432: connection refused".
 * The detail is fixed for a refused connection and a timeout, else `detail` or the driver's
 * message, cleaned here (one line, password masked).
 */
export function connectError(
  failure: ConnectFailure,
  subject: string,
  url: DatabaseUrl,
  cause: unknown,
  options: { timeoutSeconds?: number; detail?: string } = {},
): DatabaseError {
  const { code, hint } = CONNECT_FAILURES[failure]
  let detail = options.detail ?? driverMessage(cause)
  if (failure === 'refused') detail = 'connection refused'
  if (failure === 'timeout' && options.timeoutSeconds !== undefined) detail = `no answer within ${options.timeoutSeconds} s`
  return new DatabaseError(code, cleanDriverMessage(`${subject}: ${detail}`, url.password), { hint, cause })
}

/** The lock is held by someone else and `timeoutSeconds` ran out. */
export function lockTimeoutError(key: string, timeoutSeconds: number, cause?: unknown): DatabaseError {
  return new DatabaseError(
    'lock_timeout',
    `another migrator run holds the migration lock "${key}"; gave up after ${timeoutSeconds} s`,
    { hint: 'wait for the other run to finish and try again (it may still be applying revisions)', cause },
  )
}

/**
 * The error of a failed statement: "<detail> [<driver code>]", one line, password masked. `lost`:
 * the connection broke during it (code `connection_lost`, with its own hint).
 */
export function queryError(
  error: unknown,
  sql: string,
  password: string | undefined,
  options: { lost?: boolean; code?: string; detail?: string; hint?: string } = {},
): QueryError {
  const driverCode = errorCode(error)
  if (options.lost) {
    return new QueryError('connection_lost', cleanDriverMessage(`connection lost: ${driverMessage(error)}`, password), sql, {
      hint: 'the connection to the database was lost (server restart, network, idle timeout): check the server and run again',
      cause: error,
      driverCode,
    })
  }
  const message = cleanDriverMessage(`${options.detail ?? driverMessage(error)}${driverCode ? ` [${driverCode}]` : ''}`, password)
  return new QueryError(options.code ?? 'query_failed', message, sql, {
    hint: options.hint ?? 'check the statement; MIGRATOR_DEBUG=1 shows the driver error',
    cause: error,
    driverCode,
  })
}
