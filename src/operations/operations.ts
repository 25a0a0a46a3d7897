import type { Connection, Dialect, DialectName, QueryResult } from '../dialects/dialect.js'
import type { BoundStatement } from '../dialects/ddl-compiler.js'
import { CommandError } from '../errors.js'
import type { Executor } from '../runtime/executor.js'
import type { Column } from '../schema/column.js'
import type { NamingConvention } from '../schema/naming.js'
import type { SqlFragment } from '../schema/sql.js'
import type { ColumnMap, ColumnName } from '../schema/table.js'
import { compact } from '../schema/util.js'
import { NeedsBatchError } from './errors.js'
import { OperationFactory } from './factory.js'
import type {
  AddEnumValueOptions,
  AlterColumnChanges,
  BatchAlterTableOptions,
  BatchOperationsApi,
  BulkInsertOptions,
  CreateForeignKeyOptions,
  CreateIndexOptions,
  CreateTableOptions,
  CreateUniqueConstraintOptions,
  DropConstraintOptions,
  DropEnumOptions,
  DropIndexOptions,
  DropTableCommentOptions,
  DropTableOptions,
  OperationsApi,
  SchemaOption,
  TableCommentOptions,
} from './operations-api.js'
import { isOperation, type Operation } from './ops.js'

/** How the runner runs a revision; all optional (an `Operations` built by hand runs outside any transaction). */
export interface OperationsOptions {
  /**
   * Whether the revision's statements run inside a transaction (a revision without
   * `export const transactional = false`, on PostgreSQL or SQLite). PostgreSQL refuses
   * `CREATE INDEX CONCURRENTLY` there. Default false.
   */
  readonly transactional?: boolean
  /**
   * Commits the run's open transaction, runs `block` outside any transaction, then begins a new
   * one: what `op.autocommitBlock` calls. Default: runs `block` as it is.
   */
  readonly autocommit?: (block: () => Promise<void>) => Promise<void>
  /** Names unnamed constraints and indexes of `createTable` and `addColumn` (default: indexes only, `ix_<table>_<column>`). */
  readonly namingConvention?: NamingConvention
}

const EMPTY_RESULT: QueryResult = { rows: [], rowCount: 0 }

/**
 * The `op` object a revision's `upgrade(op)` and `downgrade(op)` receive. Each directive builds an
 * operation object (`OperationFactory`), compiles it with the dialect's DDL compiler and sends the
 * statements to the run's executor: with bound parameters online, as literals with `--sql`.
 * On SQLite, an operation that cannot be done in place is run by copy-and-move of its table.
 */
export class Operations implements OperationsApi {
  private readonly factory: OperationFactory
  private readonly transactional: boolean
  private autocommitDepth = 0

  constructor(
    private readonly executor: Executor,
    private readonly options: OperationsOptions = {},
  ) {
    this.factory = new OperationFactory(options.namingConvention)
    this.transactional = options.transactional ?? false
  }

  /** The database in use: `postgresql`, `mysql` (also MariaDB) or `sqlite`. */
  get dialect(): DialectName {
    return this.executor.dialect.name
  }

  /** True when the revision is being rendered as a `--sql` script rather than run. */
  get offline(): boolean {
    return this.executor.offline
  }

  /**
   * The live connection, for data migrations that need more than `execute`
   * (`connection.query(sql, params)`, or `connection.raw` for the driver object).
   * Not available in `--sql` mode: there is no database there.
   */
  get connection(): Connection {
    const connection = this.executor.connection
    if (!connection) {
      throw new CommandError('offline_connection', 'op.connection is not available in --sql mode', {
        hint: 'check `op.offline` in the revision and skip data access when it is true',
      })
    }
    return connection
  }

  async createTable<const C extends ColumnMap>(name: string, columns: C, options?: CreateTableOptions<NoInfer<ColumnName<C>>>): Promise<void> {
    await this.run(this.factory.createTable(name, columns, options))
  }

  async dropTable(name: string, options?: DropTableOptions): Promise<void> {
    await this.run(this.factory.dropTable(name, options))
  }

