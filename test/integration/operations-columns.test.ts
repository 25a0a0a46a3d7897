/**
 * Live tests of the column, index and constraint directives, read back from the catalog, each with
 * its reverse() round trip (apply, reverse, the catalog is what it was). On SQLite the changes it
 * cannot make in place go through copy-and-move, and the rows are checked to survive.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { bigint, boolean, index, integer, MissingHintError, OperationFactory, sql, text, varchar, type Operation } from '../../src/index.js'
import { CommandError } from '../../src/errors.js'
import { column, openOperations, readCatalog, readTable, type Catalog, type LiveOperations } from '../support/catalog.js'
import { describeEachDialect } from '../support/databases.js'

const factory = new OperationFactory()

describeEachDialect('operations: columns, indexes, constraints', ({ dialect, url }) => {
  let live: LiveOperations
  const catalog = () => readCatalog(dialect, live.query)
  const table = (name: string) => readTable(dialect, live.query, name)
  const rows = (sqlText: string) => live.query(sqlText)

  /** Applies `operation`, checks `changed`, applies its reverse, and expects the catalog as before. */
  async function roundTrip(operation: Operation, changed: (after: Catalog) => void | Promise<void>): Promise<void> {
    const before = await catalog()
    await live.op.invoke(operation)
    const after = await catalog()
    expect(after).not.toEqual(before)
    await changed(after)
    await live.op.invoke(operation.reverse())
    expect(await catalog()).toEqual(before)
  }

  /** A table with a few rows, to see that changes keep them. */
  async function tableWithRows(name: string): Promise<void> {
    await live.op.createTable(name, {
      id: integer().primaryKey(),
      code: varchar(10).notNull(),
      amount: integer(),
      note: varchar(50).default('none'),
    }, { indexes: [index(`ix_${name}_amount`).on('amount')] })
    await live.op.bulkInsert(name, [
      { id: 1, code: '1', amount: 10, note: 'first' },
      { id: 2, code: '2', amount: null, note: "it's" },
      { id: 3, code: '3', amount: 30 },
    ])
  }

  beforeAll(async () => {
    live = await openOperations(url())
  })
  afterAll(async () => {
    await live?.close()
  })

  it('addColumn: nullable, NOT NULL with a default, and with its own foreign key, unique and index; dropColumn', async () => {
    await tableWithRows('add_cols')
    await live.op.createTable('add_cols_parent', { id: integer().primaryKey() })
    await live.op.bulkInsert('add_cols_parent', [{ id: 1 }])
    await live.op.addColumn('add_cols', 'plain', varchar(20))
    await live.op.addColumn('add_cols', 'flag', boolean().notNull().default(false))
    await live.op.addColumn('add_cols', 'parent_id', integer().references('add_cols_parent.id', { name: 'fk_add_cols_parent', onDelete: 'set null' }))
    await live.op.addColumn('add_cols', 'serial_no', varchar(20).unique('uq_add_cols_serial_no'))
    await live.op.addColumn('add_cols', 'indexed', integer().index())
    const info = await table('add_cols')
    expect(info.columns.map((c) => c.name)).toEqual(['id', 'code', 'amount', 'note', 'plain', 'flag', 'parent_id', 'serial_no', 'indexed'])
    expect(column(info, 'flag').nullable).toBe(false)
    expect(info.foreignKeys.map((fk) => [fk.columns, fk.referredTable, fk.onDelete])).toEqual([[['parent_id'], 'add_cols_parent', 'SET NULL']])
    expect(info.uniques['uq_add_cols_serial_no']).toEqual(['serial_no'])
    expect(info.indexes['ix_add_cols_indexed']).toMatchObject({ columns: ['indexed'] })
    expect(await rows('SELECT id, code, flag FROM add_cols ORDER BY id')).toEqual([
      { id: 1, code: '1', flag: dialect === 'postgresql' ? false : 0 },
      { id: 2, code: '2', flag: dialect === 'postgresql' ? false : 0 },
      { id: 3, code: '3', flag: dialect === 'postgresql' ? false : 0 },
    ])
    await live.op.dropColumn('add_cols', 'plain')
    // Columns with an index, a unique constraint or a foreign key (SQLite: rebuilt without them).
    await live.op.dropColumn('add_cols', 'indexed')
    if (dialect === 'mysql') await live.op.dropConstraint('fk_add_cols_parent', 'add_cols', { type: 'foreignkey' })
    await live.op.dropColumn('add_cols', 'parent_id')
    await live.op.dropColumn('add_cols', 'serial_no')
    const after = await table('add_cols')
    expect(after.columns.map((c) => c.name)).toEqual(['id', 'code', 'amount', 'note', 'flag'])
    expect(after.foreignKeys).toEqual([])
    expect(await rows('SELECT id, code, amount, note FROM add_cols ORDER BY id')).toEqual([
      { id: 1, code: '1', amount: 10, note: 'first' },
      { id: 2, code: '2', amount: null, note: "it's" },
      { id: 3, code: '3', amount: 30, note: 'none' },
    ])
  })

  it('addColumn reverses to a dropColumn that leaves the catalog as it was', async () => {
    await tableWithRows('add_rt')
    await roundTrip(factory.addColumn('add_rt', 'extra', integer().notNull().default(5)), async () => {
      expect(await rows('SELECT extra FROM add_rt ORDER BY id')).toEqual([{ extra: 5 }, { extra: 5 }, { extra: 5 }])
    })
    await roundTrip(factory.addColumn('add_rt', 'extra', varchar(10).index('ix_add_rt_extra')), (after) => {
      expect(after.tables['add_rt']!.indexes['ix_add_rt_extra']).toBeDefined()
    })
    expect(await rows('SELECT id, code FROM add_rt ORDER BY id')).toEqual([{ id: 1, code: '1' }, { id: 2, code: '2' }, { id: 3, code: '3' }])
  })

  it('alterColumn: type, nullability, default, rename and comment, each reversible; rows kept', async () => {
    await tableWithRows('alter_me')
    const existing = { existingNullable: true, existingServerDefault: null, existingComment: null } as const
    // Type: integer → bigint.
    await roundTrip(factory.alterColumn('alter_me', 'amount', { type: bigint(), existingType: integer(), ...existing }), (after) => {
      expect(column(after.tables['alter_me']!, 'amount').type).toMatch(/^(bigint|bigint\(20\)|BIGINT)$/)
    })
    // Type with a conversion: varchar → integer (PostgreSQL USING).
    await roundTrip(
      factory.alterColumn('alter_me', 'code', {
        type: integer(),
        existingType: varchar(10),
        existingNullable: false,
        existingServerDefault: null,
        existingComment: null,
        ...(dialect === 'postgresql' ? { using: sql`code::integer` } : {}),
      }),
      (after) => expect(column(after.tables['alter_me']!, 'code').type).toMatch(/^(integer|int(\(11\))?|INTEGER)$/),
    )
    // Nullability.
    await live.op.execute('UPDATE alter_me SET amount = 0 WHERE amount IS NULL')
    await roundTrip(factory.alterColumn('alter_me', 'amount', { nullable: false, existingType: integer(), existingServerDefault: null, existingComment: null, existingNullable: true }), (after) => {
      expect(column(after.tables['alter_me']!, 'amount').nullable).toBe(false)
    })
    // Default: change it, drop it.
    await roundTrip(factory.alterColumn('alter_me', 'note', { serverDefault: "it's new", existingServerDefault: 'none', existingType: varchar(50), existingNullable: true, existingComment: null }), async () => {
      await live.op.bulkInsert('alter_me', [{ id: 10, code: '10' }])
      expect(await rows('SELECT note FROM alter_me WHERE id = 10')).toEqual([{ note: "it's new" }])
      await live.op.execute('DELETE FROM alter_me WHERE id = 10')
    })
    await roundTrip(factory.alterColumn('alter_me', 'note', { serverDefault: null, existingServerDefault: 'none', existingType: varchar(50), existingNullable: true, existingComment: null }), (after) => {
      expect(column(after.tables['alter_me']!, 'note').default).toBeNull()
    })
    // Rename (the index on it follows).
    await roundTrip(factory.alterColumn('alter_me', 'amount', { newColumnName: 'total' }), (after) => {
      const info = after.tables['alter_me']!
      expect(info.columns.map((c) => c.name)).toEqual(['id', 'code', 'total', 'note'])
      expect(info.indexes['ix_alter_me_amount']?.columns).toEqual(['total'])
    })
    // Comment (SQLite has none: the catalog does not change, and nothing runs).
    if (dialect !== 'sqlite') {
      await roundTrip(factory.alterColumn('alter_me', 'note', { comment: "the note's comment", existingComment: null, existingType: varchar(50), existingNullable: true, existingServerDefault: 'none' }), (after) => {
        expect(column(after.tables['alter_me']!, 'note').comment).toBe("the note's comment")
      })
    }
    // Several changes at once, rename included (MySQL CHANGE COLUMN).
    await roundTrip(
      factory.alterColumn('alter_me', 'note', {
        newColumnName: 'remark',
        type: varchar(80),
        nullable: false,
        existingType: varchar(50),
        existingNullable: true,
        existingServerDefault: 'none',
        existingComment: null,
      }),
      (after) => expect(column(after.tables['alter_me']!, 'remark')).toMatchObject({ nullable: false }),
    )
    expect(await rows('SELECT id, code, amount, note FROM alter_me ORDER BY id')).toEqual([
      { id: 1, code: '1', amount: 10, note: 'first' },
      { id: 2, code: '2', amount: 0, note: "it's" },
      { id: 3, code: '3', amount: 30, note: 'none' },
    ])
  })

  it('alterColumn on MySQL needs the existing* hints to restate the column, and says which', async () => {
    await live.op.createTable('hints', { id: integer().primaryKey(), name: varchar(20).default('x').comment('kept') })
    const change = live.op.alterColumn('hints', 'name', { type: varchar(40) })
    if (dialect !== 'mysql') {
      // Other databases change one thing at a time and need no hints.
      await change
      return
    }
    await expect(change).rejects.toThrow(MissingHintError)
    await expect(live.op.alterColumn('hints', 'name', { type: varchar(40) })).rejects.toThrow(/existingNullable/)
    await expect(live.op.alterColumn('hints', 'name', { type: varchar(40), existingNullable: true })).rejects.toThrow(/existingServerDefault/)
    await expect(live.op.alterColumn('hints', 'name', { type: varchar(40), existingNullable: true, existingServerDefault: 'x' })).rejects.toThrow(/existingComment/)
    await live.op.alterColumn('hints', 'name', { type: varchar(40), existingNullable: true, existingServerDefault: 'x', existingComment: 'kept' })
    expect(column(await table('hints'), 'name')).toMatchObject({ type: 'varchar(40)', default: expect.stringMatching(/^'?x'?$/), comment: 'kept', nullable: true })
    // A default or a rename alone needs no hint.
    await live.op.alterColumn('hints', 'name', { serverDefault: 'y' })
    await live.op.alterColumn('hints', 'name', { newColumnName: 'label' })
    expect(column(await table('hints'), 'label')).toMatchObject({ type: 'varchar(40)', default: expect.stringMatching(/^'?y'?$/), comment: 'kept' })
  })

  it('createIndex / dropIndex: plain, unique, composite, partial, expression, method; each reversible', async () => {
    await tableWithRows('indexed')
    await roundTrip(factory.createIndex('ix_indexed_code_note', 'indexed', ['code', 'note'], { unique: true }), (after) => {
      const info = after.tables['indexed']!
      const found = dialect === 'mysql' ? { unique: true, columns: info.uniques['ix_indexed_code_note'] } : info.indexes['ix_indexed_code_note']
      expect(found).toMatchObject({ unique: true, columns: ['code', 'note'] })
    })
    if (dialect !== 'mysql') {
      await roundTrip(factory.createIndex('ix_indexed_partial', 'indexed', ['amount'], { where: sql`amount > ${5}` }), (after) => {
        expect(after.tables['indexed']!.indexes['ix_indexed_partial']!.where).toMatch(/amount > 5/)
      })
      await roundTrip(factory.createIndex('ix_indexed_lower', 'indexed', [sql`lower(note)`]), (after) => {
        expect(after.tables['indexed']!.indexes['ix_indexed_lower']).toBeDefined()
      })
    }
    await roundTrip(factory.createIndex('ix_indexed_method', 'indexed', ['id', 'amount'], { using: dialect === 'mysql' ? 'BTREE' : 'hash' }), (after) => {
      const ix = after.tables['indexed']!.indexes['ix_indexed_method']
      expect(ix?.columns).toEqual(dialect === 'postgresql' ? ['id', 'amount'] : ['id', 'amount'])
    }).catch(async (error: unknown) => {
      // PostgreSQL hash indexes take one column: use one.
      if (dialect !== 'postgresql') throw error
      await roundTrip(factory.createIndex('ix_indexed_method', 'indexed', ['amount'], { using: 'hash' }), (after) => {
        expect(after.tables['indexed']!.indexes['ix_indexed_method']!.method).toBe('hash')
      })
    })
    await live.op.dropIndex('ix_indexed_amount', 'indexed')
    expect((await table('indexed')).indexes['ix_indexed_amount']).toBeUndefined()
    await expect(live.op.createIndex('ix_indexed_dupe', 'indexed', ['code'], { unique: true })).resolves.toBeUndefined()
    await expect(live.op.bulkInsert('indexed', [{ id: 9, code: '1' }])).rejects.toThrow()
  })

  it('CREATE INDEX CONCURRENTLY (PostgreSQL) is refused inside a transactional revision, works outside one', async () => {
    await live.op.createTable('conc', { id: integer().primaryKey(), v: integer() })
    const inTransaction = await openOperations(url(), { transactional: true })
    try {
      const attempt = inTransaction.op.createIndex('ix_conc_v', 'conc', ['v'], { concurrently: true })
      if (dialect !== 'postgresql') {
        await attempt // ignored elsewhere
        await inTransaction.op.dropIndex('ix_conc_v', 'conc', { concurrently: true })
        return
      }
      await expect(attempt).rejects.toThrow(CommandError)
      await expect(inTransaction.op.createIndex('ix_conc_v', 'conc', ['v'], { concurrently: true })).rejects.toThrow(/transactional = false/)
      await expect(inTransaction.op.dropIndex('ix_conc_v', undefined, { concurrently: true })).rejects.toThrow(/cannot run inside a transaction/)
      // Inside autocommitBlock it is allowed (the runner commits around the block).
      await inTransaction.op.autocommitBlock(() => inTransaction.op.createIndex('ix_conc_v', 'conc', ['v'], { concurrently: true }))
    } finally {
      await inTransaction.close()
    }
    expect((await table('conc')).indexes['ix_conc_v']).toBeDefined()
    await live.op.dropIndex('ix_conc_v', undefined, { concurrently: true })
    await live.op.createIndex('ix_conc_v2', 'conc', ['v'], { concurrently: true, unique: true })
    expect((await table('conc')).indexes['ix_conc_v2']).toMatchObject({ unique: true })
  })

  it('unique, foreign key, check and primary key constraints: create and drop, each reversible; rows kept', async () => {
    await live.op.createTable('c_parent', { id: integer().primaryKey(), org: integer().notNull() }, { indexes: [index('ix_c_parent_id_org').on('id', 'org').unique()] })
    await live.op.bulkInsert('c_parent', [{ id: 1, org: 1 }, { id: 2, org: 1 }])
    await live.op.createTable('c_child', { id: integer().notNull(), parent_id: integer(), org: integer(), code: varchar(10), qty: integer() }, {
      indexes: [index('ix_c_child_parent').on('parent_id', 'org')],
    })
    await live.op.bulkInsert('c_child', [{ id: 1, parent_id: 1, org: 1, code: 'a', qty: 1 }, { id: 2, parent_id: 2, org: 1, code: 'b', qty: 2 }])

    await roundTrip(factory.createUniqueConstraint('uq_c_child_code', 'c_child', ['code']), (after) => {
      expect(after.tables['c_child']!.uniques['uq_c_child_code']).toEqual(['code'])
    })
    await roundTrip(factory.createForeignKey('fk_c_child_parent', 'c_child', 'c_parent', ['parent_id'], ['id'], { onDelete: 'cascade' }), (after) => {
      expect(after.tables['c_child']!.foreignKeys).toMatchObject([{ columns: ['parent_id'], referredTable: 'c_parent', onDelete: 'CASCADE' }])
    })
    await roundTrip(factory.createForeignKey('fk_c_child_parent_org', 'c_child', 'c_parent', ['parent_id', 'org'], ['id', 'org'], { onUpdate: 'cascade' }), (after) => {
      expect(after.tables['c_child']!.foreignKeys).toMatchObject([{ columns: ['parent_id', 'org'], referredColumns: ['id', 'org'], onUpdate: 'CASCADE' }])
    })
    await roundTrip(factory.createCheckConstraint('ck_c_child_qty', 'c_child', sql`qty > ${0}`), (after) => {
      expect(Object.keys(after.tables['c_child']!.checks)).toContain('ck_c_child_qty')
    })
    await roundTrip(factory.createPrimaryKey('pk_c_child', 'c_child', ['id']), (after) => {
      expect(after.tables['c_child']!.primaryKey).toEqual(['id'])
    })
    // The constraints hold.
    await live.op.createCheckConstraint('ck_c_child_qty', 'c_child', 'qty > 0')
    await expect(live.op.bulkInsert('c_child', [{ id: 3, qty: -1 }])).rejects.toThrow()
    await live.op.dropConstraint('ck_c_child_qty', 'c_child', { type: 'check' })
    await live.op.bulkInsert('c_child', [{ id: 3, qty: -1 }])
    expect(await rows('SELECT id, parent_id, code, qty FROM c_child ORDER BY id')).toEqual([
      { id: 1, parent_id: 1, code: 'a', qty: 1 },
      { id: 2, parent_id: 2, code: 'b', qty: 2 },
      { id: 3, parent_id: null, code: null, qty: -1 },
    ])
  })

  it('dropConstraint on MySQL needs the kind of constraint', async () => {
    await live.op.createTable('kinds', { id: integer().primaryKey(), v: integer() }, {})
    await live.op.createUniqueConstraint('uq_kinds_v', 'kinds', ['v'])
    if (dialect === 'mysql') {
      await expect(live.op.dropConstraint('uq_kinds_v', 'kinds')).rejects.toThrow(MissingHintError)
      await live.op.dropConstraint('uq_kinds_v', 'kinds', { type: 'unique' })
    } else {
      await live.op.dropConstraint('uq_kinds_v', 'kinds')
    }
    expect((await table('kinds')).uniques).toEqual({})
  })

  it('batchAlterTable: several changes to one table at once (SQLite: one rebuild), rows kept', async () => {
    await tableWithRows('batched')
    await live.op.batchAlterTable('batched', (batch) => {
      batch.addColumn('added', text())
      batch.alterColumn('code', { newColumnName: 'ref', type: varchar(20), existingType: varchar(10), existingNullable: false, existingServerDefault: null, existingComment: null })
      batch.alterColumn('note', { nullable: false, existingType: varchar(50), existingNullable: true, existingServerDefault: 'none', existingComment: null })
      batch.createUniqueConstraint('uq_batched_ref', ['ref'])
      batch.createCheckConstraint('ck_batched_amount', 'amount >= 0')
      batch.dropIndex('ix_batched_amount')
      batch.createIndex('ix_batched_ref_amount', ['ref', 'amount'])
    })
    const info = await table('batched')
    expect(info.columns.map((c) => c.name)).toEqual(['id', 'ref', 'amount', 'note', 'added'])
    expect(column(info, 'note').nullable).toBe(false)
    expect(info.uniques['uq_batched_ref']).toEqual(['ref'])
    expect(Object.keys(info.checks)).toContain('ck_batched_amount')
    expect(Object.keys(info.indexes)).toEqual(['ix_batched_ref_amount'])
    expect(await rows('SELECT id, ref, amount, note FROM batched ORDER BY id')).toEqual([
      { id: 1, ref: '1', amount: 10, note: 'first' },
      { id: 2, ref: '2', amount: null, note: "it's" },
      { id: 3, ref: '3', amount: 30, note: 'none' },
    ])
  })
})
