/**
 * Offline `--sql` (DESIGN §7, §8) for every dialect: the script's transaction and version-table
 * statements, literal escaping, no connection and no password; then the script is run on the real
 * database and must leave exactly what an online upgrade leaves.
 */
import fs from 'node:fs'
import { beforeEach, expect, it } from 'vitest'
import type { RevisionSpec } from '../support/cli.js'
import type { TestDialect } from '../support/databases.js'
import { listTables, query, resetDatabase, runScript, versionRows } from '../support/inspect.js'
import { describeDialects, project, type Project } from '../support/runtime.js'

const O1 = 'd00000000001'
const O2 = 'd00000000002'
const O3 = 'd00000000003'
const BACKSLASH = 'back\\slash' // one backslash

/** A statement each database refuses inside a transaction (MySQL has none), and its undoing. */
const OUTSIDE_ONLY: Record<TestDialect, { up: string; down: string }> = {
  postgresql: { up: 'CREATE INDEX CONCURRENTLY ix_items_name ON items (name)', down: 'DROP INDEX ix_items_name' },
  sqlite: { up: 'VACUUM', down: 'VACUUM' },
  mysql: { up: 'CREATE INDEX ix_items_name ON items (name)', down: 'DROP INDEX ix_items_name ON items' },
}

/** items table; a revision outside the transaction; rows with literals that need escaping. */
function revisions(dialect: TestDialect): RevisionSpec[] {
  return [
    {
      id: O1,
      message: 'items',
      up: "await op.execute('CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(50))')",
      down_: "await op.execute('DROP TABLE items')",
    },
    {
      id: O2,
      down: O1,
      message: 'outside',
      transactional: false,
      up: `await op.execute('${OUTSIDE_ONLY[dialect].up}')`,
      down_: `await op.execute('${OUTSIDE_ONLY[dialect].down}')`,
    },
    {
      id: O3,
      down: O2,
      message: 'data',
      up: String.raw`await op.execute('INSERT INTO items (id, name) VALUES (1, :v)', { v: "it's" }); await op.execute('INSERT INTO items (id, name) VALUES (2, :w)', { w: 'back\\slash' })`,
      down_: "await op.execute('DELETE FROM items')",
    },
  ]
}

/** Where nothing listens: the command must not try to connect (and a password to keep secret). */
const OFFLINE_URL: Record<TestDialect, string> = {
  postgresql: 'postgresql://u:secret@127.0.0.1:1/db',
  mysql: 'mysql://u:secret@127.0.0.1:1/db',
  sqlite: 'sqlite:////nonexistent-migrator-dir/offline.db',
}

