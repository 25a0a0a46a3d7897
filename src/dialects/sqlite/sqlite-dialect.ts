import { DatabaseError } from '../../errors.js'
import { BaseDialect } from '../base-dialect.js'
import type { DdlCompiler } from '../ddl-compiler.js'
import type { ConnectOptions, Connection, DatabaseUrl, VersionTableName } from '../dialect.js'
import type { Introspector } from '../introspector.js'
import type { SqlSyntax } from '../sql-quoted.js'
import { renderLiteral, standardString, unsupported, utcTimestamp } from '../literals.js'
import { SqliteDdlCompiler } from './sqlite-ddl-compiler.js'
import { connectSqlite } from './sqlite-connection.js'
import { SqliteIntrospector } from './sqlite-introspector.js'

export class SqliteDialect extends BaseDialect {
  readonly name = 'sqlite' as const
  readonly label = 'SQLite'
  readonly transactionalDdl = true
  readonly sqlSyntax: SqlSyntax = { backslashEscapes: false, backticks: true, brackets: true, hashComments: false, dollarQuotes: false }
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

  private introspectorInstance: Introspector | undefined

  /** Whole-schema introspection (one instance, created on first use). */
  introspector(): Introspector {
    this.introspectorInstance ??= new SqliteIntrospector()
    return this.introspectorInstance
  }

  protected createDdlCompiler(): DdlCompiler {
    return new SqliteDdlCompiler(this)
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

  /** Per connection in a run: whether foreign keys were on before it, and the violations already there. */
  private readonly sessions = new WeakMap<Connection, { readonly foreignKeys: boolean; readonly violations: ForeignKeyViolations }>()

  /**
   * Foreign keys off for the run: with them on, dropping a table rebuilt by copy-and-move deletes
   * its rows first, and ON DELETE CASCADE empties the tables referring to it. The pragma is a no-op
   * inside a transaction, so this runs before the run's first BEGIN.
   */
  async prepareMigrationSession(connection: Connection): Promise<void> {
    const foreignKeys = Number((await connection.query('PRAGMA foreign_keys')).rows[0]?.['foreign_keys'] ?? 0) === 1
    await connection.query('PRAGMA foreign_keys = OFF')
    this.sessions.set(connection, { foreignKeys, violations: await foreignKeyViolations(connection) })
  }

  offlineSessionSql(): readonly string[] {
    return ['PRAGMA foreign_keys = OFF']
  }

  /** `PRAGMA foreign_key_check`: rows without their parent that were not there when the run started fail the commit. */
  async checkBeforeCommit(connection: Connection): Promise<void> {
    const before = this.sessions.get(connection)?.violations ?? new Map<string, number>()
    const after = await foreignKeyViolations(connection)
    const hint = 'SQLite migrations run with foreign keys off: a revision left rows whose parent row does not exist; PRAGMA foreign_key_check lists them'
    if (typeof after === 'string') {
      if (before === after) return
      throw new DatabaseError('foreign_key_violation', `foreign keys no longer check: ${after}`, { hint })
    }
    const added = [...after]
      .map(([table, count]) => ({ table, count: count - (typeof before === 'string' ? 0 : (before.get(table) ?? 0)) }))
      .filter((v) => v.count > 0)
    if (added.length === 0) return
    const total = added.reduce((sum, v) => sum + v.count, 0)
    const where = added.map((v) => `'${v.table}' (${v.count})`).join(', ')
    throw new DatabaseError('foreign_key_violation', `${total} row${total === 1 ? '' : 's'} would be left with a foreign key matching no row: ${where}`, { hint })
  }

  /** Foreign keys back as they were before the run (on, as each connection opens). */
  async endMigrationSession(connection: Connection): Promise<void> {
    const session = this.sessions.get(connection)
    this.sessions.delete(connection)
    await connection.query(`PRAGMA foreign_keys = ${session?.foreignKeys === false ? 'OFF' : 'ON'}`)
  }
}

/** Rows failing their foreign key, per table; or the check's error ("foreign key mismatch …"). */
type ForeignKeyViolations = ReadonlyMap<string, number> | string

async function foreignKeyViolations(connection: Connection): Promise<ForeignKeyViolations> {
  try {
    const result = await connection.query('SELECT "table" AS name, count(*) AS n FROM pragma_foreign_key_check GROUP BY "table"')
    return new Map(result.rows.map((row) => [String(row['name']), Number(row['n'])]))
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}
