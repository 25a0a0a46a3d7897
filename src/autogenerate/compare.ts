/**
 * Autogenerate's comparison: the live database (a `SchemaSnapshot` from the dialect's
 * introspector) against the models (`TableSpec`s of the target metadata), as a deterministic list
 * of differences. Each difference carries a one-line description and the operations that turn the
 * database into the models; `planMigration` (order.ts) puts them in dependency order and derives
 * the downgrade.
 *
 * Decisions (DESIGN §9, issue 4):
 * - Model specs are compared in the form the database keeps them (`canonical.ts`), types with
 *   their synonyms resolved, defaults by value, expressions (checks, index expressions and
 *   predicates, default expressions) by a canonical text (`expressions.ts`).
 * - Unnamed model constraints match the database's by content (unique: columns; foreign key:
 *   columns and referred table/columns, then its options; check: expression), never by name. A
 *   named one matches by name; a named foreign key the database has under another name but with
 *   the same columns, target and options is the same key (as Alembic, which compares foreign keys
 *   by signature only). A constraint added to an existing table without a name gets the
 *   name PostgreSQL would give it (`users_email_key`, `posts_author_id_fkey`, `users_pkey`,
 *   `users_price_check`), so that the downgrade can drop it; drops use the reflected name.
 * - Changed index, unique, check, foreign key or primary key: drop + create. Renames are not
 *   detected (a renamed table or column is a drop and an add), as in Alembic.
 * - Drops carry the database's definition (`existing`), so their `reverse()` rebuilds it. A table
 *   dropped or created inside a cycle of foreign keys has the cycle-closing keys dropped first /
 *   created last, by name.
 * - PostgreSQL enum types: a new type used by a new table is created by that table's
 *   `createTable` (and dropped by the downgrade's `dropTable`); otherwise `createEnum`. A type only
 *   the database has is dropped (`dropEnum`, `ifExists` as `dropTable` may have dropped it) when a
 *   compared table uses it; types no table uses are left alone (the models cannot declare them).
 *   Added values: `addEnumValue` (at their place); removed or reordered values: the type is
 *   recreated (rename, create, convert the columns through text, drop the old one) by a PL/pgSQL
 *   block, which fails if a row holds a removed value. Both know their inverse, so the downgrade
 *   removes added values the same way.
 * - MySQL ENUM/SET value lists are column types: a change is a type change. InnoDB needs an index
 *   for each foreign key and makes one when none exists (introspection hides it): dropping a
 *   foreign key of a kept table drops that index too, adding one creates it (named after the key)
 *   unless another index covers it. The keys a table drops and creates are played in the order the
 *   revision runs them (`keepForeignKeysIndexed`): a drop leaving a kept foreign key without an
 *   index gives it one of its own in the same statement, and a create that can serve a foreign key
 *   with an index of its own takes that index out, each undone by its inverse; a dropped table's
 *   foreign key indexes are recreated by the downgrade under their names. A changed
 *   MySQL primary key is one statement (an AUTO_INCREMENT column must stay a key), which also adds an
 *   AUTO_INCREMENT column the new key needs, drops a column of the old key that goes, and keeps every
 *   kept foreign key indexed.
 * - A foreign key the models keep that refers to a primary key or unique constraint this
 *   revision drops is dropped before and created again after.
 * - PostgreSQL type changes without an assignment cast (to or from an enum, text to a number…)
 *   get `USING "col"::type` both ways (via text for enums); the column's default is dropped for the
 *   change and set again after, as PostgreSQL would fail converting it.
 * - Identity / AUTO_INCREMENT changes are `execute` operations knowing their inverse (no directive
 *   changes them); on SQLite they are reported with no operation (SQLite cannot alter them).
 * - SQLite reflects constraints declared without a name without one: they are dropped by the name
 *   PostgreSQL would give them, which the batch rebuild resolves (`unnamedConstraintCalled` in
 *   `operations/apply.ts`). SQLite enum columns compare by their values (a change is a rebuild).
 * - Operations written as `execute` for want of a directive (enum recreation, identity, the MySQL
 *   key statements above) are `ReversibleExecuteOp`s: the downgrade stays `reverse()` of the upgrade.
 * - Collations are not compared.
 */
import type { DialectName } from '../dialects/dialect.js'
import { loadedDialect } from '../dialects/registry.js'
import type { SchemaSnapshot } from '../dialects/introspector.js'
import { compactSpec, isCompact, isSerialColumn, mapChanged } from '../dialects/introspector.js'
import {
  AddColumnOp,
  AlterColumnOp,
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
  type AlterColumnProps,
  type Operation,
} from '../operations/ops.js'
import type { SchemaObjectRef } from '../runtime/environment.js'
import type { CheckSpec, ColumnSpec, DefaultValue, ForeignKeySpec, GeneratedSpec, IndexSpec, PrimaryKeySpec, TableSpec, UniqueSpec } from '../schema/spec.js'
import { sql, SqlFragment } from '../schema/sql.js'
import type { ColumnType, EnumType } from '../schema/types.js'
import { SchemaError } from '../schema/errors.js'
import { fitName } from '../schema/naming.js'
import { doBlock, isIdentityColumnSql } from '../dialects/postgres/dollar-tag.js'
import { unnamedConstraintName } from '../operations/apply.js'
import { canonicalTable, defaultKey, describeDefault, describeType, sameDefault, sameType, stableJson } from './canonical.js'
import { fragmentText, normalizeExpression, sameExpression } from './expressions.js'
import { ReversibleAddEnumValueOp, ReversibleExecuteOp, ReversibleUsingAlterColumnOp } from './inverse-ops.js'
import { RANK, setOperationRank } from './order.js'

/** What the MySQL compiler gives for keys taking over from a foreign key's index (`MysqlDdlCompiler`). */
interface MysqlCompilerKeys {
  addKeyClause(key: { readonly index: IndexSpec } | { readonly unique: UniqueSpec } | { readonly primary: PrimaryKeySpec }): string
  addColumnClause(column: ColumnSpec, tableName: string, schema: string | undefined): string
}

const mysqlKeys = (): MysqlCompilerKeys => loadedDialect('mysql').ddlCompiler() as unknown as MysqlCompilerKeys

/** A column as the next operation on it finds it (MySQL's MODIFY restates all of it). */
interface ColumnAsFound {
  readonly type: ColumnType
  readonly nullable: boolean
  readonly serverDefault: DefaultValue | null
  readonly comment: string | null
  readonly collation: string | undefined
  readonly generated: GeneratedSpec | undefined
  /** MariaDB: the check of the column's own definition, restated by MODIFY (`CheckSpec.column`). */
  readonly columnCheck?: SqlFragment | undefined
  /** MySQL: INVISIBLE, restated by MODIFY. */
  readonly invisible?: boolean
}

/** How a table's checks in the database meet the models' (`matchChecks`). */
interface CheckMatch {
  /** The database's checks compared (the filters passed). */
  readonly dbChecks: readonly CheckSpec[]
  /** Those the models leave out. */
  readonly removed: readonly CheckSpec[]
  /** Those the models name with another condition. */
  readonly modified: readonly { readonly before: CheckSpec; readonly after: CheckSpec }[]
  /** The models' checks the database lacks. */
  readonly pending: readonly CheckSpec[]
}

export interface CompareOptions {
  readonly dialect: DialectName
  /** The database's default schema (`public`): models naming it are taken as naming no schema. */
  readonly defaultSchema?: string
  readonly compareType: boolean
  readonly compareServerDefault: boolean
  /** Keep an object in the comparison or not (env.ts `includeObject`). */
  readonly includeObject?: (object: SchemaObjectRef) => boolean
  /** The version table, never compared. */
  readonly versionTable: string
  /** Its schema (default: the default schema). */
  readonly versionTableSchema?: string
  /**
   * The database's own text of model check conditions and generation expressions, by the models'
   * text (`fragmentText`): PostgreSQL and MySQL store them as they re-print them (MariaDB
   * `lower(x)` as `lcase(x)`, `NOT (a = 1)` as `a <> 1`…), so one that compared different is asked
   * of the server and compared again (server-spellings.ts, `spellingQuestions`). PostgreSQL also
   * re-prints defaults (`'1 hour'` of an interval as `'01:00:00'::interval`, `'{"a"}'` as
   * `'{a}'::text[]`) and index predicates and expressions (`n IN (1)` as `n = 1`): `defaults` by
   * `defaultSpellingKey`, the others by `spellingKey` (the same text spells differently on two
   * tables whose columns differ in type).
   */
  readonly serverSpellings?: ServerSpellingsSeen
}

/** `CompareOptions.serverSpellings`. */
export interface ServerSpellingsSeen {
  readonly checks: ReadonlyMap<string, string>
  readonly generated: ReadonlyMap<string, string>
  readonly defaults?: ReadonlyMap<string, DefaultValue | undefined>
  readonly indexes?: ReadonlyMap<string, string>
}

/** The key of an expression of table `schema`.`table` in `ServerSpellingsSeen` (checks, generated, indexes): the table and the models' text. */
export function spellingKey(schema: string | undefined, table: string, text: string): string {
  return `${key(schema, table)}\u0000${text}`
}

/** The key of a model column's default in `ServerSpellingsSeen.defaults` (its type and its value). */
export function defaultSpellingKey(column: ColumnSpec, dialect: DialectName): string | undefined {
  const value = defaultKey(column.serverDefault, column.type, dialect)
  return value === undefined ? undefined : `${stableJson(column.type)}\u0000${value}`
}

/** The models side: the target metadata's tables (`metadata.toSpecs()`) and enum types. */
export interface ModelSchema {
  readonly tables: readonly TableSpec[]
  /** Enum types to have even when no table uses them (those the tables use are found in them). */
  readonly enums: readonly EnumType[]
}

export type DifferenceKind =
  | 'add_table'
  | 'remove_table'
  | 'add_column'
  | 'remove_column'
  | 'modify_type'
  | 'modify_nullable'
  | 'modify_default'
  | 'modify_comment'
  | 'modify_invisible'
  | 'modify_autoincrement'
  | 'modify_generated'
  | 'add_table_comment'
  | 'remove_table_comment'
  | 'modify_table_comment'
  | 'add_primary_key'
  | 'remove_primary_key'
  | 'modify_primary_key'
  | 'add_index'
  | 'remove_index'
  | 'modify_index'
  | 'add_unique'
  | 'remove_unique'
  | 'modify_unique'
  | 'add_foreign_key'
  | 'remove_foreign_key'
  | 'modify_foreign_key'
  | 'add_check'
  | 'remove_check'
  | 'modify_check'
  | 'add_enum'
  | 'remove_enum'
  | 'add_enum_value'
  | 'modify_enum'

export interface Difference {
  readonly kind: DifferenceKind
  /** Schema of the table (or enum type); undefined for the default schema. */
  readonly schema?: string
  /** The table the difference is about (not for enum types). */
  readonly table?: string
  /** The column, index, constraint or enum type; for tables, the table. */
  readonly name?: string
  /** One line: `added column 'users.age'`. */
  readonly description: string
  /** The operations turning the database into the models (in no particular order: see `planMigration`). */
  readonly ops: readonly Operation[]
}

/** The differences between the database and the models, in a stable order. */
export function compareSchemas(database: SchemaSnapshot, models: ModelSchema | PreparedModels, options: CompareOptions): Difference[] {
  const prepared = models instanceof PreparedModels && models.fits(options) ? models : undefined
  return new Comparison(database, models instanceof PreparedModels ? models.models : models, options, prepared).run()
}

/**
 * The model expressions to ask the server's spelling of (`CompareOptions.serverSpellings`): check
 * conditions added or changed on a table where a check of the database found no match, and the
 * expressions of generated columns whose expression compared different, with the model table
 * (`modelTable(schema, name)`, by the table's name in the differences) whose columns they name.
 */
export function spellingQuestions(
  differences: readonly Difference[],
  modelTable: (schema: string | undefined, name: string) => TableSpec | undefined,
): SpellingQuestions[] {
  const unmatched = new Set(differences.filter((d) => d.kind === 'remove_check' || d.kind === 'modify_check').map((d) => key(d.schema, d.table!)))
  const questions = new Map<string, SpellingQuestions>()
  const question = (d: Difference): SpellingQuestions | undefined => {
    const k = key(d.schema, d.table!)
    let found = questions.get(k)
    if (found === undefined) {
      const table = modelTable(d.schema, d.table!)
      if (table !== undefined) questions.set(k, (found = { schema: d.schema, tableName: d.table!, table, conditions: [], generated: [], defaults: [], indexes: [] }))
    }
    return found
  }
  for (const d of differences) {
    if ((d.kind === 'add_check' || d.kind === 'modify_check') && unmatched.has(key(d.schema, d.table!))) {
      const q = question(d)
      for (const op of d.ops) if (q !== undefined && op instanceof CreateCheckConstraintOp && op.constraint.expression instanceof SqlFragment) q.conditions.push(op.constraint.expression)
    }
    if (d.kind === 'modify_generated') {
      const q = question(d)
      for (const op of d.ops) if (q !== undefined && op instanceof AlterColumnOp && op.generated != null && op.existingGenerated != null) q.generated.push(op.columnName)
    }
    if (d.kind === 'modify_default') {
      const q = question(d)
      for (const op of d.ops) if (q !== undefined && op instanceof AlterColumnOp && op.serverDefault != null) q.defaults.push(op.columnName)
    }
    if (d.kind === 'modify_index') {
      const q = question(d)
      for (const op of d.ops) {
        if (q !== undefined && op instanceof CreateIndexOp && (op.index.where !== undefined || op.index.columns.some((c) => c instanceof SqlFragment))) q.indexes.push(op.index)
      }
    }
  }
  return [...questions.values()].filter((q) => q.conditions.length + q.generated.length + q.defaults.length + q.indexes.length > 0)
}

/** What `spellingQuestions` asks of one table (see server-spellings.ts). */
export interface SpellingQuestions {
  /** The database table's schema and name (the answers' keys: `spellingKey`). */
  readonly schema: string | undefined
  readonly tableName: string
  /** The model table: its columns are those the expressions name. */
  readonly table: TableSpec
  /** Check conditions. */
  readonly conditions: SqlFragment[]
  /** Generated columns whose expression to ask. */
  readonly generated: string[]
  /** Columns whose default to ask. */
  readonly defaults: string[]
  /** Indexes whose predicate and expressions to ask (as the models write them). */
  readonly indexes: IndexSpec[]
}

/**
 * Index names are unique per schema on PostgreSQL and SQLite (MySQL's are per table: the same name
 * on two tables, as WordPress and Sakila have, is allowed there).
 * @throws SchemaError naming an index two tables of one schema declare
 */
export function checkIndexNames(tables: readonly TableSpec[], dialect: DialectName): void {
  if (dialect === 'mysql') return
  const owners = new Map<string, string>()
  for (const table of tables) {
    for (const ix of table.indexes) {
      const k = key(table.schema, ix.name)
      const owner = owners.get(k)
      if (owner !== undefined && owner !== table.name) {
        throw new SchemaError('duplicate_name', `index '${ix.name}' is declared on both '${owner}' and '${table.name}'`, {
          hint: `index names are unique per schema on ${dialect === 'postgresql' ? 'PostgreSQL' : 'SQLite'}: rename one`,
        })
      }
      owners.set(k, table.name)
    }
  }
}

/**
 * The models' side of a comparison (their tables as the database would keep them), made before
 * the database's side is read: autogenerate prepares it while the server still answers. Made for
 * the models only when nothing in them names a schema (tables, foreign keys, enum types) and the
 * version table has none: then it holds whatever the database's default schema turns out to be.
 * @returns undefined when the models name a schema (they are prepared in the comparison then)
 */
export function prepareModels(models: ModelSchema, options: Omit<CompareOptions, 'defaultSchema'>): PreparedModels | undefined {
  if (options.versionTableSchema !== undefined || models.enums.some((e) => e.schema !== undefined) || models.tables.some(namesSchema)) return undefined
  const comparison = new Comparison({ tables: [], enums: [] }, models, options, undefined)
  const { modelTables, modelNames } = comparison.prepareModels()
  return new PreparedModels(models, options, modelTables, modelNames)
}

function namesSchema(table: TableSpec): boolean {
  const typeSchema = (type: ColumnType): boolean => (type.kind === 'array' ? typeSchema(type.itemType) : type.kind === 'enum' && type.schema !== undefined)
  return table.schema !== undefined || table.foreignKeys.some((fk) => fk.referredSchema !== undefined) || table.columns.some((c) => typeSchema(c.type))
}

export class PreparedModels {
  /** @internal */
  constructor(
    readonly models: ModelSchema,
    private readonly options: Omit<CompareOptions, 'defaultSchema'>,
    /** @internal */ readonly modelTables: ReadonlyMap<string, ModelTable>,
    /** @internal */ readonly modelNames: readonly string[],
  ) {}

