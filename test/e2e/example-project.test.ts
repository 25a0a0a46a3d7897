/**
 * The example project (migrations-example/) end to end through the CLI on every dialect: upgrade to
 * head with rows in the tables (kept, and backfilled by the data migration), downgrade to base, and
 * the `--sql` script of base:head run on a fresh database giving the same schema as running online.
 * Also `op.autocommitBlock` and `CREATE INDEX CONCURRENTLY` through the real migration runner.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openOperations, readCatalog, readEnums, scriptStatements, tableNames, type LiveOperations } from '../support/catalog.js'
import { makeScratchDir, REPO_ROOT } from '../support/cli.js'
import { createTestDatabase, type TestDatabase } from '../support/databases.js'
import { cli, expectOk } from './helpers.js'
import { describeDialects, project } from '../support/runtime.js'

const EXAMPLE = path.join(REPO_ROOT, 'migrations-example')
const HEAD = 'f8a1c3e5b7d9'
const BEFORE_NEW_REVISIONS = '3a9c7e1d5f48'
const EXAMPLE_TABLES = [
  'attachments',
  'audit_log',
  'categories',
  'comments',
  'invitations',
  'memberships',
  'organizations',
  'post_tags',
  'posts',
  'reactions',
  'tags',
  'users',
]

/** A copy of the example project (no database file) in a scratch folder. */
function copyExample(): string {
  const dir = makeScratchDir('migrator-example-')
  fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (source) => !/\.db(-journal|-wal|-shm)?$/.test(source) })
  return dir
}

