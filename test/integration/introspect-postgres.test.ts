/**
 * PostgreSQL introspection: models → DDL (the compiler) → catalog → specs equal to the models'
 * (no false positives for autogenerate), hand-written DBA tables, a constant number of catalog
 * queries, and the filters.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { PostgresIntrospector, canonicalPostgresTable, parsePostgresDefault, parsePostgresType } from '../../src/dialects/postgres/postgres-introspector.js'
import { sortTableSpecs, type SchemaSnapshot } from '../../src/dialects/introspector.js'
import { CreateEnumOp } from '../../src/operations/ops.js'
import {
  array,
  bigint,
  binary,
  boolean,
  char,
  check,
  date,
  double,
  enumType,
  foreignKey,
  index,
  integer,
  interval,
  json,
  jsonb,
  MetaData,
  numeric,
  real,
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
import { countingConnection, createTables, describeOnServer, runOperations, runSql } from '../support/introspection.js'

const NAMING = {
  ix: 'ix_%(column_0_label)s',
  uq: 'uq_%(table_name)s_%(column_0_N_name)s',
  ck: 'ck_%(table_name)s_%(constraint_name)s',
  fk: 'fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s',
  pk: 'pk_%(table_name)s',
}

/** A dozen tables using every type and feature the PostgreSQL compiler supports. */
function roundTripModels(): MetaData {
  const metadata = new MetaData({ namingConvention: NAMING })
  const userStatus = enumType('user_status', ['active', 'banned', "it's"])
  const userRole = enumType('user_role', ['reader', 'writer'])

  const orgs = metadata.table(
    'orgs',
    {
      id: integer().primaryKey().autoincrement(),
      name: varchar(100).notNull().unique(),
      slug: text(),
      created_at: timestamp({ timezone: true }).notNull().default(sql`CURRENT_TIMESTAMP`),
    },
    { indexes: [index('ix_orgs_lower_slug').on(sql`lower(slug)`).unique()], comment: "Organisations (it's a comment)" },
  )

  const users = metadata.table(
    'users',
    {
      id: bigint().primaryKey().identity({ always: true, start: 1000 }),
      org_id: integer()
        .notNull()
        .references(() => orgs.columns.id, { onDelete: 'cascade' }),
      email: varchar(255).notNull().comment('login'),
      display_name: varchar(50).default("it's me").collate('C'),
      status: userStatus.notNull().default('active'),
      balance: numeric(12, 2).notNull().default(0.5),
      score: double().default(1.5),
      ratio: real().default(-0.25),
      is_admin: boolean().notNull().default(false),
      born: date().default('2000-01-01'),
      updated_at: timestamp().default(sql`now()`),
      manager_id: bigint().references(() => users.columns.id, { onDelete: 'set null' }),
      profile: jsonb().default('{}'),
      settings: json(),
      avatar: binary(),
      uid: uuid().notNull().default(sql`gen_random_uuid()`),
      tags: array(text()),
      matrix: array(integer(), { dimensions: 2 }),
      roles: array(userRole),
      lucky: smallint().default(-7),
      big: bigint().default(9007199254740993n),
      path: text().default('C:\\temp'),
      nick: varchar(),
    },
    {
      uniques: [unique().on('org_id', 'email')],
      checks: [check('lucky_range', sql`lucky > 0 AND lucky < 100`)],
      indexes: [
        index().on('manager_id').where(sql`manager_id IS NOT NULL`),
        index('ix_users_tags').on('tags').using('gin'),
        index('ix_users_updated').on('updated_at').using('brin'),
        index('ix_users_org_status').on('org_id', 'status', 'email'),
      ],
    },
  )

  const projects = metadata.table(
    'projects',
    {
      org_id: integer().references(() => orgs.columns.id),
      id: integer(),
      name: text().notNull(),
      budget: numeric(),
      code: char(4),
    },
    {
      primaryKey: { name: 'projects_pk', columns: ['org_id', 'id'] },
      // PostgreSQL prints a comparison with a text literal with its cast: written that way it reads back unchanged.
      checks: [check('name_not_empty', sql`name <> ''::text`)],
    },
  )

  metadata.table(
    'tasks',
    {
      id: integer().primaryKey().autoincrement(),
      project_org_id: integer().notNull(),
      project_id: integer().notNull(),
      parent_task_id: integer().references('tasks.id', { onDelete: 'cascade', onUpdate: 'cascade' }),
      title: varchar(200).notNull(),
      priority: smallint().notNull().default(3),
      done: boolean().default(true),
      due: timestamp({ precision: 3 }),
      starts: time({ precision: 2 }),
      alarm: time({ timezone: true }),
      estimate: interval(),
      weight: numeric(8, 3).default(1.125),
    },
    {
      foreignKeys: [
        foreignKey(['project_org_id', 'project_id'], () => [projects.columns.org_id, projects.columns.id], {
          onDelete: 'restrict',
          onUpdate: 'cascade',
          deferrable: true,
          initially: 'deferred',
        }),
      ],
      checks: [check('priority_range', sql`priority >= 1 AND priority <= 5`)],
      indexes: [index('ix_tasks_title_expr').on(sql`lower(title::text)`, 'priority')],
    },
  )

  metadata.table(
    'memberships',
    {
      user_id: bigint().references(() => users.columns.id, { onDelete: 'cascade' }),
      org_id: integer().references(() => orgs.columns.id, { onDelete: 'cascade', deferrable: true }),
      role: userRole.notNull().default('reader'),
      joined_at: timestamp({ timezone: true }).default(sql`now()`),
    },
    { primaryKey: ['user_id', 'org_id'], comment: 'who belongs where' },
  )

  metadata.table('audit_log', {
    id: bigint().primaryKey().autoincrement(),
    user_id: bigint().references(() => users.columns.id, { match: 'full' }),
    payload: jsonb().notNull(),
    at: timestamp({ timezone: true, precision: 6 }).notNull().default(sql`CURRENT_TIMESTAMP`),
    ip: sqlType('inet'),
    search: sqlType('tsvector'),
  }, { indexes: [index('ix_audit_search').on('search').using('gin'), index('ix_audit_payload').on('payload').using('gin')] })

  const tags = metadata.table('tags', {
    name: varchar(50).primaryKey(),
    color: char(7).notNull().default('#ffffff'),
    hits: bigint().notNull().default(0),
  })

  metadata.table(
    'post_tags',
    {
      post_id: integer(),
      tag: varchar(50).references(() => tags.columns.name, { onDelete: 'cascade', onUpdate: 'cascade' }),
      position: integer().notNull().default(0),
    },
    {
      primaryKey: ['post_id', 'tag'],
      uniques: [unique('post_tags_position').on('post_id', 'position')],
      indexes: [index('ix_post_tags_tag').on('tag', 'post_id').unique()],
    },
  )

  metadata.table('settings', {
    key: text().primaryKey().comment("the setting's key"),
    value: text().notNull().default(''),
    description: text().comment('free text'),
  })

  metadata.table(
    'counters',
    {
      name: varchar(40).primaryKey(),
      n: integer().notNull().default(0),
      step: integer().notNull().default(1),
    },
    {
      checks: [check('n_nonneg', sql`n >= 0`), check('step_positive', sql`step > 0`)],
      indexes: [index('ix_counters_next').on(sql`n + step`)],
    },
  )

  metadata.table(
    'documents',
    {
      id: uuid().primaryKey().default(sql`gen_random_uuid()`),
      title: text().notNull(),
      body: text(),
      deleted_at: timestamp({ timezone: true }),
      version: integer().notNull().identity({ start: 10, increment: 10 }),
    },
    {
      indexes: [index('ix_documents_live_title').on('title').unique().where(sql`deleted_at IS NULL`), index('ix_documents_title_hash').on('title').using('hash')],
    },
  )
  metadata.table(
    'Weird "Name"',
    {
      'Mixed Case': integer().primaryKey(),
      order: text().notNull().default("'quoted'"),
      naïve_таблица: varchar(10),
      'we"ird': integer().references({ table: 'Weird "Name"', column: 'Mixed Case' }),
    },
    {
      checks: [check('Check "x"', sql`"Mixed Case" > 0 AND "order" <> ''::text`)],
      indexes: [index('Ix Weird').on('order', 'Mixed Case'), index('ix weird expr').on(sql`lower("order")`)],
      comment: 'quoted names',
    },
  )
  return metadata
}