  /** Whether the comparison `options` are those it was prepared with (the default schema aside). */
  fits(options: CompareOptions): boolean {
    const o = this.options
    return (
      o.dialect === options.dialect &&
      o.includeObject === options.includeObject &&
      o.versionTable === options.versionTable &&
      o.versionTableSchema === options.versionTableSchema &&
      o.compareType === options.compareType &&
      o.compareServerDefault === options.compareServerDefault
    )
  }
}

// ---------------------------------------------------------------------------------------------

const key = (schema: string | undefined, name: string): string => JSON.stringify([schema ?? null, name])

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i])
}

const quote = (text: string): string => `'${text}'`
/** `check constraint 'ck_x'`, or `unnamed check constraint` for one the database keeps without a name (SQLite). */
const named = (what: string, name: string | undefined): string => (name === undefined || name === '' ? `unnamed ${what}` : `${what} ${quote(name)}`)

interface ModelTable {
  /** As declared (what operations carry). */
  readonly original: TableSpec
  /** As the database keeps it (what is compared). */
  readonly canonical: TableSpec
  /** For each canonical unique constraint, what the models declared: a unique constraint or (MySQL) a unique index. */
  readonly uniqueOrigins: readonly ({ readonly unique: UniqueSpec } | { readonly index: IndexSpec })[]
}

interface EnumInfo {
  readonly type: EnumType
  /** Compared schema: undefined for the default one. */
  readonly schema: string | undefined
}

class Comparison {
  private readonly dialect: DialectName
  private readonly differences: Difference[] = []
  private readonly dbTables = new Map<string, TableSpec>()
  private readonly modelTables = new Map<string, ModelTable>()
  /** Every constraint and index name in sight, so generated names do not collide. */
  private readonly usedNames = new Set<string>()
  /** Keys of the tables the models add. */
  private readonly createdTables = new Set<string>()
  /** Keys (primary, unique) this comparison drops, as `[table key, columns]`: foreign keys referring to them must be recreated. */
  private readonly droppedKeys = new Set<string>()
  /** Foreign keys of compared tables left as they are (they may still need recreating, see `droppedKeys`). */
  private readonly keptForeignKeys: { table: TableSpec; fk: ForeignKeySpec }[] = []
  /**
   * Columns (by table key) whose type change the database makes only without what depends on
   * them: any type change on MySQL (a column of a foreign key, either side, cannot change type
   * under it), a conversion needing `USING` on PostgreSQL (a foreign key would compare values of two
   * types; indexes and checks go around every type change there: `typeChangedColumns`).
   */
  private readonly retypedColumns = new Map<string, Set<string>>()
  /** Columns (by table key) made again to change their generation (`recreatesColumn`): what is on them is recreated around it. */
  private readonly recreatedColumns = new Map<string, Set<string>>()
  /** MySQL: the statements changing a primary key (see `comparePrimaryKey`): the new key's columns, and the foreign key indexes it gives and takes by name. */
  private readonly primaryKeyStatements = new Map<Operation, { columns: readonly string[]; given: { fk: ForeignKeySpec; name: string }[]; taken: string[] }>()
  /** PostgreSQL: columns (by table key) whose type changes, which no generated column may use meanwhile. */
  private readonly typeChangedColumns = new Map<string, Set<string>>()
  /** MySQL: the columns (`${key(schema, table)}.${column}`) whose AUTO_INCREMENT the upgrade removes. */
  private readonly identityRemoved = new Set<string>()
  /**
   * PostgreSQL: the enum types (by key) the upgrade recreates (`recreateEnumSql`), which sets the
   * default of each column of the type: a default change of such a column is made there.
   */
  private readonly recreatedEnums = new Set<string>()

  constructor(
    private readonly database: SchemaSnapshot,
    private readonly models: ModelSchema,
    private readonly options: CompareOptions,
    private readonly prepared: PreparedModels | undefined,
  ) {
    this.dialect = options.dialect
  }

  // -------------------------------------------------------------------------------------------
  // Normalisation

  private schemaOf(schema: string | undefined): string | undefined {
    return schema === undefined || schema === this.options.defaultSchema ? undefined : schema
  }

  private include(object: SchemaObjectRef): boolean {
    return this.options.includeObject === undefined || this.options.includeObject(object)
  }

  private isVersionTable(table: TableSpec): boolean {
    return table.name === this.options.versionTable && this.schemaOf(table.schema) === this.schemaOf(this.options.versionTableSchema)
  }

  /** Schema names of the default schema dropped, enum schemas relative to their table. */
  private normalizeTable(spec: TableSpec): TableSpec {
    const schema = this.schemaOf(spec.schema)
    const fixType = (type: ColumnType): ColumnType => {
      if (type.kind === 'array') {
        const itemType = fixType(type.itemType)
        return itemType === type.itemType ? type : { ...type, itemType }
      }
      if (type.kind !== 'enum' || type.schema === undefined) return type
      return this.schemaOf(type.schema) === schema ? compactSpec({ ...type, schema: undefined }) : type
    }
    // Only what changes is copied (usually nothing: every table of both sides passes here).
    const columns = mapChanged(spec.columns, (c) => {
      const type = fixType(c.type)
      return type === c.type ? c : { ...c, type }
    })
    const foreignKeys = mapChanged(spec.foreignKeys, (fk) => {
      const referredSchema = this.schemaOf(fk.referredSchema)
      return referredSchema === fk.referredSchema && isCompact(fk) ? fk : compactSpec({ ...fk, referredSchema })
    })
    if (schema === spec.schema && columns === spec.columns && foreignKeys === spec.foreignKeys && isCompact(spec)) return spec
    return compactSpec({ ...spec, schema, columns, foreignKeys })
  }

  private prepare(): void {
    for (const raw of this.database.tables) {
      const table = this.normalizeTable(raw)
      if (this.isVersionTable(table)) continue
      if (!this.include({ type: 'table', name: table.name, schema: table.schema, reflected: true })) continue
      this.dbTables.set(key(table.schema, table.name), table)
      for (const name of constraintNames(table)) this.usedNames.add(name)
    }
    const { modelTables, modelNames } = this.prepared ?? this.prepareModels()
    for (const [k, table] of modelTables) this.modelTables.set(k, table)
    for (const name of modelNames) this.usedNames.add(name)
    if (this.dialect === 'sqlite' || this.dialect === 'mysql') this.alignNameCase()
  }

  /**
   * SQLite's table and column names and MySQL's column names are the same whatever their case
   * (ASCII): a model naming `title` a column the database calls `Title` means that column, and
   * comparing them as different names would drop it, with its data, and add an empty one. Such
   * model names take the database's spelling (in the table, its constraints and indexes, and the
   * foreign keys referring to it) before comparing; nothing is reported for the case alone.
   */
  private alignNameCase(): void {
    const tables = this.dialect === 'sqlite'
    // Model table key → the database's spelling of its name, and of its columns (by folded name).
    const dbByFolded = new Map<string, TableSpec>()
    if (tables) for (const table of this.dbTables.values()) dbByFolded.set(key(table.schema, fold(table.name)), table)
    const renamedTables = new Map<string, string>()
    const renamedColumns = new Map<string, Map<string, string>>()
    for (const [k, model] of this.modelTables) {
      let db = this.dbTables.get(k)
      const spec = model.original
      if (db === undefined && tables) {
        const other = dbByFolded.get(key(spec.schema, fold(spec.name)))
        if (other !== undefined && !this.modelTables.has(key(other.schema, other.name))) {
          db = other
          renamedTables.set(k, other.name)
        }
      }
      if (db === undefined) continue
      const exact = new Set(db.columns.map((c) => c.name))
      if (spec.columns.every((c) => exact.has(c.name))) continue
      const modelNames = new Set(spec.columns.map((c) => c.name))
      const dbColumns = new Map(db.columns.filter((c) => !modelNames.has(c.name)).map((c) => [fold(c.name), c.name]))
      const columns = new Map<string, string>()
      for (const column of spec.columns) {
        const name = exact.has(column.name) ? undefined : dbColumns.get(fold(column.name))
        if (name !== undefined) columns.set(column.name, name)
      }
      if (columns.size > 0) renamedColumns.set(k, columns)
    }
    if (renamedTables.size === 0 && renamedColumns.size === 0) return
    const tableName = (schema: string | undefined, name: string): string => renamedTables.get(key(schema, name)) ?? name
    const columnsOf = (schema: string | undefined, name: string): ((column: string) => string) => {
      const map = renamedColumns.get(key(schema, name))
      return (column) => map?.get(column) ?? column
    }
    const aligned = new Map<string, ModelTable>()
    for (const [k, model] of this.modelTables) {
      const spec = model.original
      const column = columnsOf(spec.schema, spec.name)
      const touchesRenamed = spec.foreignKeys.some((fk) => renamedTables.has(key(fk.referredSchema, fk.referredTable)) || renamedColumns.has(key(fk.referredSchema, fk.referredTable)))
      if (!renamedTables.has(k) && !renamedColumns.has(k) && !touchesRenamed) {
        aligned.set(k, model)
        continue
      }
      const original = compactSpec({
        ...spec,
        name: tableName(spec.schema, spec.name),
        columns: spec.columns.map((c) => ({ ...c, name: column(c.name) })),
        primaryKey: spec.primaryKey && { ...spec.primaryKey, columns: spec.primaryKey.columns.map(column) },
        uniques: spec.uniques.map((u) => ({ ...u, columns: u.columns.map(column) })),
        indexes: spec.indexes.map((ix) => ({ ...ix, columns: ix.columns.map((c) => (typeof c === 'string' ? column(c) : c)), ...(ix.descending === undefined ? {} : { descending: ix.descending.map(column) }) })),
        foreignKeys: spec.foreignKeys.map((fk) => {
          const referred = columnsOf(fk.referredSchema, fk.referredTable)
          return { ...fk, columns: fk.columns.map(column), referredTable: tableName(fk.referredSchema, fk.referredTable), referredColumns: fk.referredColumns.map(referred) }
        }),
      })
      aligned.set(key(original.schema, original.name), this.modelTable(original))
    }
    this.modelTables.clear()
    for (const [k, table] of aligned) this.modelTables.set(k, table)
  }

  /**
   * SQLite's table names and SQLite's and MySQL's column names are the same whatever their case: two
   * model names differing only in case would be created twice (the revision would fail).
   * @throws SchemaError naming both
   */
  private requireDistinctFolded(table: TableSpec, foldedTables: Map<string, string>): void {
    if (this.dialect === 'postgresql') return
    const label = this.dialect === 'sqlite' ? 'SQLite' : 'MySQL'
    if (this.dialect === 'sqlite') {
      const folded = key(table.schema, fold(table.name))
      const other = foldedTables.get(folded)
      if (other !== undefined && other !== table.name) {
        throw new SchemaError('duplicate_name', `tables '${other}' and '${table.name}' are one table to SQLite, which compares names whatever their case`, { hint: 'rename one of them' })
      }
      foldedTables.set(folded, table.name)
    }
    const columns = new Map<string, string>()
    for (const column of table.columns) {
      const folded = fold(column.name)
      const other = columns.get(folded)
      if (other !== undefined) {
        throw new SchemaError('duplicate_name', `table '${table.name}': columns '${other}' and '${column.name}' are one column to ${label}, which compares column names whatever their case`, {
          hint: 'rename one of them',
        })
      }
      columns.set(folded, column.name)
    }
  }

  /** The models' tables as compared (keyed by schema and name), and the constraint names they use. */
  prepareModels(): { modelTables: Map<string, ModelTable>; modelNames: string[] } {
    const modelTables = new Map<string, ModelTable>()
    const modelNames: string[] = []
    const foldedTables = new Map<string, string>()
    for (const raw of this.models.tables) {
      const original = this.normalizeTable(raw)
      if (this.isVersionTable(original)) continue
      if (!this.include({ type: 'table', name: original.name, schema: original.schema, reflected: false })) continue
      this.requireDistinctFolded(original, foldedTables)
      modelTables.set(key(original.schema, original.name), this.modelTable(original))
      modelNames.push(...constraintNames(original))
    }
    return { modelTables, modelNames }
  }

  /** A model table as compared: as declared, and as the database keeps it. */
  private modelTable(original: TableSpec): ModelTable {
    const canonical = canonicalTable(original, this.dialect)
    const uniqueOrigins = canonical.uniques.map((u, i): { unique: UniqueSpec } | { index: IndexSpec } => {
      if (i < original.uniques.length) return { unique: original.uniques[i]! }
      return { index: original.indexes.find((ix) => ix.name === u.name)! }
    })
    return { original, canonical, uniqueOrigins }
  }

  // -------------------------------------------------------------------------------------------
  // Run

  run(): Difference[] {
    this.prepare()
    const keys = [...new Set([...this.dbTables.keys(), ...this.modelTables.keys()])].sort(byText)
    for (const k of keys) if (!this.dbTables.has(k)) this.createdTables.add(k)

    const enumRemovals = this.dialect === 'postgresql' ? this.compareEnums() : []
    const created = this.orderWithCycles(keys.filter((k) => !this.dbTables.has(k)).map((k) => this.modelTables.get(k)!.original))
    const dropped = this.orderWithCycles(keys.filter((k) => !this.modelTables.has(k)).map((k) => this.dbTables.get(k)!))
    for (const k of keys) {
      const db = this.dbTables.get(k)
      const model = this.modelTables.get(k)
      if (db === undefined) this.addTable(model!, created.get(k)!)
      else if (model === undefined) this.removeTable(db, dropped.get(k)!)
      else this.compareTable(db, model)
    }
    if (this.dialect === 'postgresql') {
      this.recreateExpressionsOfRetypedColumns()
      this.recreateGeneratedColumnsOfRetypedColumns()
    }
    this.recreateWhatIsOnRecreatedColumns()
    if (this.dialect === 'mysql') {
      // Every key change of a compared table, those made around recreated columns included.
      const byTable = new Map<string, Difference[]>()
      for (const d of this.differences) {
        if (d.table === undefined || !KEY_CHANGES.has(d.kind)) continue
        const k = key(d.schema, d.table)
        if (!this.dbTables.has(k) || !this.modelTables.has(k)) continue
        let changes = byTable.get(k)
        if (changes === undefined) byTable.set(k, (changes = []))
        changes.push(d)
      }
      for (const [k, changes] of byTable) this.keepForeignKeysIndexed(this.dbTables.get(k)!, changes)
      for (const k of byTable.keys()) this.keepAutoincrementKeyed(this.dbTables.get(k)!, this.modelTables.get(k)!)
    }
    this.recreateDependentForeignKeys()
    this.dropForeignKeysOfDroppedTablesFirst()
    this.deferForeignKeysToRetypedColumns()
    this.differences.push(...enumRemovals)
    return this.differences
  }

  /**
   * PostgreSQL: an index (predicate or expression) or check constraint naming a column whose type
   * changes is dropped before the change and created again from the models after it: rebuilt by
   * PostgreSQL, it would compare the column with a value of its old type (`role = 'admin'::mrole` on
   * a column now text, `tags <> '{}'::varchar[]` on a column now text[]), or use a cast that is not
   * immutable (`created_at >= '2024-01-01'::timestamp` on a column now timestamptz). PostgreSQL
   * rebuilds those indexes and checks the rows again anyway. Those the comparison drops or changes
   * anyway are left to it.
   */
  private recreateExpressionsOfRetypedColumns(): void {
    for (const [k, columns] of this.typeChangedColumns) {
      const db = this.dbTables.get(k)
      const model = this.modelTables.get(k)
      if (db === undefined || model === undefined) continue
      const handled = new Set(this.differences.filter((d) => d.table === db.name && d.schema === db.schema && d.name !== undefined).map((d) => `${d.kind}:${d.name}`))
      const mentioned = (fragments: readonly (string | SqlFragment | undefined)[]): string | undefined =>
        [...columns].find((column) => fragments.some((f) => f instanceof SqlFragment && namesColumn(fragmentText(f, 'postgresql'), column)))
      for (const ix of db.indexes) {
        const column = mentioned([...ix.columns, ix.where])
        const target = model.original.indexes.find((m) => m.name === ix.name)
        if (column === undefined || target === undefined || handled.has(`remove_index:${ix.name}`) || handled.has(`modify_index:${ix.name}`)) continue
        this.recreateIndex(db, ix, target, `its column ${quote(column)} changes type`)
      }
      for (const c of db.checks) {
        const column = mentioned([c.expression])
        const target = model.original.checks.find((m) => m.name === c.name)
        if (column === undefined || target === undefined || c.name === undefined || handled.has(`remove_check:${c.name}`) || handled.has(`modify_check:${c.name}`)) continue
        this.recreateCheck(db, c, target, `its column ${quote(column)} changes type`)
      }
    }
  }

  /** An index of `db` dropped and created again as the models declare it (`target`), `why` in its line. */
  private recreateIndex(db: TableSpec, ix: IndexSpec, target: IndexSpec, why: string): void {
    this.push({
      kind: 'modify_index',
      schema: db.schema,
      table: db.name,
      name: ix.name,
      description: `recreated index ${quote(ix.name)} on ${quote(this.label(db))}: ${why}`,
      ops: [new DropIndexOp({ name: ix.name, tableName: db.name, schema: db.schema, existing: ix }), new CreateIndexOp({ tableName: db.name, schema: db.schema, index: target })],
    })
  }

