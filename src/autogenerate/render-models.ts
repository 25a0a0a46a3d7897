/**
 * `migrator introspect`: a database snapshot written back as a TypeScript models file in the
 * models API (DESIGN §4), such that loading it as the target metadata against the same database
 * finds no difference.
 *
 * - One `export const <camelCase> = metadata.table('name', { … }, { … })` per table, parents
 *   first; foreign keys always go in the `foreignKeys` option with the referred table by name, so
 *   the order of the tables never matters (cycles included).
 * - Names the database generated the way it would generate them again (PostgreSQL `users_pkey`,
 *   `users_email_key`, `posts_author_id_fkey`, `users_price_check`; MySQL unique indexes named after
 *   their first column, `t_ibfk_1`, `CONSTRAINT_1`, `t_chk_1`) are left out: the models' unnamed
 *   constraints match the database's by content. Every other name is written. Indexes are always named.
 * - A one-column primary key without its own name is `.primaryKey()` on the column, a one-column
 *   unique constraint without its own name `.unique()`; the rest are table options.
 * - PostgreSQL enum types are declared once (`export const userStatus = enumType(…)`) and reused,
 *   the types no table uses too (as plain exports: a MetaData has no place for them).
 * - Names that are not identifiers are quoted as keys; variable names are camelCase, made unique
 *   and kept clear of the imported names and reserved words.
 */
import type { DialectName } from '../dialects/dialect.js'
import type { SchemaSnapshot } from '../dialects/introspector.js'
import { tsColumn, tsIndex, tsKey, tsObject, tsSql, tsString, tsType, tsUnique, type SourceImports } from '../operations/render.js'
import type { CheckSpec, ColumnSpec, ForeignKeySpec, IndexSpec, TableSpec, UniqueSpec } from '../schema/spec.js'
import type { ColumnType, EnumType } from '../schema/types.js'
import { stableJson } from './canonical.js'

export interface RenderModelsOptions {
  readonly dialect: DialectName
  /** A comment line placed at the top of the file (default: written by `migrator introspect`). */
  readonly header?: string
}

const RESERVED = new Set(
  `break case catch class const continue debugger default delete do else enum export extends false finally for function if import in
  instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package
  private protected public await async arguments eval undefined NaN Infinity metadata op sql`.split(/\s+/),
)

/** Every name the file may import: no variable shadows one. */
const IMPORTABLE = new Set(
  'MetaData integer smallint bigint boolean real double numeric varchar char text date time timestamp interval json jsonb uuid binary enumType setType array sqlType untyped index unique check foreignKey'.split(' '),
)

/** The models file of `snapshot`. */
export function renderModels(snapshot: SchemaSnapshot, options: RenderModelsOptions): string {
  return new ModelsWriter(snapshot, options).write()
}

class ModelsWriter {
  private readonly imports: SourceImports = new Set(['MetaData'])
  private readonly usedNames = new Set<string>()
  private readonly enumVariables = new Map<string, string>()
  private readonly enumDeclarations: string[] = []

  constructor(
    private readonly snapshot: SchemaSnapshot,
    private readonly options: RenderModelsOptions,
  ) {}

  write(): string {
    const tables = parentsFirst(this.snapshot.tables.filter((t) => t.columns.length > 0))
    const skipped = this.snapshot.tables.filter((t) => t.columns.length === 0)
    if (this.options.dialect === 'postgresql') {
      for (const type of this.snapshot.enums) this.declareEnum(type)
      for (const table of tables) for (const column of table.columns) this.visitEnums(column.type, table)
    }
    const tableSources = tables.map((t) => this.table(t))
    const lines = [
      '/**',
      ` * ${this.options.header ?? 'Models of the database, written by `migrator introspect`.'}`,
      ' */',
      `import { ${[...this.imports].sort().join(', ')} } from 'migrator'`,
      '',
      'export const metadata = new MetaData()',
      '',
    ]
    if (this.enumDeclarations.length > 0) lines.push(...this.enumDeclarations, '')
    for (const source of tableSources) lines.push(source, '')
    for (const table of skipped) lines.push(`// table ${tsString(table.schema === undefined ? table.name : `${table.schema}.${table.name}`)} has no columns: the models API cannot declare it`, '')
    return lines.join('\n')
  }

  // -------------------------------------------------------------------------------------------

  private variable(name: string, suffix: string): string {
    const parts = name.split(/[^\p{L}\p{N}]+/u).filter((p) => p !== '')
    let base = parts.map((p, i) => (i === 0 ? p.charAt(0).toLowerCase() + p.slice(1) : p.charAt(0).toUpperCase() + p.slice(1))).join('')
    if (base === '' || !/^[\p{L}_$]/u.test(base)) base = `_${base}`
    if (RESERVED.has(base) || IMPORTABLE.has(base)) base = `${base}${suffix}`
    let out = base
    for (let n = 2; this.usedNames.has(out); n++) out = `${base}${n}`
    this.usedNames.add(out)
    return out
  }

