/**
 * The `op` API revision scripts use: Alembic's directives in camelCase. The `Operations` class
 * (operations.ts) implements it by building each operation with `OperationFactory`
 * (factory.ts) and running it through the executor, so every directive works online and with `--sql`.
 */
import type { Connection, DialectName, QueryResult } from '../dialects/dialect.js'
import type { Column, ReferenceOptions } from '../schema/column.js'
import type { ColumnMap, ColumnName, Table, TableOptions } from '../schema/table.js'
import type { ConstraintType, DefaultValue, GeneratedSpec, TableSpec } from '../schema/spec.js'
import type { SqlFragment } from '../schema/sql.js'
import type { Operation } from './ops.js'

export interface SchemaOption {
  /** Schema of the table (PostgreSQL schema, MySQL database, SQLite attached database); default: the connection's. */
  readonly schema?: string
}

export interface CreateTableOptions<K extends string = string> extends TableOptions<K> {
  /** `CREATE TABLE IF NOT EXISTS`. */
  readonly ifNotExists?: boolean
}

export interface DropTableOptions extends SchemaOption {
  /** `DROP TABLE IF EXISTS`. */
  readonly ifExists?: boolean
}

/** What `alterColumn` changes (leave a field out to keep it), and what the column is now (`existing*`). */
export interface AlterColumnChanges extends SchemaOption {
  /** New type: `varchar(100)`, `bigint()`. */
  readonly type?: Column
  readonly nullable?: boolean
  /** New server default; `null` drops it. */
  readonly serverDefault?: DefaultValue | null
  readonly newColumnName?: string
  /** New comment; `null` drops it. */
  readonly comment?: string | null
  /** PostgreSQL `USING` expression converting values to the new type: sql\`amount::numeric(10, 2)\`. */
  readonly using?: SqlFragment | string
  /**
   * The column's current type. MySQL needs it for any change but a default or a rename (`MODIFY`
   * restates the whole column); also makes the change reversible.
   */
  readonly existingType?: Column
  /** Current nullability; MySQL needs it unless `nullable` is given. */
  readonly existingNullable?: boolean
  /** Current default, `null` for none; MySQL needs it unless `serverDefault` is given (else `MODIFY` would drop it). */
  readonly existingServerDefault?: DefaultValue | null
  /** Current comment, `null` for none; MySQL needs it unless `comment` is given (else `MODIFY` would drop it). */
  readonly existingComment?: string | null
  /** Whether the column is AUTO_INCREMENT now (MySQL restates it in `MODIFY`). Default false. */
  readonly existingAutoincrement?: boolean
  /**
   * The column's collation now, when it has its own (`existingType: varchar(50).collate('…')` says
   * it too): a type change restates it, where MySQL's `MODIFY` would give the column its table's
   * default collation (converting its text) and PostgreSQL the new type's. A collation on `type`
   * (`type: varchar(100).collate('…')`) is the one the column gets.
   */
  readonly existingCollation?: string
  /**
   * Make the column generated (`{ expression: sql\`price * qty\`, stored?: boolean }`), change its
   * expression, or with `null` make a generated column a plain one keeping its values. Needs
   * `existingGenerated`. PostgreSQL and MySQL recreate the column where they cannot change it in
   * place (its indexes and constraints must then be recreated too: autogenerate writes them).
   */
  readonly generated?: GeneratedSpec | null
  /** The column's generation now, `null` for a plain column. MySQL restates it in `MODIFY`; `generated` needs it. */
  readonly existingGenerated?: GeneratedSpec | null
  /**
   * MariaDB: give the column a check of its own (`sql\`qty >= 0\``: `MODIFY qty INT CHECK (qty >= 0)`,
   * the check named after the column), or with `null` drop the one it has: MariaDB cannot drop a
   * column-level check by name. PostgreSQL and SQLite refuse it (use `createCheckConstraint`).
   */
  readonly columnCheck?: SqlFragment | string | null
  /**
   * MariaDB: the column's own check now, `null` for none. `MODIFY` restates it (the server silently
   * drops a column-level check otherwise); `columnCheck` needs it to be reversed.
   */
  readonly existingColumnCheck?: SqlFragment | string | null
  /** MySQL 8.0.23+ / MariaDB 10.3+: make the column `INVISIBLE` (true) or visible again (false). PostgreSQL and SQLite refuse it. */
  readonly invisible?: boolean
  /** Whether the column is `INVISIBLE` now: MySQL's `MODIFY` restates it (else the column becomes visible). Default false. */
  readonly existingInvisible?: boolean
}

