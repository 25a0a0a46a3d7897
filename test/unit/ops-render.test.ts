import { describe, expect, test } from 'vitest'
import { OperationFactory } from '../../src/operations/factory.js'
import { CreateTableOp, DropColumnOp, DropIndexOp, type Operation } from '../../src/operations/ops.js'
import { tsString } from '../../src/operations/render.js'
import * as models from '../../src/schema/index.js'
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

const op = new OperationFactory()

type AsyncFunctionConstructor = new (...args: string[]) => (...args: unknown[]) => Promise<unknown>
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as AsyncFunctionConstructor

/**
 * Runs rendered source as a revision body would: `op` records the operation objects each call
 * builds; only the `migrator` exports named in `imports` are in scope (all when omitted).
 */
async function evaluate(source: string, imports?: Iterable<string>): Promise<Operation[]> {
  const recorded: Operation[] = []
  const recorder = new Proxy(
    {},
    {
      get: (_, method) => (...args: unknown[]) => {
        const build = (op as unknown as Record<string, (...a: unknown[]) => Operation>)[method as string]
        if (!build) throw new Error(`op.${String(method)} is not a directive`)
        recorded.push(build.apply(op, args))
      },
    },
  )
  const names = imports ? [...imports] : Object.keys(models)
  const values = names.map((name) => {
    if (!(name in models)) throw new Error(`rendered source imports '${name}', which migrator does not export`)
    return (models as Record<string, unknown>)[name]
  })
  await new AsyncFunction('op', ...names, source)(recorder, ...values)
  return recorded
}

async function roundTrip(operation: Operation): Promise<Operation> {
  const imports = new Set<string>()
  const source = operation.toSource(imports)
  const recorded = await evaluate(source, imports)
  expect(recorded).toHaveLength(1)
  return recorded[0]!
}

const weird = 'we"ird `na\'me` \\ ${x} \n\r\t\u2028 é 𝄞'
const injection = `'; DROP TABLE x; --`

