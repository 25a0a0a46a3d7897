/**
 * Whole-schema introspection: the live database read back into the models' plain-data specs
 * (`TableSpec`, `ColumnSpec`…), normalised so that a database built from the models introspects to
 * exactly the specs the models produce (`table.toSpec()`). What a dialect cannot give back exactly
 * is listed in its introspector (`postgres/postgres-introspector.ts`, `mysql/mysql-introspector.ts`,
 * `sqlite/sqlite-introspector.ts`), together with a `canonical…Table(spec)` function giving the spec
 * as that database keeps it.
 *
 * Each introspector runs a fixed number of catalog queries whatever the number of tables (one per
 * object kind, all requested schemas at once), never one per table.
 */
import type { ColumnSpec, TableSpec } from '../schema/spec.js'
import type { ColumnType, EnumType } from '../schema/types.js'
import type { Connection } from './dialect.js'
import { compact } from '../schema/util.js'
import { closingQuote } from './sql-quoted.js'

export interface SchemaSnapshot {
  /** Tables sorted by schema (the default schema, `schema` undefined, first) then name; see `sortTableSpec`. */
  readonly tables: readonly TableSpec[]
  /** PostgreSQL named enum types of the introspected schemas, used or not, sorted by schema then name. Empty elsewhere. */
  readonly enums: readonly EnumType[]
  /**
   * MySQL: the indexes InnoDB made for foreign keys, which `tables` does not show, with their real
   * names (`author_id`, `author_id_2`, the key's name…): a migration dropping such a foreign key
   * drops its index by that name. Not enumerable (see `withHidden`), so two snapshots of the same
   * schema compare equal whatever InnoDB named them. Absent elsewhere.
   */
  readonly foreignKeyIndexes?: readonly ForeignKeyIndex[]
  /**
   * SQLite: the `CREATE TRIGGER` statements of each table that has triggers, as SQLite keeps them,
   * by `JSON.stringify([schema ?? null, table])`: an offline script (`revision --autogenerate --sql`)
   * creates them again after rebuilding the table. Not enumerable (see `withHidden`). Absent elsewhere.
   */
  readonly triggers?: ReadonlyMap<string, readonly string[]>
}

/** An index InnoDB keeps for a foreign key (see `SchemaSnapshot.foreignKeyIndexes`). */
export interface ForeignKeyIndex {
  /** The table's schema, as in `TableSpec` (undefined for the current one). */
  readonly schema?: string
  readonly table: string
  readonly name: string
  readonly columns: readonly string[]
}

/**
 * `snapshot` with what a dialect reads beside its tables (`foreignKeyIndexes`, `triggers`) set as
 * non-enumerable properties: two snapshots of the same schema compare equal without them.
 */
export function withHidden(snapshot: SchemaSnapshot, hidden: Pick<SchemaSnapshot, 'foreignKeyIndexes' | 'triggers'>): SchemaSnapshot {
  const out = { ...snapshot }
  for (const [name, value] of Object.entries(hidden)) if (value !== undefined) Object.defineProperty(out, name, { value, enumerable: false })
  return out
}

export type IntrospectedObjectType =
  | 'schema'
  | 'table'
  | 'column'
  | 'index'
  | 'unique_constraint'
  | 'foreign_key_constraint'
  | 'check_constraint'
  | 'enum'

export interface IntrospectOptions {
  /**
   * Schemas (PostgreSQL), databases (MySQL) or attached databases (SQLite) to read. Default: the
   * connection's current schema (`current_schema()`), database (`DATABASE()`) or `main`. Objects of
   * the current schema are reported with `schema` undefined, as the models declare them; the others
   * carry their schema.
   */
  readonly schemas?: readonly string[]
  /**
   * Keep an object or not, as Alembic's `include_name`. Called with the schema name for `schema`;
   * for the others `parent.schema` is undefined for the current schema, and `parent.tableName` is
   * set for what belongs to a table. A primary key is not filtered.
   */
  readonly includeName?: (
    name: string,
    type: IntrospectedObjectType,
    parent: { schema?: string; tableName?: string },
  ) => boolean
  /** Table names left out (e.g. the version table), in every introspected schema. */
  readonly excludeTables?: readonly string[]
  /** Only these table names (`introspect --table`), in every introspected schema. */
  readonly tables?: readonly string[]
  /**
   * Called once every catalog query is sent, before their rows are read (not called when nothing
   * is to be read, nor by SQLite's, whose queries are answered as they are sent): a caller with
   * other work does it then, while the server answers.
   */
  readonly queued?: () => void
}

export interface Introspector {
  introspect(connection: Connection, options?: IntrospectOptions): Promise<SchemaSnapshot>
  /**
   * The connection's current schema (PostgreSQL `current_schema()`, MySQL `DATABASE()`, SQLite
   * `main`) and every user schema there is (not the system ones), in one query: what
   * `includeSchemas: true` compares, and the name models may give the default schema.
   */
  schemaNames(connection: Connection): Promise<SchemaNames>
  /**
   * `spec` as this database keeps it: what it cannot represent left out or spelled as it reads
   * back (autogenerate compares the models in this form, so that it never reports those).
   */
  canonicalTable(spec: TableSpec): TableSpec
  /**
   * A type given as SQL text (`sqlType('int4')`) as this database's catalog reads it back, or
   * `{kind:'custom'}` when it names none this reader knows. Absent where a type is kept as
   * written (SQLite).
   */
  parseType?(text: string, columnName: string): ColumnType
}

