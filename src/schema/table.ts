/**
 * `Table`: a table of the models, built by `metadata.table(name, columns, options)`. Its columns
 * are typed (`users.columns.email`), its constraints resolved to plain specs with their names
 * from the naming convention, and `toSpec()` gives the whole definition as plain data.
 */
import { Column, resolveColumnTarget, type ColumnTarget, type ReferenceOptions } from './column.js'
import { CheckDef, ForeignKeyDef, IndexDef, UniqueDef, type ForeignKeyTarget as CompositeTarget, type PrimaryKeyDef } from './constraints.js'
import { SchemaError } from './errors.js'
import type { MetaData } from './metadata.js'
import { conventionalName, DEFAULT_NAMING_CONVENTION, type NamingConvention } from './naming.js'
import type {
  CheckSpec,
  ColumnSpec,
  ForeignKeySpec,
  IndexSpec,
  PrimaryKeySpec,
  ReferentialAction,
  TableSpec,
  UniqueSpec,
} from './spec.js'
import { SqlFragment } from './sql.js'
import { compact, describeValue } from './util.js'

/** Column declarations keyed by column name. */
export type ColumnMap = Record<string, Column>

/** Column names of a column map. */
export type ColumnName<C extends ColumnMap> = Extract<keyof C, string>

export interface TableOptions<K extends string = string> {
  /** Schema (PostgreSQL schema, MySQL database, SQLite attached database); default the MetaData's. */
  readonly schema?: string
  /** A composite (or named) primary key; or mark columns with `.primaryKey()`. */
  readonly primaryKey?: PrimaryKeyDef<K>
  readonly indexes?: readonly IndexDef<K>[]
  readonly uniques?: readonly UniqueDef<K>[]
  readonly checks?: readonly CheckDef[]
  readonly foreignKeys?: readonly ForeignKeyDef<K>[]
  /** Table comment (PostgreSQL, MySQL; SQLite ignores comments). */
  readonly comment?: string
}

export interface TableContext {
  readonly metadata?: MetaData
  /** Default: the MetaData's, else SQLAlchemy's default (`ix_%(column_0_label)s` for indexes). */
  readonly namingConvention?: NamingConvention
}

export class Table<C extends ColumnMap = ColumnMap> {
  readonly name: string
  readonly schema: string | undefined
  readonly comment: string | undefined
  readonly metadata: MetaData | undefined
  /** The columns, by name, each knowing its name and table (`users.columns.email.name === 'email'`). */
  readonly columns: { readonly [K in keyof C]: C[K] }
  readonly primaryKey: PrimaryKeySpec | undefined
  readonly uniques: readonly UniqueSpec[]
  readonly checks: readonly CheckSpec[]
  readonly indexes: readonly IndexSpec[]
  private readonly namingConvention: NamingConvention
  /**
   * The columns with their names, in declaration order: made once, as the constructor and `toSpec`
   * walk them five times. Objects, walked with forEach: before the code is optimised, `for…of` and
   * `[name, column]` pairs allocate iterator objects at every step (models have thousands of columns).
   */
  private readonly columnList: readonly { readonly name: string; readonly column: Column }[]
  private readonly foreignKeyDefs: readonly { readonly columns: readonly string[]; readonly target: ForeignKeyTarget; readonly options: ReferenceOptions }[]
  private resolvedForeignKeys: readonly ForeignKeySpec[] | undefined
  private spec: TableSpec | undefined

  constructor(name: string, columns: C, options: TableOptions<ColumnName<C>> = {}, context: TableContext = {}) {
    if (typeof name !== 'string' || name === '') throw new SchemaError('bad_table', 'a table needs a non-empty name')
    this.name = name
    this.metadata = context.metadata
    this.schema = options.schema ?? context.metadata?.schema
    this.comment = options.comment
    this.namingConvention = context.namingConvention ?? context.metadata?.namingConvention ?? DEFAULT_NAMING_CONVENTION

    const names = Object.keys(columns)
    if (names.length === 0) throw new SchemaError('bad_table', `table '${name}' has no columns`)
    const bound: Record<string, Column> = {}
    const columnList: { name: string; column: Column }[] = []
    names.forEach((columnName) => {
      const column = columns[columnName]
      if (!(column instanceof Column)) {
        throw new SchemaError('bad_column', `column '${name}.${columnName}' is ${describeValue(column)}, not a column`, {
          hint: 'declare columns with the type functions: integer(), varchar(255), …',
        })
      }
      if (columnName === '') throw new SchemaError('bad_column', `table '${name}' has a column with an empty name`)
      bound[columnName] = column.bindTo(this, columnName)
      columnList.push({ name: columnName, column: bound[columnName] })
    })
    this.columns = Object.freeze(bound) as { readonly [K in keyof C]: C[K] }
    this.columnList = columnList

    this.primaryKey = this.resolvePrimaryKey(options.primaryKey as PrimaryKeyDef | undefined)
    this.uniques = this.resolveUniques((options.uniques ?? []) as readonly UniqueDef[])
    this.checks = this.resolveChecks(options.checks ?? [])
    this.indexes = this.resolveIndexes((options.indexes ?? []) as readonly IndexDef[])
    this.foreignKeyDefs = this.collectForeignKeys((options.foreignKeys ?? []) as readonly ForeignKeyDef[])
    this.resolvedForeignKeys = undefined
    this.spec = undefined
  }

