/**
 * Builds operation objects from the arguments of the `op.*` directives. `Operations` (the facade
 * revision scripts receive) delegates here and then runs the result; tests and autogenerate use
 * it to get the objects without running anything.
 */
import type { Column } from '../schema/column.js'
import { SchemaError } from '../schema/errors.js'
import { DEFAULT_NAMING_CONVENTION, type NamingConvention } from '../schema/naming.js'
import type { DefaultValue, UniqueSpec } from '../schema/spec.js'
import { SqlFragment, toSqlFragment } from '../schema/sql.js'
import { normalizeAction, Table, type ColumnMap, type ColumnName } from '../schema/table.js'
import type { ColumnType } from '../schema/types.js'
import { compact } from '../schema/util.js'
import type {
  AddEnumValueOptions,
  AlterColumnChanges,
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
  OperationMethod,
  OperationsApi,
  SchemaOption,
  TableCommentOptions,
} from './operations-api.js'
import {
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
  type Operation,
} from './ops.js'

/** Each directive of `OperationsApi`, returning its operation instead of running it. */
export type OperationBuilders = {
  readonly [K in OperationMethod]: (...args: Parameters<OperationsApi[K]>) => Operation
}

/** `descending` of an index, in the order of its columns, each one of them; undefined for none. */
function descendingOf(name: string, columns: readonly (string | SqlFragment)[], descending: readonly string[] | undefined): string[] | undefined {
  if (descending === undefined || descending.length === 0) return undefined
  for (const column of descending) {
    if (!columns.includes(column)) throw new SchemaError('bad_index', `createIndex('${name}'): descending names '${column}', which is not one of its columns`, { hint: "createIndex('ix', 't', ['a', 'b'], { descending: ['b'] })" })
  }
  return columns.filter((c): c is string => typeof c === 'string' && descending.includes(c))
}

export class OperationFactory implements OperationBuilders {
  /**
   * @param namingConvention names unnamed constraints and indexes declared in `createTable` and
   *   `addColumn` (default: SQLAlchemy's, which names indexes only).
   */
  constructor(private readonly namingConvention: NamingConvention = DEFAULT_NAMING_CONVENTION) {}

  createTable<const C extends ColumnMap>(name: string, columns: C, options: CreateTableOptions<NoInfer<ColumnName<C>>> = {}): CreateTableOp {
    const { ifNotExists, ...tableOptions } = options
    const table = new Table<C>(name, columns, tableOptions, { namingConvention: this.namingConvention })
    return new CreateTableOp({ table: table.toSpec(), ifNotExists: ifNotExists || undefined })
  }

  dropTable(name: string, options: DropTableOptions = {}): DropTableOp {
    return new DropTableOp({ name, schema: options.schema, ifExists: options.ifExists || undefined })
  }

  renameTable(oldName: string, newName: string, options: SchemaOption = {}): RenameTableOp {
    return new RenameTableOp({ oldName, newName, schema: options.schema })
  }

  addColumn(tableName: string, columnName: string, column: Column, options: SchemaOption = {}): AddColumnOp {
    const table = new Table(tableName, { [columnName]: column }, { schema: options.schema }, { namingConvention: this.namingConvention })
    const spec = table.toSpec()
    return new AddColumnOp({
      tableName,
      schema: options.schema,
      column: spec.columns[0]!,
      primaryKey: spec.primaryKey ? true : undefined,
      unique: spec.uniques[0],
      index: spec.indexes[0],
      foreignKey: spec.foreignKeys[0],
    })
  }

  dropColumn(tableName: string, columnName: string, options: SchemaOption = {}): DropColumnOp {
    return new DropColumnOp({ tableName, columnName, schema: options.schema })
  }

