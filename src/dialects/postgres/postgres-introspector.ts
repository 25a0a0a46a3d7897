/**
 * PostgreSQL introspection: one catalog query whatever the number of tables, all requested schemas
 * at once: the current schema, then the tables, enum types, columns, constraints and indexes, each
 * object kind a JSON array of rows (one round trip: the server reads the catalog while the client
 * does other work, where six queries in a row would each wait for the one before). Views,
 * materialized views, partitions (their partitioned parent is reported), sequences, triggers,
 * routines, extension-owned objects and other schemas are ignored.
 *
 * Normalisation, so that the DDL of `PostgresDdlCompiler` reads back as the spec it came from:
 * - Types from `format_type`: `integer`/`int4` → integer, `character varying(n)` → varchar n,
 *   `character(n)` → char n, `double precision` → double, `numeric(p,s)` → numeric (scale 0
 *   omitted, see below), `time[stamp](p) with[out] time zone` → time/timestamp {precision, timezone},
 *   `bytea` → binary, arrays from the element type and `attndims` (dimensions omitted when 1),
 *   enum types (by oid, arrays of them too) → `{kind:'enum', name, values}` with `schema` only when
 *   the type is not in the table's schema; anything else (`tsvector`, `inet`, domains, `interval day`,
 *   `bit(3)`, types of other schemas) → `{kind:'custom', sql: format_type text}`.
 * - Defaults from `pg_get_expr(…, pretty)`: `'x'::character varying` → `'x'` (any cast of a single
 *   string literal: the string), `'-1'::integer` and bare numbers → numbers (bigint beyond 2^53),
 *   `true`/`false` → booleans, `NULL::type` → no default, `nextval('t_id_seq'::regclass)` of the
 *   sequence the column owns (SERIAL) → `autoincrement: true` and no default; anything else → a `sql`
 *   fragment of PostgreSQL's text without enclosing parentheses (`CURRENT_TIMESTAMP`, `now()`, `1 + 2`).
 * - Identity columns → `autoincrement: true`, plus `identity` only for what differs from
 *   `BY DEFAULT … START WITH 1 INCREMENT BY 1` (`always`, `start`, `increment`).
 * - Collation only when it differs from the type's default; comments from `pg_description`.
 * - Constraints keep their names (PostgreSQL names unnamed ones: `t_pkey`, `t_a_key`, `t_a_fkey`,
 *   `t_a_check`; a migration needs the name to drop them). Unique constraints → `uniques`; unique
 *   indexes that back no constraint → `indexes` with `unique: true`. Foreign keys: actions other than
 *   NO ACTION, `match` only when FULL/PARTIAL, `deferrable: true` and `initially: 'DEFERRED'` only
 *   when set; `nullsNotDistinct: true` on unique constraints and unique indexes (PostgreSQL 15, read
 *   through `to_jsonb` of the pg_index row, so the statement runs on older servers too). Checks: `pg_get_constraintdef(…, pretty)` without its `CHECK (…)` wrapper.
 * - Indexes: plain columns by name, expressions as `sql` fragments (no enclosing parentheses),
 *   `where` from the predicate, `using` unless btree, `descending` (DESC columns). Not representable,
 *   so dropped: NULLS order, the order of expressions, operator classes, per-column collations and INCLUDE columns; exclusion constraints are
 *   not reported at all. Generated columns carry their expression (`generated`, STORED).
 *
 * What cannot be inverted exactly (see `canonicalPostgresTable`, which maps a spec to what this
 * introspector reports for it):
 * - `numeric(10)` is stored as `numeric(10,0)`: a zero scale is reported omitted, so `numeric(10, 0)` reads back as `numeric(10)`.
 * - `char()` without a length is `character(1)`; `binary({length})` is `bytea` (length lost); `unsigned` does not exist.
 * - `array(…, {dimensions: 1})` reads back without `dimensions`.
 * - Identity columns are NOT NULL whatever was declared; `identity()` without options and
 *   `identity({always: false, start: 1, increment: 1})` read back as plain `autoincrement()`.
 * - Foreign keys: `NO ACTION`, `MATCH SIMPLE`, `deferrable: false`, `initially: 'IMMEDIATE'` are the defaults and read back omitted.
 * - `using('btree')` reads back omitted; methods read back lower-case.
 * - Expressions (checks, defaults, index expressions and predicates) read back as PostgreSQL
 *   re-prints them: casts appear (`price > 0::numeric` on a numeric column, `email::text` on a
 *   varchar), keywords are upper-cased and redundant parentheses dropped. An expression already in
 *   that form (`qty > 0` on an integer, `lower(email)` on text, `deleted_at IS NULL`) reads back
 *   unchanged; a comparator must compare the others by their re-printed form.
 * - Literal defaults of non-string types read back as PostgreSQL prints the stored value
 *   (`'2020-01-01'` on a timestamp → `'2020-01-01 00:00:00'`, `'5'` on an integer → 5).
 */
