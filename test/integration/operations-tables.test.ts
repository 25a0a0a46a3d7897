/**
 * Live tests of the table directives: each runs through a real `Operations` on a real database,
 * and the result is read back from the catalog (test/support/catalog.ts). createTable with every
 * column type and constraint, dropTable (and PostgreSQL enum types), renameTable, table comments,
 * enums, reverse() round trips, and names and strings that need quoting or escaping.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
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
  numeric,
  OperationFactory,
  real,
  setType,
  smallint,
  sql,
  sqlType,
  text,
  time,
  timestamp,
  unique,
  UnsupportedOperationError,
  uuid,
  varchar,
} from '../../src/index.js'
import { column, openOperations, readCatalog, readEnums, readTable, tableExists, type LiveOperations } from '../support/catalog.js'
import { describeEachDialect, type TestDialect } from '../support/databases.js'

const factory = new OperationFactory()

/** Strings that need escaping in a literal, on at least one dialect. */
const NASTY_STRINGS = [
  "it's",
  'a\\b',
  "\\'",
  "\\\\'",
  'line one\nline two\r\n\ttabbed',
  'naïve ünïcödé — таблица 表 🚀',
  "'; DROP TABLE victim; --",
  "\\'; DROP TABLE victim; --",
  '"double" `back` \'single\'',
  '? $1 :name %s',
  'ctrl-z \x1a end',
] as const

/** Names that need quoting: every dialect's quote, a space, a reserved word, mixed case, non-ASCII. */
const NASTY_TABLE = 'we"ird`tab\'le order'
const NASTY_PARENT = 'Parent "Table"'
const NASTY_COLUMNS = ['a"b', 'c`d', "e'f", 'Mixed Case', 'order', 'naïve_таблица'] as const

/** The catalog's spelling of each type, per dialect (a RegExp where servers differ: MySQL int(11) / int). */
const TYPE_SPELLING: Record<TestDialect, Record<string, string | RegExp>> = {
  postgresql: {
    i: 'integer',
    si: 'smallint',
    bi: 'bigint',
    flag: 'boolean',
    r: 'real',
    d: 'double precision',
    n: 'numeric(10,2)',
    v: 'character varying(50)',
    c: 'character(3)',
    t: 'text',
    dt: 'date',
    tm: 'time without time zone',
    ts: 'timestamp without time zone',
    tstz: 'timestamp with time zone',
    j: 'json',
    jb: 'jsonb',
    u: 'uuid',
    bin: 'bytea',
    st: 'all_types_status',
    custom: 'tsvector',
    iv: 'interval',
    ints: 'integer[]',
    statuses: 'all_types_status[]',
  },
  mysql: {
    i: /^int(\(11\))?$/,
    si: /^smallint(\(6\))?$/,
    bi: /^bigint(\(20\))?$/,
    flag: 'tinyint(1)',
    r: 'float',
    d: 'double',
    n: 'decimal(10,2)',
    v: 'varchar(50)',
    c: 'char(3)',
    t: 'text',
    dt: 'date',
    tm: 'time',
    ts: 'datetime',
    tstz: 'datetime',
    // MariaDB stores JSON as LONGTEXT with a json_valid() check; MySQL has a json type.
    j: /^(json|longtext)$/,
    jb: /^(json|longtext)$/,
    u: 'char(36)',
    bin: 'blob',
    st: "enum('new','old')",
    custom: 'mediumtext',
    tags: "set('a','b')",
    un: /^int(\(10\))? unsigned$/,
  },
  sqlite: {
    i: 'INTEGER',
    si: 'SMALLINT',
    bi: 'BIGINT',
    flag: 'BOOLEAN',
    r: 'REAL',
    d: 'DOUBLE',
    n: 'NUMERIC(10, 2)',
    v: 'VARCHAR(50)',
    c: 'CHAR(3)',
    t: 'TEXT',
    dt: 'DATE',
    tm: 'TIME',
    ts: 'TIMESTAMP',
    tstz: 'TIMESTAMP',
    j: 'JSON',
    jb: 'JSON',
    u: 'CHAR(36)',
    bin: 'BLOB',
    st: 'VARCHAR(3)',
    custom: 'MEDIUMTEXT',
  },
}