  alterColumn(tableName: string, columnName: string, changes: AlterColumnChanges): AlterColumnOp {
    const type = (column: Column | undefined): ColumnType | undefined => column?.type
    const op = new AlterColumnOp({
      tableName,
      columnName,
      schema: changes.schema,
      type: type(changes.type),
      nullable: changes.nullable,
      serverDefault: checkDefault(changes.serverDefault),
      newColumnName: changes.newColumnName,
      comment: changes.comment,
      using: changes.using === undefined ? undefined : toSqlFragment(changes.using),
      existingType: type(changes.existingType),
      existingNullable: changes.existingNullable,
      existingServerDefault: checkDefault(changes.existingServerDefault),
      existingComment: changes.existingComment,
      existingAutoincrement: changes.existingAutoincrement,
      collation: changes.type?.state.collation,
      existingCollation: changes.existingCollation ?? changes.existingType?.state.collation,
      generated: changes.generated,
      existingGenerated: changes.existingGenerated,
      columnCheck: fragmentOrNull(changes.columnCheck),
      existingColumnCheck: fragmentOrNull(changes.existingColumnCheck),
      invisible: changes.invisible,
      existingInvisible: changes.existingInvisible,
    })
    if (!op.hasChanges) {
      throw new SchemaError('empty_alter', `alterColumn('${tableName}', '${columnName}') changes nothing`, {
        hint: 'give type, nullable, serverDefault, newColumnName, comment, generated, columnCheck or invisible',
      })
    }
    if (op.generated !== undefined && op.existingGenerated === undefined) {
      throw new SchemaError('missing_hint', `alterColumn('${tableName}', '${columnName}') changes the generation without existingGenerated`, {
        hint: 'pass existingGenerated: the column\'s generation now, or null for a plain column',
      })
    }
    return op
  }

  createIndex(name: string, tableName: string, columns: readonly (string | SqlFragment)[], options: CreateIndexOptions = {}): CreateIndexOp {
    if (columns.length === 0) throw new SchemaError('bad_index', `createIndex('${name}'): no columns`)
    if (options.nullsNotDistinct && !options.unique) {
      throw new SchemaError('bad_index', `createIndex('${name}'): nullsNotDistinct is for unique indexes`, { hint: `createIndex('${name}', …, { unique: true, nullsNotDistinct: true })` })
    }
    return new CreateIndexOp({
      tableName,
      schema: options.schema,
      index: compact({
        name,
        columns: [...columns],
        unique: options.unique || undefined,
        where: options.where === undefined ? undefined : toSqlFragment(options.where),
        using: options.using,
        descending: descendingOf(name, columns, options.descending),
        nullsNotDistinct: options.nullsNotDistinct || undefined,
      }),
      concurrently: options.concurrently || undefined,
      ifNotExists: options.ifNotExists || undefined,
    })
  }

  dropIndex(name: string, tableName?: string, options: DropIndexOptions = {}): DropIndexOp {
    return new DropIndexOp({
      name,
      tableName,
      schema: options.schema,
      concurrently: options.concurrently || undefined,
      ifExists: options.ifExists || undefined,
    })
  }

  createUniqueConstraint(name: string | null, tableName: string, columns: readonly string[], options: CreateUniqueConstraintOptions = {}): CreateUniqueConstraintOp {
    const initially = options.initially?.toUpperCase() as UniqueSpec['initially']
    return new CreateUniqueConstraintOp({
      tableName,
      schema: options.schema,
      constraint: compact({ name: name ?? undefined, columns: nonEmpty('createUniqueConstraint', columns), deferrable: options.deferrable, initially, nullsNotDistinct: options.nullsNotDistinct || undefined }),
    })
  }

  createForeignKey(
    name: string | null,
    sourceTable: string,
    referentTable: string,
    localColumns: readonly string[],
    remoteColumns: readonly string[],
    options: CreateForeignKeyOptions = {},
  ): CreateForeignKeyOp {
    if (localColumns.length !== remoteColumns.length) {
      throw new SchemaError('bad_reference', `createForeignKey(${name === null ? 'null' : `'${name}'`}): ${localColumns.length} local column(s) but ${remoteColumns.length} remote`)
    }
    return new CreateForeignKeyOp({
      tableName: sourceTable,
      schema: options.sourceSchema,
      constraint: compact({
        name: name ?? undefined,
        columns: nonEmpty('createForeignKey', localColumns),
        referredTable: referentTable,
        referredSchema: options.referentSchema,
        referredColumns: [...remoteColumns],
        onDelete: normalizeAction(options.onDelete),
        onUpdate: normalizeAction(options.onUpdate),
        deferrable: options.deferrable,
        initially: options.initially?.toUpperCase() as 'DEFERRED' | 'IMMEDIATE' | undefined,
        match: options.match?.toUpperCase() as 'FULL' | 'PARTIAL' | 'SIMPLE' | undefined,
      }),
    })
  }