export interface CreateUniqueConstraintOptions extends SchemaOption {
  /** PostgreSQL `DEFERRABLE` (MySQL and SQLite have none: left out there). */
  readonly deferrable?: boolean
  readonly initially?: 'DEFERRED' | 'IMMEDIATE' | 'deferred' | 'immediate'
  /** PostgreSQL 15 `NULLS NOT DISTINCT`: NULLs count as equal (MySQL and SQLite have none: left out there). */
  readonly nullsNotDistinct?: boolean
}

export interface CreateIndexOptions extends SchemaOption {
  readonly unique?: boolean
  /** Partial index condition (PostgreSQL, SQLite). */
  readonly where?: SqlFragment | string
  /** Index method: `gin`, `gist`, `brin`, `hash` (PostgreSQL), `BTREE`/`HASH` (MySQL). Ignored on SQLite. */
  readonly using?: string
  /** PostgreSQL `CREATE INDEX CONCURRENTLY`: needs `export const transactional = false` in the revision. Ignored elsewhere. */
  readonly concurrently?: boolean
  readonly ifNotExists?: boolean
  /** Columns (of `columns`, by name) in descending order: `DESC`. */
  readonly descending?: readonly string[]
  /** A unique index's PostgreSQL 15 `NULLS NOT DISTINCT` (left out on MySQL and SQLite). */
  readonly nullsNotDistinct?: boolean
}

export interface DropIndexOptions extends SchemaOption {
  readonly concurrently?: boolean
  readonly ifExists?: boolean
}

export interface CreateForeignKeyOptions extends Omit<ReferenceOptions, 'name'> {
  /** Schema of the referring table. */
  readonly sourceSchema?: string
  /** Schema of the referred table. */
  readonly referentSchema?: string
}

export interface DropConstraintOptions extends SchemaOption {
  /** Kind of constraint. MySQL needs it: it drops each kind with its own statement. */
  readonly type?: ConstraintType
}

export interface TableCommentOptions extends SchemaOption {
  /** The comment being replaced, to make the change reversible. */
  readonly existingComment?: string | null
}

export interface DropTableCommentOptions extends SchemaOption {
  /** The comment being dropped, to make the drop reversible. */
  readonly existingComment?: string
}

export interface DropEnumOptions extends SchemaOption {
  readonly ifExists?: boolean
  /** The type's values, to make the drop reversible. */
  readonly existingValues?: readonly string[]
}

export interface AddEnumValueOptions extends SchemaOption {
  /** Place the new value before this one (default: last). */
  readonly before?: string
  /** Place the new value after this one. */
  readonly after?: string
  /** `ADD VALUE IF NOT EXISTS`. */
  readonly ifNotExists?: boolean
}

export interface BulkInsertOptions extends SchemaOption {
  /** One multi-row INSERT per group of rows with the same columns (default true), or one INSERT per row. */
  readonly multiInsert?: boolean
}

export interface BatchAlterTableOptions extends SchemaOption {
  /**
   * When to rebuild the table by copy-and-move: `auto` (default) only on SQLite and only for changes
   * SQLite cannot make in place; `always`; `never` (run the changes as plain ALTER statements).
   */
  readonly recreate?: 'auto' | 'always' | 'never'
  /**
   * SQLite: the table as it is now, used instead of reading it from the database. Needed with
   * `--sql` (there is no database to read); online it skips the reflection.
   */
  readonly copyFrom?: Table | TableSpec
}