  /** The absolute identity of an enum type used by a column of `table`. */
  private enumKey(type: EnumType, table: TableSpec | undefined): string {
    return stableJson([type.schema ?? table?.schema ?? null, type.name, type.values])
  }

  private declareEnum(type: EnumType, table?: TableSpec): string {
    const k = this.enumKey(type, table)
    const existing = this.enumVariables.get(k)
    if (existing !== undefined) return existing
    const name = this.variable(type.name, 'Enum')
    this.enumVariables.set(k, name)
    this.imports.add('enumType')
    const schemaOption = type.schema === undefined ? '' : `, { schema: ${tsString(type.schema)} }`
    this.enumDeclarations.push(`export const ${name} = enumType(${tsString(type.name)}, [${type.values.map(tsString).join(', ')}]${schemaOption})`)
    return name
  }

  private visitEnums(type: ColumnType, table: TableSpec): void {
    if (type.kind === 'array') this.visitEnums(type.itemType, table)
    if (type.kind === 'enum') this.declareEnum(this.enumFor(type, table), table)
  }

  /**
   * The type as declared: a column's enum type without schema lives in its table's schema, which a
   * shared declaration must name when the table is not in the default schema.
   */
  private enumFor(type: EnumType, table: TableSpec): EnumType {
    return type.schema === undefined && table.schema !== undefined ? { ...type, schema: table.schema } : type
  }

  private typeSource(type: ColumnType, table: TableSpec): string {
    if (this.options.dialect === 'postgresql') {
      if (type.kind === 'enum') return this.declareEnum(this.enumFor(type, table), table)
      if (type.kind === 'array') {
        this.imports.add('array')
        return `array(${this.typeSource(type.itemType, table)}${type.dimensions === undefined ? '' : `, { dimensions: ${type.dimensions} }`})`
      }
    }
    return tsType(type, this.imports)
  }

  private column(column: ColumnSpec, table: TableSpec, extras: { primaryKey: boolean; inPrimaryKey: boolean; unique: boolean }): string {
    const unique = extras.unique ? { columns: [column.name] } : undefined
    return tsColumn(column, { primaryKey: extras.primaryKey, inPrimaryKey: extras.inPrimaryKey, unique }, this.imports, this.typeSource(column.type, table))
  }

  private table(table: TableSpec): string {
    const variable = this.variable(table.name, 'Table')
    const pk = table.primaryKey
    const pkName = pk?.name !== undefined && !this.generatedPrimaryKeyName(table, pk.name) ? pk.name : undefined
    const inlinePk = pk !== undefined && pk.columns.length === 1 && pkName === undefined ? pk.columns[0] : undefined
    const inlineUniques = new Set<UniqueSpec>(table.uniques.filter((u) => u.columns.length === 1 && !u.deferrable && !u.nullsNotDistinct && this.generatedUniqueName(table, u)))
    const inlineUniqueColumns = new Set([...inlineUniques].map((u) => u.columns[0]!))
    // Two unnamed uniques on the same column cannot both be inline.
    const seen = new Set<string>()
    for (const u of [...inlineUniques]) {
      if (seen.has(u.columns[0]!)) inlineUniques.delete(u)
      seen.add(u.columns[0]!)
    }
    const columns = table.columns.map(
      (c) =>
        `  ${tsKey(c.name)}: ${this.column(c, table, {
          primaryKey: c.name === inlinePk,
          inPrimaryKey: pk?.columns.includes(c.name) === true,
          unique: inlineUniqueColumns.has(c.name) && [...inlineUniques].some((u) => u.columns[0] === c.name),
        })},`,
    )
    const options: [string, string | undefined][] = [
      ['schema', table.schema === undefined ? undefined : tsString(table.schema)],
      [
        'primaryKey',
        pk === undefined || inlinePk !== undefined ? undefined : pkName === undefined ? `[${pk.columns.map(tsString).join(', ')}]` : `{ name: ${tsString(pkName)}, columns: [${pk.columns.map(tsString).join(', ')}] }`,
      ],
      ['uniques', this.list(table.uniques.filter((u) => !inlineUniques.has(u)), (u) => this.unique(table, u))],
      ['foreignKeys', this.list(table.foreignKeys, (fk) => this.foreignKey(table, fk))],
      ['checks', this.list(table.checks, (c) => this.check(table, c))],
      ['indexes', this.list(table.indexes, (ix) => this.index(ix))],
      ['comment', table.comment === undefined ? undefined : tsString(table.comment)],
    ]
    const present = options.filter((o): o is [string, string] => o[1] !== undefined)
    const optionSource = present.length === 0 ? '' : `, {\n${present.map(([k, v]) => `  ${k}: ${v},`).join('\n')}\n}`
    return `export const ${variable} = metadata.table(${tsString(table.name)}, {\n${columns.join('\n')}\n}${optionSource})`
  }

