/**
 * Autogenerate's comparison, without a database: snapshots are written as the introspectors
 * report them (canonical forms, generated constraint names, re-printed expressions), models with
 * the models API.
 */
import { describe, expect, it } from 'vitest'
import { checkCondition, generationExpression } from '../../src/autogenerate/server-spellings.js'
import { spellingKey, spellingQuestions, compareSchemas, prepareModels, type CompareOptions, type Difference, type ModelSchema } from '../../src/autogenerate/compare.js'
import { normalizeExpression, sameExpression, temporalText } from '../../src/autogenerate/expressions.js'
import { sameDefault, sameType } from '../../src/autogenerate/canonical.js'

import { exactDecimal, numberOf } from '../../src/dialects/introspector.js'
import { ReversibleAddEnumValueOp, ReversibleExecuteOp, ReversibleUsingAlterColumnOp } from '../../src/autogenerate/inverse-ops.js'
import { mergeColumnAlterations, operationRank, orderOperations, planMigration, reverseOperations } from '../../src/autogenerate/order.js'
import type { DialectName } from '../../src/dialects/dialect.js'
import { getDialect } from '../../src/dialects/index.js'
import { applyOperation, unnamedConstraintCalled } from '../../src/operations/apply.js'
import { sortTableSpecs, withHidden, type SchemaSnapshot } from '../../src/dialects/introspector.js'
import { canonicalMysqlTable } from '../../src/dialects/mysql/mysql-introspector.js'
import { canonicalPostgresTable } from '../../src/dialects/postgres/postgres-introspector.js'
import {
  AddColumnOp,
  AddEnumValueOp,
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
  type Operation,
} from '../../src/operations/ops.js'
import {
  array,
  bigint,
  binary,
  boolean,
  char,
  check,
  foreignKey,
  date,
  double,
  enumType,
  index,
  integer,
  interval,
  json,
  jsonb,
  MetaData,
  numeric,
  real,
  setType,
  smallint,
  sql,
  sqlType,
  text,
  time,
  timestamp,
  unique,
  uuid,
  varchar,
} from '../../src/schema/index.js'
import type { TableSpec } from '../../src/schema/spec.js'
import type { SqlFragment } from '../../src/schema/sql.js'
import type { EnumType } from '../../src/schema/types.js'

const OPTIONS = { compareType: true, compareServerDefault: true, versionTable: 'migrator_version' } as const

function options(dialect: DialectName, extra: Partial<CompareOptions> = {}): CompareOptions {
  return { ...OPTIONS, dialect, ...extra }
}

/** Names PostgreSQL gives unnamed constraints (`t_pkey`, `t_a_key`, `t_a_fkey`, `t_check`). */
function namedLikePostgres(spec: TableSpec): TableSpec {
  return {
    ...spec,
    primaryKey: spec.primaryKey && { name: spec.primaryKey.name ?? `${spec.name}_pkey`, columns: spec.primaryKey.columns },
    uniques: spec.uniques.map((u) => ({ ...u, name: u.name ?? `${spec.name}_${u.columns.join('_')}_key` })),
    foreignKeys: spec.foreignKeys.map((fk) => ({ ...fk, name: fk.name ?? `${spec.name}_${fk.columns.join('_')}_fkey` })),
    checks: spec.checks.map((c, i) => ({ ...c, name: c.name ?? `${spec.name}_check${i === 0 ? '' : i}` })),
  }
}

/** Names MySQL gives unnamed constraints (unique index after its first column, `t_ibfk_N`, `CONSTRAINT_N`). */
function namedLikeMysql(spec: TableSpec): TableSpec {
  return {
    ...spec,
    uniques: spec.uniques.map((u) => ({ ...u, name: u.name ?? u.columns[0]! })),
    foreignKeys: spec.foreignKeys.map((fk, i) => ({ ...fk, name: fk.name ?? `${spec.name}_ibfk_${i + 1}` })),
    checks: spec.checks.map((c, i) => ({ ...c, name: c.name ?? `CONSTRAINT_${i + 1}` })),
  }
}

/** The snapshot a database built from `metadata` gives (without the server re-printing expressions). */
function databaseOf(metadata: MetaData, dialect: 'postgresql' | 'mysql', enums: readonly EnumType[] = []): SchemaSnapshot {
  const specs = metadata.toSpecs().map((t) => (dialect === 'postgresql' ? namedLikePostgres(canonicalPostgresTable(t)) : namedLikeMysql(canonicalMysqlTable(t))))
  return { tables: sortTableSpecs(specs), enums }
}

function modelsOf(metadata: MetaData, enums: readonly EnumType[] = []): ModelSchema {
  return { tables: metadata.toSpecs(), enums }
}

function compare(database: MetaData | SchemaSnapshot, models: MetaData, dialect: DialectName = 'postgresql', extra: Partial<CompareOptions> = {}): Difference[] {
  const snapshot = database instanceof MetaData ? databaseOf(database, dialect === 'mysql' ? 'mysql' : 'postgresql') : database
  return compareSchemas(snapshot, modelsOf(models), options(dialect, extra))
}

const descriptions = (diffs: readonly Difference[]): string[] => diffs.map((d) => d.description)
const allOps = (diffs: readonly Difference[]): Operation[] => diffs.flatMap((d) => d.ops)

/** One table `t` with these columns and options, in a fresh MetaData. */
function oneTable(columns: Parameters<MetaData['table']>[1], tableOptions: Parameters<MetaData['table']>[2] = {}): MetaData {
  const metadata = new MetaData()
  metadata.table('t', columns, tableOptions)
  return metadata
}

// ---------------------------------------------------------------------------------------------

