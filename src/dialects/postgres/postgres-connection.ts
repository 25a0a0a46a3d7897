import type { ConnectionOptions as TlsOptions } from 'node:tls'
import { createRequire } from 'node:module'
import type pg from 'pg'
import { ConfigError, DatabaseError } from '../../errors.js'
import type { ConnectOptions, Connection, DatabaseUrl, Dialect, QueryResult } from '../dialect.js'
import { ConnectTimeout, connectTimeoutSeconds, hostPort, readTlsFiles, withConnectTimeout } from '../connect-options.js'
import { cleanDriverMessage, connectError, driverMessage, errorCode, queryError, socketFailure, type ConnectFailure } from '../dialect-errors.js'

const INT8_OID = 20

/**
 * Open a `pg.Client`. From the URL: host, port, user, password, database; unset parts fall back to
 * libpq's environment variables (PGHOST, PGUSER…) as `pg` does. Query parameters used:
 * `sslmode` (disable|allow|prefer → no TLS; require|no-verify → TLS without certificate check;
 * verify-ca → certificate checked, not the host name; verify-full → both), `ssl` (true|1 → like
 * verify-full, false|0 → off), `sslrootcert`, `sslcert`, `sslkey` (files), `connect_timeout`
 * (seconds), `application_name` (default `migrator`), `options` (e.g. `-c search_path=app`),
 * `statement_timeout` (ms), `host` (a socket directory, when the URL has no host). Others are ignored.
 * `bigint` (int8) columns come back as numbers when they fit in a double, as strings otherwise;
 * `numeric` stays a string (the `pg` default).
 */
export async function connectPostgres(dialect: Dialect, url: DatabaseUrl, options: ConnectOptions = {}): Promise<Connection> {
  const seconds = connectTimeoutSeconds(url, options.connectTimeoutSeconds)
  const config: pg.ClientConfig = {
    host: url.host ?? url.query['host'],
    port: url.port,
    user: url.user,
    password: url.password,
    database: url.database,
    connectionTimeoutMillis: Math.ceil(seconds * 1000),
    application_name: url.query['application_name'] ?? 'migrator',
    options: url.query['options'],
    ssl: sslOptions(url.query),
  }
  const statementTimeout = Number(url.query['statement_timeout'])
  if (statementTimeout > 0) config.statement_timeout = statementTimeout

  const pgModule = loadPg()
  const baseParser = pgModule.types.getTypeParser.bind(pgModule.types)
  config.types = {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      oid === INT8_OID && format !== 'binary' ? parseInt8 : baseParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
  }
  const client = new pgModule.Client(config)
  // Without a listener, an error on an idle connection (server restart) would crash the process.
  client.on('error', () => undefined)
  const resolved = client as unknown as { host: string; port: number }
  const target = hostPort(resolved.host, resolved.port)
  try {
    await withConnectTimeout(client.connect().then(() => client), seconds, (late) => late.end())
  } catch (error) {
    client.end().catch(() => undefined)
    throw connectError(connectFailure(error), `cannot connect to PostgreSQL at ${target}`, url, error, { timeoutSeconds: seconds })
  }
  return new PostgresConnection(dialect, client, url.password)
}

let pgDriver: typeof pg | undefined

/**
 * The pg driver, loaded on first use with `require` (its CommonJS build, without the ES module
 * wrapper and export scan of `import('pg')`).
 *
 * When it loads, pg asks whether it runs in a Cloudflare Worker: by `navigator.userAgent`, and
 * where there is no `navigator` (Node 20) by constructing a `Response`, whose first use loads
 * Node's whole fetch implementation: about 20 ms of every PostgreSQL command's start. On Node 20,
 * the `navigator` of Node 21+ (`userAgent` "Node.js/<major>") is given for the duration of the
 * load, which is synchronous (no other code can see it), and taken away at once.
 */
export function loadPg(): typeof pg {
  if (pgDriver !== undefined) return pgDriver
  const require = createRequire(import.meta.url)
  if ('navigator' in globalThis) return (pgDriver = require('pg') as typeof pg)
  Object.defineProperty(globalThis, 'navigator', {
    value: Object.freeze({ userAgent: `Node.js/${process.versions.node.split('.')[0]}` }),
    configurable: true,
    writable: true,
  })
  try {
    return (pgDriver = require('pg') as typeof pg)
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator
  }
}

function parseInt8(text: string): number | string {
  const value = Number(text)
  return Number.isSafeInteger(value) ? value : text
}

function sslOptions(query: Readonly<Record<string, string>>): boolean | TlsOptions {
  const mode = query['sslmode']?.toLowerCase()
  const flag = query['ssl']?.toLowerCase()
  let tls: TlsOptions | false
  switch (mode) {
    case undefined:
      tls = flag === undefined || flag === 'false' || flag === '0' ? false : {}
      break
    case 'disable':
    case 'allow':
    case 'prefer':
      tls = false
      break
    case 'require':
    case 'no-verify':
      tls = { rejectUnauthorized: false }
      break
    case 'verify-ca':
      tls = { checkServerIdentity: () => undefined }
      break
    case 'verify-full':
      tls = {}
      break
    default:
      throw new ConfigError('invalid_url', `unknown sslmode '${query['sslmode']}' in database_url`, {
        hint: 'use sslmode=disable, require, verify-ca or verify-full',
      })
  }
  const files = readTlsFiles(query, { ca: 'sslrootcert', cert: 'sslcert', key: 'sslkey' })
  if (files) tls = { ...(tls || {}), ...files }
  return tls
}

/** SQLSTATEs of connection failures: https://www.postgresql.org/docs/current/errcodes-appendix.html */
function connectFailure(error: unknown): ConnectFailure {
  if (error instanceof ConnectTimeout) return 'timeout'
  const code = errorCode(error)
  if (code === '28P01' || code === '28000') return 'authentication'
  if (code === '3D000') return 'unknown_database'
  const socket = socketFailure(code)
  if (socket) return socket
  if (/timeout expired|connection timeout/i.test(driverMessage(error))) return 'timeout'
  return 'other'
}

export class PostgresConnection implements Connection {
  constructor(
    readonly dialect: Dialect,
    private readonly client: pg.Client,
    private readonly password: string | undefined,
  ) {}

  /** The `pg.Client`. */
  get raw(): pg.Client {
    return this.client
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<QueryResult> {
    let result: pg.QueryResult | pg.QueryResult[]
    try {
      // Without parameters the simple protocol runs, which accepts several statements in one text.
      result = params.length > 0 ? await this.client.query(sql, params as unknown[]) : await this.client.query(sql)
    } catch (error) {
      throw this.queryError(error, sql)
    }
    const last = Array.isArray(result) ? result[result.length - 1] : result
    const rows = (last?.rows ?? []) as Record<string, unknown>[]
    return { rows, rowCount: last?.rowCount ?? rows.length }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined)
  }

  private queryError(error: unknown, sql: string): DatabaseError {
    const code = errorCode(error)
    // A SQLSTATE has five characters; any other code comes from the socket or the driver.
    const sqlState = code !== undefined && /^[0-9A-Z]{5}$/.test(code)
    const lost =
      !sqlState &&
      (socketFailure(code) !== undefined || code === 'ECONNRESET' || code === 'EPIPE' || /terminated|not queryable/i.test(driverMessage(error)))
    const { hint, detail } = error as { hint?: unknown; detail?: unknown }
    return queryError(error, sql, this.password, {
      lost,
      detail: typeof detail === 'string' ? `${driverMessage(error)} (${detail})` : undefined,
      hint: typeof hint === 'string' ? cleanDriverMessage(hint, this.password) : undefined,
    })
  }
}
