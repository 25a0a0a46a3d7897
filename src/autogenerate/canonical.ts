/**
 * Model specs in the form the database keeps them, and the comparisons autogenerate makes on
 * them: types with per-dialect synonyms (`int4`/`integer`, `int(11)`/`int`, `bool`/`tinyint(1)`,
 * `character varying`/`varchar`, `timestamptz`), server defaults (`'x'` vs `'x'::text`, `now()` vs
 * `CURRENT_TIMESTAMP`, `5` vs `'5'`), expressions (see `expressions.ts`).
 *
 * The dialect's own canonical function (its introspector's `canonicalTable`) runs first: what the
 * database cannot represent never shows as a change. The dialect is the one autogenerate read the
 * database with (`loadedDialect`): comparing loads none of the others.
 */
import type { DialectName } from '../dialects/dialect.js'
import { compactSpec, exactDecimal, mapChanged, type Introspector } from '../dialects/introspector.js'
import { loadedDialect } from '../dialects/registry.js'
import type { ColumnSpec, DefaultValue, TableSpec } from '../schema/spec.js'
import { SqlFragment } from '../schema/sql.js'
import type { ColumnType } from '../schema/types.js'
import { expressionLiteral, fragmentText, normalizeExpression, temporalText } from './expressions.js'

// ---------------------------------------------------------------------------------------------
// Tables

/** `spec` as `dialect` keeps it, with `sqlType(…)` synonyms resolved to the types they name. */
export function canonicalTable(spec: TableSpec, dialect: DialectName): TableSpec {
  const table = introspectorOf(dialect).canonicalTable(spec)
  switch (dialect) {
    case 'postgresql': {
      return { ...table, columns: mapChanged(table.columns, (c) => serialColumn(c) ?? withType(c, canonicalType(c.type, dialect, c.name))) }
    }
    case 'mysql': {
      return {
        ...table,
        columns: mapChanged(table.columns, (c) => (isMysqlSerial(c) ? { ...c, type: MYSQL_SERIAL_TYPE, nullable: false, autoincrement: true } : withType(c, canonicalType(c.type, dialect, c.name)))),
        uniques: withSerialKeys(table),
        // InnoDB makes a non-unique HASH index a BTREE one (the introspector's header lists it; its canonical function does not apply it).
        indexes: table.indexes.map((ix) => (!ix.unique && ix.using === 'HASH' ? compactSpec({ ...ix, using: undefined }) : ix)),
      }
    }
    case 'sqlite':
      return table
  }
}

/** The integer type of each PostgreSQL `serial` pseudo-type. */
const SERIAL_TYPES: Readonly<Record<string, ColumnType>> = {
  serial: { kind: 'integer' },
  serial4: { kind: 'integer' },
  smallserial: { kind: 'smallint' },
  serial2: { kind: 'smallint' },
  bigserial: { kind: 'bigint' },
  serial8: { kind: 'bigint' },
}

/**
 * A `sqlType('serial')` column as PostgreSQL makes it: its integer type, NOT NULL, and a sequence
 * of its own as default, which reads as `autoincrement()`. Undefined for any other column.
 */
function serialColumn(column: ColumnSpec): ColumnSpec | undefined {
  if (column.type.kind !== 'custom') return undefined
  const name = column.type.sql.trim().toLowerCase()
  return Object.hasOwn(SERIAL_TYPES, name) ? { ...column, type: SERIAL_TYPES[name]!, nullable: false, autoincrement: true } : undefined
}

/** MySQL's `SERIAL`: `BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE`. */
const MYSQL_SERIAL_TYPE: ColumnType = { kind: 'bigint', unsigned: true }

function isMysqlSerial(column: ColumnSpec): boolean {
  return column.type.kind === 'custom' && column.type.sql.trim().toLowerCase() === 'serial'
}

/**
 * `table`'s unique constraints with the one MySQL gives each `SERIAL` column, named after it: a key
 * of its own even where the column is the primary key or has another (created by a separate clause).
 */
