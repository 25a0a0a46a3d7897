/**
 * Compiling operations to SQL statements. The base class writes standard SQL; each dialect's
 * subclass (`postgres/postgres-ddl-compiler.ts`, `mysql/…`, `sqlite/…`) overrides what differs:
 * type names, column definitions, index and constraint statements, and what it cannot do.
 *
 * `compile(op)` returns the statements (no trailing `;`) with every value written as a literal:
 * the `--sql` form. `compileBound(op)` returns the same with bound parameters for the data
 * operations (`execute`, `bulkInsert`): the online form.
 */
import type {
  AddColumnOp,
  AddEnumValueOp,
  AlterColumnOp,
  BulkInsertOp,
  CreateCheckConstraintOp,
  CreateEnumOp,
  CreateForeignKeyOp,
  CreateIndexOp,
  CreatePrimaryKeyOp,
  CreateTableCommentOp,
  CreateTableOp,
  CreateUniqueConstraintOp,
  DropColumnOp,
  DropConstraintOp,
  DropEnumOp,
  DropIndexOp,
  DropTableCommentOp,
  DropTableOp,
  ExecuteSqlOp,
  RenameTableOp,
  Operation,
} from '../operations/ops.js'
import { UnsupportedOperationError } from '../operations/errors.js'
import { SchemaError } from '../schema/errors.js'
import type {
  CheckSpec,
  ColumnSpec,
  DefaultValue,
  ForeignKeySpec,
  IndexSpec,
  PrimaryKeySpec,
  TableSpec,
  UniqueSpec,
} from '../schema/spec.js'
import { renderSqlFragment, SqlFragment } from '../schema/sql.js'
import { isIntegerType, type ColumnType, type EnumType } from '../schema/types.js'
import { rewriteNamedParameters } from '../runtime/sql-text.js'
import type { Dialect, DialectName } from './dialect.js'

/** What a compiler needs from a dialect: quoting and literals, no connection. */
export type DdlDialect = Pick<Dialect, 'quoteIdentifier' | 'quoteQualified' | 'literal' | 'sqlSyntax'>

/** A statement with bound parameters in the dialect's placeholder style (`$1` or `?`). */
export interface BoundStatement {
  readonly sql: string
  readonly params: readonly unknown[]
}

/** Where a column is being written: its table, and whether the statement creates the table. */
export interface ColumnContext {
  readonly tableName: string
  readonly schema: string | undefined
  /** The table's primary key, when known (CREATE TABLE). */
  readonly primaryKey?: PrimaryKeySpec
}

/** Indentation of the lines inside `CREATE TABLE (…)` and multi-action `ALTER TABLE`. */
export const INDENT = '    '

export abstract class DdlCompiler {
  abstract readonly dialectName: DialectName
  /** Human name for messages: `PostgreSQL`, `MySQL`, `SQLite`. */
  protected abstract readonly label: string
  /** Most bound parameters one statement may carry. */
  protected abstract readonly maxBindParameters: number

  constructor(protected readonly dialect: DdlDialect) {}

  /** The statements of `op`, values as literals (the `--sql` form). */
  compile(op: Operation): string[] {
    switch (op.kind) {
      case 'createTable':
        return this.createTable(op)
      case 'dropTable':
        return this.dropTable(op)
      case 'renameTable':
        return this.renameTable(op)
      case 'addColumn':
        return this.addColumn(op)
      case 'dropColumn':
        return this.dropColumn(op)
      case 'alterColumn':
        return this.alterColumn(op)
      case 'createIndex':
        return this.createIndex(op)
      case 'dropIndex':
        return this.dropIndex(op)
      case 'createUniqueConstraint':
        return this.createUniqueConstraint(op)
      case 'createForeignKey':
        return this.createForeignKey(op)
      case 'createCheckConstraint':
        return this.createCheckConstraint(op)
      case 'createPrimaryKey':
        return this.createPrimaryKey(op)
      case 'dropConstraint':
        return this.dropConstraint(op)
      case 'createTableComment':
        return this.createTableComment(op)
      case 'dropTableComment':
        return this.dropTableComment(op)
      case 'createEnum':
        return this.createEnum(op)
      case 'dropEnum':
        return this.dropEnum(op)
      case 'addEnumValue':
        return this.addEnumValue(op)
      case 'execute':
        return [this.inlineParameters(op)]
      case 'bulkInsert':
        return this.bulkInsertLiterals(op)
    }
  }