import type { CheckSpec, ColumnSpec, DefaultValue, ForeignKeySpec, IndexSpec, ReferentialAction, TableSpec, UniqueSpec } from '../../schema/spec.js'
import { sql, SqlFragment } from '../../schema/sql.js'
import { columnSpecOf } from '../../schema/util.js'
import type { ColumnType, EnumType } from '../../schema/types.js'
import type { Connection } from '../dialect.js'
import {
  compactSpec,
  finishDraft,
  isCompact,
  jsonOf,
  mapChanged,
  nameFilter,
  parentRefs,
  markSerialColumn,
  newDraft,
  NUMERIC_LITERAL,
  numberOf,
  shallowEqual,
  sortEnums,
  sortTableSpecs,
  stripOuterParens,
  textOf,
  type IntrospectOptions,
  type Introspector,
  type SchemaNames,
  type SchemaSnapshot,
  type ParentRef,
  type TableDraft,
  withChanges,
} from '../introspector.js'

/** A catalog row: the values of one of the `*_FIELDS` lists, in its order. */
type Row = readonly unknown[]

const NOT_EXTENSION_MEMBER = (classCatalog: string, oid: string): string =>
  `NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend x WHERE x.classid = '${classCatalog}'::regclass AND x.objid = ${oid} AND x.deptype = 'e')`

/** The schemas read: `$1`, or when it is NULL the current one (`public` when the search path names none). */
const CURRENT_SCHEMA = `COALESCE(current_schema(), 'public')`
const SCHEMAS = `COALESCE($1::text[], ARRAY[${CURRENT_SCHEMA}::text])`

/**
 * Ordinary and partitioned tables of the schemas, not partitions, not extension members; with their
 * comment. `$2`: only these names (or NULL), `$3`: not these. The queries below read the tables it
 * selects (`IN (SELECT relid FROM tabs)`), before `includeName` drops some: their rows are skipped.
 */
const TABLES_SQL = `
SELECT c.oid AS relid, c.oid::int8 AS oid, n.nspname AS schema, c.relname AS name, d.description AS comment
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND n.nspname = ANY(${SCHEMAS})
  AND ($2::text[] IS NULL OR c.relname = ANY($2::text[]))
  AND NOT (c.relname = ANY($3::text[]))
  AND ${NOT_EXTENSION_MEMBER('pg_catalog.pg_class', 'c.oid')}`

/** Enum types of the schemas (used or not), and those of other schemas the tables' columns use. */
const ENUMS_SQL = `
SELECT t.oid::int8 AS oid, n.nspname AS schema, t.typname AS name,
  json_agg(e.enumlabel ORDER BY e.enumsortorder) AS labels,
  (n.nspname = ANY(${SCHEMAS}) AND ${NOT_EXTENSION_MEMBER('pg_catalog.pg_type', 't.oid')}) AS listed
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
WHERE n.nspname = ANY(${SCHEMAS})
   OR t.oid IN (
     SELECT CASE WHEN ty.typcategory = 'A' THEN ty.typelem ELSE ty.oid END
     FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
     WHERE a.attrelid IN (SELECT relid FROM tabs) AND a.attnum > 0)
GROUP BY t.oid, n.nspname, t.typname`

/**
 * Columns, in order. `owned_nextval` is the `nextval(…)` text of the sequence the column owns
 * (SERIAL: deptype 'a'; identity: 'i'), spelled as `pg_get_expr` spells the default calling it;
 * the owned sequences are read in one join (a lookup per column costs the server more). A default
 * cannot refer to a column, so it is printed without its table (`pg_get_expr` given a table opens
 * it, and on a new connection opening every table costs the server more than the rest of the
 * query); a generated column's expression does refer to columns, and gets its table.
 */
const COLUMNS_SQL = `
SELECT a.attrelid::int8 AS table_oid, a.attnum AS num, a.attname AS name, a.attnotnull AS not_null, a.attndims AS dims,
  pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, t.oid::int8 AS type_oid, t.typtype AS typtype,
  et.oid::int8 AS elem_oid, et.typtype AS elem_typtype,
  CASE WHEN et.oid IS NOT NULL THEN pg_catalog.format_type(et.oid, a.atttypmod) END AS elem_type,
  CASE WHEN a.attgenerated = '' THEN pg_catalog.pg_get_expr(ad.adbin, 0, true) ELSE pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true) END AS default_expr,
  a.attidentity AS identity, a.attgenerated AS generated,
  CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname END AS collation,
  d.description AS comment,
  seq.nextval AS owned_nextval, seq.start AS seq_start, seq.increment AS seq_increment
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_catalog.pg_type et ON t.typcategory = 'A' AND t.typelem <> 0 AND et.oid = t.typelem
LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_catalog.pg_description d ON d.objoid = a.attrelid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = a.attnum
LEFT JOIN (
  SELECT DISTINCT ON (dep.refobjid, dep.refobjsubid) dep.refobjid, dep.refobjsubid,
    pg_catalog.format('nextval(%L::regclass)', s.seqrelid::regclass::text) AS nextval, s.seqstart::text AS start, s.seqincrement::text AS increment
  FROM pg_catalog.pg_depend dep JOIN pg_catalog.pg_sequence s ON s.seqrelid = dep.objid
  WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass
    AND dep.refobjid IN (SELECT relid FROM tabs) AND dep.deptype IN ('a', 'i')
) seq ON seq.refobjid = a.attrelid AND seq.refobjsubid = a.attnum
WHERE a.attrelid IN (SELECT relid FROM tabs) AND a.attnum > 0 AND NOT a.attisdropped`