  async renameTable(oldName: string, newName: string, options?: SchemaOption): Promise<void> {
    await this.run(this.factory.renameTable(oldName, newName, options))
  }

  async addColumn(tableName: string, columnName: string, column: Column, options?: SchemaOption): Promise<void> {
    await this.run(this.factory.addColumn(tableName, columnName, column, options))
  }

  async dropColumn(tableName: string, columnName: string, options?: SchemaOption): Promise<void> {
    await this.run(this.factory.dropColumn(tableName, columnName, options))
  }

  async alterColumn(tableName: string, columnName: string, changes: AlterColumnChanges): Promise<void> {
    await this.run(this.factory.alterColumn(tableName, columnName, changes))
  }

  async createIndex(name: string, tableName: string, columns: readonly (string | SqlFragment)[], options?: CreateIndexOptions): Promise<void> {
    await this.run(this.factory.createIndex(name, tableName, columns, options))
  }

  async dropIndex(name: string, tableName?: string, options?: DropIndexOptions): Promise<void> {
    await this.run(this.factory.dropIndex(name, tableName, options))
  }

  async createUniqueConstraint(name: string | null, tableName: string, columns: readonly string[], options?: CreateUniqueConstraintOptions): Promise<void> {
    await this.run(this.factory.createUniqueConstraint(name, tableName, columns, options))
  }

  async createForeignKey(
    name: string | null,
    sourceTable: string,
    referentTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options?: CreateForeignKeyOptions,
  ): Promise<void> {
    await this.run(this.factory.createForeignKey(name, sourceTable, referentTable, localColumns, remoteColumns, options))
  }

  async createCheckConstraint(name: string | null, tableName: string, condition: SqlFragment | string, options?: SchemaOption): Promise<void> {
    await this.run(this.factory.createCheckConstraint(name, tableName, condition, options))
  }

  async createPrimaryKey(name: string | null, tableName: string, columns: readonly string[], options?: SchemaOption): Promise<void> {
    await this.run(this.factory.createPrimaryKey(name, tableName, columns, options))
  }

  async dropConstraint(name: string, tableName: string, options?: DropConstraintOptions): Promise<void> {
    await this.run(this.factory.dropConstraint(name, tableName, options))
  }

  async createTableComment(tableName: string, comment: string, options?: TableCommentOptions): Promise<void> {
    await this.run(this.factory.createTableComment(tableName, comment, options))
  }

  async dropTableComment(tableName: string, options?: DropTableCommentOptions): Promise<void> {
    await this.run(this.factory.dropTableComment(tableName, options))
  }

  async createEnum(name: string, values: readonly string[], options?: SchemaOption): Promise<void> {
    await this.run(this.factory.createEnum(name, values, options))
  }

  async dropEnum(name: string, options?: DropEnumOptions): Promise<void> {
    await this.run(this.factory.dropEnum(name, options))
  }

  async addEnumValue(name: string, value: string, options?: AddEnumValueOptions): Promise<void> {
    await this.run(this.factory.addEnumValue(name, value, options))
  }

  /**
   * Runs SQL. `:name` placeholders bind to `params` (sent as bound parameters online, written as
   * escaped literals with `--sql`); a `sql` fragment carries its values inside the template.
   * Returns the rows online; nothing offline.
   *
   * @example await op.execute('UPDATE users SET status = :status WHERE status IS NULL', { status: 'active' })
   */
  execute(sql: string | SqlFragment, params?: Readonly<Record<string, unknown>>): Promise<QueryResult> {
    return this.run(this.factory.execute(sql, params))
  }

  async bulkInsert(tableName: string, rows: readonly Readonly<Record<string, unknown>>[], options?: BulkInsertOptions): Promise<void> {
    if (rows.length === 0) return
    await this.run(this.factory.bulkInsert(tableName, rows, options))
  }

  async batchAlterTable(tableName: string, changes: (batch: BatchOperationsApi) => void | Promise<void>, options: BatchAlterTableOptions = {}): Promise<void> {
    const recorder = new BatchRecorder(this.factory, tableName, options.schema)
    await changes(recorder)
    const operations = recorder.operations
    if (this.executor.dialect.name === 'sqlite') {
      await this.sqliteBatch(tableName, operations, options)
      return
    }
    // Elsewhere each change is an ALTER statement of its own, as Alembic does.
    for (const operation of operations) await this.run(operation)
  }

