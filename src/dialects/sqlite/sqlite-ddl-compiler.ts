/**
 * SQLite DDL. SQLite's ALTER TABLE can rename tables and columns, add a column without
 * constraints and drop a plain column; anything else (a column's type, nullability or default,
 * constraints) throws `NeedsBatchError`, and the runtime rebuilds the table by copy-and-move
 * (`planSqliteTableRebuild`). Comments do not exist in SQLite and compile to nothing; enum
 * columns are `VARCHAR` with a `CHECK` of their values.
 */
import { NeedsBatchError } from '../../operations/errors.js'
import type {
  AddColumnOp,
  AlterColumnOp,
  CreateCheckConstraintOp,
  CreateForeignKeyOp,
  CreatePrimaryKeyOp,
  CreateUniqueConstraintOp,
  DropColumnOp,
  DropConstraintOp,
  DropIndexOp,
} from '../../operations/ops.js'
import type { ColumnSpec, DefaultValue, ForeignKeySpec, IndexSpec, TableSpec } from '../../schema/spec.js'
import { SqlFragment } from '../../schema/sql.js'
import type { Table } from '../../schema/table.js'
import type { ColumnType } from '../../schema/types.js'
import { DdlCompiler, type ColumnContext, type DdlDialect } from '../ddl-compiler.js'

/** Defaults SQLite accepts without parentheses: literals and the CURRENT_* keywords. */
const BARE_DEFAULT = /^\s*(?:CURRENT_TIMESTAMP|CURRENT_DATE|CURRENT_TIME|NULL|TRUE|FALSE|[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|'(?:[^']|'')*'|X'[0-9A-Fa-f]*')\s*$/i

/** Defaults `ALTER TABLE … ADD COLUMN` accepts: constants only. */
const CONSTANT_DEFAULT = /^\s*(?:NULL|TRUE|FALSE|[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|'(?:[^']|'')*'|X'[0-9A-Fa-f]*')\s*$/i

export class SqliteDdlCompiler extends DdlCompiler {
  readonly dialectName = 'sqlite' as const
  protected readonly label = 'SQLite'
  protected readonly maxBindParameters = 32766

  placeholder(): string {
    return '?'
  }

  protected typeSql(type: ColumnType, context: ColumnContext): string {
    switch (type.kind) {
      case 'integer':
      case 'smallint':
      case 'bigint':
      case 'boolean':
      case 'real':
      case 'double':
      case 'text':
      case 'date':
      case 'time':
      case 'timestamp':
        return type.kind.toUpperCase()
      case 'numeric':
        return type.precision === undefined ? 'NUMERIC' : `NUMERIC(${type.precision}${type.scale === undefined ? '' : `, ${type.scale}`})`
      case 'varchar':
      case 'char':
        return `${type.kind.toUpperCase()}${type.length === undefined ? '' : `(${type.length})`}`
      case 'interval':
        throw this.unsupported(`INTERVAL type (column of '${context.tableName}')`, 'store a number of seconds (integer()) or an ISO 8601 duration (varchar(64))')
      case 'json':
      case 'jsonb':
        return 'JSON'
      case 'uuid':
        return 'CHAR(36)'
      case 'binary':
        return 'BLOB'
      case 'enum':
        return `VARCHAR(${Math.max(...type.values.map((v) => v.length))})`
      case 'set':
        throw this.unsupported(`SET type (column of '${context.tableName}')`, 'use json() or a text column')
      case 'array':
        throw this.unsupported(`array types (column of '${context.tableName}')`, 'use json() for a list of values')
      case 'custom':
        return type.sql
    }
  }

  protected override defaultSql(value: DefaultValue): string {
    if (!(value instanceof SqlFragment)) return this.literal(value)
    const text = this.sqlText(value)
    return BARE_DEFAULT.test(text) ? text : `(${text})`
  }

  /** Whether `column` is written `INTEGER PRIMARY KEY AUTOINCREMENT` (the rowid alias). */
  protected isRowidAutoincrement(column: ColumnSpec, context: ColumnContext): boolean {
    if (!column.autoincrement) return false
    const pk = context.primaryKey
    if (pk === undefined || pk.columns.length !== 1 || pk.columns[0] !== column.name) {
      throw this.unsupported(
        `autoincrement for '${context.tableName}.${column.name}': SQLite autoincrements only a table's single-column INTEGER PRIMARY KEY`,
        'make it the only primary key column, or drop autoincrement()',
      )
    }
    return true
  }