function withSerialKeys(table: TableSpec): TableSpec['uniques'] {
  const added = table.columns
    .filter((c) => isMysqlSerial(c) && !table.uniques.some((u) => u.name === c.name))
    .map((c) => ({ name: c.name, columns: [c.name] }))
  return added.length === 0 ? table.uniques : [...table.uniques, ...added]
}

/** The introspector of a loaded dialect (one instance per dialect). */
function introspectorOf(dialect: DialectName): Introspector {
  const introspector = loadedDialect(dialect).introspector?.()
  if (introspector === undefined) throw new Error(`the ${dialect} dialect has no introspector`)
  return introspector
}

/** `column` with `type`: itself when the type is its own (only `sqlType(…)` columns change here). */
function withType(column: ColumnSpec, type: ColumnType): ColumnSpec {
  return type === column.type ? column : { ...column, type }
}

// ---------------------------------------------------------------------------------------------
// Types

/** PostgreSQL spellings `format_type` would print for common synonyms (the serial types: `SERIAL_TYPES`). */
const POSTGRES_SYNONYMS: readonly [RegExp, string][] = [
  [/^(?:int|int4|integer)$/, 'integer'],
  [/^(?:int2|smallint)$/, 'smallint'],
  [/^(?:int8|bigint)$/, 'bigint'],
  [/^(?:bool|boolean)$/, 'boolean'],
  [/^(?:float4|real)$/, 'real'],
  [/^(?:float8|double precision|float)$/, 'double precision'],
  [/^(?:decimal|numeric|dec)$/, 'numeric'],
  [/^(?:decimal|numeric|dec)\s*\((\d+)\)$/, 'numeric($1,0)'],
  [/^(?:decimal|numeric|dec)\s*\((\d+)\s*,\s*(\d+)\)$/, 'numeric($1,$2)'],
  [/^(?:varchar|(?:national )?(?:character|char) varying|nchar varying)$/, 'character varying'],
  [/^(?:varchar|(?:national )?(?:character|char) varying|nchar varying)\s*\((\d+)\)$/, 'character varying($1)'],
  [/^(?:char|character|nchar|national (?:character|char))$/, 'character(1)'],
  [/^(?:char|character|bpchar|nchar|national (?:character|char))\s*\((\d+)\)$/, 'character($1)'],
  [/^timestamptz$/, 'timestamp with time zone'],
  [/^timestamptz\s*\((\d)\)$/, 'timestamp($1) with time zone'],
  [/^timestamp$/, 'timestamp without time zone'],
  [/^timestamp\s*\((\d)\)$/, 'timestamp($1) without time zone'],
  [/^timestamp\s*(\(\d\))?\s*(with|without) time zone$/, 'timestamp$1 $2 time zone'],
  [/^timetz$/, 'time with time zone'],
  [/^timetz\s*\((\d)\)$/, 'time($1) with time zone'],
  [/^time$/, 'time without time zone'],
  [/^time\s*\((\d)\)$/, 'time($1) without time zone'],
  [/^time\s*(\(\d\))?\s*(with|without) time zone$/, 'time$1 $2 time zone'],
  [/^(?:varbit|bit varying)$/, 'bit varying'],
  [/^(?:varbit|bit varying)\s*\((\d+)\)$/, 'bit varying($1)'],
  [/^bit$/, 'bit(1)'],
  [/^bit\s*\((\d+)\)$/, 'bit($1)'],
]

/** MySQL spellings COLUMN_TYPE would show for common synonyms. */
const MYSQL_SYNONYMS: readonly [RegExp, string][] = [
  [/^(?:bool|boolean)$/, 'tinyint(1)'],
  [/^integer\b/, 'int'],
  [/^(?:dec|fixed)\b/, 'decimal'],
  [/^double precision\b/, 'double'],
  [/^real$/, 'double'],
  [/^character varying\b/, 'varchar'],
  [/^character\b/, 'char'],
]