/**
 * The name of column `num` of table `relid`: one index lookup (a join of the key numbers with
 * pg_attribute is planned as a hash of the table's every column, per constraint or index).
 */
const attributeName = (relid: string, num: string): string =>
  `(SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = ${relid} AND a.attnum = ${num})`

/**
 * Whether the pg_index row `row` is NULLS NOT DISTINCT: its `indnullsnotdistinct` read through
 * JSON, so that the statement also runs before PostgreSQL 15 (no such column: NULL, read as false).
 */
const NULLS_NOT_DISTINCT = (row: string): string => `(to_jsonb(${row}) ->> 'indnullsnotdistinct') = 'true'`

/** Primary keys, unique constraints, foreign keys (not the per-partition clones) and checks. */
const CONSTRAINTS_SQL = `
SELECT c.conrelid::int8 AS table_oid, c.conname AS name, c.contype AS type,
  c.condeferrable AS deferrable, c.condeferred AS deferred,
  c.confupdtype AS on_update, c.confdeltype AS on_delete, c.confmatchtype AS match_type,
  (SELECT json_agg(${attributeName('c.conrelid', 'k.num')} ORDER BY k.i) FROM unnest(c.conkey) WITH ORDINALITY k(num, i)) AS columns,
  rn.nspname AS ref_schema, rc.relname AS ref_table,
  (SELECT json_agg(${attributeName('c.confrelid', 'k.num')} ORDER BY k.i) FROM unnest(c.confkey) WITH ORDINALITY k(num, i)) AS ref_columns,
  CASE WHEN c.contype = 'c' THEN pg_catalog.pg_get_constraintdef(c.oid, true) END AS definition,
  CASE WHEN c.contype = 'u' THEN ${NULLS_NOT_DISTINCT('(SELECT x FROM pg_catalog.pg_index x WHERE x.indexrelid = c.conindid)')} END AS nulls_not_distinct
FROM pg_catalog.pg_constraint c
LEFT JOIN pg_catalog.pg_class rc ON rc.oid = c.confrelid
LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
WHERE c.conrelid IN (SELECT relid FROM tabs) AND c.contype IN ('p', 'u', 'f', 'c') AND c.conparentid = 0`

/**
 * Indexes that back no primary key, unique or exclusion constraint; one entry per key column, with
 * its definition only for an expression (`pg_get_indexdef` opens the index: slow on a new connection).
 */
const INDEXES_SQL = `
SELECT i.indrelid::int8 AS table_oid, ic.relname AS name, i.indisunique AS is_unique, am.amname AS method,
  (SELECT json_agg(json_build_object('column', a.attname, 'definition', CASE WHEN i.indkey[k.n - 1] = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.n, true) END, 'desc', (i.indoption[k.n - 1] & 1) = 1) ORDER BY k.n)
     FROM generate_series(1, i.indnkeyatts::int) k(n)
     LEFT JOIN LATERAL (SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n - 1]) a ON true) AS keys,
  pg_catalog.pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
  CASE WHEN i.indisunique THEN ${NULLS_NOT_DISTINCT('i')} END AS nulls_not_distinct
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = ic.relam
WHERE i.indrelid IN (SELECT relid FROM tabs)
  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint c
                  WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x'))`

/**
 * The rows of `query` as a JSON array of arrays of `fields` (a third of the bytes of objects, for
 * the server to write and the client to parse), in `order` (of the row `r`); NULL for none.
 */
const jsonRows = (query: string, fields: readonly string[], order: string): string =>
  `(SELECT json_agg(json_build_array(${fields.map((f) => `r.${f}`).join(', ')}) ORDER BY ${order}) FROM (${query}) r)`

const TABLE_FIELDS = ['oid', 'schema', 'name', 'comment'] as const
const ENUM_FIELDS = ['oid', 'schema', 'name', 'labels', 'listed'] as const
const COLUMN_FIELDS = [
  'table_oid', 'num', 'name', 'not_null', 'dims', 'type', 'type_oid', 'typtype', 'elem_oid', 'elem_typtype', 'elem_type',
  'default_expr', 'identity', 'generated', 'collation', 'comment', 'owned_nextval', 'seq_start', 'seq_increment',
] as const
const CONSTRAINT_FIELDS = [
  'table_oid', 'name', 'type', 'deferrable', 'deferred', 'on_update', 'on_delete', 'match_type', 'columns', 'ref_schema', 'ref_table', 'ref_columns', 'definition',
  'nulls_not_distinct',
] as const
const INDEX_FIELDS = ['table_oid', 'name', 'is_unique', 'method', 'keys', 'predicate', 'nulls_not_distinct'] as const

