/**
 * MySQL and MariaDB introspection from `information_schema`: six queries whatever the number of
 * tables (server flavour and current database, TABLES, COLUMNS, STATISTICS, foreign keys, checks),
 * all requested databases at once, filtered in SQL by database and by `tables`/`excludeTables`.
 * Views, sequences (MariaDB), triggers, routines and other databases are ignored.
 *
 * Normalisation, so that the DDL of `MysqlDdlCompiler` reads back as the spec it came from:
 * - Types from COLUMN_TYPE: display widths dropped (`int(11)` → integer, `bigint(20) unsigned` →
 *   bigint unsigned), `tinyint(1)` (what BOOL creates) → boolean, `decimal(p,s)` → numeric (scale 0
 *   omitted), `float` → real, `double` → double, `datetime(p)` → timestamp {precision} (what the
 *   compiler writes for timestamp), `blob` → binary, `varbinary(n)` → binary {length}, `json` → json,
 *   and on MariaDB, where JSON is an alias, `longtext` with the column check `json_valid(col)` →
 *   json (that check and the alias's utf8mb4_bin collation are not reported). `enum(…)` →
 *   `{kind:'enum', name: <column name>, values}` (MySQL enums have no type name), `set(…)` → set.
 *   Anything else → `{kind:'custom', sql: COLUMN_TYPE}` with integer display widths dropped
 *   (`tinyint`, `mediumint unsigned`, `timestamp(3)`, `longtext`, `binary(16)`, `year`).
 * - Defaults: MariaDB writes literals as SQL (`'it''s'`, `1.50`, `NULL`), MySQL 8 writes strings raw
 *   and marks expressions DEFAULT_GENERATED; both read back as the models write them: strings, numbers
 *   (bigint beyond 2^53), booleans for boolean columns (`1`/`0`), no default for NULL. Expressions →
 *   `sql` fragments: `current_timestamp()` → `CURRENT_TIMESTAMP` (`(3)` kept), backquotes dropped
 *   around plain names, charset introducers (`_utf8mb4'x'`) dropped; on MySQL 8 other expressions
 *   keep the parentheses its DDL requires (`(uuid())`). `ON UPDATE CURRENT_TIMESTAMP` has no field in
 *   the spec: it is appended to the default (`sql\`CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP\``,
 *   `NULL ON UPDATE …` for a nullable column without default, as SQLAlchemy does), which the compiler
 *   writes back as it was; a NOT NULL column without default carries it in a custom type instead.
 * - AUTO_INCREMENT → `autoincrement: true`. Collation only when it differs from the table's.
 *   Comments: empty means none.
 * - Primary key without a name (MySQL's is always PRIMARY).
 * - Unique constraints: MySQL has only unique indexes (TABLE_CONSTRAINTS lists every unique index as
 *   a UNIQUE constraint) and `UNIQUE (a)` and `UNIQUE INDEX x (a)` leave the same catalog rows. A
 *   unique BTREE index on whole columns, ascending, is reported in `uniques` (so the models'
 *   `unique()` round-trips); a unique index with a prefix, an expression, a descending part or another
 *   method (HASH, FULLTEXT) is reported in `indexes` with `unique: true`. A model's
 *   `index(…).unique()` on plain columns therefore reads back as a unique constraint.
 * - Foreign keys: RESTRICT and NO ACTION are the same in InnoDB and the one MySQL reports for an
 *   unspecified action (MariaDB RESTRICT, MySQL 8 NO ACTION), so both read back omitted.
 * - Indexes: `using` only when not BTREE; the index InnoDB creates for a foreign key is never reported
 *   when it only exists for the key: a non-unique index on exactly the key's columns named after the
 *   key (named constraint) or after its first column (unnamed one: `col`, `col_2`). An index declared
 *   with such a name cannot be told apart, and cannot be dropped while the key needs it anyway.
 * - Checks: CHECK_CLAUSE without enclosing parentheses, backquotes or charset introducers
 *   (`\`price\` > 0` → `price > 0`). MariaDB: a check of a column's definition (LEVEL Column) carries
 *   its column (`CheckSpec.column`), which MODIFY must restate.
 *
 * What cannot be inverted exactly (see `canonicalMysqlTable`):
 * - `uuid()` is `CHAR(36)` (reads back as char 36), `jsonb()` is JSON, `timestamp({timezone})` loses
 *   the zone, `identity()` options do not exist, `numeric()` without precision is `decimal(10,0)`,
 *   `numeric(p, 0)` reads back as `numeric(p)`, `char()` is `char(1)`, enum type names are not kept.
 * - Named primary keys (always PRIMARY), `deferrable`/`initially`/`match`, explicit RESTRICT/NO ACTION.
 * - `index().unique()` on plain columns reads back as a unique constraint; `using('BTREE')` omitted.
 * - Expressions are re-printed by the server: MariaDB lower-cases keywords and drops spaces after
 *   commas (`concat('a','b')`), `now()` becomes `CURRENT_TIMESTAMP`. `price > 0`, `status <> ''`
 *   and `CURRENT_TIMESTAMP` read back unchanged.
 * - `using('HASH')` on a non-unique InnoDB index is silently BTREE (reads back without `using`).
 * - Not representable in the spec: generated columns (reported without their expression), DESC
 *   index parts (reported ascending). Index prefixes are reported as `sql\`col(10)\`` parts, which
 *   the compiler writes back as key parts with a prefix; FULLTEXT and SPATIAL indexes with `using`.
 * Tested on MariaDB; the MySQL 8 spellings (DEFAULT_GENERATED, escaped quotes in expressions, the
 * EXPRESSION column of functional indexes) follow MySQL's documentation.
 */
import type { CheckSpec, ColumnSpec, DefaultValue, ForeignKeySpec, IndexSpec, ReferentialAction, TableSpec } from '../../schema/spec.js'
import { sql, SqlFragment } from '../../schema/sql.js'
import type { ColumnType } from '../../schema/types.js'
import type { Connection, QueryResult } from '../dialect.js'
import { DatabaseError } from '../../errors.js'
import {
  compactSpec,
  endOfQuoted,
  finishDraft,
  mapChanged,
  nameFilter,
  parentRefs,
  newDraft,
  NUMERIC_LITERAL,
  numberOf,
  shallowEqual,
  sortTableSpecs,
  stripOuterParens,
  textOf,
  type IntrospectOptions,
  type Introspector,
  type SchemaNames,
  type ForeignKeyIndex,
  withChanges,
  withHidden,
  type SchemaSnapshot,
  type TableDraft,
} from '../introspector.js'

