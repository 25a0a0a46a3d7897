import { describe, expect, test } from 'vitest'
import { IrreversibleOperationError } from '../../src/operations/errors.js'
import { OperationFactory } from '../../src/operations/factory.js'
import {
  AddColumnOp,
  AlterColumnOp,
  CreateCheckConstraintOp,
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
  RenameTableOp,
  type Operation,
} from '../../src/operations/ops.js'
import { bigint, check, enumType, foreignKey, index, integer, MetaData, numeric, sql, text, timestamp, unique, varchar } from '../../src/schema/index.js'

const op = new OperationFactory()

const metadata = new MetaData({ namingConvention: { uq: 'uq_%(table_name)s_%(column_0_N_name)s', fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s', pk: 'pk_%(table_name)s' } })
const users = metadata.table('users', { id: integer().primaryKey().autoincrement(), email: varchar(255).notNull().unique() })
const posts = metadata.table(
  'posts',
  {
    id: integer().primaryKey(),
    author_id: integer().notNull().references(() => users.columns.id, { onDelete: 'cascade' }),
    status: enumType('post_status', ['draft', 'live']).notNull().default('draft'),
    price: numeric(10, 2),
    created_at: timestamp({ timezone: true }).default(sql`CURRENT_TIMESTAMP`),
  },
  {
    schema: 'blog',
    indexes: [index('ix_posts_live').on('author_id', sql`lower(status)`).unique().where(sql`status = 'live'`)],
    checks: [check('ck_posts_price', sql`price >= 0`)],
    comment: 'Posts',
  },
)

/** Each op, the kind of its reverse. */
const reversible: [string, Operation, string][] = [
  ['createTable', new CreateTableOp({ table: posts.toSpec() }), 'dropTable'],
  ['createTable if not exists', op.createTable('t', { a: integer().primaryKey(), b: text() }, { ifNotExists: true, uniques: [unique('uq_b').on('b')], foreignKeys: [foreignKey(['a'], { table: 'o', columns: ['id'] })] }), 'dropTable'],
  ['renameTable', op.renameTable('a', 'b', { schema: 's' }), 'renameTable'],
  ['addColumn', op.addColumn('users', 'age', integer().notNull().default(0).comment('Age')), 'dropColumn'],
  ['addColumn with constraints', op.addColumn('posts', 'editor_id', integer().references('users.id', { name: 'fk_e' }).unique('uq_e').index('ix_e'), { schema: 'blog' }), 'dropColumn'],
  [
    'alterColumn',
    op.alterColumn('users', 'name', {
      type: varchar(100),
      nullable: false,
      serverDefault: 'x',
      comment: 'Name',
      newColumnName: 'full_name',
      existingType: varchar(50),
      existingNullable: true,
      existingServerDefault: null,
      existingComment: null,
      existingAutoincrement: false,
    }),
    'alterColumn',
  ],
  ['alterColumn rename only', op.alterColumn('users', 'name', { newColumnName: 'full_name' }), 'alterColumn'],
  ['alterColumn type with collations', op.alterColumn('users', 'name', { type: varchar(100).collate('utf8mb4_bin'), existingType: varchar(50).collate('latin1_bin'), existingNullable: true, existingServerDefault: null, existingComment: null }), 'alterColumn'],
  ['alterColumn nullability keeping a collation', op.alterColumn('users', 'name', { nullable: false, existingNullable: true, existingType: varchar(50), existingCollation: 'latin1_bin', existingServerDefault: null, existingComment: null }), 'alterColumn'],
  ['alterColumn dropping a check of the column (MariaDB)', op.alterColumn('stock', 'qty', { columnCheck: null, existingColumnCheck: sql`qty >= 0`, existingType: integer(), existingNullable: false, existingServerDefault: 0, existingComment: null }), 'alterColumn'],
  ['alterColumn type restating a check of the column', op.alterColumn('stock', 'qty', { type: bigint(), existingType: integer(), existingNullable: true, existingServerDefault: null, existingComment: null, existingColumnCheck: 'qty >= 0' }), 'alterColumn'],
  ['alterColumn made invisible', op.alterColumn('users', 'token', { invisible: true, existingType: varchar(20), existingNullable: true, existingServerDefault: null, existingComment: null }), 'alterColumn'],
  ['alterColumn made visible', op.alterColumn('users', 'token', { invisible: false, existingInvisible: true, existingType: varchar(20) }), 'alterColumn'],
  ['alterColumn default with hints for MySQL', op.alterColumn('users', 'n', { serverDefault: sql`now()`, existingServerDefault: 1, existingType: integer(), existingNullable: false }), 'alterColumn'],
  ['createIndex', op.createIndex('ix_a', 'users', ['a', sql`lower(b)`], { unique: true, where: sql`a > 0`, using: 'btree', schema: 's', concurrently: true, ifNotExists: true }), 'dropIndex'],
  ['createUniqueConstraint', op.createUniqueConstraint('uq_a', 'users', ['a', 'b'], { schema: 's' }), 'dropConstraint'],
  ['createForeignKey', op.createForeignKey('fk_a', 'posts', 'users', ['author_id'], ['id'], { onDelete: 'CASCADE', sourceSchema: 'blog', referentSchema: 'auth', deferrable: true, initially: 'DEFERRED', match: 'FULL' }), 'dropConstraint'],
  ['createCheckConstraint', op.createCheckConstraint('ck_a', 'users', 'a > 0'), 'dropConstraint'],
  ['createPrimaryKey', op.createPrimaryKey('pk_a', 'users', ['a', 'b']), 'dropConstraint'],
  ['createTableComment (new)', op.createTableComment('users', 'Users'), 'dropTableComment'],
  ['createTableComment (replacing)', op.createTableComment('users', 'Users', { existingComment: 'Old' }), 'createTableComment'],
  ['dropTableComment', op.dropTableComment('users', { existingComment: 'Users', schema: 's' }), 'createTableComment'],
  ['createEnum', op.createEnum('mood', ['ok', 'meh'], { schema: 's' }), 'dropEnum'],
  ['dropEnum with values', op.dropEnum('mood', { existingValues: ['ok'] }), 'createEnum'],
]

describe('reverse() of every reversible operation', () => {
  test.each(reversible)('%s', (_, operation, reverseKind) => {
    const reversed = operation.reverse()
    expect(reversed.kind).toBe(reverseKind)
    expect(reversed.reverse()).toStrictEqual(operation)
  })

  test('dropTable/dropColumn/dropIndex/dropConstraint built with their definition reverse to the create', () => {
    const create = new CreateTableOp({ table: users.toSpec() })
    expect(create.reverse()).toStrictEqual(new DropTableOp({ name: 'users', existing: users.toSpec() }))
    const drop = new DropColumnOp({ tableName: 'users', columnName: 'age', existing: { column: { name: 'age', type: { kind: 'integer' }, nullable: true } } })
    expect(drop.reverse()).toStrictEqual(new AddColumnOp({ tableName: 'users', column: { name: 'age', type: { kind: 'integer' }, nullable: true } }))
    const dropIndex = new DropIndexOp({ name: 'ix', tableName: 't', existing: { name: 'ix', columns: ['a'] } })
    expect(dropIndex.reverse()).toStrictEqual(new CreateIndexOp({ tableName: 't', index: { name: 'ix', columns: ['a'] } }))
    const dropFk = new DropConstraintOp({ name: 'fk', tableName: 't', type: 'foreignkey', existing: { type: 'foreignkey', name: 'fk', columns: ['a'], referredTable: 'u', referredColumns: ['id'] } })
    expect(dropFk.reverse()).toStrictEqual(new CreateForeignKeyOp({ tableName: 't', constraint: { name: 'fk', columns: ['a'], referredTable: 'u', referredColumns: ['id'] } }))
  })

  test('each constraint kind reverses through dropConstraint to its own create op', () => {
    const ops = [
      op.createUniqueConstraint('uq', 't', ['a']),
      op.createForeignKey('fk', 't', 'u', ['a'], ['id']),
      op.createCheckConstraint('ck', 't', sql`a > 0`),
      op.createPrimaryKey('pk', 't', ['a']),
    ]
    expect(ops.map((o) => (o.reverse() as DropConstraintOp).type)).toEqual(['unique', 'foreignkey', 'check', 'primary'])
    expect(ops.map((o) => o.reverse().reverse())).toStrictEqual(ops)
    expect(ops.map((o) => o.reverse().reverse().constructor)).toEqual([CreateUniqueConstraintOp, CreateForeignKeyOp, CreateCheckConstraintOp, CreatePrimaryKeyOp])
  })

  test('alterColumn swaps the changes and the existing values', () => {
    const reversed = op.alterColumn('users', 'name', { type: varchar(100), existingType: varchar(50), existingNullable: true, newColumnName: 'full_name' }).reverse()
    expect(reversed).toStrictEqual(
      new AlterColumnOp({ tableName: 'users', columnName: 'full_name', newColumnName: 'name', type: { kind: 'varchar', length: 50 }, existingType: { kind: 'varchar', length: 100 }, existingNullable: true }),
    )
  })

  test('alterColumn gives the type its collation back: the new type\'s becomes the existing one, and the reverse restores the old one', () => {
    const forward = op.alterColumn('users', 'name', { type: varchar(100).collate('utf8mb4_bin'), existingType: varchar(50).collate('latin1_bin'), existingNullable: true })
    expect([forward.collation, forward.existingCollation]).toEqual(['utf8mb4_bin', 'latin1_bin'])
    const reversed = forward.reverse()
    expect([reversed.collation, reversed.existingCollation]).toEqual(['latin1_bin', 'utf8mb4_bin'])
    // Without a collation of its own, the new type keeps the column's.
    const keeping = op.alterColumn('users', 'name', { type: varchar(100), existingType: varchar(50), existingCollation: 'latin1_bin' }).reverse()
    expect([keeping.collation, keeping.existingCollation]).toEqual(['latin1_bin', 'latin1_bin'])
  })

  test('alterColumn gives a dropped check of the column back, and keeps one it restates', () => {
    const dropping = op.alterColumn('stock', 'qty', { columnCheck: null, existingColumnCheck: sql`qty >= 0`, existingType: integer() })
    expect(dropping.reverse()).toStrictEqual(new AlterColumnOp({ tableName: 'stock', columnName: 'qty', columnCheck: sql`qty >= 0`, existingColumnCheck: null, existingType: { kind: 'integer' } }))
    const restating = op.alterColumn('stock', 'qty', { type: bigint(), existingType: integer(), existingColumnCheck: sql`qty >= 0` }).reverse()
    expect([restating.columnCheck, restating.existingColumnCheck]).toEqual([undefined, sql`qty >= 0`])
    expect(() => op.alterColumn('stock', 'qty', { columnCheck: sql`qty > 1`, existingType: integer() }).reverse()).toThrow(/changes the column check without existingColumnCheck/)
  })

  test('alterColumn makes an invisible column visible again, and keeps one it restates invisible', () => {
    expect(op.alterColumn('t', 'a', { invisible: true, existingType: integer() }).reverse()).toStrictEqual(new AlterColumnOp({ tableName: 't', columnName: 'a', invisible: false, existingInvisible: true, existingType: { kind: 'integer' } }))
    const restating = op.alterColumn('t', 'a', { type: bigint(), existingType: integer(), existingInvisible: true }).reverse()
    expect([restating.invisible, restating.existingInvisible]).toEqual([undefined, true])
  })

  test('alterColumn drops a default back to none, and the reverse sets it again', () => {
    const setDefault = op.alterColumn('t', 'a', { serverDefault: 5, existingServerDefault: null })
    expect(setDefault.reverse()).toStrictEqual(new AlterColumnOp({ tableName: 't', columnName: 'a', serverDefault: null, existingServerDefault: 5 }))
  })

  test('createEnum/dropEnum and comments reverse as expected', () => {
    expect(op.createEnum('e', ['a']).reverse()).toStrictEqual(new DropEnumOp({ name: 'e', existingValues: ['a'] }))
    expect(op.createTableComment('t', 'New', { existingComment: 'Old' }).reverse()).toStrictEqual(new CreateTableCommentOp({ tableName: 't', comment: 'Old', existingComment: 'New' }))
    expect(op.createTableComment('t', 'New').reverse()).toStrictEqual(new DropTableCommentOp({ tableName: 't', existingComment: 'New' }))
    expect(new RenameTableOp({ oldName: 'a', newName: 'b' }).reverse()).toStrictEqual(new RenameTableOp({ oldName: 'b', newName: 'a' }))
  })
})

describe('irreversible operations throw a clear error', () => {
  test.each([
    ['dropTable without its definition', () => op.dropTable('users'), /cannot reverse dropTable\('users'\): the table definition is not known/],
    ['dropColumn without its definition', () => op.dropColumn('users', 'age'), /cannot reverse dropColumn\('users', 'age'\)/],
    ['dropIndex without its definition', () => op.dropIndex('ix', 't'), /the index definition is not known/],
    ['dropIndex without its table', () => new DropIndexOp({ name: 'ix', existing: { name: 'ix', columns: ['a'] } }), /the table is not known/],
    ['dropConstraint without its definition', () => op.dropConstraint('uq', 't', { type: 'unique' }), /the constraint definition is not known/],
    ['dropTableComment without existingComment', () => op.dropTableComment('t'), /existingComment was not given/],
    ['dropEnum without values', () => op.dropEnum('e'), /its values are not known/],
    ['addEnumValue', () => op.addEnumValue('e', 'x'), /PostgreSQL cannot remove a value/],
    ['execute', () => op.execute('SELECT 1'), /arbitrary SQL/],
    ['bulkInsert', () => op.bulkInsert('t', [{ a: 1 }]), /inserted rows are not tracked/],
    ['an unnamed constraint', () => op.createUniqueConstraint(null, 't', ['a']), /has no name/],
    ['alterColumn type without existingType', () => op.alterColumn('t', 'a', { type: text() }), /changes the type without existingType/],
    ['alterColumn nullable without existingNullable', () => op.alterColumn('t', 'a', { nullable: false }), /without existingNullable/],
    ['alterColumn default without existingServerDefault', () => op.alterColumn('t', 'a', { serverDefault: 1 }), /without existingServerDefault/],
    ['alterColumn comment without existingComment', () => op.alterColumn('t', 'a', { comment: 'x' }), /without existingComment/],
  ] as const)('%s', (_, build, message) => {
    const operation = build()
    expect(() => operation.reverse()).toThrow(IrreversibleOperationError)
    expect(() => operation.reverse()).toThrow(message)
  })

  test('the error is a CommandError with a hint', () => {
    try {
      op.execute('SELECT 1').reverse()
    } catch (error) {
      expect(error).toMatchObject({ code: 'command.irreversible_operation', exitCode: 1, hint: 'write the downgrade by hand' })
    }
    expect.assertions(1)
  })
})

test('a createTable from a MetaData table keeps its resolved names through reverse()', () => {
  const create = new CreateTableOp({ table: posts.toSpec() })
  const drop = create.reverse()
  expect(drop).toMatchObject({ name: 'posts', schema: 'blog' })
  expect(drop.existing?.foreignKeys[0]?.name).toBe('fk_posts_author_id_users')
  expect(drop.reverse()).toStrictEqual(create)
})