/** `{ field: position }` of a field list: a row of `jsonRows` is read as `row[COLUMN.name]`. */
function positions<const F extends readonly string[]>(fields: F): { readonly [K in F[number]]: number } {
  return Object.fromEntries(fields.map((field, i) => [field, i])) as { readonly [K in F[number]]: number }
}

const TABLE = positions(TABLE_FIELDS)
const ENUM = positions(ENUM_FIELDS)
const COLUMN = positions(COLUMN_FIELDS)
const CONSTRAINT = positions(CONSTRAINT_FIELDS)
const INDEX = positions(INDEX_FIELDS)

/** The rows of a `jsonRows` column (arrays, read by position: no object per row). */
const rowsOf = (value: unknown): Row[] => jsonOf<Row[] | null>(value) ?? []

/**
 * Everything in one statement (parameters as in TABLES_SQL). JSON keeps the values as the queries
 * give them: int8 and int2 as numbers, booleans, text, and the json columns as parsed JSON.
 */
const INTROSPECT_SQL = `
WITH tabs AS (${TABLES_SQL})
SELECT ${CURRENT_SCHEMA} AS current,
  ${jsonRows('SELECT oid, schema, name, comment FROM tabs', TABLE_FIELDS, 'r.schema, r.name')} AS tables,
  ${jsonRows(ENUMS_SQL, ENUM_FIELDS, 'r.schema, r.name')} AS enums,
  ${jsonRows(COLUMNS_SQL, COLUMN_FIELDS, 'r.table_oid, r.num')} AS columns,
  ${jsonRows(CONSTRAINTS_SQL, CONSTRAINT_FIELDS, 'r.table_oid, r.name')} AS constraints,
  ${jsonRows(INDEXES_SQL, INDEX_FIELDS, 'r.table_oid, r.name')} AS indexes`

const ACTIONS: Readonly<Record<string, ReferentialAction | undefined>> = {
  a: undefined, // NO ACTION, the default: omitted as the models omit it
  r: 'RESTRICT',
  c: 'CASCADE',
  n: 'SET NULL',
  d: 'SET DEFAULT',
}

const MATCH: Readonly<Record<string, ForeignKeySpec['match']>> = { f: 'FULL', p: 'PARTIAL' }

export class PostgresIntrospector implements Introspector {
  canonicalTable(spec: TableSpec): TableSpec {
    return canonicalPostgresTable(spec)
  }

  parseType(text: string): ColumnType {
    return parsePostgresType(text)
  }

  async schemaNames(connection: Connection): Promise<SchemaNames> {
    const row = (
      await connection.query(
        `SELECT current_schema() AS current, array(SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname !~ '^pg_' AND nspname <> 'information_schema' ORDER BY 1) AS "all"`,
      )
    ).rows[0]
    const current = String(row?.['current'] ?? 'public')
    const all = jsonOf<unknown[]>(row?.['all'] ?? []).map(String)
    return { current, all: all.includes(current) ? all : [...all, current].sort() }
  }

  async introspect(connection: Connection, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
    const include = nameFilter(options)
    // The schemas asked for, filtered; undefined for the current one, which the query finds.
    const asked = options.schemas === undefined ? undefined : [...new Set(options.schemas)].filter((s) => include(s, 'schema', {}))
    if (asked !== undefined && asked.length === 0) return { tables: [], enums: [] }
    const reading = connection.query(INTROSPECT_SQL, [asked ?? null, options.tables ?? null, options.excludeTables ?? []])
    options.queued?.()
    const result = (await reading).rows[0] ?? {}
    const current = String(result['current'] ?? 'public')
    if (asked === undefined && !include(current, 'schema', {})) return { tables: [], enums: [] }
    const visible = (schemaName: string): string | undefined => (schemaName === current ? undefined : schemaName)

    // Tables
    const tableRows = rowsOf(result['tables'])
    const drafts = new Map<number, TableDraft>()
    for (const row of tableRows) {
      const schemaName = String(row[TABLE.schema])
      const name = String(row[TABLE.name])
      if (!include(name, 'table', compactSpec({ schema: visible(schemaName) }))) continue
      drafts.set(Number(row[TABLE.oid]), newDraft(name, schemaName, current, textOf(row[TABLE.comment])))
    }

    // Enum types
    const enumRows = rowsOf(result['enums'])
    const enumsByOid = new Map<number, { type: Omit<EnumType, 'schema'>; schemaName: string }>()
    const enums: EnumType[] = []
    for (const row of enumRows) {
      const schemaName = String(row[ENUM.schema])
      const type = { kind: 'enum' as const, name: String(row[ENUM.name]), values: jsonOf<string[]>(row[ENUM.labels]) }
      enumsByOid.set(Number(row[ENUM.oid]), { type, schemaName })
      if (row[ENUM.listed] === true && include(type.name, 'enum', compactSpec({ schema: visible(schemaName) }))) {
        enums.push(compactSpec({ ...type, schema: visible(schemaName) }))
      }
    }

    if (drafts.size > 0) {
      const parentOf = parentRefs((table: TableDraft) => table)
      const enumType = (oid: number, table: TableDraft): EnumType | undefined => {
        const found = enumsByOid.get(oid)
        if (found === undefined) return undefined
        return compactSpec({ ...found.type, schema: found.schemaName === table.schemaName ? undefined : found.schemaName })
      }
      for (const row of rowsOf(result['columns'])) {
        const table = drafts.get(Number(row[COLUMN.table_oid]))
        if (table === undefined) continue
        const name = String(row[COLUMN.name])
        if (!include(name, 'column', parentOf(table))) continue
        table.columns.push(columnSpec(row, (oid) => enumType(oid, table)))
      }
      for (const row of rowsOf(result['constraints'])) {
        const table = drafts.get(Number(row[CONSTRAINT.table_oid]))
        if (table !== undefined) addConstraint(table, parentOf(table), row, include, visible)
      }
      for (const row of rowsOf(result['indexes'])) {
        const table = drafts.get(Number(row[INDEX.table_oid]))
        if (table === undefined) continue
        const name = String(row[INDEX.name])
        if (!include(name, 'index', parentOf(table))) continue
        table.indexes.push(indexSpec(name, row))
      }
    }
    return { tables: sortTableSpecs([...drafts.values()].map(finishDraft)), enums: sortEnums(enums) }
  }
}