async function introspect(connection: Parameters<PostgresIntrospector['introspect']>[0], options?: Parameters<PostgresIntrospector['introspect']>[1]): Promise<SchemaSnapshot> {
  return new PostgresIntrospector().introspect(connection, options)
}

describeOnServer('postgresql', 'PostgreSQL introspection', ({ connection }) => {
  describe('round trip: models → DDL → catalog → the same specs', () => {
    const metadata = roundTripModels()
    let snapshot: SchemaSnapshot

    beforeAll(async () => {
      await runSql(connection(), ['CREATE SCHEMA rt', 'SET search_path TO rt'])
      await runOperations(connection(), [new CreateEnumOp({ name: 'mood', values: ['happy', 'sad'] })])
      await createTables(connection(), metadata.toSpecs())
      snapshot = await introspect(connection())
    })

    it('reads every table back exactly as the models declare it', () => {
      expect(snapshot.tables.map((t) => t.name)).toEqual(sortTableSpecs(metadata.toSpecs()).map((t) => t.name))
      const expected = sortTableSpecs(metadata.toSpecs())
      for (const [i, table] of snapshot.tables.entries()) expect(table, table.name).toEqual(expected[i])
      expect(snapshot.tables).toEqual(expected)
      expect(snapshot.tables).toHaveLength(12)
    })

    it('reports the named enum types, the unused one too', () => {
      expect(snapshot.enums).toEqual([
        { kind: 'enum', name: 'mood', values: ['happy', 'sad'] },
        { kind: 'enum', name: 'user_role', values: ['reader', 'writer'] },
        { kind: 'enum', name: 'user_status', values: ['active', 'banned', "it's"] },
      ])
    })

    it('reads back what PostgreSQL cannot keep as canonicalPostgresTable predicts', async () => {
      const lossy = new MetaData({ namingConvention: NAMING }).table(
        'lossy',
        {
          id: integer().primaryKey(),
          amount: numeric(10, 0),
          flag: char(),
          data: binary({ length: 16 }),
          count: integer().unsigned().default(5n),
          list: array(integer(), { dimensions: 1 }),
          seq: integer().identity(),
          seq2: bigint().identity({ always: false, start: 1, increment: 1 }),
          ref: integer().references('lossy.id', { onDelete: 'no action', match: 'simple', deferrable: false, initially: 'immediate' }),
        },
        { indexes: [index('ix_lossy_amount').on('amount').using('BTREE'), index('ix_lossy_list').on('list').using('GIN')], checks: [check('positive', sql`(id > 0)`)] },
      )
      await createTables(connection(), [lossy.toSpec()])
      const read = (await introspect(connection(), { tables: ['lossy'] })).tables
      expect(read).toHaveLength(1)
      expect(read[0]).not.toEqual(sortTableSpecs([lossy.toSpec()])[0])
      expect(read[0]).toEqual(sortTableSpecs([canonicalPostgresTable(lossy.toSpec())])[0])
      // The round-trip models use nothing PostgreSQL loses: canonical leaves their specs unchanged.
      expect(sortTableSpecs(metadata.toSpecs().map(canonicalPostgresTable))).toEqual(sortTableSpecs(metadata.toSpecs()))
    })

    it('rebuilds an identical schema from the snapshot (introspect → models → check finds nothing)', async () => {
      await runSql(connection(), ['CREATE SCHEMA rt2', 'SET search_path TO rt2'])
      const types = snapshot.enums.map((e) => new CreateEnumOp({ name: e.name, values: e.values }))
      await runOperations(connection(), types)
      await createTables(connection(), tablesParentsFirst(snapshot.tables))
      const again = await introspect(connection())
      expect(again.tables).toEqual(snapshot.tables)
      expect(again.enums).toEqual(snapshot.enums)
      await runSql(connection(), ['SET search_path TO public'])
    })
  })

  describe('tables written by hand, as a DBA would', () => {
    let tables: readonly TableSpec[]
    beforeAll(async () => {
      await runSql(connection(), [
        'CREATE SCHEMA dba',
        'SET search_path TO dba',
        `CREATE TABLE products (
           id SERIAL PRIMARY KEY,
           name varchar(255) DEFAULT NULL,
           sku character varying(32) NOT NULL UNIQUE,
           price numeric(10,2) NOT NULL CHECK (price > 0),
           stock int4 NOT NULL DEFAULT 0,
           active bool DEFAULT 't',
           created_at timestamp without time zone DEFAULT now(),
           updated_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
           tags _text,
           ratio float8,
           small int2 DEFAULT -1,
           code bpchar(3)
         )`,
        `COMMENT ON TABLE products IS 'catalogue'`,
        'CREATE INDEX products_lower_name ON products (lower(name))',
        `CREATE UNIQUE INDEX products_active_sku ON products (sku) WHERE active`,
        `CREATE TABLE orders (
           id bigserial PRIMARY KEY,
           product_id integer REFERENCES products ON DELETE SET NULL,
           qty int4 NOT NULL DEFAULT 1,
           note text DEFAULT 'n/a'::text,
           CONSTRAINT qty_positive CHECK (qty > 0)
         )`,
        'CREATE VIEW order_view AS SELECT * FROM orders',
        'CREATE MATERIALIZED VIEW order_counts AS SELECT product_id, count(*) AS n FROM orders GROUP BY product_id',
        'CREATE SEQUENCE loose_seq',
        'CREATE TABLE events (id int NOT NULL, at date NOT NULL) PARTITION BY RANGE (at)',
        `CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`,
      ])
      tables = (await introspect(connection())).tables
      await runSql(connection(), ['SET search_path TO public'])
    })

    it('normalises SERIAL, synonyms, NULL defaults, casts and constraint names', () => {
      expect(tables.map((t) => t.name)).toEqual(['events', 'orders', 'products'])
      expect(tables.find((t) => t.name === 'products')).toEqual({
        name: 'products',
        columns: [
          { name: 'id', type: { kind: 'integer' }, nullable: false, autoincrement: true },
          { name: 'name', type: { kind: 'varchar', length: 255 }, nullable: true },
          { name: 'sku', type: { kind: 'varchar', length: 32 }, nullable: false },
          { name: 'price', type: { kind: 'numeric', precision: 10, scale: 2 }, nullable: false },
          { name: 'stock', type: { kind: 'integer' }, nullable: false, serverDefault: 0 },
          { name: 'active', type: { kind: 'boolean' }, nullable: true, serverDefault: true },
          { name: 'created_at', type: { kind: 'timestamp' }, nullable: true, serverDefault: sql`now()` },
          { name: 'updated_at', type: { kind: 'timestamp', timezone: true }, nullable: false, serverDefault: sql`CURRENT_TIMESTAMP` },
          { name: 'tags', type: { kind: 'array', itemType: { kind: 'text' } }, nullable: true },
          { name: 'ratio', type: { kind: 'double' }, nullable: true },
          { name: 'small', type: { kind: 'smallint' }, nullable: true, serverDefault: -1 },
          { name: 'code', type: { kind: 'char', length: 3 }, nullable: true },
        ],
        primaryKey: { name: 'products_pkey', columns: ['id'] },
        uniques: [{ name: 'products_sku_key', columns: ['sku'] }],
        foreignKeys: [],
        checks: [{ name: 'products_price_check', expression: sql`price > 0::numeric` }],
        indexes: [
          { name: 'products_active_sku', columns: ['sku'], unique: true, where: sql`active` },
          { name: 'products_lower_name', columns: [sql`lower(name::text)`] },
        ],
        comment: 'catalogue',
      })
      expect(tables.find((t) => t.name === 'orders')).toEqual({
        name: 'orders',
        columns: [
          { name: 'id', type: { kind: 'bigint' }, nullable: false, autoincrement: true },
          { name: 'product_id', type: { kind: 'integer' }, nullable: true },
          { name: 'qty', type: { kind: 'integer' }, nullable: false, serverDefault: 1 },
          { name: 'note', type: { kind: 'text' }, nullable: true, serverDefault: 'n/a' },
        ],
        primaryKey: { name: 'orders_pkey', columns: ['id'] },
        uniques: [],
        foreignKeys: [{ name: 'orders_product_id_fkey', columns: ['product_id'], referredTable: 'products', referredColumns: ['id'], onDelete: 'SET NULL' }],
        checks: [{ name: 'qty_positive', expression: sql`qty > 0` }],
        indexes: [],
      })
    })

    it('ignores views, materialized views, sequences and partitions (the partitioned table is kept)', () => {
      const names = tables.map((t) => t.name)
      expect(names).not.toContain('order_view')
      expect(names).not.toContain('order_counts')
      expect(names).not.toContain('loose_seq')
      expect(names).not.toContain('events_2024')
      expect(tables.find((t) => t.name === 'events')?.columns.map((c) => c.name)).toEqual(['id', 'at'])
    })

    it('recreated from its snapshot, a hand-written schema reads back the same', async () => {
      await runSql(connection(), ['CREATE SCHEMA dba2', 'SET search_path TO dba2'])
      await createTables(connection(), tablesParentsFirst(tables))
      const again = (await introspect(connection())).tables
      await runSql(connection(), ['SET search_path TO public'])
      expect(again).toEqual(tables)
    })
  })

  describe('catalog queries', () => {
    it('uses the same number of queries for 5 tables and for 60', async () => {
      const counted = countingConnection(connection())
      await runSql(connection(), ['CREATE SCHEMA many'])
      const batch = (from: number, to: number): TableSpec[] => {
        const metadata = new MetaData({ schema: 'many', namingConvention: NAMING })
        const specs: TableSpec[] = []
        for (let i = from; i < to; i++) {
          specs.push(
            metadata
              .table(
                `t${i}`,
                {
                  id: integer().primaryKey().autoincrement(),
                  parent_id: integer().references({ table: `t${Math.max(0, i - 1)}`, column: 'id', schema: 'many' }),
                  name: varchar(40).notNull().unique(),
                  kind: enumType('kind', ['a', 'b'], { schema: 'many' }),
                  n: integer().default(0),
                },
                { indexes: [index().on('n')], checks: [check('n_positive', sql`n >= 0`)], comment: `table ${i}` },
              )
              .toSpec(),
          )
        }
        return specs
      }
      await createTables(connection(), batch(0, 5))
      counted.reset()
      const five = await introspect(counted, { schemas: ['many'] })
      const fiveQueries = counted.count
      await createTables(connection(), batch(5, 60))
      counted.reset()
      const sixty = await introspect(counted, { schemas: ['many'] })
      const sixtyQueries = counted.count
      console.log(`PostgreSQL introspection: ${fiveQueries} queries for ${five.tables.length} tables, ${sixtyQueries} for ${sixty.tables.length}`)
      expect(five.tables).toHaveLength(5)
      expect(sixty.tables).toHaveLength(60)
      expect(sixty.tables[59]!.foreignKeys).toHaveLength(1)
      expect(sixtyQueries).toBe(fiveQueries)
      expect(fiveQueries).toBeLessThanOrEqual(6)
    })
  })

  describe('filters', () => {
    beforeAll(async () => {
      await runSql(connection(), ['CREATE SCHEMA filt', 'CREATE SCHEMA elsewhere', 'SET search_path TO filt'])
      const metadata = new MetaData()
      const a = metadata.table('a', { id: integer().primaryKey(), secret: text(), n: integer().index() }, { checks: [check('ck_a', sql`n > 0`)] })
      metadata.table('b', { id: integer().primaryKey(), a_id: integer().references(() => a.columns.id) }, { uniques: [unique('uq_b').on('a_id')] })
      await createTables(connection(), metadata.toSpecs())
      await runSql(connection(), [
        ...connection().dialect.createVersionTableSql({ table: 'alembic_version', schema: undefined }),
        'CREATE VIEW a_view AS SELECT id FROM a',
        `CREATE TYPE elsewhere.other_enum AS ENUM ('x')`,
        'CREATE TABLE elsewhere.other (id int PRIMARY KEY, e elsewhere.other_enum)',
        'CREATE TABLE c (id int PRIMARY KEY, o int REFERENCES elsewhere.other, e elsewhere.other_enum)',
      ])
    })

    it('excludes the version table, views and other schemas', async () => {
      const snapshot = await introspect(connection(), { excludeTables: ['alembic_version'] })
      expect(snapshot.tables.map((t) => t.name)).toEqual(['a', 'b', 'c'])
      expect(snapshot.enums).toEqual([])
      const c = snapshot.tables.find((t) => t.name === 'c')!
      expect(c.columns[2]!.type).toEqual({ kind: 'enum', name: 'other_enum', values: ['x'], schema: 'elsewhere' })
      expect(c.foreignKeys[0]).toMatchObject({ referredTable: 'other', referredSchema: 'elsewhere' })
      const all = await introspect(connection())
      expect(all.tables.map((t) => t.name)).toEqual(['a', 'alembic_version', 'b', 'c'])
    })

    it('reads the requested schemas, the current one without schema names', async () => {
      const snapshot = await introspect(connection(), { schemas: ['filt', 'elsewhere'], excludeTables: ['alembic_version'] })
      expect(snapshot.tables.map((t) => [t.schema, t.name])).toEqual([
        [undefined, 'a'],
        [undefined, 'b'],
        [undefined, 'c'],
        ['elsewhere', 'other'],
      ])
      expect(snapshot.enums).toEqual([{ kind: 'enum', name: 'other_enum', values: ['x'], schema: 'elsewhere' }])
      const other = snapshot.tables.find((t) => t.name === 'other')!
      expect(other.columns[1]!.type).toEqual({ kind: 'enum', name: 'other_enum', values: ['x'] })
    })

    it('keeps only the named tables', async () => {
      const snapshot = await introspect(connection(), { tables: ['b'] })
      expect(snapshot.tables.map((t) => t.name)).toEqual(['b'])
    })

    it('applies includeName to every kind of object', async () => {
      const seen = new Set<string>()
      const snapshot = await introspect(connection(), {
        schemas: ['filt', 'elsewhere'],
        includeName: (name, type, parent) => {
          seen.add(`${type}:${parent.schema ?? ''}:${parent.tableName ?? ''}:${name}`)
          if (type === 'schema') return name !== 'elsewhere'
          if (type === 'table') return name !== 'alembic_version' && name !== 'c'
          if (type === 'column') return name !== 'secret'
          if (type === 'index') return false
          if (type === 'check_constraint' || type === 'unique_constraint' || type === 'foreign_key_constraint') return false
          return true
        },
      })
      expect(snapshot.tables.map((t) => t.name)).toEqual(['a', 'b'])
      const [a, b] = snapshot.tables
      expect(a!.columns.map((c) => c.name)).toEqual(['id', 'n'])
      expect(a!.indexes).toEqual([])
      expect(a!.checks).toEqual([])
      expect(a!.primaryKey).toEqual({ name: 'a_pkey', columns: ['id'] })
      expect(b!.uniques).toEqual([])
      expect(b!.foreignKeys).toEqual([])
      expect(seen).toContain('schema:::elsewhere')
      expect(seen).toContain('table:::a')
      expect(seen).toContain('column::a:secret')
      expect(seen).toContain('index::a:ix_a_n')
      expect(seen).toContain('check_constraint::a:ck_a')
      expect(seen).toContain('unique_constraint::b:uq_b')
      expect(seen).toContain('foreign_key_constraint::b:b_a_id_fkey')
      expect([...seen].some((s) => s.includes(':other'))).toBe(false)
    })
  })
})

