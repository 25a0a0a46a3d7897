/**
 * End-to-end, what MariaDB/MySQL keep their own way, each case a failure before its fix.
 *
 * Checks written in a column's definition (`qty INT CHECK (qty >= 0)`), as
 * hand-written schemas have them. The server keeps such a check apart (LEVEL Column, named after
 * the column): it drops it whenever MODIFY restates the column without it, and cannot drop it by
 * name. Adopted through `introspect`, a revision changing the column keeps the check where it is,
 * one removing or changing the check drops it with a MODIFY, and the downgrade gives every check
 * back as it was (read from the catalog: name, level and condition), rows kept.
 *
 * An AUTO_INCREMENT column must lead some key at every moment: a revision moving it from one key to
 * another drops the old and adds the new one in one statement (dropped first, it failed with
 * ER_WRONG_AUTO_KEY).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { removeScratchDirs } from '../support/cli.js'
import { adoptedProject, editFile as edit, modelsProject } from '../support/autogenerate.js'
import { describeOnServer } from '../support/introspection.js'
import { query, queryAll } from '../support/inspect.js'
import { createTestDatabase } from '../support/databases.js'
import { expectExit } from '../support/runtime.js'

afterAll(removeScratchDirs)

const CHECKS = 'SELECT CONSTRAINT_NAME AS name, LEVEL AS level, CHECK_CLAUSE AS clause FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = database() ORDER BY 1'

describeOnServer('mysql', 'checks of a column definition (MariaDB)', ({ url }) => {
  it('are kept through a MODIFY of their column, dropped and changed by a MODIFY, and given back by the downgrade', async () => {
    await queryAll('mysql', url(), [
      `CREATE TABLE stock (
         id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
         qty INT NOT NULL DEFAULT 0 COMMENT 'units' CHECK (qty >= 0),
         price DECIMAL(10, 2) CHECK (price > 0),
         code VARCHAR(10) CHECK (code <> ''),
         note VARCHAR(20) CHECK (note <> 'x'),
         CONSTRAINT ck_stock_qty CHECK (qty < 1000)
       )`,
      "INSERT INTO stock (qty, price, code, note) VALUES (1, 2.50, 'a', 'n')",
    ])
    const original = await query('mysql', url(), CHECKS)
    expect(original).toEqual([
      { name: 'ck_stock_qty', level: 'Table', clause: '`qty` < 1000' },
      { name: 'code', level: 'Column', clause: "`code` <> ''" },
      { name: 'note', level: 'Column', clause: "`note` <> 'x'" },
      { name: 'price', level: 'Column', clause: '`price` > 0' },
      { name: 'qty', level: 'Column', clause: '`qty` >= 0' },
    ])

    const project = await adoptedProject(url())
    expectExit(await project.run(['check']), 0, ['check'])
    const models = project.modelsFile
    edit(models, "qty: integer().notNull().default(0).comment('units')", "qty: bigint().notNull().default(0).comment('units')")
    edit(models, 'import { MetaData,', 'import { MetaData, bigint,')
    edit(models, "    check('price', sql`price > 0`),\n", '')
    edit(models, "check('code', sql`code <> ''`)", "check('code', sql`code <> '-'`)")
    edit(models, '  note: varchar(20),\n', '')
    edit(models, "    check('note', sql`note <> 'x'`),\n", '')
    const { file, result } = await project.autogenerate('change')
    expect(result.stderr).toContain("Detected removed check constraint 'price' on 'stock': price > 0")
    expect(result.stderr).toContain("Detected changed check constraint 'code' on 'stock': code <> '' -> code <> '-'")
    const [upgrade, downgrade] = fs.readFileSync(file, 'utf8').split('export async function downgrade')
    // No DROP CONSTRAINT of a column's check (the server has none by that name): a MODIFY without it.
    expect(upgrade).not.toContain('dropConstraint(')
    expect(upgrade).toContain("await op.alterColumn('stock', 'price', { columnCheck: null,")
    expect(downgrade).toContain("await op.alterColumn('stock', 'price', { columnCheck: sql`price > 0`,")

    await project.ok(['upgrade', 'head'])
    expectExit(await project.run(['check']), 0, ['check'])
    expect(await query('mysql', url(), CHECKS)).toEqual([
      { name: 'ck_stock_qty', level: 'Table', clause: '`qty` < 1000' },
      { name: 'code', level: 'Table', clause: "`code` <> '-'" },
      { name: 'qty', level: 'Column', clause: '`qty` >= 0' },
    ])
    expect(await query('mysql', url(), "SELECT DATA_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = database() AND TABLE_NAME = 'stock' AND COLUMN_NAME = 'qty'")).toEqual([{ t: 'bigint' }])
    // Still enforced after the type change.
    await expect(queryAll('mysql', url(), ['INSERT INTO stock (qty) VALUES (-1)'])).rejects.toThrow(/CONSTRAINT `stock.qty` failed/)

    await project.ok(['downgrade', '-1'])
    expect(await query('mysql', url(), CHECKS)).toEqual(original)
    expect(await query('mysql', url(), 'SELECT id, qty, price, code FROM stock')).toEqual([{ id: 1, qty: 1, price: '2.50', code: 'a' }])
    await project.ok(['upgrade', 'head'])
    await project.ok(['downgrade', 'base'])
    expect(await query('mysql', url(), CHECKS)).toEqual(original)
  })
})

describeOnServer('mysql', 'an AUTO_INCREMENT column moved from key to key', ({ url }) => {
  it('changes keys in one statement each way, so the column always leads one', async () => {
    const project = modelsProject(url())
    const models = (keys: string): void =>
      project.models(`import { MetaData, index, integer, unique, varchar } from 'migrator'
export const metadata = new MetaData()
metadata.table('t', { id: integer().autoincrement().notNull(), code: varchar(10).primaryKey() }, { ${keys} })
`)
    const keysOf = async (): Promise<unknown[]> =>
      query('mysql', url(), "SELECT INDEX_NAME AS k, group_concat(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS c, min(NON_UNIQUE) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = database() AND TABLE_NAME = 't' GROUP BY INDEX_NAME ORDER BY 1")
    models("indexes: [index('ix_id').on('id')]")
    await project.autogenerate('first')
    await project.ok(['upgrade', 'head'])
    await queryAll('mysql', url(), ["INSERT INTO t (code) VALUES ('a')"])
    const first = await keysOf()
    expect(first).toEqual([{ k: 'ix_id', c: 'id', n: 1 }, { k: 'PRIMARY', c: 'code', n: 0 }])
    // Another key of another kind, then the same key with another column.
    for (const [message, keys, after] of [
      ['to unique', "uniques: [unique('uq_id').on('id')]", [{ k: 'PRIMARY', c: 'code', n: 0 }, { k: 'uq_id', c: 'id', n: 0 }]],
      ['wider', "indexes: [index('ix_id').on('id', 'code')]", [{ k: 'ix_id', c: 'id,code', n: 1 }, { k: 'PRIMARY', c: 'code', n: 0 }]],
    ] as const) {
      models(keys)
      await project.autogenerate(message)
      await project.ok(['upgrade', 'head'])
      expectExit(await project.run(['check']), 0, ['check'])
      expect(await keysOf()).toEqual(after)
      await project.ok(['downgrade', '-1'])
      expect(await keysOf()).toEqual(first)
      await project.ok(['upgrade', 'head'])
      await project.ok(['downgrade', '-1'])
      fs.rmSync(path.join(project.versions, fs.readdirSync(project.versions).find((f) => f.endsWith(`_${message.replace(' ', '_')}.ts`))!))
    }
    await queryAll('mysql', url(), ["INSERT INTO t (code) VALUES ('b')"])
    expect(await query('mysql', url(), 'SELECT id, code FROM t ORDER BY id')).toEqual([{ id: 1, code: 'a' }, { id: 2, code: 'b' }])
    await project.ok(['downgrade', 'base'])
  })
})

describeOnServer('mysql', 'a default calling a sequence (MariaDB)', ({ url }) => {
  it('is adopted without the database name, so the schema rebuilt in another database uses its own sequence', async () => {
    const version = String((await query('mysql', url(), 'SELECT VERSION() AS v'))[0]!['v'])
    if (!/mariadb/i.test(version)) return // MySQL has no sequences
    await queryAll('mysql', url(), [
      'CREATE SEQUENCE order_numbers START WITH 100',
      'CREATE TABLE orders (id INT PRIMARY KEY DEFAULT nextval(order_numbers), previous INT DEFAULT (previous value for order_numbers))',
    ])
    const adopted = await adoptedProject(url())
    const models = fs.readFileSync(adopted.modelsFile, 'utf8')
    expect(models).toContain('.default(sql`nextval(order_numbers)`)')
    expect(models).toContain('.default(sql`lastval(order_numbers)`)')
    expectExit(await adopted.run(['check']), 0, ['check'])

    const other = await createTestDatabase('mysql')
    try {
      await queryAll('mysql', other!.url, ['CREATE SEQUENCE order_numbers START WITH 500'])
      const rebuilt = modelsProject(other!.url)
      rebuilt.models(models)
      await rebuilt.autogenerate('schema')
      await rebuilt.ok(['upgrade', 'head'])
      expectExit(await rebuilt.run(['check']), 0, ['check'])
      await queryAll('mysql', other!.url, ['INSERT INTO orders () VALUES ()'])
      expect(await query('mysql', other!.url, 'SELECT id FROM orders')).toEqual([{ id: 500 }])
      await rebuilt.ok(['downgrade', 'base'])
    } finally {
      await other?.drop()
    }
  })
})