// ---------------------------------------------------------------------------------------------
// Columns

function columnSpec(row: Row, enumType: (oid: number) => EnumType | undefined): ColumnSpec {
  const name = String(row[COLUMN.name])
  const type = columnType(row, enumType)
  const identity = textOf(row[COLUMN.identity]) ?? ''
  const defaultText = textOf(row[COLUMN.default_expr])
  let autoincrement = false
  let identitySpec: ColumnSpec['identity']
  let serverDefault: DefaultValue | undefined
  let generated: ColumnSpec['generated']
  if (textOf(row[COLUMN.generated]) === 's') {
    // A generated column: pg_attrdef holds its expression (always STORED here).
    if (defaultText !== undefined) generated = { expression: sql.raw(stripOuterParens(defaultText)), stored: true }
  } else if (identity === 'a' || identity === 'd') {
    autoincrement = true
    identitySpec = identityOptions(identity === 'a', textOf(row[COLUMN.seq_start]), textOf(row[COLUMN.seq_increment]))
  } else if (defaultText !== undefined && textOf(row[COLUMN.owned_nextval]) === defaultText) {
    // SERIAL: the default calls the sequence the column owns.
    autoincrement = true
  } else if (defaultText !== undefined) {
    serverDefault = parseDefault(defaultText)
    if (typeof serverDefault === 'number' && type.kind === 'numeric' && type.precision === undefined) serverDefault = numericText(defaultText) ?? serverDefault
  }
  const spec = columnSpecOf({
    name,
    type,
    nullable: row[COLUMN.not_null] !== true,
    serverDefault,
    autoincrement,
    identity: identitySpec,
    comment: textOf(row[COLUMN.comment]),
    collation: textOf(row[COLUMN.collation]),
    generated,
  })
  if (autoincrement && identity !== 'a' && identity !== 'd') markSerialColumn(spec)
  return spec
}

/** Only what differs from `GENERATED BY DEFAULT AS IDENTITY (START WITH 1 INCREMENT BY 1)`; undefined when nothing does. */
function identityOptions(always: boolean, startText: string | undefined, incrementText: string | undefined): ColumnSpec['identity'] {
  const increment = incrementText === undefined ? 1 : Number(incrementText)
  const start = startText === undefined ? undefined : Number(startText)
  const defaultStart = increment > 0 ? 1 : -1
  const spec = compactSpec({
    always: always || undefined,
    start: start !== undefined && start !== defaultStart ? start : undefined,
    increment: increment !== 1 ? increment : undefined,
  })
  return Object.keys(spec).length === 0 ? undefined : spec
}

function columnType(row: Row, enumType: (oid: number) => EnumType | undefined): ColumnType {
  const formatted = String(row[COLUMN.type])
  if (row[COLUMN.typtype] === 'e') return enumType(Number(row[COLUMN.type_oid])) ?? { kind: 'custom', sql: formatted }
  if (row[COLUMN.elem_oid] !== null && row[COLUMN.elem_oid] !== undefined) {
    const item: ColumnType =
      row[COLUMN.elem_typtype] === 'e'
        ? (enumType(Number(row[COLUMN.elem_oid])) ?? { kind: 'custom', sql: formatted.replace(/\[\]$/, '') })
        : row[COLUMN.elem_typtype] === 'd'
          ? { kind: 'custom', sql: String(row[COLUMN.elem_type]) }
          : parsePostgresType(String(row[COLUMN.elem_type]))
    const dimensions = Math.max(1, Number(row[COLUMN.dims] ?? 1))
    return compactSpec({ kind: 'array' as const, itemType: item, dimensions: dimensions > 1 ? dimensions : undefined })
  }
  if (row[COLUMN.typtype] === 'd') return { kind: 'custom', sql: formatted }
  return parsePostgresType(formatted)
}