  /** The statements of `op` for a live connection: `execute` and `bulkInsert` with bound parameters. */
  compileBound(op: Operation): BoundStatement[] {
    if (op.kind === 'execute') return [this.bindParameters(op)]
    if (op.kind === 'bulkInsert') return this.bulkInsertBound(op)
    return this.compile(op).map((sql) => ({ sql, params: [] }))
  }

  /** Placeholder of the 1-based parameter `index`. */
  abstract placeholder(index: number): string

  // -------------------------------------------------------------------------------------------
  // Building blocks

  /**
   * The longest name the database keeps as given, and its unit: PostgreSQL cuts longer names to
   * 63 bytes without a word (the models would then never match the database), MySQL refuses names
   * over 64 characters. Undefined: no limit (SQLite).
   */
  protected readonly nameLimit: { readonly max: number; readonly unit: 'bytes' | 'characters' } | undefined = undefined

  /** @throws SchemaError for a name longer than the database keeps (`nameLimit`) */
  protected checkName(name: string): void {
    const limit = this.nameLimit
    if (limit === undefined) return
    const length = limit.unit === 'bytes' ? Buffer.byteLength(name) : [...name].length
    if (length <= limit.max) return
    throw new SchemaError('name_too_long', `the name '${name}' is ${length} ${limit.unit} long: ${this.label} keeps ${limit.max} at most${limit.unit === 'bytes' ? ' (and would cut it silently)' : ''}`, {
      hint: 'give it a shorter name (names made by a naming convention are shortened to 63 bytes by themselves)',
    })
  }

  protected q(name: string): string {
    this.checkName(name)
    return this.dialect.quoteIdentifier(name)
  }

  protected qt(name: string, schema: string | undefined): string {
    this.checkName(name)
    if (schema !== undefined) this.checkName(schema)
    return this.dialect.quoteQualified(name, schema)
  }

  protected columns(names: readonly string[]): string {
    return names.map((n) => this.q(n)).join(', ')
  }

  protected literal(value: unknown): string {
    return this.dialect.literal(value)
  }

  protected sqlText(fragment: SqlFragment): string {
    return renderSqlFragment(fragment, this.dialect)
  }

  protected unsupported(what: string, hint?: string): UnsupportedOperationError {
    return new UnsupportedOperationError(`${this.label} has no ${what}`, hint)
  }

  /** The type as written in DDL. */
  protected abstract typeSql(type: ColumnType, context: ColumnContext): string

  /** A custom type's text; an error for `untyped()` where every column needs a type (all but SQLite). */
  protected customTypeSql(type: { readonly sql: string }, context: ColumnContext): string {
    if (type.sql.trim() === '') throw this.unsupported(`columns without a type (a column of '${context.tableName}' is untyped())`, "give it a type: sqlType('…') or a typed builder")
    return type.sql
  }

  /** `ENUM` values written as literals: `'a', 'b'`. */
  protected enumValues(values: readonly string[]): string {
    return values.map((v) => this.literal(v)).join(', ')
  }

  /** The schema of an enum type: its own, else the table's. */
  protected enumSchema(type: EnumType, context: { readonly schema?: string | undefined }): string | undefined {
    return type.schema ?? context.schema
  }

  protected defaultSql(value: DefaultValue): string {
    return value instanceof SqlFragment ? this.sqlText(value) : this.literal(value)
  }

  /** `COLLATE x`: a simple name bare, anything else quoted. */
  protected collateSql(collation: string): string {
    return `COLLATE ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(collation) ? collation : this.q(collation)}`
  }

