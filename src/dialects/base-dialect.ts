import type { DdlCompiler } from './ddl-compiler.js'
import type { ConnectOptions, Connection, DatabaseUrl, Dialect, DialectName, VersionTableName } from './dialect.js'
import { unsupported } from './literals.js'
import type { SqlSyntax } from './sql-quoted.js'

/** What the three dialects spell alike; each subclass overrides what differs. */
export abstract class BaseDialect implements Dialect {
  abstract readonly name: DialectName
  abstract readonly transactionalDdl: boolean
  abstract readonly sqlSyntax: SqlSyntax
  /** The product name used in messages: `PostgreSQL`, `MySQL`, `SQLite`. */
  abstract readonly label: string
  /** The identifier quote character, doubled inside a name. */
  protected abstract readonly identifierQuote: string

  get backslashEscapesInStrings(): boolean {
    return this.sqlSyntax.backslashEscapes
  }

  /** A NUL character is refused: no database accepts it in a name. */
  quoteIdentifier(name: string): string {
    if (name.includes('\0')) throw unsupported('an identifier containing a NUL character', this.label)
    const quote = this.identifierQuote
    return `${quote}${name.replaceAll(quote, quote + quote)}${quote}`
  }

  quoteQualified(name: string, schema?: string): string {
    return schema === undefined ? this.quoteIdentifier(name) : `${this.quoteIdentifier(schema)}.${this.quoteIdentifier(name)}`
  }

  abstract literal(value: unknown): string

  private compiler: DdlCompiler | undefined

  /** The DDL compiler of this dialect, created on first use and kept. */
  ddlCompiler(): DdlCompiler {
    this.compiler ??= this.createDdlCompiler()
    return this.compiler
  }

  protected abstract createDdlCompiler(): DdlCompiler

  /** `?` unless overridden. */
  placeholder(_index: number): string {
    return '?'
  }

  abstract connect(url: DatabaseUrl, options?: ConnectOptions): Promise<Connection>

  beginTransactionSql(): string {
    return 'BEGIN'
  }

  commitSql(): string {
    return 'COMMIT'
  }

  rollbackSql(): string {
    return 'ROLLBACK'
  }

  createVersionTableSql(name: VersionTableName): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${this.quoteQualified(name.table, name.schema)} ` +
        `(version_num VARCHAR(32) NOT NULL, CONSTRAINT ${this.quoteIdentifier(`${name.table}_pkc`)} PRIMARY KEY (version_num))`,
    ]
  }

  abstract versionTableExists(connection: Connection, name: VersionTableName): Promise<boolean>
  abstract acquireMigrationLock(connection: Connection, key: string, timeoutSeconds: number): Promise<void>
  abstract releaseMigrationLock(connection: Connection, key: string): Promise<void>
}