describe('no false positives', () => {
  function everything(): MetaData {
    const metadata = new MetaData()
    const status = enumType('user_status', ['active', 'banned', "it's"])
    const orgs = metadata.table(
      'orgs',
      {
        id: integer().primaryKey().autoincrement(),
        name: varchar(100).notNull().unique(),
        slug: text(),
        created_at: timestamp({ timezone: true }).notNull().default(sql`CURRENT_TIMESTAMP`),
      },
      { indexes: [index('ix_orgs_lower_slug').on(sql`lower(slug)`).unique()], comment: 'Organisations' },
    )
    metadata.table(
      'users',
      {
        id: bigint().primaryKey().identity({ always: true, start: 1000 }),
        org_id: integer()
          .notNull()
          .references(() => orgs.columns.id, { onDelete: 'cascade' }),
        email: varchar(255).notNull().comment('login'),
        display_name: varchar(50).default("it's me").collate('C'),
        status: status.notNull().default('active'),
        balance: numeric(12, 2).notNull().default(0.5),
        score: double().default(1.5),
        ratio: real().default(-0.25),
        is_admin: boolean().notNull().default(false),
        born: date().default('2000-01-01'),
        updated_at: timestamp().default(sql`now()`),
        profile: jsonb().default('{}'),
        settings: json(),
        avatar: binary(),
        uid: uuid().notNull().default(sql`gen_random_uuid()`),
        tags: array(text()),
        roles: array(status, { dimensions: 2 }),
        lucky: smallint().default(-7),
        big: bigint().default(9007199254740993n),
        amount: numeric(10, 0),
        code: char(),
        starts: time({ precision: 2 }),
        estimate: interval(),
        vector: sqlType('tsvector'),
      },
      {
        uniques: [unique().on('org_id', 'email')],
        checks: [check('lucky_range', sql`lucky > 0 AND lucky < 100`), check(sql`balance >= 0`)],
        indexes: [
          index().on('display_name').where(sql`display_name IS NOT NULL`),
          index('ix_users_tags').on('tags').using('GIN'),
          index('ix_users_org_status').on('org_id', 'status', 'email').using('btree'),
        ],
      },
    )
    return metadata
  }

  it('finds nothing between models and the database PostgreSQL builds from them', () => {
    const metadata = everything()
    expect(compare(metadata, metadata)).toEqual([])
  })

  it('finds nothing when PostgreSQL re-prints expressions, defaults and types its own way', () => {
    const models = oneTable(
      {
        id: integer().primaryKey(),
        price: numeric(10, 2).notNull(),
        name: varchar(50).notNull().default('x'),
        status: varchar(10),
        created: timestamp().default(sql`now()`),
        n: integer().default('5'),
        flag: boolean().default(sql`TRUE`),
        at: timestamp().default('2020-01-01'),
        small: integer().default(-1),
        int4: sqlType('int4'),
        vc: sqlType('character varying(20)'),
        tz: sqlType('timestamptz'),
        list: sqlType('text[]'),
      },
      {
        checks: [
          check('ck_price', sql`(price * 2) > 0 AND price BETWEEN 0 AND 1000`),
          check('ck_status', sql`status IN ('a', 'b')`),
          check('ck_name', sql`name <> '' AND name LIKE 'x%'`),
          check(sql`small > -10`),
        ],
        indexes: [index('ix_lower').on(sql`lower(name)`).where(sql`status IS NOT NULL AND status <> 'b'`)],
      },
    )
    const database: SchemaSnapshot = {
      enums: [],
      tables: [
        {
          name: 't',
          columns: [
            { name: 'id', type: { kind: 'integer' }, nullable: false },
            { name: 'price', type: { kind: 'numeric', precision: 10, scale: 2 }, nullable: false },
            { name: 'name', type: { kind: 'varchar', length: 50 }, nullable: false, serverDefault: 'x' },
            { name: 'status', type: { kind: 'varchar', length: 10 }, nullable: true },
            { name: 'created', type: { kind: 'timestamp' }, nullable: true, serverDefault: sql`CURRENT_TIMESTAMP` },
            { name: 'n', type: { kind: 'integer' }, nullable: true, serverDefault: 5 },
            { name: 'flag', type: { kind: 'boolean' }, nullable: true, serverDefault: true },
            { name: 'at', type: { kind: 'timestamp' }, nullable: true, serverDefault: '2020-01-01 00:00:00' },
            { name: 'small', type: { kind: 'integer' }, nullable: true, serverDefault: sql`'-1'::integer` },
            { name: 'int4', type: { kind: 'integer' }, nullable: true },
            { name: 'vc', type: { kind: 'varchar', length: 20 }, nullable: true },
            { name: 'tz', type: { kind: 'timestamp', timezone: true }, nullable: true },
            { name: 'list', type: { kind: 'array', itemType: { kind: 'text' } }, nullable: true },
          ],
          primaryKey: { name: 't_pkey', columns: ['id'] },
          uniques: [],
          foreignKeys: [],
          checks: [
            { name: 'ck_name', expression: sql`name::text <> ''::text AND name::text ~~ 'x%'::text` },
            { name: 'ck_price', expression: sql`(price * 2::numeric) > 0::numeric AND price >= 0::numeric AND price <= 1000::numeric` },
            { name: 'ck_status', expression: sql`status::text = ANY (ARRAY['a'::character varying, 'b'::character varying]::text[])` },
            { name: 't_small_check', expression: sql`small > '-10'::integer` },
          ],
          indexes: [{ name: 'ix_lower', columns: [sql`lower(name::text)`], where: sql`status IS NOT NULL AND status::text <> 'b'::text` }],
        },
      ],
    }
    expect(compare(database, models)).toEqual([])
  })

  it('finds nothing between models and the database MySQL builds from them', () => {
    const metadata = new MetaData()
    const orgs = metadata.table('orgs', { id: integer().primaryKey().autoincrement(), name: varchar(100).notNull().unique() })
    metadata.table(
      'users',
      {
        id: bigint().unsigned().primaryKey().autoincrement(),
        org_id: integer().references(() => orgs.columns.id, { onDelete: 'restrict' }),
        email: varchar(255).notNull(),
        status: enumType('user_status', ['active', 'banned']).notNull().default('active'),
        tags: setType(['a', 'b']),
        uid: uuid(),
        doc: jsonb(),
        at: timestamp({ timezone: true, precision: 3 }).default(sql`CURRENT_TIMESTAMP(3)`),
        flag: boolean().default(true),
        n: integer().default(false),
        amount: numeric(),
        kind: char(),
      },
      {
        primaryKey: { name: 'pk_users', columns: ['id'] },
        checks: [check(sql`email <> ''`)],
        indexes: [index('ix_users_email').on('email').unique().using('BTREE'), index('ix_users_at').on('at')],
      },
    )
    expect(compare(metadata, metadata, 'mysql')).toEqual([])
  })

  it('finds nothing for MySQL synonyms, display widths and re-printed defaults', () => {
    const models = oneTable({
      id: sqlType('INT(11)').primaryKey(),
      flag: sqlType('BOOL'),
      tiny: sqlType('tinyint(4)'),
      created: timestamp().default(sql`now()`),
      price: numeric(10, 2).default('1.50'),
      total: sqlType('DOUBLE PRECISION'),
      note: sqlType('MEDIUMTEXT'),
    })
    const database: SchemaSnapshot = {
      enums: [],
      tables: [
        {
          name: 't',
          columns: [
            { name: 'id', type: { kind: 'integer' }, nullable: false },
            { name: 'flag', type: { kind: 'boolean' }, nullable: true },
            { name: 'tiny', type: { kind: 'custom', sql: 'tinyint' }, nullable: true },
            { name: 'created', type: { kind: 'timestamp' }, nullable: true, serverDefault: sql`CURRENT_TIMESTAMP` },
            { name: 'price', type: { kind: 'numeric', precision: 10, scale: 2 }, nullable: true, serverDefault: 1.5 },
            { name: 'total', type: { kind: 'double' }, nullable: true },
            { name: 'note', type: { kind: 'custom', sql: 'mediumtext' }, nullable: true },
          ],
          primaryKey: { columns: ['id'] },
          uniques: [],
          foreignKeys: [],
          checks: [],
          indexes: [],
        },
      ],
    }
    expect(compare(database, models, 'mysql')).toEqual([])
  })

  it('matches unnamed model constraints with the names the database generated, by content', () => {
    const metadata = new MetaData()
    const a = metadata.table('a', { id: integer().primaryKey(), code: text().unique() })
    metadata.table('b', { id: integer().primaryKey(), a_id: integer().references(() => a.columns.id), x: integer() }, { uniques: [unique().on('a_id', 'x')], checks: [check(sql`x > 0`)] })
    const renamed: SchemaSnapshot = {
      enums: [],
      tables: databaseOf(metadata, 'postgresql').tables.map((t) => ({
        ...t,
        primaryKey: t.primaryKey && { ...t.primaryKey, name: `weird_${t.name}_pk` },
        uniques: t.uniques.map((u, i) => ({ ...u, name: `weird_uq_${i}` })),
        foreignKeys: t.foreignKeys.map((fk, i) => ({ ...fk, name: `weird_fk_${i}` })),
        checks: t.checks.map((c, i) => ({ ...c, name: `weird_ck_${i}` })),
      })),
    }
    expect(compare(renamed, metadata)).toEqual([])
  })

  it('ignores the version table and collations', () => {
    const metadata = oneTable({ id: integer().primaryKey(), name: text().collate('C') })
    const database = databaseOf(oneTable({ id: integer().primaryKey(), name: text() }), 'postgresql')
    const withVersion: SchemaSnapshot = {
      enums: [],
      tables: [...database.tables, { name: 'migrator_version', columns: [{ name: 'version_num', type: { kind: 'varchar', length: 32 }, nullable: false }], uniques: [], foreignKeys: [], checks: [], indexes: [] }],
    }
    expect(compare(withVersion, metadata)).toEqual([])
    const custom = compareSchemas(withVersion, modelsOf(metadata), options('postgresql', { versionTable: 'alembic_version' }))
    expect(descriptions(custom)).toEqual(["removed table 'migrator_version'"])
  })

  it('compares expressions by their canonical text', () => {
    expect(sameExpression(sql`a > 0 AND (b > 0 OR c > 0)`, sql`(a > 0) AND ((b > 0) OR (c > 0))`, 'postgresql')).toBe(true)
    expect(sameExpression(sql`(a > 0 AND b > 0) OR c > 0`, sql`a > 0 AND (b > 0 OR c > 0)`, 'postgresql')).toBe(false)
    expect(sameExpression(sql`a - (b - c)`, sql`a - b - c`, 'postgresql')).toBe(false)
    expect(sameExpression(sql`x NOT IN ('a', 'b')`, sql`x::text <> ALL (ARRAY['a'::text, 'b'::text])`, 'postgresql')).toBe(true)
    expect(sameExpression(sql`"Mixed" > 0 AND "order" <> ''`, sql`"Mixed" > 0 AND "order"::text <> ''::text`, 'postgresql')).toBe(true)
    expect(sameExpression('concat(`a`,\'b\') = \'ab\' and `price` > 0', "CONCAT(a, 'b') = 'ab' AND price > 0", 'mysql')).toBe(true)
    expect(sameExpression(sql`status = ${'it\'s'}`, sql`status = 'it''s'`, 'postgresql')).toBe(true)
    expect(normalizeExpression(sql`CASE WHEN a > 0 THEN 'x' ELSE 'y' END`, 'postgresql')).toBe("case when a > 0 then 'x' else 'y' end")
  })

  it('compares types with their synonyms and defaults by value', () => {
    expect(sameType({ kind: 'integer' }, { kind: 'integer' }, 'postgresql')).toBe(true)
    expect(sameType({ kind: 'enum', name: 'e', values: ['a'] }, { kind: 'enum', name: 'e', values: ['a', 'b'] }, 'postgresql')).toBe(true)
    expect(sameType({ kind: 'enum', name: 'c', values: ['a'] }, { kind: 'enum', name: 'c', values: ['a', 'b'] }, 'mysql')).toBe(false)
    expect(sameDefault(5, '5', { kind: 'integer' }, 'postgresql')).toBe(true)
    expect(sameDefault('x', sql`'x'::character varying`, { kind: 'varchar', length: 5 }, 'postgresql')).toBe(true)
    expect(sameDefault(sql`now()`, sql`current_timestamp()`, { kind: 'timestamp' }, 'mysql')).toBe(true)
    expect(sameDefault(true, 1, { kind: 'boolean' }, 'mysql')).toBe(true)
    expect(sameDefault(0.5, sql`0.50`, { kind: 'numeric' }, 'postgresql')).toBe(true)
    expect(sameDefault('5', 5, { kind: 'varchar', length: 5 }, 'mysql')).toBe(true)
    expect(sameDefault('a', 'b', { kind: 'text' }, 'postgresql')).toBe(false)
    expect(sameDefault(undefined, sql`NULL`, { kind: 'text' }, 'postgresql')).toBe(true)
    expect(sameDefault(sql`now()`, sql`now() + interval '1 day'`, { kind: 'timestamp' }, 'postgresql')).toBe(false)
  })

  it('reads what the databases re-spell as the models spell it: now(), SIMILAR TO, dates as text, MySQL TRUE', () => {
    expect(sameExpression(sql`(current_timestamp() + interval 1 day)`, 'CURRENT_TIMESTAMP + interval 1 day', 'mysql')).toBe(true)
    expect(sameExpression(sql`now() > created`, sql`CURRENT_TIMESTAMP > created`, 'postgresql')).toBe(true)
    expect(sameExpression(sql`curdate()`, sql`current_date`, 'mysql')).toBe(true)
    expect(sameExpression(sql`current_timestamp(3)`, sql`current_timestamp`, 'mysql')).toBe(false)
    // MariaDB's names of MySQL's synonymous functions, in defaults as in checks.
    expect(sameDefault(sql`(upper('x'))`, sql`ucase('x')`, { kind: 'varchar', length: 20 }, 'mysql')).toBe(true)
    expect(sameExpression(sql`length(b) > ceil(a) AND mid(b, 1, 2) <> 'x'`, sql.raw("octet_length(`b`) > ceiling(`a`) and substr(`b`,1,2) <> 'x'"), 'mysql')).toBe(true)
    expect(sameExpression(sql`lower(b) = 'x'`, sql`upper(b) = 'x'`, 'mysql')).toBe(false)
    // MySQL keeps the backslash of LIKE's escapes \_ and \% in a string: a literal underscore is not any character.
    expect(sameExpression(sql.raw("b LIKE 'a\\_b'"), sql.raw("b LIKE 'a_b'"), 'mysql')).toBe(false)
    expect(sameExpression(sql.raw("b LIKE 'a\\%b'"), sql.raw("b like 'a\\%b'"), 'mysql')).toBe(true)
    expect(sameExpression(sql.raw("b = 'it\\'s'"), sql.raw("b = 'it''s'"), 'mysql')).toBe(true)
    // MariaDB stores now(6) as current_timestamp(6), and LOCALTIMESTAMP / LOCALTIME (MySQL's NOW()) as current_timestamp().
    expect(sameDefault(sql`now(6)`, sql`current_timestamp(6)`, { kind: 'timestamp', precision: 6 }, 'mysql')).toBe(true)
    expect(sameDefault(sql`LOCALTIMESTAMP`, sql`current_timestamp()`, { kind: 'timestamp' }, 'mysql')).toBe(true)
    expect(sameDefault(sql`localtime()`, sql`current_timestamp()`, { kind: 'timestamp' }, 'mysql')).toBe(true)
    expect(sameDefault(sql`now(6)`, sql`current_timestamp(3)`, { kind: 'timestamp', precision: 6 }, 'mysql')).toBe(false)
    // PostgreSQL's LOCALTIMESTAMP has no time zone: not current_timestamp there.
    expect(sameExpression(sql`LOCALTIMESTAMP`, sql`CURRENT_TIMESTAMP`, 'postgresql')).toBe(false)
    expect(sameExpression(sql`v SIMILAR TO 'a%'`, sql`v ~ similar_to_escape('a%'::text)`, 'postgresql')).toBe(true)
    expect(sameExpression(sql`v NOT SIMILAR TO 'a#%' ESCAPE '#'`, sql`v !~ similar_to_escape('a#%'::text, '#'::text)`, 'postgresql')).toBe(true)
    expect(sameExpression(sql`ts > '2020-01-01'`, sql`ts > '2020-01-01 00:00:00'::timestamp without time zone`, 'postgresql')).toBe(true)
    expect(sameExpression(sql`ts > '2020-01-01 10:00'`, sql`ts > '2020-01-01 10:00:00'::timestamp without time zone`, 'postgresql')).toBe(true)
    expect(sameExpression(sql`ts > '2020-01-01 10:00'`, sql`ts > '2020-01-01 10:00:01'`, 'postgresql')).toBe(false)
    expect(sameExpression(sql`CASE WHEN ok THEN 1 ELSE TRUE END`, 'case when ok then 1 else 1 end', 'mysql')).toBe(true)
    expect(sameExpression(sql`flag = TRUE`, sql`flag = 1`, 'postgresql')).toBe(false)
    expect(['2020-1-2', '2020-01-02 00:00:00.000', '2020-01-02 10:00:00', '2020-01-02 10:00:30.50', 'x2020-01-02'].map(temporalText)).toEqual(['2020-01-02', '2020-01-02', '2020-01-02 10:00', '2020-01-02 10:00:30.5', undefined])
  })

  it('compares JSON, uuid, SET and time zone defaults by value', () => {
    expect(sameDefault('{"b": [1, 2], "a":1}', sql`'{"a": 1, "b": [1, 2]}'::jsonb`, { kind: 'jsonb' }, 'postgresql')).toBe(true)
    expect(sameDefault('{"a": 1}', '{"a": 2}', { kind: 'json' }, 'mysql')).toBe(false)
    expect(sameDefault('A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', { kind: 'uuid' }, 'postgresql')).toBe(true)
    expect(sameDefault('sale,eco', 'eco,sale', { kind: 'set', values: ['eco', 'sale', 'new'] }, 'mysql')).toBe(true)
    expect(sameDefault('sale,new', 'eco,sale', { kind: 'set', values: ['eco', 'sale', 'new'] }, 'mysql')).toBe(false)
    expect(sameDefault('2020-01-01 00:00:00+02', sql`'2019-12-31 22:00:00+00'::timestamp with time zone`, { kind: 'timestamp', timezone: true }, 'postgresql')).toBe(true)
    expect(sameDefault('2020-01-01 00:00:00+02', '2020-01-01 00:00:00+00', { kind: 'timestamp', timezone: true }, 'postgresql')).toBe(false)
    expect(sameDefault('2020-01-01 00:00:00+02', '2020-01-01 00:00:00', { kind: 'timestamp' }, 'postgresql')).toBe(true)
    expect(sameDefault('2020-1-2', sql`'2020-01-02'::date`, { kind: 'date' }, 'postgresql')).toBe(true)
  })

  it('compares numeric defaults by their exact decimal value, and reads one a JS number would round as its text', () => {
    const numeric = { kind: 'numeric', precision: 30, scale: 4 } as const
    expect(sameDefault('12345678901234567.8901', 12345678901234568, numeric, 'postgresql')).toBe(false)
    expect(sameDefault('12345678901234567.8901', sql`12345678901234567.89010`, numeric, 'postgresql')).toBe(true)
    expect(sameDefault(1.5, '1.50', numeric, 'mysql')).toBe(true)
    expect(sameDefault(1000, sql`1e3`, numeric, 'sqlite')).toBe(true)
    expect(sameDefault(0.1, '0.10000000000000001', numeric, 'postgresql')).toBe(false)
    expect(['1.50', '-15e-1', '+001.5', '.5', '1e3', '1000.0', '-0', '0.000', '1.', '12e-5', '-0.00120e2'].map(exactDecimal)).toEqual(['1.5', '-1.5', '1.5', '0.5', '1000', '1000', '0', '0', '1', '0.00012', '-0.12'])
    expect(['', '.', 'e5', '1e', 'abc', '1.2.3'].map(exactDecimal)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined])
    expect(numberOf('12345678901234567.8901')).toBe('12345678901234567.8901')
    expect(numberOf('1.50')).toBe(1.5)
    expect(numberOf('-0.25')).toBe(-0.25)
    expect(numberOf('9007199254740993')).toBe(9007199254740993n)
    expect(numberOf('42')).toBe(42)
  })
})