/**
 * PostgreSQL spellings before the synonyms: `pg_catalog.` dropped, array sizes and `ARRAY` as `[]`
 * (PostgreSQL keeps neither), `float(p)` as the type it stands for (real up to 24 bits, double
 * precision above).
 */
function postgresSpelling(text: string): string {
  const spelled = text
    .replace(/^pg_catalog\./, '')
    .replace(/\s*\[\d+\]/g, '[]')
    .replace(/\s+array(?:\s*\[\])?$/, '[]')
  const float = /^float\s*\((\d+)\)(.*)$/.exec(spelled)
  return float ? `${Number(float[1]) <= 24 ? 'real' : 'double precision'}${float[2]}` : spelled
}

function resolveSynonym(text: string, synonyms: readonly [RegExp, string][]): string {
  for (const [pattern, replacement] of synonyms) if (pattern.test(text)) return text.replace(pattern, replacement)
  return text
}

/** A type as the dialect reports it: `sqlType('int4')` on PostgreSQL is `integer()`, `sqlType('INT(11)')` on MySQL too. */
export function canonicalType(type: ColumnType, dialect: DialectName, columnName: string): ColumnType {
  if (type.kind === 'array') return compactSpec({ ...type, itemType: canonicalType(type.itemType, dialect, columnName) })
  if (type.kind !== 'custom') return type
  const text = type.sql.trim().replace(/\s+/g, ' ').toLowerCase()
  switch (dialect) {
    case 'postgresql': {
      const spelled = postgresSpelling(text)
      const array = /^(.*?)((?:\[\])+)$/.exec(spelled)
      if (array) {
        const dimensions = array[2]!.length / 2
        const itemType = canonicalType({ kind: 'custom', sql: array[1]!.trim() }, dialect, columnName)
        return compactSpec({ kind: 'array' as const, itemType, dimensions: dimensions > 1 ? dimensions : undefined })
      }
      const introspector = introspectorOf(dialect)
      const parsed = introspector.parseType!(resolveSynonym(spelled, POSTGRES_SYNONYMS), columnName)
      return parsed.kind === 'custom' ? { kind: 'custom', sql: parsed.sql } : (introspector.canonicalTable(oneColumn(parsed)).columns[0]!.type)
    }
    case 'mysql': {
      const parsed = introspectorOf(dialect).parseType!(resolveSynonym(text, MYSQL_SYNONYMS), columnName)
      return parsed.kind === 'custom' ? { kind: 'custom', sql: parsed.sql.toLowerCase() } : parsed
    }
    case 'sqlite':
      return { kind: 'custom', sql: text }
  }
}

function oneColumn(type: ColumnType): TableSpec {
  return { name: '_', columns: [{ name: '_', type, nullable: true }], uniques: [], foreignKeys: [], checks: [], indexes: [] }
}

/**
 * Whether two canonical types are the same. PostgreSQL enum types compare by name and schema
 * (their values are compared as types of their own); `schemaOf` gives a column's enum schema.
 */
export function sameType(a: ColumnType, b: ColumnType, dialect: DialectName): boolean {
  if (a.kind === 'array' && b.kind === 'array') return (a.dimensions ?? 1) === (b.dimensions ?? 1) && sameType(a.itemType, b.itemType, dialect)
  if (dialect === 'postgresql' && a.kind === 'enum' && b.kind === 'enum') return a.name === b.name && a.schema === b.schema
  if (a.kind === 'custom' && b.kind === 'custom') return a.sql.trim().replace(/\s+/g, ' ').toLowerCase() === b.sql.trim().replace(/\s+/g, ' ').toLowerCase()
  if (a.kind !== b.kind) return false
  const flat = sameFlatObject(a, b)
  return flat ?? stableJson(a) === stableJson(b)
}

/**
 * Whether two objects whose values are primitives or arrays of primitives have the same entries
 * (undefined values counting as absent); undefined when another value is met. A fast path of
 * `stableJson(a) === stableJson(b)`: autogenerate compares every column's type.
 */
