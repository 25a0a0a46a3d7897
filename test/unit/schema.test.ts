import { describe, expect, test } from 'vitest'
import { checkIndexNames } from '../../src/autogenerate/compare.js'
import { fitName } from '../../src/schema/naming.js'
import {
  array,
  bigint,
  binary,
  blob,
  boolean,
  char,
  check,
  Column,
  conventionalName,
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
  renderSqlFragment,
  SchemaError,
  setType,
  smallint,
  sql,
  SqlFragment,
  sqlType,
  Table,
  text,
  time,
  timestamp,
  unique,
  uuid,
  varchar,
} from '../../src/schema/index.js'

describe('column types', () => {
  test('each constructor makes its type data', () => {
    expect([integer(), smallint(), bigint(), integer().unsigned()].map((c) => c.type)).toEqual([
      { kind: 'integer' },
      { kind: 'smallint' },
      { kind: 'bigint' },
      { kind: 'integer', unsigned: true },
    ])
    expect([boolean(), real(), double(), text(), date(), interval(), json(), jsonb(), uuid()].map((c) => c.type.kind)).toEqual([
      'boolean',
      'real',
      'double',
      'text',
      'date',
      'interval',
      'json',
      'jsonb',
      'uuid',
    ])
    expect(numeric(10, 2).type).toEqual({ kind: 'numeric', precision: 10, scale: 2 })
    expect(numeric().type).toEqual({ kind: 'numeric' })
    expect(varchar(255).type).toEqual({ kind: 'varchar', length: 255 })
    expect(char(2).type).toEqual({ kind: 'char', length: 2 })
    expect(time({ timezone: true, precision: 3 }).type).toEqual({ kind: 'time', timezone: true, precision: 3 })
    expect(timestamp().type).toEqual({ kind: 'timestamp' })
    expect(binary({ length: 16 }).type).toEqual({ kind: 'binary', length: 16 })
    expect(blob().type).toEqual({ kind: 'binary' })
    expect(enumType('status', ['a', 'b'], { schema: 's' }).type).toEqual({ kind: 'enum', name: 'status', values: ['a', 'b'], schema: 's' })
    expect(setType(['x']).type).toEqual({ kind: 'set', values: ['x'] })
    expect(array(integer(), { dimensions: 2 }).type).toEqual({ kind: 'array', itemType: { kind: 'integer' }, dimensions: 2 })
    expect(sqlType('tsvector').type).toEqual({ kind: 'custom', sql: 'tsvector' })
  })

  test.each([
    ['varchar(0)', () => varchar(0), /varchar length must be an integer from 1/],
    ['char(1.5)', () => char(1.5), /char length/],
    ['numeric(2, 3)', () => numeric(2, 3), /scale must be an integer between 0 and the precision/],
    ['numeric(undefined, 2)', () => numeric(undefined, 2), /a scale needs a precision/],
    ['timestamp precision 7', () => timestamp({ precision: 7 }), /precision must be an integer from 0 to 6/],
    ['enum without values', () => enumType('e', []), /needs at least one value/],
    ['enum with a duplicate value', () => enumType('e', ['a', 'a']), /value 'a' appears twice/],
    ['enum without a name', () => enumType('', ['a']), /needs a name/],
    ['empty sqlType', () => sqlType(' '), /type text is empty/],
    ['array of 0 dimensions', () => array(integer(), { dimensions: 0 }), /array dimensions/],
  ] as const)('%s is an error', (_, build, message) => {
    expect(build).toThrow(SchemaError)
    expect(build).toThrow(message)
  })

  test('builders are immutable and keep their class', () => {
    const base = integer()
    const changed = base.notNull().unsigned().default(1)
    expect(base.state).toEqual({ type: { kind: 'integer' }, primaryKey: false, autoincrement: false })
    expect(changed.toSpec('a')).toEqual({ name: 'a', type: { kind: 'integer', unsigned: true }, nullable: false, serverDefault: 1 })
    expect(changed).toBeInstanceOf(Column)
    expect(typeof changed.unsigned).toBe('function')
  })

  test('column spec: nullability, defaults, identity, comment, collation', () => {
    expect(varchar(10).toSpec('a')).toEqual({ name: 'a', type: { kind: 'varchar', length: 10 }, nullable: true })
    expect(integer().primaryKey().toSpec('id').nullable).toBe(false)
    expect(integer().identity({ start: 5 }).toSpec('id')).toEqual({ name: 'id', type: { kind: 'integer' }, nullable: true, autoincrement: true, identity: { start: 5 } })
    expect(text().comment('c').collate('C').default(sql`'x'`).toSpec('t')).toEqual({
      name: 't',
      type: { kind: 'text' },
      nullable: true,
      comment: 'c',
      collation: 'C',
      serverDefault: sql`'x'`,
    })
  })

  test('bad defaults are errors', () => {
    expect(() => integer().default({} as never)).toThrow(/server default must be a string, number, bigint, boolean or sql/)
    expect(() => integer().default(Number.NaN)).toThrow(/finite number/)
    expect(() => enumType('e', ['a', 'b']).default('c' as 'a')).toThrow(/default 'c' is not a value of enum e/)
  })

  test('a column outside a table has no name', () => {
    expect(() => integer().name).toThrow(/does not belong to a table/)
  })
})