  /**
   * Runs `block` outside the revision's transaction: commits what the run did so far, runs the
   * block in autocommit mode, then begins a new transaction for the rest of the revision. In
   * `--sql` mode the script gets the `COMMIT` and the `BEGIN`. Where DDL is not transactional
   * (MySQL), and in a revision with `transactional = false`, the block simply runs.
   *
   * @example await op.autocommitBlock(async () => { await op.addEnumValue('user_status', 'pending') })
   */
  async autocommitBlock(block: () => Promise<void>): Promise<void> {
    this.autocommitDepth++
    try {
      if (this.autocommitDepth > 1 || this.options.autocommit === undefined) await block()
      else await this.options.autocommit(block)
    } finally {
      this.autocommitDepth--
    }
  }

  /** Runs a prebuilt operation object (from `OperationFactory`, `reverse()`, autogenerate). */
  async invoke(operation: Operation): Promise<void> {
    if (!isOperation(operation)) {
      throw new CommandError('bad_operation', `op.invoke() takes an operation object; got ${operation === null ? 'null' : typeof operation}`, {
        hint: 'build one with new OperationFactory().createTable(…), or call the op method directly',
      })
    }
    await this.run(operation)
  }

  // -------------------------------------------------------------------------------------------

  /** Compiles `op` for the dialect in use and sends its statements; returns the last statement's result. */
  private async run(op: Operation): Promise<QueryResult> {
    this.checkConcurrently(op)
    if (op.kind === 'dropColumn' && this.executor.dialect.name === 'sqlite' && !this.executor.offline) {
      // SQLite drops a column in place unless a key, an index, a foreign key or a check uses it,
      // which only the table's definition tells: the batch reads it and rebuilds the table if needed.
      await this.sqliteBatch(op.tableName, [op], { schema: op.schema })
      return EMPTY_RESULT
    }
    const dialect = this.executor.dialect
    const compile = (d: Dialect): readonly BoundStatement[] => {
      const compiler = d.ddlCompiler()
      return this.executor.offline ? compiler.compile(op).map((sql) => ({ sql, params: [] })) : compiler.compileBound(op)
    }
    let statements: readonly BoundStatement[]
    try {
      statements = compile(dialect)
    } catch (error) {
      if (error instanceof NeedsBatchError && 'tableName' in op && op.tableName !== undefined) {
        await this.sqliteBatch(op.tableName, [op], { schema: op.schema })
        return EMPTY_RESULT
      }
      // `execute` SQL holding `'C:\'` reads as an unclosed string where backslashes escape: its
      // `:name` parameters are not found there, but are in a session without backslash escapes.
      const session = op.kind === 'execute' && typeof op.sql === 'string' && op.sql.includes('\\') ? await this.sessionDialect() : undefined
      if (session === undefined) throw error
      return this.send(compile(session))
    }
    // A backslash in a string literal reads differently in a MySQL session with NO_BACKSLASH_ESCAPES:
    // statements holding one are written again as the session reads them (`--sql` scripts are
    // written for the default sql_mode).
    if (dialect.sessionDialect !== undefined && statements.some((s) => s.sql.includes('\\'))) {
      const session = await this.sessionDialect()
      if (session !== undefined) statements = compile(session)
    }
    return this.send(statements)
  }

  /** The dialect as the live session reads string literals, where it differs from the executor's (`Dialect.sessionDialect`). */
  private async sessionDialect(): Promise<Dialect | undefined> {
    const { connection, dialect } = this.executor
    if (connection === undefined || dialect.sessionDialect === undefined) return undefined
    const session = await dialect.sessionDialect(connection)
    return session === dialect ? undefined : session
  }

  private async send(statements: readonly BoundStatement[]): Promise<QueryResult> {
    let result = EMPTY_RESULT
    for (const { sql, params } of statements) {
      result = await this.executor.execute(sql, params.length > 0 ? params : undefined)
    }
    return result
  }