  protected columnDefinition(column: ColumnSpec, context: ColumnContext): string {
    this.checkAutoincrement(column, context)
    if (this.isRowidAutoincrement(column, context)) {
      return `${this.q(column.name)} INTEGER NOT NULL ${this.constraintName(context.primaryKey!.name)}PRIMARY KEY AUTOINCREMENT${this.columnTail(column)}`
    }
    const type = this.typeSql(column.type, context).trim()
    let out = type === '' ? this.q(column.name) : `${this.q(column.name)} ${type}`
    out += this.generatedSql(column)
    if (!column.nullable) out += ' NOT NULL'
    return out + this.columnTail(column)
  }

  /** Default, collation and the enum CHECK. */
  protected columnTail(column: ColumnSpec): string {
    let out = ''
    if (column.serverDefault !== undefined) out += ` DEFAULT ${this.defaultSql(column.serverDefault)}`
    if (column.collation !== undefined) out += ` ${this.collateSql(column.collation)}`
    if (column.type.kind === 'enum') out += ` CHECK (${this.q(column.name)} IN (${this.enumValues(column.type.values)}))`
    return out
  }

  protected override tableConstraints(table: TableSpec): string[] {
    const context: ColumnContext = { tableName: table.name, schema: table.schema, primaryKey: table.primaryKey }
    const inlinePk = table.columns.some((c) => this.isRowidAutoincrement(c, context))
    return super.tableConstraints(inlinePk ? { ...table, primaryKey: undefined } : table)
  }

  /** SQLite foreign keys name a table of the same database, never qualified. */
  protected override referencesSql(fk: ForeignKeySpec): string {
    return `REFERENCES ${this.q(fk.referredTable)} (${this.columns(fk.referredColumns)})`
  }

  /** The index is qualified by the schema (the attached database); its table never is. */
  createIndexStatement(index: IndexSpec, tableName: string, schema: string | undefined, options: { ifNotExists?: boolean } = {}): string {
    let out = `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${options.ifNotExists ? 'IF NOT EXISTS ' : ''}${this.qt(index.name, schema)} ON ${this.q(tableName)} (${this.indexColumns(index)})`
    if (index.where !== undefined) out += ` WHERE ${this.sqlText(index.where)}`
    return out
  }

  protected override addColumn(op: AddColumnOp): string[] {
    const column = op.column
    const reason = addColumnBlocker(op)
    if (reason) throw new NeedsBatchError('addColumn', `add column '${op.tableName}.${column.name}' (${reason})`)
    let definition = this.columnDefinition(column, { tableName: op.tableName, schema: op.schema })
    if (op.foreignKey) {
      definition += ` ${this.constraintName(op.foreignKey.name)}${this.referencesSql(op.foreignKey)}${this.foreignKeyOptions(op.foreignKey)}`
    }
    return [
      this.alterTable(op.tableName, op.schema, [`ADD COLUMN ${definition}`]),
      ...(op.index ? [this.createIndexStatement(op.index, op.tableName, op.schema)] : []),
    ]
  }

  protected override dropColumn(op: DropColumnOp): string[] {
    const existing = op.existing
    if (existing && (existing.primaryKey || existing.unique || existing.index || existing.foreignKey)) {
      throw new NeedsBatchError('dropColumn', `drop column '${op.tableName}.${op.columnName}', which has a key, index or foreign key,`)
    }
    return super.dropColumn(op)
  }

  protected alterColumn(op: AlterColumnOp): string[] {
    if (op.columnCheck !== undefined) throw this.unsupported('columnCheck (a check of the column definition, MariaDB)', 'use a check constraint (batch.createCheckConstraint / dropConstraint)')
    if (op.invisible !== undefined) throw this.unsupported('invisible columns (MySQL, MariaDB)')
    const changes = [op.type !== undefined && 'type', op.nullable !== undefined && 'nullability', op.serverDefault !== undefined && 'default', op.generated !== undefined && 'generation'].filter(Boolean)
    if (changes.length > 0) throw new NeedsBatchError('alterColumn', `change the ${changes.join(', ')} of column '${op.tableName}.${op.columnName}'`)
    if (op.newColumnName === undefined) return []
    return [this.alterTable(op.tableName, op.schema, [`RENAME COLUMN ${this.q(op.columnName)} TO ${this.q(op.newColumnName)}`])]
  }