  /**
   * Whether a column of `type` has a collation: character types, and custom types named like one
   * (`tinytext`, `character varying(20)`, `nvarchar`…).
   */
  protected collatable(type: ColumnType): boolean {
    switch (type.kind) {
      case 'varchar':
      case 'char':
      case 'text':
        return true
      case 'custom':
        return /^\s*(?:(?:tiny|medium|long)?text|n?(?:var)?char|character|national|citext|enum|set)\b/i.test(type.sql)
      default:
        return false
    }
  }

  /**
   * The collation `alterColumn` writes with a new type (or, on MySQL, with any restated column):
   * the new type's own, else the column's current one; none for a type without collation.
   */
  protected alteredCollation(op: AlterColumnOp, type: ColumnType): string | undefined {
    const collation = op.type === undefined ? op.existingCollation : (op.collation ?? op.existingCollation)
    return collation !== undefined && this.collatable(type) ? collation : undefined
  }

  protected checkAutoincrement(column: ColumnSpec, context: ColumnContext): void {
    // Custom integer types too: MySQL's TINYINT/MEDIUMINT (introspect writes them as sqlType), int4…
    const integer = isIntegerType(column.type) || (column.type.kind === 'custom' && /^\s*(?:(?:tiny|small|medium|big)?int(?:eger)?|int[248])\b/i.test(column.type.sql))
    if (column.autoincrement && !integer) {
      throw new SchemaError('bad_autoincrement', `column '${context.tableName}.${column.name}' is autoincrement but not an integer type`, {
        hint: 'autoincrement()/identity() apply to integer(), smallint() and bigint() columns (or an integer sqlType, such as TINYINT)',
      })
    }
  }

  /**
   * ` GENERATED ALWAYS AS (expression)` and the kind the column asks for (` STORED` / ` VIRTUAL`,
   * nothing for the database's default); '' for a column that is not generated.
   */
  protected generatedSql(column: ColumnSpec): string {
    const generated = column.generated
    if (generated === undefined) return ''
    return ` GENERATED ALWAYS AS (${this.sqlText(generated.expression)})${generated.stored === undefined ? '' : generated.stored ? ' STORED' : ' VIRTUAL'}`
  }

  /** `"name" TYPE …`: the column definition of CREATE TABLE and ADD COLUMN. */
  protected abstract columnDefinition(column: ColumnSpec, context: ColumnContext): string

  protected constraintName(name: string | undefined): string {
    return name === undefined ? '' : `CONSTRAINT ${this.q(name)} `
  }

  protected primaryKeyClause(pk: PrimaryKeySpec): string {
    return `${this.constraintName(pk.name)}PRIMARY KEY (${this.columns(pk.columns)})`
  }

  protected uniqueClause(unique: UniqueSpec): string {
    return `${this.constraintName(unique.name)}UNIQUE ${this.nullsNotDistinctSql(unique)}(${this.columns(unique.columns)})${this.deferrableSql(unique)}`
  }

  /** `NULLS NOT DISTINCT ` of a unique constraint or index (PostgreSQL 15; the others have none). */
  protected nullsNotDistinctSql(_unique: { readonly nullsNotDistinct?: boolean }): string {
    return ''
  }

  /** ` DEFERRABLE [INITIALLY …]` of a unique constraint (PostgreSQL; the others have none). */
  protected deferrableSql(_unique: UniqueSpec): string {
    return ''
  }

  protected checkClause(check: CheckSpec): string {
    return `${this.constraintName(check.name)}CHECK (${this.sqlText(check.expression)})`
  }

  /** `REFERENCES "t" ("id")`: the referred table as this dialect names it. */
  protected referencesSql(fk: ForeignKeySpec): string {
    return `REFERENCES ${this.qt(fk.referredTable, fk.referredSchema)} (${this.columns(fk.referredColumns)})`
  }

  protected foreignKeyClause(fk: ForeignKeySpec): string {
    return `${this.constraintName(fk.name)}FOREIGN KEY (${this.columns(fk.columns)}) ${this.referencesSql(fk)}${this.foreignKeyOptions(fk)}`
  }