  /** A check constraint of `db` dropped and created again as the models declare it (`target`), `why` in its line. */
  private recreateCheck(db: TableSpec, check: CheckSpec, target: CheckSpec, why: string): void {
    this.push({
      kind: 'modify_check',
      schema: db.schema,
      table: db.name,
      name: check.name,
      description: `recreated check constraint ${quote(check.name!)} on ${quote(this.label(db))}: ${why}`,
      ops: [this.dropCheck(db, check), new CreateCheckConstraintOp({ tableName: db.name, schema: db.schema, constraint: target })],
    })
  }

  /**
   * PostgreSQL refuses to change the type of a column a generated column uses: such a generated
   * column (kept as it is by the models) is dropped before the change and added again after it,
   * computed anew, with what is on it (`recreatedColumns`).
   */
  private recreateGeneratedColumnsOfRetypedColumns(): void {
    // The columns of an enum type the upgrade recreates change type too (to the new type).
    const retyped = new Map([...this.typeChangedColumns].map(([k, columns]) => [k, new Set(columns)]))
    if (this.recreatedEnums.size > 0) {
      for (const [k, db] of this.dbTables) {
        if (!this.modelTables.has(k)) continue
        for (const column of db.columns) {
          const of = this.enumOf(column.type, db.schema)
          if (of !== undefined && this.recreatedEnums.has(of.key)) retyped.set(k, (retyped.get(k) ?? new Set()).add(column.name))
        }
      }
    }
    for (const [k, columns] of retyped) {
      const db = this.dbTables.get(k)!
      const model = this.modelTables.get(k)!
      const handled = new Set(this.differences.filter((d) => d.table === db.name && d.schema === db.schema && (d.kind === 'modify_generated' || d.kind === 'remove_column')).map((d) => d.name))
      for (const generated of db.columns) {
        if (generated.generated === undefined || handled.has(generated.name)) continue
        const used = [...columns].find((c) => namesColumn(fragmentText(generated.generated!.expression, this.dialect), c))
        const target = model.original.columns.find((c) => c.name === generated.name)
        if (used === undefined || target === undefined) continue
        this.recreatedColumns.set(k, (this.recreatedColumns.get(k) ?? new Set()).add(generated.name))
        this.push({
          kind: 'modify_generated',
          schema: db.schema,
          table: db.name,
          name: generated.name,
          description: `recreated generated column ${quote(`${this.label(db)}.${generated.name}`)}: its column ${quote(used)} changes type`,
          ops: [
            new DropColumnOp({ tableName: db.name, schema: db.schema, columnName: generated.name, existing: { column: generated } }),
            setOperationRank(new AddColumnOp({ tableName: db.name, schema: db.schema, column: target }), RANK.createKeys),
          ],
        })
      }
    }
  }

  /**
   * PostgreSQL and MySQL: the indexes, unique and check constraints on a column made again to change
   * its generation (`recreatedColumns`) go with the old column: each is dropped before the change
   * and created again from the models after it (in the downgrade, the other way round). Those the
   * comparison drops or changes anyway are left to it.
   */
  private recreateWhatIsOnRecreatedColumns(): void {
    for (const [k, columns] of this.recreatedColumns) {
      const db = this.dbTables.get(k)!
      const model = this.modelTables.get(k)!
      const handled = new Set(this.differences.filter((d) => d.table === db.name && d.schema === db.schema && d.name !== undefined).map((d) => `${d.kind.replace(/^(?:remove|modify)_/, '')}:${d.name}`))
      const on = (parts: readonly (string | SqlFragment | undefined)[]): string | undefined =>
        [...columns].find((column) => parts.some((p) => (typeof p === 'string' ? p === column : p !== undefined && namesColumn(fragmentText(p, this.dialect), column))))
      const because = (column: string): string => `its column ${quote(column)} is made again to change its generation`
      for (const ix of db.indexes) {
        const column = on([...ix.columns, ix.where])
        const target = model.original.indexes.find((m) => m.name === ix.name)
        if (column === undefined || target === undefined || handled.has(`index:${ix.name}`)) continue
        this.recreateIndex(db, ix, target, because(column))
      }
      for (const u of db.uniques) {
        const column = on(u.columns)
        const at = model.canonical.uniques.findIndex((m) => m.name === u.name)
        if (column === undefined || at === -1 || handled.has(`unique:${u.name}`)) continue
        const { op } = this.createUniqueOp(db, model.canonical.uniques[at]!, model.uniqueOrigins[at]!)
        this.push({
          kind: 'modify_unique',
          schema: db.schema,
          table: db.name,
          name: u.name,
          description: `recreated unique constraint ${quote(u.name!)} on ${quote(this.label(db))}: ${because(column)}`,
          ops: [this.dropConstraint(db, { type: 'unique', ...u }), op],
        })
      }
      for (const c of db.checks) {
        const column = on([c.expression])
        const target = model.original.checks.find((m) => m.name === c.name)
        if (column === undefined || target === undefined || handled.has(`check:${c.name}`)) continue
        this.recreateCheck(db, c, target, because(column))
      }
    }
  }

  /**
   * For tables created (or dropped) together: the foreign keys that close a cycle among them, by
   * table. Tables are taken parents first (ties by name); a table whose parents are not all taken
   * yet starts the cycle, and its keys to the tables not taken yet are the ones split off.
   */
  private orderWithCycles(tables: readonly TableSpec[]): Map<string, ForeignKeySpec[]> {
    const inSet = new Set(tables.map((t) => key(t.schema, t.name)))
    const taken = new Set<string>()
    const split = new Map<string, ForeignKeySpec[]>(tables.map((t) => [key(t.schema, t.name), []]))
    const left = [...tables]
    // Without a schema, a foreign key names a table of the default schema (as the DDL resolves it).
    const parentKey = (_t: TableSpec, fk: ForeignKeySpec): string => key(fk.referredSchema, fk.referredTable)
    while (left.length > 0) {
      let at = left.findIndex((t) => t.foreignKeys.every((fk) => parentKey(t, fk) === key(t.schema, t.name) || !inSet.has(parentKey(t, fk)) || taken.has(parentKey(t, fk))))
      if (at === -1) {
        at = 0
        const t = left[0]!
        split.set(
          key(t.schema, t.name),
          t.foreignKeys.filter((fk) => parentKey(t, fk) !== key(t.schema, t.name) && inSet.has(parentKey(t, fk)) && !taken.has(parentKey(t, fk))),
        )
      }
      const [t] = left.splice(at, 1)
      taken.add(key(t!.schema, t!.name))
    }
    return split
  }

  /** While set, differences go here instead (to be added later, in their place). */
  private deferred: Difference[] | undefined

  private push(difference: Difference): void {
    ;(this.deferred ?? this.differences).push(compactSpec(difference))
  }

  // -------------------------------------------------------------------------------------------
  // Tables

  private label(table: { readonly name: string; readonly schema?: string | undefined }): string {
    return table.schema === undefined ? table.name : `${table.schema}.${table.name}`
  }

  private addTable(model: ModelTable, cycle: readonly ForeignKeySpec[]): void {
    const table = model.original
    const splitOff = cycle.map((fk) => (fk.name === undefined ? { ...fk, name: this.generatedName(table.name, fk.columns, 'fkey') } : fk))
    const created: TableSpec = { ...table, foreignKeys: table.foreignKeys.filter((fk) => !cycle.includes(fk)) }
    this.push({
      kind: 'add_table',
      schema: table.schema,
      table: table.name,
      name: table.name,
      description: `added table ${quote(this.label(table))}`,
      ops: [new CreateTableOp({ table: created }), ...splitOff.map((fk) => new CreateForeignKeyOp({ tableName: table.name, schema: table.schema, constraint: fk }))],
    })
  }

  private removeTable(table: TableSpec, cycle: readonly ForeignKeySpec[]): void {
    this.push({ kind: 'remove_table', schema: table.schema, table: table.name, name: table.name, description: `removed table ${quote(this.label(table))}`, ops: this.dropTableOps(table, cycle) })
  }

  /**
   * Dropping `table`: the foreign keys of `first` dropped before it (the downgrade adds them after
   * recreating it), then the table, its definition kept for the downgrade.
   */
  private dropTableOps(table: TableSpec, first: readonly ForeignKeySpec[]): Operation[] {
    // MySQL: the indexes InnoDB keeps for its foreign keys (hidden by introspection) are created again
    // by the downgrade under the names they have, before the keys: InnoDB would otherwise name them
    // after each key (`c_ibfk_1`), and earlier revisions' downgrades drop them by their names.
    const ownIndexes: IndexSpec[] = (this.database.foreignKeyIndexes ?? [])
      .filter((ix) => ix.table === table.name && this.schemaOf(ix.schema) === table.schema)
      .map((ix) => ({ name: ix.name, columns: ix.columns }))
    const existing: TableSpec = { ...table, indexes: [...table.indexes, ...ownIndexes], foreignKeys: table.foreignKeys.filter((fk) => !first.includes(fk)) }
    return [...first.map((fk) => this.dropConstraint(table, { type: 'foreignkey', ...fk })), new DropTableOp({ name: table.name, schema: table.schema, existing })]
  }

  private compareTable(db: TableSpec, model: ModelTable): void {
    const checks = this.matchChecks(db, model)
    this.columnChecks = this.columnChecksOf(db, checks)
    this.compareColumns(db, model)
    this.comparePrimaryKey(db, model)
    // Foreign keys are matched first (a MySQL key change depends on which stay), listed after.
    this.deferred = []
    this.compareForeignKeys(db, model)
    const foreignKeyDifferences = this.deferred
    this.deferred = undefined
    this.compareUniquesAndIndexes(db, model)
    this.differences.push(...foreignKeyDifferences)
    this.compareChecks(db, model, checks)
    this.compareTableComment(db, model)
    this.columnChecks = undefined
  }

  /**
   * MariaDB: the table's checks of a column definition (`CheckSpec.column`), by column: all of them,
   * and those the models keep as they are (the others are dropped, by a MODIFY, before the columns change).
   */
  private columnChecks: { readonly all: ReadonlyMap<string, CheckSpec>; readonly kept: ReadonlyMap<string, CheckSpec> } | undefined

  private columnChecksOf(db: TableSpec, checks: CheckMatch): typeof this.columnChecks {
    if (this.dialect !== 'mysql' || !db.checks.some((c) => c.column !== undefined)) return undefined
    const changed = new Set<CheckSpec>([...checks.removed, ...checks.modified.map((m) => m.before)])
    const all = new Map<string, CheckSpec>()
    const kept = new Map<string, CheckSpec>()
    for (const c of checks.dbChecks) {
      if (c.column === undefined) continue
      all.set(c.column, c)
      if (!changed.has(c)) kept.set(c.column, c)
    }
    return { all, kept }
  }

  // -------------------------------------------------------------------------------------------
  // Columns

  private compareColumns(db: TableSpec, model: ModelTable): void {
    const canonical = model.canonical
    const dbColumns = new Map(db.columns.map((c) => [c.name, c]))
    const modelNames = new Set(canonical.columns.map((c) => c.name))
    const filtered = this.options.includeObject !== undefined
    const ref = (name: string, reflected: boolean): SchemaObjectRef => ({ type: 'column', name, schema: db.schema, tableName: db.name, reflected })
    canonical.columns.forEach((column, i) => {
      const dbColumn = dbColumns.get(column.name)
      if (filtered && !this.include(ref(column.name, false))) return
      // The canonical columns are the original ones, in order.
      const same = model.original.columns[i]
      const original = same?.name === column.name ? same : model.original.columns.find((c) => c.name === column.name)!
      if (dbColumn === undefined) {
        this.push({
          kind: 'add_column',
          schema: db.schema,
          table: db.name,
          name: column.name,
          description: `added column ${quote(`${this.label(db)}.${column.name}`)}`,
          // A generated column is added after the plain ones (its expression may name them).
          ops: [original.generated === undefined ? new AddColumnOp({ tableName: db.name, schema: db.schema, column: original }) : setOperationRank(new AddColumnOp({ tableName: db.name, schema: db.schema, column: original }), RANK.addGenerated)],
        })
      } else {
        this.compareColumn(db, dbColumn, column, original)
      }
    })
    for (const column of db.columns) {
      if (modelNames.has(column.name) || (filtered && !this.include(ref(column.name, true)))) continue
      // A column a generated column uses goes after the generated column changed or went (the
      // databases refuse to drop it before).
      const used = db.columns.some((g) => g !== column && g.generated !== undefined && namesColumn(fragmentText(g.generated.expression, this.dialect), column.name))
      const drop = new DropColumnOp({ tableName: db.name, columnName: column.name, schema: db.schema, existing: { column } })
      this.push({
        kind: 'remove_column',
        schema: db.schema,
        table: db.name,
        name: column.name,
        description: `removed column ${quote(`${this.label(db)}.${column.name}`)}`,
        ops: [used ? setOperationRank(drop, RANK.dropUsedColumns) : drop],
      })
    }
  }

