/**
 * End-to-end, the autogenerate commands' behaviour on SQLite, PostgreSQL and MariaDB/MySQL: where
 * the target metadata comes from (env.ts over the ini, a module namespace), env.ts filters and
 * switches, `check --json`, `revision --autogenerate --sql`, `--allow-empty`, `introspect --table`
 * to stdout, the query count hook, and the errors (no target metadata: exit 2; the database not at
 * head: exit 1).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeScratchDir, removeScratchDirs, runCli } from '../support/cli.js'
import type { TestDialect } from '../support/databases.js'
import { adoptedProject, detectedLines, modelsProject, q, revisionFiles, snapshotOf } from '../support/autogenerate.js'
import { listTables, query, queryAll, resetDatabase, runScript } from '../support/inspect.js'
import { describeDialects, expectExit } from '../support/runtime.js'
import { expectCleanError } from './helpers.js'

afterAll(removeScratchDirs)

const MODELS = `import { MetaData, bigint, index, integer, text, varchar } from 'migrator'

export const metadata = new MetaData()

export const users = metadata.table('users', {
  id: integer().primaryKey().autoincrement(),
  email: varchar(255).notNull().unique(),
  name: varchar(50),
}, { indexes: [index('ix_users_name').on('name')] })

export const notes = metadata.table('notes', {
  id: integer().primaryKey(),
  user_id: integer().notNull().references(() => users.columns.id, { onDelete: 'cascade' }),
  body: text(),
})
`

/** MODELS with `users.name` as varchar(80) and a column with a default beyond 2^53. */
const CHANGED = MODELS.replace('name: varchar(50),', "name: varchar(80),\n  big: bigint().default(9007199254740993n),")

function legacyTable(dialect: TestDialect): string {
  return `CREATE TABLE ${q(dialect, 'legacy_audit')} (${q(dialect, 'id')} INTEGER PRIMARY KEY, ${q(dialect, 'what')} TEXT)`
}