  /** Column names in declaration order. */
  get columnNames(): string[] {
    return Object.keys(this.columns)
  }

  /** `schema.name`, or the name. */
  get qualifiedName(): string {
    return this.schema === undefined ? this.name : `${this.schema}.${this.name}`
  }

  hasColumn(name: string): boolean {
    return Object.hasOwn(this.columns, name)
  }

  /**
   * Foreign keys, resolved on first use (so tables can refer to tables declared after them).
   * Throws a `SchemaError` for a reference to a column that does not exist.
   */
  get foreignKeys(): readonly ForeignKeySpec[] {
    this.resolvedForeignKeys ??= this.foreignKeyDefs.map((def) => this.resolveForeignKey(def))
    return this.resolvedForeignKeys
  }

  /** The whole table as plain data. */
  toSpec(): TableSpec {
    if (this.spec) return this.spec
    const pk = new Set(this.primaryKey?.columns ?? [])
    const columns: ColumnSpec[] = this.columnList.map(({ name: columnName, column }) => {
      const spec = column.toSpec(columnName)
      if (pk.has(columnName) && spec.nullable) {
        if (column.state.nullable === true) {
          throw new SchemaError('nullable_primary_key', `column '${this.name}.${columnName}' is part of the primary key and cannot be nullable()`)
        }
        return { ...spec, nullable: false }
      }
      return spec
    })
    this.spec = compact({
      name: this.name,
      schema: this.schema,
      columns,
      primaryKey: this.primaryKey,
      uniques: this.uniques,
      foreignKeys: this.foreignKeys,
      checks: this.checks,
      indexes: this.indexes,
      comment: this.comment,
    })
    return this.spec
  }

  private requireColumns(what: string, names: readonly unknown[]): string[] {
    if (names.length === 0) throw new SchemaError('bad_constraint', `${what} of table '${this.name}' has no columns`)
    const seen = new Set<string>()
    return names.map((columnName) => {
      if (typeof columnName !== 'string' || !this.hasColumn(columnName)) {
        throw new SchemaError('unknown_column', `${what} of table '${this.name}' names column '${String(columnName)}', which the table does not have`, {
          hint: `the columns are: ${this.columnNames.join(', ')}`,
        })
      }
      if (seen.has(columnName)) throw new SchemaError('duplicate_column', `${what} of table '${this.name}' names column '${columnName}' twice`)
      seen.add(columnName)
      return columnName
    })
  }

  private nameFor(kind: 'pk' | 'uq' | 'ck' | 'ix' | 'fk', columns: readonly (string | undefined)[], name: string | undefined, referred?: { table: string; columns: readonly string[] }): string | undefined {
    return conventionalName(this.namingConvention, compact({ kind, tableName: this.name, columns, name, referredTable: referred?.table, referredColumns: referred?.columns }))
  }

  private resolvePrimaryKey(declared: PrimaryKeyDef | undefined): PrimaryKeySpec | undefined {
    const marked = this.columnList.filter(({ column }) => column.state.primaryKey).map(({ name }) => name)
    if (declared === undefined && marked.length === 0) return undefined
    let name: string | undefined
    let columns: string[]
    if (declared !== undefined) {
      const list = isColumnList(declared) ? declared : declared.columns
      name = isColumnList(declared) ? undefined : declared.name
      columns = this.requireColumns('the primary key', list)
      if (marked.length > 0 && (marked.length !== columns.length || marked.some((c) => !columns.includes(c)))) {
        throw new SchemaError('conflicting_primary_key', `table '${this.name}' declares a primary key (${columns.join(', ')}) and marks other columns primaryKey() (${marked.join(', ')})`, {
          hint: 'declare the primary key in one place',
        })
      }
    } else {
      columns = marked
    }
    return compact({ name: this.nameFor('pk', columns, name), columns })
  }