  private list<T>(items: readonly T[], render: (item: T) => string): string | undefined {
    if (items.length === 0) return undefined
    const rendered = items.map(render)
    const oneLine = `[${rendered.join(', ')}]`
    return oneLine.length <= 100 ? oneLine : `[\n${rendered.map((r) => `    ${r},`).join('\n')}\n  ]`
  }

  private unique(table: TableSpec, u: UniqueSpec): string {
    this.imports.add('unique')
    const name = u.name !== undefined && !this.generatedUniqueName(table, u) ? tsString(u.name) : ''
    return tsUnique(u, name)
  }

  private foreignKey(table: TableSpec, fk: ForeignKeySpec): string {
    this.imports.add('foreignKey')
    const target = tsObject([
      ['table', tsString(fk.referredTable)],
      ['columns', `[${fk.referredColumns.map(tsString).join(', ')}]`],
      ['schema', fk.referredSchema === undefined ? undefined : tsString(fk.referredSchema)],
    ])
    const options = tsObject([
      ['name', fk.name === undefined || this.generatedForeignKeyName(table, fk) ? undefined : tsString(fk.name)],
      ['onDelete', fk.onDelete === undefined ? undefined : tsString(fk.onDelete)],
      ['onUpdate', fk.onUpdate === undefined ? undefined : tsString(fk.onUpdate)],
      ['deferrable', fk.deferrable === undefined ? undefined : String(fk.deferrable)],
      ['initially', fk.initially === undefined ? undefined : tsString(fk.initially)],
      ['match', fk.match === undefined ? undefined : tsString(fk.match)],
    ])
    return `foreignKey([${fk.columns.map(tsString).join(', ')}], ${target}${options === '{}' ? '' : `, ${options}`})`
  }

  private check(table: TableSpec, c: CheckSpec): string {
    this.imports.add('check')
    const named = c.name !== undefined && !this.generatedCheckName(table, c.name)
    return `check(${named ? `${tsString(c.name!)}, ` : ''}${tsSql(c.expression, this.imports)})`
  }

  private index(ix: IndexSpec): string {
    return tsIndex(ix, this.imports)
  }

  // -------------------------------------------------------------------------------------------
  // Names the database would give again

  private generatedPrimaryKeyName(table: TableSpec, name: string): boolean {
    return this.options.dialect === 'postgresql' ? name === `${table.name}_pkey` : this.options.dialect === 'mysql'
  }

  private generatedUniqueName(table: TableSpec, u: UniqueSpec): boolean {
    if (u.name === undefined) return true
    switch (this.options.dialect) {
      case 'postgresql':
        return u.name === `${table.name}_${u.columns.join('_')}_key`
      case 'mysql':
        return u.name === u.columns[0] || new RegExp(`^${escapeRegExp(u.columns[0]!)}_\\d+$`).test(u.name)
      case 'sqlite':
        return /^sqlite_autoindex_/.test(u.name)
    }
  }

  private generatedForeignKeyName(table: TableSpec, fk: ForeignKeySpec): boolean {
    switch (this.options.dialect) {
      case 'postgresql':
        return fk.name === `${table.name}_${fk.columns.join('_')}_fkey`
      case 'mysql':
        return new RegExp(`^${escapeRegExp(table.name)}_ibfk_\\d+$`).test(fk.name ?? '')
      case 'sqlite':
        return false
    }
  }

  private generatedCheckName(table: TableSpec, name: string): boolean {
    switch (this.options.dialect) {
      case 'postgresql': {
        const prefix = `${table.name}_`
        if (!name.startsWith(prefix)) return false
        const rest = name.slice(prefix.length)
        return /^check\d*$/.test(rest) || table.columns.some((c) => new RegExp(`^${escapeRegExp(c.name)}_check\\d*$`).test(rest))
      }
      case 'mysql':
        return /^CONSTRAINT_\d+$/.test(name) || new RegExp(`^${escapeRegExp(table.name)}_chk_\\d+$`).test(name)
      case 'sqlite':
        return false
    }
  }
}

/** Tables parents first by their foreign keys; ties (and cycles) in the given order. */
function parentsFirst(tables: readonly TableSpec[]): TableSpec[] {
  const key = (schema: string | undefined, name: string): string => JSON.stringify([schema ?? null, name])
  const present = new Set(tables.map((t) => key(t.schema, t.name)))
  const done = new Set<string>()
  const left = [...tables]
  const out: TableSpec[] = []
  while (left.length > 0) {
    let at = left.findIndex((t) =>
      t.foreignKeys.every((fk) => {
        const parent = key(fk.referredSchema ?? t.schema, fk.referredTable)
        return parent === key(t.schema, t.name) || !present.has(parent) || done.has(parent)
      }),
    )
    if (at === -1) at = 0
    const [next] = left.splice(at, 1)
    done.add(key(next!.schema, next!.name))
    out.push(next!)
  }
  return out
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