const SIMPLE_TYPES: Readonly<Record<string, ColumnType>> = {
  integer: { kind: 'integer' },
  smallint: { kind: 'smallint' },
  bigint: { kind: 'bigint' },
  boolean: { kind: 'boolean' },
  real: { kind: 'real' },
  'double precision': { kind: 'double' },
  text: { kind: 'text' },
  date: { kind: 'date' },
  interval: { kind: 'interval' },
  json: { kind: 'json' },
  jsonb: { kind: 'jsonb' },
  uuid: { kind: 'uuid' },
  bytea: { kind: 'binary' },
  numeric: { kind: 'numeric' },
  'character varying': { kind: 'varchar' },
  // `bpchar` without a length is blank-padded text of any length (`char` alone is character(1)).
  bpchar: { kind: 'custom', sql: 'bpchar' },
}

/** A `format_type` spelling (not an enum, domain or array) as a column type. */
export function parsePostgresType(formatted: string): ColumnType {
  if (Object.hasOwn(SIMPLE_TYPES, formatted)) return SIMPLE_TYPES[formatted]!
  // A schema spells few types, on many columns: each is parsed once (types are immutable specs).
  let parsed = parsedTypes.get(formatted)
  if (parsed === undefined) {
    parsed = parseTypeText(formatted)
    if (parsedTypes.size < 1024) parsedTypes.set(formatted, parsed)
  }
  return parsed
}

const parsedTypes = new Map<string, ColumnType>()

function parseTypeText(formatted: string): ColumnType {
  let m = /^numeric\((\d+),(\d+)\)$/.exec(formatted)
  if (m) {
    const scale = Number(m[2])
    // numeric(p) is stored as numeric(p,0): a zero scale is reported omitted.
    return compactSpec({ kind: 'numeric' as const, precision: Number(m[1]), scale: scale === 0 ? undefined : scale })
  }
  m = /^(character varying|character)\((\d+)\)$/.exec(formatted)
  if (m) return { kind: m[1] === 'character' ? 'char' : 'varchar', length: Number(m[2]) }
  m = /^(time|timestamp)(?:\((\d)\))? (with|without) time zone$/.exec(formatted)
  if (m) {
    return compactSpec({
      kind: m[1] as 'time' | 'timestamp',
      timezone: m[3] === 'with' ? true : undefined,
      precision: m[2] === undefined ? undefined : Number(m[2]),
    })
  }
  return { kind: 'custom', sql: formatted }
}

/**
 * The digits of a numeric default (`1.50`, `'-1.50'::numeric`) where the number would lose them:
 * an unconstrained numeric column keeps a value's scale (`1.50` reads back with two decimals).
 */
function numericText(text: string): string | undefined {
  const digits = /^'?([-+]?\d+\.\d+)'?(?:::numeric)?$/.exec(text.trim())?.[1]
  return digits !== undefined && String(Number(digits)) !== digits ? digits : undefined
}

const NUMERIC_CASTS = /^(?:integer|smallint|bigint|numeric|real|double precision)$/

/** Text of a single string literal (`'it''s'`), or undefined when `text` is not one. */
function stringLiteral(text: string): { value: string; rest: string } | undefined {
  if (!text.startsWith("'")) return undefined
  let i = 1
  let value = ''
  while (i < text.length) {
    const ch = text[i]!
    if (ch === "'") {
      if (text[i + 1] === "'") {
        value += "'"
        i += 2
        continue
      }
      return { value, rest: text.slice(i + 1) }
    }
    value += ch
    i++
  }
  return undefined
}

