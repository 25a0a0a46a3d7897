/**
 * Through the real CLI on every dialect: ensure-version and the version table's name/schema,
 * where the database URL comes from (-x, precedence, .env), multidb projects, and errors
 * (unreachable server, syntax error in a revision, a revision that throws).
 */
import fs from 'node:fs'
import path from 'node:path'
import { beforeEach, expect, it } from 'vitest'
import { listTables, query, resetDatabase, versionRows } from '../support/inspect.js'
import { bindProject, describeDialects, expectExit, project, tableRevision } from '../support/runtime.js'
import { makeScratchDir } from '../support/cli.js'

const R1 = 'b00000000001'
const R2 = 'b00000000002'
const R3 = 'b00000000003'
const R4 = 'b00000000004'
const CHAIN = [tableRevision(R1, null, 'c1_t'), tableRevision(R2, R1, 'c2_t'), tableRevision(R3, R2, 'c3_t'), tableRevision(R4, R3, 'c4_t')]

/** A URL that fails loudly (naming this folder) if the CLI ever uses it. */
const badUrl = (which: string) => `sqlite:////nonexistent-migrator-dir/${which}.db`

/** A project whose ini has no database_url (makeProject always writes one). */
function projectWithoutIniUrl(env: string, ini = '') {
  const p = project('sqlite:////unused', CHAIN, { env })
  fs.writeFileSync(path.join(p.dir, 'migrator.ini'), `[migrator]\nscript_location = %(here)s/migrations\n${ini}\n`)
  return p
}

describeDialects('runtime: version table and configuration', ({ dialect, url }) => {
  beforeEach(() => resetDatabase(dialect, url()))

  it('ensure-version creates the version table once; custom version_table is used by every command', async () => {
    const plain = project(url(), CHAIN)
    let result = await plain.ok(['ensure-version'])
    expect(result.stderr).toContain('Version table migrator_version is in place')
    await plain.ok(['ensure-version']) // idempotent
    expect(await listTables(dialect, url())).toEqual(['migrator_version'])
    expect(await versionRows(dialect, url())).toEqual([])

    await resetDatabase(dialect, url())
    const custom = project(url(), CHAIN, { ini: 'version_table = custom_versions' })
    await custom.ok(['ensure-version'])
    expect(await listTables(dialect, url())).toEqual(['custom_versions'])
    await custom.ok(['upgrade', R2])
    expect(await versionRows(dialect, url(), 'custom_versions')).toEqual([R2])
    expect(await listTables(dialect, url())).toEqual(['c1_t', 'c2_t', 'custom_versions'])
    expect((await custom.ok(['current'])).stdout.trim()).toBe(R2)
    await custom.ok(['stamp', R1])
    expect(await versionRows(dialect, url(), 'custom_versions')).toEqual([R1])
    result = await custom.ok(['ensure-version', '--json'])
    expect(JSON.parse(result.stdout)).toEqual({ versionTable: 'custom_versions', schema: null })
  })

  if (dialect === 'postgresql') {
    it('version_table_schema = other puts the version table in that schema', async () => {
      await query(dialect, url(), 'CREATE SCHEMA other')
      const p = project(url(), CHAIN, { ini: 'version_table_schema = other' })
      await p.ok(['ensure-version'])
      expect(await listTables(dialect, url(), 'other')).toEqual(['migrator_version'])
      expect(await listTables(dialect, url())).toEqual([])
      await p.ok(['upgrade', R1])
      expect(await versionRows(dialect, url(), 'migrator_version', 'other')).toEqual([R1])
      expect(await listTables(dialect, url())).toEqual(['c1_t'])
      expect((await p.ok(['current'])).stdout.trim()).toBe(R1)
      await p.ok(['downgrade', 'base'])
      expect(await versionRows(dialect, url(), 'migrator_version', 'other')).toEqual([])
    })
  }

  it('-x key=value reaches env.ts; without it the missing URL is a usage error naming the places to set it', async () => {
    const p = projectWithoutIniUrl("import { defineEnv } from 'migrator'\n\nexport default defineEnv({ url: ({ x }) => x.db })\n")
    const missing = await p.run(['upgrade', 'head'])
    expectExit(missing, 2, ['upgrade', 'head'])
    expect(missing.stderr).toMatch(/--url/)
    expect(missing.stderr).toMatch(/MIGRATOR_DATABASE_URL/)
    expect(missing.stderr).toMatch(/env\.ts/)
    expect(missing.stderr).toMatch(/database_url/)

    await p.ok(['-x', `db=${url()}`, 'upgrade', R1])
    expect(await versionRows(dialect, url())).toEqual([R1])
  })

  it('URL precedence: --url, then MIGRATOR_DATABASE_URL, then env.ts url, then the ini', async () => {
    const p = project(badUrl('ini'), CHAIN, {
      env: "import { defineEnv } from 'migrator'\n\nexport default defineEnv({ url: () => process.env.ENV_TS_URL })\n",
    })
    const good = url()

    await p.ok(['--url', good, 'upgrade', '+1'], { MIGRATOR_DATABASE_URL: badUrl('environment'), ENV_TS_URL: badUrl('env-ts') })
    expect(await versionRows(dialect, url())).toEqual([R1])

    await p.ok(['upgrade', '+1'], { MIGRATOR_DATABASE_URL: good, ENV_TS_URL: badUrl('env-ts') })
    expect(await versionRows(dialect, url())).toEqual([R2])

    await p.ok(['upgrade', '+1'], { ENV_TS_URL: good })
    expect(await versionRows(dialect, url())).toEqual([R3])

    // Control: with nothing above it, the ini's (bad) URL is the one used.
    const fromIni = await p.run(['upgrade', '+1'])
    expect(fromIni.code).not.toBe(0)
    expect(fromIni.stderr).toContain('/nonexistent-migrator-dir/ini.db')
    expect(await versionRows(dialect, url())).toEqual([R3])
  })

  it('a .env beside the ini supplies ${VAR}; a variable already set wins over it', async () => {
    const p = project('${TEST_DATABASE_URL}', CHAIN)
    fs.writeFileSync(path.join(p.dir, '.env'), `# test database\nTEST_DATABASE_URL=${url()}\n`)
    await p.ok(['upgrade', R1])
    expect(await versionRows(dialect, url())).toEqual([R1])

    const overridden = await p.run(['upgrade', R2], { TEST_DATABASE_URL: badUrl('from-environment') })
    expect(overridden.code).not.toBe(0)
    expect(overridden.stderr).toContain('/nonexistent-migrator-dir/from-environment.db')
    expect(await versionRows(dialect, url())).toEqual([R1])
  })
})