  private resolveUniques(declared: readonly UniqueDef[]): UniqueSpec[] {
    const specs: UniqueSpec[] = []
    this.columnList.forEach(({ name: columnName, column }) => {
      const unique = column.state.unique
      if (unique) specs.push(compact({ name: this.nameFor('uq', [columnName], unique.name), columns: [columnName] }))
    })
    for (const def of declared) {
      if (!(def instanceof UniqueDef)) throw new SchemaError('bad_constraint', `table '${this.name}': uniques must be unique(…).on(…) declarations`)
      const columns = this.requireColumns(`unique constraint ${def.name ?? ''}`.trimEnd(), def.columns)
      specs.push(compact({ name: this.nameFor('uq', columns, def.name), columns, deferrable: def.deferral === undefined ? undefined : true, initially: def.deferral?.initially, nullsNotDistinct: def.nullsAreEqual || undefined }))
    }
    this.checkDistinctNames('constraints', specs)
    return specs
  }

  private resolveChecks(declared: readonly CheckDef[]): CheckSpec[] {
    const specs = declared.map((def) => {
      if (!(def instanceof CheckDef)) throw new SchemaError('bad_constraint', `table '${this.name}': checks must be check(…) declarations`)
      return compact({ name: this.nameFor('ck', [], def.name), expression: def.expression })
    })
    this.checkDistinctNames('check constraints', specs)
    return specs
  }

  private resolveIndexes(declared: readonly IndexDef[]): IndexSpec[] {
    const specs: IndexSpec[] = []
    const add = (
      columns: readonly (string | SqlFragment)[],
      def: { name?: string | undefined; isUnique?: boolean; condition?: SqlFragment | undefined; method?: string | undefined; descending?: readonly string[]; nullsAreEqual?: boolean },
    ): void => {
      const names = columns.map((c) => (c instanceof SqlFragment ? undefined : c))
      const name = this.nameFor('ix', names, def.name)
      if (name === undefined) {
        throw new SchemaError('unnamed_index', `an index of table '${this.name}' has no name and the naming convention has no 'ix' template`, {
          hint: "name it: index('ix_users_email').on('email')",
        })
      }
      for (const column of def.descending ?? []) {
        if (!columns.includes(column)) throw new SchemaError('bad_index', `index ${name} of table '${this.name}': desc('${column}') names no column of the index`, { hint: "desc() takes columns given to on(): index('ix').on('a', 'b').desc('b')" })
      }
      if (def.nullsAreEqual && !def.isUnique) {
        throw new SchemaError('bad_index', `index ${name} of table '${this.name}': nullsNotDistinct() is for unique indexes`, { hint: "index('ix').on('a').unique().nullsNotDistinct()" })
      }
      const descending = columns.filter((c): c is string => typeof c === 'string' && (def.descending ?? []).includes(c))
      specs.push(
        compact({
          name,
          columns: [...columns],
          unique: def.isUnique ? true : undefined,
          where: def.condition,
          using: def.method,
          descending: descending.length === 0 ? undefined : descending,
          nullsNotDistinct: def.nullsAreEqual || undefined,
        }),
      )
    }
    this.columnList.forEach(({ name: columnName, column }) => {
      if (column.state.index) add([columnName], { name: column.state.index.name })
    })
    for (const def of declared) {
      if (!(def instanceof IndexDef)) throw new SchemaError('bad_index', `table '${this.name}': indexes must be index(…).on(…) declarations`)
      if (def.columns.length === 0) throw new SchemaError('bad_index', `index ${def.name ?? ''} of table '${this.name}' has no columns`, { hint: "index('ix_name').on('column')" })
      const plain = def.columns.filter((c): c is string => !(c instanceof SqlFragment))
      if (plain.length > 0) this.requireColumns(`index ${def.name ?? ''}`.trimEnd(), plain)
      add(def.columns, def)
    }
    this.checkDistinctNames('indexes', specs)
    return specs
  }

  private collectForeignKeys(declared: readonly ForeignKeyDef[]): { columns: string[]; target: ForeignKeyTarget; options: ReferenceOptions }[] {
    const defs: { columns: string[]; target: ForeignKeyTarget; options: ReferenceOptions }[] = []
    this.columnList.forEach(({ name: columnName, column }) => {
      const ref = column.state.references
      if (ref) defs.push({ columns: [columnName], target: { single: ref.target }, options: ref.options })
    })
    for (const def of declared) {
      if (!(def instanceof ForeignKeyDef)) throw new SchemaError('bad_constraint', `table '${this.name}': foreignKeys must be foreignKey(…) declarations`)
      defs.push({ columns: this.requireColumns('a foreign key', def.columns), target: { composite: def.target }, options: def.options })
    }
    return defs
  }