  protected dropIndex(op: DropIndexOp): string[] {
    return [`DROP INDEX ${op.ifExists ? 'IF EXISTS ' : ''}${this.qt(op.name, op.schema)}`]
  }

  protected override createUniqueConstraint(op: CreateUniqueConstraintOp): string[] {
    throw new NeedsBatchError('createUniqueConstraint', `add a unique constraint to '${op.tableName}'`)
  }

  protected override createForeignKey(op: CreateForeignKeyOp): string[] {
    throw new NeedsBatchError('createForeignKey', `add a foreign key to '${op.tableName}'`)
  }

  protected override createCheckConstraint(op: CreateCheckConstraintOp): string[] {
    throw new NeedsBatchError('createCheckConstraint', `add a check constraint to '${op.tableName}'`)
  }

  protected override createPrimaryKey(op: CreatePrimaryKeyOp): string[] {
    throw new NeedsBatchError('createPrimaryKey', `add a primary key to '${op.tableName}'`)
  }

  protected override dropConstraint(op: DropConstraintOp): string[] {
    throw new NeedsBatchError('dropConstraint', `drop constraint '${op.name}' of '${op.tableName}'`)
  }

  /** SQLite has no comments: nothing to run. */
  protected createTableComment(): string[] {
    return []
  }

  protected dropTableComment(): string[] {
    return []
  }

  /**
   * Copy-and-move of `current` into the shape of `next`: create `_migrator_tmp_<name>`, copy the
   * rows of the columns both have (`renamedColumns` maps a new column name to its old one) keeping
   * their rowids, carry the AUTOINCREMENT counter over (`sqlite_sequence`), drop the old table,
   * rename the new one, recreate the indexes.
   *
   * Run it in one transaction with `PRAGMA foreign_keys=OFF` set before the transaction starts
   * (dropping a table with foreign keys on would cascade deletes into its children), then check
   * `PRAGMA foreign_key_check` before committing. The rename runs with `legacy_alter_table` on:
   * otherwise SQLite re-checks every view and trigger while the table is missing, and fails on
   * those that use it. Triggers are not recreated (`runSqliteBatch` does that).
   */
  planTableRebuild(current: TableSpec, next: TableSpec, options: RebuildOptions = {}): string[] {
    const renamed = options.renamedColumns ?? {}
    const currentColumns = new Set(current.columns.map((c) => c.name))
    for (const [to, from] of Object.entries(renamed)) {
      if (!currentColumns.has(from)) {
        throw new NeedsBatchError('batchAlterTable', `copy column '${from}' into '${to}': '${current.name}' has no column '${from}'`)
      }
    }
    // A generated column of the new table is computed, not copied (a plain one made from a generated
    // one is copied: it keeps the values the old one computed).
    const copied = next.columns
      .filter((c) => c.generated === undefined)
      .map((c) => ({ to: c.name, from: Object.hasOwn(renamed, c.name) ? renamed[c.name]! : c.name }))
      .filter(({ from }) => currentColumns.has(from))
    const temporary = `_migrator_tmp_${next.name}`
    const statements = [this.createTableStatement({ ...next, name: temporary, indexes: [] })]
    if (copied.length > 0) {
      const rowid = this.hasRowidAlias(next) ? undefined : rowidName(current, next)
      const targets = [...(rowid ? [rowid] : []), ...copied.map((c) => this.q(c.to))]
      const sources = [...(rowid ? [rowid] : []), ...copied.map((c) => this.q(c.from))]
      statements.push(
        `INSERT INTO ${this.qt(temporary, next.schema)} (${targets.join(', ')}) SELECT ${sources.join(', ')} FROM ${this.qt(current.name, current.schema)}`,
      )
    }
    if (next.columns.some((c) => c.autoincrement)) statements.push(...this.keepSequence(current, temporary, next.schema))
    statements.push(`DROP TABLE ${this.qt(current.name, current.schema)}`)
    statements.push('PRAGMA legacy_alter_table = ON')
    statements.push(`ALTER TABLE ${this.qt(temporary, next.schema)} RENAME TO ${this.q(next.name)}`)
    statements.push('PRAGMA legacy_alter_table = OFF')
    statements.push(...next.indexes.map((ix) => this.createIndexStatement(ix, next.name, next.schema)))
    return statements
  }