/** The columns of every type of DESIGN §4 a dialect supports. */
function allTypeColumns(dialect: TestDialect) {
  const status = enumType('all_types_status', ['new', 'old'])
  return {
    id: integer().primaryKey().autoincrement(),
    i: integer(),
    si: smallint(),
    bi: bigint(),
    flag: boolean(),
    r: real(),
    d: double(),
    n: numeric(10, 2),
    v: varchar(50),
    c: char(3),
    t: text(),
    dt: date(),
    tm: time(),
    ts: timestamp(),
    tstz: timestamp({ timezone: true }),
    j: json(),
    jb: jsonb(),
    u: uuid(),
    bin: binary(),
    st: status,
    custom: sqlType(dialect === 'postgresql' ? 'tsvector' : 'MEDIUMTEXT'),
    ...(dialect === 'postgresql' ? { iv: interval(), ints: array(integer()), statuses: array(status) } : {}),
    ...(dialect === 'mysql' ? { tags: setType(['a', 'b']), un: integer().unsigned() } : {}),
  }
}

/** MariaDB keeps comments in utf8mb3: a character outside the Basic Multilingual Plane reads back as `?`. */
function storedComment(dialect: TestDialect, text: string): string {
  return dialect === 'mysql' ? text.replace(/[\u{10000}-\u{10FFFF}]/gu, '?') : text
}