describeDialects('runtime: multidb', ({ dialect, url }) => {
  beforeEach(() => resetDatabase(dialect, url()))

  it('init -t multidb, revision -m, upgrade head migrates both databases, each with its version table', async () => {
    const dir = makeScratchDir('migrator-multidb-')
    const p = bindProject(dir, path.join(dir, 'migrations', 'versions'))
    await p.ok(['init', '-t', 'multidb', 'migrations'])

    const engine1 = `sqlite:///${path.join(dir, 'engine1.db')}`
    const iniFile = path.join(dir, 'migrator.ini')
    const ini = fs.readFileSync(iniFile, 'utf8')
    const pointed = ini
      .replace(/(\[engine1\]\s*\ndatabase_url = ).*/, `$1${engine1}`)
      .replace(/(\[engine2\]\s*\ndatabase_url = ).*/, `$1${url()}`)
    expect(pointed).not.toBe(ini)
    fs.writeFileSync(iniFile, pointed)

    const result = await p.ok(['revision', '-m', 'x'])
    const file = fs.readdirSync(p.versions).find((name) => name.endsWith('_x.ts'))
    expect(file, result.stderr).toBeDefined()
    const revisionFile = path.join(p.versions, file!)
    const rev = /export const revision = '([0-9a-f]{12})'/.exec(fs.readFileSync(revisionFile, 'utf8'))![1]!
    const bodies: Record<string, string> = {
      upgrade_engine1: "await op.execute('CREATE TABLE e1_t (id INTEGER)')",
      downgrade_engine1: "await op.execute('DROP TABLE e1_t')",
      upgrade_engine2: "await op.execute('CREATE TABLE e2_t (id INTEGER)')",
      downgrade_engine2: "await op.execute('DROP TABLE e2_t')",
    }
    let source = fs.readFileSync(revisionFile, 'utf8')
    for (const [name, body] of Object.entries(bodies)) {
      const pattern = new RegExp(`(export async function ${name}\\(op: Operations\\): Promise<void> \\{\\n)[\\s\\S]*?\\n\\}`)
      expect(source).toMatch(pattern)
      source = source.replace(pattern, `$1  ${body}\n}`)
    }
    fs.writeFileSync(revisionFile, source)

    const up = await p.ok(['upgrade', 'head'])
    expect(up.stderr).toContain('Database engine1')
    expect(up.stderr).toContain('Database engine2')
    expect(await listTables('sqlite', engine1)).toEqual(['e1_t', 'migrator_version'])
    expect(await versionRows('sqlite', engine1)).toEqual([rev])
    expect(await listTables(dialect, url())).toEqual(['e2_t', 'migrator_version'])
    expect(await versionRows(dialect, url())).toEqual([rev])

    const current = await p.ok(['current'])
    expect(current.stdout.trim().split('\n')).toEqual([`engine1: ${rev} (head)`, `engine2: ${rev} (head)`])

    // --url names one database: in a multidb project it is refused, not silently ignored.
    const withUrl = await p.run(['--url', engine1, 'downgrade', 'base'])
    expectExit(withUrl, 2, ['--url', '…', 'downgrade', 'base'])
    expect(withUrl.stderr).toContain('MIGRATOR_ENGINE1_DATABASE_URL')
    expect(await versionRows(dialect, url())).toEqual([rev])

    await p.ok(['downgrade', 'base'])
    expect(await listTables('sqlite', engine1)).toEqual(['migrator_version'])
    expect(await versionRows('sqlite', engine1)).toEqual([])
    expect(await listTables(dialect, url())).toEqual(['migrator_version'])
    expect(await versionRows(dialect, url())).toEqual([])
  })
})