describeDialects('the example project through the CLI', ({ dialect, url }) => {
  let dir: string
  let live: LiveOperations
  const run = (args: readonly string[]) => cli(dir, ['--url', url(), ...args])

  beforeAll(async () => {
    dir = copyExample()
    live = await openOperations(url())
  })
  afterAll(async () => {
    await live?.close()
    if (dir) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('upgrades to head keeping the rows, backfills usernames, and downgrades to base', async () => {
    expectOk(await run(['upgrade', BEFORE_NEW_REVISIONS]))
    await live.op.bulkInsert('users', [
      { id: 1, email: 'Ann@Example.com', display_name: 'Ann' },
      { id: 2, email: "o'brien@example.com" },
    ])
    await live.op.bulkInsert('posts', [
      { id: 10, user_id: 1, title: 'First post' },
      { id: 11, user_id: 2, title: "O'Brien's post" },
    ])
    await live.op.bulkInsert('post_tags', [{ post_id: 10, tag_id: 1 }])

    const up = await run(['upgrade', 'head'])
    expectOk(up)
    expect(up.stdout + up.stderr).toContain(`now at ${HEAD}`)
    expect(await tableNames(dialect, live.query)).toEqual(EXAMPLE_TABLES)
    // models.ts describes exactly what the revisions built (hand-written SQL included).
    const check = await run(['check'])
    expectOk(check)
    expect(check.stdout).toContain('No new upgrade operations detected.')
    expect(await live.query('SELECT id, email, username FROM users ORDER BY id')).toEqual([
      { id: 1, email: 'Ann@Example.com', username: 'ann-1' },
      { id: 2, email: "o'brien@example.com", username: "o'brien-2" },
    ])
    expect(await live.query('SELECT id, user_id, title, status FROM posts ORDER BY id')).toEqual([
      { id: 10, user_id: 1, title: 'First post', status: 'draft' },
      { id: 11, user_id: 2, title: "O'Brien's post", status: 'draft' },
    ])
    expect(await live.query('SELECT post_id, tag_id FROM post_tags')).toEqual([{ post_id: 10, tag_id: 1 }])
    const categories = await live.query('SELECT c.name, p.slug AS parent FROM categories c LEFT JOIN categories p ON p.id = c.parent_id ORDER BY c.position')
    expect(categories).toEqual([
      { name: 'General', parent: null },
      { name: "Editor's notes", parent: 'general' },
    ])
    const [audit] = await live.query("SELECT payload FROM audit_log WHERE action = 'usernames_backfilled'")
    const payload = typeof audit!['payload'] === 'string' ? JSON.parse(audit!['payload'] as string) : audit!['payload']
    expect(payload).toEqual({ revision: HEAD, rule: "email's local part + id" })
    // The constraints the revisions declared are there and hold.
    await expect(live.op.bulkInsert('users', [{ id: 3, email: 'x@example.com', username: 'ann-1' }])).rejects.toThrow()
    await expect(live.op.execute("INSERT INTO organizations (name, slug) VALUES ('Empty slug', '')")).rejects.toThrow()
    if (dialect === 'postgresql') expect(Object.keys(await readEnums(live.query))).toEqual(['member_role', 'org_plan', 'post_status', 'reaction_kind'])

    // One step down and up again: the data migration's downgrade and upgrade keep the rows.
    expectOk(await run(['downgrade', '-1']))
    expect(await live.query('SELECT id, email FROM users ORDER BY id')).toEqual([
      { id: 1, email: 'Ann@Example.com' },
      { id: 2, email: "o'brien@example.com" },
    ])
    expectOk(await run(['upgrade', 'head']))

    // The old 'seed default tags' downgrade deletes the tags: a row still using one would stop it.
    await live.op.execute('DELETE FROM post_tags')
    expectOk(await run(['downgrade', 'base']))
    expect(await tableNames(dialect, live.query)).toEqual([])
    if (dialect === 'postgresql') expect(await readEnums(live.query)).toEqual({})
  })

  it('the --sql script of base:head, run on a fresh database, builds the same schema; head:base takes it down', async () => {
    expectOk(await run(['upgrade', 'head']))
    const online = await readCatalog(dialect, live.query)
    const up = await run(['upgrade', '--sql', 'base:head'])
    expectOk(up)
    const down = await run(['downgrade', '--sql', `${HEAD}:base`])
    expectOk(down)
    const fresh: TestDatabase | null = await createTestDatabase(dialect)
    const target = await openOperations(fresh!.url)
    try {
      for (const statement of scriptStatements(up.stdout)) await target.query(statement)
      expect(await readCatalog(dialect, target.query)).toEqual(online)
      expect(await target.query('SELECT version_num FROM migrator_version')).toEqual([{ version_num: HEAD }])
      for (const statement of scriptStatements(down.stdout)) await target.query(statement)
      expect(await tableNames(dialect, target.query)).toEqual([])
      if (dialect === 'postgresql') expect(await readEnums(target.query)).toEqual({})
    } finally {
      await target.close()
      await fresh?.drop()
    }
    expectOk(await run(['downgrade', 'base']))
  })

  it('autocommitBlock and CREATE INDEX CONCURRENTLY through the runner', async () => {
    const scratch = project(url(), [
      { id: 'a00000000001', message: 'items', up: "await op.createTable('items', { id: integer().primaryKey(), v: integer() })", down_: "await op.dropTable('items')" },
      {
        id: 'a00000000002',
        down: 'a00000000001',
        message: 'index in an autocommit block',
        up: "await op.bulkInsert('items', [{ id: 1, v: 1 }]); await op.autocommitBlock(async () => { await op.createIndex('ix_items_v', 'items', ['v'], { concurrently: true }) }); await op.bulkInsert('items', [{ id: 2, v: 2 }])",
        down_: "await op.dropIndex('ix_items_v', 'items')",
      },
      {
        id: 'a00000000003',
        down: 'a00000000002',
        message: 'non-transactional index',
        transactional: false,
        up: "await op.createIndex('ix_items_id_v', 'items', ['id', 'v'], { concurrently: true })",
        down_: "await op.dropIndex('ix_items_id_v', 'items', { concurrently: true })",
      },
      {
        id: 'a00000000004',
        down: 'a00000000003',
        message: 'concurrently in a transaction',
        up: "await op.createIndex('ix_items_bad', 'items', ['v'], { concurrently: true })",
        down_: "await op.dropIndex('ix_items_bad', 'items')",
      },
    ], { ini: 'version_table = scratch_version' })
    const imports = "import { integer } from 'migrator'\n"
    for (const file of fs.readdirSync(scratch.versions)) {
      const full = path.join(scratch.versions, file)
      fs.writeFileSync(full, imports + fs.readFileSync(full, 'utf8'))
    }
    try {
      expectOk(await scratch.run(['upgrade', 'a00000000003']))
      expect((await live.query('SELECT id FROM items ORDER BY id')).map((r) => r['id'])).toEqual([1, 2])
      const bad = await scratch.run(['upgrade', 'head'])
      if (dialect === 'postgresql') {
        expect(bad.code).toBe(1)
        expect(bad.stderr).toMatch(/CREATE INDEX CONCURRENTLY \(index 'ix_items_bad'\) cannot run inside a transaction: add `export const transactional = false`/)
      } else {
        expectOk(bad)
        expectOk(await scratch.run(['downgrade', '-1']))
      }
      const sqlScript = await scratch.run(['upgrade', '--sql', 'a00000000001:a00000000002'])
      expectOk(sqlScript)
      if (dialect !== 'mysql') {
        // The block ends the transaction and a new one begins after it.
        expect(sqlScript.stdout).toMatch(/INSERT INTO "items"[^;]*;\s+COMMIT;\s+CREATE INDEX (CONCURRENTLY )?"ix_items_v"[^;]*;\s+BEGIN( IMMEDIATE)?;\s+INSERT INTO "items"/)
      }
      expectOk(await scratch.run(['downgrade', 'base']))
      expect(await tableNames(dialect, live.query)).toEqual(['scratch_version'])
    } finally {
      fs.rmSync(scratch.dir, { recursive: true, force: true })
    }
  })
})

describe('the example project with every file through jiti’s Babel transform (MIGRATOR_TRANSFORM=jiti)', () => {
  it('upgrades to head, check finds the models equal to the database, downgrades to base (SQLite)', async () => {
    // env.ts, the revisions and the models are then loaded by jiti (Babel), its `migrator` being the
    // built CLI's package entry (the bundle).
    const dir = copyExample()
    try {
      const env = { MIGRATOR_TRANSFORM: 'jiti', EXAMPLE_DATABASE_URL: `sqlite:///${path.join(dir, 'jiti.db')}` }
      expectOk(await cli(dir, ['upgrade', 'head'], env))
      const check = await cli(dir, ['check'], env)
      expectOk(check)
      expect(check.stdout).toContain('No new upgrade operations detected.')
      expectOk(await cli(dir, ['downgrade', 'base'], env))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })
})