function sameFlatObject(a: object, b: object): boolean | undefined {
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  // for…in with Object.hasOwn (Object.keys' keys) allocates no key list or [key, value] pairs: every column's type comes here.
  for (const k in x) {
    if (!Object.hasOwn(x, k)) continue
    const v = x[k]
    const w = y[k]
    if (Array.isArray(v)) {
      if (!Array.isArray(w) || v.length !== w.length) return Array.isArray(w) || w === undefined ? false : undefined
      for (let i = 0; i < v.length; i++) if (typeof v[i] === 'object' || v[i] !== w[i]) return typeof v[i] === 'object' ? undefined : false
    } else if (typeof v === 'object' && v !== null) return undefined
    else if (v !== w) return false
  }
  for (const k in y) if (Object.hasOwn(y, k) && y[k] !== undefined && x[k] === undefined) return false
  return true
}

/** JSON with sorted keys, for deep comparison of plain data. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`
    if (v instanceof SqlFragment) return { sql: v.strings, values: v.values }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
    }
    return v
  })
}

/** Describes a type the way the dialect writes it in DDL: `VARCHAR(50)`, `NUMERIC(10, 2)`, `"user_status"`. */
export function describeType(type: ColumnType, dialect: DialectName): string {
  // SQLite writes an enum as VARCHAR: say what it holds.
  if (dialect === 'sqlite' && type.kind === 'enum') return `ENUM(${type.values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')})`
  const compiler = loadedDialect(dialect).ddlCompiler() as unknown as { typeSql(type: ColumnType, context: { tableName: string; schema: undefined }): string }
  try {
    return compiler.typeSql(type, { tableName: '', schema: undefined })
  } catch {
    return type.kind === 'custom' ? type.sql : type.kind.toUpperCase()
  }
}

// ---------------------------------------------------------------------------------------------
// Defaults

const NUMERIC_KINDS = new Set(['integer', 'smallint', 'bigint', 'numeric', 'real', 'double'])
const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1'])
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0'])

function baseKind(type: ColumnType): string {
  if (type.kind === 'custom') {
    const text = type.sql.toLowerCase()
    if (/^(?:tinyint|mediumint|int|integer|smallint|bigint|decimal|numeric|float|double|real)\b/.test(text)) return 'numeric'
    if (/^(?:datetime|timestamp|date|time)\b/.test(text)) return 'timestamp'
    return 'custom'
  }
  if (NUMERIC_KINDS.has(type.kind)) return 'numeric'
  if (type.kind === 'timestamp' || type.kind === 'date' || type.kind === 'time') return 'timestamp'
  return type.kind
}

/**
 * `2020-01-01` and `2020-01-01 00:00:00` alike (and `2020-1-1`); `10:00` and `10:00:00` alike. With a
 * time zone (`timezone`), an offset is applied: `2020-01-01 00:00:00+02` is `2019-12-31 22:00:00`,
 * as PostgreSQL stores it; without one, an offset is what PostgreSQL ignores.
 */
function temporalKey(text: string, timezone: boolean): string | undefined {
  const trimmed = text.trim()
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(.*)$/.exec(trimmed)
  if (m) {
    const rest = m[8] ?? ''
    const offset = /^(?:([+-])(\d{1,2})(?::?(\d{2}))?|Z|UTC|GMT)$/i.exec(rest)
    if (offset !== null && timezone) {
      const sign = offset[1] === '-' ? -1 : 1
      const minutes = offset[2] === undefined ? 0 : sign * (Number(offset[2]) * 60 + Number(offset[3] ?? 0))
      const at = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0) - minutes, Number(m[6] ?? 0))).toISOString()
      return `${temporalText(`${at.slice(0, 10)} ${at.slice(11, 19)}${m[7] ?? ''}`)} UTC`
    }
    // The date and time in one spelling (`temporalText`); an offset without a time zone is what PostgreSQL ignores.
    const moment = temporalText(trimmed.slice(0, trimmed.length - rest.length).trim())!
    return offset !== null || rest === '' ? moment : `${moment} ${rest}`
  }
  const t = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?$/.exec(text.trim())
  if (t) return `${t[1]}:${t[2]}:${t[3] ?? '00'}${(t[4] ?? '').replace(/0+$/, '').replace(/^\.$/, '')}`
  return undefined
}