  /** Whether the table's primary key is an alias of the rowid: one column declared exactly `INTEGER`. */
  protected hasRowidAlias(table: TableSpec): boolean {
    const pk = table.primaryKey
    if (pk === undefined || pk.columns.length !== 1) return false
    const column = table.columns.find((c) => c.name === pk.columns[0])
    if (column === undefined) return false
    if (column.autoincrement) return true
    const context: ColumnContext = { tableName: table.name, schema: table.schema, primaryKey: pk }
    return this.typeSql(column.type, context).trim().toUpperCase() === 'INTEGER'
  }

  /**
   * The new table's AUTOINCREMENT counter: at least the old table's, so ids of deleted rows are
   * not handed out again (copying the rows only raises it to the largest id copied).
   */
  protected keepSequence(current: TableSpec, temporary: string, schema: string | undefined): string[] {
    const sequence = `${schema === undefined ? '' : `${this.q(schema)}.`}sqlite_sequence`
    const oldName = this.literal(current.name)
    const newName = this.literal(temporary)
    return [
      `INSERT INTO ${sequence} (name, seq) SELECT ${newName}, seq FROM ${sequence} WHERE name = ${oldName} COLLATE NOCASE ` +
        `AND NOT EXISTS (SELECT 1 FROM ${sequence} WHERE name = ${newName} COLLATE NOCASE)`,
      `UPDATE ${sequence} SET seq = (SELECT max(seq) FROM ${sequence} WHERE name COLLATE NOCASE IN (${oldName}, ${newName})) WHERE name = ${newName} COLLATE NOCASE`,
    ]
  }
}

/** A name of the rowid neither table uses for a column (`rowid`, `_rowid_`, `oid`), if any. */
function rowidName(current: TableSpec, next: TableSpec): string | undefined {
  const used = new Set([...current.columns, ...next.columns].map((c) => c.name.toLowerCase()))
  return ['rowid', '_rowid_', 'oid'].find((name) => !used.has(name))
}

export interface RebuildOptions {
  /** New column name → old column name, for columns renamed by the rebuild (their rows are copied). */
  readonly renamedColumns?: Readonly<Record<string, string>>
}

/** Why SQLite cannot `ADD COLUMN` this column in place, or undefined when it can. */
function addColumnBlocker(op: AddColumnOp): string | undefined {
  const column = op.column
  if (op.primaryKey) return 'a primary key column'
  if (op.unique) return 'a unique column'
  if (column.autoincrement) return 'an autoincrement column'
  if (column.generated !== undefined) return column.generated.stored ? 'a STORED generated column' : undefined
  const fragment = column.serverDefault instanceof SqlFragment ? column.serverDefault : undefined
  if (fragment && !(fragment.isPlainText && CONSTANT_DEFAULT.test(fragment.strings[0]!))) return 'a default that is not a constant'
  if (!column.nullable && column.serverDefault === undefined) return 'NOT NULL without a default'
  if (op.foreignKey && column.serverDefault !== undefined) return 'a foreign key with a default'
  return undefined
}

/**
 * The statements rebuilding SQLite table `current` as `next` (see `SqliteDdlCompiler.planTableRebuild`).
 * `dialect` quotes names and writes literals.
 */
export function planSqliteTableRebuild(
  current: Table | TableSpec,
  next: Table | TableSpec,
  options: RebuildOptions & { readonly dialect: DdlDialect },
): string[] {
  const spec = (t: Table | TableSpec): TableSpec => ('toSpec' in t ? t.toSpec() : t)
  return new SqliteDdlCompiler(options.dialect).planTableRebuild(spec(current), spec(next), options)
}