/** `::type`: a type name, possibly qualified or quoted, with words, a modifier and array brackets. */
const CAST_SUFFIX =
  /^::((?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*)(?:\.(?:"(?:[^"]|"")+"|[A-Za-z_][\w$]*))?(?: [A-Za-z]+)*(?:\(\d+(?:,\s*\d+)?\))?(?: [A-Za-z]+)*(?:\[\])*)$/

/** A column default as `pg_get_expr(…, pretty)` prints it, as the models write it. */
export function parsePostgresDefault(text: string): DefaultValue | undefined {
  return parseDefault(text)
}

function parseDefault(raw: string): DefaultValue | undefined {
  const text = raw.trim()
  if (text === 'NULL' || (text.startsWith('NULL::') && CAST_SUFFIX.test(text.slice(4)))) return undefined
  if (text === 'true' || text === 'false') return text === 'true'
  if (NUMERIC_LITERAL.test(text)) return numberOf(text)
  const literal = stringLiteral(text)
  if (literal !== undefined) {
    const cast = CAST_SUFFIX.exec(literal.rest)
    if (literal.rest === '' || cast) {
      if (cast && NUMERIC_CASTS.test(cast[1]!) && NUMERIC_LITERAL.test(literal.value)) return numberOf(literal.value)
      return literal.value
    }
  }
  return sql.raw(stripOuterParens(text))
}

// ---------------------------------------------------------------------------------------------
// Constraints and indexes

function addConstraint(
  table: TableDraft,
  parent: ParentRef,
  row: Row,
  include: NonNullable<IntrospectOptions['includeName']>,
  visible: (schemaName: string) => string | undefined,
): void {
  const name = String(row[CONSTRAINT.name])
  const columns = jsonOf<string[] | null>(row[CONSTRAINT.columns]) ?? []
  switch (row[CONSTRAINT.type]) {
    case 'p':
      table.primaryKey = { name, columns }
      return
    case 'u':
      if (include(name, 'unique_constraint', parent)) table.uniques.push(compactSpec({ name, columns, ...deferralOf(row), nullsNotDistinct: row[CONSTRAINT.nulls_not_distinct] === true || undefined }))
      return
    case 'f': {
      if (!include(name, 'foreign_key_constraint', parent)) return
      table.foreignKeys.push(
        compactSpec({
          name,
          columns,
          referredTable: String(row[CONSTRAINT.ref_table]),
          referredSchema: visible(String(row[CONSTRAINT.ref_schema])),
          referredColumns: jsonOf<string[] | null>(row[CONSTRAINT.ref_columns]) ?? [],
          onDelete: ACTIONS[String(row[CONSTRAINT.on_delete])],
          onUpdate: ACTIONS[String(row[CONSTRAINT.on_update])],
          ...deferralOf(row),
          match: MATCH[String(row[CONSTRAINT.match_type])],
        }),
      )
      return
    }
    case 'c':
      if (include(name, 'check_constraint', parent)) table.checks.push(checkSpec(name, String(row[CONSTRAINT.definition])))
      return
  }
}

/** A constraint row's `deferrable: true` and `initially: 'DEFERRED'`, each only when set (the defaults read back omitted). */
function deferralOf(row: Row): { deferrable: true | undefined; initially: 'DEFERRED' | undefined } {
  const deferrable = row[CONSTRAINT.deferrable] === true
  return { deferrable: deferrable || undefined, initially: deferrable && row[CONSTRAINT.deferred] === true ? 'DEFERRED' : undefined }
}

/** `CHECK (expr)` (maybe `NOT VALID`, `NO INHERIT`) → `expr` without enclosing parentheses. */
export function checkSpec(name: string, definition: string): CheckSpec {
  const body = definition
    .trim()
    .replace(/\s+NOT VALID$/, '')
    .replace(/\s+NO INHERIT$/, '')
    .replace(/^CHECK\s*/, '')
  return { name, expression: sql.raw(stripOuterParens(body)) }
}

function indexSpec(name: string, row: Row): IndexSpec {
  // `definition` is only there for an expression (where `column` is null).
  const keys = jsonOf<(({ column: string; definition: null } | { column: null; definition: string }) & { desc: boolean })[] | null>(row[INDEX.keys]) ?? []
  const columns = keys.map((key): string | SqlFragment => (key.column !== null ? key.column : sql.raw(stripOuterParens(key.definition))))
  const descending = keys.flatMap((key) => (key.column !== null && key.desc ? [key.column] : []))
  const method = String(row[INDEX.method])
  const predicate = textOf(row[INDEX.predicate])
  return compactSpec({
    name,
    columns,
    unique: row[INDEX.is_unique] === true ? true : undefined,
    where: predicate === undefined ? undefined : sql.raw(stripOuterParens(predicate)),
    using: method === 'btree' ? undefined : method,
    descending: descending.length === 0 ? undefined : descending,
    nullsNotDistinct: row[INDEX.nulls_not_distinct] === true || undefined,
  })
}

// ---------------------------------------------------------------------------------------------
// What PostgreSQL keeps of a spec

/**
 * `spec` as this introspector reports the table the PostgreSQL compiler creates from it, for the
 * losses listed at the top of this file that need no database to predict: numeric scale 0, `char()`
 * length 1, binary length and `unsigned` dropped, array dimensions 1 omitted, identity columns NOT
 * NULL with default options omitted, default foreign key options omitted, `btree` method omitted and
 * methods lower-cased, plain `sql` fragments without enclosing parentheses, bigint defaults within
 * 2^53 as numbers. Expressions are not re-printed as PostgreSQL would: compare those by their text.
 */
export function canonicalPostgresTable(spec: TableSpec): TableSpec {
  return {
    ...spec,
    columns: mapChanged(spec.columns, canonicalColumn),
    foreignKeys: mapChanged(spec.foreignKeys, canonicalForeignKey),
    uniques: mapChanged(spec.uniques, canonicalUnique),
    checks: spec.checks.map((check) => ({ ...check, expression: canonicalFragment(check.expression) })),
    indexes: mapChanged(spec.indexes, canonicalIndex),
  }
}

// Each returns its argument itself when nothing changes (the usual case: the models of a large
// schema pass here column by column, before the comparison can start).

function canonicalColumn(column: ColumnSpec): ColumnSpec {
  const declared = column.identity
  const identity =
    column.autoincrement && declared
      ? identityOptions(declared.always === true, declared.start === undefined ? undefined : String(declared.start), declared.increment === undefined ? undefined : String(declared.increment))
      : undefined
  const type = canonicalType(column.type)
  const nullable = column.autoincrement ? false : column.nullable
  const serverDefault = canonicalDefault(column.serverDefault)
  if (type === column.type && nullable === column.nullable && serverDefault === column.serverDefault && identity === declared && column.invisible === undefined && isCompact(column)) return column
  return withChanges(column, { type, nullable, serverDefault, identity, invisible: undefined })
}

function canonicalForeignKey(fk: ForeignKeySpec): ForeignKeySpec {
  const onDelete = fk.onDelete === 'NO ACTION' ? undefined : fk.onDelete
  const onUpdate = fk.onUpdate === 'NO ACTION' ? undefined : fk.onUpdate
  const match = fk.match === 'SIMPLE' ? undefined : fk.match
  const deferrable = fk.deferrable ? true : undefined
  const initially = fk.deferrable && fk.initially === 'DEFERRED' ? fk.initially : undefined
  if (onDelete === fk.onDelete && onUpdate === fk.onUpdate && match === fk.match && deferrable === fk.deferrable && initially === fk.initially && isCompact(fk)) return fk
  return withChanges(fk, { onDelete, onUpdate, match, deferrable, initially })
}

/** `NOT DEFERRABLE` and `INITIALLY IMMEDIATE` are the defaults: said or not, the same constraint. */
function canonicalUnique(unique: UniqueSpec): UniqueSpec {
  const deferrable = unique.deferrable ? true : undefined
  const initially = unique.deferrable && unique.initially === 'DEFERRED' ? unique.initially : undefined
  const nullsNotDistinct = unique.nullsNotDistinct ? true : undefined
  if (deferrable === unique.deferrable && initially === unique.initially && nullsNotDistinct === unique.nullsNotDistinct && isCompact(unique)) return unique
  return withChanges(unique, { deferrable, initially, nullsNotDistinct })
}

function canonicalIndex(index: IndexSpec): IndexSpec {
  // An expression that is a column alone (`on(sql\`email\`)`) is that column: PostgreSQL keeps it so.
  const columns = mapChanged(index.columns, (c) => (c instanceof SqlFragment ? (bareColumn(c) ?? canonicalFragment(c)) : c))
  const where = index.where === undefined ? undefined : canonicalFragment(index.where)
  const using = index.using === undefined || index.using.toLowerCase() === 'btree' ? undefined : index.using.toLowerCase()
  // NULLS NOT DISTINCT is written for unique indexes only.
  const nullsNotDistinct = index.unique && index.nullsNotDistinct ? true : undefined
  if (columns === index.columns && where === index.where && using === index.using && nullsNotDistinct === index.nullsNotDistinct && isCompact(index)) return index
  return compactSpec({ ...index, columns, where, using, nullsNotDistinct })
}

/** The column a fragment names alone (`email`, `"Email"`, `(email)`), as PostgreSQL resolves it; undefined for anything else. */
function bareColumn(fragment: SqlFragment): string | undefined {
  if (!fragment.isPlainText) return undefined
  const text = stripOuterParens(fragment.strings[0]!)
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(text)) return text.toLowerCase()
  const quoted = /^"((?:[^"]|"")+)"$/.exec(text)
  return quoted === null ? undefined : quoted[1]!.replaceAll('""', '"')
}

