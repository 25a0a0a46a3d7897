/**
 * End-to-end: configuration errors (exit 2, one line and a hint) and where the config and the
 * database URL come from: -c FILE, MIGRATOR_CONFIG, -n NAME, MIGRATOR_<NAME>_DATABASE_URL.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeProject, makeScratchDir, writeRevision, removeScratchDirs } from '../support/cli.js'
import { cli, expectCleanError, expectOk, list } from './helpers.js'

afterAll(removeScratchDirs)

/** A project with one revision `r1` and no database URL anywhere. */
function project(ini = '[migrator]\nscript_location = %(here)s/migrations\n') {
  const { dir, versions } = makeProject('', { env: null })
  fs.writeFileSync(path.join(dir, 'migrator.ini'), ini)
  writeRevision(versions, { id: 'r1', message: 'one' })
  return { dir, versions }
}

describe('configuration errors exit 2 with one line and a hint', () => {
  it('no migrator.ini in the working directory', async () => {
    const dir = makeScratchDir()
    const result = await cli(dir, ['heads'])
    expectCleanError(result, 2, "No config file 'migrator.ini' found")
    expect(result.stderr).toContain('hint: run `migrator init DIR` or pass -c FILE')
  })

  it('-n NAME with no such section lists the sections', async () => {
    const { dir } = project()
    const result = await cli(dir, ['-n', 'other', 'heads'])
    expectCleanError(result, 2, 'No section [other] in migrator.ini; it has [migrator]')
  })

  it('no [migrator] section', async () => {
    const { dir } = project('[alpha]\nscript_location = migrations\n')
    expectCleanError(await cli(dir, ['heads']), 2, 'No section [migrator] in migrator.ini; it has [alpha]')
  })

  it('no script_location, and a script_location that does not exist', async () => {
    const { dir } = project('[migrator]\ndatabase_url = sqlite://\n')
    expectCleanError(await cli(dir, ['heads']), 2, 'No script_location in [migrator] of migrator.ini')
    const other = project('[migrator]\nscript_location = %(here)s/nowhere\n')
    expectCleanError(await cli(other.dir, ['history']), 2, `The script location ${path.join(other.dir, 'nowhere')} does not exist`)
  })

  it('a bad boolean names the key, the section and the value', async () => {
    const { dir } = project('[migrator]\nscript_location = %(here)s/migrations\ntransaction_per_migration = sometimes\n')
    expectCleanError(
      await cli(dir, ['upgrade', 'head', '--url', 'sqlite://']),
      2,
      "The key 'transaction_per_migration' in [migrator] of migrator.ini must be a boolean, not 'sometimes'",
    )
  })

  it('a malformed ini line names the file and line', async () => {
    const { dir } = project('[migrator]\nscript_location = %(here)s/migrations\nthis line has no equals sign\n')
    const result = await cli(dir, ['heads'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^error: .*migrator\.ini.*3/m)
    expect(result.stderr).toMatch(/^hint: /m)
  })

  it('a missing URL names all four places', async () => {
    const { dir } = project()
    const [current, named] = await Promise.all([
      cli(dir, ['current']),
      cli(dir, ['-n', 'second', 'current']),
    ])
    const line = expectCleanError(current, 2, 'No database URL')
    for (const place of ['--url', 'MIGRATOR_DATABASE_URL', 'env.ts', 'database_url in [migrator] of migrator.ini']) expect(line).toContain(place)
    expect(named.code).toBe(2) // no [second] section
  })

  it('an env.ts returning no url still names all four places', async () => {
    const { dir } = project()
    fs.writeFileSync(path.join(dir, 'migrations', 'env.ts'), "import { defineEnv } from 'migrator'\nexport default defineEnv({ url: () => undefined })\n")
    const line = expectCleanError(await cli(dir, ['upgrade', 'head']), 2, 'No database URL')
    expect(line).toMatch(/--url.*MIGRATOR_DATABASE_URL.*env\.ts.*database_url/)
  })

  it.each([
    ['an unclosed IPv6 host', 'postgresql://bob:s3cretpw@[bad/db'],
    ['a bad port', 'mysql://bob:s3cretpw@host:notaport/db'],
    ['an unknown scheme', 'oracle://bob:s3cretpw@host/db'],
  ])('a malformed URL (%s) is exit 2 and the password is not printed', async (_name, url) => {
    const { dir } = project()
    const results = await Promise.all([
      cli(dir, ['current', '--url', url]),
      cli(dir, ['current'], { MIGRATOR_DATABASE_URL: url }),
      cli(dir, ['upgrade', 'head', '--sql'], { MIGRATOR_DATABASE_URL: url }),
    ])
    for (const result of results) {
      const line = expectCleanError(result, 2, /database URL/)
      expect(line).toContain('bob:***@')
      expect(result.stderr).not.toContain('s3cretpw')
    }
  })

  it('a MySQL URL naming no database is exit 2 with a hint, before any connection (MySQL has no default database)', async () => {
    const { dir } = project()
    // Port 1 refuses at once: reaching the connection would be another error.
    for (const url of ['mysql://bob:s3cretpw@127.0.0.1:1', 'mariadb://bob:s3cretpw@127.0.0.1:1/']) {
      const result = await cli(dir, ['current', '--url', url])
      const line = expectCleanError(result, 2, /database_url names no database: mysql|database_url names no database: mariadb/)
      expect(line).toContain('bob:***@127.0.0.1:1')
      expect(result.stderr).toContain('hint: add it to the URL: mysql://user@host:3306/app_db')
      expect(result.stderr).not.toContain('s3cretpw')
    }
  })

  it('a URL in the ini with a password that cannot connect: exit 1, host named, password masked', async () => {
    // Port 1 on the loopback refuses at once: no server is needed.
    const { dir } = project('[migrator]\nscript_location = %(here)s/migrations\ndatabase_url = postgresql://bob:s3cretpw@127.0.0.1:1/app\n')
    const result = await cli(dir, ['current'], { MIGRATOR_CONNECT_TIMEOUT: '5' })
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^error: .*127\.0\.0\.1/m)
    expect(result.stderr).not.toContain('s3cretpw')
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(2)
  })
})