describeEachDialect('operations: tables', ({ dialect, url }) => {
  let live: LiveOperations
  const catalog = () => readCatalog(dialect, live.query)
  const table = (name: string) => readTable(dialect, live.query, name)
  const q = (name: string) => live.connection.dialect.quoteIdentifier(name)

  beforeAll(async () => {
    live = await openOperations(url())
  })
  afterAll(async () => {
    await live?.close()
  })

  it('createTable maps every column type of the dialect', async () => {
    await live.op.createTable('all_types', allTypeColumns(dialect))
    const info = await table('all_types')
    const spelled = Object.fromEntries(info.columns.map((c) => [c.name, c.type]))
    for (const [name, expected] of Object.entries(TYPE_SPELLING[dialect])) {
      if (expected instanceof RegExp) expect(spelled[name], name).toMatch(expected)
      else expect(spelled[name], name).toBe(expected)
    }
    expect(Object.keys(spelled).sort()).toEqual(['id', ...Object.keys(TYPE_SPELLING[dialect])].sort())
    expect(info.columns.filter((c) => c.name !== 'id').every((c) => c.nullable)).toBe(true)
    expect(column(info, 'id')).toMatchObject({ nullable: false, autoincrement: true })
    if (dialect === 'postgresql') expect((await readEnums(live.query))['all_types_status']).toEqual(['new', 'old'])
    // Values go in and come back out.
    await live.op.execute(`INSERT INTO all_types (i, v, st, flag) VALUES (:i, :v, :st, :flag)`, { i: 7, v: 'seven', st: 'old', flag: true })
    const rows = await live.query('SELECT i, v, st FROM all_types')
    expect(rows).toEqual([{ i: 7, v: 'seven', st: 'old' }])
  })

  it('createTable: defaults, nullability, composite primary key, unique, foreign keys with actions, checks, indexes, comments', async () => {
    await live.op.createTable(
      'authors',
      {
        id: integer().primaryKey().autoincrement(),
        email: varchar(100).notNull().unique('uq_authors_email'),
      },
      { comment: 'Who writes' },
    )
    await live.op.createTable(
      'memberships',
      {
        org_id: integer(),
        author_id: integer().references('authors.id', { name: 'fk_memberships_author', onDelete: 'cascade', onUpdate: 'restrict' }),
        role: varchar(20).notNull().default('member').comment("the member's role"),
        rank: integer().notNull().default(0),
        note: varchar(100),
        joined: timestamp().default(sql`CURRENT_TIMESTAMP`),
        active: boolean().notNull().default(true),
      },
      {
        primaryKey: { name: 'pk_memberships', columns: ['org_id', 'author_id'] },
        uniques: [unique('uq_memberships_role_rank').on('role', 'rank')],
        checks: [check('ck_memberships_rank', sql`${sql.identifier('rank')} >= 0`)],
        indexes: [
          index('ix_memberships_note').on('note'),
          index('ix_memberships_rank_role').on('rank', 'role').unique(),
          ...(dialect === 'mysql' ? [index('ix_memberships_joined').on('joined').using('BTREE')] : [index('ix_memberships_active').on('rank').where(sql`active`)]),
          ...(dialect === 'postgresql' ? [index('ix_memberships_lower_note').on(sql`lower(note)`), index('ix_memberships_joined').on('joined').using('brin')] : []),
          ...(dialect === 'sqlite' ? [index('ix_memberships_lower_note').on(sql`lower(note)`)] : []),
        ],
        comment: 'Authors in organisations',
      },
    )
    const info = await table('memberships')
    expect(info.primaryKey).toEqual(['org_id', 'author_id'])
    if (dialect === 'postgresql') expect(info.primaryKeyName).toBe('pk_memberships')
    expect(column(info, 'org_id').nullable).toBe(false)
    expect(column(info, 'note').nullable).toBe(true)
    expect(column(info, 'role').nullable).toBe(false)
    expect(info.uniques['uq_memberships_role_rank']).toEqual(['role', 'rank'])
    expect(info.foreignKeys).toEqual([
      {
        name: dialect === 'sqlite' ? null : 'fk_memberships_author',
        columns: ['author_id'],
        referredTable: 'authors',
        referredColumns: ['id'],
        onDelete: 'CASCADE',
        onUpdate: 'RESTRICT',
      },
    ])
    expect(Object.keys(info.checks)).toEqual(['ck_memberships_rank'])
    expect(info.indexes['ix_memberships_note']).toMatchObject({ unique: false, columns: ['note'] })
    // MySQL lists a unique index as a unique constraint: the two are the same thing there.
    if (dialect === 'mysql') expect(info.uniques['ix_memberships_rank_role']).toEqual(['rank', 'role'])
    else expect(info.indexes['ix_memberships_rank_role']).toMatchObject({ unique: true, columns: ['rank', 'role'] })
    if (dialect === 'postgresql') {
      expect(info.indexes['ix_memberships_active']).toMatchObject({ columns: ['rank'], where: 'active' })
      expect(info.indexes['ix_memberships_lower_note']).toMatchObject({ columns: ['lower(note::text)'] })
      expect(info.indexes['ix_memberships_joined']).toMatchObject({ method: 'brin' })
      expect(column(info, 'role')).toMatchObject({ default: "'member'::character varying", comment: "the member's role" })
      expect(info.comment).toBe('Authors in organisations')
    } else if (dialect === 'mysql') {
      expect(info.indexes['ix_memberships_joined']).toMatchObject({ method: 'BTREE' })
      expect(column(info, 'role')).toMatchObject({ default: expect.stringMatching(/^'?member'?$/), comment: "the member's role" })
      expect(info.comment).toBe('Authors in organisations')
    } else {
      expect(info.indexes['ix_memberships_active']).toMatchObject({ columns: ['rank'], where: 'active' })
      expect(info.indexes['ix_memberships_lower_note']).toMatchObject({ columns: ['<expr>'] })
      expect(column(info, 'role').default).toBe("'member'")
    }
    // The defaults and the constraints work.
    await live.op.execute('INSERT INTO authors (email) VALUES (:email)', { email: 'a@example.com' })
    const [author] = await live.query('SELECT id FROM authors')
    await live.op.execute('INSERT INTO memberships (org_id, author_id) VALUES (1, :id)', { id: author!['id'] })
    const [row] = await live.query('SELECT role, rank, active, joined FROM memberships')
    expect(row).toMatchObject({ role: 'member', rank: 0 })
    expect(Boolean(row!['active'])).toBe(true)
    expect(row!['joined']).not.toBeNull()
    await expect(live.op.execute('INSERT INTO memberships (org_id, author_id, rank) VALUES (2, :id, -1)', { id: author!['id'] })).rejects.toThrow()
    await expect(live.op.execute('INSERT INTO memberships (org_id, author_id) VALUES (1, 999)')).rejects.toThrow()
    // ON DELETE CASCADE
    await live.op.execute('DELETE FROM authors')
    expect(await live.query('SELECT * FROM memberships')).toEqual([])
  })

  it('createTable: self-referencing and composite foreign keys, naming convention for unnamed constraints', async () => {
    await live.op.createTable('nodes', {
      id: integer().primaryKey(),
      parent_id: integer().references('nodes.id', { onDelete: 'set null' }),
      org: integer().notNull(),
    }, { uniques: [unique('uq_nodes_id_org').on('id', 'org')] })
    await live.op.createTable('node_refs', {
      node_id: integer().notNull(),
      node_org: integer().notNull(),
    }, { foreignKeys: [foreignKey(['node_id', 'node_org'], { table: 'nodes', columns: ['id', 'org'] }, { name: 'fk_node_refs_node', onDelete: 'cascade' })] })
    const nodes = await table('nodes')
    expect(nodes.foreignKeys.map((fk) => [fk.columns, fk.referredTable, fk.onDelete])).toEqual([[['parent_id'], 'nodes', 'SET NULL']])
    const refs = await table('node_refs')
    expect(refs.foreignKeys.map((fk) => [fk.columns, fk.referredColumns, fk.onDelete])).toEqual([[['node_id', 'node_org'], ['id', 'org'], 'CASCADE']])
  })

  it('createTable: collation, identity options, deferrable foreign keys (where the database has them)', async () => {
    const collation = { postgresql: 'C', mysql: 'utf8mb4_bin', sqlite: 'NOCASE' }[dialect]
    await live.op.createTable('collated', {
      id: integer().identity({ start: 100, increment: 5 }).primaryKey(),
      name: varchar(20).collate(collation),
      self_id: integer().references('collated.id', { deferrable: true, initially: 'deferred', name: 'fk_collated_self' }),
    })
    await live.op.bulkInsert('collated', [{ name: 'b' }, { name: 'B' }])
    const ids = (await live.query('SELECT id FROM collated ORDER BY id')).map((r) => Number(r['id']))
    // Identity options are PostgreSQL's; elsewhere the column autoincrements from 1.
    expect(ids).toEqual(dialect === 'postgresql' ? [100, 105] : [1, 2])
    const equal = await live.query("SELECT COUNT(*) AS n FROM collated WHERE name = 'b'")
    // C and utf8mb4_bin compare case-sensitively; NOCASE does not.
    expect(Number(equal[0]!['n'])).toBe(dialect === 'sqlite' ? 2 : 1)
    if (dialect === 'postgresql') {
      const [fk] = await live.query("SELECT condeferrable, condeferred FROM pg_constraint WHERE conname = 'fk_collated_self'")
      expect(fk).toEqual({ condeferrable: true, condeferred: true })
      const [col] = await live.query("SELECT collation_name FROM information_schema.columns WHERE table_name = 'collated' AND column_name = 'name'")
      expect(col).toEqual({ collation_name: 'C' })
    } else if (dialect === 'mysql') {
      const [col] = await live.query("SELECT COLLATION_NAME AS c FROM information_schema.columns WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'collated' AND COLUMN_NAME = 'name'")
      expect(col).toEqual({ c: 'utf8mb4_bin' })
    } else {
      const [master] = await live.query("SELECT sql FROM sqlite_master WHERE name = 'collated'")
      expect(String(master!['sql'])).toMatch(/DEFERRABLE INITIALLY DEFERRED/)
    }
  })

  it('createTable on PostgreSQL: enum types created once, arrays of them, a schema of its own', async () => {
    if (dialect !== 'postgresql') {
      expect(() => live.connection.dialect.ddlCompiler().compile(factory.createTable('t', { a: array(integer()) }))).toThrow(UnsupportedOperationError)
      expect(() => live.connection.dialect.ddlCompiler().compile(factory.createEnum('e', ['a']))).toThrow(UnsupportedOperationError)
      return
    }
    const mood = enumType('mood', ['happy', "it's complicated"])
    await live.op.createTable('people', { id: integer().primaryKey(), mood: mood.notNull().default('happy'), moods: array(mood) })
    await live.op.createTable('pets', { id: integer().primaryKey(), mood })
    expect((await readEnums(live.query))['mood']).toEqual(['happy', "it's complicated"])
    await live.query('CREATE SCHEMA "other schema"')
    await live.op.createTable('things', { id: integer().primaryKey(), kind: enumType('kind', ['a', 'b']) }, { schema: 'other schema' })
    const [kind] = await live.query(`SELECT n.nspname AS schema FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typname = 'kind'`)
    expect(kind).toEqual({ schema: 'other schema' })
    await live.op.dropTable('things', { schema: 'other schema' })
    expect(await live.query(`SELECT 1 FROM pg_type WHERE typname = 'kind'`)).toEqual([])
  })

  it('dropTable; on PostgreSQL the enum types it used go with it unless another table uses them', async () => {
    await live.op.createTable('doomed', { id: integer().primaryKey(), st: enumType('doomed_status', ['a', 'b']), shared: enumType('shared_status', ['x']) })
    await live.op.createTable('survivor', { id: integer().primaryKey(), shared: enumType('shared_status', ['x']) })
    await live.op.dropTable('doomed')
    expect(await tableExists(dialect, live.query, 'doomed')).toBe(false)
    if (dialect === 'postgresql') {
      const enums = await readEnums(live.query)
      expect(enums['doomed_status']).toBeUndefined()
      expect(enums['shared_status']).toEqual(['x'])
    }
    await live.op.dropTable('survivor')
    if (dialect === 'postgresql') expect((await readEnums(live.query))['shared_status']).toBeUndefined()
    await live.op.dropTable('survivor', { ifExists: true })
    await expect(live.op.dropTable('survivor')).rejects.toThrow()
  })

  it('renameTable keeps rows, and reverses', async () => {
    await live.op.createTable('old_name', { id: integer().primaryKey(), v: varchar(10) })
    await live.op.bulkInsert('old_name', [{ id: 1, v: 'one' }])
    const rename = factory.renameTable('old_name', 'new_name')
    await live.op.invoke(rename)
    expect(await tableExists(dialect, live.query, 'old_name')).toBe(false)
    expect(await live.query('SELECT id, v FROM new_name')).toEqual([{ id: 1, v: 'one' }])
    await live.op.invoke(rename.reverse())
    expect(await live.query('SELECT id, v FROM old_name')).toEqual([{ id: 1, v: 'one' }])
  })

  it('createTableComment / dropTableComment (SQLite has no comments: nothing runs)', async () => {
    await live.op.createTable('commented', { id: integer().primaryKey() })
    await live.op.createTableComment('commented', "first 'comment'")
    expect((await table('commented')).comment).toBe(dialect === 'sqlite' ? null : "first 'comment'")
    const replace = factory.createTableComment('commented', 'second', { existingComment: "first 'comment'" })
    await live.op.invoke(replace)
    expect((await table('commented')).comment).toBe(dialect === 'sqlite' ? null : 'second')
    await live.op.invoke(replace.reverse())
    expect((await table('commented')).comment).toBe(dialect === 'sqlite' ? null : "first 'comment'")
    await live.op.dropTableComment('commented')
    expect((await table('commented')).comment).toBeNull()
  })

  it('createEnum / addEnumValue / dropEnum (PostgreSQL)', async () => {
    if (dialect !== 'postgresql') {
      await expect(live.op.createEnum('e', ['a'])).rejects.toThrow(UnsupportedOperationError)
      await expect(live.op.addEnumValue('e', 'b')).rejects.toThrow(UnsupportedOperationError)
      return
    }
    await live.op.createEnum('level', ['low', 'high'])
    await live.op.addEnumValue('level', 'medium', { before: 'high' })
    await live.op.addEnumValue('level', 'max', { after: 'high' })
    await live.op.addEnumValue('level', 'max', { ifNotExists: true })
    expect((await readEnums(live.query))['level']).toEqual(['low', 'medium', 'high', 'max'])
    const drop = factory.dropEnum('level', { existingValues: ['low', 'medium', 'high', 'max'] })
    await live.op.invoke(drop)
    expect((await readEnums(live.query))['level']).toBeUndefined()
    await live.op.invoke(drop.reverse())
    expect((await readEnums(live.query))['level']).toEqual(['low', 'medium', 'high', 'max'])
    await live.op.dropEnum('level')
    await live.op.dropEnum('level', { ifExists: true })
    // A column changed to an enum type gets the type created; dropping its table drops the type.
    await live.op.createTable('moody', { id: integer().primaryKey(), m: varchar(10) })
    await live.op.bulkInsert('moody', [{ id: 1, m: 'calm' }])
    await live.op.alterColumn('moody', 'm', { type: enumType('moody_kind', ['calm', 'busy']), using: sql`m::moody_kind` })
    expect((await readEnums(live.query))['moody_kind']).toEqual(['calm', 'busy'])
    expect(await live.query('SELECT m::text AS m FROM moody')).toEqual([{ m: 'calm' }])
    await live.op.dropTable('moody')
    expect((await readEnums(live.query))['moody_kind']).toBeUndefined()
  })

  it('createTable reverses to a drop that leaves the catalog as it was', async () => {
    const before = await catalog()
    const create = factory.createTable(
      'round_trip',
      {
        id: integer().primaryKey().autoincrement(),
        code: varchar(10).notNull().unique('uq_round_trip_code'),
        st: enumType('round_trip_status', ['a', 'b']).default('a'),
      },
      { indexes: [index('ix_round_trip_st').on('st')], checks: [check('ck_round_trip_code', sql`code <> ''`)], comment: 'temporary' },
    )
    await live.op.invoke(create)
    expect(Object.keys((await catalog()).tables)).toContain('round_trip')
    await live.op.invoke(create.reverse())
    expect(await catalog()).toEqual(before)
  })

  it('names with quotes, backticks, spaces, reserved words, mixed case and non-ASCII letters work everywhere', async () => {
    await live.op.createTable(NASTY_PARENT, { 'Id "key"': integer().primaryKey() })
    const columns = Object.fromEntries(NASTY_COLUMNS.map((name) => [name, varchar(50)])) as Record<(typeof NASTY_COLUMNS)[number], ReturnType<typeof varchar>>
    await live.op.createTable(
      NASTY_TABLE,
      { ...columns, 'parent`s id': integer().references({ table: NASTY_PARENT, column: 'Id "key"' }, { name: 'fk "weird" `name`' }) },
      {
        primaryKey: { name: dialect === 'mysql' ? undefined : "pk 'weird'", columns: ['order'] },
        uniques: [unique('uq `order` "x"').on('a"b', 'c`d')],
        checks: [check("ck 'quoted' name", sql`${sql.identifier("e'f")} <> 'x'`)],
        indexes: [index('ix naïve_таблица "Mixed"').on('naïve_таблица', 'Mixed Case')],
        comment: 'weird table',
      },
    )
    const info = await table(NASTY_TABLE)
    expect(info.columns.map((c) => c.name)).toEqual([...NASTY_COLUMNS, 'parent`s id'])
    expect(info.primaryKey).toEqual(['order'])
    expect(info.uniques['uq `order` "x"']).toEqual(['a"b', 'c`d'])
    expect(Object.keys(info.checks)).toEqual(["ck 'quoted' name"])
    expect(info.indexes['ix naïve_таблица "Mixed"']).toMatchObject({ columns: ['naïve_таблица', 'Mixed Case'] })
    expect(info.foreignKeys.map((fk) => [fk.name, fk.referredTable, fk.referredColumns])).toEqual([
      [dialect === 'sqlite' ? null : 'fk "weird" `name`', NASTY_PARENT, ['Id "key"']],
    ])
    // Column and index changes with those names.
    await live.op.addColumn(NASTY_TABLE, 'added "col"', varchar(10).default("it's"))
    await live.op.createIndex('ix `added` col', NASTY_TABLE, ['added "col"', 'order'])
    await live.op.alterColumn(NASTY_TABLE, 'Mixed Case', { newColumnName: 'Still Mixed' })
    await live.op.dropIndex('ix `added` col', NASTY_TABLE)
    await live.op.renameTable(NASTY_TABLE, `${NASTY_TABLE} renamed`)
    const renamed = await table(`${NASTY_TABLE} renamed`)
    expect(renamed.columns.map((c) => c.name)).toEqual(['a"b', 'c`d', "e'f", 'Still Mixed', 'order', 'naïve_таблица', 'parent`s id', 'added "col"'])
    await live.op.bulkInsert(`${NASTY_TABLE} renamed`, [{ order: '1', 'naïve_таблица': 'ü' }])
    const [row] = await live.query(`SELECT ${q('added "col"')} AS v, ${q('naïve_таблица')} AS n FROM ${q(`${NASTY_TABLE} renamed`)}`)
    expect(row).toEqual({ v: "it's", n: 'ü' })
    await live.op.dropTable(`${NASTY_TABLE} renamed`)
    await live.op.dropTable(NASTY_PARENT)
    expect(await tableExists(dialect, live.query, NASTY_PARENT)).toBe(false)
  })

  it('injection: strings in defaults, comments, checks and data are literals, never SQL', async () => {
    await live.op.createTable('victim', { id: integer().primaryKey() })
    const columns = Object.fromEntries(NASTY_STRINGS.map((text, i) => [`c${i}`, varchar(100).default(text).comment(text)]))
    await live.op.createTable('injection', { id: integer().primaryKey(), ...columns }, {
      checks: [check('ck_injection', sql`c0 <> ${NASTY_STRINGS[6]}`)],
      comment: NASTY_STRINGS.join(' | '),
    })
    await live.op.execute('INSERT INTO injection (id) VALUES (1)')
    const [row] = await live.query(`SELECT ${NASTY_STRINGS.map((_, i) => `c${i}`).join(', ')} FROM injection`)
    expect(Object.values(row!)).toEqual([...NASTY_STRINGS])
    const info = await table('injection')
    if (dialect !== 'sqlite') {
      expect(info.columns.slice(1).map((c) => c.comment)).toEqual(NASTY_STRINGS.map((text) => storedComment(dialect, text)))
      expect(info.comment).toBe(storedComment(dialect, NASTY_STRINGS.join(' | ')))
    }
    for (const [i, text] of NASTY_STRINGS.entries()) {
      await live.op.alterColumn('injection', `c${i}`, {
        serverDefault: `${text}!`,
        existingType: varchar(100),
        existingNullable: true,
        existingComment: text,
      })
      await live.op.execute(`UPDATE injection SET c${i} = :text WHERE id = 1`, { text })
      await live.op.bulkInsert('injection', [{ id: 100 + i, [`c${i}`]: text }])
    }
    await live.op.execute('INSERT INTO injection (id) VALUES (2)')
    const [second] = await live.query(`SELECT ${NASTY_STRINGS.map((_, i) => `c${i}`).join(', ')} FROM injection WHERE id = 2`)
    expect(Object.values(second!)).toEqual(NASTY_STRINGS.map((text) => `${text}!`))
    const found = await live.op.execute(`SELECT id FROM injection WHERE c6 = :evil AND c7 = :evil2 ORDER BY id`, { evil: NASTY_STRINGS[6], evil2: NASTY_STRINGS[7] })
    expect(found.rows.map((r) => Number(r['id']))).toEqual([1, 100, 101, 102, 103, 104, 105, 106])
    await live.op.createTableComment('injection', NASTY_STRINGS[7])
    if (dialect !== 'sqlite') expect((await table('injection')).comment).toBe(NASTY_STRINGS[7])
    expect(await tableExists(dialect, live.query, 'victim')).toBe(true)
  })
})