describeDialects('runtime: errors', ({ dialect, url }) => {
  beforeEach(() => resetDatabase(dialect, url()))

  it('an unreachable server fails within seconds, naming host:port and not the password', async () => {
    const p = project(url(), CHAIN)
    const unreachable = {
      postgresql: 'postgresql://u:secret@127.0.0.1:1/db',
      mysql: 'mysql://u:secret@127.0.0.1:1/db',
      sqlite: 'sqlite:////nonexistent-migrator-dir/unreachable.db',
    }[dialect]
    for (const args of [['upgrade', 'head'], ['current']]) {
      const started = performance.now()
      const result = await p.run(['--url', unreachable, ...args])
      expect(performance.now() - started).toBeLessThan(8_000)
      expectExit(result, 1, args)
      expect(result.stderr).toContain(dialect === 'sqlite' ? '/nonexistent-migrator-dir/unreachable.db' : '127.0.0.1:1')
      expect(result.stdout + result.stderr).not.toContain('secret')
      expect(result.stderr).toMatch(/^error: .*\nhint: /)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
  })

  if (dialect !== 'sqlite') {
    it('a reachable server refusing the connection: the error names the server, never the password', async () => {
      const server = new URL(url())
      server.username = dialect === 'postgresql' ? 'postgres' : 'root'
      server.password = 's3cr%40t'
      server.pathname = '/nonexistent_migrator_db'
      const p = project(url(), CHAIN)
      const result = await p.run(['--url', server.toString(), 'current'], { MIGRATOR_DEBUG: '1' })
      expectExit(result, 1, ['current'])
      expect(result.stderr).toContain(`cannot connect to ${dialect === 'postgresql' ? 'PostgreSQL' : 'MySQL'} at ${server.host}`)
      expect(result.stdout + result.stderr).not.toMatch(/s3cr/)
    })
  }

  it('a syntax error in a revision names the file and line; graph commands still read the file', async () => {
    const p = project(url(), [tableRevision(R1, null, 'c1_t')])
    const file = p.write({ id: R2, down: R1, up: "await op.execute('SELECT 1' ))" })
    const result = await p.run(['upgrade', 'head'])
    expect([1, 2]).toContain(result.code)
    expect(result.stderr).toContain(file)
    expect(result.stderr).toMatch(/line 15\b/) // the body line of writeRevision's layout
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(await versionRows(dialect, url())).toEqual(dialect === 'mysql' ? [R1] : [])
    // heads reads the constants without executing the file.
    expect((await p.ok(['heads'])).stdout.trim()).toBe(`${R2} (head)`)
  })

  it('a revision that throws: one error line naming the revision, no stack unless MIGRATOR_DEBUG=1', async () => {
    const p = project(url(), [
      tableRevision(R1, null, 'c1_t'),
      { id: R2, down: R1, message: 'explodes', up: "throw new Error('boom from the revision')" },
    ])
    await p.ok(['upgrade', R1])
    const result = await p.run(['upgrade', 'head'])
    expectExit(result, 1, ['upgrade', 'head'])
    const errors = result.stderr.split('\n').filter((line) => line.startsWith('error:'))
    expect(errors).toEqual([`error: upgrade of revision ${R2} (explodes) failed: boom from the revision`])
    expect(result.stderr).toMatch(/\nhint: /)
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(await versionRows(dialect, url())).toEqual([R1])

    const debug = await p.run(['upgrade', 'head'], { MIGRATOR_DEBUG: '1' })
    expectExit(debug, 1, ['upgrade', 'head'])
    expect(debug.stderr).toMatch(/\n\s+at /)
    expect(debug.stderr).toContain('Error: boom from the revision')
    expect(debug.stderr).toMatch(new RegExp(`${R2}_explodes\\.ts:\\d+`)) // the stack reaches the revision file
  })
})