describe('where the config comes from', () => {
  it('-c FILE (relative to the working directory, paths relative to the file), and a missing -c FILE', async () => {
    const dir = makeScratchDir()
    const sub = path.join(dir, 'conf')
    fs.mkdirSync(sub)
    fs.writeFileSync(path.join(sub, 'alt.ini'), '[migrator]\nscript_location = %(here)s/../scripts\n')
    writeRevision(path.join(dir, 'scripts', 'versions'), { id: 'alt1', message: 'alt' })
    const [ok, missing] = await Promise.all([cli(dir, ['-c', 'conf/alt.ini', 'heads']), cli(dir, ['--config', 'conf/nope.ini', 'heads'])])
    expectOk(ok)
    expect(ok.stdout).toBe('alt1 (head)\n')
    expectCleanError(missing, 2, "No config file 'conf/nope.ini' found")
  })

  it('MIGRATOR_CONFIG, and -c wins over it', async () => {
    const dir = makeScratchDir()
    fs.writeFileSync(path.join(dir, 'a.ini'), '[migrator]\nscript_location = %(here)s/a\n')
    fs.writeFileSync(path.join(dir, 'b.ini'), '[migrator]\nscript_location = %(here)s/b\n')
    writeRevision(path.join(dir, 'a', 'versions'), { id: 'aaa', message: 'a' })
    writeRevision(path.join(dir, 'b', 'versions'), { id: 'bbb', message: 'b' })
    const [viaEnv, flagWins, missing] = await Promise.all([
      cli(dir, ['heads'], { MIGRATOR_CONFIG: 'a.ini' }),
      cli(dir, ['-c', 'b.ini', 'heads'], { MIGRATOR_CONFIG: 'a.ini' }),
      cli(dir, ['heads'], { MIGRATOR_CONFIG: 'gone.ini' }),
    ])
    expectOk(viaEnv)
    expectOk(flagWins)
    expect(viaEnv.stdout).toBe('aaa (head)\n')
    expect(flagWins.stdout).toBe('bbb (head)\n')
    expectCleanError(missing, 2, "No config file 'gone.ini' found")
  })

  it('-n NAME reads that section, and MIGRATOR_<NAME>_DATABASE_URL wins over MIGRATOR_DATABASE_URL and the ini', async () => {
    const dir = makeScratchDir()
    fs.writeFileSync(
      path.join(dir, 'migrator.ini'),
      [
        '[migrator]',
        'script_location = %(here)s/main',
        'database_url = sqlite:///main.db',
        '',
        '[reporting]',
        'script_location = %(here)s/reporting',
        'database_url = sqlite:///reporting-ini.db',
        '',
      ].join('\n'),
    )
    writeRevision(path.join(dir, 'main', 'versions'), { id: 'main1', message: 'main' })
    writeRevision(path.join(dir, 'reporting', 'versions'), { id: 'rep1', message: 'reporting' })

    const [heads, mainHeads] = await Promise.all([cli(dir, ['-n', 'reporting', 'heads']), cli(dir, ['heads'])])
    expectOk(heads)
    expectOk(mainHeads)
    expect(heads.stdout).toBe('rep1 (head)\n')
    expect(mainHeads.stdout).toBe('main1 (head)\n')

    const env = { MIGRATOR_REPORTING_DATABASE_URL: 'sqlite:///reporting-env.db', MIGRATOR_DATABASE_URL: 'sqlite:///generic-env.db' }
    expectOk(await cli(dir, ['-n', 'reporting', '-q', 'upgrade', 'head'], env))
    expect(list(dir)).toEqual(['main', 'migrator.ini', 'reporting', 'reporting-env.db'])
    const current = await cli(dir, ['-n', 'reporting', 'current'], { MIGRATOR_REPORTING_DATABASE_URL: 'sqlite:///reporting-env.db' })
    expect(current.stdout).toBe('rep1 (head)\n')

    // Without -n, MIGRATOR_REPORTING_DATABASE_URL is ignored and MIGRATOR_DATABASE_URL wins over the ini.
    expectOk(await cli(dir, ['-q', 'upgrade', 'head'], env))
    expect(list(dir)).toContain('generic-env.db')
    expect(list(dir)).not.toContain('main.db')
    // --url wins over everything.
    expectOk(await cli(dir, ['-n', 'reporting', '-q', 'upgrade', 'head', '--url', 'sqlite:///flag.db'], env))
    expect(list(dir)).toContain('flag.db')
    expect(list(dir)).not.toContain('reporting-ini.db')

    // With -n and no URL anywhere, the message names the section's variable first.
    fs.writeFileSync(path.join(dir, 'migrator.ini'), '[reporting]\nscript_location = %(here)s/reporting\n')
    const line = expectCleanError(await cli(dir, ['-n', 'reporting', 'current']), 2, 'No database URL')
    expect(line).toContain('MIGRATOR_REPORTING_DATABASE_URL or MIGRATOR_DATABASE_URL')
    expect(line).toContain('database_url in [reporting] of migrator.ini')
  })

  it('a .env beside the ini provides variables for ${VAR} interpolation; set variables win', async () => {
    const dir = makeScratchDir()
    fs.writeFileSync(path.join(dir, 'migrator.ini'), '[migrator]\nscript_location = %(here)s/${SCRIPTS:-missing}\n')
    fs.writeFileSync(path.join(dir, '.env'), 'SCRIPTS=from_dotenv\n')
    writeRevision(path.join(dir, 'from_dotenv', 'versions'), { id: 'dot1' })
    writeRevision(path.join(dir, 'from_env', 'versions'), { id: 'env1' })
    const [dotenv, env] = await Promise.all([cli(dir, ['heads'], { SCRIPTS: undefined }), cli(dir, ['heads'], { SCRIPTS: 'from_env' })])
    expectOk(dotenv)
    expectOk(env)
    expect(dotenv.stdout).toBe('dot1 (head)\n')
    expect(env.stdout).toBe('env1 (head)\n')
  })
})
