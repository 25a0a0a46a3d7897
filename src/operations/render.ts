/**
 * Rendering plain schema data back to TypeScript source in the models API: what `toSource()`
 * of each operation writes. Every helper records the `migrator` exports it uses in `imports`,
 * so a revision file can import exactly those.
 */
import type { ColumnSpec, DefaultValue, ForeignKeySpec, IndexSpec, UniqueSpec } from '../schema/spec.js'
import { SqlFragment, SqlIdentifier } from '../schema/sql.js'
import type { ColumnType } from '../schema/types.js'

/** Names of `migrator` exports a rendered piece of source uses (`integer`, `sql`, `index`, …). */
export type SourceImports = Set<string>

const NO_IMPORTS: SourceImports = new Set()

/** A single-quoted TypeScript string literal. */
export function tsString(value: string): string {
  let out = "'"
  for (const ch of value) {
    const code = ch.codePointAt(0)!
    if (ch === "'") out += "\\'"
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) out += `\\u${code.toString(16).padStart(4, '0')}`
    else out += ch
  }
  return `${out}'`
}

/** An object key: bare when it is an identifier, quoted otherwise (`__proto__` computed, so it stays a key). */
export function tsKey(key: string): string {
  if (key === '__proto__') return `['__proto__']`
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : tsString(key)
}

/** Any plain value: strings, numbers, bigints, booleans, null, Dates, Buffers, arrays, plain objects, `sql` fragments. */
export function tsValue(value: unknown, imports: SourceImports = NO_IMPORTS): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  switch (typeof value) {
    case 'string':
      return tsString(value)
    case 'number':
      if (Number.isNaN(value)) return 'NaN'
      if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity'
      return Object.is(value, -0) ? '-0' : String(value)
    case 'bigint':
      return `${value}n`
    case 'boolean':
      return String(value)
  }
  if (value instanceof SqlFragment) return tsSql(value, imports)
  if (value instanceof Date) return `new Date(${tsString(Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString())})`
  if (value instanceof Uint8Array) return `Buffer.from(${tsString(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex'))}, 'hex')`
  if (Array.isArray(value)) return `[${value.map((v) => tsValue(v, imports)).join(', ')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${tsKey(k)}: ${tsValue(v, imports)}`).join(', ')} }`
  }
  throw new TypeError(`cannot render a ${typeof value} as source`)
}

/** An object literal of already-rendered values, leaving out `undefined` ones. */
export function tsObject(entries: readonly (readonly [string, string | undefined])[]): string {
  const present = entries.filter((e): e is readonly [string, string] => e[1] !== undefined)
  return present.length === 0 ? '{}' : `{ ${present.map(([k, v]) => `${tsKey(k)}: ${v}`).join(', ')} }`
}

function templateText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${').replace(/\r/g, '\\r')
}

/** A `sql` tagged template that evaluates to an equal fragment. */
export function tsSql(fragment: SqlFragment, imports: SourceImports = NO_IMPORTS): string {
  imports.add('sql')
  let out = 'sql`' + templateText(fragment.strings[0]!)
  fragment.values.forEach((value, i) => {
    const inner = value instanceof SqlIdentifier ? `sql.identifier(${value.names.map(tsString).join(', ')})` : tsValue(value)
    out += '${' + inner + '}' + templateText(fragment.strings[i + 1]!)
  })
  return out + '`'
}

/** The type constructor call: `varchar(255)`, `enumType('status', ['a', 'b'])`, `integer().unsigned()`. */
export function tsType(type: ColumnType, imports: SourceImports = NO_IMPORTS): string {
  const call = (name: string, args: string[] = []): string => {
    imports.add(name)
    return `${name}(${args.join(', ')})`
  }
  switch (type.kind) {
    case 'integer':
    case 'smallint':
    case 'bigint':
      return call(type.kind) + (type.unsigned ? '.unsigned()' : '')
    case 'boolean':
    case 'real':
    case 'double':
    case 'text':
    case 'date':
    case 'interval':
    case 'json':
    case 'jsonb':
    case 'uuid':
      return call(type.kind)
    case 'numeric':
      return call('numeric', [type.precision, type.scale].filter((n) => n !== undefined).map(String))
    case 'varchar':
    case 'char':
      return call(type.kind, type.length === undefined ? [] : [String(type.length)])
    case 'time':
    case 'timestamp': {
      const options = tsObject([
        ['timezone', type.timezone ? 'true' : undefined],
        ['precision', type.precision === undefined ? undefined : String(type.precision)],
      ])
      return call(type.kind, options === '{}' ? [] : [options])
    }
    case 'binary':
      return call('binary', type.length === undefined ? [] : [`{ length: ${type.length} }`])
    case 'enum': {
      const args = [tsString(type.name), `[${type.values.map(tsString).join(', ')}]`]
      if (type.schema !== undefined) args.push(`{ schema: ${tsString(type.schema)} }`)
      return call('enumType', args)
    }
    case 'set':
      return call('setType', [`[${type.values.map(tsString).join(', ')}]`])
    case 'array':
      return call('array', [tsType(type.itemType, imports), ...(type.dimensions === undefined ? [] : [`{ dimensions: ${type.dimensions} }`])])
    case 'custom':
      return type.sql.trim() === '' ? call('untyped', []) : call('sqlType', [tsString(type.sql)])
  }
}

export function tsDefault(value: DefaultValue, imports: SourceImports = NO_IMPORTS): string {
  return tsValue(value, imports)
}