/**
 * The DO block recreating the PostgreSQL enum type "mood" around `body`: the indexes and checks
 * holding a value of the type are kept, dropped and created again (their statements are run by the block).
 */
function recreated(body: string): string {
  const oid = `'"mood"'::regtype`
  const typed = (relation: string, keys: string): string => `EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = ${relation} AND a.attnum = ANY (${keys}) AND a.atttypid = ${oid})`
  return [
    `DO $migrator$ DECLARE r record; saved text[] := '{}'; statement text; old_type oid; old_array oid; BEGIN`,
    `FOR r IN SELECT DISTINCT k.oid, format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname) AS drop_sql, format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid)) AS create_sql FROM pg_constraint k WHERE k.contype = 'f' AND (${typed('k.conrelid', 'k.conkey')} OR ${typed('k.confrelid', 'k.confkey')}) LOOP saved := saved || r.create_sql; EXECUTE r.drop_sql; END LOOP;`,
    `FOR r IN SELECT DISTINCT c.oid, format('DROP INDEX %I.%I', n.nspname, c.relname) AS drop_sql, pg_get_indexdef(c.oid) AS create_sql FROM pg_depend d JOIN pg_class c ON c.oid = d.objid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE d.classid = 'pg_class'::regclass AND c.relkind = 'i' AND d.refclassid = 'pg_type'::regclass AND d.refobjid = ${oid} AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid) LOOP saved := saved || r.create_sql; EXECUTE r.drop_sql; END LOOP;`,
    `FOR r IN SELECT DISTINCT k.oid, format('ALTER TABLE %s DROP CONSTRAINT %I', k.conrelid::regclass, k.conname) AS drop_sql, format('ALTER TABLE %s ADD CONSTRAINT %I %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid)) AS create_sql FROM pg_depend d JOIN pg_constraint k ON k.oid = d.objid WHERE d.classid = 'pg_constraint'::regclass AND k.contype = 'c' AND d.refclassid = 'pg_type'::regclass AND d.refobjid = ${oid} LOOP saved := saved || r.create_sql; EXECUTE r.drop_sql; END LOOP;`,
    body,
    'FOREACH statement IN ARRAY saved LOOP EXECUTE statement; END LOOP; END $migrator$',
  ].join(' ')
}

// ---------------------------------------------------------------------------------------------

