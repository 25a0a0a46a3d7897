import { BaseDialect } from '../base-dialect.js'
import type { ConnectOptions, Connection, DatabaseUrl, VersionTableName } from '../dialect.js'
import { renderLiteral, standardString, unsupported, utcTimestamp } from '../literals.js'
import { connectSqlite } from './sqlite-connection.js'

export class SqliteDialect extends BaseDialect {
  readonly name = 'sqlite' as const
  readonly label = 'SQLite'
  readonly transactionalDdl = true
  readonly backslashEscapesInStrings = false
  protected readonly identifierQuote = '"'

  /**
   * Strings `'it''s'` (backslash is an ordinary character); booleans `1`/`0` (what SQLite stores
   * for TRUE/FALSE, and valid in every version); Date as `'YYYY-MM-DD HH:MM:SS.mmm'` in UTC, the
   * form SQLite's date functions and CURRENT_TIMESTAMP use; Buffer `X'…'`. A NUL character in a
   * string and NaN/Infinity are errors.
   */
  literal(value: unknown): string {
    return renderLiteral(
      value,
      {
        string: (text) => {
          if (text.includes('\0')) throw unsupported('a string containing a NUL character', this.label)
          return standardString(text)
        },
        boolean: (flag) => (flag ? '1' : '0'),
        date: (date) => `'${utcTimestamp(date)}'`,
        bytes: (hex) => `X'${hex}'`,
      },
      this.label,
    )
  }

  /** `options.connectTimeoutSeconds` does not apply: opening a file does not wait for a server. */
  connect(url: DatabaseUrl, _options?: ConnectOptions): Promise<Connection> {
    return connectSqlite(this, url)
  }

  /** IMMEDIATE takes the write lock at once, so a second run waits here (busy timeout) rather than failing later. */
  override beginTransactionSql(): string {
    return 'BEGIN IMMEDIATE'
  }

  /** Names compare case-insensitively, as SQLite resolves them. */
  async versionTableExists(connection: Connection, name: VersionTableName): Promise<boolean> {
    const result = await connection.query(
      "SELECT 1 FROM pragma_table_list WHERE schema = ? COLLATE NOCASE AND name = ? COLLATE NOCASE AND type = 'table'",
      [name.schema ?? 'main', name.table],
    )
    return result.rows.length > 0
  }

  /** Nothing to do: the run's `BEGIN IMMEDIATE` transaction holds SQLite's write lock, which is the migration lock. */
  async acquireMigrationLock(): Promise<void> {}

  async releaseMigrationLock(): Promise<void> {}
}