/** The value of a literal default by the column's type: `'5'` on an integer is 5, `'t'` on a boolean is true. */
function literalKey(kind: 'string' | 'number' | 'boolean', value: string | boolean, type: ColumnType): string {
  const base = baseKind(type)
  if (kind === 'boolean') return `b:${value}`
  const text = String(value)
  if (base === 'boolean') {
    const lower = text.trim().toLowerCase()
    if (TRUE_WORDS.has(lower)) return 'b:true'
    if (FALSE_WORDS.has(lower)) return 'b:false'
  }
  if (kind === 'number' || base === 'numeric' || base === 'boolean') {
    // By exact decimal value: `1.50` = `1.5`, but `12345678901234567.8901` ≠ `12345678901234568`.
    const n = exactDecimal(text)
    if (n !== undefined) return kind === 'number' && base !== 'numeric' && base !== 'boolean' ? `s:${text}` : `n:${n}`
  }
  if (base === 'timestamp') {
    const t = temporalKey(text, type.kind === 'timestamp' && type.timezone === true)
    if (t !== undefined) return `t:${t}`
  }
  if (base === 'json' || base === 'jsonb') {
    // By value: PostgreSQL's jsonb (and MySQL's JSON) keep their own spacing and key order.
    try {
      return `j:${canonicalJson(JSON.parse(text))}`
    } catch {
      // not JSON: compared as text
    }
  }
  if (base === 'uuid') return `s:${text.toLowerCase()}`
  if (type.kind === 'set') {
    // MySQL keeps a SET's members in the order of the type's values.
    const members = new Set(text.split(','))
    if ([...members].every((m) => type.values.includes(m))) return `s:${type.values.filter((v) => members.has(v)).join(',')}`
  }
  return `s:${text}`
}

/** JSON with object keys sorted, no spacing. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value)
}

/**
 * A key that two equal defaults of a column of `type` share: literals by value (typed by the
 * column), expressions by their canonical text. `undefined` for no default (and `NULL`).
 */
export function defaultKey(value: DefaultValue | null | undefined, type: ColumnType, dialect: DialectName): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'boolean') return literalKey('boolean', value, type)
  if (typeof value === 'number' || typeof value === 'bigint') return literalKey('number', String(value), type)
  if (typeof value === 'string') return literalKey('string', value, type)
  const literal = expressionLiteral(value, dialect)
  if (literal !== undefined) {
    if (literal.kind === 'null') return undefined
    return literalKey(literal.kind, literal.value, type)
  }
  return `x:${normalizeExpression(value, dialect)}`
}

/** Whether two defaults of a column of `type` are the same on `dialect`. */
export function sameDefault(a: DefaultValue | null | undefined, b: DefaultValue | null | undefined, type: ColumnType, dialect: DialectName): boolean {
  if (a === b || ((a === undefined || a === null) && (b === undefined || b === null))) return true
  if (a instanceof SqlFragment && b instanceof SqlFragment && a.isPlainText && b.isPlainText && a.strings[0] === b.strings[0]) return true
  return defaultKey(a, type, dialect) === defaultKey(b, type, dialect)
}

/** A default as SQL-ish text for messages: `'active'`, `0`, `CURRENT_TIMESTAMP`, `none`. */
export function describeDefault(value: DefaultValue | null | undefined, dialect: DialectName): string {
  if (value === undefined || value === null) return 'none'
  if (value instanceof SqlFragment) return fragmentText(value, dialect)
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`
  return String(value)
}

/** The column's default, for `existingServerDefault` (`null`: none). */
export function existingDefault(column: ColumnSpec): DefaultValue | null {
  return column.serverDefault ?? null
}
