import { createHash } from 'node:crypto'
import { BaseDialect } from '../base-dialect.js'
import type { DdlCompiler } from '../ddl-compiler.js'
import type { ConnectOptions, Connection, DatabaseUrl, VersionTableName } from '../dialect.js'
import type { Introspector } from '../introspector.js'
import { QueryError, lockTimeoutError } from '../dialect-errors.js'
import type { SqlSyntax } from '../sql-quoted.js'
import { renderLiteral, standardString, unsupported, utcTimestamp } from '../literals.js'
import { PostgresDdlCompiler } from './postgres-ddl-compiler.js'
import { PostgresIntrospector } from './postgres-introspector.js'
import { connectPostgres } from './postgres-connection.js'

/** The SQLSTATE PostgreSQL raises when `lock_timeout` runs out (lock_not_available). */
const LOCK_NOT_AVAILABLE = '55P03'

/**
 * The advisory lock id of a migration lock key: the first 8 bytes of SHA-256 of `migrator:<key>`,
 * as a signed 64-bit integer. Stable across versions and platforms (unlike `hashtext`, which is
 * 32-bit and has changed between PostgreSQL releases).
 */
export function advisoryLockId(key: string): bigint {
  return createHash('sha256').update(`migrator:${key}`).digest().readBigInt64BE(0)
}

export class PostgresDialect extends BaseDialect {
  readonly name = 'postgresql' as const
  readonly label = 'PostgreSQL'
  readonly transactionalDdl = true
  /** No backslash escapes in '…': literals use standard strings, and `E'…'` only for a string with a backslash. */
  readonly sqlSyntax: SqlSyntax = { backslashEscapes: false, backticks: false, brackets: false, hashComments: false, dollarQuotes: true }
  protected readonly identifierQuote = '"'

  /**
   * Strings: `'it''s'`. A string containing a backslash is written `E'a\\b'`, which reads the same
   * whatever `standard_conforming_strings` says on the server that runs the script. Booleans
   * `TRUE`/`FALSE`; NaN/±Infinity as `'NaN'::double precision`; Date as `'… +00:00'` (untyped, so it
   * fits `timestamp` and `timestamptz` columns); Buffer `'\x…'::bytea`. A NUL character is an
   * error: PostgreSQL text cannot hold it.
   */
  literal(value: unknown): string {
    return renderLiteral(
      value,
      {
        string: (text) => {
          if (text.includes('\0')) throw unsupported('a string containing a NUL character', this.label)
          return text.includes('\\') ? `E${standardString(text.replaceAll('\\', '\\\\'))}` : standardString(text)
        },
        boolean: (flag) => (flag ? 'TRUE' : 'FALSE'),
        date: (date) => `'${utcTimestamp(date)}+00:00'`,
        bytes: (hex) => `'\\x${hex}'::bytea`,
        nonFinite: (number) => `'${Number.isNaN(number) ? 'NaN' : number > 0 ? 'Infinity' : '-Infinity'}'::double precision`,
      },
      this.label,
    )
  }

  override placeholder(index: number): string {
    return `$${index}`
  }

  connect(url: DatabaseUrl, options?: ConnectOptions): Promise<Connection> {
    return connectPostgres(this, url, options)
  }

  private introspectorInstance: Introspector | undefined

  /** Whole-schema introspection (one instance, created on first use). */
  introspector(): Introspector {
    this.introspectorInstance ??= new PostgresIntrospector()
    return this.introspectorInstance
  }

  protected createDdlCompiler(): DdlCompiler {
    return new PostgresDdlCompiler(this)
  }

  async versionTableExists(connection: Connection, name: VersionTableName): Promise<boolean> {
    const result = await connection.query(
      `SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = COALESCE($1::text, current_schema()) AND c.relname = $2::text AND c.relkind IN ('r', 'p')`,
      [name.schema ?? null, name.table],
    )
    return result.rows.length > 0
  }

  /**
   * `pg_advisory_lock` under a session `lock_timeout` of `timeoutSeconds` (restored afterwards);
   * `timeoutSeconds <= 0` tries once without waiting, `Infinity` waits for ever. Advisory locks
   * belong to the session and the database: a killed run releases its lock. Call it outside a
   * transaction.
   */
  async acquireMigrationLock(connection: Connection, key: string, timeoutSeconds: number): Promise<void> {
    const id = advisoryLockId(key).toString()
    if (!(timeoutSeconds > 0)) {
      const result = await connection.query('SELECT pg_try_advisory_lock($1::bigint) AS locked', [id])
      if (result.rows[0]?.['locked'] !== true) throw lockTimeoutError(key, 0)
      return
    }
    const previous = await connection.query("SELECT current_setting('lock_timeout') AS value")
    const milliseconds = Number.isFinite(timeoutSeconds) ? Math.max(1, Math.ceil(timeoutSeconds * 1000)) : 0
    await connection.query("SELECT set_config('lock_timeout', $1, false)", [`${milliseconds}ms`])
    let failed = false
    try {
      await connection.query('SELECT pg_advisory_lock($1::bigint)', [id])
    } catch (error) {
      failed = true
      if (error instanceof QueryError && error.driverCode === LOCK_NOT_AVAILABLE) throw lockTimeoutError(key, timeoutSeconds, error)
      throw error
    } finally {
      const restore = connection.query("SELECT set_config('lock_timeout', $1, false)", [String(previous.rows[0]?.['value'] ?? '0')])
      // After a failure the first error is the one worth reporting.
      await (failed ? restore.catch(() => undefined) : restore)
    }
  }

  /** `pg_advisory_unlock`; releasing a lock this session does not hold does nothing. */
  async releaseMigrationLock(connection: Connection, key: string): Promise<void> {
    await connection.query('SELECT pg_advisory_unlock($1::bigint)', [advisoryLockId(key).toString()])
  }
}