  protected foreignKeyOptions(fk: ForeignKeySpec): string {
    let out = ''
    if (fk.match !== undefined) out += ` MATCH ${fk.match}`
    if (fk.onDelete !== undefined) out += ` ON DELETE ${fk.onDelete}`
    if (fk.onUpdate !== undefined) out += ` ON UPDATE ${fk.onUpdate}`
    if (fk.deferrable !== undefined) out += fk.deferrable ? ' DEFERRABLE' : ' NOT DEFERRABLE'
    if (fk.initially !== undefined) out += ` INITIALLY ${fk.initially}`
    return out
  }

  /** The table-level constraint lines of CREATE TABLE. */
  protected tableConstraints(table: TableSpec): string[] {
    return [
      ...(table.primaryKey ? [this.primaryKeyClause(table.primaryKey)] : []),
      ...table.uniques.map((u) => this.uniqueClause(u)),
      ...table.foreignKeys.map((fk) => this.foreignKeyClause(fk)),
      ...table.checks.map((c) => this.checkClause(c)),
    ]
  }

  /** Text after the closing parenthesis of CREATE TABLE (MySQL's table comment). */
  protected tableSuffix(_table: TableSpec): string {
    return ''
  }

  /** `CREATE TABLE …` alone: no indexes, comments or types. */
  createTableStatement(table: TableSpec, ifNotExists = false): string {
    const context: ColumnContext = { tableName: table.name, schema: table.schema, primaryKey: table.primaryKey }
    const lines = [...table.columns.map((c) => this.columnDefinition(c, context)), ...this.tableConstraints(table)]
    const head = `CREATE TABLE ${ifNotExists ? 'IF NOT EXISTS ' : ''}${this.qt(table.name, table.schema)}`
    return `${head} (\n${lines.map((l) => INDENT + l).join(',\n')}\n)${this.tableSuffix(table)}`
  }

  protected alterTable(tableName: string, schema: string | undefined, actions: readonly string[]): string {
    const head = `ALTER TABLE ${this.qt(tableName, schema)}`
    return actions.length === 1 ? `${head} ${actions[0]}` : `${head}\n${actions.map((a) => INDENT + a).join(',\n')}`
  }

  /** The name of an index in `CREATE INDEX` (SQLite qualifies it with the schema). */
  protected indexName(index: IndexSpec, _schema: string | undefined): string {
    return this.q(index.name)
  }

  /** The table of `CREATE INDEX … ON table`. */
  protected indexTable(tableName: string, schema: string | undefined): string {
    return this.qt(tableName, schema)
  }

  protected indexColumns(index: IndexSpec): string {
    return index.columns.map((c) => (c instanceof SqlFragment ? `(${this.sqlText(c)})` : `${this.q(c)}${this.descSql(index, c)}`)).join(', ')
  }

  /** ` DESC` for a column the index keeps in descending order. */
  protected descSql(index: IndexSpec, column: string): string {
    return index.descending?.includes(column) ? ' DESC' : ''
  }