  createCheckConstraint(name: string | null, tableName: string, condition: SqlFragment | string, options: SchemaOption = {}): CreateCheckConstraintOp {
    return new CreateCheckConstraintOp({ tableName, schema: options.schema, constraint: compact({ name: name ?? undefined, expression: toSqlFragment(condition) }) })
  }

  createPrimaryKey(name: string | null, tableName: string, columns: readonly string[], options: SchemaOption = {}): CreatePrimaryKeyOp {
    return new CreatePrimaryKeyOp({ tableName, schema: options.schema, constraint: compact({ name: name ?? undefined, columns: nonEmpty('createPrimaryKey', columns) }) })
  }

  dropConstraint(name: string, tableName: string, options: DropConstraintOptions = {}): DropConstraintOp {
    return new DropConstraintOp({ name, tableName, schema: options.schema, type: options.type })
  }

  createTableComment(tableName: string, comment: string, options: TableCommentOptions = {}): CreateTableCommentOp {
    return new CreateTableCommentOp({ tableName, schema: options.schema, comment, existingComment: options.existingComment })
  }

  dropTableComment(tableName: string, options: DropTableCommentOptions = {}): DropTableCommentOp {
    return new DropTableCommentOp({ tableName, schema: options.schema, existingComment: options.existingComment })
  }

  createEnum(name: string, values: readonly string[], options: SchemaOption = {}): CreateEnumOp {
    return new CreateEnumOp({ name, schema: options.schema, values: nonEmpty('createEnum', values) })
  }

  dropEnum(name: string, options: DropEnumOptions = {}): DropEnumOp {
    return new DropEnumOp({ name, schema: options.schema, ifExists: options.ifExists || undefined, existingValues: options.existingValues && [...options.existingValues] })
  }

  addEnumValue(name: string, value: string, options: AddEnumValueOptions = {}): AddEnumValueOp {
    if (options.before !== undefined && options.after !== undefined) {
      throw new SchemaError('bad_enum_value', `addEnumValue('${name}', '${value}'): give before or after, not both`)
    }
    return new AddEnumValueOp({ name, value, schema: options.schema, before: options.before, after: options.after, ifNotExists: options.ifNotExists || undefined })
  }

  execute(sql: string | SqlFragment, params?: Readonly<Record<string, unknown>>): ExecuteSqlOp {
    return new ExecuteSqlOp({ sql, params: params && { ...params } })
  }

  bulkInsert(tableName: string, rows: readonly Readonly<Record<string, unknown>>[], options: BulkInsertOptions = {}): BulkInsertOp {
    return new BulkInsertOp({ tableName, schema: options.schema, rows: rows.map((r) => ({ ...r })), multiInsert: options.multiInsert === false ? false : undefined })
  }
}

function nonEmpty(what: string, columns: readonly string[]): string[] {
  if (columns.length === 0) throw new SchemaError('bad_constraint', `${what}: no columns given`)
  return [...columns]
}

function checkDefault(value: DefaultValue | null | undefined): DefaultValue | null | undefined {
  if (value === undefined || value === null || value instanceof SqlFragment) return value
  if (['string', 'number', 'bigint', 'boolean'].includes(typeof value)) return value
  throw new SchemaError('bad_default', `a server default must be a string, number, bigint, boolean, sql\`…\` or null; got ${typeof value}`)
}

/** An expression option that may be `null` (none) or left out. */
function fragmentOrNull(value: SqlFragment | string | null | undefined): SqlFragment | null | undefined {
  return value === undefined || value === null ? value : toSqlFragment(value)
}