describe('sql fragments', () => {
  test('nested fragments are flattened; values and identifiers render per dialect', () => {
    const inner = sql`lower(${sql.identifier('email')})`
    const fragment = sql`${inner} = ${"it's"} AND n > ${1}`
    expect(fragment.strings).toEqual(['lower(', ') = ', ' AND n > ', ''])
    expect(fragment.values).toEqual([sql.identifier('email'), "it's", 1])
    const renderer = { quoteIdentifier: (n: string) => `"${n}"`, literal: (v: unknown) => (typeof v === 'string' ? `'${v.replaceAll("'", "''")}'` : String(v)) }
    expect(renderSqlFragment(fragment, renderer)).toBe(`lower("email") = 'it''s' AND n > 1`)
    expect(sql`a${sql.raw(' + b')}`).toEqual(sql`a + b`)
    expect(sql`x`.isPlainText).toBe(true)
    expect(fragment.toString()).toBe('lower(?) = ? AND n > ?')
  })
})

describe('tables', () => {
  const metadata = new MetaData()
  const users = metadata.table(
    'users',
    {
      id: integer().primaryKey().autoincrement(),
      email: varchar(255).notNull().unique(),
      name: varchar(50).index(),
      status: enumType('user_status', ['active', 'banned']).notNull().default('active'),
      created_at: timestamp({ timezone: true }).notNull().default(sql`CURRENT_TIMESTAMP`),
    },
    {
      indexes: [index('ix_users_lower_email').on(sql`lower(email)`).unique()],
      checks: [check('ck_users_email', sql`email <> ''`)],
      comment: 'Registered users',
    },
  )

  test('typed, bound columns', () => {
    expect(users.columns.email.name).toBe('email')
    expect(users.columns.email.table).toBe(users)
    expect(users.columnNames).toEqual(['id', 'email', 'name', 'status', 'created_at'])
    expect(metadata.getTable('users')).toBe(users)
    // @ts-expect-error: a typo in a column name does not compile
    expect(users.columns.emial).toBeUndefined()
  })

  test('toSpec', () => {
    expect(users.toSpec()).toEqual({
      name: 'users',
      columns: [
        { name: 'id', type: { kind: 'integer' }, nullable: false, autoincrement: true },
        { name: 'email', type: { kind: 'varchar', length: 255 }, nullable: false },
        { name: 'name', type: { kind: 'varchar', length: 50 }, nullable: true },
        { name: 'status', type: { kind: 'enum', name: 'user_status', values: ['active', 'banned'] }, nullable: false, serverDefault: 'active' },
        { name: 'created_at', type: { kind: 'timestamp', timezone: true }, nullable: false, serverDefault: sql`CURRENT_TIMESTAMP` },
      ],
      primaryKey: { columns: ['id'] },
      uniques: [{ columns: ['email'] }],
      foreignKeys: [],
      checks: [{ name: 'ck_users_email', expression: sql`email <> ''` }],
      indexes: [
        { name: 'ix_users_name', columns: ['name'] },
        { name: 'ix_users_lower_email', columns: [sql`lower(email)`], unique: true },
      ],
      comment: 'Registered users',
    })
  })

  test('composite primary key, composite and self-referencing foreign keys, thunks to later tables', () => {
    const md = new MetaData({ schema: 'app' })
    const members = md.table(
      'members',
      { org_id: integer(), user_id: integer(), invited_by: integer() },
      {
        primaryKey: ['org_id', 'user_id'],
        foreignKeys: [
          foreignKey(['org_id'], () => [orgs.columns.id], { onDelete: 'cascade' }),
          foreignKey(['org_id', 'invited_by'], () => [members.columns.org_id, members.columns.user_id], { onDelete: 'SET NULL', deferrable: true, initially: 'deferred' }),
        ],
      },
    )
    const orgs = md.table('orgs', { id: integer().primaryKey(), parent_id: integer().references('app.orgs.id') })
    expect(members.primaryKey).toEqual({ columns: ['org_id', 'user_id'] })
    expect(members.toSpec().columns.map((c) => c.nullable)).toEqual([false, false, true])
    expect(members.foreignKeys).toEqual([
      { columns: ['org_id'], referredTable: 'orgs', referredSchema: 'app', referredColumns: ['id'], onDelete: 'CASCADE' },
      { columns: ['org_id', 'invited_by'], referredTable: 'members', referredSchema: 'app', referredColumns: ['org_id', 'user_id'], onDelete: 'SET NULL', deferrable: true, initially: 'DEFERRED' },
    ])
    expect(orgs.foreignKeys).toEqual([{ columns: ['parent_id'], referredTable: 'orgs', referredSchema: 'app', referredColumns: ['id'] }])
    expect(members.schema).toBe('app')
    expect(md.sortedTables.map((t) => t.name)).toEqual(['orgs', 'members'])
  })

  test('sortedTables puts parents first and keeps declaration order otherwise, cycles included', () => {
    const md = new MetaData()
    const a = md.table('a', { id: integer().primaryKey(), c_id: integer().references(() => c.columns.id) })
    md.table('b', { id: integer().primaryKey() })
    const c = md.table('c', { id: integer().primaryKey(), d_id: integer().references('d.id') })
    md.table('d', { id: integer().primaryKey(), a_id: integer().references(() => a.columns.id) })
    md.table('e', { id: integer().primaryKey(), b_id: integer().references('b.id') })
    // b and e are ready first; the cycle a → c → d → a is then broken at its first declared table.
    expect(md.sortedTables.map((t) => t.name)).toEqual(['b', 'e', 'a', 'd', 'c'])
    const tree = new MetaData()
    tree.table('child', { id: integer().primaryKey(), parent_id: integer().references('parent.id') })
    tree.table('parent', { id: integer().primaryKey(), self_id: integer().references('parent.id') })
    expect(tree.sortedTables.map((t) => t.name)).toEqual(['parent', 'child'])
  })

  test('a primary key column cannot be nullable', () => {
    expect(() => new MetaData().table('t', { id: integer().primaryKey().nullable() }).toSpec()).toThrow(/cannot be nullable/)
    expect(() => new MetaData().table('t', { id: integer().nullable() }, { primaryKey: ['id'] }).toSpec()).toThrow(/cannot be nullable/)
  })

  test('the primary key is declared in one place', () => {
    expect(() => new MetaData().table('t', { a: integer().primaryKey(), b: integer() }, { primaryKey: ['b'] })).toThrow(/declare the primary key in one place|marks other columns/)
    expect(new MetaData().table('t', { a: integer().primaryKey() }, { primaryKey: ['a'] }).primaryKey).toEqual({ columns: ['a'] })
  })
})