export interface SchemaNames {
  readonly current: string
  /** Sorted, the current one included. */
  readonly all: readonly string[]
}

// ---------------------------------------------------------------------------------------------
// Ordering

const byName = <T extends { readonly name?: string | undefined }>(a: T, b: T): number => compareText(a.name ?? '', b.name ?? '')

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The spec in the order introspection reports it: columns as declared, unique constraints, foreign
 * keys, checks and indexes by name. Apply it to the models' specs to compare them with a snapshot.
 */
export function sortTableSpec(spec: TableSpec): TableSpec {
  return {
    ...spec,
    uniques: [...spec.uniques].sort(byName),
    foreignKeys: [...spec.foreignKeys].sort(byName),
    checks: [...spec.checks].sort(byName),
    indexes: [...spec.indexes].sort(byName),
  }
}

/** Tables by schema (undefined first) then name, each sorted by `sortTableSpec`. */
export function sortTableSpecs(specs: readonly TableSpec[]): TableSpec[] {
  return specs
    .map(sortTableSpec)
    .sort((a, b) => (a.schema === b.schema ? 0 : a.schema === undefined ? -1 : b.schema === undefined ? 1 : compareText(a.schema, b.schema)) || compareText(a.name, b.name))
}

/** Enum types by schema (undefined first) then name. */
export function sortEnums(enums: readonly EnumType[]): EnumType[] {
  return [...enums].sort(
    (a, b) => (a.schema === b.schema ? 0 : a.schema === undefined ? -1 : b.schema === undefined ? 1 : compareText(a.schema, b.schema)) || compareText(a.name, b.name),
  )
}

// ---------------------------------------------------------------------------------------------
// Helpers shared by the introspectors

/** `object` without its `undefined` properties (specs never hold `undefined`, so they deep-equal). */
export const compactSpec = compact

/** No own property of `object` is undefined (`compactSpec` would return an equal copy). */
export function isCompact(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key) && (object as Record<string, unknown>)[key] === undefined) return false
  return true
}

/**
 * `compactSpec({ ...object, ...changes })`, or `object` itself when that would be an equal copy
 * (each change is the value `object` has, no property undefined): normalising thousands of
 * columns, most come out as they went in.
 */
export function withChanges<T extends object>(object: T, changes: Partial<T>): T {
  for (const key in changes) {
    if (Object.hasOwn(changes, key) && changes[key] !== object[key]) return compactSpec({ ...object, ...changes })
  }
  return isCompact(object) ? object : compactSpec({ ...object })
}

/** Whether two flat objects have the same own properties with the same values (`===`). */
export function shallowEqual(a: object, b: object): boolean {
  let count = 0
  for (const key in a) {
    if (!Object.hasOwn(a, key)) continue
    if (!Object.hasOwn(b, key) || (a as Record<string, unknown>)[key] !== (b as Record<string, unknown>)[key]) return false
    count++
  }
  for (const key in b) if (Object.hasOwn(b, key)) count--
  return count === 0
}

/** `list.map(f)`, or `list` itself when `f` returns every item unchanged. */
export function mapChanged<T>(list: readonly T[], f: (item: T) => T): T[] {
  let out: T[] | undefined
  for (let i = 0; i < list.length; i++) {
    const item = f(list[i]!)
    if (out === undefined && item !== list[i]) out = list.slice(0, i)
    out?.push(item)
  }
  return out ?? (list as T[])
}

/** What `includeName` is told of the table an object belongs to. */
export interface ParentRef {
  readonly schema?: string
  readonly tableName?: string
}

/**
 * `table`'s `ParentRef`, made once per table (a table's columns, indexes and constraints each pass
 * it to `includeName`: one object a table, not one a column).
 */
export function parentRefs<T>(of: (table: T) => { schema: string | undefined; name: string }): (table: T) => ParentRef {
  const made = new Map<T, ParentRef>()
  return (table) => {
    let parent = made.get(table)
    if (parent === undefined) {
      const { schema, name } = of(table)
      parent = compactSpec({ schema, tableName: name })
      made.set(table, parent)
    }
    return parent
  }
}

/** The filter of `options.includeName`, or one keeping everything. */
export function nameFilter(options: IntrospectOptions): NonNullable<IntrospectOptions['includeName']> {
  return options.includeName ?? (() => true)
}

/** A table being assembled from the rows of several queries. */
export interface TableDraft {
  readonly name: string
  /** The real schema name. */
  readonly schemaName: string
  /** `undefined` for the current schema, as in `TableSpec`. */
  readonly schema: string | undefined
  readonly comment: string | undefined
  readonly columns: ColumnSpec[]
  primaryKey: TableSpec['primaryKey']
  readonly uniques: TableSpec['uniques'][number][]
  readonly foreignKeys: TableSpec['foreignKeys'][number][]
  readonly checks: TableSpec['checks'][number][]
  readonly indexes: TableSpec['indexes'][number][]
}