  private compareColumn(table: TableSpec, db: ColumnSpec, model: ColumnSpec, original: ColumnSpec): void {
    const identity = this.identityChange(table, db, model, original)
    const typeChanges = this.options.compareType && !sameType(db.type, model.type, this.dialect)
    // To or from a boolean, each default is read by its own type: integer 1 is not boolean true
    // (kept as it was, it would not fit the new type).
    const booleanChange = typeChanges && (db.type.kind === 'boolean') !== (model.type.kind === 'boolean')
    const defaultChanges =
      this.options.compareServerDefault &&
      (booleanChange
        ? defaultKey(db.serverDefault, db.type, this.dialect) !== defaultKey(model.serverDefault, model.type, this.dialect)
        : !sameDefault(db.serverDefault, model.serverDefault, model.type, this.dialect) && !this.sameSpelledDefault(db, original))
    // An empty comment is none: PostgreSQL and MySQL keep it so.
    const commentChanges = this.dialect !== 'sqlite' && (db.comment || null) !== (model.comment || null)
    const generationChanges = !this.sameGeneration(table, db.generated, model.generated)
    // PostgreSQL and SQLite have no invisible columns (the models' canonical form has none there).
    const invisibleChanges = (db.invisible === true) !== (model.invisible === true)
    // The usual case, a column that matches, returns before the rest is built for describing changes.
    if (identity === undefined && !defaultChanges && !typeChanges && db.nullable === model.nullable && !commentChanges && !generationChanges && !invisibleChanges) return
    const where = quote(`${this.label(table)}.${db.name}`)
    const base = { tableName: table.name, columnName: db.name, schema: table.schema }
    // The column as each operation finds it (MySQL restates it whole in MODIFY).
    let state: ColumnAsFound & { autoincrement: boolean } = { ...foundOf(db, this.columnChecks?.kept.get(db.name)?.expression), autoincrement: db.autoincrement === true }
    const alter = (changes: Partial<AlterColumnProps>, inverseUsing?: SqlFragment): AlterColumnOp => {
      const props: AlterColumnProps = {
        ...base,
        ...changes,
        ...existingHints(state, state.autoincrement),
        // With a change of the generation, null for a plain column.
        existingGenerated: changes.generated !== undefined ? (state.generated ?? null) : state.generated,
      }
      const op = inverseUsing === undefined ? new AlterColumnOp(props) : new ReversibleUsingAlterColumnOp(props, inverseUsing)
      state = {
        ...state,
        type: changes.type ?? state.type,
        nullable: changes.nullable ?? state.nullable,
        serverDefault: changes.serverDefault === undefined ? state.serverDefault : changes.serverDefault,
        comment: changes.comment === undefined ? state.comment : changes.comment,
        collation: changes.collation ?? state.collation,
        generated: changes.generated === undefined ? state.generated : (changes.generated ?? undefined),
        invisible: changes.invisible ?? state.invisible,
      }
      return op
    }
    if (identity !== undefined && !identity.adding) {
      // Removed first (see RANK): the changes after it find the column without it (MySQL's MODIFY
      // restates the whole column, and would put AUTO_INCREMENT back).
      this.push(identity.difference(() => state))
      state = { ...state, autoincrement: false }
      this.identityRemoved.add(`${key(table.schema, table.name)}.${db.name}`)
    }
    let defaultHandled = false
    if (generationChanges) {
      const before = db.generated
      const after = original.generated
      const spell = (g: GeneratedSpec | undefined): string => (g === undefined ? 'not generated' : `AS (${fragmentText(g.expression, this.dialect)}) ${this.storedOf(g) ? 'STORED' : 'VIRTUAL'}`)
      if (this.recreatesColumn(before, after)) {
        const k = key(table.schema, table.name)
        this.recreatedColumns.set(k, (this.recreatedColumns.get(k) ?? new Set()).add(db.name))
      }
      this.push({
        kind: 'modify_generated',
        schema: table.schema,
        table: table.name,
        name: db.name,
        description: `changed generation of ${where}: ${spell(before)} -> ${spell(after)}`,
        // A column that becomes generated loses its default first (a generated column has none).
        ops: after !== undefined && state.serverDefault !== null ? [alter({ serverDefault: null }), alter({ generated: after })] : [alter({ generated: after ?? null })],
      })
      defaultHandled = after !== undefined && db.serverDefault !== undefined
    }

    if (typeChanges) {
      if (this.dialect === 'postgresql') {
        const k = key(table.schema, table.name)
        this.typeChangedColumns.set(k, (this.typeChangedColumns.get(k) ?? new Set()).add(db.name))
      }
      const ops: AlterColumnOp[] = []
      const using = this.dialect === 'postgresql' ? postgresUsing(db.name, db.type, original.type) : undefined
      if (using !== undefined || this.dialect === 'mysql') {
        const k = key(table.schema, table.name)
        this.retypedColumns.set(k, (this.retypedColumns.get(k) ?? new Set()).add(db.name))
      }
      // The column keeps its collation through the type change, unless the models give one.
      const collation = original.collation === undefined ? {} : { collation: original.collation }
      if (using === undefined) {
        ops.push(alter({ type: original.type, ...collation }))
      } else {
        // PostgreSQL converts the default too, and cannot for these types: off during the change, back after.
        const restore = state.serverDefault
        if (restore !== null) ops.push(alter({ serverDefault: null }))
        ops.push(alter({ type: original.type, using: using.forward, ...collation }, using.inverse))
        if (restore !== null && !defaultChanges) ops.push(alter({ serverDefault: restore }))
      }
      // Away from an enum type the upgrade recreates: before the recreation, which converts the
      // columns of the type it finds (a value it removes may be in this one; the downgrade gives
      // the type back first, then the column).
      const leaving = this.dialect === 'postgresql' ? this.enumOf(db.type, table.schema)?.key : undefined
      if (leaving !== undefined && this.recreatedEnums.has(leaving)) ops.forEach((op) => setOperationRank(op, RANK.leaveRecreatedEnums))
      this.push({
        kind: 'modify_type',
        schema: table.schema,
        table: table.name,
        name: db.name,
        description: `changed type of ${where}: ${describeType(db.type, this.dialect)} -> ${describeType(original.type, this.dialect)}`,
        ops,
      })
    }
    if (defaultChanges && !defaultHandled) {
      // A column of an enum type the upgrade recreates gets its new default there (`recreateEnumSql`).
      const enumKey = this.dialect === 'postgresql' && !typeChanges ? this.enumOf(db.type, table.schema)?.key : undefined
      const byRecreation = enumKey !== undefined && this.recreatedEnums.has(enumKey) && this.modelColumnOfEnum(key(table.schema, table.name), db.name, enumKey) !== undefined
      this.push({
        kind: 'modify_default',
        schema: table.schema,
        table: table.name,
        name: db.name,
        description: `changed default of ${where}: ${describeDefault(db.serverDefault, this.dialect)} -> ${describeDefault(original.serverDefault, this.dialect)}${byRecreation ? ' (set by the recreation of its enum type)' : ''}`,
        ops: byRecreation ? [] : [alter({ serverDefault: original.serverDefault ?? null })],
      })
    }
    if (db.nullable !== model.nullable) {
      const spell = (nullable: boolean): string => (nullable ? 'NULL' : 'NOT NULL')
      this.push({
        kind: 'modify_nullable',
        schema: table.schema,
        table: table.name,
        name: db.name,
        description: `changed nullability of ${where}: ${spell(db.nullable)} -> ${spell(model.nullable)}`,
        ops: [alter({ nullable: model.nullable })],
      })
    }
    if (commentChanges) {
      this.push({
        kind: 'modify_comment',
        schema: table.schema,
        table: table.name,
        name: db.name,
        description: `changed comment of ${where}: ${db.comment === undefined ? 'none' : quote(db.comment)} -> ${model.comment === undefined ? 'none' : quote(model.comment)}`,
        ops: [alter({ comment: original.comment ?? null })],
      })
    }
    if (invisibleChanges) {
      const spell = (invisible: boolean | undefined): string => (invisible ? 'INVISIBLE' : 'VISIBLE')
      this.push({
        kind: 'modify_invisible',
        schema: table.schema,
        table: table.name,
        name: db.name,
        description: `changed visibility of ${where}: ${spell(db.invisible)} -> ${spell(model.invisible)}`,
        // Hidden after the columns made visible (MariaDB refuses a table without a visible column
        // meanwhile); the downgrade, in reverse, shows them again first.
        ops: [model.invisible === true ? setOperationRank(alter({ invisible: true }), RANK.hideColumns) : alter({ invisible: false })],
      })
    }
    if (identity !== undefined && identity.adding) this.push(identity.difference(() => state))
  }

  /** Whether a generated column is STORED: its own word, else the database's default (STORED only on PostgreSQL). */
  /** Whether the database's default of a column is the model's as the server re-prints it (`serverSpellings.defaults`). */
  private sameSpelledDefault(db: ColumnSpec, original: ColumnSpec): boolean {
    const defaults = this.options.serverSpellings?.defaults
    const key = defaults === undefined ? undefined : defaultSpellingKey(original, this.dialect)
    if (key === undefined || !defaults!.has(key)) return false
    return sameDefault(db.serverDefault, defaults!.get(key), db.type, this.dialect)
  }

  private storedOf(generated: GeneratedSpec): boolean {
    return generated.stored ?? this.dialect === 'postgresql'
  }

  private sameGeneration(table: TableSpec, db: GeneratedSpec | undefined, model: GeneratedSpec | undefined): boolean {
    if (db === undefined || model === undefined) return db === model
    if (this.storedOf(db) !== this.storedOf(model)) return false
    const spelled = this.options.serverSpellings?.generated.get(spellingKey(table.schema, table.name, fragmentText(model.expression, this.dialect)))
    return sameExpression(db.expression, spelled ?? model.expression, this.dialect)
  }

  /**
   * Whether changing a column's generation from `before` to `after`, or back, makes the column again
   * (its indexes and constraints going with it): always on PostgreSQL (which makes a generated
   * column plain in place, DROP EXPRESSION, but the downgrade makes it again); on MySQL when VIRTUAL
   * is on either side of a change of kind (what MODIFY cannot do). SQLite rebuilds the table,
   * indexes included.
   */
  private recreatesColumn(before: GeneratedSpec | undefined, after: GeneratedSpec | undefined): boolean {
    if (this.dialect === 'postgresql') return true
    if (this.dialect !== 'mysql') return false
    if (before !== undefined && after !== undefined) return this.storedOf(before) !== this.storedOf(after)
    return !this.storedOf((before ?? after)!)
  }

  /** Identity / AUTO_INCREMENT added, removed or (PostgreSQL) with other options. */
  private identityChange(
    table: TableSpec,
    db: ColumnSpec,
    model: ColumnSpec,
    original: ColumnSpec,
  ): { adding: boolean; difference: (state: () => ColumnAsFound) => Difference } | undefined {
    const before = db.autoincrement === true
    const after = model.autoincrement === true
    if (before === after && (!after || this.dialect !== 'postgresql')) return undefined
    const sameOptions = (db.identity === undefined && model.identity === undefined) || stableJson(db.identity ?? {}) === stableJson(model.identity ?? {})
    if (before === after && sameOptions) return undefined
    const where = quote(`${this.label(table)}.${db.name}`)
    const adding = after && !before
    const word = this.dialect === 'mysql' ? 'AUTO_INCREMENT' : this.dialect === 'postgresql' ? 'identity' : 'autoincrement'
    const description = before === after ? `changed identity options of ${where}` : adding ? `added ${word} to ${where}` : `removed ${word} from ${where}`
    const base = { kind: 'modify_autoincrement' as const, schema: table.schema, table: table.name, name: db.name }
    return {
      adding,
      difference: (state) => {
        if (this.dialect === 'sqlite') {
          return { ...base, description: `${description} (SQLite cannot change it: rebuild the table by hand)`, ops: [] }
        }
        // MariaDB: AUTO_INCREMENT goes (before the checks are dropped) with its column's own check
        // still there, and comes (after they are created) with the one the models keep.
        const found = adding ? state() : { ...state(), columnCheck: this.columnChecks?.all.get(db.name)?.expression }
        const [forward, backward] = this.dialect === 'postgresql' ? this.postgresIdentitySql(table, db, original) : this.mysqlAutoincrementSql(table, db.name, found, adding)
        const op = setOperationRank(new ReversibleExecuteOp(forward, backward), adding || before === after ? RANK.addIdentity : RANK.removeIdentity)
        return { ...base, description, ops: [op] }
      },
    }
  }

  /**
   * An identity change of a PostgreSQL column, and its inverse. A `serial` column (a sequence of its
   * own as default: adopted schemas) reads as `autoincrement()` like an identity column, but takes
   * no identity statement: losing `autoincrement()`, it loses its default and its sequence (only
   * disowned when another default still uses it); given identity options, it becomes an identity
   * column with them, numbering on from where its sequence was. Either way the downgrade makes it an
   * identity column (`check` sees no difference), so the serial statements ask what the column is
   * when they run: an upgrade run again after the downgrade finds an identity column.
   */
  private postgresIdentitySql(table: TableSpec, db: ColumnSpec, model: ColumnSpec): [string, string] {
    const d = loadedDialect('postgresql')
    const qualified = d.quoteQualified(table.name, table.schema)
    const name = d.quoteIdentifier(db.name)
    const column = `ALTER TABLE ${qualified} ALTER COLUMN ${name}`
    const sequence = `pg_get_serial_sequence(${d.literal(qualified)}, ${d.literal(db.name)})`
    const generated = (spec: ColumnSpec): string => {
      const identity = spec.identity ?? {}
      const options = [identity.start !== undefined ? `START WITH ${identity.start}` : '', identity.increment !== undefined ? `INCREMENT BY ${identity.increment}` : ''].filter(Boolean)
      return `${column} ADD GENERATED ${identity.always ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${options.length === 0 ? '' : ` (${options.join(' ')})`}`
    }
    const counts = (spec: ColumnSpec): boolean => (spec.identity?.increment ?? 1) > 0
    // The column may hold values already: the sequence goes on after the largest (and after `last`,
    // where a serial's sequence was), unless it starts beyond it, or the next insert would repeat one.
    const setval = (spec: ColumnSpec, last?: string): string => {
      const largest = last === undefined ? `max(${name})` : `greatest(${last}, max(${name}))`
      return `PERFORM setval(${sequence}, ${largest}) FROM ${qualified} HAVING ${largest} >= ${spec.identity?.start ?? 1};`
    }
    const add = (spec: ColumnSpec): string => (counts(spec) ? doBlock(`BEGIN ${generated(spec)}; ${setval(spec)} END`) : generated(spec))
    const set = (spec: ColumnSpec): string => {
      const identity = spec.identity ?? {}
      const increment = identity.increment ?? 1
      return `${column} SET GENERATED ${identity.always ? 'ALWAYS' : 'BY DEFAULT'} SET INCREMENT BY ${increment} SET START WITH ${identity.start ?? (increment > 0 ? 1 : -1)}`
    }
    if (!isSerialColumn(db)) {
      const drop = `${column} DROP IDENTITY`
      if (!db.autoincrement) return [add(model), drop]
      if (!model.autoincrement) return [drop, add(db)]
      return [set(model), set(db)]
    }
    // A serial column (or, after a downgrade, the identity column that replaced it).
    const isIdentity = isIdentityColumnSql(d.literal(qualified), d.literal(db.name))
    const dropSerial =
      `s := ${sequence}; ${column} DROP DEFAULT; ` +
      `BEGIN EXECUTE format('DROP SEQUENCE %s', s); EXCEPTION WHEN dependent_objects_still_exist THEN EXECUTE format('ALTER SEQUENCE %s OWNED BY NONE', s); END;`
    if (!model.autoincrement) {
      const drop = doBlock(`DECLARE s text; BEGIN IF ${isIdentity} THEN ${column} DROP IDENTITY; ELSE ${dropSerial} END IF; END`)
      return [drop, add(db)]
    }
    const lastValue = `EXECUTE format('SELECT CASE WHEN is_called THEN last_value END FROM %s', ${sequence}) INTO last;`
    const toIdentity = `${lastValue} ${dropSerial} ${generated(model)}; ${counts(model) ? setval(model, 'last') : ''}`
    return [doBlock(`DECLARE s text; last bigint; BEGIN IF ${isIdentity} THEN ${set(model)}; ELSE ${toIdentity} END IF; END`), set(db)]
  }

  private mysqlAutoincrementSql(table: TableSpec, columnName: string, state: ColumnAsFound, adding: boolean): [string, string] {
    const compiler = loadedDialect('mysql').ddlCompiler()
    const modify = (autoincrement: boolean): string =>
      compiler
        .compile(
          new AlterColumnOp({
            tableName: table.name,
            columnName,
            schema: table.schema,
            type: state.type,
            ...existingHints(state, autoincrement),
          }),
        )
        .join(';\n')
    return [modify(adding), modify(!adding)]
  }

  // -------------------------------------------------------------------------------------------
  // Primary keys

  private comparePrimaryKey(db: TableSpec, model: ModelTable): void {
    const before = db.primaryKey
    const after = model.canonical.primaryKey
    if (before === undefined && after === undefined) return
    if (before !== undefined && after !== undefined && sameList(before.columns, after.columns) && (after.name === undefined || before.name === undefined || after.name === before.name)) return
    const on = (pk: PrimaryKeySpec): string => `${this.label(db)}(${pk.columns.join(', ')})`
    const ops: Operation[] = []
    if (before !== undefined) {
      ops.push(this.dropConstraint(db, { type: 'primary', ...before }))
      this.droppedKeys.add(this.keyOf(db, before.columns))
    }
    let created: PrimaryKeySpec | undefined
    if (after !== undefined) {
      const declared = model.original.primaryKey!
      const name = declared.name ?? before?.name ?? (this.dialect === 'mysql' ? 'PRIMARY' : this.generatedName(db.name, [], 'pkey'))
      created = { name, columns: declared.columns }
      ops.push(new CreatePrimaryKeyOp({ tableName: db.name, schema: db.schema, constraint: created }))
    }
    // MySQL: an AUTO_INCREMENT column added for the new key (a surrogate key) must be a key from the
    // moment it exists: it is added by the key's statement (which numbers the rows), and the
    // inverse drops it with the key.
    const addedSerial = this.dialect !== 'mysql' || created === undefined ? [] : model.original.columns.filter((c) => c.autoincrement === true && created!.columns.includes(c.name) && !db.columns.some((d) => d.name === c.name))
    // Likewise a column of the old key that goes: dropped by the key's statement (dropped before it,
    // MariaDB refuses), and added back by its inverse.
    const droppedKeyColumns = this.dialect !== 'mysql' || created === undefined || before === undefined ? [] : db.columns.filter((c) => before.columns.includes(c.name) && !model.canonical.columns.some((m) => m.name === c.name))
    if (this.dialect === 'mysql' && created !== undefined && (before !== undefined || addedSerial.length > 0)) {
      // One statement: MySQL refuses a table without a key for its AUTO_INCREMENT column, even for a
      // moment. A kept foreign key served by the old key (its first columns) and not by the new one
      // gets an index of its own in the same statement (MariaDB would leave it without, and ON
      // DELETE fail), and one the new key serves loses the index it had; the inverse undoes both.
      const d = loadedDialect('mysql')
      const others = [...db.uniques.map((u) => u.columns), ...db.indexes.map((ix) => ix.columns)]
      const given: { fk: ForeignKeySpec; name: string }[] = []
      const taken: { fk: ForeignKeySpec; name: string }[] = []
      for (const fk of db.foreignKeys) {
        if (!model.canonical.foreignKeys.some((m) => sameList(m.columns, fk.columns)) || others.some((columns) => startsWithColumns(columns, fk.columns))) continue
        const own = this.foreignKeyIndexOf(db, fk)
        const byOld = before !== undefined && startsWithColumns(before.columns, fk.columns)
        const byNew = startsWithColumns(created.columns, fk.columns)
        if (byOld && !byNew && own === undefined) given.push({ fk, name: this.foreignKeyIndexName(db, fk) })
        if (!byOld && byNew && own !== undefined) taken.push({ fk, name: own.name })
      }
      const addIndexes = (indexes: readonly { fk: ForeignKeySpec; name: string }[]): string[] => (indexes.length === 0 ? [] : [this.foreignKeyIndexClauses(indexes)])
      const dropIndexes = (indexes: readonly { name: string }[]): string[] => indexes.map(({ name }) => `DROP INDEX ${d.quoteIdentifier(name)}`)
      const compiler = mysqlKeys()
      const keys = (columns: readonly string[] | undefined): string[] => (columns === undefined ? [] : [compiler.addKeyClause({ primary: { columns } })])
      const table = `ALTER TABLE ${d.quoteQualified(db.name, db.schema)} `
      const forward =
        table +
        [
          ...addedSerial.map((c) => compiler.addColumnClause(c, db.name, db.schema)),
          ...(before === undefined ? [] : ['DROP PRIMARY KEY']),
          ...keys(created.columns),
          ...droppedKeyColumns.map((c) => `DROP COLUMN ${d.quoteIdentifier(c.name)}`),
          ...addIndexes(given),
          ...dropIndexes(taken),
        ].join(', ')
      const inverse =
        table +
        [
          ...droppedKeyColumns.map((c) => compiler.addColumnClause(c, db.name, db.schema)),
          'DROP PRIMARY KEY',
          ...keys(before?.columns),
          ...addedSerial.map((c) => `DROP COLUMN ${d.quoteIdentifier(c.name)}`),
          ...addIndexes(taken),
          ...dropIndexes(given),
        ].join(', ')
      const statement = setOperationRank(new ReversibleExecuteOp(forward, inverse), RANK.createKeys)
      ops.splice(0, ops.length, statement)
      // What the statement does to the foreign keys' own indexes, for the pass that keeps them indexed.
      this.primaryKeyStatements.set(statement, { columns: created.columns, given, taken: taken.map((ix) => ix.name) })
      // A column leaving the key becomes nullable after the statement: MariaDB keeps a key column NOT NULL.
      for (const difference of this.differences) {
        if (difference.kind !== 'modify_nullable' || difference.table !== db.name || difference.schema !== db.schema || !before!.columns.includes(difference.name!) || created.columns.includes(difference.name!)) continue
        for (const op of difference.ops) setOperationRank(op, RANK.createKeys + 0.5)
      }
      if (addedSerial.length > 0 || droppedKeyColumns.length > 0) {
        // The columns' own differences keep their lines, without the operations this one took over.
        const added = new Set(addedSerial.map((c) => c.name))
        const removed = new Set(droppedKeyColumns.map((c) => c.name))
        for (const [i, difference] of this.differences.entries()) {
          if (difference.table !== db.name || difference.schema !== db.schema) continue
          if ((difference.kind === 'add_column' && added.has(difference.name!)) || (difference.kind === 'remove_column' && removed.has(difference.name!))) this.differences[i] = { ...difference, ops: [] }
        }
      }
    }
    const base = { schema: db.schema, table: db.name }
    if (before === undefined) this.push({ ...base, kind: 'add_primary_key', name: created!.name, description: `added primary key on ${on(created!)}`, ops })
    else if (after === undefined) this.push({ ...base, kind: 'remove_primary_key', name: before.name, description: `removed primary key${before.name === undefined ? '' : ` ${quote(before.name)}`} on ${on(before)}`, ops })
    else this.push({ ...base, kind: 'modify_primary_key', name: created!.name, description: `changed primary key of ${quote(this.label(db))}: (${before.columns.join(', ')}) -> (${after.columns.join(', ')})`, ops })
  }