  protected indexMethod(method: string): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(method)) {
      throw new SchemaError('bad_index', `index method '${method}' is not a plain name`, { hint: 'use a method such as gin, gist, brin, hash or btree' })
    }
    return method
  }

  /** `CREATE INDEX` of `index` on the table. */
  abstract createIndexStatement(index: IndexSpec, tableName: string, schema: string | undefined, options?: { concurrently?: boolean; ifNotExists?: boolean }): string

  // -------------------------------------------------------------------------------------------
  // Operations

  protected createTable(op: CreateTableOp): string[] {
    const table = op.table
    return [
      this.createTableStatement(table, op.ifNotExists),
      ...table.indexes.map((ix) => this.createIndexStatement(ix, table.name, table.schema, { ifNotExists: op.ifNotExists })),
    ]
  }

  protected dropTable(op: DropTableOp): string[] {
    return [`DROP TABLE ${op.ifExists ? 'IF EXISTS ' : ''}${this.qt(op.name, op.schema)}`]
  }

  protected renameTable(op: RenameTableOp): string[] {
    return [`ALTER TABLE ${this.qt(op.oldName, op.schema)} RENAME TO ${this.q(op.newName)}`]
  }

  /** The ADD actions of an added column's own constraints. */
  protected addColumnConstraintActions(op: AddColumnOp): string[] {
    const name = op.column.name
    const actions: string[] = []
    if (op.primaryKey) actions.push(`ADD ${this.primaryKeyClause({ columns: [name] })}`)
    if (op.unique) actions.push(`ADD ${this.uniqueClause(op.unique)}`)
    if (op.foreignKey) actions.push(`ADD ${this.foreignKeyClause(op.foreignKey)}`)
    return actions
  }

  protected addColumn(op: AddColumnOp): string[] {
    const context: ColumnContext = { tableName: op.tableName, schema: op.schema }
    const actions = [`ADD COLUMN ${this.columnDefinition(op.column, context)}`, ...this.addColumnConstraintActions(op)]
    return [
      this.alterTable(op.tableName, op.schema, actions),
      ...(op.index ? [this.createIndexStatement(op.index, op.tableName, op.schema)] : []),
    ]
  }

  protected dropColumn(op: DropColumnOp): string[] {
    return [this.alterTable(op.tableName, op.schema, [`DROP COLUMN ${this.q(op.columnName)}`])]
  }

  protected abstract alterColumn(op: AlterColumnOp): string[]

  protected createIndex(op: CreateIndexOp): string[] {
    return [this.createIndexStatement(op.index, op.tableName, op.schema, op)]
  }

  protected abstract dropIndex(op: DropIndexOp): string[]

  protected createUniqueConstraint(op: CreateUniqueConstraintOp): string[] {
    return [this.alterTable(op.tableName, op.schema, [`ADD ${this.uniqueClause(op.constraint)}`])]
  }

  protected createForeignKey(op: CreateForeignKeyOp): string[] {
    return [this.alterTable(op.tableName, op.schema, [`ADD ${this.foreignKeyClause(op.constraint)}`])]
  }

  protected createCheckConstraint(op: CreateCheckConstraintOp): string[] {
    return [this.alterTable(op.tableName, op.schema, [`ADD ${this.checkClause(op.constraint)}`])]
  }

  protected createPrimaryKey(op: CreatePrimaryKeyOp): string[] {
    return [this.alterTable(op.tableName, op.schema, [`ADD ${this.primaryKeyClause(op.constraint)}`])]
  }

  protected dropConstraint(op: DropConstraintOp): string[] {
    return [this.alterTable(op.tableName, op.schema, [`DROP CONSTRAINT ${this.q(op.name)}`])]
  }

  protected abstract createTableComment(op: CreateTableCommentOp): string[]
  protected abstract dropTableComment(op: DropTableCommentOp): string[]

  protected createEnum(_op: CreateEnumOp): string[] {
    throw this.unsupported('named enum types', 'enumType() columns carry their values inline on this database: createEnum is for PostgreSQL')
  }

  protected dropEnum(_op: DropEnumOp): string[] {
    throw this.unsupported('named enum types', 'dropEnum is for PostgreSQL')
  }

  protected addEnumValue(_op: AddEnumValueOp): string[] {
    throw this.unsupported('named enum types', 'change the column with alterColumn and the full value list instead')
  }

  // -------------------------------------------------------------------------------------------
  // Data

  /** A value to bind or write: plain objects and arrays as JSON text, the rest as it is. */
  protected dataValue(value: unknown): unknown {
    if (value === null || value === undefined || typeof value !== 'object') return value
    if (value instanceof Date || value instanceof Uint8Array) return value
    return JSON.stringify(value)
  }

  /** Rows grouped by their column list (keys in first-seen order), each group in row order. */
  protected rowGroups(op: BulkInsertOp): { columns: string[]; rows: Readonly<Record<string, unknown>>[] }[] {
    const groups = new Map<string, { columns: string[]; rows: Readonly<Record<string, unknown>>[] }>()
    const ordered: { columns: string[]; rows: Readonly<Record<string, unknown>>[] }[] = []
    for (const row of op.rows) {
      const columns = Object.keys(row)
      if (columns.length === 0) throw new SchemaError('bad_rows', `bulkInsert('${op.tableName}'): a row has no columns`)
      const key = JSON.stringify(columns)
      let group = groups.get(key)
      if (!group || op.multiInsert === false) {
        group = { columns, rows: [] }
        groups.set(key, group)
        ordered.push(group)
      }
      group.rows.push(row)
    }
    return ordered
  }

  protected insertHead(op: BulkInsertOp, columns: readonly string[]): string {
    return `INSERT INTO ${this.qt(op.tableName, op.schema)} (${this.columns(columns)}) VALUES`
  }

  /** Rows per literal INSERT statement. */
  protected readonly literalRowsPerStatement = 1000

  protected bulkInsertLiterals(op: BulkInsertOp): string[] {
    const statements: string[] = []
    for (const group of this.rowGroups(op)) {
      for (let i = 0; i < group.rows.length; i += this.literalRowsPerStatement) {
        const rows = group.rows.slice(i, i + this.literalRowsPerStatement)
        const values = rows.map((row) => `(${group.columns.map((c) => this.literal(this.dataValue(row[c]))).join(', ')})`)
        statements.push(values.length === 1 ? `${this.insertHead(op, group.columns)} ${values[0]}` : `${this.insertHead(op, group.columns)}\n${values.map((v) => INDENT + v).join(',\n')}`)
      }
    }
    return statements
  }

  protected bulkInsertBound(op: BulkInsertOp): BoundStatement[] {
    const statements: BoundStatement[] = []
    for (const group of this.rowGroups(op)) {
      const perStatement = Math.max(1, Math.floor(this.maxBindParameters / group.columns.length))
      for (let i = 0; i < group.rows.length; i += perStatement) {
        const rows = group.rows.slice(i, i + perStatement)
        const params: unknown[] = []
        const values = rows.map(
          (row) =>
            `(${group.columns
              .map((c) => {
                params.push(this.dataValue(row[c]))
                return this.placeholder(params.length)
              })
              .join(', ')})`,
        )
        statements.push({ sql: `${this.insertHead(op, group.columns)} ${values.join(', ')}`, params })
      }
    }
    return statements
  }

  /** `execute` SQL text with its `:name` parameters written as literals. */
  protected inlineParameters(op: ExecuteSqlOp): string {
    if (op.sql instanceof SqlFragment) {
      if (op.params !== undefined) throw fragmentWithParams()
      return this.sqlText(op.sql)
    }
    if (op.params === undefined) return op.sql
    const params = op.params
    return rewriteNamedParameters(op.sql, this.dialect.sqlSyntax, (name) => this.literal(this.dataValue(namedValue(params, name))))
  }

  /** `execute` SQL text with its `:name` parameters as placeholders, and their values. */
  protected bindParameters(op: ExecuteSqlOp): BoundStatement {
    if (op.sql instanceof SqlFragment) {
      if (op.params !== undefined) throw fragmentWithParams()
      return { sql: this.sqlText(op.sql), params: [] }
    }
    if (op.params === undefined) return { sql: op.sql, params: [] }
    const source = op.params
    const params: unknown[] = []
    const sql = rewriteNamedParameters(op.sql, this.dialect.sqlSyntax, (name) => {
      params.push(this.dataValue(namedValue(source, name)))
      return this.placeholder(params.length)
    })
    return { sql, params }
  }
}

function fragmentWithParams(): SchemaError {
  return new SchemaError('bad_execute', 'execute(sql`…`, params): a sql fragment takes its values inside the template, not as params', {
    hint: 'write execute(sql`UPDATE t SET a = ${value}`) or execute(\'UPDATE t SET a = :a\', { a: value })',
  })
}

function namedValue(params: Readonly<Record<string, unknown>>, name: string): unknown {
  if (!Object.hasOwn(params, name)) {
    throw new SchemaError('missing_parameter', `execute(): the SQL uses :${name} but params has no '${name}'`, {
      hint: `pass { ${name}: … } as params`,
    })
  }
  return params[name]
}