const metadata = new MetaData({
  namingConvention: { uq: 'uq_%(table_name)s_%(column_0_N_name)s', fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s', pk: 'pk_%(table_name)s', ck: 'ck_%(table_name)s_%(constraint_name)s' },
})
const users = metadata.table('users', { id: integer().primaryKey().autoincrement(), email: varchar(255).notNull().unique() })
const everything = metadata.table(
  'everything',
  {
    id: bigint().primaryKey().identity({ always: true, start: 10, increment: 2 }),
    user_id: integer().notNull().references(() => users.columns.id, { onDelete: 'cascade', onUpdate: 'restrict', deferrable: true, initially: 'deferred' }),
    a: smallint().unsigned(),
    b: boolean().notNull().default(false),
    c: real(),
    d: double().default(-0.5),
    e: numeric(12, 4).default('1.5'),
    f: char(3).collate('C'),
    g: text().comment(weird),
    h: date(),
    i: time({ timezone: true, precision: 2 }),
    j: timestamp({ timezone: true }).notNull().default(sql`CURRENT_TIMESTAMP`),
    k: interval(),
    l: json(),
    m: jsonb().default(sql`'{}'::jsonb`),
    n: uuid().default(sql`gen_random_uuid()`),
    o: binary({ length: 8 }),
    p: enumType('mood', ['ok', weird], { schema: 'types' }).default(weird),
    q: setType(['x', 'y']),
    r: array(varchar(10), { dimensions: 2 }),
    s: sqlType('tsvector'),
    t: bigint().default(9007199254740993n),
    [weird]: varchar(20).default(injection),
    ['__proto__']: integer(),
    'kebab-case': integer(),
  },
  {
    schema: 'app',
    uniques: [unique('uq_custom').on('a', 'b')],
    checks: [check('positive', sql`${sql.identifier('d')} > ${0} AND e <> ${injection}`)],
    foreignKeys: [foreignKey(['a', 'b'], { table: 'other', columns: ['x', 'y'], schema: 'o' }, { match: 'full' })],
    indexes: [index('ix_everything_h').on('h'), index(weird).on('c', sql`lower(${sql.identifier(weird)})`).unique().where(sql`c > 1`).using('btree')],
    comment: weird,
  },
)
const composite = metadata.table('composite', { x: integer(), y: integer(), z: text() }, { primaryKey: ['x', 'y'] })
const unnamed = new MetaData().table('plain', { x: integer().primaryKey(), y: integer().unique().references('users.id') }, { checks: [check(sql`y > 0`)] })

const cases: [string, Operation][] = [
  ['createTable with every type and constraint', new CreateTableOp({ table: everything.toSpec() })],
  ['createTable with a composite primary key', new CreateTableOp({ table: composite.toSpec() })],
  ['createTable with unnamed constraints', new CreateTableOp({ table: unnamed.toSpec() })],
  ['createTable from op arguments', op.createTable('t', { id: integer().primaryKey() }, { ifNotExists: true, primaryKey: undefined })],
  ['createTable with a named single-column primary key', op.createTable('t', { id: integer() }, { primaryKey: { name: 'pk_t', columns: ['id'] } })],
  ['dropTable', op.dropTable(weird, { schema: 's', ifExists: true })],
  ['renameTable', op.renameTable('a', weird, { schema: 's' })],
  ['addColumn', op.addColumn('users', 'age', integer().notNull().default(0).comment('Age'))],
  ['addColumn with constraints', op.addColumn('posts', 'author_id', integer().references({ table: 'a.b', column: 'id', schema: 's' }, { name: 'fk_x', onDelete: 'SET NULL' }).unique().index('ix_author'), { schema: 'blog' })],
  ['addColumn primary key', op.addColumn('t', 'id', integer().primaryKey().autoincrement())],
  ['dropColumn', op.dropColumn('users', weird, { schema: 's' })],
  [
    'alterColumn with everything',
    op.alterColumn('users', 'name', {
      schema: 's',
      type: varchar(100),
      nullable: false,
      serverDefault: sql`lower(${'X'})`,
      newColumnName: 'full_name',
      comment: null,
      using: sql`name::varchar(100)`,
      existingType: enumType('e', ['a']),
      existingNullable: true,
      existingServerDefault: null,
      existingComment: weird,
      existingAutoincrement: true,
    }),
  ],
  ['alterColumn drop default', op.alterColumn('users', 'name', { serverDefault: null })],
  ['alterColumn with checks of the column', op.alterColumn('stock', 'qty', { columnCheck: sql`qty < ${weird}`, existingColumnCheck: null, existingType: integer() })],
  ['alterColumn invisible', op.alterColumn('users', 'token', { invisible: true, existingInvisible: false, existingType: integer() })],
  ['alterColumn dropping a check of the column', op.alterColumn('stock', 'qty', { columnCheck: null, existingColumnCheck: 'qty >= 0', existingType: integer() })],
  ['alterColumn with collations', op.alterColumn('users', 'name', { type: varchar(100).collate('utf8mb4_bin'), existingType: varchar(50), existingCollation: "it's", existingNullable: true })],
  ['createIndex', op.createIndex(weird, 'users', ['a', sql`lower(b)`], { unique: true, where: 'a > 0', using: 'gin', concurrently: true, ifNotExists: true, schema: 's' })],
  ['dropIndex with table', op.dropIndex('ix', 'users', { concurrently: true })],
  ['dropIndex without table', op.dropIndex('ix', undefined, { schema: 's', ifExists: true })],
  ['dropIndex bare', op.dropIndex('ix')],
  ['createUniqueConstraint', op.createUniqueConstraint('uq', 't', ['a', 'b'], { schema: 's' })],
  ['createUniqueConstraint unnamed', op.createUniqueConstraint(null, 't', ['a'])],
  ['createForeignKey', op.createForeignKey('fk', 't', 'u', ['a', 'b'], ['x', 'y'], { sourceSchema: 's', referentSchema: 'r', onDelete: 'cascade', onUpdate: 'NO ACTION', deferrable: false, initially: 'IMMEDIATE', match: 'SIMPLE' })],
  ['createCheckConstraint', op.createCheckConstraint('ck', 't', sql`a \`${'b'}\` > ${1n}`)],
  ['createCheckConstraint from a string', op.createCheckConstraint(null, 't', 'a > 0', { schema: 's' })],
  ['createPrimaryKey', op.createPrimaryKey('pk', 't', ['a', 'b'], { schema: 's' })],
  ['dropConstraint', op.dropConstraint('fk', 't', { type: 'foreignkey', schema: 's' })],
  ['createTableComment', op.createTableComment('t', weird, { existingComment: null, schema: 's' })],
  ['dropTableComment', op.dropTableComment('t', { existingComment: weird })],
  ['createEnum', op.createEnum('mood', ['a', weird], { schema: 's' })],
  ['dropEnum', op.dropEnum('mood', { ifExists: true, existingValues: ['a'] })],
  ['addEnumValue', op.addEnumValue('mood', weird, { after: 'a', ifNotExists: true })],
  ['execute', op.execute(`UPDATE t SET a = '${weird}'`)],
  ['execute with params', op.execute('UPDATE t SET a = :a', { a: weird, b: [1, { c: null }], d: 10n })],
  ['execute a fragment', op.execute(sql`DELETE FROM ${sql.identifier('s', weird)} WHERE a = ${true} AND b = ${null}`)],
  [
    'bulkInsert',
    op.bulkInsert(
      'roles',
      [
        { id: 1, name: weird, at: new Date('2024-02-03T04:05:06.789Z'), bytes: Buffer.from('00ff', 'hex'), meta: { nested: [1, 'two', null] }, big: 12345678901234567890n },
        { id: 2, [weird]: -0 },
      ],
      { schema: 's', multiInsert: false },
    ),
  ],
  ['bulkInsert empty', op.bulkInsert('roles', [])],
]

describe('toSource() evaluates back to an equal operation', () => {
  test.each(cases)('%s', async (_, operation) => {
    expect(await roundTrip(operation)).toStrictEqual(operation)
  })
})

describe('rendered source reads like a hand-written revision', () => {
  test('createTable', () => {
    const imports = new Set<string>()
    const source = op
      .createTable(
        'users',
        { id: integer().primaryKey().autoincrement(), email: varchar(255).notNull(), status: enumType('user_status', ['active', 'banned']).notNull().default('active') },
        { indexes: [index('ix_users_email').on('email').unique()], comment: 'Registered users' },
      )
      .toSource(imports)
    expect(source).toBe(`await op.createTable('users', {
  id: integer().primaryKey().autoincrement(),
  email: varchar(255).notNull(),
  status: enumType('user_status', ['active', 'banned']).notNull().default('active'),
}, {
  indexes: [index('ix_users_email').on('email').unique()],
  comment: 'Registered users',
})`)
    expect([...imports].sort()).toEqual(['enumType', 'index', 'integer', 'varchar'])
  })

  test('one-line directives', () => {
    expect(op.addColumn('users', 'age', integer().notNull()).toSource()).toBe("await op.addColumn('users', 'age', integer().notNull())")
    expect(op.dropColumn('users', 'age').toSource()).toBe("await op.dropColumn('users', 'age')")
    expect(op.dropConstraint('uq_a', 'users', { type: 'unique' }).toSource()).toBe("await op.dropConstraint('uq_a', 'users', { type: 'unique' })")
    expect(op.createIndex('ix_a', 'users', ['a', sql`lower(b)`]).toSource()).toBe("await op.createIndex('ix_a', 'users', ['a', sql`lower(b)`])")
    expect(op.alterColumn('users', 'a', { nullable: false, existingType: text() }).toSource()).toBe("await op.alterColumn('users', 'a', { nullable: false, existingType: text() })")
    expect(op.execute('SELECT 1').toSource()).toBe("await op.execute('SELECT 1')")
  })

  test('strings and templates are escaped', () => {
    expect(tsString(weird)).toBe(`'we"ird \`na\\'me\` \\\\ \${x} \\n\\r\\t\\u2028 é 𝄞'`)
    expect(op.createCheckConstraint('ck', 't', sql`a = '\`' || '${'$'}{x}' || '\\'`).toSource()).toBe("await op.createCheckConstraint('ck', 't', sql`a = '\\`' || '${'$'}{x}' || '\\\\'`)")
  })
})

describe('what rendering leaves out', () => {
  test('the definitions drop operations carry for reverse() are not rendered (as Alembic)', async () => {
    const drop = new DropColumnOp({ tableName: 't', columnName: 'a', existing: { column: { name: 'a', type: { kind: 'integer' }, nullable: true } } })
    expect(await roundTrip(drop)).toStrictEqual(new DropColumnOp({ tableName: 't', columnName: 'a' }))
    const dropIndex = new DropIndexOp({ name: 'ix', tableName: 't', existing: { name: 'ix', columns: ['a'] } })
    expect(await roundTrip(dropIndex)).toStrictEqual(new DropIndexOp({ name: 'ix', tableName: 't' }))
    const dropTable = new CreateTableOp({ table: users.toSpec() }).reverse()
    expect(await roundTrip(dropTable)).toStrictEqual(op.dropTable('users'))
  })

  test('a reversed createTable renders, and renders back, like the original', async () => {
    const create = new CreateTableOp({ table: everything.toSpec() })
    expect(await roundTrip(create.reverse().reverse())).toStrictEqual(create)
  })
})