  // -------------------------------------------------------------------------------------------
  // Unique constraints and indexes

  private compareUniquesAndIndexes(db: TableSpec, model: ModelTable): void {
    const canonical = model.canonical
    const refOf = (type: 'unique_constraint' | 'index', name: string | undefined, reflected: boolean): boolean =>
      name === undefined || this.include({ type, name, schema: db.schema, tableName: db.name, reflected })

    const dbUniques = db.uniques.filter((u) => refOf('unique_constraint', u.name, true))
    const dbIndexes = db.indexes.filter((ix) => refOf('index', ix.name, true))
    const modelUniques = canonical.uniques.map((u, i) => ({ spec: u, origin: model.uniqueOrigins[i]! })).filter((u) => refOf(u.origin && 'index' in u.origin ? 'index' : 'unique_constraint', u.spec.name, false))
    const modelIndexes = canonical.indexes.filter((ix) => refOf('index', ix.name, false))

    const matchedDbUniques = new Set<UniqueSpec>()
    const matchedDbIndexes = new Set<IndexSpec>()
    const pendingUniques: typeof modelUniques = []
    const pendingIndexes: IndexSpec[] = []

    // A unique constraint and a plain unique index of the same name and columns are the same thing.
    const plainUniqueIndex = (ix: IndexSpec): boolean => ix.unique === true && ix.where === undefined && ix.using === undefined && ix.columns.every((c) => typeof c === 'string')

    // Uniques and indexes by name first, then the unnamed uniques by columns: an unnamed unique takes
    // a key of the database no named one claims (MySQL keeps a unique index as a unique key, which
    // an unnamed unique on the same columns must not take from it).
    const unnamedUniques: typeof modelUniques = []
    for (const u of modelUniques) {
      const named = u.spec.name
      if (named === undefined) {
        unnamedUniques.push(u)
        continue
      }
      const found = dbUniques.find((d) => d.name === named && !matchedDbUniques.has(d))
      if (found !== undefined) {
        matchedDbUniques.add(found)
        if (!sameList(found.columns, u.spec.columns) || !sameUniqueOptions(found, u.spec)) this.modifyUnique(db, found, u.spec, u.origin)
        continue
      }
      const asIndex = u.spec.deferrable
        ? undefined
        : dbIndexes.find((ix) => ix.name === named && !matchedDbIndexes.has(ix) && plainUniqueIndex(ix) && sameList(ix.columns as string[], u.spec.columns) && sameNulls(ix, u.spec))
      if (asIndex !== undefined) {
        matchedDbIndexes.add(asIndex)
        continue
      }
      pendingUniques.push(u)
    }
    for (const ix of modelIndexes) {
      const found = dbIndexes.find((d) => d.name === ix.name && !matchedDbIndexes.has(d))
      if (found !== undefined) {
        matchedDbIndexes.add(found)
        const original = model.original.indexes.find((o) => o.name === ix.name)!
        if (!this.sameIndex(found, ix) && !this.sameIndex(found, this.spelledIndex(db, ix, original))) this.modifyIndex(db, found, original)
        continue
      }
      const asUnique = plainUniqueIndex(ix)
        ? dbUniques.find((d) => d.name === ix.name && !matchedDbUniques.has(d) && sameList(d.columns, ix.columns as string[]) && !d.deferrable && sameNulls(d, ix))
        : undefined
      if (asUnique !== undefined) {
        matchedDbUniques.add(asUnique)
        continue
      }
      pendingIndexes.push(ix)
    }
    const claimed = new Set([...modelUniques.map((u) => u.spec.name), ...modelIndexes.map((ix) => ix.name)])
    for (const u of unnamedUniques) {
      const candidates = dbUniques.filter((d) => !matchedDbUniques.has(d) && sameList(d.columns, u.spec.columns))
      const found = candidates.find((d) => !claimed.has(d.name) && sameUniqueOptions(d, u.spec)) ?? candidates.find((d) => !claimed.has(d.name)) ?? candidates[0]
      if (found === undefined) pendingUniques.push(u)
      else {
        matchedDbUniques.add(found)
        if (!sameUniqueOptions(found, u.spec)) this.modifyUnique(db, found, u.spec, u.origin)
      }
    }
    for (const d of dbUniques) if (!matchedDbUniques.has(d)) this.removeUnique(db, d)
    for (const d of dbIndexes) if (!matchedDbIndexes.has(d)) this.removeIndex(db, d)
    for (const u of pendingUniques) this.addUnique(db, u.spec, u.origin)
    for (const ix of pendingIndexes) this.addIndex(db, model.original.indexes.find((o) => o.name === ix.name)!)
  }

  /** `ix` of `table` with its predicate and expressions as the server re-prints them (`serverSpellings.indexes`; by the `original`'s text). */
  private spelledIndex(table: TableSpec, ix: IndexSpec, original: IndexSpec): IndexSpec {
    const spellings = this.options.serverSpellings?.indexes
    if (spellings === undefined || spellings.size === 0) return ix
    const spelled = (expression: SqlFragment): SqlFragment => {
      const text = spellings.get(spellingKey(table.schema, table.name, fragmentText(expression, this.dialect)))
      return text === undefined ? expression : sql.raw(text)
    }
    return {
      ...ix,
      columns: ix.columns.map((c, i) => {
        const written = original.columns[i]
        return typeof c === 'string' || !(written instanceof SqlFragment) ? c : spelled(written)
      }),
      ...(ix.where === undefined || original.where === undefined ? {} : { where: spelled(original.where) }),
    }
  }

  private sameIndex(a: IndexSpec, b: IndexSpec): boolean {
    const column = (c: string | SqlFragment): string => (typeof c === 'string' ? `c:${c}` : `x:${normalizeExpression(c, this.dialect)}`)
    return (
      sameList(a.columns.map(column), b.columns.map(column)) &&
      (a.unique === true) === (b.unique === true) &&
      (a.where === undefined ? b.where === undefined : b.where !== undefined && sameExpression(a.where, b.where, this.dialect)) &&
      (a.using ?? '').toLowerCase() === (b.using ?? '').toLowerCase() &&
      sameList([...(a.descending ?? [])].sort(), [...(b.descending ?? [])].sort()) &&
      sameNulls(a, b)
    )
  }

  private describeIndex(table: TableSpec, ix: IndexSpec): string {
    const columns = ix.columns.map((c) => (typeof c === 'string' ? (ix.descending?.includes(c) ? `${c} DESC` : c) : fragmentText(c, this.dialect))).join(', ')
    let out = `${this.label(table)}(${columns})`
    if (ix.where !== undefined) out += ` WHERE ${fragmentText(ix.where, this.dialect)}`
    if (ix.using !== undefined) out += ` USING ${ix.using}`
    if (ix.nullsNotDistinct) out += ' NULLS NOT DISTINCT'
    return out
  }

  private indexWord(ix: IndexSpec): string {
    return ix.unique ? 'unique index' : 'index'
  }

  private addIndex(table: TableSpec, ix: IndexSpec): void {
    this.push({
      kind: 'add_index',
      schema: table.schema,
      table: table.name,
      name: ix.name,
      description: `added ${this.indexWord(ix)} ${quote(ix.name)} on ${this.describeIndex(table, ix)}`,
      ops: [new CreateIndexOp({ tableName: table.name, schema: table.schema, index: ix })],
    })
  }

  private removeIndex(table: TableSpec, ix: IndexSpec): void {
    if (ix.unique && ix.columns.every((c) => typeof c === 'string')) this.droppedKeys.add(this.keyOf(table, ix.columns as string[]))
    this.push({
      kind: 'remove_index',
      schema: table.schema,
      table: table.name,
      name: ix.name,
      description: `removed ${this.indexWord(ix)} ${quote(ix.name)} on ${this.describeIndex(table, ix)}`,
      ops: [new DropIndexOp({ name: ix.name, tableName: table.name, schema: table.schema, existing: ix })],
    })
  }

  private modifyIndex(table: TableSpec, before: IndexSpec, after: IndexSpec): void {
    if (before.unique && before.columns.every((c) => typeof c === 'string')) this.droppedKeys.add(this.keyOf(table, before.columns as string[]))
    this.push({
      kind: 'modify_index',
      schema: table.schema,
      table: table.name,
      name: after.name,
      description: `changed ${this.indexWord(after)} ${quote(after.name)}: ${this.describeIndex(table, before)}${before.unique ? ' UNIQUE' : ''} -> ${this.describeIndex(table, after)}${after.unique ? ' UNIQUE' : ''}`,
      ops: [
        new DropIndexOp({ name: before.name, tableName: table.name, schema: table.schema, existing: before }),
        new CreateIndexOp({ tableName: table.name, schema: table.schema, index: after }),
      ],
    })
  }

  private createUniqueOp(table: TableSpec, spec: UniqueSpec, origin: { unique: UniqueSpec } | { index: IndexSpec }): { op: Operation; name: string } {
    if ('index' in origin) return { op: new CreateIndexOp({ tableName: table.name, schema: table.schema, index: origin.index }), name: origin.index.name }
    const name = origin.unique.name ?? this.generatedName(table.name, spec.columns, 'key')
    const { deferrable, initially, nullsNotDistinct } = origin.unique
    return {
      op: new CreateUniqueConstraintOp({ tableName: table.name, schema: table.schema, constraint: compactSpec({ name, columns: origin.unique.columns, deferrable, initially, nullsNotDistinct }) }),
      name,
    }
  }

  private addUnique(table: TableSpec, spec: UniqueSpec, origin: { unique: UniqueSpec } | { index: IndexSpec }): void {
    const { op, name } = this.createUniqueOp(table, spec, origin)
    this.push({
      kind: 'add_unique',
      schema: table.schema,
      table: table.name,
      name,
      description: `added unique constraint ${quote(name)} on ${this.label(table)}(${spec.columns.join(', ')})`,
      ops: [op],
    })
  }

  private removeUnique(table: TableSpec, spec: UniqueSpec): void {
    this.droppedKeys.add(this.keyOf(table, spec.columns))
    this.push({
      kind: 'remove_unique',
      schema: table.schema,
      table: table.name,
      name: spec.name,
      description: `removed ${named('unique constraint', spec.name)} on ${this.label(table)}(${spec.columns.join(', ')})`,
      ops: [this.dropConstraint(table, { type: 'unique', ...spec })],
    })
  }

  private modifyUnique(table: TableSpec, before: UniqueSpec, after: UniqueSpec, origin: { unique: UniqueSpec } | { index: IndexSpec }): void {
    this.droppedKeys.add(this.keyOf(table, before.columns))
    const { op, name } = this.createUniqueOp(table, after, origin)
    this.push({
      kind: 'modify_unique',
      schema: table.schema,
      table: table.name,
      name,
      description: `changed unique constraint ${quote(name)} on ${this.label(table)}: (${before.columns.join(', ')})${uniqueOptionsText(before)} -> (${after.columns.join(', ')})${uniqueOptionsText(after)}`,
      ops: [this.dropConstraint(table, { type: 'unique', ...before }), op],
    })
  }

  // -------------------------------------------------------------------------------------------
  // Foreign keys

  private compareForeignKeys(db: TableSpec, model: ModelTable): void {
    const include = (name: string | undefined, reflected: boolean): boolean =>
      name === undefined || this.include({ type: 'foreign_key_constraint', name, schema: db.schema, tableName: db.name, reflected })
    const dbKeys = db.foreignKeys.filter((fk) => include(fk.name, true))
    const modelKeys = model.canonical.foreignKeys.map((fk, i) => ({ spec: fk, original: model.original.foreignKeys[i]! })).filter((fk) => include(fk.spec.name, false))
    const matched = new Set<ForeignKeySpec>()
    // SQLite keeps a key's target as its DDL spelled it, whatever the case of the table's own names.
    const folded = (names: readonly string[]): string => (this.dialect === 'postgresql' ? names : names.map(fold)).join('\0')
    const sameTarget = (a: ForeignKeySpec, b: ForeignKeySpec): boolean =>
      folded(a.columns) === folded(b.columns) &&
      (a.referredSchema ?? null) === (b.referredSchema ?? null) &&
      (this.dialect === 'sqlite' ? folded([a.referredTable]) === folded([b.referredTable]) : a.referredTable === b.referredTable) &&
      folded(a.referredColumns) === folded(b.referredColumns)
    const sameOptions = (a: ForeignKeySpec, b: ForeignKeySpec): boolean =>
      (a.onDelete ?? null) === (b.onDelete ?? null) &&
      (a.onUpdate ?? null) === (b.onUpdate ?? null) &&
      (a.deferrable ?? null) === (b.deferrable ?? null) &&
      (a.initially ?? null) === (b.initially ?? null) &&
      (a.match ?? null) === (b.match ?? null)
    const pending: { spec: ForeignKeySpec; original: ForeignKeySpec }[] = []
    const modified: { before: ForeignKeySpec; after: ForeignKeySpec }[] = []
    const namedElsewhere: typeof modelKeys = []
    for (const fk of modelKeys.filter((k) => k.spec.name !== undefined)) {
      const found = dbKeys.find((d) => d.name === fk.spec.name && !matched.has(d))
      if (found === undefined) {
        namedElsewhere.push(fk)
        continue
      }
      matched.add(found)
      if (!sameTarget(found, fk.spec) || !sameOptions(found, fk.spec)) modified.push({ before: found, after: fk.original })
      else this.keptForeignKeys.push({ table: db, fk: found })
    }
    // As Alembic, a foreign key is its signature: a named model key that the database has under
    // another name (created by hand, or before a naming convention) with the same columns, target
    // and options is the same key. A name alone never drops and recreates one.
    for (const fk of namedElsewhere) {
      const found = dbKeys.find((d) => !matched.has(d) && sameTarget(d, fk.spec) && sameOptions(d, fk.spec))
      if (found === undefined) {
        pending.push(fk)
        continue
      }
      matched.add(found)
      this.keptForeignKeys.push({ table: db, fk: found })
    }
    const unnamed = modelKeys.filter((k) => k.spec.name === undefined)
    const stillUnnamed: typeof unnamed = []
    for (const fk of unnamed) {
      const found = dbKeys.find((d) => !matched.has(d) && sameTarget(d, fk.spec) && sameOptions(d, fk.spec))
      if (found !== undefined) {
        matched.add(found)
        this.keptForeignKeys.push({ table: db, fk: found })
      } else {
        stillUnnamed.push(fk)
      }
    }
    for (const fk of stillUnnamed) {
      const found = dbKeys.find((d) => !matched.has(d) && sameTarget(d, fk.spec))
      if (found !== undefined) {
        matched.add(found)
        // Changed options: the key keeps the name it has.
        modified.push({ before: found, after: { ...fk.original, name: found.name } })
      } else {
        pending.push(fk)
      }
    }
    for (const d of dbKeys) if (!matched.has(d)) this.removeForeignKey(db, d)
    for (const { before, after } of modified) this.modifyForeignKey(db, before, after, model)
    for (const fk of pending) this.addForeignKey(db, fk.original, model)
  }