export function newDraft(name: string, schemaName: string, currentSchema: string, comment: string | undefined): TableDraft {
  return {
    name,
    schemaName,
    schema: schemaName === currentSchema ? undefined : schemaName,
    comment,
    columns: [],
    primaryKey: undefined,
    uniques: [],
    foreignKeys: [],
    checks: [],
    indexes: [],
  }
}

export function finishDraft(draft: TableDraft): TableSpec {
  return sortTableSpec(
    compactSpec({
      name: draft.name,
      schema: draft.schema,
      columns: draft.columns,
      primaryKey: draft.primaryKey,
      uniques: draft.uniques,
      foreignKeys: draft.foreignKeys,
      checks: draft.checks,
      indexes: draft.indexes,
      comment: draft.comment,
    }),
  )
}

/** A driver value as text (MySQL returns some information_schema columns as Buffers). */
export function textOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'string') return value
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8')
  return String(value)
}

/** A driver value parsed as JSON when it came back as text (the `pg` driver already parses json). */
export function jsonOf<T>(value: unknown): T {
  const text = typeof value === 'string' || value instanceof Uint8Array ? textOf(value) : undefined
  return (text === undefined ? value : JSON.parse(text)) as T
}

/**
 * The index of the quote ending the literal that starts at `start` (`'…'`, `"…"` or a backquoted
 * identifier), -1 when it does not end: a doubled quote stays inside; with `backslashEscapes` a
 * backslash escapes the next character in a `'…'` string.
 */
export function endOfQuoted(text: string, start: number, backslashEscapes: boolean): number {
  const quote = text[start]!
  return closingQuote(text, start, quote, backslashEscapes && quote === "'")
}

/**
 * `text` without parentheses enclosing all of it: `((a > 0))` → `a > 0`, while `(a) + (b)` stays.
 * Quoted strings and identifiers are skipped.
 */
export function stripOuterParens(text: string, backslashEscapes = false): string {
  let out = text.trim()
  while (out.startsWith('(') && closingParen(out, 0, backslashEscapes) === out.length - 1) out = out.slice(1, -1).trim()
  return out
}

function closingParen(text: string, open: number, backslashEscapes: boolean): number {
  let depth = 0
  for (let i = open; i < text.length; i++) {
    const ch = text[i]!
    if (ch === "'" || ch === '"' || ch === '`') {
      const end = endOfQuoted(text, i, backslashEscapes)
      if (end === -1) return -1
      i = end
    } else if (ch === '(') {
      depth++
    } else if (ch === ')') {
      depth--
      if (depth === 0) return i
    }
  }
  return -1
}

/**
 * A JS number for a numeric literal, a bigint for an integer beyond 2^53, and the text itself for a
 * decimal a number would round (`12345678901234567.8901`): a string default on a numeric column is
 * written back quoted, which the database reads as the same exact value.
 */
export function numberOf(text: string): number | bigint | string {
  if (/^-?\d+$/.test(text)) {
    const value = Number(text)
    return Number.isSafeInteger(value) ? value : BigInt(text)
  }
  const value = Number(text)
  return exactDecimal(String(value)) === exactDecimal(text) ? value : text
}

/**
 * A decimal literal in one canonical spelling, exactly (no floating point): `-1.50`, `-1.5` and
 * `-15e-1` give `-1.5`; `1e3` and `1000.0` give `1000`; `-0` gives `0`. Undefined for anything else.
 */
export function exactDecimal(text: string): string | undefined {
  const m = /^([-+]?)(\d*)(?:\.(\d*))?(?:[eE]([-+]?\d+))?$/.exec(text.trim())
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return undefined
  const digits = `${m[2]}${m[3] ?? ''}`
  // The value is 0.<digits> × 10^point.
  let point = m[2]!.length + Number(m[4] ?? 0)
  const lead = digits.search(/[^0]/)
  if (lead === -1) return '0'
  const significant = digits.slice(lead).replace(/0+$/, '')
  point -= lead
  const whole = point <= 0 ? '0' : significant.slice(0, point).padEnd(point, '0')
  const fraction = point < 0 ? `${'0'.repeat(-point)}${significant}` : significant.slice(point)
  return `${m[1] === '-' ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`
}

/** A decimal literal: `-12`, `1.5`, `.5`, `1e10`. */
export const NUMERIC_LITERAL = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/

/** The columns PostgreSQL's introspector read as `autoincrement()` that are `serial` ones, not identity columns. */
const SERIAL_COLUMNS = new WeakSet<ColumnSpec>()

/** Marks `column` (as introspected) a `serial` column: a sequence of its own as default. */
export function markSerialColumn(column: ColumnSpec): void {
  SERIAL_COLUMNS.add(column)
}

/**
 * Whether `column`, as the introspector read it, is a PostgreSQL `serial` column:
 * `autoincrement()` like an identity column, but its identity statements fail on it.
 */
export function isSerialColumn(column: ColumnSpec): boolean {
  return SERIAL_COLUMNS.has(column)
}