type Row = Record<string, unknown>

interface Flavour {
  readonly mariadb: boolean
  /** MySQL ≥ 8.0.13: STATISTICS.EXPRESSION (functional indexes). */
  readonly indexExpressions: boolean
  /** MariaDB ≥ 10.2, MySQL ≥ 8.0.16: enforced CHECK constraints. */
  readonly checks: boolean
  /** MariaDB ≥ 10.1.2: compound statements outside stored programs (`BEGIN NOT ATOMIC … END`, 10.1.1) and `SET STATEMENT … FOR`. */
  readonly compound: boolean
}

/** From `VERSION()`: `10.11.6-MariaDB-…`, `8.0.36`. */
export function mysqlFlavour(version: string): Flavour {
  const [major = 0, minor = 0, patch = 0] = (/^(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number)
  const mariadb = /mariadb/i.test(version)
  const at = (a: number, b: number, c: number): boolean => major > a || (major === a && (minor > b || (minor === b && patch >= c)))
  return { mariadb, indexExpressions: !mariadb && at(8, 0, 13), checks: mariadb ? at(10, 2, 22) : at(8, 0, 16), compound: mariadb && at(10, 1, 2) }
}

/**
 * MariaDB's codes for a statement the server stops (KILL QUERY, max_statement_time). Reading
 * information_schema, it may stop with a warning and fewer rows instead of an error: inside the
 * compound statement a handler makes each an error (rows read short would be taken for the
 * schema: tables without their checks, a revision adding them all).
 */
const STOPPED = { killed: 1317, timeout: 1969 } as const
const COMPOUND_HANDLERS = Object.values(STOPPED)
  .map((code) => `DECLARE EXIT HANDLER FOR ${code} RESIGNAL SQLSTATE '70100' SET MYSQL_ERRNO = ${code};`)
  .join('\n')

/**
 * MariaDB: the prefix running a statement in the default `sql_mode`, whatever the session's (the
 * catalog prints expressions in the session's: with ANSI_QUOTES, `"name"` for identifiers).
 */
export const MARIADB_DEFAULT_MODE = "SET STATEMENT sql_mode = '' FOR "

/** `BEGIN NOT ATOMIC … END` running `texts` in turn, each result set returned (see `sendAll`). */
function compoundStatement(texts: readonly string[]): string {
  return `BEGIN NOT ATOMIC\n${COMPOUND_HANDLERS}\n${texts.map((text) => `${text};\n`).join('')}END`
}

/** The server's error number of a failed query, if it gave one. */
function errnoOf(error: unknown): number | undefined {
  for (let e: unknown = error; e !== null && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const errno = (e as { errno?: unknown }).errno
    if (typeof errno === 'number') return errno
  }
  return undefined
}

/**
 * Sends the catalog queries (undefined: none of that kind) and gives each one's result, where
 * failures surface. mysql2 sends a query only once the rows of the one before are read, so while
 * this thread does other work (autogenerate loads the models) the server would sit idle between
 * them. With `compound` (MariaDB) they go together as one compound statement, `BEGIN NOT ATOMIC
 * SELECT …; SELECT …; END`: a single statement (texts of several stay refused) whose result sets
 * come back in turn (~20 ms of a 500-table check). A user's max_statement_time bounds that one
 * statement: when it runs out, each query is sent again as a statement of its own, as they were
 * before. MySQL has no compound statement outside stored programs: there they are queued one
 * after the other. A query the server stopped fails with `catalog_interrupted`.
 */
export function sendAll<const T extends readonly (string | undefined)[]>(
  connection: Connection,
  texts: T,
  compound: boolean,
): { [K in keyof T]: T[K] extends string ? Promise<QueryResult> : Promise<QueryResult> | undefined } {
  const sent = texts.filter((text): text is string => text !== undefined)
  let results: Promise<QueryResult>[]
  if (compound && sent.length > 1) {
    const sets = async (statement: Promise<QueryResult>, count: number): Promise<readonly QueryResult[]> => {
      const result = await statement
      if (result.resultSets === undefined || result.resultSets.length < count) {
        throw new Error(`the catalog statement gave ${result.resultSets?.length ?? 1} result sets, not ${count + 1}`)
      }
      return result.resultSets
    }
    const all = sets(connection.query(compoundStatement(sent)), sent.length).catch(async (error: unknown) => {
      if (errnoOf(error) !== STOPPED.timeout) throw error
      const one: QueryResult[] = []
      for (const text of sent) one.push((await sets(connection.query(compoundStatement([text])), 1))[0]!)
      return one
    })
    results = sent.map((_, i) => all.then((each) => each[i]!))
  } else {
    results = sent.map((text) => connection.query(text))
  }
  results = results.map((result) => result.catch((error: unknown) => Promise.reject(stoppedError(error))))
  for (const result of results) result.catch(() => undefined)
  let at = 0
  return texts.map((text) => (text === undefined ? undefined : results[at++])) as { [K in keyof T]: T[K] extends string ? Promise<QueryResult> : Promise<QueryResult> | undefined }
}

/** `error`, or for a query the server stopped, one saying the catalog read was stopped. */
function stoppedError(error: unknown): unknown {
  const errno = errnoOf(error)
  if (errno !== STOPPED.killed && errno !== STOPPED.timeout) return error
  const message = error instanceof Error ? error.message : String(error)
  return new DatabaseError('catalog_interrupted', `the server stopped the catalog read: ${message}`, {
    hint: errno === STOPPED.timeout ? 'each catalog query takes longer than max_statement_time allows: raise it for this user, then run again' : 'a KILL QUERY stopped it; nothing was changed: run again',
    cause: error,
  })
}

/**
 * `value` as a string literal that reads the same under every sql_mode (NO_BACKSLASH_ESCAPES,
 * ANSI_QUOTES) and cannot end early: its UTF-8 bytes in hex with a character set introducer,
 * compared as a parameter would be (coercible: the catalog column's collation applies). Catalog
 * queries use it for names: without parameters a query is sent once (text protocol), where a
 * prepared statement takes a round trip to prepare on every new connection.
 */
export const hexString = (value: string): string => `_utf8mb4 X'${Buffer.from(value, 'utf8').toString('hex')}'`

/** `(a, b)` of `hexString`s. */
const literals = (values: readonly string[]): string => `(${values.map(hexString).join(', ')})`

export class MysqlIntrospector implements Introspector {
  canonicalTable(spec: TableSpec): TableSpec {
    return canonicalMysqlTable(spec)
  }

  parseType(text: string, columnName: string): ColumnType {
    return parseMysqlType(text, columnName)
  }

  async schemaNames(connection: Connection): Promise<SchemaNames> {
    const rows = (
      await connection.query(
        `SELECT DATABASE() AS current_database, SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY SCHEMA_NAME`,
      )
    ).rows
    const current = textOf(rows[0]?.['current_database']) ?? ''
    const all = rows.map((r) => textOf(r['name']) ?? '').filter((name) => name !== '')
    return { current, all: current === '' || all.includes(current) ? all : [...all, current].sort() }
  }

  async introspect(connection: Connection, options: IntrospectOptions = {}): Promise<SchemaSnapshot> {
    const include = nameFilter(options)
    // The databases asked for, filtered; undefined for the current one: `DATABASE()` in the queries
    // (so that they need not wait for the probe), filtered once the probe has named it.
    const asked = options.schemas === undefined ? undefined : [...new Set(options.schemas)].filter((s) => include(s, 'schema', {}))
    if ((asked !== undefined && asked.length === 0) || (options.tables !== undefined && options.tables.length === 0)) return { tables: [], enums: [] }

    /** `<schema column> IN (…)` (or `= DATABASE()`) and the table name filters, as literals (`hexString`). */
    const where = (schemaColumn: string, tableColumn: string): string => {
      let text = asked === undefined ? `${schemaColumn} = DATABASE()` : `${schemaColumn} IN ${literals(asked)}`
      if (options.tables !== undefined) text += ` AND ${tableColumn} IN ${literals(options.tables)}`
      if (options.excludeTables !== undefined && options.excludeTables.length > 0) text += ` AND ${tableColumn} NOT IN ${literals(options.excludeTables)}`
      return text
    }
    // NUL joins the two: no MySQL identifier holds it (a JSON array per row cost ~5 ms on 500 tables).
    const key = (schemaName: unknown, tableName: unknown): string => `${textOf(schemaName)}\u0000${textOf(tableName)}`

    // The probe first: what the server is tells which queries to send. Then the rest at once
    // (`sendAll`), the columns last: theirs is by far the largest result (~280 kB for 500 tables),
    // and a server writing rows nobody reads stops once the socket's buffers are full.
    const probe = (await connection.query('SELECT DATABASE() AS current_database, VERSION() AS version')).rows[0] ?? {}
    const current = textOf(probe['current_database']) ?? ''
    const flavour = mysqlFlavour(textOf(probe['version']) ?? '')
    const visible = (schemaName: string): string | undefined => (schemaName === current ? undefined : schemaName)
    if (asked === undefined && (current === '' || !include(current, 'schema', {}))) return { tables: [], enums: [] }
    const tableSql = `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, TABLE_COMMENT AS table_comment, TABLE_COLLATION AS table_collation
       FROM information_schema.TABLES
       WHERE ${where('TABLE_SCHEMA', 'TABLE_NAME')} AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
       ORDER BY TABLE_SCHEMA, TABLE_NAME`
    // REFERENTIAL_CONSTRAINTS filtered in a derived table that is not merged (DISTINCT): joined
    // directly, MariaDB reads it for every database (four times the time of the two read apart).
    const fkSql = `SELECT k.TABLE_SCHEMA AS table_schema, k.TABLE_NAME AS table_name, k.CONSTRAINT_NAME AS constraint_name,
         k.COLUMN_NAME AS column_name, k.REFERENCED_TABLE_SCHEMA AS referenced_schema, k.REFERENCED_TABLE_NAME AS referenced_table,
         k.REFERENCED_COLUMN_NAME AS referenced_column, r.UPDATE_RULE AS update_rule, r.DELETE_RULE AS delete_rule
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN (SELECT DISTINCT CONSTRAINT_SCHEMA, CONSTRAINT_NAME, TABLE_NAME, UPDATE_RULE, DELETE_RULE
             FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE ${where('CONSTRAINT_SCHEMA', 'TABLE_NAME')}) r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
       WHERE ${where('k.TABLE_SCHEMA', 'k.TABLE_NAME')} AND k.REFERENCED_TABLE_NAME IS NOT NULL
       ORDER BY k.TABLE_SCHEMA, k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`
    const checkSql = !flavour.checks
      ? undefined
      : flavour.mariadb
        ? `SELECT CONSTRAINT_SCHEMA AS table_schema, TABLE_NAME AS table_name, CONSTRAINT_NAME AS constraint_name, CHECK_CLAUSE AS check_clause, LEVEL AS level
           FROM information_schema.CHECK_CONSTRAINTS WHERE ${where('CONSTRAINT_SCHEMA', 'TABLE_NAME')} ORDER BY CONSTRAINT_SCHEMA, TABLE_NAME, CONSTRAINT_NAME`
        : `SELECT t.TABLE_SCHEMA AS table_schema, t.TABLE_NAME AS table_name, c.CONSTRAINT_NAME AS constraint_name, c.CHECK_CLAUSE AS check_clause
           FROM information_schema.TABLE_CONSTRAINTS t
           JOIN information_schema.CHECK_CONSTRAINTS c ON c.CONSTRAINT_SCHEMA = t.CONSTRAINT_SCHEMA AND c.CONSTRAINT_NAME = t.CONSTRAINT_NAME
           WHERE ${where('t.TABLE_SCHEMA', 't.TABLE_NAME')} AND t.CONSTRAINT_TYPE = 'CHECK' ORDER BY t.TABLE_SCHEMA, t.TABLE_NAME, c.CONSTRAINT_NAME`
    const statisticsSql = `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, INDEX_NAME AS index_name, NON_UNIQUE AS non_unique,
         SEQ_IN_INDEX AS seq_in_index, COLUMN_NAME AS column_name, SUB_PART AS sub_part, INDEX_TYPE AS index_type,
         COLLATION AS collation${flavour.indexExpressions ? ', EXPRESSION AS expression' : ''}
       FROM information_schema.STATISTICS
       WHERE ${where('TABLE_SCHEMA', 'TABLE_NAME')}
       ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`
    const columnSql = `SELECT TABLE_SCHEMA AS table_schema, TABLE_NAME AS table_name, COLUMN_NAME AS column_name, COLUMN_TYPE AS column_type,
         DATA_TYPE AS data_type, IS_NULLABLE AS is_nullable, COLUMN_DEFAULT AS column_default, EXTRA AS extra,
         COLLATION_NAME AS collation_name, COLUMN_COMMENT AS column_comment, GENERATION_EXPRESSION AS generation_expression
       FROM information_schema.COLUMNS
       WHERE ${where('TABLE_SCHEMA', 'TABLE_NAME')}
       ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`
    // MariaDB prints check conditions, generation expressions and defaults in the session's
    // sql_mode (ANSI_QUOTES: `"name"`, which would read as a string): read in the default one.
    const neutral = (text: string | undefined): string | undefined => (text === undefined || !flavour.compound ? text : `${MARIADB_DEFAULT_MODE}${text}`)
    const [tableQuery, fkQuery, checksQuery, statisticsQuery, columnQuery] = sendAll(
      connection,
      [neutral(tableSql)!, neutral(fkSql)!, neutral(checkSql), neutral(statisticsSql)!, neutral(columnSql)!],
      flavour.compound,
    )
    options.queued?.()

    // Tables
    const tableRows = await tableQuery
    const drafts = new Map<string, MysqlTable>()
    for (const row of tableRows.rows) {
      const schemaName = textOf(row['table_schema'])!
      const name = textOf(row['table_name'])!
      if (!include(name, 'table', compactSpec({ schema: visible(schemaName) }))) continue
      const comment = textOf(row['table_comment'])
      drafts.set(key(schemaName, name), {
        draft: newDraft(name, schemaName, current, comment === '' ? undefined : comment),
        collation: textOf(row['table_collation']),
        longtext: new Set(),
        indexes: [],
        allForeignKeys: [],
      })
    }
    if (drafts.size === 0) return { tables: [], enums: [] }
    const parentOf = parentRefs((t: MysqlTable) => t.draft)

    // Columns
    const columnRows = await columnQuery
    for (const row of columnRows.rows) {
      const table = drafts.get(key(row['table_schema'], row['table_name']))
      if (table === undefined) continue
      const name = textOf(row['column_name'])!
      if (!include(name, 'column', parentOf(table))) continue
      if (flavour.mariadb && textOf(row['data_type'])?.toLowerCase() === 'longtext') table.longtext.add(name)
      table.draft.columns.push(columnSpec(row, table.collation, flavour, table.draft.schema === undefined ? current : undefined))
    }

    // Indexes (primary key and unique constraints included)
    const statisticsRows = await statisticsQuery
    for (const row of statisticsRows.rows) {
      const table = drafts.get(key(row['table_schema'], row['table_name']))
      if (table === undefined) continue
      const name = textOf(row['index_name'])!
      let index = table.indexes[table.indexes.length - 1]
      if (index?.name !== name) {
        index = { name, unique: Number(row['non_unique']) === 0, method: (textOf(row['index_type']) ?? 'BTREE').toUpperCase(), parts: [] }
        table.indexes.push(index)
      }
      const column = textOf(row['column_name'])
      const expression = textOf(row['expression'])
      // A SPATIAL key reports a SUB_PART (32) it takes no prefix for.
      const subPart = row['sub_part'] === null || row['sub_part'] === undefined || index.method === 'SPATIAL' ? undefined : Number(row['sub_part'])
      index.parts.push({ column, expression, subPart, descending: textOf(row['collation']) === 'D' })
    }

    // Foreign keys
    const fkRows = await fkQuery
    for (const row of fkRows.rows) {
      const table = drafts.get(key(row['table_schema'], row['table_name']))
      if (table === undefined) continue
      const name = textOf(row['constraint_name'])!
      let fk = table.allForeignKeys[table.allForeignKeys.length - 1]
      if (fk?.name !== name) {
        fk = {
          name,
          columns: [],
          referredTable: textOf(row['referenced_table'])!,
          referredSchema: visible(textOf(row['referenced_schema'])!),
          referredColumns: [],
          onDelete: action(row['delete_rule']),
          onUpdate: action(row['update_rule']),
        }
        table.allForeignKeys.push(fk)
      }
      fk.columns.push(textOf(row['column_name'])!)
      fk.referredColumns.push(textOf(row['referenced_column'])!)
    }

    // Check constraints
    const checks: { table: MysqlTable; name: string; clause: string; columnLevel: boolean }[] = []
    if (checksQuery !== undefined) {
      for (const row of (await checksQuery).rows) {
        const table = drafts.get(key(row['table_schema'], row['table_name']))
        if (table !== undefined) checks.push({ table, name: textOf(row['constraint_name'])!, clause: textOf(row['check_clause']) ?? '', columnLevel: textOf(row['level']) === 'Column' })
      }
    }

    // Assemble
    for (const { table, name, clause, columnLevel } of checks) {
      const expression = normalizeMysqlExpression(clause, flavour)
      if (table.longtext.has(name) && isJsonValidCheck(expression, name)) {
        // MariaDB's JSON: LONGTEXT COLLATE utf8mb4_bin with CHECK (json_valid(col)) named after the column.
        const at = table.draft.columns.findIndex((c) => c.name === name)
        if (at !== -1) {
          table.draft.columns[at] = compactSpec({ ...table.draft.columns[at]!, type: { kind: 'json' }, collation: undefined })
          continue
        }
      }
      if (!include(name, 'check_constraint', parentOf(table))) continue
      // A check of a column's definition is named after the column it was declared on (whatever its
      // condition names: `a INT CHECK (b > 0)`); one whose column was renamed since, its name no
      // longer a column's, is read as a table's check.
      const column = columnLevel ? table.draft.columns.find((c) => c.name === name) : undefined
      table.draft.checks.push(column === undefined ? checkSpec(name, expression) : { ...checkSpec(name, expression), column: column.name })
    }
    const foreignKeyIndexes: ForeignKeyIndex[] = []
    for (const table of drafts.values()) {
      for (const fk of table.allForeignKeys) {
        if (include(fk.name, 'foreign_key_constraint', parentOf(table))) table.draft.foreignKeys.push(compactSpec({ ...fk }))
      }
      for (const index of table.indexes) {
        if (index.name === 'PRIMARY') {
          table.draft.primaryKey = { columns: index.parts.map((p) => p.column ?? '') }
          continue
        }
        if (!index.unique && table.allForeignKeys.some((fk) => isForeignKeyIndex(index, fk))) {
          foreignKeyIndexes.push(compactSpec({ schema: table.draft.schema, table: table.draft.name, name: index.name, columns: index.parts.map((p) => p.column!) }))
          continue
        }
        const plain = index.method === 'BTREE' && index.parts.every((p) => p.column !== undefined && p.subPart === undefined && !p.descending)
        if (index.unique && plain) {
          if (include(index.name, 'unique_constraint', parentOf(table))) table.draft.uniques.push({ name: index.name, columns: index.parts.map((p) => p.column!) })
          continue
        }
        if (!include(index.name, 'index', parentOf(table))) continue
        table.draft.indexes.push(
          compactSpec({
            name: index.name,
            columns: index.parts.map((p): string | SqlFragment =>
              p.column === undefined
                ? sql.raw(normalizeMysqlExpression(p.expression ?? '', flavour))
                : p.subPart === undefined
                  ? p.column
                  : sql.raw(`${plainOrQuoted(p.column)}(${p.subPart})`),
            ),
            unique: index.unique ? true : undefined,
            using: index.method === 'BTREE' ? undefined : index.method,
            descending: index.parts.some((p) => p.descending && p.column !== undefined && p.subPart === undefined)
              ? index.parts.flatMap((p) => (p.descending && p.column !== undefined && p.subPart === undefined ? [p.column] : []))
              : undefined,
          }),
        )
      }
    }
    return withHidden({ tables: sortTableSpecs([...drafts.values()].map((t) => finishDraft(t.draft))), enums: [] }, { foreignKeyIndexes })
  }
}

interface IndexPart {
  readonly column: string | undefined
  readonly expression: string | undefined
  readonly subPart: number | undefined
  readonly descending: boolean
}

interface RawIndex {
  readonly name: string
  readonly unique: boolean
  readonly method: string
  readonly parts: IndexPart[]
}

interface RawForeignKey {
  readonly name: string
  readonly columns: string[]
  readonly referredTable: string
  readonly referredSchema: string | undefined
  readonly referredColumns: string[]
  readonly onDelete: ReferentialAction | undefined
  readonly onUpdate: ReferentialAction | undefined
}

interface MysqlTable {
  readonly draft: TableDraft
  readonly collation: string | undefined
  /** MariaDB LONGTEXT columns: JSON when their column check is json_valid. */
  readonly longtext: Set<string>
  readonly indexes: RawIndex[]
  /** Every foreign key, includeName or not: their implicit indexes are hidden either way. */
  readonly allForeignKeys: RawForeignKey[]
}

/** RESTRICT and NO ACTION are InnoDB's default (and identical): omitted. */
function action(value: unknown): ReferentialAction | undefined {
  const text = textOf(value)?.toUpperCase()
  return text === 'CASCADE' || text === 'SET NULL' || text === 'SET DEFAULT' ? text : undefined
}

/** The index InnoDB created for `fk`: its columns exactly, named after the key or its first column. */
function isForeignKeyIndex(index: RawIndex, fk: RawForeignKey): boolean {
  if (index.method !== 'BTREE' || index.parts.length !== fk.columns.length) return false
  if (!index.parts.every((p, i) => p.column === fk.columns[i] && p.subPart === undefined && !p.descending)) return false
  const first = fk.columns[0]!
  return index.name === fk.name || index.name === first || (index.name.startsWith(`${first}_`) && /^\d+$/.test(index.name.slice(first.length + 1)))
}

function isJsonValidCheck(expression: string, column: string): boolean {
  const m = /^json_valid\((.*)\)$/i.exec(expression)
  return m !== null && (m[1] === column || m[1] === `\`${column.replaceAll('`', '``')}\``)
}

function checkSpec(name: string, expression: string): CheckSpec {
  return { name, expression: sql.raw(expression) }
}

// ---------------------------------------------------------------------------------------------
// Columns

/** `database`: the current database, when the table is in it (its sequences are named without it). */
function columnSpec(row: Row, tableCollation: string | undefined, flavour: Flavour, database: string | undefined): ColumnSpec {
  const name = textOf(row['column_name'])!
  const columnType = textOf(row['column_type'])!
  const extra = (textOf(row['extra']) ?? '').toLowerCase()
  const nullable = textOf(row['is_nullable']) === 'YES'
  let type = parseMysqlType(columnType, name)
  let serverDefault = extra.includes('generated') && !extra.includes('default_generated') ? undefined : parseDefault(row['column_default'], extra, type, flavour, database)
  const onUpdate = /on update (current_timestamp(?:\(\d*\))?)/i.exec(extra)
  if (onUpdate) {
    const clause = `ON UPDATE ${onUpdate[1]!.toUpperCase().replace(/\(\)$/, '')}`
    if (serverDefault !== undefined) serverDefault = sql.raw(`${defaultText(serverDefault)} ${clause}`)
    else if (nullable) serverDefault = sql.raw(`NULL ${clause}`)
    else type = { kind: 'custom', sql: `${columnType} ${clause}` }
  }
  const collation = textOf(row['collation_name'])
  const comment = textOf(row['column_comment'])
  // `VIRTUAL GENERATED` / `STORED GENERATED` (not `DEFAULT_GENERATED`, an expression default).
  const generation = /\b(virtual|stored) generated\b/.exec(extra)
  const expression = textOf(row['generation_expression'])
  return compactSpec({
    name,
    type,
    nullable,
    serverDefault,
    autoincrement: extra.includes('auto_increment') || undefined,
    comment: comment === '' ? undefined : comment,
    collation: collation !== undefined && collation !== tableCollation ? collation : undefined,
    generated: generation !== null && expression !== undefined ? { expression: sql.raw(expression), stored: generation[1] === 'stored' } : undefined,
    invisible: /\binvisible\b/.test(extra) || undefined,
  })
}

/** A default as SQL text, to append `ON UPDATE …` to. */
function defaultText(value: DefaultValue): string {
  if (value instanceof SqlFragment) return value.strings.join('?')
  if (typeof value === 'string') return `'${value.replace(/[\\']/g, (ch) => (ch === "'" ? "''" : '\\\\'))}'`
  if (typeof value === 'boolean') return value ? '1' : '0'
  return String(value)
}

const INTEGER_KINDS: Readonly<Record<string, 'integer' | 'smallint' | 'bigint'>> = { int: 'integer', integer: 'integer', smallint: 'smallint', bigint: 'bigint' }

/** A COLUMN_TYPE (`int(10) unsigned`, `varchar(255)`, `enum('a','b')`) as a column type; `column` names MySQL's nameless enums. */
export function parseMysqlType(columnType: string, column: string): ColumnType {
  const text = columnType.trim()
  const enumMatch = /^(enum|set)\((.*)\)$/is.exec(text)
  if (enumMatch) {
    const values = parseValueList(enumMatch[2]!)
    if (values !== undefined) return enumMatch[1]!.toLowerCase() === 'enum' ? { kind: 'enum', name: column, values } : { kind: 'set', values }
    return { kind: 'custom', sql: text }
  }
  const m = /^([a-z]+(?: [a-z]+)?)(?:\((\d+)(?:,(\d+))?\))?((?: (?:unsigned|signed|zerofill))*)$/i.exec(text)
  if (!m) return { kind: 'custom', sql: text }
  const base = m[1]!.toLowerCase()
  const first = m[2] === undefined ? undefined : Number(m[2])
  const second = m[3] === undefined ? undefined : Number(m[3])
  const attributes = m[4]!.toLowerCase()
  const unsigned = attributes.includes('unsigned')
  const zerofill = attributes.includes('zerofill')
  const custom = (): ColumnType => ({ kind: 'custom', sql: text })
  switch (base) {
    case 'int':
    case 'integer':
    case 'smallint':
    case 'bigint':
      if (zerofill) return custom()
      return compactSpec({ kind: INTEGER_KINDS[base]!, unsigned: unsigned || undefined })
    case 'tinyint':
      if (first === 1 && !unsigned && !zerofill) return { kind: 'boolean' }
      return zerofill ? custom() : { kind: 'custom', sql: `tinyint${unsigned ? ' unsigned' : ''}` }
    case 'mediumint':
      return zerofill ? custom() : { kind: 'custom', sql: `mediumint${unsigned ? ' unsigned' : ''}` }
    case 'decimal':
    case 'numeric':
      if (attributes !== '') return custom()
      return compactSpec({ kind: 'numeric' as const, precision: first, scale: second === 0 ? undefined : second })
    case 'float':
      return first === undefined && attributes === '' ? { kind: 'real' } : custom()
    case 'double':
    case 'double precision':
      return first === undefined && attributes === '' ? { kind: 'double' } : custom()
    // CHAR(0) / VARCHAR(0) exist (a column that holds '' or NULL); the models' lengths start at 1.
    case 'varchar':
      return first === undefined || first === 0 ? custom() : { kind: 'varchar', length: first }
    case 'char':
      return first === 0 ? custom() : compactSpec({ kind: 'char' as const, length: first })
    case 'text':
      return first === undefined ? { kind: 'text' } : custom()
    case 'json':
      return { kind: 'json' }
    case 'date':
      return { kind: 'date' }
    case 'time':
      return compactSpec({ kind: 'time' as const, precision: first })
    case 'datetime':
      return compactSpec({ kind: 'timestamp' as const, precision: first })
    case 'blob':
      return first === undefined ? { kind: 'binary' } : custom()
    case 'varbinary':
      return first === undefined ? custom() : { kind: 'binary', length: first }
    case 'year':
      return { kind: 'custom', sql: 'year' }
    default:
      return custom()
  }
}

/** `'a','b''c'` → `['a', "b'c"]` (MySQL escapes), or undefined when malformed. */
function parseValueList(text: string): string[] | undefined {
  const values: string[] = []
  let i = 0
  while (i < text.length) {
    if (text[i] !== "'") return undefined
    const end = endOfQuoted(text, i, true)
    if (end === -1) return undefined
    values.push(unescapeMysqlString(text.slice(i + 1, end)))
    i = end + 1
    if (i < text.length) {
      if (text[i] !== ',') return undefined
      i++
    }
  }
  return values
}

const BACKSLASH_ESCAPES: Readonly<Record<string, string>> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a', '\\': '\\', "'": "'", '"': '"' }

/** The content of a MySQL '…' literal: `''` → `'`, `\n` → newline, `\\` → `\`, `\x` → `x`. */
export function unescapeMysqlString(body: string): string {
  return body.replace(/''|\\(.)/gs, (_match, escaped: string | undefined) => (escaped === undefined ? "'" : (BACKSLASH_ESCAPES[escaped] ?? escaped)))
}

const NUMERIC_KINDS = new Set(['integer', 'smallint', 'bigint', 'numeric', 'real', 'double'])

/** Whether `type` holds numbers: a numeric kind, or `sqlType('tinyint unsigned')`, `sqlType('mediumint')`… */
function isNumeric(type: ColumnType): boolean {
  return NUMERIC_KINDS.has(type.kind) || (type.kind === 'custom' && /^(?:tinyint|mediumint|int|integer|smallint|bigint|decimal|float|double)\b/i.test(type.sql))
}

/** CURRENT_TIMESTAMP and its synonyms, which MySQL 8 accepts as a default without parentheses. */
const BARE_TEMPORAL = /^(?:(?:CURRENT_TIMESTAMP|LOCALTIME|LOCALTIMESTAMP)(?:\(\d*\))?|NOW\(\d*\))$/i

function parseDefault(value: unknown, extra: string, type: ColumnType, flavour: Flavour, database: string | undefined): DefaultValue | undefined {
  const raw = textOf(value)
  if (raw === undefined) return undefined
  const temporal = type.kind === 'timestamp' || (type.kind === 'custom' && /^(?:timestamp|datetime)\b/i.test(type.sql))
  if (flavour.mariadb) {
    if (raw === 'NULL') return undefined
    if (raw.startsWith("'") && endOfQuoted(raw, 0, true) === raw.length - 1) return unescapeMysqlString(raw.slice(1, -1))
    if (NUMERIC_LITERAL.test(raw)) return literalByType(raw, type)
    return sql.raw(normalizeMysqlExpression(database === undefined ? raw : ownSequences(raw, database), flavour))
  }
  // MySQL: literals raw; expressions marked DEFAULT_GENERATED (before 8.0.13: CURRENT_TIMESTAMP on temporal columns).
  if (extra.includes('default_generated') || (temporal && BARE_TEMPORAL.test(raw))) {
    const expression = normalizeMysqlExpression(raw, flavour)
    return sql.raw(BARE_TEMPORAL.test(expression) ? expression : `(${expression})`)
  }
  if (isNumeric(type) || type.kind === 'boolean') return NUMERIC_LITERAL.test(raw) ? literalByType(raw, type) : raw
  return raw
}

/**
 * A MariaDB default with the sequences of `database` named without it: MariaDB qualifies every
 * sequence a default calls (`nextval(\`app\`.\`s\`)`), which, kept, would tie a schema rebuilt
 * elsewhere to the database it was read from.
 */
function ownSequences(text: string, database: string): string {
  const qualifier = `\`${database.replaceAll('`', '``')}\`.`
  if (!text.includes(qualifier)) return text
  const calls = new RegExp(`\\b(nextval|lastval|setval)\\(${qualifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'gi')
  return text.replace(calls, '$1(')
}

function literalByType(text: string, type: ColumnType): DefaultValue {
  if (type.kind === 'boolean' && (text === '0' || text === '1')) return text === '1'
  if (isNumeric(type) || type.kind === 'boolean') return numberOf(text)
  // A number on a string or temporal column: MariaDB writes it unquoted only for numeric types, so keep the text.
  return text
}

// ---------------------------------------------------------------------------------------------
// Expressions

/**
 * An expression as MySQL/MariaDB print it (CHECK_CLAUSE, expression defaults, functional index
 * parts), the way a model writes it: without enclosing parentheses, charset introducers or
 * backquotes around plain names (names that are reserved words, or need quoting, keep them),
 * `current_timestamp()` as `CURRENT_TIMESTAMP`. On MySQL 8 the quotes escaped as `\'` are unescaped first.
 */
export function normalizeMysqlExpression(text: string, flavour: Pick<Flavour, 'mariadb'>): string {
  let source = text
  if (!flavour.mariadb) source = source.replace(/\\'/g, "'")
  let out = ''
  let i = 0
  while (i < source.length) {
    const ch = source[i]!
    if (ch === "'" || ch === '"') {
      const end = endOfQuoted(source, i, true)
      const stop = end === -1 ? source.length : end + 1
      out += source.slice(i, stop)
      i = stop
    } else if (ch === '`') {
      const end = endOfQuoted(source, i, false)
      const stop = end === -1 ? source.length : end + 1
      const name = source.slice(i + 1, stop - 1).replaceAll('``', '`')
      out += end === -1 ? source.slice(i) : plainOrQuoted(name)
      i = stop
    } else if (ch === '_' && !/[\w$]/.test(out.slice(-1))) {
      const introducer = /^_[a-z0-9]+(?=')/i.exec(source.slice(i))
      if (introducer) {
        i += introducer[0].length
      } else {
        const word = /^[\w$]+/.exec(source.slice(i))![0]
        out += word
        i += word.length
      }
    } else if (/[A-Za-z]/.test(ch) && !/[\w$]/.test(out.slice(-1))) {
      const word = /^[\w$]+/.exec(source.slice(i))![0]
      i += word.length
      if (word.toLowerCase() === 'current_timestamp') {
        const call = /^\((\d*)\)/.exec(source.slice(i))
        if (call) i += call[0].length
        out += call && call[1] !== '' ? `CURRENT_TIMESTAMP(${call[1]})` : 'CURRENT_TIMESTAMP'
      } else {
        out += word
      }
    } else {
      out += ch
      i++
    }
  }
  return stripOuterParens(out, true)
}

/** A name bare when it can be (a plain word, not reserved), else backquoted. */
function plainOrQuoted(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) && !MYSQL_RESERVED.has(name.toUpperCase())) return name
  return `\`${name.replaceAll('`', '``')}\``
}

/** MySQL 8 and MariaDB reserved words: a name among them keeps its backquotes. */
const MYSQL_RESERVED = new Set(
  `ACCESSIBLE ADD ALL ALTER ANALYZE AND AS ASC ASENSITIVE BEFORE BETWEEN BIGINT BINARY BLOB BOTH BY CALL CASCADE CASE CHANGE CHAR
  CHARACTER CHECK COLLATE COLUMN CONDITION CONSTRAINT CONTINUE CONVERT CREATE CROSS CUBE CUME_DIST CURRENT_DATE CURRENT_ROLE
  CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR DATABASE DATABASES DAY_HOUR DAY_MICROSECOND DAY_MINUTE DAY_SECOND DEC DECIMAL
  DECLARE DEFAULT DELAYED DELETE DELETE_DOMAIN_ID DENSE_RANK DESC DESCRIBE DETERMINISTIC DISTINCT DISTINCTROW DIV DO_DOMAIN_IDS
  DOUBLE DROP DUAL EACH ELSE ELSEIF EMPTY ENCLOSED ESCAPED EXCEPT EXISTS EXIT EXPLAIN FALSE FETCH FIRST_VALUE FLOAT FLOAT4 FLOAT8
  FOR FORCE FOREIGN FROM FULLTEXT FUNCTION GENERAL GENERATED GET GRANT GROUP GROUPING GROUPS HAVING HIGH_PRIORITY HOUR_MICROSECOND
  HOUR_MINUTE HOUR_SECOND IF IGNORE IGNORE_DOMAIN_IDS IGNORE_SERVER_IDS IN INDEX INFILE INNER INOUT INSENSITIVE INSERT INT INT1 INT2
  INT3 INT4 INT8 INTEGER INTERSECT INTERVAL INTO IO_AFTER_GTIDS IO_BEFORE_GTIDS IS ITERATE JOIN JSON_TABLE KEY KEYS KILL LAG
  LAST_VALUE LATERAL LEAD LEADING LEAVE LEFT LIKE LIMIT LINEAR LINES LOAD LOCALTIME LOCALTIMESTAMP LOCK LONG LONGBLOB LONGTEXT LOOP
  LOW_PRIORITY MASTER_BIND MASTER_HEARTBEAT_PERIOD MASTER_SSL_VERIFY_SERVER_CERT MATCH MAXVALUE MEDIUMBLOB MEDIUMINT MEDIUMTEXT
  MIDDLEINT MINUTE_MICROSECOND MINUTE_SECOND MOD MODIFIES NATURAL NOT NO_WRITE_TO_BINLOG NTH_VALUE NTILE NULL NUMERIC OF OFFSET ON
  OPTIMIZE OPTIMIZER_COSTS OPTION OPTIONALLY OR ORDER OUT OUTER OUTFILE OVER PAGE_CHECKSUM PARSE_VCOL_EXPR PARTITION PERCENT_RANK
  POSITION PRECISION PRIMARY PROCEDURE PURGE RANGE RANK READ READS READ_WRITE REAL RECURSIVE REF_SYSTEM_ID REFERENCES REGEXP RELEASE
  RENAME REPEAT REPLACE REQUIRE RESIGNAL RESTRICT RETURN RETURNING REVOKE RIGHT RLIKE ROW ROWS ROW_NUMBER SCHEMA SCHEMAS
  SECOND_MICROSECOND SELECT SENSITIVE SEPARATOR SET SHOW SIGNAL SLOW SMALLINT SPATIAL SPECIFIC SQL SQLEXCEPTION SQLSTATE SQLWARNING
  SQL_BIG_RESULT SQL_CALC_FOUND_ROWS SQL_SMALL_RESULT SSL STARTING STATS_AUTO_RECALC STATS_PERSISTENT STATS_SAMPLE_PAGES STORED
  STRAIGHT_JOIN SYSTEM TABLE TERMINATED THEN TINYBLOB TINYINT TINYTEXT TO TRAILING TRIGGER TRUE UNDO UNION UNIQUE UNLOCK UNSIGNED
  UPDATE USAGE USE USING UTC_DATE UTC_TIME UTC_TIMESTAMP VALUES VARBINARY VARCHAR VARCHARACTER VARYING VIRTUAL WHEN WHERE WHILE
  WINDOW WITH WRITE XOR YEAR_MONTH ZEROFILL`.split(/\s+/),
)

// ---------------------------------------------------------------------------------------------
// What MySQL keeps of a spec

/**
 * `spec` as this introspector reports the table the MySQL compiler creates from it, for the losses
 * listed at the top of this file that need no database to predict: uuid → char(36), jsonb → json,
 * no time zone, enum names = column names, numeric scale 0 and default precision, char(1), no
 * primary key name, identity options, deferrable/initially/match or RESTRICT/NO ACTION, NULLS NOT
 * DISTINCT, unique
 * indexes on plain columns as unique constraints, BTREE omitted, plain `sql` fragments without
 * enclosing parentheses, bigint defaults within 2^53 as numbers and boolean defaults of
 * non-boolean columns as 1/0. Expressions are not re-printed as the server would.
 */
export function canonicalMysqlTable(spec: TableSpec): TableSpec {
  const uniqueIndexes = spec.indexes.filter(
    (ix) => ix.unique && ix.where === undefined && (ix.using === undefined || ix.using.toUpperCase() === 'BTREE') && ix.descending === undefined && ix.columns.every((c) => typeof c === 'string'),
  )
  return compactSpec({
    ...spec,
    columns: mapChanged(spec.columns, (column) =>
      withChanges(column, {
        type: canonicalType(column.type, column.name),
        serverDefault: canonicalDefault(column.serverDefault, column.type),
        identity: undefined,
        // MariaDB takes no NOT NULL on a generated column (the compiler leaves it out) and reports it nullable.
        ...(column.generated === undefined ? {} : { nullable: true, generated: { expression: column.generated.expression, stored: column.generated.stored === true } }),
      }),
    ),
    primaryKey: spec.primaryKey === undefined ? undefined : { columns: spec.primaryKey.columns },
    // MySQL has no deferrable or NULLS NOT DISTINCT unique constraints (the compiler leaves them out).
    uniques: [
      ...spec.uniques.map((u) => (u.deferrable === undefined && u.initially === undefined && u.nullsNotDistinct === undefined ? u : compactSpec({ ...u, deferrable: undefined, initially: undefined, nullsNotDistinct: undefined }))),
      ...uniqueIndexes.map((ix) => ({ name: ix.name, columns: ix.columns as string[] })),
    ],
    foreignKeys: spec.foreignKeys.map(
      (fk): ForeignKeySpec =>
        compactSpec({
          ...fk,
          onDelete: action(fk.onDelete),
          onUpdate: action(fk.onUpdate),
          deferrable: undefined,
          initially: undefined,
          match: undefined,
        }),
    ),
    checks: spec.checks.map((check) => ({ ...check, expression: canonicalFragment(check.expression) })),
    indexes: spec.indexes
      .filter((ix) => !uniqueIndexes.includes(ix))
      .map(
        (ix): IndexSpec =>
          compactSpec({
            ...ix,
            columns: ix.columns.map((c) => (c instanceof SqlFragment ? canonicalFragment(c) : c)),
            using: ix.using === undefined || ix.using.toUpperCase() === 'BTREE' ? undefined : ix.using.toUpperCase(),
            nullsNotDistinct: undefined,
          }),
      ),
  })
}

function canonicalType(type: ColumnType, column: string): ColumnType {
  const canonical = canonicalTypeCopy(type, column)
  // The type itself when nothing changed: `withChanges` then keeps the column as it is.
  return canonical === type || shallowEqual(canonical, type) ? type : canonical
}

function canonicalTypeCopy(type: ColumnType, column: string): ColumnType {
  switch (type.kind) {
    case 'uuid':
      return { kind: 'char', length: 36 }
    case 'jsonb':
      return { kind: 'json' }
    case 'time':
    case 'timestamp':
      return compactSpec({ kind: type.kind, precision: type.precision })
    case 'numeric':
      return compactSpec({ kind: 'numeric' as const, precision: type.precision ?? 10, scale: type.scale === 0 ? undefined : type.scale })
    case 'char':
      return { kind: 'char', length: type.length ?? 1 }
    case 'enum':
      return { kind: 'enum', name: column, values: type.values }
    default:
      return type
  }
}

function canonicalDefault(value: DefaultValue | undefined, type: ColumnType): DefaultValue | undefined {
  if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value)
  if (typeof value === 'boolean' && type.kind !== 'boolean') return value ? 1 : 0
  if (value instanceof SqlFragment) return canonicalFragment(value)
  return value
}

function canonicalFragment(fragment: SqlFragment): SqlFragment {
  if (!fragment.isPlainText) return fragment
  const text = stripOuterParens(fragment.strings[0]!, true)
  // The same fragment when there were no parentheses to strip (an equal copy otherwise).
  return text === fragment.strings[0] ? fragment : sql.raw(text)
}