/** The directives available inside `op.batchAlterTable(table, (batch) => …)`: the table is implied. */
export interface BatchOperationsApi {
  addColumn(columnName: string, column: Column): void
  dropColumn(columnName: string): void
  alterColumn(columnName: string, changes: Omit<AlterColumnChanges, 'schema'>): void
  createIndex(name: string, columns: readonly (string | SqlFragment)[], options?: Omit<CreateIndexOptions, 'schema'>): void
  dropIndex(name: string): void
  createUniqueConstraint(name: string | null, columns: readonly string[], options?: Omit<CreateUniqueConstraintOptions, 'schema'>): void
  createForeignKey(name: string | null, referentTable: string, localColumns: readonly string[], remoteColumns: readonly string[], options?: Omit<CreateForeignKeyOptions, 'sourceSchema'>): void
  createCheckConstraint(name: string | null, condition: SqlFragment | string): void
  createPrimaryKey(name: string | null, columns: readonly string[]): void
  dropConstraint(name: string, options?: Omit<DropConstraintOptions, 'schema'>): void
}

export interface OperationsApi {
  /** The database in use: `postgresql`, `mysql` (also MariaDB) or `sqlite`. */
  readonly dialect: DialectName
  /** True when the revision is rendered as a `--sql` script rather than run. */
  readonly offline: boolean
  /** The live connection for data migrations; an error in `--sql` mode. */
  readonly connection: Connection

  /**
   * `CREATE TABLE`, with its constraints, indexes and comments; on PostgreSQL also the enum types
   * its columns use (skipped when they exist).
   * @example await op.createTable('users', { id: integer().primaryKey().autoincrement(), email: varchar(255).notNull() }, { indexes: [index('ix_users_email').on('email')] })
   */
  createTable<const C extends ColumnMap>(name: string, columns: C, options?: CreateTableOptions<NoInfer<ColumnName<C>>>): Promise<void>

  /** `DROP TABLE`. @example await op.dropTable('users') */
  dropTable(name: string, options?: DropTableOptions): Promise<void>

  /** `ALTER TABLE … RENAME TO`. @example await op.renameTable('user', 'users') */
  renameTable(oldName: string, newName: string, options?: SchemaOption): Promise<void>

  /**
   * `ALTER TABLE … ADD COLUMN`; constraints declared on the column (`.references()`, `.unique()`,
   * `.index()`) are added with it. On SQLite, a column SQLite cannot add in place goes through copy-and-move.
   * @example await op.addColumn('users', 'age', integer().notNull().default(0))
   */
  addColumn(tableName: string, columnName: string, column: Column, options?: SchemaOption): Promise<void>

  /** `ALTER TABLE … DROP COLUMN`. @example await op.dropColumn('users', 'age') */
  dropColumn(tableName: string, columnName: string, options?: SchemaOption): Promise<void>

  /**
   * Changes a column's type, nullability, default, name or comment. MySQL restates the whole column
   * (`MODIFY`/`CHANGE`) and needs the `existing*` hints for what does not change; SQLite rebuilds the table.
   * @example await op.alterColumn('users', 'name', { type: varchar(100), existingType: varchar(50), existingNullable: true, existingServerDefault: null, existingComment: null })
   */
  alterColumn(tableName: string, columnName: string, changes: AlterColumnChanges): Promise<void>

  /**
   * `CREATE INDEX`. Columns are names or `sql` expressions.
   * @example await op.createIndex('ix_users_lower_email', 'users', [sql`lower(email)`], { unique: true })
   */
  createIndex(name: string, tableName: string, columns: readonly (string | SqlFragment)[], options?: CreateIndexOptions): Promise<void>

  /** `DROP INDEX`. MySQL needs `tableName`. @example await op.dropIndex('ix_users_email', 'users') */
  dropIndex(name: string, tableName?: string, options?: DropIndexOptions): Promise<void>

  /**
   * `ADD CONSTRAINT … UNIQUE`; `deferrable` / `initially` on PostgreSQL (left out elsewhere).
   * @example await op.createUniqueConstraint('uq_users_email', 'users', ['email'])
   */
  createUniqueConstraint(name: string | null, tableName: string, columns: readonly string[], options?: CreateUniqueConstraintOptions): Promise<void>