  private describeForeignKey(table: TableSpec, fk: ForeignKeySpec): string {
    let out = `${this.label(table)}(${fk.columns.join(', ')}) -> ${fk.referredSchema === undefined ? '' : `${fk.referredSchema}.`}${fk.referredTable}(${fk.referredColumns.join(', ')})`
    if (fk.match !== undefined) out += ` MATCH ${fk.match}`
    if (fk.onDelete !== undefined) out += ` ON DELETE ${fk.onDelete}`
    if (fk.onUpdate !== undefined) out += ` ON UPDATE ${fk.onUpdate}`
    if (fk.deferrable) out += ' DEFERRABLE'
    if (fk.initially !== undefined) out += ` INITIALLY ${fk.initially}`
    return out
  }

  /** MySQL: whether an index of `table` other than a foreign key's own starts with `columns` (then InnoDB made none for the key). */
  private coveredByIndex(table: TableSpec, columns: readonly string[]): boolean {
    const startsWith = (list: readonly (string | SqlFragment)[]): boolean => startsWithColumns(list, columns)
    return (
      (table.primaryKey !== undefined && startsWith(table.primaryKey.columns)) ||
      table.uniques.some((u) => startsWith(u.columns)) ||
      table.indexes.some((ix) => ix.where === undefined && servesForeignKeys(ix) && startsWith(ix.columns))
    )
  }

  /**
   * MySQL: the index InnoDB keeps for a foreign key of the database: its real name when
   * introspection saw it, else the one InnoDB gives (the key's name, or its first column for an
   * unnamed key).
   */
  private implicitIndexName(table: TableSpec, fk: ForeignKeySpec): string {
    return this.foreignKeyIndexOf(table, fk)?.name ?? this.innodbIndexName(table, fk)
  }

  private innodbIndexName(table: TableSpec, fk: ForeignKeySpec): string {
    return new RegExp(`^${escapeRegExp(table.name)}_ibfk_\\d+$`).test(fk.name ?? '') || fk.name === undefined ? fk.columns[0]! : fk.name
  }

  private foreignKeyIndexOf(table: TableSpec, fk: ForeignKeySpec): { readonly name: string } | undefined {
    return (this.database.foreignKeyIndexes ?? []).find(
      (ix) => ix.table === table.name && this.schemaOf(ix.schema) === table.schema && sameList(ix.columns, fk.columns),
    )
  }

  /** Index names given by `foreignKeyIndexClauses`, by table key. */
  private readonly givenIndexNames = new Map<string, Set<string>>()

  /**
   * MySQL: the name for an index given back to a foreign key, as InnoDB would name it (so that the
   * index reads back as the key's own, and a later drop finds it by that name): the one it had,
   * else the key's name or its first column, with `_2`, `_3`… when the table has that name already.
   */
  private foreignKeyIndexName(table: TableSpec, fk: ForeignKeySpec): string {
    const k = key(table.schema, table.name)
    let given = this.givenIndexNames.get(k)
    if (given === undefined) this.givenIndexNames.set(k, (given = new Set()))
    const model = this.modelTables.get(k)?.original
    const taken = new Set<string>([
      ...table.indexes.map((ix) => ix.name),
      ...table.uniques.flatMap((u) => (u.name === undefined ? [] : [u.name])),
      // And the names of the indexes and keys the models give the table (this revision may create them).
      ...(model?.indexes.map((ix) => ix.name) ?? []),
      ...(model?.uniques.flatMap((u) => (u.name === undefined ? [] : [u.name])) ?? []),
      ...(this.database.foreignKeyIndexes ?? []).filter((ix) => ix.table === table.name && this.schemaOf(ix.schema) === table.schema).map((ix) => ix.name),
      ...given,
    ])
    const own = this.foreignKeyIndexOf(table, fk)?.name
    let name = own !== undefined && !given.has(own) ? own : this.innodbIndexName(table, fk)
    if (name !== own && taken.has(name)) {
      const first = fk.columns[0]!
      let n = 2
      while (taken.has(`${first}_${n}`)) n++
      name = `${first}_${n}`
    }
    given.add(name)
    return name
  }

  private dropForeignKeyOps(table: TableSpec, fk: ForeignKeySpec): Operation[] {
    const ops: Operation[] = [this.dropConstraint(table, { type: 'foreignkey', ...fk })]
    if (this.dialect === 'mysql' && !this.coveredByIndex(table, fk.columns)) {
      const name = this.implicitIndexName(table, fk)
      ops.push(new DropIndexOp({ name, tableName: table.name, schema: table.schema, existing: { name, columns: fk.columns } }))
    }
    return ops
  }

  private createForeignKeyOps(table: TableSpec, fk: ForeignKeySpec, model: ModelTable): { ops: Operation[]; name: string } {
    const name = fk.name ?? this.generatedName(table.name, fk.columns, 'fkey')
    const ops: Operation[] = []
    if (this.dialect === 'mysql' && !this.coveredByIndex(model.canonical, fk.columns)) {
      // The key's index takes its name, unless an index of the table (there, or to be) has it.
      const used = new Set([...table.indexes.map((ix) => ix.name), ...table.uniques.flatMap((u) => (u.name === undefined ? [] : [u.name])), ...model.original.indexes.map((ix) => ix.name)])
      let index = name
      for (let n = 2; used.has(index); n++) index = fitName(`${name}_${n}`)
      ops.push(new CreateIndexOp({ tableName: table.name, schema: table.schema, index: { name: index, columns: fk.columns } }))
    }
    ops.push(new CreateForeignKeyOp({ tableName: table.name, schema: table.schema, constraint: { ...fk, name } }))
    return { ops, name }
  }

  private addForeignKey(table: TableSpec, fk: ForeignKeySpec, model: ModelTable): void {
    const { ops, name } = this.createForeignKeyOps(table, fk, model)
    this.push({ kind: 'add_foreign_key', schema: table.schema, table: table.name, name, description: `added foreign key ${quote(name)} on ${this.describeForeignKey(table, fk)}`, ops })
  }

  private removeForeignKey(table: TableSpec, fk: ForeignKeySpec): void {
    this.push({
      kind: 'remove_foreign_key',
      schema: table.schema,
      table: table.name,
      name: fk.name,
      description: `removed ${named('foreign key', fk.name)} on ${this.describeForeignKey(table, fk)}`,
      ops: this.dropForeignKeyOps(table, fk),
    })
  }

  private modifyForeignKey(table: TableSpec, before: ForeignKeySpec, after: ForeignKeySpec, model: ModelTable): void {
    const { ops, name } = this.createForeignKeyOps(table, after, model)
    this.push({
      kind: 'modify_foreign_key',
      schema: table.schema,
      table: table.name,
      name,
      description: `changed foreign key ${quote(name)}: ${this.describeForeignKey(table, before)} -> ${this.describeForeignKey(table, after)}`,
      ops: [...this.dropForeignKeyOps(table, before), ...ops],
    })
  }

  /**
   * MySQL: InnoDB needs an index for each foreign key, whose first columns are the key's. The
   * unique constraints and indexes this comparison drops and creates on `table` (`changes`) are
   * played in the order the revision runs them (every drop, then every create: order.ts), on the
   * keys the table has, and each that would leave a kept foreign key without an index, or could
   * take the place of the index it has of its own, becomes one statement doing both:
   * - a drop leaving a foreign key with none first gives it an index of its own (named as InnoDB
   *   names one; introspection does not show it), and its inverse takes that index out again;
   * - a create serving a foreign key that has an index of its own, and no other key, takes that
   *   index out, and its inverse gives it back under the same name.
   * So a changed index covering a foreign key (drop, then create) leaves no index beside it, two new
   * indexes take over from the same one once, and the downgrade, running the inverses in reverse,
   * finds each index it names.
   */
  private keepForeignKeysIndexed(table: TableSpec, changes: readonly Difference[]): void {
    if (changes.length === 0) return
    const kept = this.keptForeignKeys.filter((k) => k.table === table).map((k) => k.fk)
    if (kept.length === 0) return
    const keys = mysqlKeysOf(table)
    const covered = (fk: ForeignKeySpec, except?: string): boolean => [...keys].some(([name, columns]) => name !== except && startsWithColumns(columns, fk.columns))
    // The index each foreign key has of its own (InnoDB's, or one given back by an earlier downgrade).
    const own = new Map<ForeignKeySpec, string>()
    for (const fk of kept) {
      const found = this.foreignKeyIndexOf(table, fk)?.name
      if (found !== undefined) own.set(fk, found)
      else if (!covered(fk)) own.set(fk, this.implicitIndexName(table, fk))
    }
    const d = loadedDialect('mysql')
    const target = `ALTER TABLE ${d.quoteQualified(table.name, table.schema)} `
    const dropIndex = (name: string): string => `DROP INDEX ${d.quoteIdentifier(name)}`
    const guarded = new Map<Operation, Operation>()
    const ops = changes.flatMap((c) => c.ops)
    for (const op of ops) {
      const primary = op.kind === 'dropConstraint' && op.type === 'primary'
      if (op.kind !== 'dropIndex' && !(op.kind === 'dropConstraint' && op.type === 'unique') && !primary) continue
      keys.delete(primary ? 'PRIMARY' : op.name)
      const given = kept.filter((fk) => !own.has(fk) && !covered(fk)).map((fk) => ({ fk, name: this.foreignKeyIndexName(table, fk) }))
      if (given.length === 0) continue
      for (const { fk, name } of given) own.set(fk, name)
      const dropped = keyClauses(op)
      const forward = `${target}${this.foreignKeyIndexClauses(given)}, ${dropped.drop}`
      const inverse = `${target}${dropped.add}, ${given.map((ix) => dropIndex(ix.name)).join(', ')}`
      guarded.set(op, setOperationRank(new ReversibleExecuteOp(forward, inverse), RANK.dropKeys))
    }
    for (const op of ops) {
      const statement = this.primaryKeyStatements.get(op)
      if (statement !== undefined) {
        // The key's own statement gave and took foreign key indexes already.
        keys.set('PRIMARY', statement.columns)
        for (const fk of kept) {
          const name = own.get(fk)
          if (name !== undefined && statement.taken.includes(name)) own.delete(fk)
        }
        for (const { fk, name } of statement.given) {
          const keptFk = kept.find((k) => sameList(k.columns, fk.columns) && k.referredTable === fk.referredTable)
          if (keptFk !== undefined) own.set(keptFk, name)
        }
        continue
      }
      if (op.kind === 'createIndex' && !servesForeignKeys(op.index)) continue
      if (op.kind !== 'createIndex' && op.kind !== 'createUniqueConstraint' && op.kind !== 'createPrimaryKey') continue
      const name = op.kind === 'createIndex' ? op.index.name : op.kind === 'createPrimaryKey' ? 'PRIMARY' : op.constraint.name!
      const columns = op.kind === 'createIndex' ? op.index.columns : op.constraint.columns
      keys.set(name, columns)
      const taken = kept.filter((fk) => own.has(fk) && startsWithColumns(columns, fk.columns) && !covered(fk, name)).map((fk) => ({ fk, name: own.get(fk)! }))
      if (taken.length === 0) continue
      for (const { fk } of taken) own.delete(fk)
      const added = keyClauses(op)
      const forward = `${target}${added.add}, ${taken.map((ix) => dropIndex(ix.name)).join(', ')}`
      const inverse = `${target}${this.foreignKeyIndexClauses(taken)}, ${added.drop}`
      guarded.set(op, setOperationRank(new ReversibleExecuteOp(forward, inverse), RANK.createKeys))
    }
    if (guarded.size === 0) return
    for (const [i, difference] of this.differences.entries()) {
      if (changes.includes(difference) && difference.ops.some((op) => guarded.has(op))) this.differences[i] = { ...difference, ops: difference.ops.map((op) => guarded.get(op) ?? op) }
    }
  }

  /**
   * MySQL: an AUTO_INCREMENT column must be the first column of a key at every moment
   * (ER_WRONG_AUTO_KEY). When the keys dropped on `db` (phase 3, in order) leave a column that stays
   * AUTO_INCREMENT without one, and the models give it another (created in phase 9), that drop and
   * that create become one statement, dropping the old key and adding the new one (the server checks
   * the table as the whole statement leaves it), whose inverse drops the new one and adds the old one.
   */
  private keepAutoincrementKeyed(db: TableSpec, model: ModelTable): void {
    const column = db.columns.find((c) => c.autoincrement && model.canonical.columns.some((m) => m.name === c.name && m.autoincrement))
    if (column === undefined) return
    const leads = (columns: readonly (string | SqlFragment)[]): boolean => columns[0] === column.name
    const keys = mysqlKeysOf(db)
    if (![...keys.values()].some(leads)) return
    const differences = this.differences.filter((d) => d.table === db.name && d.schema === db.schema && KEY_CHANGES.has(d.kind))
    const ops = differences.flatMap((d) => d.ops)
    const drop = ops.find((op) => {
      if (op.kind !== 'dropIndex' && !(op.kind === 'dropConstraint' && (op.type === 'unique' || op.type === 'primary'))) return false
      keys.delete(op.kind === 'dropConstraint' && op.type === 'primary' ? 'PRIMARY' : op.name)
      return ![...keys.values()].some(leads)
    }) as DropIndexOp | DropConstraintOp | undefined
    if (drop === undefined || drop.existing === undefined) return
    // The new key, of columns the table has before the revision adds any.
    const existing = new Set(db.columns.map((c) => c.name))
    const create = ops.find((op): op is CreateIndexOp | CreateUniqueConstraintOp | CreatePrimaryKeyOp => {
      const columns = op.kind === 'createIndex' ? op.index.columns : op.kind === 'createUniqueConstraint' || op.kind === 'createPrimaryKey' ? op.constraint.columns : undefined
      return columns !== undefined && leads(columns) && columns.every((c) => typeof c !== 'string' || existing.has(c))
    })
    if (create === undefined) return
    const target = `ALTER TABLE ${loadedDialect('mysql').quoteQualified(db.name, db.schema)} `
    const before = keyClauses(drop)
    const after = keyClauses(create)
    const both = setOperationRank(new ReversibleExecuteOp(`${target}${before.drop}, ${after.add}`, `${target}${after.drop}, ${before.add}`), RANK.dropKeys)
    for (const [i, difference] of this.differences.entries()) {
      if (!differences.includes(difference)) continue
      if (difference.ops.includes(drop) || difference.ops.includes(create)) {
        this.differences[i] = { ...difference, ops: difference.ops.flatMap((op) => (op === drop ? [both] : op === create ? [] : [op])) }
      }
    }
  }

  /** `ADD INDEX` clauses of indexes for foreign keys, named as InnoDB names them (introspection hides them). */
  private foreignKeyIndexClauses(indexes: readonly { readonly fk: ForeignKeySpec; readonly name: string }[]): string {
    const d = loadedDialect('mysql')
    return indexes
      .map(({ fk, name }) => {
        this.usedNames.add(name)
        return `ADD INDEX ${d.quoteIdentifier(name)} (${fk.columns.map((c) => d.quoteIdentifier(c)).join(', ')})`
      })
      .join(', ')
  }

  private keyOf(table: { readonly name: string; readonly schema?: string | undefined }, columns: readonly string[]): string {
    return JSON.stringify([table.schema ?? null, table.name, [...columns].sort()])
  }

  /**
   * A foreign key the models keep as it is, referring to a primary key or unique constraint this
   * comparison drops (changed, or gone): the database will not drop the key while the foreign key
   * needs it, so the foreign key is dropped first and created again after.
   */
  /** Whether one of `columns` of the table is made again to change its generation (`recreatedColumns`). */
  private anyRecreated(schema: string | undefined, table: string, columns: readonly string[]): boolean {
    const remade = this.recreatedColumns.get(key(schema, table))
    return remade !== undefined && columns.some((c) => remade.has(c))
  }

  /** Whether one of `columns` of the table changes type so that what depends on it must go around the change (`retypedColumns`). */
  private anyRetyped(schema: string | undefined, table: string, columns: readonly string[]): boolean {
    const retyped = this.retypedColumns.get(key(schema, table))
    return retyped !== undefined && columns.some((c) => retyped.has(c))
  }