const q = (dialect: TestDialect, name: string) => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`)

describeDialects('runtime: offline --sql', ({ dialect, url }) => {
  beforeEach(() => resetDatabase(dialect, url()))

  const V = q(dialect, 'migrator_version')
  const N = q(dialect, 'version_num')
  const transactional = dialect !== 'mysql'

  /** Runs an offline command and checks what every offline run must satisfy. */
  async function offline(p: Project, args: string[]): Promise<string> {
    const started = performance.now()
    const result = await p.ok(args)
    expect(performance.now() - started).toBeLessThan(10_000) // no connect timeout was waited for
    expect(result.stdout + result.stderr).not.toContain('secret')
    if (transactional) {
      expect(result.stdout).toMatch(/^BEGIN( IMMEDIATE)?;$/m)
      expect(result.stdout).toMatch(/^COMMIT;$/m)
    } else {
      expect(result.stdout).not.toMatch(/^(BEGIN|START TRANSACTION|COMMIT)\b/im)
    }
    return result.stdout
  }

  it('upgrade/downgrade/stamp/ensure-version --sql write the full script without connecting', async () => {
    const p = project(OFFLINE_URL[dialect], revisions(dialect))

    const up = await offline(p, ['upgrade', '--sql', 'base:head'])
    expect(up).toContain(`CREATE TABLE IF NOT EXISTS ${V} (version_num VARCHAR(32) NOT NULL`)
    expect(up).toContain('CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(50));')
    expect(up).toContain(`INSERT INTO ${V} (${N}) VALUES ('${O1}');`)
    expect(up).toContain(`UPDATE ${V} SET ${N} = '${O2}' WHERE ${N} = '${O1}';`)
    expect(up).toContain(`UPDATE ${V} SET ${N} = '${O3}' WHERE ${N} = '${O2}';`)
    expect(up).toContain("INSERT INTO items (id, name) VALUES (1, 'it''s');")
    const backslashLiteral = { postgresql: String.raw`E'back\\slash'`, mysql: String.raw`'back\\slash'`, sqlite: String.raw`'back\slash'` }[dialect]
    expect(up).toContain(`INSERT INTO items (id, name) VALUES (2, ${backslashLiteral});`)
    // The version-table DDL comes before the first revision, inside the transaction.
    expect(up.indexOf('CREATE TABLE IF NOT EXISTS')).toBeLessThan(up.indexOf('CREATE TABLE items'))
    const statements = up.split(';\n\n').map((chunk) => chunk.replace(/^-- .*\n\n?/gm, '').trim()).filter(Boolean)
    if (transactional) {
      // BEGIN; version table; o1; COMMIT; o2 outside any transaction; BEGIN; o3; COMMIT.
      const outside = statements.indexOf(OUTSIDE_ONLY[dialect].up)
      expect(statements.slice(0, outside).filter((sql) => /^(BEGIN|COMMIT)/.test(sql))).toEqual([expect.stringMatching(/^BEGIN/), 'COMMIT'])
      expect(statements.slice(outside).filter((sql) => /^(BEGIN|COMMIT)/.test(sql))).toEqual([expect.stringMatching(/^BEGIN/), 'COMMIT'])
      expect(statements.at(-1)).toBe('COMMIT')
    }

    const fromO2 = await offline(p, ['upgrade', '--sql', `${O2}:head`])
    expect(fromO2).not.toContain('CREATE TABLE')
    expect(fromO2).not.toContain(OUTSIDE_ONLY[dialect].up)
    expect(fromO2).toContain(`UPDATE ${V} SET ${N} = '${O3}' WHERE ${N} = '${O2}';`)
    expect(fromO2).toContain("VALUES (1, 'it''s');")

    const down = await offline(p, ['downgrade', '--sql', 'head:base'])
    expect(down).toContain('DELETE FROM items;')
    expect(down).toContain(`UPDATE ${V} SET ${N} = '${O2}' WHERE ${N} = '${O3}';`)
    expect(down).toContain(`UPDATE ${V} SET ${N} = '${O1}' WHERE ${N} = '${O2}';`)
    expect(down).toContain('DROP TABLE items;')
    expect(down).toContain(`DELETE FROM ${V} WHERE ${N} = '${O1}';`)
    expect(down.indexOf('DELETE FROM items')).toBeLessThan(down.indexOf('DROP TABLE items'))

    const stamp = await offline(p, ['stamp', '--sql', 'head'])
    expect(stamp).toContain(`CREATE TABLE IF NOT EXISTS ${V}`)
    expect(stamp).toContain(`INSERT INTO ${V} (${N}) VALUES ('${O3}');`)
    expect(stamp).not.toContain('items')

    const ensure = await p.ok(['ensure-version', '--sql'])
    expect(ensure.stdout.trim()).toMatch(new RegExp(`^CREATE TABLE IF NOT EXISTS ${V.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.*\\);$`))
    expect(ensure.stdout + ensure.stderr).not.toContain('secret')

    // A downgrade script needs a range.
    const noRange = await p.run(['downgrade', '--sql', 'base'])
    expect(noRange.code).toBe(2)

    if (dialect === 'sqlite') expect(fs.existsSync('/nonexistent-migrator-dir')).toBe(false)
  })

  it('the generated scripts, run on the real database, leave what the online commands leave', async () => {
    const snapshot = async () => ({
      tables: await listTables(dialect, url()),
      versions: await versionRows(dialect, url()),
      items: (await listTables(dialect, url())).includes('items') ? await query(dialect, url(), 'SELECT id, name FROM items ORDER BY id') : null,
    })
    const offlineProject = project(OFFLINE_URL[dialect], revisions(dialect))
    const upScript = (await offlineProject.ok(['upgrade', '--sql', 'base:head'])).stdout
    const downScript = (await offlineProject.ok(['downgrade', '--sql', 'head:base'])).stdout
    const stampScript = (await offlineProject.ok(['stamp', '--sql', 'head'])).stdout

    await runScript(dialect, url(), upScript)
    const fromScript = await snapshot()
    expect(fromScript).toEqual({
      tables: ['items', 'migrator_version'],
      versions: [O3],
      items: [
        { id: 1, name: "it's" },
        { id: 2, name: BACKSLASH },
      ],
    })

    await resetDatabase(dialect, url())
    const online = project(url(), revisions(dialect))
    await online.ok(['upgrade', 'head'])
    expect(await snapshot()).toEqual(fromScript)

    await runScript(dialect, url(), downScript)
    expect(await snapshot()).toEqual({ tables: ['migrator_version'], versions: [], items: null })

    await resetDatabase(dialect, url())
    await runScript(dialect, url(), stampScript)
    expect(await snapshot()).toEqual({ tables: ['migrator_version'], versions: [O3], items: null })
    expect((await online.ok(['current'])).stdout.trim()).toBe(`${O3} (head)`)
  })
})