/** Constraints written on the column itself (`addColumn`, or a single-column primary key). */
export interface ColumnExtras {
  readonly primaryKey?: boolean
  readonly unique?: UniqueSpec
  readonly index?: IndexSpec
  readonly foreignKey?: ForeignKeySpec
  /** Part of a primary key the table declares: NOT NULL goes without saying. */
  readonly inPrimaryKey?: boolean
}

/**
 * A column builder chain: `varchar(255).notNull().default('x').comment('…')`. `typeSource`
 * replaces the rendering of the type (a models file refers to its shared enum constants).
 */
export function tsColumn(
  column: ColumnSpec,
  extras: ColumnExtras = {},
  imports: SourceImports = NO_IMPORTS,
  typeSource: string = tsType(column.type, imports),
): string {
  let out = typeSource
  if (extras.primaryKey) out += '.primaryKey()'
  if (column.identity !== undefined) {
    const options = tsObject([
      ['always', column.identity.always === undefined ? undefined : String(column.identity.always)],
      ['start', column.identity.start === undefined ? undefined : String(column.identity.start)],
      ['increment', column.identity.increment === undefined ? undefined : String(column.identity.increment)],
    ])
    out += options === '{}' ? '.identity()' : `.identity(${options})`
  } else if (column.autoincrement) {
    out += '.autoincrement()'
  }
  if (!column.nullable && !extras.primaryKey && !extras.inPrimaryKey) out += '.notNull()'
  if (column.serverDefault !== undefined) out += `.default(${tsDefault(column.serverDefault, imports)})`
  if (column.generated !== undefined) {
    const stored = column.generated.stored === undefined ? '' : `, { stored: ${column.generated.stored} }`
    out += `.generatedAlwaysAs(${tsSql(column.generated.expression, imports)}${stored})`
  }
  if (extras.unique) out += `.unique(${extras.unique.name === undefined ? '' : tsString(extras.unique.name)})`
  if (extras.index) out += `.index(${tsString(extras.index.name)})`
  if (extras.foreignKey) {
    const fk = extras.foreignKey
    const target = tsObject([
      ['table', tsString(fk.referredTable)],
      ['column', tsString(fk.referredColumns[0]!)],
      ['schema', fk.referredSchema === undefined ? undefined : tsString(fk.referredSchema)],
    ])
    const options = tsReferenceOptions(fk)
    out += `.references(${target}${options === '{}' ? '' : `, ${options}`})`
  }
  if (column.comment !== undefined) out += `.comment(${tsString(column.comment)})`
  if (column.collation !== undefined) out += `.collate(${tsString(column.collation)})`
  if (column.invisible) out += '.invisible()'
  return out
}

/** `unique(name).on(columns)[.deferrable(…)]`: a unique constraint in the models API (`name` '' for none). */
export function tsUnique(u: UniqueSpec, name: string): string {
  const deferral = u.deferrable ? `.deferrable(${u.initially === undefined ? '' : `{ initially: ${tsString(u.initially.toLowerCase())} }`})` : ''
  return `unique(${name}).on(${u.columns.map(tsString).join(', ')})${u.nullsNotDistinct ? '.nullsNotDistinct()' : ''}${deferral}`
}

/** `{ deferrable, initially, nullsNotDistinct }` of a unique constraint, `{}` when it has none of them. */
export function tsUniqueOptions(u: UniqueSpec): [string, string | undefined][] {
  return [
    ['deferrable', u.deferrable === undefined ? undefined : String(u.deferrable)],
    ['initially', u.initially === undefined ? undefined : tsString(u.initially)],
    ['nullsNotDistinct', u.nullsNotDistinct ? 'true' : undefined],
  ]
}

/** `{ name, onDelete, onUpdate, deferrable, initially, match }` of a foreign key, `{}` when it has none. */
export function tsReferenceOptions(fk: ForeignKeySpec): string {
  return tsObject([
    ['name', fk.name === undefined ? undefined : tsString(fk.name)],
    ['onDelete', fk.onDelete === undefined ? undefined : tsString(fk.onDelete)],
    ['onUpdate', fk.onUpdate === undefined ? undefined : tsString(fk.onUpdate)],
    ['deferrable', fk.deferrable === undefined ? undefined : String(fk.deferrable)],
    ['initially', fk.initially === undefined ? undefined : tsString(fk.initially)],
    ['match', fk.match === undefined ? undefined : tsString(fk.match)],
  ])
}

/** `index('ix').on('a', sql\`lower(b)\`).unique().where(…).using('gin')`. */
export function tsIndex(index: IndexSpec, imports: SourceImports = NO_IMPORTS): string {
  imports.add('index')
  let out = `index(${tsString(index.name)}).on(${index.columns.map((c) => (typeof c === 'string' ? tsString(c) : tsSql(c, imports))).join(', ')})`
  if (index.descending !== undefined && index.descending.length > 0) out += `.desc(${index.descending.map(tsString).join(', ')})`
  if (index.unique) out += index.nullsNotDistinct ? '.unique().nullsNotDistinct()' : '.unique()'
  if (index.where !== undefined) out += `.where(${tsSql(index.where, imports)})`
  if (index.using !== undefined) out += `.using(${tsString(index.using)})`
  return out
}

/** `['a', 'b']`. */
export function tsStringList(values: readonly string[]): string {
  return `[${values.map(tsString).join(', ')}]`
}