  /**
   * A new table's foreign key to a column whose type changes in this revision (`retypedColumns`,
   * known once every table is compared), or to a key of a kept table that the database does not
   * have yet (added by this revision), is added after the change: the databases refuse a key
   * between the two types the columns have meanwhile, or to a key that is not there.
   */
  private deferForeignKeysToRetypedColumns(): void {
    const keyMissing = (fk: ForeignKeySpec): boolean => {
      const parent = this.dbTables.get(key(fk.referredSchema, fk.referredTable))
      if (parent === undefined || !this.modelTables.has(key(fk.referredSchema, fk.referredTable))) return false
      const keys = [...(parent.primaryKey === undefined ? [] : [parent.primaryKey.columns]), ...parent.uniques.map((u) => u.columns), ...parent.indexes.filter((ix) => ix.unique || this.dialect === 'mysql').map((ix) => ix.columns)]
      return !keys.some((columns) => (this.dialect === 'mysql' ? startsWithColumns(columns, fk.referredColumns) : sameList([...columns].map(String).sort(), [...fk.referredColumns].sort())))
    }
    const retyped = (fk: ForeignKeySpec): boolean => this.anyRetyped(fk.referredSchema, fk.referredTable, fk.referredColumns) || keyMissing(fk)
    for (const [i, difference] of this.differences.entries()) {
      const create = difference.kind === 'add_table' ? difference.ops[0] : undefined
      if (!(create instanceof CreateTableOp) || !create.table.foreignKeys.some(retyped)) continue
      const table = create.table
      const later = table.foreignKeys.filter(retyped).map((fk) => (fk.name === undefined ? { ...fk, name: this.generatedName(table.name, fk.columns, 'fkey') } : fk))
      this.differences[i] = {
        ...difference,
        ops: [
          new CreateTableOp({ ...create, table: { ...table, foreignKeys: table.foreignKeys.filter((fk) => !retyped(fk)) } }),
          ...difference.ops.slice(1),
          ...later.map((fk) => new CreateForeignKeyOp({ tableName: table.name, schema: table.schema, constraint: fk })),
        ],
      }
    }
  }

  /**
   * A table dropped with a foreign key to a key this comparison drops from a table it keeps: the
   * key cannot go while the foreign key needs it (tables are dropped after keys), so the foreign key
   * is dropped first, and the downgrade adds it back after recreating the table (as for the foreign
   * keys of a cycle).
   */
  private dropForeignKeysOfDroppedTablesFirst(): void {
    if (this.droppedKeys.size === 0) return
    for (const [i, difference] of this.differences.entries()) {
      const drop = difference.kind === 'remove_table' ? difference.ops.find((op): op is DropTableOp => op instanceof DropTableOp) : undefined
      const table = drop === undefined ? undefined : this.dbTables.get(key(drop.schema, drop.name))
      if (drop?.existing === undefined || table === undefined) continue
      const later = drop.existing.foreignKeys.filter((fk) => {
        const parent = key(fk.referredSchema, fk.referredTable)
        return this.dbTables.has(parent) && this.modelTables.has(parent) && this.droppedKeys.has(this.keyOf({ name: fk.referredTable, schema: fk.referredSchema }, fk.referredColumns))
      })
      if (later.length === 0) continue
      // The keys of a cycle were split off already: those the table's definition no longer holds.
      const cycle = table.foreignKeys.filter((fk) => !drop.existing!.foreignKeys.includes(fk))
      this.differences[i] = { ...difference, ops: this.dropTableOps(table, [...cycle, ...later]) }
    }
  }

  private recreateDependentForeignKeys(): void {
    for (const { table, fk } of this.keptForeignKeys) {
      const referred = { name: fk.referredTable, schema: fk.referredSchema }
      const keyDropped = this.droppedKeys.has(this.keyOf(referred, fk.referredColumns))
      const retyped = this.anyRetyped(fk.referredSchema, fk.referredTable, fk.referredColumns) || this.anyRetyped(table.schema, table.name, fk.columns)
      // A column made again to change its generation takes the foreign keys on it (either side) with it.
      const remade = this.anyRecreated(fk.referredSchema, fk.referredTable, fk.referredColumns) || this.anyRecreated(table.schema, table.name, fk.columns)
      if (!keyDropped && !retyped && !remade) continue
      const model = this.modelTables.get(key(table.schema, table.name))!
      const { ops, name } = this.createForeignKeyOps(table, fk, model)
      this.push({
        kind: 'modify_foreign_key',
        schema: table.schema,
        table: table.name,
        name,
        description: `recreated foreign key ${quote(name)} on ${this.describeForeignKey(table, fk)}: ${keyDropped ? 'the key it refers to changes' : retyped ? 'a column of it changes type' : 'a column of it is made again'}`,
        ops: [...this.dropForeignKeyOps(table, fk), ...ops],
      })
    }
  }

  // -------------------------------------------------------------------------------------------
  // Checks

  /** The checks of `db` the models keep, change (same name) and leave out, and the models' checks to add. */
  private matchChecks(db: TableSpec, model: ModelTable): CheckMatch {
    const include = (name: string | undefined, reflected: boolean): boolean =>
      name === undefined || this.include({ type: 'check_constraint', name, schema: db.schema, tableName: db.name, reflected })
    const dbChecks = db.checks.filter((c) => include(c.name, true))
    const spellings = this.options.serverSpellings?.checks
    const modelChecks = model.canonical.checks
      .map((c, i) => {
        const original = model.original.checks[i] ?? c
        const spelled = spellings?.get(spellingKey(db.schema, db.name, fragmentText(original.expression, this.dialect)))
        return { spec: spelled === undefined ? c : { ...c, expression: sql.raw(spelled) }, original }
      })
      .filter((c) => include(c.spec.name, false))
    const matched = new Set<CheckSpec>()
    const pending: CheckSpec[] = []
    const modified: { before: CheckSpec; after: CheckSpec }[] = []
    for (const c of modelChecks.filter((m) => m.spec.name !== undefined)) {
      const found = dbChecks.find((d) => d.name === c.spec.name && !matched.has(d))
      if (found === undefined) pending.push(c.original)
      else {
        matched.add(found)
        if (!sameExpression(found.expression, c.spec.expression, this.dialect)) modified.push({ before: found, after: c.original })
      }
    }
    for (const c of modelChecks.filter((m) => m.spec.name === undefined)) {
      const found = dbChecks.find((d) => !matched.has(d) && sameExpression(d.expression, c.spec.expression, this.dialect))
      if (found !== undefined) matched.add(found)
      else pending.push(c.original)
    }
    return { dbChecks, removed: dbChecks.filter((d) => !matched.has(d)), modified, pending }
  }

  private compareChecks(db: TableSpec, model: ModelTable, { removed, modified, pending }: CheckMatch): void {
    const text = (c: CheckSpec): string => fragmentText(c.expression, this.dialect)
    for (const d of removed) {
      this.push({
        kind: 'remove_check',
        schema: db.schema,
        table: db.name,
        name: d.name,
        description: `removed ${named('check constraint', d.name)} on ${quote(this.label(db))}: ${text(d)}`,
        ops: [this.dropCheck(db, d)],
      })
    }
    for (const { before, after } of modified) {
      this.push({
        kind: 'modify_check',
        schema: db.schema,
        table: db.name,
        name: after.name,
        description: `changed check constraint ${quote(after.name!)} on ${quote(this.label(db))}: ${text(before)} -> ${text(after)}`,
        ops: [this.dropCheck(db, before), new CreateCheckConstraintOp({ tableName: db.name, schema: db.schema, constraint: after })],
      })
    }
    for (const c of pending) {
      const name = c.name ?? this.generatedName(db.name, this.checkColumn(model.original, c), 'check')
      this.push({
        kind: 'add_check',
        schema: db.schema,
        table: db.name,
        name,
        description: `added check constraint ${quote(name)} on ${quote(this.label(db))}: ${text(c)}`,
        ops: [new CreateCheckConstraintOp({ tableName: db.name, schema: db.schema, constraint: { ...c, name } })],
      })
    }
  }

