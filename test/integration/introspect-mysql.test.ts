/**
 * MySQL/MariaDB introspection: models → DDL (the compiler) → information_schema → specs equal to
 * the models' (no false positives for autogenerate), hand-written DBA tables, a constant number of
 * catalog queries, and the filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MysqlIntrospector, canonicalMysqlTable, mysqlFlavour, normalizeMysqlExpression, parseMysqlType, sendAll, unescapeMysqlString } from '../../src/dialects/mysql/mysql-introspector.js'
import { sortTableSpecs, type IntrospectOptions, type SchemaSnapshot } from '../../src/dialects/introspector.js'
import type { Connection } from '../../src/dialects/dialect.js'
import {
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
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { countingConnection, createTables, describeOnServer, runSql } from '../support/introspection.js'
import { serverSpellings } from '../../src/autogenerate/server-spellings.js'

/** No `pk` template: MySQL's primary key is always named PRIMARY. */
const NAMING = {
  ix: 'ix_%(column_0_label)s',
  uq: 'uq_%(table_name)s_%(column_0_N_name)s',
  ck: 'ck_%(table_name)s_%(constraint_name)s',
  fk: 'fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s',
}

/** A dozen tables using every type and feature the MySQL compiler supports. */
function roundTripModels(): MetaData {
  const metadata = new MetaData({ namingConvention: NAMING })

  const orgs = metadata.table(
    'orgs',
    {
      id: integer().primaryKey().autoincrement(),
      name: varchar(100).notNull().unique(),
      slug: varchar(100),
      created_at: timestamp().notNull().default(sql`CURRENT_TIMESTAMP`),
      updated_at: timestamp().default(sql`CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP`),
    },
    { indexes: [index('ix_orgs_slug').on('slug')], comment: "Organisations (it's a comment)" },
  )

  const users = metadata.table(
    'users',
    {
      id: bigint().unsigned().primaryKey().autoincrement(),
      org_id: integer()
        .notNull()
        .references(() => orgs.columns.id, { onDelete: 'cascade' }),
      email: varchar(255).notNull().comment("the user's login"),
      display_name: varchar(50).default("it's me").collate('utf8mb4_bin'),
      // MySQL enums have no type name: the column's name reads back as the enum's.
      status: enumType('status', ['active', 'banned', "it's", 'back\\slash']).notNull().default('active'),
      perms: setType(['read', 'write', 'admin']).default('read'),
      balance: numeric(12, 2).notNull().default(0.5),
      score: double().default(1.5),
      ratio: real().default(-0.25),
      is_admin: boolean().notNull().default(false),
      born: date().default('2000-01-01'),
      seen_at: timestamp({ precision: 3 }).default(sql`CURRENT_TIMESTAMP(3)`),
      manager_id: bigint()
        .unsigned()
        .references(() => users.columns.id, { onDelete: 'set null' }),
      settings: json(),
      avatar: binary(),
      token: binary({ length: 16 }),
      lucky: smallint().default(-7),
      big: bigint().default(9007199254740993n),
      path: varchar(100).default('C:\\temp'),
      visits: integer().unsigned().notNull().default(5),
      uid: char(36),
    },
    {
      uniques: [unique().on('org_id', 'email')],
      // MariaDB prints keywords in lower case: written that way, the expression reads back unchanged.
      checks: [check('lucky_range', sql`lucky > 0 and lucky < 100`)],
      indexes: [index().on('manager_id'), index('ix_users_org_status').on('org_id', 'status', 'email')],
    },
  )

  const projects = metadata.table(
    'projects',
    {
      org_id: integer().references(() => orgs.columns.id),
      id: integer(),
      name: varchar(100).notNull(),
      budget: numeric(14, 4),
      code: char(4),
    },
    { primaryKey: ['org_id', 'id'], checks: [check('name_not_empty', sql`name <> ''`)] },
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
      weight: numeric(8, 3).default(1.125),
    },
    {
      foreignKeys: [
        foreignKey(['project_org_id', 'project_id'], () => [projects.columns.org_id, projects.columns.id], { onDelete: 'cascade', onUpdate: 'cascade' }),
      ],
      checks: [check('priority_range', sql`priority >= 1 and priority <= 5`)],
      indexes: [index('ix_tasks_title_priority').on('title', 'priority')],
    },
  )

  metadata.table(
    'memberships',
    {
      user_id: bigint()
        .unsigned()
        .references(() => users.columns.id, { onDelete: 'cascade' }),
      // Second column of the primary key: InnoDB adds an index for this foreign key, never reported.
      org_id: integer().references(() => orgs.columns.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
      role: enumType('role', ['reader', 'writer']).notNull().default('reader'),
      joined_at: timestamp().default(sql`CURRENT_TIMESTAMP`),
    },
    { primaryKey: ['user_id', 'org_id'], comment: 'who belongs where' },
  )

  metadata.table('audit_log', {
    id: bigint().primaryKey().autoincrement(),
    user_id: bigint().unsigned().references(() => users.columns.id),
    payload: json().notNull(),
    at: timestamp({ precision: 6 }).notNull().default(sql`CURRENT_TIMESTAMP(6)`),
    note: sqlType('mediumtext'),
    flags: sqlType('tinyint unsigned'),
    level: sqlType('mediumint unsigned'),
    bits: sqlType('bit(3)'),
    year: sqlType('year'),
    raw: sqlType('longblob'),
    stamp: sqlType('timestamp(3)').nullable(),
  })

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
    { primaryKey: ['post_id', 'tag'], uniques: [unique('post_tags_position').on('post_id', 'position'), unique().on('tag', 'post_id')] },
  )

  metadata.table('settings', {
    key: varchar(64).primaryKey().comment("the setting's key"),
    value: varchar(255).notNull().default(''),
    description: text().comment('free text'),
  })

  metadata.table(
    'counters',
    {
      name: varchar(40).primaryKey(),
      n: integer().notNull().default(0),
      step: integer().notNull().default(1),
    },
    { checks: [check('n_nonneg', sql`n >= 0`), check('step_positive', sql`step > 0`)] },
  )

  metadata.table(
    'documents',
    {
      id: char(36).primaryKey(),
      title: varchar(200).notNull(),
      body: text(),
      published: boolean().default(true),
      deleted_at: timestamp(),
    },
    { indexes: [index('ix_documents_title').on('title'), index('ix_documents_pub_title').on('published', 'title')] },
  )

  metadata.table(
    'Weird "Name"',
    {
      'Mixed Case': integer().primaryKey(),
      order: varchar(20).notNull().default("'quoted'"),
      naïve_таблица: varchar(10),
      'c`d': integer().references({ table: 'Weird "Name"', column: 'Mixed Case' }),
    },
    {
      checks: [check('Check "x"', sql`\`Mixed Case\` > 0 and \`order\` <> ''`)],
      indexes: [index('Ix Weird').on('order', 'Mixed Case')],
      comment: 'quoted names',
    },
  )
  return metadata
}