  /**
   * `ADD CONSTRAINT … FOREIGN KEY`.
   * @example await op.createForeignKey('fk_posts_author_id_users', 'posts', 'users', ['author_id'], ['id'], { onDelete: 'CASCADE' })
   */
  createForeignKey(
    name: string | null,
    sourceTable: string,
    referentTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options?: CreateForeignKeyOptions,
  ): Promise<void>

  /** `ADD CONSTRAINT … CHECK`. @example await op.createCheckConstraint('ck_price_positive', 'products', sql`price > 0`) */
  createCheckConstraint(name: string | null, tableName: string, condition: SqlFragment | string, options?: SchemaOption): Promise<void>

  /** `ADD CONSTRAINT … PRIMARY KEY`. @example await op.createPrimaryKey('pk_members', 'members', ['org_id', 'user_id']) */
  createPrimaryKey(name: string | null, tableName: string, columns: readonly string[], options?: SchemaOption): Promise<void>

  /** Drops a constraint by name. MySQL needs `type`. @example await op.dropConstraint('fk_posts_author_id_users', 'posts', { type: 'foreignkey' }) */
  dropConstraint(name: string, tableName: string, options?: DropConstraintOptions): Promise<void>

  /** Sets the table comment (PostgreSQL, MySQL; nothing on SQLite). @example await op.createTableComment('users', 'Registered users') */
  createTableComment(tableName: string, comment: string, options?: TableCommentOptions): Promise<void>

  /** Removes the table comment. @example await op.dropTableComment('users', { existingComment: 'Registered users' }) */
  dropTableComment(tableName: string, options?: DropTableCommentOptions): Promise<void>

  /** PostgreSQL `CREATE TYPE … AS ENUM`. @example await op.createEnum('user_status', ['active', 'banned']) */
  createEnum(name: string, values: readonly string[], options?: SchemaOption): Promise<void>

  /** PostgreSQL `DROP TYPE`. @example await op.dropEnum('user_status') */
  dropEnum(name: string, options?: DropEnumOptions): Promise<void>

  /** PostgreSQL `ALTER TYPE … ADD VALUE` (irreversible). @example await op.addEnumValue('user_status', 'pending', { before: 'active' }) */
  addEnumValue(name: string, value: string, options?: AddEnumValueOptions): Promise<void>

  /**
   * Runs SQL. `:name` placeholders bind to `params` (bound online, literals with `--sql`).
   * Returns the rows online, nothing offline.
   * @example await op.execute('UPDATE users SET status = :status WHERE status IS NULL', { status: 'active' })
   */
  execute(sql: string | SqlFragment, params?: Readonly<Record<string, unknown>>): Promise<QueryResult>

  /** Inserts rows (bound parameters online, literals with `--sql`). @example await op.bulkInsert('roles', [{ id: 1, name: 'admin' }]) */
  bulkInsert(tableName: string, rows: readonly Readonly<Record<string, unknown>>[], options?: BulkInsertOptions): Promise<void>

  /**
   * Several changes to one table; on SQLite, when any of them cannot be made in place, the table is
   * rebuilt once (new table, rows copied, old dropped, new renamed; foreign keys off, then checked).
   * @example await op.batchAlterTable('users', (batch) => { batch.alterColumn('email', { nullable: false }) })
   */
  batchAlterTable(tableName: string, changes: (batch: BatchOperationsApi) => void | Promise<void>, options?: BatchAlterTableOptions): Promise<void>

  /** Runs `block` outside the revision's transaction (PostgreSQL `ALTER TYPE … ADD VALUE` before 12, `CREATE INDEX CONCURRENTLY`). */
  autocommitBlock(block: () => Promise<void>): Promise<void>

  /** Runs a prebuilt operation object (what every other directive does). */
  invoke(operation: Operation): Promise<void>
}

/** The directives that build exactly one operation object. */
export type OperationMethod = Exclude<keyof OperationsApi, 'dialect' | 'offline' | 'connection' | 'batchAlterTable' | 'autocommitBlock' | 'invoke'>