describe('errors for bad input', () => {
  const md = (): MetaData => new MetaData()
  test.each([
    // @ts-expect-error: unknown column in an index does not compile
    ['unknown column in an index', () => md().table('t', { a: integer() }, { indexes: [index('ix').on('b')] }), /index ix of table 't' names column 'b', which the table does not have/],
    // @ts-expect-error: unknown column in a unique constraint does not compile
    ['unknown column in a unique constraint', () => md().table('t', { a: integer() }, { uniques: [unique('uq').on('b')] }), /names column 'b'/],
    // @ts-expect-error: unknown column in the primary key does not compile
    ['unknown column in the primary key', () => md().table('t', { a: integer() }, { primaryKey: ['b'] }), /the primary key of table 't' names column 'b'/],
    // @ts-expect-error: unknown local column of a foreign key does not compile
    ['unknown local column of a foreign key', () => md().table('t', { a: integer() }, { foreignKeys: [foreignKey(['b'], { table: 'u', columns: ['id'] })] }), /a foreign key of table 't' names column 'b'/],
    ['a column named twice in a constraint', () => md().table('t', { a: integer() }, { uniques: [unique('uq').on('a', 'a')] }), /names column 'a' twice/],
    ['a table without columns', () => md().table('t', {}), /has no columns/],
    ['a table without a name', () => md().table('', { a: integer() }), /non-empty name/],
    ['a column that is not a column', () => md().table('t', { a: 'integer' as unknown as Column }), /column 't.a' is string integer, not a column/],
    ['two indexes with one name', () => md().table('t', { a: integer().index('ix'), b: integer() }, { indexes: [index('ix').on('b')] }), /table 't' has two indexes named 'ix'/],
    ['two unique constraints with one name', () => md().table('t', { a: integer().unique('uq'), b: integer() }, { uniques: [unique('uq').on('b')] }), /two constraints named 'uq'/],
    ['an index without columns', () => md().table('t', { a: integer() }, { indexes: [index('ix')] }), /index ix of table 't' has no columns/],
  ] as const)('%s', (_, build, message) => {
    expect(build).toThrow(SchemaError)
    expect(build).toThrow(message)
  })

  test('a duplicate table; an index name used by two tables of one schema, refused where the database refuses it', () => {
    const metadata = md()
    metadata.table('t', { a: integer() })
    expect(() => metadata.table('t', { b: integer() })).toThrow(/table 't' is declared twice/)
    // MySQL names indexes per table (WordPress has `meta_key` on four): the models take it.
    metadata.table('u', { a: integer().index('ix_shared') })
    metadata.table('v', { a: integer().index('ix_shared') })
    expect(() => checkIndexNames(metadata.toSpecs(), 'mysql')).not.toThrow()
    for (const dialect of ['postgresql', 'sqlite'] as const) {
      expect(() => checkIndexNames(metadata.toSpecs(), dialect)).toThrow(/index 'ix_shared' is declared on both 'u' and 'v'/)
    }
    const schemas = md()
    schemas.table('u', { a: integer().index('ix_shared') })
    schemas.table('w', { a: integer().index('ix_shared') }, { schema: 'other' })
    expect(() => checkIndexNames(schemas.toSpecs(), 'postgresql')).not.toThrow()
  })

  test('a foreign key to a column that does not exist', () => {
    const metadata = md()
    const users = metadata.table('users', { id: integer().primaryKey() })
    const byString = metadata.table('a', { user_id: integer().references('users.idd') })
    expect(() => byString.foreignKeys).toThrow(/refers to users.idd, which does not exist/)
    const byThunk = metadata.table('b', { user_id: integer().references(() => (users.columns as Record<string, Column>)['idd']!) })
    expect(() => byThunk.foreignKeys).toThrow(/returned undefined instead of a column/)
    const composite = metadata.table('c', { x: integer(), y: integer() }, { foreignKeys: [foreignKey(['x', 'y'], { table: 'users', columns: ['id'] })] })
    expect(() => composite.foreignKeys).toThrow(/has 2 column\(s\) but refers to 1/)
    const outside = metadata.table('d', { x: integer().references('elsewhere.id') })
    expect(outside.foreignKeys).toEqual([{ columns: ['x'], referredTable: 'elsewhere', referredColumns: ['id'] }])
    expect(() => metadata.table('e', { x: integer().references('nodot') }).foreignKeys).toThrow(/is not 'table.column'/)
    expect(() => metadata.table('f', { x: integer().references('users.id', { onDelete: 'explode' as 'cascade' }) }).foreignKeys).toThrow(/unknown referential action 'explode'/)
  })

  test('schema errors carry a code and exit status 1', () => {
    try {
      md().table('t', {})
    } catch (error) {
      expect(error).toMatchObject({ name: 'SchemaError', code: 'schema.bad_table', exitCode: 1 })
    }
    expect.assertions(1)
  })
})