async function introspect(connection: Connection, options?: IntrospectOptions): Promise<SchemaSnapshot> {
  return new MysqlIntrospector().introspect(connection, options)
}

describeOnServer('mysql', 'MySQL introspection', ({ connection }) => {
  /** A second database on the server, for the tests reading several. */
  let other: TestDatabase | null = null
  let otherName = ''
  beforeAll(async () => {
    other = await createTestDatabase('mysql')
    otherName = decodeURIComponent(new URL(other!.url).pathname.slice(1))
  })
  afterAll(async () => {
    await other?.drop()
  })

  describe('round trip: models → DDL → information_schema → the same specs', () => {
    const metadata = roundTripModels()
    let snapshot: SchemaSnapshot

    beforeAll(async () => {
      await createTables(connection(), metadata.toSpecs())
      snapshot = await introspect(connection())
    })

    it('reads every table back exactly as the models declare it', () => {
      const expected = sortTableSpecs(metadata.toSpecs())
      expect(snapshot.tables.map((t) => t.name)).toEqual(expected.map((t) => t.name))
      for (const [i, table] of snapshot.tables.entries()) expect(table, table.name).toEqual(expected[i])
      expect(snapshot.tables).toEqual(expected)
      expect(snapshot.tables).toHaveLength(12)
      expect(snapshot.enums).toEqual([])
    })

    it('never reports the indexes InnoDB adds for foreign keys', () => {
      const names = (table: string): string[] => snapshot.tables.find((t) => t.name === table)!.indexes.map((ix) => ix.name)
      expect(names('memberships')).toEqual([])
      expect(names('tasks')).toEqual(['ix_tasks_title_priority'])
      expect(names('users')).toEqual(['ix_users_manager_id', 'ix_users_org_status'])
    })

    it('reads back what MySQL cannot keep as canonicalMysqlTable predicts', async () => {
      const lossy = new MetaData({ namingConvention: { ...NAMING, pk: 'pk_%(table_name)s' } }).table(
        'lossy',
        {
          id: integer().identity({ start: 5 }),
          uid: uuid(),
          doc: jsonb(),
          at: timestamp({ timezone: true }),
          amount: numeric(),
          whole: numeric(10, 0),
          flag: char(),
          mood: enumType('mood_type', ['happy', 'sad']),
          count: integer().default(true),
          big: bigint().default(5n),
          ref: integer().references('lossy.id', { onDelete: 'restrict', onUpdate: 'no action', deferrable: true, initially: 'deferred' }),
          email: varchar(100),
        },
        {
          primaryKey: ['id'],
          indexes: [index('ix_lossy_email').on('email').unique(), index('ix_lossy_amount').on('amount').using('btree')],
          checks: [check('positive', sql`(ref > 0)`)],
        },
      )
      await createTables(connection(), [lossy.toSpec()])
      const read = (await introspect(connection(), { tables: ['lossy'] })).tables
      expect(read).toHaveLength(1)
      expect(read[0]).not.toEqual(sortTableSpecs([lossy.toSpec()])[0])
      expect(read[0]).toEqual(sortTableSpecs([canonicalMysqlTable(lossy.toSpec())])[0])
      // The round-trip models use nothing MySQL loses: canonical leaves their specs unchanged.
      expect(sortTableSpecs(metadata.toSpecs().map(canonicalMysqlTable))).toEqual(sortTableSpecs(metadata.toSpecs()))
    })

    it('rebuilds an identical schema from the snapshot (introspect → models → check finds nothing)', async () => {
      const inOther = snapshot.tables.map((t) => ({ ...t, schema: otherName, foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, referredSchema: otherName })) }))
      await createTables(connection(), tablesParentsFirst(inOther))
      const again = await introspect(connection(), { schemas: [otherName] })
      expect(again.tables).toEqual(inOther)
      await runSql(connection(), [
        'SET FOREIGN_KEY_CHECKS = 0',
        ...inOther.map((t) => `DROP TABLE \`${otherName}\`.${connection().dialect.quoteIdentifier(t.name)}`),
        'SET FOREIGN_KEY_CHECKS = 1',
      ])
    })
  })

  describe('tables written by hand, as a DBA would', () => {
    let tables: readonly TableSpec[]
    beforeAll(async () => {
      await runSql(connection(), [
        `CREATE TABLE dba_products (
           \`id\` int(11) NOT NULL AUTO_INCREMENT,
           \`name\` varchar(255) DEFAULT NULL,
           \`sku\` varchar(32) NOT NULL,
           \`active\` tinyint(1) NOT NULL DEFAULT '1',
           \`price\` decimal(10,2) NOT NULL,
           \`stock\` int(10) unsigned NOT NULL DEFAULT '0',
           \`created_at\` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
           \`updated_at\` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
           \`touched_at\` datetime NULL ON UPDATE CURRENT_TIMESTAMP,
           \`note\` text,
           \`data\` json DEFAULT NULL,
           \`kind\` enum('a','b') NOT NULL DEFAULT 'a',
           \`code\` char(3) CHARACTER SET ascii COLLATE ascii_bin DEFAULT NULL,
           \`small\` smallint(6) DEFAULT -1,
           \`ratio\` float DEFAULT NULL,
           \`tiny\` tinyint(4) DEFAULT NULL,
           PRIMARY KEY (\`id\`),
           UNIQUE KEY \`uq_sku\` (\`sku\`),
           KEY \`ix_created\` (\`created_at\`),
           KEY \`ix_name_prefix\` (\`name\`(10)),
           CONSTRAINT \`chk_price\` CHECK (price > 0)
         ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='catalogue'`,
        `CREATE TABLE dba_orders (
           id bigint(20) unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
           product_id int(11) NOT NULL,
           other_product_id int(11) DEFAULT NULL,
           qty int(11) NOT NULL DEFAULT 1,
           KEY ix_other (other_product_id),
           FOREIGN KEY (product_id) REFERENCES dba_products (id) ON DELETE CASCADE,
           CONSTRAINT fk_other FOREIGN KEY (other_product_id) REFERENCES dba_products (id) ON UPDATE SET NULL ON DELETE RESTRICT
         ) ENGINE=InnoDB`,
        'CREATE VIEW dba_order_view AS SELECT * FROM dba_orders',
      ])
      tables = (await introspect(connection(), { tables: ['dba_products', 'dba_orders', 'dba_order_view'] })).tables
    })

    it('normalises display widths, tinyint(1), NULL defaults, ON UPDATE, quoting and implicit FK indexes', () => {
      expect(tables.map((t) => t.name)).toEqual(['dba_orders', 'dba_products'])
      const products = tables.find((t) => t.name === 'dba_products')!
      expect(products).toEqual({
        name: 'dba_products',
        columns: [
          { name: 'id', type: { kind: 'integer' }, nullable: false, autoincrement: true },
          { name: 'name', type: { kind: 'varchar', length: 255 }, nullable: true },
          { name: 'sku', type: { kind: 'varchar', length: 32 }, nullable: false },
          { name: 'active', type: { kind: 'boolean' }, nullable: false, serverDefault: true },
          { name: 'price', type: { kind: 'numeric', precision: 10, scale: 2 }, nullable: false },
          { name: 'stock', type: { kind: 'integer', unsigned: true }, nullable: false, serverDefault: 0 },
          { name: 'created_at', type: { kind: 'custom', sql: 'timestamp' }, nullable: false, serverDefault: sql`CURRENT_TIMESTAMP` },
          { name: 'updated_at', type: { kind: 'custom', sql: 'timestamp' }, nullable: false, serverDefault: sql`CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP` },
          { name: 'touched_at', type: { kind: 'timestamp' }, nullable: true, serverDefault: sql`NULL ON UPDATE CURRENT_TIMESTAMP` },
          { name: 'note', type: { kind: 'text' }, nullable: true },
          { name: 'data', type: { kind: 'json' }, nullable: true },
          { name: 'kind', type: { kind: 'enum', name: 'kind', values: ['a', 'b'] }, nullable: false, serverDefault: 'a' },
          { name: 'code', type: { kind: 'char', length: 3 }, nullable: true, collation: 'ascii_bin' },
          { name: 'small', type: { kind: 'smallint' }, nullable: true, serverDefault: -1 },
          { name: 'ratio', type: { kind: 'real' }, nullable: true },
          { name: 'tiny', type: { kind: 'custom', sql: 'tinyint' }, nullable: true },
        ],
        primaryKey: { columns: ['id'] },
        uniques: [{ name: 'uq_sku', columns: ['sku'] }],
        foreignKeys: [],
        checks: [{ name: 'chk_price', expression: sql`price > 0` }],
        indexes: [
          { name: 'ix_created', columns: ['created_at'] },
          { name: 'ix_name_prefix', columns: [sql`name(10)`] },
        ],
        comment: 'catalogue',
      })
      expect(tables.find((t) => t.name === 'dba_orders')).toEqual({
        name: 'dba_orders',
        columns: [
          { name: 'id', type: { kind: 'bigint', unsigned: true }, nullable: false, autoincrement: true },
          { name: 'product_id', type: { kind: 'integer' }, nullable: false },
          { name: 'other_product_id', type: { kind: 'integer' }, nullable: true },
          { name: 'qty', type: { kind: 'integer' }, nullable: false, serverDefault: 1 },
        ],
        primaryKey: { columns: ['id'] },
        uniques: [],
        foreignKeys: [
          { name: 'dba_orders_ibfk_1', columns: ['product_id'], referredTable: 'dba_products', referredColumns: ['id'], onDelete: 'CASCADE' },
          { name: 'fk_other', columns: ['other_product_id'], referredTable: 'dba_products', referredColumns: ['id'], onUpdate: 'SET NULL' },
        ],
        checks: [],
        // ix_other was declared (and serves fk_other); the index InnoDB made for the unnamed key is hidden.
        indexes: [{ name: 'ix_other', columns: ['other_product_id'] }],
      })
    })

    it('recreated from its snapshot, a hand-written schema reads back the same', async () => {
      const inOther = tables
        .map((t) => ({
          ...t,
          schema: otherName,
          // The prefix index cannot be written by the compiler (`(name(10))` is an expression to MySQL).
          indexes: t.indexes.filter((ix) => ix.name !== 'ix_name_prefix'),
          foreignKeys: t.foreignKeys.map((fk) => ({ ...fk, referredSchema: otherName })),
        }))
      await createTables(connection(), tablesParentsFirst(inOther))
      const again = await introspect(connection(), { schemas: [otherName] })
      expect(again.tables).toEqual(inOther)
      await runSql(connection(), [`DROP TABLE \`${otherName}\`.dba_orders`, `DROP TABLE \`${otherName}\`.dba_products`])
    })
  })

  describe('catalog queries', () => {
    it('uses the same number of queries for 5 tables and for 60', async () => {
      const counted = countingConnection(connection())
      const batch = (from: number, to: number): TableSpec[] => {
        const metadata = new MetaData({ schema: otherName, namingConvention: NAMING })
        const specs: TableSpec[] = []
        for (let i = from; i < to; i++) {
          specs.push(
            metadata
              .table(
                `t${i}`,
                {
                  id: integer().primaryKey().autoincrement(),
                  parent_id: integer().references({ table: `t${Math.max(0, i - 1)}`, column: 'id', schema: otherName }),
                  name: varchar(40).notNull().unique(),
                  kind: enumType('kind', ['a', 'b']),
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
      const five = await introspect(counted, { schemas: [otherName] })
      const fiveQueries = counted.count
      await createTables(connection(), batch(5, 60))
      counted.reset()
      const sixty = await introspect(counted, { schemas: [otherName] })
      const sixtyQueries = counted.count
      console.log(`MySQL introspection: ${fiveQueries} queries for ${five.tables.length} tables, ${sixtyQueries} for ${sixty.tables.length}`)
      expect(five.tables).toHaveLength(5)
      expect(sixty.tables).toHaveLength(60)
      expect(sixty.tables.every((t) => t.foreignKeys.length === 1 && t.indexes.length === 1 && t.checks.length === 1)).toBe(true)
      expect(sixtyQueries).toBe(fiveQueries)
      // MariaDB: the version probe, then one compound statement holding the five catalog SELECTs;
      // MySQL: the probe and the five one after the other.
      const version = String((await connection().query('SELECT VERSION() AS v')).rows[0]?.['v'])
      expect(fiveQueries).toBe(mysqlFlavour(version).compound ? 2 : 6)
      // A server without compound statements (MariaDB 10.0 here: no checks either) gets the
      // queries one after the other, and reads the same tables.
      let sent = 0
      const older: Connection = {
        dialect: connection().dialect,
        raw: connection().raw,
        close: async () => undefined,
        query: async (text, params) => {
          sent++
          const result = await connection().query(text, params)
          return text.includes('VERSION()') ? { ...result, rows: result.rows.map((row) => ({ ...row, version: '10.0.38-MariaDB' })) } : result
        },
      }
      const separately = await introspect(older, { schemas: [otherName] })
      expect(sent).toBe(5)
      expect(separately.tables).toEqual(sixty.tables.map((t) => ({ ...t, checks: [] })))
      await runSql(connection(), Array.from({ length: 60 }, (_, i) => `DROP TABLE \`${otherName}\`.t${59 - i}`))
    })
  })

  describe('sendAll', () => {
    it('gives each query its own rows, in one compound statement or one after the other', async () => {
      for (const compound of [true, false]) {
        const counted = countingConnection(connection())
        const [a, none, b] = sendAll(counted, ['SELECT 1 AS a', undefined, "SELECT 'x' AS b UNION ALL SELECT 'y'"], compound)
        expect(none).toBeUndefined()
        expect((await a).rows).toEqual([{ a: 1 }])
        expect((await b).rows).toEqual([{ b: 'x' }, { b: 'y' }])
        expect(counted.count).toBe(compound ? 1 : 2)
      }
    })

    it('fails every result of a compound statement that fails, with the server message', async () => {
      const [a, b] = sendAll(connection(), ['SELECT 1 AS a', 'SELECT nope FROM information_schema.TABLES'], true)
      await expect(a).rejects.toThrow(/nope/)
      await expect(b).rejects.toThrow(/nope/)
      // The connection goes on.
      expect((await connection().query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }])
    })

    it('MariaDB: a catalog read the server stops is an error, never rows read short; past max_statement_time the queries go one statement each', async () => {
      const version = String((await connection().query('SELECT VERSION() AS v')).rows[0]?.['v'])
      if (!mysqlFlavour(version).compound) return
      const texts = ['SELECT TABLE_NAME FROM information_schema.TABLES', 'SELECT COLUMN_NAME FROM information_schema.COLUMNS'] as const
      // The server given no time for the statements `stop` picks (set just before each, reset after).
      const stopping = (stop: (text: string, n: number) => boolean): Connection & { sent: string[] } => {
        const sent: string[] = []
        return {
          dialect: connection().dialect,
          raw: undefined,
          sent,
          close: async () => undefined,
          query: async (text, params) => {
            sent.push(text)
            const limit = stop(text, sent.length)
            if (limit) await connection().query('SET SESSION max_statement_time = 0.000001')
            try {
              return await connection().query(text, params)
            } finally {
              if (limit) await connection().query('SET SESSION max_statement_time = 0')
            }
          },
        }
      }
      // Always stopped: the compound statement, then its first query alone, fail; the error says what happened.
      const always = stopping(() => true)
      const [a] = sendAll(always, texts, true)
      await expect(a).rejects.toMatchObject({ code: 'database.catalog_interrupted', message: expect.stringContaining('max_statement_time exceeded') })
      await expect(a).rejects.toMatchObject({ hint: expect.stringContaining('raise it for this user') })
      expect(always.sent).toHaveLength(2)
      // Only the statement of both stopped: each alone then, with all their rows.
      const once = stopping((_, n) => n === 1)
      const [tables, columns] = sendAll(once, texts, true)
      const read = [await tables, await columns]
      const plain = await Promise.all(texts.map((text) => connection().query(text)))
      expect(read.map((r) => r.rowCount)).toEqual(plain.map((r) => r.rowCount))
      expect(read[1]!.rowCount).toBeGreaterThan(0)
      expect(once.sent).toHaveLength(3)
    })

    it('says so when a connection does not give the result sets', async () => {
      const flat: Connection = { ...connection(), dialect: connection().dialect, raw: undefined, query: async () => ({ rows: [], rowCount: 0 }), close: async () => undefined }
      const [a] = sendAll(flat, ['SELECT 1', 'SELECT 2'], true)
      await expect(a).rejects.toThrow('the catalog statement gave 1 result sets, not 3')
    })
  })

  describe('the session sql_mode', () => {
    it('MariaDB: with ANSI_QUOTES the catalog still reads `name` as a name (not "name", a string), and the server spellings too', async () => {
      const version = String((await connection().query('SELECT VERSION() AS v')).rows[0]?.['v'])
      if (!mysqlFlavour(version).compound) return
      const metadata = new MetaData({ schema: otherName })
      const spec = metadata
        .table('quoted_mode', { id: integer().primaryKey(), a: integer(), doc: json(), total: integer().generatedAlwaysAs(sql`a + 1`) }, { checks: [check('ck_quoted_mode', sql`a > 0 AND a <> 7`)] })
        .toSpec()
      await createTables(connection(), [spec])
      const read = async (): Promise<SchemaSnapshot> => introspect(connection(), { schemas: [otherName], tables: ['quoted_mode'] })
      const plain = await read()
      await connection().query("SET SESSION sql_mode = CONCAT(@@sql_mode, ',ANSI_QUOTES')")
      try {
        expect(await read()).toEqual(plain)
        const table = plain.tables[0]!
        expect(table.columns.find((c) => c.name === 'doc')!.type).toEqual({ kind: 'json' })
        const spelled = await serverSpellings(connection(), [{ schema: otherName, tableName: 'quoted_mode', table: spec, conditions: [sql`NOT (a <= 0)`], generated: ['total'] }])
        expect([...spelled.checks.values()]).toEqual(['`a` > 0'])
        expect([...spelled.generated.values()]).toEqual(['`a` + 1'])
      } finally {
        await connection().query("SET SESSION sql_mode = REPLACE(@@sql_mode, 'ANSI_QUOTES', '')")
        await runSql(connection(), [`DROP TABLE \`${otherName}\`.quoted_mode`])
      }
    })
  })

  describe('filters', () => {
    beforeAll(async () => {
      const metadata = new MetaData()
      const a = metadata.table('f_a', { id: integer().primaryKey(), secret: text(), n: integer().index() }, { checks: [check('ck_f_a', sql`n > 0`)] })
      metadata.table('f_b', { id: integer().primaryKey(), a_id: integer().references(() => a.columns.id) }, { uniques: [unique('uq_f_b').on('a_id')] })
      await createTables(connection(), metadata.toSpecs())
      await runSql(connection(), [
        ...connection().dialect.createVersionTableSql({ table: 'alembic_version', schema: undefined }),
        'CREATE VIEW f_view AS SELECT id FROM f_a',
        `CREATE TABLE \`${otherName}\`.elsewhere (id int PRIMARY KEY)`,
        `CREATE TABLE f_c (id int PRIMARY KEY, o int, CONSTRAINT fk_f_c_other FOREIGN KEY (o) REFERENCES \`${otherName}\`.elsewhere (id))`,
      ])
    })

    afterAll(async () => {
      // Its foreign key into the other database would stop that database from being dropped.
      await connection().query('DROP TABLE IF EXISTS f_c')
    })

    const names = (snapshot: SchemaSnapshot): string[] => snapshot.tables.filter((t) => t.name.startsWith('f_') || t.name === 'alembic_version' || t.name === 'elsewhere').map((t) => t.name)

    it('excludes the version table, views and other databases', async () => {
      const snapshot = await introspect(connection(), { excludeTables: ['alembic_version'] })
      expect(names(snapshot)).toEqual(['f_a', 'f_b', 'f_c'])
      expect(snapshot.tables.find((t) => t.name === 'f_c')!.foreignKeys[0]).toMatchObject({ referredTable: 'elsewhere', referredSchema: otherName })
      expect(names(await introspect(connection()))).toEqual(['alembic_version', 'f_a', 'f_b', 'f_c'])
    })

    it('reads the requested databases, the current one without schema names', async () => {
      const snapshot = await introspect(connection(), { schemas: [otherName], excludeTables: ['alembic_version'] })
      expect(snapshot.tables.map((t) => [t.schema, t.name])).toEqual([[otherName, 'elsewhere']])
    })

    it('knows the column of a check written in a column definition (MariaDB), whatever its condition names, but not of one whose column was renamed since', async () => {
      await runSql(connection(), [
        'CREATE TABLE col_checks (a INT CHECK (a > 0), b INT CHECK (b > a), c INT, CONSTRAINT c CHECK (c > 0), d INT CHECK (d > 0), f INT CHECK (a < 9))',
        'ALTER TABLE col_checks RENAME COLUMN d TO e',
      ])
      const [table] = (await introspect(connection(), { tables: ['col_checks'] })).tables
      expect(table!.checks).toEqual([
        { name: 'a', expression: sql`a > 0`, column: 'a' },
        { name: 'b', expression: sql`b > a`, column: 'b' },
        { name: 'c', expression: sql`c > 0` },
        { name: 'd', expression: sql`e > 0` },
        { name: 'f', expression: sql`a < 9`, column: 'f' },
      ])
      await runSql(connection(), ['DROP TABLE col_checks'])
    })

    it('keeps only the named tables', async () => {
      const snapshot = await introspect(connection(), { tables: ['f_b', 'f_view'] })
      expect(snapshot.tables.map((t) => t.name)).toEqual(['f_b'])
    })

    it('filters by names with quotes, backslashes and non-ASCII letters, whatever the sql_mode', async () => {
      const odd = ["f_it's", 'f_back\\slash', 'f_ünï', 'f_"q`']
      const quote = (name: string): string => `\`${name.replaceAll('`', '``')}\``
      await runSql(connection(), odd.map((name) => `CREATE TABLE ${quote(name)} (id int PRIMARY KEY)`))
      try {
        for (const mode of ['', 'NO_BACKSLASH_ESCAPES,ANSI_QUOTES']) {
          await connection().query(`SET SESSION sql_mode = '${mode}'`)
          const only = await introspect(connection(), { tables: odd })
          expect(only.tables.map((t) => t.name).sort(), mode).toEqual([...odd].sort())
          const without = await introspect(connection(), { excludeTables: [...odd, 'alembic_version'] })
          expect(names(without), mode).toEqual(['f_a', 'f_b', 'f_c'])
        }
      } finally {
        await connection().query("SET SESSION sql_mode = DEFAULT")
        await runSql(connection(), odd.map((name) => `DROP TABLE ${quote(name)}`))
      }
    })

    it('applies includeName to every kind of object', async () => {
      const seen = new Set<string>()
      const snapshot = await introspect(connection(), {
        tables: ['f_a', 'f_b', 'f_c', 'alembic_version', 'elsewhere'],
        schemas: [(await connection().query('SELECT DATABASE() AS db')).rows[0]!['db'] as string, otherName],
        includeName: (name, type, parent) => {
          seen.add(`${type}:${parent.schema ?? ''}:${parent.tableName ?? ''}:${name}`)
          if (type === 'schema') return name !== otherName
          if (type === 'table') return name !== 'alembic_version' && name !== 'f_c'
          if (type === 'column') return name !== 'secret'
          if (type === 'index') return false
          if (type === 'check_constraint' || type === 'unique_constraint' || type === 'foreign_key_constraint') return false
          return true
        },
      })
      expect(snapshot.tables.map((t) => t.name)).toEqual(['f_a', 'f_b'])
      const [a, b] = snapshot.tables
      expect(a!.columns.map((c) => c.name)).toEqual(['id', 'n'])
      expect(a!.indexes).toEqual([])
      expect(a!.checks).toEqual([])
      expect(a!.primaryKey).toEqual({ columns: ['id'] })
      expect(b!.uniques).toEqual([])
      expect(b!.foreignKeys).toEqual([])
      // The foreign key is filtered out, and its implicit index is still not reported.
      expect(b!.indexes).toEqual([])
      expect(seen).toContain(`schema:::${otherName}`)
      expect(seen).toContain('table:::f_a')
      expect(seen).toContain('column::f_a:secret')
      expect(seen).toContain('index::f_a:ix_f_a_n')
      expect(seen).toContain('check_constraint::f_a:ck_f_a')
      expect(seen).toContain('unique_constraint::f_b:uq_f_b')
      expect(seen).toContain('foreign_key_constraint::f_b:f_b_ibfk_1')
      expect([...seen].some((s) => s.includes('elsewhere'))).toBe(false)
    })
  })
})

describe('MySQL spellings (no database)', () => {
  it('maps COLUMN_TYPE spellings', () => {
    expect(parseMysqlType('int(11)', 'c')).toEqual({ kind: 'integer' })
    expect(parseMysqlType('int(10) unsigned', 'c')).toEqual({ kind: 'integer', unsigned: true })
    expect(parseMysqlType('int(10) unsigned zerofill', 'c')).toEqual({ kind: 'custom', sql: 'int(10) unsigned zerofill' })
    expect(parseMysqlType('tinyint(1)', 'c')).toEqual({ kind: 'boolean' })
    expect(parseMysqlType('tinyint(4)', 'c')).toEqual({ kind: 'custom', sql: 'tinyint' })
    expect(parseMysqlType('decimal(10,0)', 'c')).toEqual({ kind: 'numeric', precision: 10 })
    expect(parseMysqlType('double(10,2)', 'c')).toEqual({ kind: 'custom', sql: 'double(10,2)' })
    expect(parseMysqlType('datetime(6)', 'c')).toEqual({ kind: 'timestamp', precision: 6 })
    expect(parseMysqlType('year(4)', 'c')).toEqual({ kind: 'custom', sql: 'year' })
    expect(parseMysqlType("enum('a','b''c','d\\\\e')", 'c')).toEqual({ kind: 'enum', name: 'c', values: ['a', "b'c", 'd\\e'] })
    expect(parseMysqlType("set('x','y,z')", 'c')).toEqual({ kind: 'set', values: ['x', 'y,z'] })
    // The models' lengths start at 1: CHAR(0) / VARCHAR(0) are read as written.
    expect(parseMysqlType('char(0)', 'c')).toEqual({ kind: 'custom', sql: 'char(0)' })
    expect(parseMysqlType('varchar(0)', 'c')).toEqual({ kind: 'custom', sql: 'varchar(0)' })
  })

  it('normalises expressions as MariaDB and MySQL 8 print them', () => {
    const mariadb = { mariadb: true }
    const mysql8 = { mariadb: false }
    expect(normalizeMysqlExpression("`status` <> '' and `order` > 0", mariadb)).toBe("status <> '' and `order` > 0")
    expect(normalizeMysqlExpression('current_timestamp()', mariadb)).toBe('CURRENT_TIMESTAMP')
    expect(normalizeMysqlExpression('current_timestamp(3)', mariadb)).toBe('CURRENT_TIMESTAMP(3)')
    expect(normalizeMysqlExpression("(`s` <> _utf8mb4\\'x\\')", mysql8)).toBe("s <> 'x'")
    expect(normalizeMysqlExpression("concat(_utf8mb4'a',`b`)", mysql8)).toBe("concat('a',b)")
    expect(normalizeMysqlExpression("'`not` a name' = `Mixed Case`", mariadb)).toBe("'`not` a name' = `Mixed Case`")
    expect(unescapeMysqlString("it''s \\\\ \\n")).toBe("it's \\ \n")
    expect(mysqlFlavour('10.11.6-MariaDB-0+deb12u1')).toEqual({ mariadb: true, indexExpressions: false, checks: true, compound: true })
    expect(mysqlFlavour('10.0.38-MariaDB')).toEqual({ mariadb: true, indexExpressions: false, checks: false, compound: false })
    expect(mysqlFlavour('10.1.1-MariaDB')).toEqual({ mariadb: true, indexExpressions: false, checks: false, compound: false })
    expect(mysqlFlavour('10.1.2-MariaDB')).toEqual({ mariadb: true, indexExpressions: false, checks: false, compound: true })
    expect(mysqlFlavour('8.0.36')).toEqual({ mariadb: false, indexExpressions: true, checks: true, compound: false })
    expect(mysqlFlavour('5.7.44-log')).toEqual({ mariadb: false, indexExpressions: false, checks: false, compound: false })
  })
})

/** Tables ordered so that each comes after the tables its foreign keys refer to. */
function tablesParentsFirst(tables: readonly TableSpec[]): TableSpec[] {
  const left = [...tables]
  const done = new Set<string>()
  const out: TableSpec[] = []
  while (left.length > 0) {
    const at = left.findIndex((t) => t.foreignKeys.every((fk) => fk.referredTable === t.name || done.has(fk.referredTable)))
    const [next] = left.splice(at === -1 ? 0 : at, 1)
    done.add(next!.name)
    out.push(next!)
  }
  return out
}