function canonicalType(type: ColumnType): ColumnType {
  const canonical = canonicalTypeCopy(type)
  // The type itself when nothing changed: `withChanges` then keeps the column as it is.
  return canonical === type || shallowEqual(canonical, type) ? type : canonical
}

function canonicalTypeCopy(type: ColumnType): ColumnType {
  switch (type.kind) {
    case 'integer':
    case 'smallint':
    case 'bigint':
      return 'unsigned' in type ? { kind: type.kind } : type
    case 'numeric':
      return compactSpec({ ...type, scale: type.scale === 0 ? undefined : type.scale })
    case 'char':
      return { kind: 'char', length: type.length ?? 1 }
    case 'binary':
      return { kind: 'binary' }
    case 'array':
      return compactSpec({ kind: 'array' as const, itemType: canonicalType(type.itemType), dimensions: type.dimensions === 1 ? undefined : type.dimensions })
    default:
      return type
  }
}

function canonicalDefault(value: DefaultValue | undefined): DefaultValue | undefined {
  if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value)
  if (value instanceof SqlFragment) return canonicalFragment(value)
  return value
}

function canonicalFragment(fragment: SqlFragment): SqlFragment {
  if (!fragment.isPlainText) return fragment
  const text = stripOuterParens(fragment.strings[0]!)
  // The same fragment when there were no parentheses to strip (an equal copy otherwise).
  return text === fragment.strings[0] ? fragment : sql.raw(text)
}
