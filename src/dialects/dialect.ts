/**
 * The one interface every database implements. Code outside `src/dialects/*` asks a
 * dialect for capabilities and SQL; it never asks "is this MySQL?".
 */
import type { DdlCompiler } from './ddl-compiler.js'
import type { Introspector } from './introspector.js'
import type { SqlSyntax } from './sql-quoted.js'

export type DialectName = 'postgresql' | 'mysql' | 'sqlite'

/** A parsed database URL (see `src/config/database-url.ts`). */
export interface DatabaseUrl {
  readonly dialect: DialectName
  /** SQLAlchemy-style driver suffix as written (`psycopg2` in `postgresql+psycopg2://`); ignored. */
  readonly driver: string | undefined
  readonly host: string | undefined
  readonly port: number | undefined
  /** Percent-decoded. */
  readonly user: string | undefined
  /** Percent-decoded. Never print it: use `maskUrl`. */
  readonly password: string | undefined
  /** Database name (PostgreSQL, MySQL). */
  readonly database: string | undefined
  /** SQLite: absolute or relative file path, or `:memory:`. */
  readonly filename: string | undefined
  /** Query parameters, passed to the driver (`sslmode`, `ssl`, `connect_timeout`, …). */
  readonly query: Readonly<Record<string, string>>
  /** The URL exactly as given (contains the password: never print it). */
  readonly raw: string
}

export interface QueryResult {
  readonly rows: Record<string, unknown>[]
  /** Rows affected by INSERT/UPDATE/DELETE, or rows returned by SELECT. */
  readonly rowCount: number
  /**
   * Set when the statement gave several result sets (MariaDB's compound statement, `BEGIN NOT
   * ATOMIC SELECT …; SELECT …; END`): each, in order (the compound's own status last); `rows`
   * is then empty and `rowCount` 0.
   */
  readonly resultSets?: readonly QueryResult[]
}

export interface ConnectOptions {
  /** Seconds to wait for the server before failing. Default 10. */
  connectTimeoutSeconds?: number
}

/** A live connection. Statements are sent exactly as given; no implicit transaction. */
export interface Connection {
  readonly dialect: Dialect
  /** `params` bind to the dialect's placeholders (`$1` on PostgreSQL, `?` elsewhere). */
  query(sql: string, params?: readonly unknown[]): Promise<QueryResult>
  /** The underlying driver object (pg.Client, mysql2 Connection, better-sqlite3 Database) for data migrations. */
  readonly raw: unknown
  close(): Promise<void>
}

export interface VersionTableName {
  readonly table: string
  readonly schema: string | undefined
}

export interface Dialect {
  readonly name: DialectName
  /**
   * Whether DDL runs inside a transaction and rolls back with it. PostgreSQL and SQLite: true,
   * so a revision and its version row commit together. MySQL: false, DDL commits implicitly.
   */
  readonly transactionalDdl: boolean
  /**
   * Whether a backslash escapes the next character inside a '…' string literal, so SQL scanners
   * (placeholder rewriting) skip strings correctly. MySQL (default sql_mode): true. PostgreSQL
   * (standard_conforming_strings, on by default) and SQLite: false.
   */
  readonly backslashEscapesInStrings: boolean
  /** What SQL text holds besides code (strings, quoted identifiers, comments), for the placeholder scanners. */
  readonly sqlSyntax: SqlSyntax

  /** Quote an identifier, doubling the quote character inside it. */
  quoteIdentifier(name: string): string
  /** `schema.name` quoted, or just the quoted name when schema is undefined. */
  quoteQualified(name: string, schema?: string): string
  /** A SQL literal for offline scripts: strings escaped for this dialect, numbers, booleans, null, Date, Buffer. */
  literal(value: unknown): string
  /** Bound parameter placeholder for 1-based position `index`. */
  placeholder(index: number): string

  /**
   * The dialect as `connection`'s session reads string literals, where a session setting changes
   * that: MySQL's sql_mode with NO_BACKSLASH_ESCAPES. Absent where literals read the same in every
   * session (PostgreSQL's are written to, SQLite has no such setting).
   */
  sessionDialect?(connection: Connection): Promise<Dialect>

  /**
   * The compiler turning operations (`op.createTable(…)`, …) into this dialect's statements.
   * Needs no connection and loads no driver.
   */
  ddlCompiler(): DdlCompiler

  /**
   * Reads a live database back into specs (see `introspector.ts`): PostgreSQL, MySQL/MariaDB and SQLite.
   */
  introspector?(): Introspector

  /** Open a connection; the driver module is imported here, lazily. */
  connect(url: DatabaseUrl, options?: ConnectOptions): Promise<Connection>

  /** Statement that starts a transaction (`BEGIN`, `START TRANSACTION`, `BEGIN IMMEDIATE`). */
  beginTransactionSql(): string
  commitSql(): string
  rollbackSql(): string

  /** DDL creating the version table if it does not exist (may be several statements). */
  createVersionTableSql(name: VersionTableName): string[]
  /** Whether the version table exists (in `name.schema`, or the connection's current schema). */
  versionTableExists(connection: Connection, name: VersionTableName): Promise<boolean>

  /**
   * Take the migration lock for the whole run (PostgreSQL advisory lock, MySQL GET_LOCK). Waits for
   * another holder. SQLite returns without doing anything: its lock is the immediate transaction.
   */
  acquireMigrationLock(connection: Connection, key: string, timeoutSeconds: number): Promise<void>
  releaseMigrationLock(connection: Connection, key: string): Promise<void>

  /**
   * Sets the connection up for a migration run, outside any transaction, right after the lock is
   * taken. SQLite: `PRAGMA foreign_keys = OFF` (it cannot change inside a transaction, and a table
   * rebuilt by copy-and-move must be dropped without firing ON DELETE actions). Not defined elsewhere.
   */
  prepareMigrationSession?(connection: Connection): Promise<void>
  /**
   * What an offline (`--sql`) script starts with, before its first transaction, to be run as
   * `prepareMigrationSession` runs: SQLite `PRAGMA foreign_keys = OFF` (the sqlite3 shell may have
   * turned them on, and a copy-and-move would then delete through ON DELETE CASCADE). Not defined elsewhere.
   */
  offlineSessionSql?(): readonly string[]
  /**
   * Checks the database before each COMMIT of a run; throws a `DatabaseError` to roll back instead.
   * SQLite: `PRAGMA foreign_key_check`, failing on rows without their parent that were not there
   * when the session was prepared. Not defined elsewhere.
   */
  checkBeforeCommit?(connection: Connection): Promise<void>
  /** Undoes `prepareMigrationSession` at the end of the run, outside any transaction (SQLite: foreign keys back as they were). */
  endMigrationSession?(connection: Connection): Promise<void>
}