  /** The first column a check's condition names (PostgreSQL names a check after it). */
  private checkColumn(table: TableSpec, check: CheckSpec): string[] {
    const words = new Set(normalizeExpression(check.expression, this.dialect).match(/"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*/g)?.map((w) => (w.startsWith('"') ? w.slice(1, -1).replaceAll('""', '"') : w)) ?? [])
    const column = table.columns.find((c) => words.has(c.name) || words.has(c.name.toLowerCase()))
    return column === undefined ? [] : [column.name]
  }

  // -------------------------------------------------------------------------------------------
  // Table comments

  private compareTableComment(db: TableSpec, model: ModelTable): void {
    if (this.dialect === 'sqlite') return
    // An empty comment is none: PostgreSQL and MySQL keep it so.
    const before = db.comment || undefined
    const after = model.canonical.comment || undefined
    if (before === after) return
    const base = { schema: db.schema, table: db.name, name: db.name }
    const table = quote(this.label(db))
    if (after === undefined) {
      this.push({ ...base, kind: 'remove_table_comment', description: `removed comment of table ${table}`, ops: [new DropTableCommentOp({ tableName: db.name, schema: db.schema, existingComment: before! })] })
    } else if (before === undefined) {
      this.push({ ...base, kind: 'add_table_comment', description: `added comment on table ${table}: ${quote(after)}`, ops: [new CreateTableCommentOp({ tableName: db.name, schema: db.schema, comment: after, existingComment: null })] })
    } else {
      this.push({
        ...base,
        kind: 'modify_table_comment',
        description: `changed comment of table ${table}: ${quote(before)} -> ${quote(after)}`,
        ops: [new CreateTableCommentOp({ tableName: db.name, schema: db.schema, comment: after, existingComment: before })],
      })
    }
  }

  // -------------------------------------------------------------------------------------------
  // PostgreSQL enum types

  /** Enum types used by `tables`' columns (arrays too), by compared key, each once. */
  private enumsUsedBy(tables: Iterable<TableSpec>): Map<string, EnumInfo> {
    const found = new Map<string, EnumInfo>()
    for (const table of tables) {
      for (const column of table.columns) {
        const of = this.enumOf(column.type, table.schema)
        if (of !== undefined && !found.has(of.key)) found.set(of.key, { type: of.type, schema: of.schema })
      }
    }
    return found
  }

  /** Adds the differences of enum types and values; returns the removals (they come last). */
  private compareEnums(): Difference[] {
    const modelTables = [...this.modelTables.values()].map((m) => m.original)
    const modelEnums = this.enumsUsedBy(modelTables)
    for (const type of this.models.enums) {
      const schema = this.schemaOf(type.schema)
      if (!modelEnums.has(key(schema, type.name))) modelEnums.set(key(schema, type.name), { type, schema })
    }
    const dbEnums = new Map<string, EnumInfo>()
    for (const type of this.database.enums) {
      const schema = this.schemaOf(type.schema)
      dbEnums.set(key(schema, type.name), { type, schema })
    }
    const dbUsed = this.enumsUsedBy(this.dbTables.values())
    // Types of other schemas the database's columns use: they exist, they are just not listed.
    for (const [k, info] of dbUsed) if (!dbEnums.has(k)) dbEnums.set(k, { ...info, type: { ...info.type } })
    const createdTableEnums = this.enumsUsedBy([...this.createdTables].map((k) => this.modelTables.get(k)!.original))
    const droppedTableEnums = this.enumsUsedBy([...this.dbTables.entries()].filter(([k]) => !this.modelTables.has(k)).map(([, t]) => t))

    const include = (info: EnumInfo, reflected: boolean): boolean => this.include({ type: 'enum', name: info.type.name, schema: info.schema, reflected })
    const removals: Difference[] = []
    const label = (info: EnumInfo): string => quote(info.schema === undefined ? info.type.name : `${info.schema}.${info.type.name}`)
    const values = (list: readonly string[]): string => `(${list.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`

    for (const k of [...new Set([...modelEnums.keys(), ...dbEnums.keys()])].sort(byText)) {
      const model = modelEnums.get(k)
      const db = dbEnums.get(k)
      if (model !== undefined && !include(model, false)) continue
      if (model === undefined && (db === undefined || !include(db, true))) continue
      const base = { schema: (model ?? db)!.schema, name: (model ?? db)!.type.name }
      if (db === undefined) {
        const viaTable = createdTableEnums.has(k)
        this.push({
          ...base,
          kind: 'add_enum',
          description: `added enum type ${label(model!)} ${values(model!.type.values)}${viaTable ? ' (created with its first table)' : ''}`,
          ops: viaTable ? [] : [new CreateEnumOp({ name: model!.type.name, schema: model!.schema, values: model!.type.values })],
        })
        continue
      }
      if (model === undefined) {
        if (!dbUsed.has(k)) continue // used by no compared table: not ours to drop
        removals.push(
          compactSpec({
            ...base,
            kind: 'remove_enum' as const,
            description: `removed enum type ${label(db)}`,
            ops: [new DropEnumOp({ name: db.type.name, schema: db.schema, existingValues: db.type.values, ifExists: droppedTableEnums.has(k) || undefined })],
          }),
        )
        continue
      }
      if (sameList(db.type.values, model.type.values)) continue
      this.compareEnumValues(db, model.type.values, base, label(db))
    }
    return removals
  }

  private compareEnumValues(db: EnumInfo, target: readonly string[], base: { schema: string | undefined; name: string }, label: string): void {
    const current = db.type.values
    const isSubsequence = (() => {
      let j = 0
      for (const value of target) if (value === current[j]) j++
      return j === current.length
    })()
    const list = (l: readonly string[]): string => `(${l.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`
    if (isSubsequence) {
      // addEnumValue each new value at its place; each knows how to take it out again.
      let values = [...current]
      for (const [i, value] of target.entries()) {
        if (values.includes(value)) continue
        const before = target.slice(i + 1).find((v) => values.includes(v))
        const previous = values
        values = before === undefined ? [...values, value] : [...values.slice(0, values.indexOf(before)), value, ...values.slice(values.indexOf(before))]
        const next = values
        // IF NOT EXISTS: the revision adds it in an autocommit block (see render-revision.ts), which stays done if the rest fails.
        const op = new ReversibleAddEnumValueOp(compactSpec({ name: db.type.name, schema: db.schema, value, before, ifNotExists: true }), () =>
          setOperationRank(new ReversibleExecuteOp(this.recreateEnumSql(db, previous), this.recreateEnumSql(db, next)), RANK.enums),
        )
        this.push({ ...base, kind: 'add_enum_value', description: `added value '${value}' to enum type ${label}`, ops: [op] })
      }
      return
    }
    this.recreatedEnums.add(key(db.schema, db.type.name))
    const op = setOperationRank(new ReversibleExecuteOp(this.recreateEnumSql(db, target, 'models'), this.recreateEnumSql(db, current, 'database')), RANK.recreateEnums)
    this.push({
      ...base,
      kind: 'modify_enum',
      description: `changed values of enum type ${label}: ${list(current)} -> ${list(target)} (recreates the type: fails if a row holds a removed value)`,
      ops: [op],
    })
  }

  /**
   * A PL/pgSQL block recreating enum type `info` with the values `to`: the old type renamed,
   * the new one created, each column using it converted through text (its default set again), the
   * old type dropped. A column the comparison sees, kept of the type by the models, gets the
   * database's default, or with `defaults: 'models'` (the upgrade of a recreation) the models': a
   * default moving off a removed value is set there (after the conversion it could be neither the
   * old one nor, before it, a value only the new type has), and its downgrade sets the database's
   * back. Other columns keep the default they have when the block runs.
   */
  private recreateEnumSql(info: EnumInfo, to: readonly string[], defaults: 'database' | 'models' = 'database'): string {
    const d = loadedDialect('postgresql')
    const typeName = d.quoteQualified(info.type.name, info.schema)
    const oldName = `${info.type.name.slice(0, 50)}_old`
    const oldQualified = d.quoteQualified(oldName, info.schema)
    // Indexes and check constraints whose expressions hold a value of the type (`WHERE status =
    // 'active'`, `CHECK (status <> 'banned')`) would compare the converted column with a value of the
    // renamed old type, which PostgreSQL refuses: their definitions, as the catalog has them when the
    // block runs, are kept, they are dropped, and they are created again once the columns are
    // converted (then naming the new type). Indexes of constraints are left to PostgreSQL. Foreign
    // keys between columns of the type go the same way: during the swap their two sides would be of
    // two types.
    const oid = `${d.literal(typeName)}::regtype`
    const typed = (relation: string, keys: string): string => `EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = ${relation} AND a.attnum = ANY (${keys}) AND a.atttypid = ${oid})`
    // Each constraint `from` selects (`k`) is kept as the catalog prints it, then dropped: the block creates it again at the end.
    const constraints = (from: string): string =>
      `FOR r IN SELECT DISTINCT k.oid, format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname) AS drop_sql, format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid)) AS create_sql FROM ${from} LOOP saved := saved || r.create_sql; EXECUTE r.drop_sql; END LOOP;`
    const lines = [
      constraints(`pg_constraint k WHERE k.contype = 'f' AND (${typed('k.conrelid', 'k.conkey')} OR ${typed('k.confrelid', 'k.confkey')})`),
      `FOR r IN SELECT DISTINCT c.oid, format('DROP INDEX %I.%I', n.nspname, c.relname) AS drop_sql, pg_get_indexdef(c.oid) AS create_sql FROM pg_depend d JOIN pg_class c ON c.oid = d.objid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.classid = 'pg_class'::regclass AND c.relkind = 'i' AND d.refclassid = 'pg_type'::regclass AND d.refobjid = ${oid} AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid) LOOP saved := saved || r.create_sql; EXECUTE r.drop_sql; END LOOP;`,
      constraints(`pg_depend d JOIN pg_constraint k ON k.oid = d.objid WHERE d.classid = 'pg_constraint'::regclass AND k.contype = 'c' AND d.refclassid = 'pg_type'::regclass AND d.refobjid = ${oid}`),
      `ALTER TYPE ${typeName} RENAME TO ${d.quoteIdentifier(oldName)};`,
      `CREATE TYPE ${typeName} AS ENUM (${to.map((v) => d.literal(v)).join(', ')});`,
    ]
    // The columns of the type (and of arrays of it) are those the catalog has when the block runs,
    // in every table (those the comparison leaves out, in schemas it does not read, included): a
    // column the revision drops before, or changes to another type before (`RANK.leaveRecreatedEnums`),
    // is not there. Their defaults are kept as the catalog prints them before the rename (naming
    // the type, which then is the new one) and set again after; a column the models keep of the type
    // gets the models' default instead (`defaults: 'models'`). Inherited columns (partitions) follow
    // their parent.
    const columnsOfType = (types: string): string =>
      `FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE a.atttypid IN (${types}) AND a.attnum > 0 AND NOT a.attisdropped AND a.attinhcount = 0 AND c.relkind IN ('r', 'p')`
    const own: { qualified: string; column: string; serverDefault: DefaultValue | undefined }[] = []
    if (this.options.compareServerDefault) {
      const k = key(info.schema, info.type.name)
      for (const [tableKey, table] of this.dbTables) {
        for (const column of table.columns) {
          if (this.enumOf(column.type, table.schema)?.key !== k) continue
          const modelColumn = this.modelColumnOfEnum(tableKey, column.name, k)
          if (modelColumn === undefined) continue
          own.push({ qualified: d.quoteQualified(table.name, table.schema), column: column.name, serverDefault: defaults === 'models' ? modelColumn.serverDefault : column.serverDefault })
        }
      }
    }
    const columnKey = (relation: string, column: string): string => `${relation}::oid::text || '.' || ${column}`
    const owned = own.length === 0 ? "'{}'::text[]" : `ARRAY[${own.map((o) => columnKey(`to_regclass(${d.literal(o.qualified)})`, d.literal(o.column))).join(', ')}]`
    lines.splice(
      lines.length - 2,
      0,
      `old_type := ${oid}; SELECT typarray INTO old_array FROM pg_type WHERE oid = old_type;`,
      `FOR r IN SELECT ${columnKey('a.attrelid', 'a.attname')} AS k, format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', a.attrelid::regclass, a.attname, pg_get_expr(ad.adbin, ad.adrelid)) AS create_sql, format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', a.attrelid::regclass, a.attname) AS drop_sql ${columnsOfType('old_type, old_array').replace('WHERE', 'JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum WHERE')} LOOP IF NOT coalesce(r.k = ANY (${owned}), false) THEN saved := r.create_sql || saved; END IF; EXECUTE r.drop_sql; END LOOP;`,
    )
    const t = typeName.replaceAll('%', '%%')
    // A row holding a value the new type lacks fails the conversion: the error names the column.
    lines.push(
      `FOR r IN SELECT a.attrelid::regclass AS rel, a.attname AS col, a.atttypid = old_array AS is_array ${columnsOfType('old_type, old_array')} LOOP BEGIN`,
      `IF r.is_array THEN EXECUTE format(${d.literal(`ALTER TABLE %s ALTER COLUMN %I TYPE ${t}[] USING %I::text[]::${t}[]`)}, r.rel, r.col, r.col);`,
      `ELSE EXECUTE format(${d.literal(`ALTER TABLE %s ALTER COLUMN %I TYPE ${t} USING %I::text::${t}`)}, r.rel, r.col, r.col); END IF;`,
      `EXCEPTION WHEN invalid_text_representation THEN RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation', MESSAGE = format(${d.literal('%s, in column %s.%I: change those rows first (op.execute in this revision, before the enum type changes)')}, SQLERRM, r.rel, r.col);`,
      'END; END LOOP;',
    )
    for (const o of own) {
      if (o.serverDefault === undefined) continue
      const value = o.serverDefault instanceof SqlFragment ? fragmentText(o.serverDefault, 'postgresql') : d.literal(o.serverDefault)
      // Only if the column is there when the block runs: the revision may drop it (or its table) before.
      lines.push(`IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass(${d.literal(o.qualified)}) AND attname = ${d.literal(o.column)} AND NOT attisdropped) THEN`)
      lines.push(`ALTER TABLE ${o.qualified} ALTER COLUMN ${d.quoteIdentifier(o.column)} SET DEFAULT ${value};`)
      lines.push('END IF;')
    }
    lines.push(`DROP TYPE ${oldQualified};`)
    lines.push('FOREACH statement IN ARRAY saved LOOP EXECUTE statement; END LOOP;')
    return doBlock(`DECLARE r record; saved text[] := '{}'; statement text; old_type oid; old_array oid; BEGIN ${lines.join(' ')} END`)
  }

  /** The enum type a column of `type` holds (through arrays), in a table of `tableSchema`: its key and schema. */
  private enumOf(type: ColumnType, tableSchema: string | undefined): ({ key: string } & EnumInfo) | undefined {
    while (type.kind === 'array') type = type.itemType
    if (type.kind !== 'enum') return undefined
    const schema = this.schemaOf(type.schema ?? tableSchema)
    return { key: key(schema, type.name), type, schema }
  }

  /** The models' column `name` of the table `tableKey` when it holds the enum type `enumKey` (as declared). */
  private modelColumnOfEnum(tableKey: string, name: string, enumKey: string): ColumnSpec | undefined {
    const table = this.modelTables.get(tableKey)?.original
    const column = table?.columns.find((c) => c.name === name)
    return column !== undefined && this.enumOf(column.type, table!.schema)?.key === enumKey ? column : undefined
  }

  // -------------------------------------------------------------------------------------------
  // Helpers

  /** Drop of a constraint by its reflected name (MySQL's primary key: `PRIMARY`). */
  private dropConstraint(table: TableSpec, constraint: ({ type: 'primary' } & PrimaryKeySpec) | ({ type: 'unique' } & UniqueSpec) | ({ type: 'foreignkey' } & ForeignKeySpec) | ({ type: 'check' } & CheckSpec)): DropConstraintOp {
    // PostgreSQL and MySQL reflect every name; SQLite none for a constraint declared without one: then
    // the name PostgreSQL would give it, which the SQLite batch resolves (`unnamedConstraintCalled`).
    const fallback = (): string => (constraint.type === 'primary' ? (this.dialect === 'mysql' ? 'PRIMARY' : `${table.name}_pkey`) : unnamedConstraintName(table, constraint))
    const name = constraint.name ?? fallback()
    return new DropConstraintOp({ name, tableName: table.name, schema: table.schema, type: constraint.type, existing: constraint })
  }

  /**
   * Drop of a check by its reflected name; on MariaDB, of a check of a column's definition, which
   * has no name to drop it by, a MODIFY restating its column without it (with the other drops, see
   * RANK), the downgrade's MODIFY giving it back.
   */
  private dropCheck(table: TableSpec, check: CheckSpec): Operation {
    const column = this.dialect === 'mysql' && check.column !== undefined ? table.columns.find((c) => c.name === check.column) : undefined
    if (column === undefined) return this.dropConstraint(table, { type: 'check', ...check })
    const found = foundOf(column, check.expression)
    // AUTO_INCREMENT removed from the column goes before (RANK.removeIdentity).
    const autoincrement = column.autoincrement === true && !this.identityRemoved.has(`${key(table.schema, table.name)}.${column.name}`)
    const op = new AlterColumnOp({ tableName: table.name, columnName: column.name, schema: table.schema, columnCheck: null, ...existingHints(found, autoincrement) })
    return setOperationRank(op, RANK.dropKeys)
  }

  /** `<table>_<columns>_<suffix>` as PostgreSQL names constraints, fitted to 63 bytes (`fitName`), unused so far. */
  private generatedName(table: string, columns: readonly string[], suffix: string): string {
    const stem = [table, ...columns].join('_')
    let name = fitName(`${stem}_${suffix}`)
    for (let n = 1; this.usedNames.has(name); n++) name = fitName(`${stem}_${suffix}${n}`)
    this.usedNames.add(name)
    return name
  }
}

const TYPE_FAMILIES: Readonly<Record<string, string>> = {
  integer: 'number',
  smallint: 'number',
  bigint: 'number',
  numeric: 'number',
  real: 'number',
  double: 'number',
  varchar: 'string',
  char: 'string',
  text: 'string',
  timestamp: 'temporal',
  date: 'temporal',
  time: 'temporal',
}

/**
 * PostgreSQL: the `USING` conversions of a type change that has no assignment cast (to or from an
 * enum, a string to a number…), both ways; undefined when PostgreSQL converts by itself (within
 * numbers, strings or dates and times, and anything to a string).
 */
function postgresUsing(column: string, from: ColumnType, to: ColumnType): { forward: SqlFragment; inverse: SqlFragment } | undefined {
  const base = (type: ColumnType): ColumnType => (type.kind === 'array' ? base(type.itemType) : type)
  const family = (type: ColumnType): string => TYPE_FAMILIES[base(type).kind] ?? base(type).kind
  const isArray = (type: ColumnType): boolean => type.kind === 'array'
  const enums = base(from).kind === 'enum' || base(to).kind === 'enum'
  const convertible = (a: ColumnType, b: ColumnType): boolean => isArray(a) === isArray(b) && (family(a) === family(b) || family(b) === 'string')
  if (!enums && convertible(from, to) && convertible(to, from)) return undefined
  const name = loadedDialect('postgresql').quoteIdentifier(column)
  const cast = (source: ColumnType, target: ColumnType): SqlFragment => {
    const via = enums ? `::text${isArray(source) ? '[]' : ''}` : ''
    return sql.raw(`${name}${via}::${describeType(target, 'postgresql')}`)
  }
  return { forward: cast(from, to), inverse: cast(to, from) }
}

function constraintNames(table: TableSpec): string[] {
  return [table.primaryKey?.name, ...table.uniques.map((u) => u.name), ...table.foreignKeys.map((f) => f.name), ...table.checks.map((c) => c.name), ...table.indexes.map((i) => i.name)].filter(
    (n): n is string => n !== undefined,
  )
}

/** Whether PostgreSQL expression `text` names `column` (bare, any case, or quoted exactly). */
function namesColumn(text: string, column: string): boolean {
  const bare = /^[a-z_][a-z0-9_$]*$/i.test(column) ? `|${escapeRegExp(column)}` : ''
  return new RegExp(`(?:^|[^\\w$"])(?:"${escapeRegExp(column.replaceAll('"', '""'))}"${bare})(?:$|[^\\w$"])`, 'i').test(text)
}

/** The kinds of difference that drop or create unique keys and indexes (MySQL's foreign key index pass). */
const KEY_CHANGES: ReadonlySet<DifferenceKind> = new Set(['add_index', 'remove_index', 'modify_index', 'add_unique', 'remove_unique', 'modify_unique', 'add_primary_key', 'remove_primary_key', 'modify_primary_key'])

/** MySQL: whether an index can serve a foreign key (InnoDB uses a B-tree one, not FULLTEXT or SPATIAL). */
function servesForeignKeys(index: IndexSpec): boolean {
  return index.using === undefined || /^(?:BTREE|HASH)$/i.test(index.using)
}

/**
 * Whether two unique constraints are alike deferrable and alike NULLS NOT DISTINCT (canonical specs:
 * `initially` only when DEFERRED).
 */
function sameUniqueOptions(a: UniqueSpec, b: UniqueSpec): boolean {
  return (a.deferrable === true) === (b.deferrable === true) && (a.initially === 'DEFERRED') === (b.initially === 'DEFERRED') && sameNulls(a, b)
}

/** Whether two unique constraints or indexes are alike NULLS NOT DISTINCT. */
function sameNulls(a: { readonly nullsNotDistinct?: boolean }, b: { readonly nullsNotDistinct?: boolean }): boolean {
  return (a.nullsNotDistinct === true) === (b.nullsNotDistinct === true)
}

/** ` NULLS NOT DISTINCT`, ` DEFERRABLE [INITIALLY DEFERRED]` of a unique constraint, for a difference's line. */
function uniqueOptionsText(u: UniqueSpec): string {
  return `${u.nullsNotDistinct ? ' NULLS NOT DISTINCT' : ''}${u.deferrable ? ` DEFERRABLE${u.initially === 'DEFERRED' ? ' INITIALLY DEFERRED' : ''}` : ''}`
}

/** Whether the key or index columns `list` start with `columns` (then it can serve a foreign key on them). */
function startsWithColumns(list: readonly (string | SqlFragment)[], columns: readonly string[]): boolean {
  return columns.every((c, i) => list[i] === c)
}

/** MySQL: a table's keys that can serve a foreign key or an AUTO_INCREMENT column, by name (the primary key's is PRIMARY). */
function mysqlKeysOf(table: TableSpec): Map<string, readonly (string | SqlFragment)[]> {
  return new Map([
    ...(table.primaryKey === undefined ? [] : [['PRIMARY', table.primaryKey.columns] as const]),
    ...table.uniques.flatMap((u) => (u.name === undefined ? [] : [[u.name, u.columns] as const])),
    ...table.indexes.filter(servesForeignKeys).map((ix) => [ix.name, ix.columns] as const),
  ])
}

/**
 * MySQL: the `ALTER TABLE` clauses adding the key an operation creates or drops (a drop's from its
 * `existing`), and dropping it.
 */
function keyClauses(op: DropIndexOp | DropConstraintOp | CreateIndexOp | CreateUniqueConstraintOp | CreatePrimaryKeyOp): { add: string; drop: string } {
  const dropIndex = (name: string): string => `DROP INDEX ${loadedDialect('mysql').quoteIdentifier(name)}`
  switch (op.kind) {
    case 'createIndex':
      return { add: mysqlKeys().addKeyClause({ index: op.index }), drop: dropIndex(op.index.name) }
    case 'createPrimaryKey':
      return { add: mysqlKeys().addKeyClause({ primary: op.constraint }), drop: 'DROP PRIMARY KEY' }
    case 'createUniqueConstraint':
      return { add: mysqlKeys().addKeyClause({ unique: op.constraint }), drop: dropIndex(op.constraint.name!) }
    case 'dropIndex':
      return { add: mysqlKeys().addKeyClause({ index: op.existing! }), drop: dropIndex(op.name) }
    case 'dropConstraint':
      return op.type === 'primary'
        ? { add: mysqlKeys().addKeyClause({ primary: op.existing as PrimaryKeySpec }), drop: 'DROP PRIMARY KEY' }
        : { add: mysqlKeys().addKeyClause({ unique: op.existing as UniqueSpec }), drop: dropIndex(op.name) }
  }
}

/** A column of the database as the first operation on it finds it, with the check of its definition it keeps. */
function foundOf(column: ColumnSpec, columnCheck: SqlFragment | undefined): ColumnAsFound {
  return {
    type: column.type,
    nullable: column.nullable,
    serverDefault: column.serverDefault ?? null,
    comment: column.comment ?? null,
    collation: column.collation,
    generated: column.generated,
    columnCheck,
    invisible: column.invisible === true,
  }
}

/** The `existing*` of an `alterColumn` finding the column as `state` (MySQL's MODIFY restates all of them). */
function existingHints(state: ColumnAsFound, autoincrement: boolean): Partial<AlterColumnProps> {
  return {
    existingType: state.type,
    existingNullable: state.nullable,
    existingServerDefault: state.serverDefault,
    existingComment: state.comment,
    existingAutoincrement: autoincrement || undefined,
    existingCollation: state.collation,
    existingGenerated: state.generated,
    existingColumnCheck: state.columnCheck,
    existingInvisible: state.invisible || undefined,
  }
}

/** `name` with its ASCII letters in lower case: how SQLite (names) and MySQL (column names) compare them. */
function fold(name: string): string {
  // Most names have no capital: returned as they are, without a replace's callback per name.
  return HAS_CAPITAL.test(name) ? name.replace(/[A-Z]+/g, (upper) => upper.toLowerCase()) : name
}
const HAS_CAPITAL = /[A-Z]/

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