describeDialects('autogenerate commands', ({ dialect, url }) => {
  it('fails with exit 2 naming both places when no target metadata is set', async () => {
    const project = modelsProject(url(), { targetMetadata: null })
    const result = await project.run(['check'])
    expectExit(result, 2, ['check'])
    expect(result.stderr).toMatch(/^error: No target metadata: .*env\.ts \(targetMetadata\).*migrator\.ini \(target_metadata\)/m)
    expect(result.stderr).toMatch(/^hint: set `target_metadata = path\/to\/models\.ts#metadata` in migrator\.ini, or `targetMetadata: metadata` in env\.ts/m)
    expectExit(await project.run(['revision', '--autogenerate', '-m', 'x']), 2)
    expect(revisionFiles(project)).toEqual([])
  })

  it('uses env.ts targetMetadata (a module namespace) over the ini, with its includeObject filter', async () => {
    await resetDatabase(dialect, url())
    await queryAll(dialect, url(), [legacyTable(dialect)])
    const env = `import { defineEnv } from 'migrator'
import * as models from '../models'

export default defineEnv({
  targetMetadata: models,
  includeObject: (object) => !(object.type === 'table' && object.name === 'legacy_audit'),
})
`
    // The ini names a file that does not exist: env.ts wins, so it is never read.
    const project = modelsProject(url(), { env, targetMetadata: '%(here)s/missing.ts' })
    project.models(MODELS)
    const { result } = await project.autogenerate('first')
    expect(detectedLines(result).sort()).toEqual(["Detected added table 'notes'", "Detected added table 'users'"])
    await project.ok(['upgrade', 'head'])
    const check = await project.run(['check'])
    expectExit(check, 0, ['check'])
    expect(check.stdout).toBe('No new upgrade operations detected.\n')
    expect(await listTables(dialect, url())).toEqual(['legacy_audit', 'migrator_version', 'notes', 'users'])

    // Without the filter, the legacy table is a difference (dropping it), listed one per line.
    fs.writeFileSync(path.join(project.dir, 'migrations', 'env.ts'), "import { defineEnv } from 'migrator'\nexport default defineEnv({})\n")
    fs.writeFileSync(path.join(project.dir, 'missing.ts'), MODELS)
    const unfiltered = await project.run(['check'])
    expectExit(unfiltered, 1, ['check'])
    expect(unfiltered.stdout).toBe("Detected removed table 'legacy_audit'\n")
    expect(unfiltered.stderr).toMatch(/^error: New upgrade operations detected: 1 difference/m)
    await resetDatabase(dialect, url())
  })

  it('check --json, compare_type off in the ini and on in env.ts, --sql, --allow-empty, the query count', async () => {
    const project = modelsProject(url(), { ini: 'compare_type = false' })
    project.models(MODELS)
    await project.autogenerate('first')
    await project.ok(['upgrade', 'head'])
    project.models(CHANGED)

    // compare_type = false: the type change is not seen; the new column is, with its bigint default serialised.
    const json = await project.run(['--json', 'check'])
    expectExit(json, 1, ['check'])
    expect(JSON.parse(json.stdout)).toEqual({
      differences: [{ kind: 'add_column', schema: null, table: 'users', name: 'big', description: "added column 'users.big'" }],
    })
    // env.ts compareType wins over the ini.
    fs.writeFileSync(path.join(project.dir, 'migrations', 'env.ts'), "import { defineEnv } from 'migrator'\nexport default defineEnv({ compareType: true })\n")
    const both = await project.run(['--json', 'check'])
    expect(JSON.parse(both.stdout).differences.map((d: { kind: string }) => d.kind).sort()).toEqual(['add_column', 'modify_type'])

    // --sql prints the upgrade's SQL and writes no file; run by hand, it brings the database to the models.
    const sql = await project.ok(['revision', '--autogenerate', '--sql'])
    expect(revisionFiles(project)).toHaveLength(1)
    expect(sql.stdout).toMatch(/^-- autogenerated upgrade: 2 changes$/m)
    expect(sql.stdout).toMatch(dialect === 'mysql' ? /ALTER TABLE `users` ADD COLUMN `big` BIGINT DEFAULT 9007199254740993/ : /9007199254740993/)
    await runScript(dialect, url(), sql.stdout)
    const checked = await project.run(['check'])
    expectExit(checked, 0, ['check'])

    // Nothing to do: no file, unless --allow-empty.
    const none = await project.ok(['revision', '--autogenerate', '-m', 'none'])
    expect(none.stderr).toContain('No changes detected')
    expect(revisionFiles(project)).toHaveLength(1)
    const empty = await project.autogenerate('empty', ['--allow-empty'])
    expect(fs.readFileSync(empty.file, 'utf8')).toMatch(/export async function upgrade\(op: Operations\): Promise<void> \{\n {2}\/\/ write your migration here/)
    await project.ok(['upgrade', 'head'])

    // The query count hook: a constant number of catalog queries.
    const counted = await project.ok(['check'], { MIGRATOR_DEBUG_QUERY_COUNT: '1' })
    const match = /^migrator: (\d+) queries \((\d+) catalog\)$/m.exec(counted.stderr)
    expect(match, counted.stderr).not.toBeNull()
    expect(Number(match![2])).toBeLessThanOrEqual(6)
    expect(Number(match![1])).toBeLessThanOrEqual(Number(match![2]) + 3)
    await project.ok(['downgrade', 'base'])
    await resetDatabase(dialect, url())
  })

  it('refuses to autogenerate or check a database that is not at head (exit 1)', async () => {
    const project = modelsProject(url())
    project.models(MODELS)
    const { file } = await project.autogenerate('first')
    for (const args of [['revision', '--autogenerate', '-m', 'second'], ['check']]) {
      const result = await project.run(args)
      expectExit(result, 1, args)
      expect(result.stderr).toMatch(/^error: Target database is not up to date\.$/m)
      expect(result.stderr).toMatch(/^ {2}the database is at base; the revisions' head is [0-9a-f]{12}$/m)
      expect(result.stderr).toMatch(/^hint: run `migrator upgrade head` first/m)
    }
    expect(revisionFiles(project)).toEqual([path.basename(file)])
    // --json of revision --autogenerate: the file and the differences.
    await project.ok(['upgrade', 'head'])
    project.models(CHANGED)
    const json = await project.ok(['--json', 'revision', '--autogenerate', '-m', 'second'])
    const data = JSON.parse(json.stdout) as { path: string; revision: string; differences: { kind: string }[] }
    expect(fs.existsSync(data.path)).toBe(true)
    expect(data.differences.map((d) => d.kind).sort()).toEqual(['add_column', 'modify_type'])
    await project.ok(['downgrade', 'base'])
    expect(await listTables(dialect, url())).toEqual(['migrator_version'])
    await resetDatabase(dialect, url())
  })

  it('introspect --table writes the models of those tables (schema.table for another schema) to stdout', async () => {
    const project = modelsProject(url())
    project.models(MODELS)
    await project.autogenerate('first')
    await project.ok(['upgrade', 'head'])
    const result = await project.ok(['introspect', '--table', 'users'])
    expect(result.stdout).toMatch(/^export const users = metadata\.table\('users', \{$/m)
    expect(result.stdout).not.toContain("'notes'")
    expect(result.stdout).not.toContain('migrator_version')
    // As the models, with the other tables filtered out, they match the database.
    project.models(result.stdout)
    fs.writeFileSync(
      path.join(project.dir, 'migrations', 'env.ts'),
      "import { defineEnv } from 'migrator'\nexport default defineEnv({ includeObject: (o) => o.type !== 'table' || o.name === 'users' })\n",
    )
    expectExit(await project.run(['check']), 0, ['check'])
    expect((await snapshotOf(dialect, url())).tables.map((t) => t.name).sort()).toEqual(['notes', 'users'])
    project.models(MODELS)
    fs.writeFileSync(path.join(project.dir, 'migrations', 'env.ts'), "import { defineEnv } from 'migrator'\nexport default defineEnv({})\n")
    // schema.table: the current schema by its name, and (PostgreSQL) a table of another schema, read for it.
    const current = dialect === 'postgresql' ? 'public' : dialect === 'sqlite' ? 'main' : new URL(url()).pathname.slice(1)
    const qualified = await project.ok(['introspect', '--table', `${current}.users`])
    expect(qualified.stdout).toBe(result.stdout)
    if (dialect === 'postgresql') {
      await queryAll(dialect, url(), ['CREATE SCHEMA side', 'CREATE TABLE side.items (id integer PRIMARY KEY, users integer)'])
      const other = await project.ok(['introspect', '--table', 'side.items', '--table', 'users'])
      expect(other.stdout).toMatch(/metadata\.table\('items', \{[\s\S]*schema: 'side'/)
      expect(other.stdout).toMatch(/^export const users = metadata\.table\('users', \{$/m)
      await queryAll(dialect, url(), ['DROP SCHEMA side CASCADE'])
    }
    const unknown = await project.run(['introspect', '--table', 'nope', '--table', 'nowhere.users'])
    expectExit(unknown, 1)
    expect(unknown.stderr).toMatch(/^error: no table 'nope', 'nowhere\.users' in the database$/m)
    // --output into a folder that is not there: one line and a hint, before reading the database.
    const nowhere = await project.run(['introspect', '--output', 'no/such/folder/models.ts'])
    expectCleanError(nowhere, 1, /^error: Cannot write .*models\.ts: the folder .*folder does not exist$/)
    expect(nowhere.stderr).toContain('hint: create the folder first, or choose another --output')
    await project.ok(['downgrade', 'base'])
    await resetDatabase(dialect, url())
  })

  it('with includeSchemas: true, a table of a schema the database does not have yet is added, not left out', async () => {
    if (dialect !== 'postgresql') return
    const project = modelsProject(url(), { env: "import { defineEnv } from 'migrator'\n\nexport default defineEnv({ includeSchemas: true })\n" })
    project.models(`import { MetaData, integer } from 'migrator'

export const metadata = new MetaData()
metadata.table('a', { id: integer().primaryKey() })
metadata.table('invoices', { id: integer().primaryKey() }, { schema: 'billing_later' })
`)
    const check = await project.run(['check'])
    expectExit(check, 1, ['check'])
    expect(check.stdout).toContain("added table 'billing_later.invoices'")
    expect(check.stdout).toContain("added table 'a'")
    await resetDatabase(dialect, url())
  })

  it.skipIf(dialect !== 'sqlite')('SQLite: --sql creates a rebuilt table\'s triggers again, as the online upgrade does', async () => {
    await resetDatabase(dialect, url())
    await queryAll(dialect, url(), [
      'CREATE TABLE notes (id INTEGER PRIMARY KEY, body VARCHAR(20), touched INTEGER NOT NULL DEFAULT 0)',
      'CREATE TABLE log (note_id INTEGER, body TEXT)',
      'CREATE TRIGGER notes_logged AFTER UPDATE OF body ON notes BEGIN INSERT INTO log VALUES (new.id, new.body); END',
      "INSERT INTO notes (id, body) VALUES (1, 'a')",
    ])
    const project = await adoptedProject(url())
    // A type change: SQLite rebuilds the table (copy and move).
    project.models(fs.readFileSync(project.modelsFile, 'utf8').replace('body: varchar(20)', 'body: text()'))
    const sql = await project.ok(['revision', '--autogenerate', '--sql'])
    expect(sql.stdout).toMatch(/-- the triggers on 'notes', as they were\n\nCREATE TRIGGER notes_logged AFTER UPDATE OF body ON notes BEGIN INSERT INTO log VALUES \(new\.id, new\.body\); END;/)
    await runScript(dialect, url(), sql.stdout)
    expectExit(await project.run(['check']), 0, ['check'])
    await queryAll(dialect, url(), ["UPDATE notes SET body = 'b' WHERE id = 1"])
    const [logged] = await query(dialect, url(), 'SELECT note_id, body FROM log')
    expect(logged).toEqual({ note_id: 1, body: 'b' })
    await resetDatabase(dialect, url())
  })
})

describe('autogenerate on a multidb project [sqlite]', () => {
  it('renders upgrade_<name>/downgrade_<name> from each database\'s target_metadata section, and check reads each database', async () => {
    const dir = makeScratchDir()
    const run = (args: readonly string[]) => runCli(args, { cwd: dir })
    expectExit(await run(['init', '-t', 'multidb', 'migrations']), 0)
    const ini = path.join(dir, 'migrator.ini')
    fs.writeFileSync(
      ini,
      fs
        .readFileSync(ini, 'utf8')
        .replace('[engine1]\n', '[engine1]\ntarget_metadata = one.ts\n')
        .replace('[engine2]\n', '[engine2]\ntarget_metadata = two.ts\n'),
    )
    fs.writeFileSync(path.join(dir, 'one.ts'), "import { MetaData, integer, text } from 'migrator'\nexport const metadata = new MetaData()\nmetadata.table('a', { id: integer().primaryKey(), t: text() })\n")
    fs.writeFileSync(path.join(dir, 'two.ts'), "import { MetaData, integer } from 'migrator'\nexport const metadata = new MetaData()\nmetadata.table('b', { id: integer().primaryKey() })\n")
    const generated = await run(['revision', '--autogenerate', '-m', 'init'])
    expectExit(generated, 0)
    expect(generated.stderr).toContain("[engine1] Detected added table 'a'\n[engine2] Detected added table 'b'\n")
    const text = fs.readFileSync(generated.stdout.trim(), 'utf8')
    expect(text).toMatch(/export async function upgrade_engine1\(op: Operations\): Promise<void> \{\n {2}await op\.createTable\('a'/)
    expect(text).toMatch(/export async function downgrade_engine2\(op: Operations\): Promise<void> \{\n {2}await op\.dropTable\('b'\)/)
    expectExit(await run(['upgrade', 'head']), 0)
    const check = await run(['check'])
    expectExit(check, 0)
    fs.writeFileSync(path.join(dir, 'two.ts'), "import { MetaData } from 'migrator'\nexport const metadata = new MetaData()\n")
    const changed = await run(['--json', 'check'])
    expectExit(changed, 1)
    expect(JSON.parse(changed.stdout)).toEqual({ differences: [{ database: 'engine2', kind: 'remove_table', schema: null, table: 'b', name: 'b', description: "removed table 'b'" }] })
    expectExit(await run(['introspect']), 2)
  })
})