  private resolveForeignKey(def: { columns: readonly string[]; target: ForeignKeyTarget; options: ReferenceOptions }): ForeignKeySpec {
    const where = `foreign key (${def.columns.join(', ')}) of table '${this.name}'`
    let referred: { table: string; schema?: string; columns: string[] }
    let checkAgainstMetadata = false
    if ('single' in def.target) {
      const target = resolveColumnTarget(def.target.single)
      referred = compact({ table: target.table, schema: target.schema, columns: [target.column] })
      checkAgainstMetadata = typeof def.target.single !== 'function'
    } else if (typeof def.target.composite === 'function') {
      const columns = (def.target.composite as () => unknown)() as readonly (Column | undefined)[]
      if (!Array.isArray(columns) || columns.length === 0 || columns.some((c) => !(c instanceof Column) || !c.isBound)) {
        throw new SchemaError('unknown_reference', `${where} refers to ${describeValue(columns)}: expected columns of one table`, {
          hint: 'check the column names in () => [table.columns.a, table.columns.b]',
        })
      }
      const first = (columns as Column[])[0]!.table
      if ((columns as Column[]).some((c) => c.table !== first)) throw new SchemaError('bad_reference', `${where} refers to columns of several tables`)
      referred = compact({ table: first.name, schema: first.schema, columns: (columns as Column[]).map((c) => c.name) })
    } else {
      const target = def.target.composite
      referred = compact({ table: target.table, schema: target.schema, columns: [...target.columns] })
      checkAgainstMetadata = true
    }
    if (referred.columns.length !== def.columns.length) {
      throw new SchemaError('bad_reference', `${where} has ${def.columns.length} column(s) but refers to ${referred.columns.length}`)
    }
    if (checkAgainstMetadata) {
      const schema = referred.schema ?? this.metadata?.schema
      const table = referred.table === this.name && schema === this.schema ? this : this.metadata?.getTable(referred.table, schema)
      if (table) {
        for (const columnName of referred.columns) {
          if (!table.hasColumn(columnName)) {
            throw new SchemaError('unknown_reference', `${where} refers to ${table.qualifiedName}.${columnName}, which does not exist`, {
              hint: `the columns of ${table.qualifiedName} are: ${table.columnNames.join(', ')}`,
            })
          }
        }
      }
    }
    const options = def.options
    return compact({
      name: this.nameFor('fk', def.columns, options.name, { table: referred.table, columns: referred.columns }),
      columns: [...def.columns],
      referredTable: referred.table,
      // A target named without a schema is in the MetaData's schema, as the table check above finds it (and SQLAlchemy's MetaData.schema).
      referredSchema: referred.schema ?? this.metadata?.schema,
      referredColumns: referred.columns,
      onDelete: normalizeAction(options.onDelete),
      onUpdate: normalizeAction(options.onUpdate),
      deferrable: options.deferrable,
      initially: options.initially?.toUpperCase() as ForeignKeySpec['initially'],
      match: options.match?.toUpperCase() as ForeignKeySpec['match'],
    })
  }

  private checkDistinctNames(plural: string, specs: readonly { name?: string | undefined }[]): void {
    const seen = new Set<string>()
    for (const { name } of specs) {
      if (name === undefined) continue
      if (seen.has(name)) throw new SchemaError('duplicate_name', `table '${this.name}' has two ${plural} named '${name}'`)
      seen.add(name)
    }
  }
}

/** A foreign key target before resolution: one column (`.references()`) or several (`foreignKey()`). */
type ForeignKeyTarget = { readonly single: ColumnTarget } | { readonly composite: CompositeTarget }

function isColumnList(def: PrimaryKeyDef): def is readonly string[] {
  return Array.isArray(def)
}

const ACTIONS: readonly ReferentialAction[] = ['CASCADE', 'SET NULL', 'SET DEFAULT', 'RESTRICT', 'NO ACTION']

/** `'cascade'` → `'CASCADE'`; an unknown action is an error. */
export function normalizeAction(action: string | undefined): ReferentialAction | undefined {
  if (action === undefined) return undefined
  const upper = action.toUpperCase() as ReferentialAction
  if (!ACTIONS.includes(upper)) {
    throw new SchemaError('bad_reference', `unknown referential action '${action}'`, { hint: `use one of ${ACTIONS.join(', ')}` })
  }
  return upper
}