describe('differences', () => {
  it('tables added and removed', () => {
    const before = new MetaData()
    before.table('old', { id: integer().primaryKey() })
    const after = new MetaData()
    after.table('new', { id: integer().primaryKey(), name: text() })
    const diffs = compare(before, after)
    expect(descriptions(diffs)).toEqual(["added table 'new'", "removed table 'old'"])
    expect(diffs[0]!.ops).toStrictEqual([new CreateTableOp({ table: after.getTable('new')!.toSpec() })])
    const dropped = diffs[1]!.ops[0] as DropTableOp
    expect(dropped).toBeInstanceOf(DropTableOp)
    expect(dropped.existing).toEqual(databaseOf(before, 'postgresql').tables[0])
    expect(dropped.reverse()).toStrictEqual(new CreateTableOp({ table: dropped.existing! }))
    expect(diffs.map((d) => [d.kind, d.table])).toEqual([
      ['add_table', 'new'],
      ['remove_table', 'old'],
    ])
  })

  it('columns added and removed', () => {
    const diffs = compare(oneTable({ id: integer().primaryKey(), age: integer().notNull() }), oneTable({ id: integer().primaryKey(), email: varchar(100).notNull().default('') }))
    expect(descriptions(diffs)).toEqual(["added column 't.email'", "removed column 't.age'"])
    expect(allOps(diffs)).toStrictEqual([
      new AddColumnOp({ tableName: 't', column: { name: 'email', type: { kind: 'varchar', length: 100 }, nullable: false, serverDefault: '' } }),
      new DropColumnOp({ tableName: 't', columnName: 'age', existing: { column: { name: 'age', type: { kind: 'integer' }, nullable: false } } }),
    ])
  })

  it('type, nullability, default and comment, each with the column as the previous change left it', () => {
    const diffs = compare(
      oneTable({ id: integer().primaryKey(), name: varchar(50).default('a').comment('old') }),
      oneTable({ id: integer().primaryKey(), name: varchar(100).notNull().default('b').comment('new') }),
    )
    expect(descriptions(diffs)).toEqual([
      "changed type of 't.name': VARCHAR(50) -> VARCHAR(100)",
      "changed default of 't.name': 'a' -> 'b'",
      "changed nullability of 't.name': NULL -> NOT NULL",
      "changed comment of 't.name': 'old' -> 'new'",
    ])
    const base = { tableName: 't', columnName: 'name' }
    expect(allOps(diffs)).toStrictEqual([
      new AlterColumnOp({ ...base, type: { kind: 'varchar', length: 100 }, existingType: { kind: 'varchar', length: 50 }, existingNullable: true, existingServerDefault: 'a', existingComment: 'old' }),
      new AlterColumnOp({ ...base, serverDefault: 'b', existingType: { kind: 'varchar', length: 100 }, existingNullable: true, existingServerDefault: 'a', existingComment: 'old' }),
      new AlterColumnOp({ ...base, nullable: false, existingType: { kind: 'varchar', length: 100 }, existingNullable: true, existingServerDefault: 'b', existingComment: 'old' }),
      new AlterColumnOp({ ...base, comment: 'new', existingType: { kind: 'varchar', length: 100 }, existingNullable: false, existingServerDefault: 'b', existingComment: 'old' }),
    ])
  })

  it('PostgreSQL type changes without an assignment cast convert with USING both ways, the default off meanwhile', () => {
    const diffs = compare(oneTable({ id: integer().primaryKey(), n: varchar(10).default('5') }), oneTable({ id: integer().primaryKey(), n: integer().default(5) }))
    expect(descriptions(diffs)).toEqual(["changed type of 't.n': VARCHAR(10) -> INTEGER"])
    const base = { tableName: 't', columnName: 'n', existingNullable: true, existingComment: null }
    const ops = allOps(diffs)
    expect(ops).toEqual([
      new AlterColumnOp({ ...base, serverDefault: null, existingType: { kind: 'varchar', length: 10 }, existingServerDefault: '5' }),
      new AlterColumnOp({ ...base, type: { kind: 'integer' }, using: sql`"n"::INTEGER`, existingType: { kind: 'varchar', length: 10 }, existingServerDefault: null }),
      new AlterColumnOp({ ...base, serverDefault: '5', existingType: { kind: 'integer' }, existingServerDefault: null }),
    ])
    const back = reverseOperations(ops)
    expect(back[1]).toEqual(new AlterColumnOp({ ...base, type: { kind: 'varchar', length: 10 }, using: sql`"n"::VARCHAR(10)`, existingType: { kind: 'integer' }, existingServerDefault: null }))
    expect(back[1]!.reverse()).toEqual(ops[1])
    // Enums go through text; changes PostgreSQL casts by itself need nothing.
    const toEnum = allOps(compare(oneTable({ id: integer().primaryKey(), m: text() }), oneTable({ id: integer().primaryKey(), m: enumType('mood', ['a']) })))
    expect(toEnum.at(-1)).toMatchObject({ using: sql`"m"::text::"mood"` })
    // The way back needs a conversion: both ways get one.
    expect(allOps(compare(oneTable({ id: integer().primaryKey(), n: integer() }), oneTable({ id: integer().primaryKey(), n: text() })))[0]).toMatchObject({ using: sql`"n"::TEXT` })
    expect(allOps(compare(oneTable({ id: integer().primaryKey(), n: varchar(5) }), oneTable({ id: integer().primaryKey(), n: text() })))[0]).not.toHaveProperty('using')
    expect(allOps(compare(oneTable({ id: integer().primaryKey(), n: integer() }), oneTable({ id: integer().primaryKey(), n: numeric(10, 2) })))[0]).not.toHaveProperty('using')
    expect(allOps(compare(oneTable({ id: integer().primaryKey(), n: varchar(10) }), oneTable({ id: integer().primaryKey(), n: integer() }), 'mysql'))[0]).not.toHaveProperty('using')
  })

  it('defaults and comments dropped, compareType and compareServerDefault off', () => {
    const before = oneTable({ id: integer().primaryKey(), n: integer().default(1).comment('c'), s: varchar(5) })
    const after = oneTable({ id: integer().primaryKey(), n: integer(), s: varchar(6) })
    expect(descriptions(compare(before, after))).toEqual(["changed default of 't.n': 1 -> none", "changed comment of 't.n': 'c' -> none", "changed type of 't.s': VARCHAR(5) -> VARCHAR(6)"])
    expect(allOps(compare(before, after))[0]).toMatchObject({ serverDefault: null, existingServerDefault: 1 })
    expect(descriptions(compare(before, after, 'postgresql', { compareType: false, compareServerDefault: false }))).toEqual(["changed comment of 't.n': 'c' -> none"])
  })

  it('MySQL: INVISIBLE made and unmade, and restated by every MODIFY of the column; PostgreSQL has no invisible columns', () => {
    const before = oneTable({ id: integer().primaryKey(), a: integer().invisible(), b: integer().invisible(), c: integer() })
    const after = oneTable({ id: integer().primaryKey(), a: bigint().invisible(), b: integer(), c: integer().invisible() })
    const diffs = compare(before, after, 'mysql')
    expect(descriptions(diffs)).toEqual(["changed type of 't.a': INTEGER -> BIGINT", "changed visibility of 't.b': INVISIBLE -> VISIBLE", "changed visibility of 't.c': VISIBLE -> INVISIBLE"])
    expect(allOps(diffs).map((op) => [(op as AlterColumnOp).invisible, (op as AlterColumnOp).existingInvisible])).toEqual([
      [undefined, true],
      [false, true],
      [true, undefined],
    ])
    expect(compare(before, after, 'postgresql', { compareType: false })).toEqual([])
  })

  it('MySQL: columns made visible before others are made INVISIBLE (a table keeps a visible column), the downgrade in reverse', () => {
    const before = oneTable({ id: integer().primaryKey().default(0), x: integer().invisible() })
    const after = oneTable({ id: integer().primaryKey().default(0).invisible(), x: integer() })
    const { upgrade, downgrade } = planMigration(compare(before, after, 'mysql'))
    const visibility = (ops: readonly Operation[]): unknown[] => ops.map((op) => [(op as AlterColumnOp).columnName, (op as AlterColumnOp).invisible])
    expect(visibility(upgrade)).toEqual([['x', false], ['id', true]])
    expect(visibility(downgrade)).toEqual([['id', false], ['x', true]])
  })

  it('table comments added, changed and removed', () => {
    const t = (comment?: string): MetaData => oneTable({ id: integer().primaryKey() }, comment === undefined ? {} : { comment })
    expect(allOps(compare(t(), t('x')))).toStrictEqual([new CreateTableCommentOp({ tableName: 't', comment: 'x', existingComment: null })])
    expect(allOps(compare(t('x'), t('y')))).toStrictEqual([new CreateTableCommentOp({ tableName: 't', comment: 'y', existingComment: 'x' })])
    expect(allOps(compare(t('x'), t()))).toStrictEqual([new DropTableCommentOp({ tableName: 't', existingComment: 'x' })])
    expect(descriptions(compare(t('x'), t('y')))).toEqual(["changed comment of table 't': 'x' -> 'y'"])
    expect(compare(t('x'), t(), 'sqlite')).toEqual([])
  })

  it('primary keys added, dropped and changed, dropped by their reflected name', () => {
    const none = oneTable({ a: integer().notNull(), b: integer().notNull() })
    const onA = oneTable({ a: integer().primaryKey(), b: integer().notNull() })
    const onAb = oneTable({ a: integer().notNull(), b: integer().notNull() }, { primaryKey: ['a', 'b'] })
    expect(allOps(compare(none, onA))).toStrictEqual([new CreatePrimaryKeyOp({ tableName: 't', constraint: { name: 't_pkey', columns: ['a'] } })])
    expect(allOps(compare(onA, none))).toStrictEqual([new DropConstraintOp({ name: 't_pkey', tableName: 't', type: 'primary', existing: { type: 'primary', name: 't_pkey', columns: ['a'] } })])
    const changed = compare(onA, onAb)
    expect(descriptions(changed)).toEqual(["changed primary key of 't': (a) -> (a, b)"])
    expect(changed[0]!.ops.map((o) => o.kind)).toEqual(['dropConstraint', 'createPrimaryKey'])
    expect(allOps(compare(onA, none, 'mysql'))).toStrictEqual([new DropConstraintOp({ name: 'PRIMARY', tableName: 't', type: 'primary', existing: { type: 'primary', columns: ['a'] } })])
    const named = oneTable({ a: integer().notNull(), b: integer().notNull() }, { primaryKey: { name: 'pk_t', columns: ['a'] } })
    expect(descriptions(compare(onA, named))).toEqual(["changed primary key of 't': (a) -> (a)"])
    expect(compare(onA, named, 'mysql')).toEqual([])
  })

  it('indexes added, removed and changed (unique, expression, partial, method)', () => {
    const plain = oneTable({ id: integer().primaryKey(), a: text(), b: text() }, { indexes: [index('ix_a').on('a')] })
    const variants: [string, MetaData, string][] = [
      ['unique', oneTable({ id: integer().primaryKey(), a: text(), b: text() }, { indexes: [index('ix_a').on('a').unique()] }), "changed unique index 'ix_a': t(a) -> t(a) UNIQUE"],
      ['expression', oneTable({ id: integer().primaryKey(), a: text(), b: text() }, { indexes: [index('ix_a').on(sql`lower(a)`)] }), "changed index 'ix_a': t(a) -> t(lower(a))"],
      ['partial', oneTable({ id: integer().primaryKey(), a: text(), b: text() }, { indexes: [index('ix_a').on('a').where(sql`b IS NULL`)] }), "changed index 'ix_a': t(a) -> t(a) WHERE b IS NULL"],
      ['method', oneTable({ id: integer().primaryKey(), a: text(), b: text() }, { indexes: [index('ix_a').on('a').using('hash')] }), "changed index 'ix_a': t(a) -> t(a) USING hash"],
      ['columns', oneTable({ id: integer().primaryKey(), a: text(), b: text() }, { indexes: [index('ix_a').on('a', 'b')] }), "changed index 'ix_a': t(a) -> t(a, b)"],
    ]
    for (const [what, after, description] of variants) {
      const diffs = compare(plain, after)
      expect(descriptions(diffs), what).toEqual([description])
      expect(diffs[0]!.kind).toBe('modify_index')
      const [drop, create] = diffs[0]!.ops as [DropIndexOp, CreateIndexOp]
      expect(drop).toStrictEqual(new DropIndexOp({ name: 'ix_a', tableName: 't', existing: { name: 'ix_a', columns: ['a'] } }))
      expect(create).toStrictEqual(new CreateIndexOp({ tableName: 't', index: after.getTable('t')!.indexes[0]! }))
    }
    const none = oneTable({ id: integer().primaryKey(), a: text(), b: text() })
    expect(descriptions(compare(none, plain))).toEqual(["added index 'ix_a' on t(a)"])
    expect(descriptions(compare(plain, none))).toEqual(["removed index 'ix_a' on t(a)"])
    expect(allOps(compare(plain, none))).toStrictEqual([new DropIndexOp({ name: 'ix_a', tableName: 't', existing: { name: 'ix_a', columns: ['a'] } })])
  })

  it('unique constraints added (named like PostgreSQL when unnamed), removed and changed', () => {
    const none = oneTable({ id: integer().primaryKey(), a: text(), b: text() })
    const onA = oneTable({ id: integer().primaryKey(), a: text().unique(), b: text() })
    const named = oneTable({ id: integer().primaryKey(), a: text(), b: text() }, { uniques: [unique('uq_ab').on('a', 'b')] })
    expect(descriptions(compare(none, onA))).toEqual(["added unique constraint 't_a_key' on t(a)"])
    expect(allOps(compare(none, onA))).toStrictEqual([new CreateUniqueConstraintOp({ tableName: 't', constraint: { name: 't_a_key', columns: ['a'] } })])
    expect(allOps(compare(onA, none))).toStrictEqual([new DropConstraintOp({ name: 't_a_key', tableName: 't', type: 'unique', existing: { type: 'unique', name: 't_a_key', columns: ['a'] } })])
    const changedDb: SchemaSnapshot = { enums: [], tables: databaseOf(named, 'postgresql').tables.map((t) => ({ ...t, uniques: [{ name: 'uq_ab', columns: ['a'] }] })) }
    expect(descriptions(compare(changedDb, named))).toEqual(["changed unique constraint 'uq_ab' on t: (a) -> (a, b)"])
    // A plain unique index and a unique constraint of the same name and columns are the same.
    const asIndex = oneTable({ id: integer().primaryKey(), a: text(), b: text() }, { indexes: [index('uq_ab').on('a', 'b').unique()] })
    expect(compare(named, asIndex)).toEqual([])
    expect(compare(asIndex, named)).toEqual([])
  })

  it('foreign keys added, removed and changed (actions), MySQL with the index InnoDB keeps', () => {
    const build = (fk?: 'plain' | 'cascade'): MetaData => {
      const metadata = new MetaData()
      const parent = metadata.table('parent', { id: integer().primaryKey() })
      metadata.table('child', {
        id: integer().primaryKey(),
        parent_id: fk === undefined ? integer() : integer().references(() => parent.columns.id, fk === 'cascade' ? { onDelete: 'cascade' } : {}),
      })
      return metadata
    }
    expect(descriptions(compare(build(), build('plain')))).toEqual(["added foreign key 'child_parent_id_fkey' on child(parent_id) -> parent(id)"])
    expect(allOps(compare(build(), build('plain')))).toStrictEqual([
      new CreateForeignKeyOp({ tableName: 'child', constraint: { name: 'child_parent_id_fkey', columns: ['parent_id'], referredTable: 'parent', referredColumns: ['id'] } }),
    ])
    const existing = { type: 'foreignkey' as const, name: 'child_parent_id_fkey', columns: ['parent_id'], referredTable: 'parent', referredColumns: ['id'] }
    expect(allOps(compare(build('plain'), build()))).toStrictEqual([new DropConstraintOp({ name: 'child_parent_id_fkey', tableName: 'child', type: 'foreignkey', existing })])
    const changed = compare(build('plain'), build('cascade'))
    expect(descriptions(changed)).toEqual(["changed foreign key 'child_parent_id_fkey': child(parent_id) -> parent(id) -> child(parent_id) -> parent(id) ON DELETE CASCADE"])
    expect(changed[0]!.ops.map((o) => o.kind)).toEqual(['dropConstraint', 'createForeignKey'])

    // MySQL: the key's own index goes with it, and comes with a new one.
    expect(allOps(compare(build('plain'), build(), 'mysql'))).toStrictEqual([
      new DropConstraintOp({ name: 'child_ibfk_1', tableName: 'child', type: 'foreignkey', existing: { ...existing, name: 'child_ibfk_1' } }),
      new DropIndexOp({ name: 'parent_id', tableName: 'child', existing: { name: 'parent_id', columns: ['parent_id'] } }),
    ])
    expect(allOps(compare(build(), build('plain'), 'mysql'))).toStrictEqual([
      new CreateIndexOp({ tableName: 'child', index: { name: 'child_parent_id_fkey', columns: ['parent_id'] } }),
      new CreateForeignKeyOp({ tableName: 'child', constraint: { name: 'child_parent_id_fkey', columns: ['parent_id'], referredTable: 'parent', referredColumns: ['id'] } }),
    ])
    expect(compare(build('plain'), build('plain'), 'mysql')).toEqual([])
    // RESTRICT and NO ACTION are MySQL's default: no change.
    const restrict = new MetaData()
    const p = restrict.table('parent', { id: integer().primaryKey() })
    restrict.table('child', { id: integer().primaryKey(), parent_id: integer().references(() => p.columns.id, { onDelete: 'restrict' }) })
    expect(compare(build('plain'), restrict, 'mysql')).toEqual([])
  })

  it('a named foreign key the database has under another name is the same key (by signature, as Alembic)', () => {
    const build = (name: string, onDelete?: 'cascade'): MetaData => {
      const metadata = new MetaData()
      const parent = metadata.table('parent', { id: integer().primaryKey() })
      metadata.table('child', {
        id: integer().primaryKey(),
        parent_id: integer().references(() => parent.columns.id, onDelete ? { name, onDelete } : { name }),
      })
      return metadata
    }
    for (const dialect of ['postgresql', 'mysql', 'sqlite'] as const) {
      expect(compare(build('child_parent_id_fkey'), build('fk_child_parent_id_parent'), dialect)).toEqual([])
    }
    // Another name AND other options: the old key goes, the model's comes under its own name.
    expect(descriptions(compare(build('child_parent_id_fkey'), build('fk_child_parent_id_parent', 'cascade')))).toEqual([
      "removed foreign key 'child_parent_id_fkey' on child(parent_id) -> parent(id)",
      "added foreign key 'fk_child_parent_id_parent' on child(parent_id) -> parent(id) ON DELETE CASCADE",
    ])
  })

  it('MySQL: keys a kept foreign key needs are dropped and created so that it always has an index', () => {
    const build = (withUnique: boolean): MetaData => {
      const metadata = new MetaData()
      const p = metadata.table('p', { id: integer().primaryKey() })
      metadata.table('c', { id: integer().primaryKey(), p_id: integer().references(() => p.columns.id), t: varchar(10) }, { uniques: withUnique ? [unique('uq_c').on('p_id', 't')] : [] })
      return metadata
    }
    // Adding a key that covers the foreign key: it takes over from the key's index in one statement
    // (dropping it, whether InnoDB made it or an earlier downgrade gave it back: InnoDB drops only
    // its own), and the inverse gives it back in one statement too. Both ways the database ends as
    // it was, so the cycle repeats (it failed on the second downgrade: duplicate key name).
    const [add] = allOps(compare(build(false), build(true), 'mysql')) as [ReversibleExecuteOp]
    expect(add).toBeInstanceOf(ReversibleExecuteOp)
    expect(add.sql).toBe('ALTER TABLE `c` ADD CONSTRAINT `uq_c` UNIQUE (`p_id`, `t`), DROP INDEX `p_id`')
    // The index given back is named as InnoDB names it, so that it reads back as the key's own and a later drop finds it.
    expect((add.reverse() as ReversibleExecuteOp).sql).toBe('ALTER TABLE `c` ADD INDEX `p_id` (`p_id`), DROP INDEX `uq_c`')
    expect(operationRank(add)).toBe(9)
    // Dropping the key the foreign key uses: in one statement with an index of its own, which the inverse takes back out.
    const [drop] = allOps(compare(build(true), build(false), 'mysql')) as [ReversibleExecuteOp]
    expect(drop.sql).toBe('ALTER TABLE `c` ADD INDEX `p_id` (`p_id`), DROP INDEX `uq_c`')
    expect((drop.reverse() as ReversibleExecuteOp).sql).toBe('ALTER TABLE `c` ADD CONSTRAINT `uq_c` UNIQUE (`p_id`, `t`), DROP INDEX `p_id`')
    expect(operationRank(drop)).toBe(3)
    // PostgreSQL needs none of it.
    expect(allOps(compare(build(false), build(true)))).toStrictEqual([new CreateUniqueConstraintOp({ tableName: 'c', constraint: { name: 'uq_c', columns: ['p_id', 't'] } })])
    // A changed MySQL primary key is one statement (AUTO_INCREMENT needs a key at all times).
    const pk = (columns: string[]): MetaData => oneTable({ id: integer().notNull().autoincrement(), k: integer().notNull() }, { primaryKey: columns })
    const [change] = allOps(compare(pk(['id']), pk(['id', 'k']), 'mysql')) as [ReversibleExecuteOp]
    expect(change.sql).toBe('ALTER TABLE `t` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`, `k`)')
    expect((change.reverse() as ReversibleExecuteOp).sql).toBe('ALTER TABLE `t` DROP PRIMARY KEY, ADD PRIMARY KEY (`id`)')
  })

  it('MySQL: dropping an index beside the one a foreign key has of its own needs no guard (it was given the key\'s index again: duplicate key name)', () => {
    const build = (withIndex: boolean): MetaData => {
      const metadata = new MetaData()
      const p = metadata.table('p', { id: integer().primaryKey() })
      metadata.table('c', { id: integer().primaryKey(), p_id: integer().references(() => p.columns.id, { name: 'fk_c' }) }, { indexes: withIndex ? [index('ix_c').on('p_id')] : [] })
      return metadata
    }
    const hidden = withHidden(databaseOf(build(true), 'mysql'), { foreignKeyIndexes: [{ table: 'c', name: 'fk_c', columns: ['p_id'] }] })
    expect(allOps(compare(hidden, build(false), 'mysql'))).toStrictEqual([new DropIndexOp({ name: 'ix_c', tableName: 'c', existing: { name: 'ix_c', columns: ['p_id'] } })])
  })

  it('MySQL: drops the index InnoDB keeps for a foreign key by its real name, which introspection reports beside the tables', () => {
    const build = (cascade: boolean): MetaData => {
      const metadata = new MetaData()
      const p = metadata.table('p', { id: integer().primaryKey() })
      metadata.table('c', { id: integer().primaryKey(), p_id: integer().references(() => p.columns.id, cascade ? { onDelete: 'cascade' } : {}), t: varchar(10) })
      return metadata
    }
    // Bug: the name was guessed (`p_id`), but a database can have it as `p_id_2` (InnoDB's name when
    // `p_id` was taken, or an index given back by an earlier downgrade): the drop failed.
    const hidden = withHidden(databaseOf(build(false), 'mysql'), { foreignKeyIndexes: [{ table: 'c', name: 'p_id_2', columns: ['p_id'] }] })
    expect(Object.keys(hidden)).toEqual(['tables', 'enums'])
    const ops = allOps(compare(hidden, build(true), 'mysql'))
    expect(ops.filter((op) => op.kind === 'dropIndex').map((op) => (op as DropIndexOp).name)).toEqual(['p_id_2'])
    // Without the report, InnoDB's name.
    const guessed = allOps(compare(build(false), build(true), 'mysql'))
    expect(guessed.filter((op) => op.kind === 'dropIndex').map((op) => (op as DropIndexOp).name)).toEqual(['p_id'])
  })

  it('recreates the foreign keys referring to a key that changes', () => {
    const build = (code: 'unique' | 'named'): MetaData => {
      const metadata = new MetaData()
      const p = metadata.table('p', { id: integer().primaryKey(), code: text().notNull() }, { uniques: [code === 'unique' ? unique().on('code') : unique('uq_p_code').on('code')] })
      metadata.table('c', { id: integer().primaryKey(), p_code: text().references(() => p.columns.code) })
      return metadata
    }
    const diffs = compare(build('unique'), build('named'))
    expect(descriptions(diffs)).toEqual([
      "removed unique constraint 'p_code_key' on p(code)",
      "added unique constraint 'uq_p_code' on p(code)",
      "recreated foreign key 'c_p_code_fkey' on c(p_code) -> p(code): the key it refers to changes",
    ])
    expect(planMigration(diffs).upgrade.map((o) => o.kind)).toEqual(['dropConstraint', 'dropConstraint', 'createUniqueConstraint', 'createForeignKey'])
  })

  it('SQLite: constraints reflected without a name are dropped by the name PostgreSQL would give them, which the batch resolves', () => {
    const table: TableSpec = {
      name: 't',
      columns: [
        { name: 'id', type: { kind: 'integer' }, nullable: false },
        { name: 'p_id', type: { kind: 'integer' }, nullable: true },
        { name: 'n', type: { kind: 'integer' }, nullable: true },
      ],
      primaryKey: { columns: ['id'] },
      uniques: [{ columns: ['p_id', 'n'] }],
      foreignKeys: [{ columns: ['p_id'], referredTable: 'p', referredColumns: ['id'] }],
      checks: [{ expression: sql`n > 0` }],
      indexes: [],
    }
    const models = oneTable({ id: integer().notNull(), p_id: integer(), n: integer() })
    const drops = allOps(compare({ tables: [table], enums: [] }, models, 'sqlite')) as DropConstraintOp[]
    expect(drops.map((d) => d.name)).toEqual(['t_pkey', 't_p_id_n_key', 't_p_id_fkey', 't_n_check'])
    let after = table
    for (const drop of drops) after = applyOperation(after, drop)
    expect(after).toEqual({ ...table, primaryKey: undefined, uniques: [], foreignKeys: [], checks: [] })
    expect(unnamedConstraintCalled(table, 't_p_id_fkey')).toBe(table.foreignKeys[0])
    expect(unnamedConstraintCalled(table, 'other')).toBeUndefined()
  })

  it('SQLite table and column names, and MySQL column names, are the same whatever their case: never dropped and added again', () => {
    const db: SchemaSnapshot = {
      tables: [
        { name: 'Mixed', columns: [{ name: 'id', type: { kind: 'integer' }, nullable: false }, { name: 'Title', type: { kind: 'text' }, nullable: true }], primaryKey: { columns: ['id'] }, uniques: [{ name: 'uq_title', columns: ['Title'] }], foreignKeys: [], checks: [], indexes: [] },
        { name: 'child', columns: [{ name: 'id', type: { kind: 'integer' }, nullable: false }, { name: 'Mixed_ID', type: { kind: 'integer' }, nullable: true }], primaryKey: { columns: ['id'] }, uniques: [], foreignKeys: [{ name: 'fk_child', columns: ['mixed_id'], referredTable: 'MIXED', referredColumns: ['ID'] }], checks: [], indexes: [] },
      ],
      enums: [],
    }
    const models = (extra: boolean): MetaData => {
      const metadata = new MetaData()
      metadata.table('mixed', { id: integer().primaryKey(), title: text(), ...(extra ? { added: text() } : {}) }, { uniques: [unique('uq_title').on('title')] })
      metadata.table('child', { id: integer().primaryKey(), mixed_id: integer() }, { foreignKeys: [foreignKey(['mixed_id'], { table: 'mixed', columns: ['id'] }, { name: 'fk_child' })] })
      return metadata
    }
    expect(descriptions(compare(db, models(false), 'sqlite'))).toEqual([])
    // A change to that table names it and its columns as the database does.
    const added = compare(db, models(true), 'sqlite')
    expect(descriptions(added)).toEqual(["added column 'Mixed.added'"])
    expect(allOps(added)).toStrictEqual([new AddColumnOp({ tableName: 'Mixed', column: { name: 'added', type: { kind: 'text' }, nullable: true } })])
    // MySQL: columns alike, tables not (their case matters where the server keeps files per table).
    const tableCase = new MetaData()
    tableCase.table('mixed', { id: integer().primaryKey(), title: text() }, { uniques: [unique('uq_title').on('title')] })
    expect(descriptions(compare({ tables: [db.tables[0]!], enums: [] }, tableCase, 'mysql'))).toEqual(["removed table 'Mixed'", "added table 'mixed'"])
    const columnsOnly = new MetaData()
    columnsOnly.table('mixed', { id: integer().primaryKey(), title: text() }, { uniques: [unique('uq_title').on('title')] })
    expect(descriptions(compare({ tables: [{ ...db.tables[0]!, name: 'mixed' }], enums: [] }, columnsOnly, 'mysql'))).toEqual([])
    // PostgreSQL: quoted names keep their case: another column.
    expect(descriptions(compare({ tables: [{ ...db.tables[0]!, name: 'mixed', uniques: [] }], enums: [] }, (() => { const m = new MetaData(); m.table('mixed', { id: integer().primaryKey(), title: text() }); return m })(), 'postgresql'))).toEqual([
      "added column 'mixed.title'",
      "removed column 'mixed.Title'",
    ])
  })

  it('SQLite table names and SQLite/MySQL column names differing only in case are an error in the models (they would be created twice)', () => {
    const empty: SchemaSnapshot = { tables: [], enums: [] }
    const tables = new MetaData()
    tables.table('users', { id: integer().primaryKey() })
    tables.table('Users', { id: integer().primaryKey() })
    expect(() => compare(empty, tables, 'sqlite')).toThrow("tables 'users' and 'Users' are one table to SQLite, which compares names whatever their case")
    expect(descriptions(compare(empty, tables, 'mysql'))).toEqual(["added table 'Users'", "added table 'users'"])
    const columns = oneTable({ id: integer().primaryKey(), name: text(), Name: text() })
    expect(() => compare(empty, columns, 'sqlite')).toThrow("table 't': columns 'name' and 'Name' are one column to SQLite")
    expect(() => compare(empty, columns, 'mysql')).toThrow("table 't': columns 'name' and 'Name' are one column to MySQL")
    expect(descriptions(compare(empty, columns, 'postgresql'))).toEqual(["added table 't'"])
  })

  it('check constraints by name and by expression', () => {
    const none = oneTable({ id: integer().primaryKey(), n: integer() })
    const named = (expression = sql`n > 0`): MetaData => oneTable({ id: integer().primaryKey(), n: integer() }, { checks: [check('ck_n', expression)] })
    const unnamed = oneTable({ id: integer().primaryKey(), n: integer() }, { checks: [check(sql`n > 0`)] })
    expect(descriptions(compare(none, named()))).toEqual(["added check constraint 'ck_n' on 't': n > 0"])
    expect(allOps(compare(none, unnamed))).toStrictEqual([new CreateCheckConstraintOp({ tableName: 't', constraint: { name: 't_n_check', expression: sql`n > 0` } })])
    expect(descriptions(compare(named(), named(sql`n >= 0`)))).toEqual(["changed check constraint 'ck_n' on 't': n > 0 -> n >= 0"])
    expect(compare(named(), unnamed)).toEqual([])
    expect(descriptions(compare(unnamed, oneTable({ id: integer().primaryKey(), n: integer() }, { checks: [check(sql`n > 1`)] })))).toEqual([
      "removed check constraint 't_check' on 't': n > 0",
      "added check constraint 't_n_check' on 't': n > 1",
    ])
    expect(allOps(compare(named(), none))).toStrictEqual([new DropConstraintOp({ name: 'ck_n', tableName: 't', type: 'check', existing: { type: 'check', name: 'ck_n', expression: sql`n > 0` } })])
    // SQLite keeps constraints declared without a name without one: said so, not as ''.
    const sqliteTable = { name: 't', columns: [{ name: 'n', type: { kind: 'integer' as const }, nullable: true }], primaryKey: undefined, uniques: [{ columns: ['n'] }], foreignKeys: [{ columns: ['n'], referredTable: 'p', referredColumns: ['id'] }], checks: [{ expression: sql`n > 0` }], indexes: [] }
    expect(descriptions(compare({ tables: [sqliteTable], enums: [] }, oneTable({ n: integer() }), 'sqlite'))).toEqual([
      'removed unnamed unique constraint on t(n)',
      'removed unnamed foreign key on t(n) -> p(id)',
      "removed unnamed check constraint on 't': n > 0",
    ])
  })

  it('PostgreSQL enum types: created, dropped, values added in place, values removed by recreating the type', () => {
    const withEnum = (values: string[], name = 'mood'): MetaData => oneTable({ id: integer().primaryKey(), m: enumType(name, values).default('a') })
    const db = (values: string[]): SchemaSnapshot => databaseOf(withEnum(values), 'postgresql', [{ kind: 'enum', name: 'mood', values }])

    // A new table's types come with the table.
    const created = compareSchemas({ tables: [], enums: [] }, modelsOf(withEnum(['a'])), options('postgresql'))
    expect(descriptions(created)).toEqual(["added enum type 'mood' ('a') (created with its first table)", "added table 't'"])
    expect(created[0]!.ops).toEqual([])
    // A type for a new column of an existing table: createEnum first.
    const added = compare(oneTable({ id: integer().primaryKey() }), withEnum(['a']))
    expect(allOps(added)[0]).toStrictEqual(new CreateEnumOp({ name: 'mood', values: ['a'] }))
    expect(planMigration(added).upgrade.map((o) => o.kind)).toEqual(['createEnum', 'addColumn'])
    // Unused types the models do not know are left alone; listed ones are created.
    expect(compareSchemas({ tables: [], enums: [{ kind: 'enum', name: 'other', values: ['x'] }] }, { tables: [], enums: [] }, options('postgresql'))).toEqual([])
    expect(allOps(compareSchemas({ tables: [], enums: [] }, { tables: [], enums: [{ kind: 'enum', name: 'e', values: ['x'], schema: 'public' }] }, options('postgresql', { defaultSchema: 'public' })))).toStrictEqual([
      new CreateEnumOp({ name: 'e', values: ['x'] }),
    ])
    // Dropped with the last table using it.
    const removed = compareSchemas(db(['a']), { tables: [], enums: [] }, options('postgresql'))
    expect(descriptions(removed)).toEqual(["removed table 't'", "removed enum type 'mood'"])
    expect(removed[1]!.ops).toStrictEqual([new DropEnumOp({ name: 'mood', existingValues: ['a'], ifExists: true })])

    // Values added: addEnumValue at their place, each reversible.
    const grown = compareSchemas(db(['a', 'c']), modelsOf(withEnum(['a', 'b', 'c', 'd'])), options('postgresql'))
    expect(descriptions(grown)).toEqual(["added value 'b' to enum type 'mood'", "added value 'd' to enum type 'mood'"])
    expect(allOps(grown)).toEqual([new AddEnumValueOp({ name: 'mood', value: 'b', before: 'c', ifNotExists: true }), new AddEnumValueOp({ name: 'mood', value: 'd', ifNotExists: true })])
    expect(allOps(grown)[0]).toBeInstanceOf(ReversibleAddEnumValueOp)
    const undo = reverseOperations(planMigration(grown).upgrade)
    // The columns of the type the catalog has when the block runs are converted (whatever tables the
    // comparison read); their defaults kept and set again, those of the columns the models keep set
    // as they give them (only if the column is there: the revision may drop it before).
    const columns = "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE a.atttypid IN (old_type, old_array) AND a.attnum > 0 AND NOT a.attisdropped AND a.attinhcount = 0 AND c.relkind IN ('r', 'p')"
    const keepDefaults = `old_type := '"mood"'::regtype; SELECT typarray INTO old_array FROM pg_type WHERE oid = old_type; FOR r IN SELECT a.attrelid::oid::text || '.' || a.attname AS k, format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', a.attrelid::regclass, a.attname, pg_get_expr(ad.adbin, ad.adrelid)) AS create_sql, format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', a.attrelid::regclass, a.attname) AS drop_sql ${columns.replace('WHERE', 'JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum WHERE')} LOOP IF NOT coalesce(r.k = ANY (ARRAY[to_regclass('"t"')::oid::text || '.' || 'm']), false) THEN saved := r.create_sql || saved; END IF; EXECUTE r.drop_sql; END LOOP;`
    const convert = `FOR r IN SELECT a.attrelid::regclass AS rel, a.attname AS col, a.atttypid = old_array AS is_array ${columns} LOOP BEGIN IF r.is_array THEN EXECUTE format('ALTER TABLE %s ALTER COLUMN %I TYPE "mood"[] USING %I::text[]::"mood"[]', r.rel, r.col, r.col); ELSE EXECUTE format('ALTER TABLE %s ALTER COLUMN %I TYPE "mood" USING %I::text::"mood"', r.rel, r.col, r.col); END IF; EXCEPTION WHEN invalid_text_representation THEN RAISE EXCEPTION USING ERRCODE = 'invalid_text_representation', MESSAGE = format('%s, in column %s.%I: change those rows first (op.execute in this revision, before the enum type changes)', SQLERRM, r.rel, r.col); END; END LOOP;`
    const setDefault = `IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = to_regclass('"t"') AND attname = 'm' AND NOT attisdropped) THEN ALTER TABLE "t" ALTER COLUMN "m" SET DEFAULT 'a'; END IF;`
    expect(undo.map((o) => (o.kind === 'execute' ? String(o.sql) : o.kind))).toEqual([
      recreated(`${keepDefaults} ALTER TYPE "mood" RENAME TO "mood_old"; CREATE TYPE "mood" AS ENUM ('a', 'b', 'c'); ${convert} ${setDefault} DROP TYPE "mood_old";`),
      recreated(`${keepDefaults} ALTER TYPE "mood" RENAME TO "mood_old"; CREATE TYPE "mood" AS ENUM ('a', 'c'); ${convert} ${setDefault} DROP TYPE "mood_old";`),
    ])

    // Values removed or reordered: the type is recreated, both ways.
    const shrunk = compareSchemas(db(['a', 'b']), modelsOf(withEnum(['b', 'a'])), options('postgresql'))
    expect(descriptions(shrunk)).toEqual(["changed values of enum type 'mood': ('a', 'b') -> ('b', 'a') (recreates the type: fails if a row holds a removed value)"])
    const [recreate] = allOps(shrunk) as [ReversibleExecuteOp]
    expect(recreate).toBeInstanceOf(ReversibleExecuteOp)
    expect(String(recreate.sql)).toContain(`CREATE TYPE "mood" AS ENUM ('b', 'a')`)
    expect(String((recreate.reverse() as ReversibleExecuteOp).sql)).toContain(`CREATE TYPE "mood" AS ENUM ('a', 'b')`)
    expect(String(((recreate.reverse() as ReversibleExecuteOp).reverse() as ReversibleExecuteOp).sql)).toBe(String(recreate.sql))
    // A column's enum type changing values is not a type change.
    expect(shrunk.some((d) => d.kind === 'modify_type')).toBe(false)
  })

  it('MySQL ENUM and SET value lists are type changes', () => {
    const diffs = compare(oneTable({ id: integer().primaryKey(), m: enumType('mood', ['a', 'b']), s: setType(['x']) }), oneTable({ id: integer().primaryKey(), m: enumType('mood', ['a', 'b', 'c']), s: setType(['x', 'y']) }), 'mysql')
    expect(descriptions(diffs)).toEqual(["changed type of 't.m': ENUM('a', 'b') -> ENUM('a', 'b', 'c')", "changed type of 't.s': SET('x') -> SET('x', 'y')"])
    expect(allOps(diffs)[0]).toStrictEqual(
      new AlterColumnOp({ tableName: 't', columnName: 'm', type: { kind: 'enum', name: 'mood', values: ['a', 'b', 'c'] }, existingType: { kind: 'enum', name: 'm', values: ['a', 'b'] }, existingNullable: true, existingServerDefault: null, existingComment: null }),
    )
  })

  it('SQLite enum columns (read back named after their column) compare by values; new values are a type change', () => {
    const database: SchemaSnapshot = {
      enums: [],
      tables: [
        {
          name: 't',
          columns: [
            { name: 'id', type: { kind: 'integer' }, nullable: false },
            { name: 'm', type: { kind: 'enum', name: 'm', values: ['a', 'bcd'] }, nullable: true },
          ],
          primaryKey: { columns: ['id'] },
          uniques: [],
          foreignKeys: [],
          checks: [],
          indexes: [],
        },
      ],
    }
    expect(compare(database, oneTable({ id: integer().primaryKey(), m: enumType('mood', ['a', 'bcd']) }), 'sqlite')).toEqual([])
    const diffs = compare(database, oneTable({ id: integer().primaryKey(), m: enumType('mood', ['a', 'bcd', 'e']) }), 'sqlite')
    expect(descriptions(diffs)).toEqual(["changed type of 't.m': ENUM('a', 'bcd') -> ENUM('a', 'bcd', 'e')"])
    expect(allOps(diffs)[0]).toMatchObject({ type: { kind: 'enum', name: 'mood', values: ['a', 'bcd', 'e'] }, existingType: { kind: 'enum', name: 'm', values: ['a', 'bcd'] } })
  })

  it('identity and AUTO_INCREMENT added, removed and changed, each knowing its inverse', () => {
    const plain = oneTable({ id: integer().primaryKey() })
    const auto = oneTable({ id: integer().primaryKey().autoincrement() })
    const always = oneTable({ id: integer().primaryKey().identity({ always: true, increment: 5 }) })

    const added = compare(plain, auto)
    expect(descriptions(added)).toEqual(["added identity to 't.id'"])
    const [add] = allOps(added) as [ReversibleExecuteOp]
    // The sequence goes on after the values the column holds already.
    expect(add.sql).toBe(`DO $migrator$ BEGIN ALTER TABLE "t" ALTER COLUMN "id" ADD GENERATED BY DEFAULT AS IDENTITY; PERFORM setval(pg_get_serial_sequence('"t"', 'id'), max("id")) FROM "t" HAVING max("id") >= 1; END $migrator$`)
    expect((add.reverse() as ReversibleExecuteOp).sql).toBe('ALTER TABLE "t" ALTER COLUMN "id" DROP IDENTITY')
    expect(operationRank(add)).toBe(10)
    const [drop] = allOps(compare(auto, plain)) as [ReversibleExecuteOp]
    expect(drop.sql).toBe('ALTER TABLE "t" ALTER COLUMN "id" DROP IDENTITY')
    expect(operationRank(drop)).toBe(2)
    const [change] = allOps(compare(auto, always)) as [ReversibleExecuteOp]
    expect(change.sql).toBe('ALTER TABLE "t" ALTER COLUMN "id" SET GENERATED ALWAYS SET INCREMENT BY 5 SET START WITH 1')
    expect((change.reverse() as ReversibleExecuteOp).sql).toBe('ALTER TABLE "t" ALTER COLUMN "id" SET GENERATED BY DEFAULT SET INCREMENT BY 1 SET START WITH 1')

    const [mysqlAdd] = allOps(compare(plain, auto, 'mysql')) as [ReversibleExecuteOp]
    expect(mysqlAdd.sql).toBe('ALTER TABLE `t` MODIFY COLUMN `id` INTEGER NOT NULL AUTO_INCREMENT')
    expect((mysqlAdd.reverse() as ReversibleExecuteOp).sql).toBe('ALTER TABLE `t` MODIFY COLUMN `id` INTEGER NOT NULL')
    expect(compare(auto, always, 'mysql')).toEqual([])

    const sqlite = compare(plain, auto, 'sqlite')
    expect(descriptions(sqlite)).toEqual(["added autoincrement to 't.id' (SQLite cannot change it: rebuild the table by hand)"])
    expect(allOps(sqlite)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------

describe('order', () => {
  it('creates parents first and drops children first; the downgrade is the exact reverse', () => {
    const metadata = new MetaData()
    const c = metadata.table('c_root', { id: integer().primaryKey() })
    const b = metadata.table('b_mid', { id: integer().primaryKey(), c_id: integer().references(() => c.columns.id) })
    metadata.table('a_leaf', { id: integer().primaryKey(), b_id: integer().references(() => b.columns.id) })
    const up = planMigration(compareSchemas({ tables: [], enums: [] }, modelsOf(metadata), options('postgresql')))
    expect(up.upgrade.map((o) => (o as CreateTableOp).table.name)).toEqual(['c_root', 'b_mid', 'a_leaf'])
    expect(up.downgrade.map((o) => (o as DropTableOp).name)).toEqual(['a_leaf', 'b_mid', 'c_root'])
    expect(up.downgrade).toStrictEqual([...up.upgrade].reverse().map((o) => o.reverse()))

    const down = planMigration(compareSchemas(databaseOf(metadata, 'postgresql'), { tables: [], enums: [] }, options('postgresql')))
    expect(down.upgrade.map((o) => (o as DropTableOp).name)).toEqual(['a_leaf', 'b_mid', 'c_root'])
    expect(down.downgrade.map((o) => (o as CreateTableOp).table.name)).toEqual(['c_root', 'b_mid', 'a_leaf'])
  })

  it('breaks a cycle of foreign keys: tables first, the closing key after, named so the downgrade can drop it', () => {
    const metadata = new MetaData()
    const a = metadata.table('a', { id: integer().primaryKey(), b_id: integer().references('b.id') })
    metadata.table('b', { id: integer().primaryKey(), a_id: integer().references(() => a.columns.id), self_id: integer().references('b.id') })
    const plan = planMigration(compareSchemas({ tables: [], enums: [] }, modelsOf(metadata), options('postgresql')))
    expect(plan.upgrade.map((o) => o.kind)).toEqual(['createTable', 'createTable', 'createForeignKey'])
    expect((plan.upgrade[0] as CreateTableOp).table.foreignKeys).toEqual([])
    expect((plan.upgrade[1] as CreateTableOp).table.foreignKeys.map((fk) => fk.referredTable)).toEqual(['a', 'b'])
    expect(plan.upgrade[2]).toStrictEqual(new CreateForeignKeyOp({ tableName: 'a', constraint: { name: 'a_b_id_fkey', columns: ['b_id'], referredTable: 'b', referredColumns: ['id'] } }))
    expect(plan.downgrade.map((o) => o.kind)).toEqual(['dropConstraint', 'dropTable', 'dropTable'])
    expect(plan.downgrade.map((o) => ('name' in o ? o.name : ''))).toEqual(['a_b_id_fkey', 'b', 'a'])

    // Dropping the same two tables: the closing key first, by its reflected name, and not in the table's definition.
    const drop = planMigration(compareSchemas(databaseOf(metadata, 'postgresql'), { tables: [], enums: [] }, options('postgresql')))
    expect(drop.upgrade.map((o) => `${o.kind}:${'name' in o ? o.name : ''}`)).toEqual(['dropConstraint:a_b_id_fkey', 'dropTable:b', 'dropTable:a'])
    expect((drop.upgrade[2] as DropTableOp).existing!.foreignKeys).toEqual([])
    expect(drop.downgrade.map((o) => o.kind)).toEqual(['createTable', 'createTable', 'createForeignKey'])
  })

  it('creates enum types before the columns using them and drops them after; foreign keys dropped first and created last', () => {
    const before = new MetaData()
    const p1 = before.table('parent', { id: integer().primaryKey(), code: text().unique() })
    before.table('child', { id: integer().primaryKey(), parent_code: text().references(() => p1.columns.code), old: enumType('old_e', ['x']) })
    const after = new MetaData()
    const p2 = after.table('parent', { id: integer().primaryKey(), code: varchar(10) }, { uniques: [unique('uq_code').on('code')] })
    after.table('child', { id: integer().primaryKey(), parent_code: varchar(10).references(() => p2.columns.code), mood: enumType('mood', ['a']) })
    const diffs = compareSchemas(databaseOf(before, 'postgresql', [{ kind: 'enum', name: 'old_e', values: ['x'] }]), modelsOf(after), options('postgresql'))
    const plan = planMigration(diffs)
    expect(plan.upgrade.map((o) => `${o.kind}${'name' in o && typeof o.name === 'string' ? `:${o.name}` : ''}`)).toEqual([
      'createEnum:mood',
      'dropConstraint:child_parent_code_fkey',
      'dropConstraint:parent_code_key',
      'dropColumn',
      'addColumn',
      'alterColumn',
      'alterColumn',
      'createUniqueConstraint',
      'createForeignKey',
      'dropEnum:old_e',
    ])
    expect(plan.downgrade).toStrictEqual(reverseOperations(plan.upgrade))
    expect(plan.downgrade[0]).toStrictEqual(new CreateEnumOp({ name: 'old_e', values: ['x'] }))
  })

  it('is deterministic', () => {
    const before = new MetaData()
    before.table('x', { id: integer().primaryKey(), a: text() })
    const after = new MetaData()
    after.table('y', { id: integer().primaryKey() })
    after.table('x', { id: integer().primaryKey(), b: text() }, { indexes: [index('ix_b').on('b')] })
    const first = orderOperations(allOps(compare(before, after)))
    const again = orderOperations(allOps(compare(before, after)))
    expect(again).toStrictEqual(first)
  })
})

// ---------------------------------------------------------------------------------------------

describe('the changes of one column merged into one alterColumn', () => {
  const sqlOf = (dialect: DialectName, ops: readonly Operation[]): string[] => ops.flatMap((op) => getDialect(dialect).ddlCompiler().compile(op))

  it('type, default, nullability and comment: one operation each way, the column as the first found it, every change; one difference each still', () => {
    const diffs = compare(
      oneTable({ id: integer().primaryKey(), name: varchar(50).default('a').comment('old') }),
      oneTable({ id: integer().primaryKey(), name: varchar(100).notNull().default('b').comment('new') }),
    )
    expect(diffs.map((d) => d.kind)).toEqual(['modify_type', 'modify_default', 'modify_nullable', 'modify_comment'])
    const plan = planMigration(diffs)
    const base = { tableName: 't', columnName: 'name' }
    expect(plan.upgrade).toStrictEqual([
      new AlterColumnOp({
        ...base,
        type: { kind: 'varchar', length: 100 },
        serverDefault: 'b',
        nullable: false,
        comment: 'new',
        existingType: { kind: 'varchar', length: 50 },
        existingNullable: true,
        existingServerDefault: 'a',
        existingComment: 'old',
      }),
    ])
    expect(plan.downgrade).toStrictEqual([
      new AlterColumnOp({
        ...base,
        type: { kind: 'varchar', length: 50 },
        serverDefault: 'a',
        nullable: true,
        comment: 'old',
        existingType: { kind: 'varchar', length: 100 },
        existingNullable: false,
        existingServerDefault: 'b',
        existingComment: 'new',
      }),
    ])
    expect(plan.downgrade).toStrictEqual(reverseOperations(plan.upgrade))
    // PostgreSQL runs the statements the separate operations ran, in their order.
    expect(sqlOf('postgresql', plan.upgrade)).toEqual(sqlOf('postgresql', orderOperations(allOps(diffs))))
  })

  it('MySQL: one MODIFY each way, restating the column', () => {
    const diffs = compare(oneTable({ id: integer().primaryKey(), name: varchar(50) }), oneTable({ id: integer().primaryKey(), name: varchar(100).notNull().default('') }), 'mysql')
    expect(diffs.map((d) => d.kind)).toEqual(['modify_type', 'modify_default', 'modify_nullable'])
    const plan = planMigration(diffs)
    expect(sqlOf('mysql', plan.upgrade)).toEqual(["ALTER TABLE `t` MODIFY COLUMN `name` VARCHAR(100) NOT NULL DEFAULT ''"])
    expect(sqlOf('mysql', plan.downgrade)).toEqual(['ALTER TABLE `t` MODIFY COLUMN `name` VARCHAR(50) NULL'])
  })

  it('MySQL: AUTO_INCREMENT removed with other changes of the column is not restated by them', () => {
    const diffs = compare(
      oneTable({ id: integer().primaryKey().autoincrement(), name: text() }),
      oneTable({ id: bigint().primaryKey().comment('the key'), name: text() }),
      'mysql',
    )
    expect(diffs.map((d) => d.kind)).toEqual(['modify_autoincrement', 'modify_type', 'modify_comment'])
    const plan = planMigration(diffs)
    const up = sqlOf('mysql', plan.upgrade)
    expect(up).toEqual(['ALTER TABLE `t` MODIFY COLUMN `id` INTEGER NOT NULL', "ALTER TABLE `t` MODIFY COLUMN `id` BIGINT NOT NULL COMMENT 'the key'"])
    // and the downgrade restores the type and comment before AUTO_INCREMENT comes back
    expect(sqlOf('mysql', plan.downgrade)).toEqual(['ALTER TABLE `t` MODIFY COLUMN `id` INTEGER NOT NULL', 'ALTER TABLE `t` MODIFY COLUMN `id` INTEGER NOT NULL AUTO_INCREMENT'])
  })

  it('keeps the changes of different columns apart, each column merged', () => {
    const diffs = compare(
      oneTable({ id: integer().primaryKey(), a: varchar(10), b: integer().default(1) }),
      oneTable({ id: integer().primaryKey(), a: varchar(20).notNull(), b: bigint().default(2) }),
    )
    const plan = planMigration(diffs)
    expect(plan.upgrade.map((op) => [(op as AlterColumnOp).columnName, Object.keys(op).filter((k) => !k.startsWith('existing') && k !== 'tableName' && k !== 'columnName' && k !== 'kind').sort()])).toEqual([
      ['a', ['nullable', 'type']],
      ['b', ['serverDefault', 'type']],
    ])
    expect(plan.downgrade.map((op) => (op as AlterColumnOp).columnName)).toEqual(['b', 'a'])
    expect(plan.downgrade).toStrictEqual(reverseOperations(plan.upgrade))
  })

  it('PostgreSQL USING: the default dropped before and set after stay statements of their own; a nullability change joins the conversion or the default', () => {
    const diffs = compare(oneTable({ id: integer().primaryKey(), n: varchar(10).default('5') }), oneTable({ id: integer().primaryKey(), n: integer().notNull().default(5) }))
    expect(diffs.map((d) => d.kind)).toEqual(['modify_type', 'modify_nullable'])
    const separate = orderOperations(allOps(diffs))
    expect(separate).toHaveLength(4)
    const plan = planMigration(diffs)
    const base = { tableName: 't', columnName: 'n', existingComment: null }
    expect(plan.upgrade).toEqual([
      new AlterColumnOp({ ...base, serverDefault: null, existingType: { kind: 'varchar', length: 10 }, existingNullable: true, existingServerDefault: '5' }),
      new AlterColumnOp({ ...base, type: { kind: 'integer' }, using: sql`"n"::INTEGER`, existingType: { kind: 'varchar', length: 10 }, existingNullable: true, existingServerDefault: null }),
      new AlterColumnOp({ ...base, serverDefault: '5', nullable: false, existingType: { kind: 'integer' }, existingNullable: true, existingServerDefault: null }),
    ])
    expect(plan.upgrade[1]).toBeInstanceOf(ReversibleUsingAlterColumnOp)
    expect(sqlOf('postgresql', plan.upgrade)).toEqual(sqlOf('postgresql', separate))
    expect(sqlOf('postgresql', plan.upgrade)).toEqual([
      'ALTER TABLE "t" ALTER COLUMN "n" DROP DEFAULT',
      'ALTER TABLE "t" ALTER COLUMN "n" TYPE INTEGER USING "n"::INTEGER',
      `ALTER TABLE "t" ALTER COLUMN "n" SET DEFAULT '5'`,
      'ALTER TABLE "t" ALTER COLUMN "n" SET NOT NULL',
    ])
    expect(plan.downgrade).toStrictEqual(reverseOperations(plan.upgrade))
    expect(sqlOf('postgresql', plan.downgrade)).toEqual([
      'ALTER TABLE "t" ALTER COLUMN "n" DROP DEFAULT',
      'ALTER TABLE "t" ALTER COLUMN "n" DROP NOT NULL',
      'ALTER TABLE "t" ALTER COLUMN "n" TYPE VARCHAR(10) USING "n"::VARCHAR(10)',
      `ALTER TABLE "t" ALTER COLUMN "n" SET DEFAULT '5'`,
    ])

    // Without a default, the conversion and the nullability are one operation, its reverse converting back.
    const plain = planMigration(compare(oneTable({ id: integer().primaryKey(), n: varchar(10) }), oneTable({ id: integer().primaryKey(), n: integer().notNull() })))
    expect(plain.upgrade).toEqual([
      new AlterColumnOp({ tableName: 't', columnName: 'n', type: { kind: 'integer' }, nullable: false, using: sql`"n"::INTEGER`, existingType: { kind: 'varchar', length: 10 }, existingNullable: true, existingServerDefault: null, existingComment: null }),
    ])
    expect(plain.upgrade[0]).toBeInstanceOf(ReversibleUsingAlterColumnOp)
    expect(plain.downgrade).toHaveLength(1)
    expect(plain.downgrade[0]).toMatchObject({ type: { kind: 'varchar', length: 10 }, nullable: true, using: sql`"n"::VARCHAR(10)` })
    expect((plain.downgrade[0] as AlterColumnOp).reverse()).toEqual(plain.upgrade[0])
    expect(sqlOf('postgresql', plain.upgrade)).toEqual(['ALTER TABLE "t" ALTER COLUMN "n" TYPE INTEGER USING "n"::INTEGER', 'ALTER TABLE "t" ALTER COLUMN "n" SET NOT NULL'])

    // A new default with the conversion: set after it, with the nullability.
    const changed = planMigration(compare(oneTable({ id: integer().primaryKey(), n: varchar(10).default('x') }), oneTable({ id: integer().primaryKey(), n: integer().notNull().default(5) })))
    expect(changed.upgrade.map((op) => Object.keys(op).filter((k) => ['type', 'using', 'serverDefault', 'nullable'].includes(k)).sort())).toEqual([['serverDefault'], ['type', 'using'], ['nullable', 'serverDefault']])
    expect(changed.upgrade[2]).toMatchObject({ serverDefault: 5, nullable: false, existingServerDefault: null })
  })

  it('merges only adjacent operations on one column, each continuing from the one before, changes in the order the compilers apply them', () => {
    const column = { tableName: 't', columnName: 'a', existingType: { kind: 'integer' }, existingNullable: true, existingServerDefault: null, existingComment: null } as const
    const nullable = new AlterColumnOp({ ...column, nullable: false })
    const afterNullable = { ...column, existingNullable: false }
    // Another table, another schema, a rename, or an operation in between: apart.
    for (const other of [{ tableName: 'u' }, { schema: 's' }, { columnName: 'b' }]) {
      expect(mergeColumnAlterations([nullable, new AlterColumnOp({ ...afterNullable, ...other, comment: 'c' })])).toHaveLength(2)
    }
    expect(mergeColumnAlterations([new AlterColumnOp({ ...column, newColumnName: 'b' }), new AlterColumnOp({ ...column, columnName: 'b', nullable: false })])).toHaveLength(2)
    expect(mergeColumnAlterations([nullable, new DropIndexOp({ name: 'ix', tableName: 't' }), new AlterColumnOp({ ...afterNullable, comment: 'c' })])).toHaveLength(3)
    // Not continuing from the column as the first left it (hand-written, or without the existing values): apart.
    expect(mergeColumnAlterations([nullable, new AlterColumnOp({ ...column, comment: 'c' })])).toHaveLength(2)
    expect(mergeColumnAlterations([new AlterColumnOp({ tableName: 't', columnName: 'a', nullable: false }), new AlterColumnOp({ tableName: 't', columnName: 'a', comment: 'c' })])).toHaveLength(2)
    // A default then a type (the compilers would change the type first), or the same attribute twice: apart.
    const setDefault = new AlterColumnOp({ ...column, serverDefault: 1 })
    expect(mergeColumnAlterations([setDefault, new AlterColumnOp({ ...column, existingServerDefault: 1, type: { kind: 'bigint' } })])).toHaveLength(2)
    expect(mergeColumnAlterations([setDefault, new AlterColumnOp({ ...column, existingServerDefault: 1, serverDefault: 2 })])).toHaveLength(2)
    // Continuing, in order: one, and three in a row are one too.
    const merged = mergeColumnAlterations([
      new AlterColumnOp({ ...column, type: { kind: 'bigint' } }),
      new AlterColumnOp({ ...column, existingType: { kind: 'bigint' }, nullable: false }),
      new AlterColumnOp({ ...column, existingType: { kind: 'bigint' }, existingNullable: false, comment: 'c' }),
    ])
    expect(merged).toStrictEqual([new AlterColumnOp({ ...column, type: { kind: 'bigint' }, nullable: false, comment: 'c' })])
  })

  it('is deterministic', () => {
    const plan = (): ReturnType<typeof planMigration> =>
      planMigration(compare(oneTable({ id: integer().primaryKey(), a: varchar(10), b: integer() }), oneTable({ id: integer().primaryKey(), a: varchar(20).notNull().default('x'), b: bigint().notNull() })))
    expect(plan()).toStrictEqual(plan())
  })
})

// ---------------------------------------------------------------------------------------------

describe('filters', () => {
  it('includeObject hides tables, columns, indexes, constraints and enum types from either side', () => {
    const before = new MetaData()
    before.table('legacy', { id: integer().primaryKey() })
    before.table('t', { id: integer().primaryKey(), secret: text(), n: integer() }, { indexes: [index('ix_t_n').on('n')], checks: [check('ck_keep', sql`n > 0`)] })
    const after = new MetaData()
    after.table('t', { id: integer().primaryKey(), n: integer(), added: enumType('mood', ['a']) }, { checks: [check('ck_new', sql`n > 1`)] })
    const seen: string[] = []
    const diffs = compareSchemas(databaseOf(before, 'postgresql'), modelsOf(after), {
      ...options('postgresql'),
      includeObject: (object) => {
        seen.push(`${object.type}:${object.name}:${object.reflected}`)
        return !['legacy', 'secret', 'ix_t_n', 'ck_keep', 'ck_new', 'mood'].includes(object.name)
      },
    })
    expect(descriptions(diffs)).toEqual(["added column 't.added'"])
    expect(seen).toEqual(
      expect.arrayContaining(['table:legacy:true', 'table:t:false', 'column:secret:true', 'index:ix_t_n:true', 'check_constraint:ck_keep:true', 'check_constraint:ck_new:false', 'enum:mood:false']),
    )
  })

  it('takes models naming the default schema as the database does (no schema)', () => {
    const metadata = new MetaData({ schema: 'public' })
    const p = metadata.table('p', { id: integer().primaryKey() })
    metadata.table('c', { id: integer().primaryKey(), p_id: integer().references(() => p.columns.id) })
    const database = databaseOf(metadata, 'postgresql')
    const unqualified: SchemaSnapshot = {
      enums: [],
      tables: database.tables.map((t) => {
        const { schema: _, ...rest } = t
        return { ...rest, foreignKeys: t.foreignKeys.map(({ referredSchema: __, ...fk }) => fk) }
      }),
    }
    expect(compareSchemas(unqualified, modelsOf(metadata), options('postgresql', { defaultSchema: 'public' }))).toEqual([])
    expect(compareSchemas(unqualified, modelsOf(metadata), options('postgresql')).length).toBeGreaterThan(0)
  })
})

describe('drops carry what their reverse rebuilds', () => {
  it('every drop of a comparison reverses to the database definition', () => {
    const metadata = new MetaData({ namingConvention: { uq: 'uq_%(table_name)s_%(column_0_name)s', ck: 'ck_%(table_name)s_%(constraint_name)s' } })
    const p = metadata.table('p', { id: integer().primaryKey(), code: text().unique() }, { comment: 'c' })
    metadata.table('c', { id: integer().primaryKey(), p_id: integer().references(() => p.columns.id), n: integer().default(3) }, { checks: [check('pos', sql`n > 0`)], indexes: [index().on('n')] })
    const empty = new MetaData()
    empty.table('p', { id: integer().notNull(), code: text() })
    empty.table('c', { id: integer().notNull(), p_id: integer() })
    const database = databaseOf(metadata, 'postgresql')
    const plan = planMigration(compareSchemas(database, modelsOf(empty), options('postgresql')))
    for (const op of plan.upgrade) {
      if (op.kind.startsWith('drop')) expect(() => op.reverse(), op.kind).not.toThrow()
    }
    const names = plan.upgrade.filter((o): o is DropConstraintOp => o.kind === 'dropConstraint').map((o) => o.name)
    expect(names).toEqual(['c_p_id_fkey', 'c_pkey', 'ck_c_pos', 'p_pkey', 'uq_p_code'])
  })
})

describe('models prepared before the database answers', () => {
  function shop(withSchema = false): MetaData {
    const metadata = new MetaData()
    metadata.table('orgs', { id: integer().primaryKey(), name: varchar(100).notNull().unique() }, withSchema ? { schema: 'sales' } : {})
    metadata.table(
      'users',
      {
        id: integer().primaryKey().autoincrement(),
        org_id: integer().references(withSchema ? 'sales.orgs.id' : 'orgs.id', { onDelete: 'cascade' }),
        email: varchar(200).notNull().default('x'),
      },
      { indexes: [index('ix_users_email').on('email')] },
    )
    return metadata
  }

  it('gives the same differences as the models compared afresh, on every dialect', () => {
    const changed = new MetaData()
    changed.table('orgs', { id: integer().primaryKey(), name: text().unique() })
    changed.table('audit', { id: integer().primaryKey(), at: timestamp() })
    for (const dialect of ['postgresql', 'mysql', 'sqlite'] as const) {
      for (const [db, models] of [[shop(), shop()], [shop(), changed], [changed, shop()]] as const) {
        const snapshot = databaseOf(db, dialect === 'mysql' ? 'mysql' : 'postgresql')
        const opts = options(dialect, { defaultSchema: 'public' })
        const prepared = prepareModels(modelsOf(models), options(dialect))
        expect(prepared).toBeDefined()
        const fresh = compareSchemas(snapshot, modelsOf(models), opts)
        expect(compareSchemas(snapshot, prepared!, opts)).toEqual(fresh)
      }
    }
    // the changed models do differ (the comparison above is not of empty lists)
    expect(compareSchemas(databaseOf(shop(), 'postgresql'), prepareModels(modelsOf(changed), options('postgresql'))!, options('postgresql')).length).toBeGreaterThan(0)
  })

  it('is not made when the models name a schema (the default schema decides what they mean)', () => {
    expect(prepareModels(modelsOf(shop(true)), options('postgresql'))).toBeUndefined()
    expect(prepareModels(modelsOf(shop()), options('postgresql', { versionTableSchema: 'meta' }))).toBeUndefined()
    expect(prepareModels(modelsOf(shop(), [enumType('mood', ['a'], { schema: 'x' }).type as EnumType]), options('postgresql'))).toBeUndefined()
  })

  it('is prepared again when the comparison options differ from those it was made with', () => {
    const models = modelsOf(shop())
    const prepared = prepareModels(models, options('postgresql'))!
    // The version table named `users`: the prepared models still have it, the comparison must not.
    const opts = options('postgresql', { versionTable: 'users' })
    expect(prepared.fits(opts)).toBe(false)
    const empty = { tables: [], enums: [] }
    expect(descriptions(compareSchemas(empty, prepared, opts))).toEqual(descriptions(compareSchemas(empty, models, opts)))
    expect(descriptions(compareSchemas(empty, models, opts)).some((d) => d.includes("'users'"))).toBe(false)
  })
})

describe('check conditions in the server spelling', () => {
  it('reads a condition out of SHOW CREATE TABLE, quotes and parentheses inside it kept', () => {
    const text = [
      'CREATE TEMPORARY TABLE `migrator_check_probe` (',
      '  `b` varchar(20) DEFAULT NULL,',
      "  CONSTRAINT `migrator_check_probe_0` CHECK (lcase(`b`) <> ')' and `b` <> 'it''s (' and `b` <> \"\\\")\"),",
      '  CONSTRAINT `migrator_check_probe_1` CHECK (`b` is null)',
      ') ENGINE=InnoDB',
    ].join('\n')
    expect(checkCondition(text, 'migrator_check_probe_0')).toBe("lcase(`b`) <> ')' and `b` <> 'it''s (' and `b` <> \"\\\")\"")
    expect(checkCondition(text, 'migrator_check_probe_1')).toBe('`b` is null')
    expect(checkCondition(text, 'migrator_check_probe_2')).toBeUndefined()
  })

  it('reads a generated column\'s expression out of SHOW CREATE TABLE', () => {
    const text = [
      'CREATE TEMPORARY TABLE `migrator_spelling_probe` (',
      '  `a` int(11) DEFAULT NULL,',
      "  `b``x` varchar(20) GENERATED ALWAYS AS (concat(ucase(`a`),')')) VIRTUAL COMMENT 'c',",
      '  `s` int(11) GENERATED ALWAYS AS (`a` + 1) STORED',
      ') ENGINE=InnoDB',
    ].join('\n')
    expect(generationExpression(text, 'b`x')).toBe("concat(ucase(`a`),')')")
    expect(generationExpression(text, 's')).toBe('`a` + 1')
    expect(generationExpression(text, 'a')).toBeUndefined()
  })

  it('asks for a generated column\'s expression that compared different, and compares again with the answer', () => {
    const table = (expression: SqlFragment): TableSpec => ({
      name: 't',
      columns: [
        { name: 'b', type: { kind: 'varchar', length: 20 }, nullable: true },
        { name: 'u', type: { kind: 'varchar', length: 20 }, nullable: true, generated: { expression, stored: true } },
      ],
      uniques: [],
      foreignKeys: [],
      indexes: [],
      checks: [],
    })
    const database: SchemaSnapshot = { tables: [table(sql.raw("locate('q',`b`)"))], enums: [] }
    const models: ModelSchema = { tables: [table(sql`instr(b, 'q')`)], enums: [] }
    const options: CompareOptions = { dialect: 'mysql', compareType: true, compareServerDefault: true, versionTable: 'v' }
    const differences = compareSchemas(database, models, options)
    expect(differences.map((d) => d.description)).toEqual(["changed generation of 't.u': AS (locate('q',`b`)) STORED -> AS (instr(b, 'q')) STORED"])
    expect(spellingQuestions(differences, () => models.tables[0]).map((q) => [q.conditions.length, q.generated])).toEqual([[0, ['u']]])
    expect(compareSchemas(database, models, { ...options, serverSpellings: { checks: new Map(), generated: new Map([[spellingKey(undefined, 't', "instr(b, 'q')"), "locate('q',`b`)"]]) } })).toEqual([])
    // The answer is the table's: another table's spelling of the same text is not taken.
    expect(compareSchemas(database, models, { ...options, serverSpellings: { checks: new Map(), generated: new Map([[spellingKey(undefined, 'other', "instr(b, 'q')"), "locate('q',`b`)"]]) } })).toHaveLength(1)
  })

  it('asks only for the conditions of tables where a check of the database found no match, and compares again with the answers', () => {
    const table = (checks: { name: string; expression: SqlFragment }[]): TableSpec => ({ name: 't', columns: [{ name: 'b', type: { kind: 'varchar', length: 20 }, nullable: true }], uniques: [], foreignKeys: [], indexes: [], checks })
    const database: SchemaSnapshot = { tables: [table([{ name: 'ck', expression: sql.raw("`b` <> 'x'") }])], enums: [] }
    const models: ModelSchema = { tables: [table([{ name: 'ck', expression: sql`NOT (b = 'x')` }])], enums: [] }
    const options: CompareOptions = { dialect: 'mysql', compareType: true, compareServerDefault: true, versionTable: 'v' }
    const differences = compareSchemas(database, models, options)
    expect(differences.map((d) => d.kind)).toEqual(['modify_check'])
    const questions = spellingQuestions(differences, (_schema, name) => models.tables.find((t) => t.name === name))
    expect(questions.map((q) => [q.table.name, q.conditions.map((c) => c.strings.join(''))])).toEqual([['t', ["NOT (b = 'x')"]]])
    expect(questions.map((q) => [q.schema, q.tableName])).toEqual([[undefined, 't']])
    expect(compareSchemas(database, models, { ...options, serverSpellings: { checks: new Map([[spellingKey(undefined, 't', "NOT (b = 'x')"), "`b` <> 'x'"]]), generated: new Map() } })).toEqual([])
    // A table whose checks all match asks nothing.
    expect(spellingQuestions(compareSchemas(database, { tables: [table([{ name: 'ck', expression: sql`b <> 'x'` }])], enums: [] }, options), () => undefined)).toEqual([])
  })
})