describe('PostgreSQL default and type spellings (no database)', () => {
  it('parses defaults as pg_get_expr prints them', () => {
    expect(parsePostgresDefault("'it''s'::character varying")).toBe("it's")
    expect(parsePostgresDefault("'x'::\"Mixed Enum\"")).toBe('x')
    expect(parsePostgresDefault("'x'::other.status")).toBe('x')
    expect(parsePostgresDefault("'{1,2}'::integer[]")).toBe('{1,2}')
    expect(parsePostgresDefault("'2020-01-01 00:00:00'::timestamp without time zone")).toBe('2020-01-01 00:00:00')
    expect(parsePostgresDefault("'-1'::integer")).toBe(-1)
    expect(parsePostgresDefault("'-1.5'::numeric")).toBe(-1.5)
    expect(parsePostgresDefault("'9007199254740993'::bigint")).toBe(9007199254740993n)
    expect(parsePostgresDefault('42')).toBe(42)
    expect(parsePostgresDefault('0.5')).toBe(0.5)
    expect(parsePostgresDefault('true')).toBe(true)
    expect(parsePostgresDefault('NULL::character varying')).toBeUndefined()
    expect(parsePostgresDefault('NULL')).toBeUndefined()
    expect(parsePostgresDefault("'a'::text || 'b'::text")).toEqual(sql`'a'::text || 'b'::text`)
    expect(parsePostgresDefault('(now() + \'1 day\'::interval)')).toEqual(sql`now() + '1 day'::interval`)
    expect(parsePostgresDefault('CURRENT_TIMESTAMP')).toEqual(sql`CURRENT_TIMESTAMP`)
  })

  it('maps format_type spellings', () => {
    expect(parsePostgresType('character varying(20)')).toEqual({ kind: 'varchar', length: 20 })
    expect(parsePostgresType('character varying')).toEqual({ kind: 'varchar' })
    expect(parsePostgresType('numeric(10,0)')).toEqual({ kind: 'numeric', precision: 10 })
    expect(parsePostgresType('timestamp(3) with time zone')).toEqual({ kind: 'timestamp', timezone: true, precision: 3 })
    expect(parsePostgresType('time without time zone')).toEqual({ kind: 'time' })
    expect(parsePostgresType('interval day')).toEqual({ kind: 'custom', sql: 'interval day' })
    expect(parsePostgresType('tsvector')).toEqual({ kind: 'custom', sql: 'tsvector' })
    // Type names that are also names of Object.prototype's members are types like any other.
    expect(parsePostgresType('constructor')).toEqual({ kind: 'custom', sql: 'constructor' })
    expect(parsePostgresType('tostring')).toEqual({ kind: 'custom', sql: 'tostring' })
    expect(parsePostgresType('__proto__')).toEqual({ kind: 'custom', sql: '__proto__' })
    // Parsed once, the same spec each time.
    expect(parsePostgresType('numeric(12,2)')).toBe(parsePostgresType('numeric(12,2)'))
  })
})

/** Tables ordered so that each comes after the tables its foreign keys refer to (same schema). */
function tablesParentsFirst(tables: readonly TableSpec[]): TableSpec[] {
  const left = [...tables]
  const done = new Set<string>()
  const out: TableSpec[] = []
  while (left.length > 0) {
    const at = left.findIndex((t) => t.foreignKeys.every((fk) => fk.referredTable === t.name || fk.referredSchema !== undefined || done.has(fk.referredTable)))
    const [next] = left.splice(at === -1 ? 0 : at, 1)
    done.add(next!.name)
    out.push(next!)
  }
  return out
}
