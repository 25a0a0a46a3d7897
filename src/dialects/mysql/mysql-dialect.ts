import { createHash } from 'node:crypto'
import { DatabaseError } from '../../errors.js'
import { BaseDialect } from '../base-dialect.js'
import type { DdlCompiler } from '../ddl-compiler.js'
import type { ConnectOptions, Connection, DatabaseUrl, VersionTableName } from '../dialect.js'
import type { Introspector } from '../introspector.js'
import { lockTimeoutError } from '../dialect-errors.js'
import type { SqlSyntax } from '../sql-quoted.js'
import { renderLiteral, utcTimestamp } from '../literals.js'
import { MysqlDdlCompiler } from './mysql-ddl-compiler.js'
import { hexString, MysqlIntrospector } from './mysql-introspector.js'
import { connectMysql } from './mysql-connection.js'

/** MySQL refuses lock names longer than this. */
const MAX_LOCK_NAME_LENGTH = 64

/**
 * The `GET_LOCK` name of a migration lock key. Lock names are server-wide, so the current database
 * is part of the name: runs against two databases on one server do not wait for each other.
 * Names over 64 characters become `migrator:` + 55 hex digits of their SHA-256.
 */
export function mysqlLockName(database: string, key: string): string {
  const name = `${database}.${key}`
  if (name.length <= MAX_LOCK_NAME_LENGTH) return name
  return `migrator:${createHash('sha256').update(name).digest('hex').slice(0, MAX_LOCK_NAME_LENGTH - 9)}`
}

/** Characters escaped by a backslash inside a MySQL string literal. */
const STRING_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\0': '\\0', '\x1a': '\\Z', "'": "''" }

export class MysqlDialect extends BaseDialect {
  readonly name = 'mysql' as const
  readonly label = 'MySQL'
  readonly transactionalDdl = false
  /**
   * Backslash escapes on (the default sql_mode): `\` is an escape inside '…'. Off for a session whose
   * sql_mode has NO_BACKSLASH_ESCAPES (`sessionDialect`), where it is a plain character.
   */
  readonly sqlSyntax: SqlSyntax
  protected readonly identifierQuote = '`'

  constructor(options: { readonly backslashEscapes?: boolean } = {}) {
    super()
    this.sqlSyntax = { backslashEscapes: options.backslashEscapes ?? true, backticks: true, brackets: false, hashComments: true, dollarQuotes: false }
  }

  private withoutEscapes: MysqlDialect | undefined

  /**
   * The dialect as `connection`'s session reads string literals: this one, or, when its sql_mode has
   * NO_BACKSLASH_ESCAPES, one writing them without backslash escapes (there `'a\\b'` holds two
   * backslashes). Asked at the time (a revision may change sql_mode), and only of statements holding
   * a backslash (`Operations`): the others read the same in both modes.
   */
  async sessionDialect(connection: Connection): Promise<MysqlDialect> {
    const result = await connection.query('SELECT @@SESSION.sql_mode AS mode')
    if (!/(^|,)NO_BACKSLASH_ESCAPES(,|$)/i.test(String(result.rows[0]?.['mode'] ?? ''))) return this
    this.withoutEscapes ??= new MysqlDialect({ backslashEscapes: false })
    return this.withoutEscapes
  }

  /** The lock name each connection took, so release uses it even after a `USE other_db`. */
  private readonly heldLocks = new WeakMap<Connection, Map<string, string>>()

  /**
   * Strings: `'` doubled and `\`, NUL and Ctrl-Z backslash-escaped, as the default sql_mode reads
   * them; without backslash escapes (NO_BACKSLASH_ESCAPES) only `'` doubled, the rest as it is. Booleans
   * `1`/`0` (what TINYINT(1) stores); Date as `'YYYY-MM-DD HH:MM:SS.mmm'` in UTC; Buffer `X'…'`.
   * NaN and Infinity are errors: MySQL has no value for them.
   */
  literal(value: unknown): string {
    return renderLiteral(
      value,
      {
        string: (text) => (this.backslashEscapesInStrings ? `'${text.replace(/[\\\0\x1a']/g, (ch) => STRING_ESCAPES[ch]!)}'` : `'${text.replaceAll("'", "''")}'`),
        boolean: (flag) => (flag ? '1' : '0'),
        date: (date) => `'${utcTimestamp(date)}'`,
        bytes: (hex) => `X'${hex}'`,
      },
      this.label,
    )
  }

  connect(url: DatabaseUrl, options?: ConnectOptions): Promise<Connection> {
    return connectMysql(this, url, options)
  }

  private introspectorInstance: Introspector | undefined

  /** Whole-schema introspection (one instance, created on first use). */
  introspector(): Introspector {
    this.introspectorInstance ??= new MysqlIntrospector()
    return this.introspectorInstance
  }

  protected createDdlCompiler(): DdlCompiler {
    return new MysqlDdlCompiler(this)
  }

  override beginTransactionSql(): string {
    return 'START TRANSACTION'
  }

  async versionTableExists(connection: Connection, name: VersionTableName): Promise<boolean> {
    const result = await connection.query(
      `SELECT 1 FROM information_schema.tables
       WHERE table_schema = ${name.schema === undefined ? 'DATABASE()' : hexString(name.schema)} AND table_name = ${hexString(name.table)} AND table_type = 'BASE TABLE'`,
    )
    return result.rows.length > 0
  }

  /**
   * `GET_LOCK(name, timeoutSeconds)`, the name from `mysqlLockName`. `Infinity` waits for ever. The
   * server releases the lock when the connection ends, so a killed run does not leave it behind.
   */
  async acquireMigrationLock(connection: Connection, key: string, timeoutSeconds: number): Promise<void> {
    const database = await connection.query('SELECT DATABASE() AS name')
    const lockName = mysqlLockName(String(database.rows[0]?.['name'] ?? ''), key)
    const wait = Number.isFinite(timeoutSeconds) ? Math.max(0, timeoutSeconds) : -1
    const result = await connection.query('SELECT GET_LOCK(?, ?) AS locked', [lockName, wait])
    const locked = result.rows[0]?.['locked']
    if (Number(locked) === 1) {
      let held = this.heldLocks.get(connection)
      if (!held) this.heldLocks.set(connection, (held = new Map()))
      held.set(key, lockName)
      return
    }
    if (locked === 0 || locked === '0') throw lockTimeoutError(key, timeoutSeconds)
    throw new DatabaseError('lock_failed', `could not take the migration lock "${key}": GET_LOCK returned NULL`, {
      hint: 'the server refused the lock (was the connection killed?); run again',
    })
  }

  /** `RELEASE_LOCK`; releasing a lock this connection does not hold does nothing. */
  async releaseMigrationLock(connection: Connection, key: string): Promise<void> {
    const held = this.heldLocks.get(connection)
    let lockName = held?.get(key)
    if (lockName === undefined) {
      const database = await connection.query('SELECT DATABASE() AS name')
      lockName = mysqlLockName(String(database.rows[0]?.['name'] ?? ''), key)
    }
    await connection.query('SELECT RELEASE_LOCK(?)', [lockName])
    held?.delete(key)
  }
}