  /** SQLite copy-and-move of `tableName` with `operations` applied (`src/operations/batch.ts`, loaded on first use). */
  private async sqliteBatch(tableName: string, operations: readonly Operation[], options: BatchAlterTableOptions): Promise<void> {
    operations.forEach((op) => this.checkConcurrently(op))
    const { runSqliteBatch } = await import('./batch.js')
    await runSqliteBatch(this.executor, tableName, operations, compact({ schema: options.schema, recreate: options.recreate, copyFrom: options.copyFrom }))
  }

  /** PostgreSQL refuses `CREATE/DROP INDEX CONCURRENTLY` inside a transaction: say so before the server does. */
  private checkConcurrently(op: Operation): void {
    if (this.executor.dialect.name !== 'postgresql') return
    if ((op.kind !== 'createIndex' && op.kind !== 'dropIndex') || !op.concurrently) return
    if (!this.transactional || this.autocommitDepth > 0) return
    const name = op.kind === 'createIndex' ? op.index.name : op.name
    const verb = op.kind === 'createIndex' ? 'CREATE' : 'DROP'
    throw new CommandError(
      'concurrently_in_transaction',
      `${verb} INDEX CONCURRENTLY (index '${name}') cannot run inside a transaction: add \`export const transactional = false\` to the revision`,
      { hint: 'or wrap the call in `await op.autocommitBlock(async () => { … })`, which commits the transaction around it' },
    )
  }
}

/** Records the changes of `op.batchAlterTable(table, (batch) => …)` as operations on that table. */
class BatchRecorder implements BatchOperationsApi {
  readonly operations: Operation[] = []

  constructor(
    private readonly factory: OperationFactory,
    private readonly tableName: string,
    private readonly schema: string | undefined,
  ) {}

  private get schemaOption(): SchemaOption {
    return this.schema === undefined ? {} : { schema: this.schema }
  }

  addColumn(columnName: string, column: Column): void {
    this.operations.push(this.factory.addColumn(this.tableName, columnName, column, this.schemaOption))
  }

  dropColumn(columnName: string): void {
    this.operations.push(this.factory.dropColumn(this.tableName, columnName, this.schemaOption))
  }

  alterColumn(columnName: string, changes: Omit<AlterColumnChanges, 'schema'>): void {
    this.operations.push(this.factory.alterColumn(this.tableName, columnName, { ...changes, ...this.schemaOption }))
  }

  createIndex(name: string, columns: readonly (string | SqlFragment)[], options: Omit<CreateIndexOptions, 'schema'> = {}): void {
    this.operations.push(this.factory.createIndex(name, this.tableName, columns, { ...options, ...this.schemaOption }))
  }

  dropIndex(name: string): void {
    this.operations.push(this.factory.dropIndex(name, this.tableName, this.schemaOption))
  }

  createUniqueConstraint(name: string | null, columns: readonly string[], options: Omit<CreateUniqueConstraintOptions, 'schema'> = {}): void {
    this.operations.push(this.factory.createUniqueConstraint(name, this.tableName, columns, { ...options, ...this.schemaOption }))
  }

  createForeignKey(
    name: string | null,
    referentTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: Omit<CreateForeignKeyOptions, 'sourceSchema'> = {},
  ): void {
    const sourceSchema = this.schema === undefined ? {} : { sourceSchema: this.schema }
    this.operations.push(this.factory.createForeignKey(name, this.tableName, referentTable, localColumns, remoteColumns, { ...options, ...sourceSchema }))
  }

  createCheckConstraint(name: string | null, condition: SqlFragment | string): void {
    this.operations.push(this.factory.createCheckConstraint(name, this.tableName, condition, this.schemaOption))
  }

  createPrimaryKey(name: string | null, columns: readonly string[]): void {
    this.operations.push(this.factory.createPrimaryKey(name, this.tableName, columns, this.schemaOption))
  }

  dropConstraint(name: string, options: Omit<DropConstraintOptions, 'schema'> = {}): void {
    this.operations.push(this.factory.dropConstraint(name, this.tableName, { ...options, ...this.schemaOption }))
  }
}
