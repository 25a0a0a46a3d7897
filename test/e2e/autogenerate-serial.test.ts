/**
 * End-to-end, through the CLI, PostgreSQL: `serial` columns of an adopted schema. They read as
 * `autoincrement()`, like identity columns, and `check` finds nothing; the changes people then make
 * go up and down: INTEGER made BIGINT takes the sequence along (PostgreSQL leaves a serial's
 * sequence at INTEGER, which would stop it at 2^31 − 1), `autoincrement()` removed drops the
 * default and the sequence (DROP IDENTITY failed: not an identity column), identity options given
 * make it an identity column (numbering on from where the sequence was). A downgrade leaves an
 * identity column, on which the upgrade runs again. Rows and their numbering are kept throughout.
 */
import fs from 'node:fs'
import { afterAll, expect, it } from 'vitest'
import { removeScratchDirs } from '../support/cli.js'
import { adoptedProject, editFile } from '../support/autogenerate.js'
import { query, queryAll } from '../support/inspect.js'
import { describeDialects, expectExit } from '../support/runtime.js'

afterAll(removeScratchDirs)

/** The id column: its type, identity kind ('' for none), the type of the sequence it owns (null: none) and its default. */
async function idColumn(url: string): Promise<{ type: string; identity: string; sequence: string | null; default: string | null }> {
  const [row] = await query(
    'postgresql',
    url,
    `SELECT format_type(a.atttypid, a.atttypmod) AS type, a.attidentity AS identity, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default,
       (SELECT format_type(s.seqtypid, NULL) FROM pg_catalog.pg_sequence s WHERE s.seqrelid = pg_catalog.pg_get_serial_sequence('items', 'id')::regclass) AS sequence
     FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attrelid = 'items'::regclass AND a.attname = 'id'`,
  )
  return { type: String(row!['type']), identity: String(row!['identity']), sequence: (row!['sequence'] as string | null) ?? null, default: (row!['default'] as string | null) ?? null }
}

/** Inserts a row and gives the id it got. */
async function insert(url: string, name: string): Promise<number> {
  const [row] = await query('postgresql', url, `INSERT INTO items (name) VALUES ('${name}') RETURNING id`)
  return Number(row!['id'])
}

describeDialects('adopted serial columns', ({ dialect, url }) => {
  it.skipIf(dialect !== 'postgresql')('a serial adopted as autoincrement(): made BIGINT, made plain, given identity options, each up and down with its numbering', async () => {
    await queryAll(dialect, url(), ['CREATE TABLE items (id serial PRIMARY KEY, name text)', "INSERT INTO items (name) VALUES ('a'), ('b')"])
    const project = await adoptedProject(url())
    const models = project.modelsFile
    expect(fs.readFileSync(models, 'utf8')).toContain('id: integer().primaryKey().autoincrement(),')
    expectExit(await project.run(['check']), 0, ['check'])
    const serial = { type: 'integer', identity: '', sequence: 'integer', default: "nextval('items_id_seq'::regclass)" }
    expect(await idColumn(url())).toEqual(serial)

    // INTEGER → BIGINT: the sequence too, and back.
    editFile(models, 'id: integer()', 'id: bigint()')
    editFile(models, 'import { MetaData, integer,', 'import { MetaData, bigint, integer,')
    const big = await project.autogenerate('bigint')
    await project.ok(['upgrade', 'head'])
    expect(await idColumn(url())).toEqual({ ...serial, type: 'bigint', sequence: 'bigint' })
    expectExit(await project.run(['check']), 0, ['check'])
    expect(await insert(url(), 'c')).toBe(3)
    await project.ok(['downgrade', 'base'])
    expect(await idColumn(url())).toEqual(serial)
    expect(await insert(url(), 'd')).toBe(4)
    fs.rmSync(big.file)

    // autoincrement() removed: no default, no sequence; the downgrade numbers on from the largest id
    // (an identity column now); the upgrade runs again on that.
    editFile(models, 'id: bigint().primaryKey().autoincrement()', 'id: integer().primaryKey()')
    const plain = await project.autogenerate('plain')
    await project.ok(['upgrade', 'head'])
    expect(await idColumn(url())).toEqual({ type: 'integer', identity: '', sequence: null, default: null })
    expectExit(await project.run(['check']), 0, ['check'])
    await project.ok(['downgrade', 'base'])
    expect((await idColumn(url())).identity).toBe('d')
    expect(await insert(url(), 'e')).toBe(5)
    expect((await query(dialect, url(), 'SELECT count(*) AS n FROM items'))[0]!['n']).toBe('5')
    await project.ok(['upgrade', 'head'])
    expect(await idColumn(url())).toEqual({ type: 'integer', identity: '', sequence: null, default: null })
    await project.ok(['downgrade', 'base'])
    fs.rmSync(plain.file)
  })

  it.skipIf(dialect !== 'postgresql')('a serial whose sequence another default uses keeps the sequence, disowned', async () => {
    await queryAll(dialect, url(), [
      'DROP TABLE IF EXISTS items',
      'DROP TABLE IF EXISTS migrator_version',
      'CREATE TABLE items (id serial PRIMARY KEY, name text)',
      "CREATE TABLE other (n integer NOT NULL DEFAULT nextval('items_id_seq'))",
    ])
    const project = await adoptedProject(url())
    editFile(project.modelsFile, 'id: integer().primaryKey().autoincrement()', 'id: integer().primaryKey()')
    await project.autogenerate('plain')
    await project.ok(['upgrade', 'head'])
    expect(await idColumn(url())).toEqual({ type: 'integer', identity: '', sequence: null, default: null })
    expect((await query(dialect, url(), 'INSERT INTO other DEFAULT VALUES RETURNING n'))[0]!['n']).toBe(1)
    await project.ok(['downgrade', 'base'])
    await queryAll(dialect, url(), ['DROP TABLE other'])
  })

  it.skipIf(dialect !== 'postgresql')('a serial given identity options becomes an identity column with them, numbering on from its sequence', async () => {
    await queryAll(dialect, url(), [
      'DROP TABLE IF EXISTS items',
      'DROP TABLE IF EXISTS migrator_version',
      'CREATE TABLE items (id serial PRIMARY KEY, name text)',
      "INSERT INTO items (name) SELECT 'n' || g FROM generate_series(1, 10) g",
      // The sequence stands at 10; the largest id left is 5: 6 must not be given again.
      'DELETE FROM items WHERE id > 5',
    ])
    const project = await adoptedProject(url())
    editFile(project.modelsFile, 'id: integer().primaryKey().autoincrement()', 'id: integer().primaryKey().identity({ always: true })')
    await project.autogenerate('options')
    await project.ok(['upgrade', 'head'])
    expect(await idColumn(url())).toMatchObject({ identity: 'a', sequence: 'integer', default: null })
    expectExit(await project.run(['check']), 0, ['check'])
    expect(await insert(url(), 'c')).toBe(11)
    await project.ok(['downgrade', 'base'])
    expect((await idColumn(url())).identity).toBe('d')
    expect(await insert(url(), 'd')).toBe(12)
    // Again, on the identity column the downgrade left.
    await project.ok(['upgrade', 'head'])
    expect((await idColumn(url())).identity).toBe('a')
    expect(await insert(url(), 'e')).toBe(13)
    await project.ok(['downgrade', 'base'])
  })
})