describe('naming conventions', () => {
  const convention = {
    ix: 'ix_%(column_0_label)s',
    uq: 'uq_%(table_name)s_%(column_0_N_name)s',
    ck: 'ck_%(table_name)s_%(constraint_name)s',
    fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
    pk: 'pk_%(table_name)s',
  }

  test('names unnamed constraints and indexes', () => {
    const metadata = new MetaData({ namingConvention: convention })
    const users = metadata.table('users', { id: integer().primaryKey(), org_id: integer(), email: varchar(255).unique().index() }, { uniques: [unique().on('org_id', 'email')], checks: [check('email', sql`email <> ''`)] })
    const posts = metadata.table('posts', { id: integer().primaryKey(), author_id: integer().references(() => users.columns.id) })
    expect(users.primaryKey).toEqual({ name: 'pk_users', columns: ['id'] })
    expect(users.uniques.map((u) => u.name)).toEqual(['uq_users_email', 'uq_users_org_id_email'])
    expect(users.checks[0]!.name).toBe('ck_users_email')
    expect(users.indexes[0]!.name).toBe('ix_users_email')
    expect(posts.foreignKeys[0]!.name).toBe('fk_posts_author_id_users')
  })

  test('explicit names win unless the template uses %(constraint_name)s', () => {
    const metadata = new MetaData({ namingConvention: convention })
    const t = metadata.table('t', { a: integer().unique('my_uq') }, { checks: [check('positive', sql`a > 0`)], indexes: [index('my_ix').on('a')] })
    expect(t.uniques[0]!.name).toBe('my_uq')
    expect(t.indexes[0]!.name).toBe('my_ix')
    expect(t.checks[0]!.name).toBe('ck_t_positive')
    expect(() => metadata.table('u', { a: integer() }, { checks: [check(sql`a > 0`)] })).toThrow(/uses %\(constraint_name\)s, but a check constraint on table 'u' has no name/)
  })

  test('without a template, constraints stay unnamed; the default names indexes', () => {
    const t = new MetaData().table('t', { a: integer().primaryKey(), b: integer().unique().index() })
    expect(t.primaryKey).toEqual({ columns: ['a'] })
    expect(t.uniques).toEqual([{ columns: ['b'] }])
    expect(t.indexes).toEqual([{ name: 'ix_t_b', columns: ['b'] }])
    const standalone = new Table('s', { a: integer().index() })
    expect(standalone.indexes[0]!.name).toBe('ix_s_a')
    expect(() => new MetaData({ namingConvention: { ix: undefined } }).table('t', { a: integer().index() })).toThrow(/has no name and the naming convention has no 'ix' template/)
  })

  test('a name longer than 63 bytes is cut, with a hash of the whole name: unique, the same on every database, kept by PostgreSQL as it is', () => {
    const long = (table: string): string => conventionalName({ fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s' }, { kind: 'fk', tableName: table, columns: ['program_id'], referredTable: 'loyalty_programs_of_customers' })!
    const a = long('customer_loyalty_program_memberships')
    const b = long('customer_loyalty_program_memberships_2')
    expect(Buffer.byteLength(a)).toBe(63)
    expect(a).toMatch(/^fk_customer_loyalty_program_memberships_program_id_loya_[0-9a-z]{7}$/)
    expect(b).not.toBe(a)
    expect(long('customer_loyalty_program_memberships')).toBe(a)
    // Bytes, not characters: PostgreSQL's limit.
    const wide = fitName(`ix_${'é'.repeat(40)}`)
    expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(63)
    expect(fitName('short_enough')).toBe('short_enough')
    expect(fitName('x'.repeat(63))).toBe('x'.repeat(63))
  })

  test('every token', () => {
    const subject = { tableName: 'orders', columns: ['org_id', 'number'], referredTable: 'orgs', referredColumns: ['id', 'num'] } as const
    const name = (template: string): string | undefined => conventionalName({ fk: template }, { kind: 'fk', ...subject })
    expect(name('%(table_name)s')).toBe('orders')
    expect(name('%(column_0_name)s|%(column_1_name)s|%(column_0_key)s')).toBe('org_id|number|org_id')
    expect(name('%(column_0_label)s|%(column_0_N_label)s')).toBe('orders_org_id|orders_org_id_orders_number')
    expect(name('%(column_0N_label)s')).toBe('orders_org_idorders_number')
    expect(name('%(column_0_N_name)s|%(column_0N_name)s|%(column_0_N_key)s')).toBe('org_id_number|org_idnumber|org_id_number')
    expect(name('%(referred_table_name)s|%(referred_column_0_name)s|%(referred_column_0_N_name)s|%(referred_column_0N_name)s')).toBe('orgs|id|id_num|idnum')
    expect(() => name('%(column_5_name)s')).toThrow(/it has only 2 column\(s\)/)
    expect(() => name('%(nonsense)s')).toThrow(/unknown token/)
    expect(() => conventionalName({ uq: '%(referred_table_name)s' }, { kind: 'uq', tableName: 't', columns: ['a'] })).toThrow(/applies to foreign keys only/)
    expect(() => conventionalName({ ix: 'ix_%(column_0_name)s' }, { kind: 'ix', tableName: 't', columns: [undefined] })).toThrow(/an expression has no column name/)
  })
})

describe('type-level checks', () => {
  test('tables refer to themselves and to later tables without annotations; typos in thunks do not compile', () => {
    const md = new MetaData()
    const nodes = md.table('nodes', { id: integer().primaryKey(), parent_id: integer().references(() => nodes.columns.id) })
    const a = md.table('a', { id: integer().primaryKey(), b_id: integer().references(() => b.columns.id) })
    const b = md.table('b', { id: integer().primaryKey(), a_id: integer().references(() => a.columns.id) })
    // @ts-expect-error: no column 'idd'
    const typo = md.table('typo', { id: integer().primaryKey(), x: integer().references(() => typo.columns.idd) })
    expect(nodes.foreignKeys[0]).toEqual({ columns: ['parent_id'], referredTable: 'nodes', referredColumns: ['id'] })
    expect(a.foreignKeys[0]!.referredTable).toBe('b')
    expect(b.foreignKeys[0]!.referredTable).toBe('a')
    expect(() => typo.foreignKeys).toThrow(/returned undefined instead of a column/)
  })

  test('index column names are checked against the table', () => {
    const metadata = new MetaData()
    const t = metadata.table('t', { id: integer().primaryKey(), email: varchar(10) }, {
      indexes: [index('ix_a').on(sql`lower(email)`), index('ix_b').on('email', sql`id + 1`)],
      uniques: [unique('uq').on('email')],
      primaryKey: undefined,
    })
    expect(t.indexes.map((i) => i.name)).toEqual(['ix_a', 'ix_b'])
    // @ts-expect-error: the enum default must be one of its values
    expect(() => enumType('e', ['a', 'b']).default('c')).toThrow(SchemaError)
    expect(enumType('e', ['a', 'b']).default('b').state.serverDefault).toBe('b')
    expect(enumType('e', ['a']).default(sql`'a'`).state.serverDefault).toBeInstanceOf(SqlFragment)
  })
})
