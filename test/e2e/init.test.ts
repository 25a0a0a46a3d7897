/**
 * End-to-end: `init` (generic, multidb), its refusals, `list-templates`, and the generated
 * project working untouched from a folder with no local install of migrator.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeScratchDir, removeScratchDirs } from '../support/cli.js'
import { cli, expectCleanError, expectOk, list, read } from './helpers.js'

afterAll(removeScratchDirs)

/** True when `migrator` resolves from `dir` through node_modules (it must not, for these tests to mean anything). */
function hasLocalInstall(dir: string): boolean {
  for (let at = dir; ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, 'node_modules', 'migrator'))) return true
    if (path.dirname(at) === at) return false
  }
}

describe('migrator list-templates', () => {
  it('lists generic and multidb, as text and as JSON', async () => {
    const dir = makeScratchDir()
    const [text, json] = await Promise.all([cli(dir, ['list-templates']), cli(dir, ['--json', 'list-templates'])])
    expectOk(text)
    expect(text.stdout).toMatch(/^ {2}generic - \S.*$/m)
    expect(text.stdout).toMatch(/^ {2}multidb - \S.*$/m)
    expect(text.stdout).toContain('migrator init --template generic')
    expectOk(json)
    const templates = JSON.parse(json.stdout) as { name: string; description: string }[]
    expect(templates.map((t) => t.name)).toEqual(['generic', 'multidb'])
    for (const t of templates) expect(t.description.length).toBeGreaterThan(0)
    expect(fs.readdirSync(dir)).toEqual([])
  })
})

describe('migrator init', () => {
  it('generic: writes the script directory and migrator.ini, reports each file', async () => {
    const dir = makeScratchDir()
    const result = await cli(dir, ['init', 'migrations'])
    expectOk(result)
    expect(list(dir)).toEqual(['migrations', 'migrator.ini'])
    expect(list(path.join(dir, 'migrations'))).toEqual(['README', 'env.ts', 'script.ts.tmpl', 'versions'])
    expect(list(path.join(dir, 'migrations', 'versions'))).toEqual([])
    const ini = read(path.join(dir, 'migrator.ini'))
    expect(ini).toMatch(/^\[migrator\]$/m)
    expect(ini).toMatch(/^script_location = %\(here\)s\/migrations$/m)
    expect(ini).toMatch(/^database_url = sqlite:\/\/\/app\.db$/m)
    expect(ini).not.toContain('${script_location}')
    expect(read(path.join(dir, 'migrations', 'env.ts'))).toContain("from 'migrator'")
    for (const file of ['migrations', 'migrations/env.ts', 'migrations/script.ts.tmpl', 'migrations/versions', 'migrator.ini']) {
      expect(result.stderr).toContain(`Creating ${path.join(dir, file)} ... done`)
    }
    expect(result.stdout).toBe('')
  })

  it('multidb: one section per database and one upgrade/downgrade pair per database in revisions', async () => {
    const dir = makeScratchDir()
    expectOk(await cli(dir, ['init', '-t', 'multidb', 'mdb']))
    expect(list(path.join(dir, 'mdb'))).toEqual(['README', 'env.ts', 'script.ts.tmpl', 'versions'])
    const ini = read(path.join(dir, 'migrator.ini'))
    expect(ini).toMatch(/^databases = engine1, engine2$/m)
    expect(ini).toMatch(/^\[engine1\]$/m)
    expect(ini).toMatch(/^\[engine2\]$/m)
    expect(ini).toMatch(/^script_location = %\(here\)s\/mdb$/m)

    const revision = await cli(dir, ['revision', '-m', 'first', '--rev-id', 'm1'])
    expectOk(revision)
    const file = path.join(dir, 'mdb', 'versions', 'm1_first.ts')
    expect(revision.stdout).toBe(`${file}\n`)
    const text = read(file)
    for (const fn of ['upgrade_engine1', 'downgrade_engine1', 'upgrade_engine2', 'downgrade_engine2']) {
      expect(text).toContain(`export async function ${fn}(op: Operations): Promise<void>`)
    }
    // Runs untouched: both SQLite databases get the revision.
    expectOk(await cli(dir, ['upgrade', 'head']))
    expect(list(dir)).toEqual(['engine1.db', 'engine2.db', 'mdb', 'migrator.ini'])
  })

  it('--template nope is a usage error naming the templates', async () => {
    const dir = makeScratchDir()
    expectCleanError(await cli(dir, ['init', '-t', 'nope', 'migrations']), 2, "No such template 'nope'")
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('refuses a non-empty directory and writes nothing', async () => {
    const dir = makeScratchDir()
    fs.mkdirSync(path.join(dir, 'migrations'))
    fs.writeFileSync(path.join(dir, 'migrations', 'keep.txt'), 'mine')
    const result = await cli(dir, ['init', 'migrations'])
    expectCleanError(result, 1, `Directory ${path.join(dir, 'migrations')} already exists and is not empty`)
    expect(list(dir)).toEqual(['migrations'])
    expect(list(path.join(dir, 'migrations'))).toEqual(['keep.txt'])
    expect(read(path.join(dir, 'migrations', 'keep.txt'))).toBe('mine')
  })

  it('accepts an existing empty directory', async () => {
    const dir = makeScratchDir()
    fs.mkdirSync(path.join(dir, 'migrations'))
    expectOk(await cli(dir, ['init', 'migrations']))
    expect(list(path.join(dir, 'migrations'))).toEqual(['README', 'env.ts', 'script.ts.tmpl', 'versions'])
  })

  it('refuses an existing migrator.ini, overwrites nothing and creates no directory', async () => {
    const dir = makeScratchDir()
    fs.writeFileSync(path.join(dir, 'migrator.ini'), '[mine]\nkeep = 1\n')
    const result = await cli(dir, ['init', 'migrations'])
    expectCleanError(result, 1, `${path.join(dir, 'migrator.ini')} already exists`)
    expect(read(path.join(dir, 'migrator.ini'))).toBe('[mine]\nkeep = 1\n')
    expect(list(dir)).toEqual(['migrator.ini'])
  })

  it('the generated project works untouched: init, revision, upgrade head, current (no local install)', async () => {
    const dir = makeScratchDir()
    expect(hasLocalInstall(dir)).toBe(false)
    expectOk(await cli(dir, ['init', 'migrations']))

    const revision = await cli(dir, ['revision', '-m', 'first'])
    expectOk(revision)
    const files = list(path.join(dir, 'migrations', 'versions'))
    expect(files).toHaveLength(1)
    const [, id] = /^([0-9a-f]{12})_first\.ts$/.exec(files[0]!) ?? []
    expect(id, files[0]).toBeDefined()
    const file = path.join(dir, 'migrations', 'versions', files[0]!)
    expect(revision.stdout).toBe(`${file}\n`)
    expect(revision.stderr).toContain(`Generating ${file} ... done`)

    // env.ts imports defineEnv from 'migrator' at run time: it must resolve through the CLI's loader.
    const url = `sqlite:///${path.join(dir, 'custom.db')}`
    const upgrade = await cli(dir, ['upgrade', 'head', '--url', url])
    expectOk(upgrade)
    expect(upgrade.stderr).toContain(`Running upgrade  -> ${id}, first`)
    expect(fs.existsSync(path.join(dir, 'custom.db'))).toBe(true)
    expect(fs.existsSync(path.join(dir, 'app.db'))).toBe(false)

    const current = await cli(dir, ['current', '--url', url])
    expectOk(current)
    expect(current.stdout).toBe(`${id} (head)\n`)
    // Nothing was installed or cached into the project.
    expect(list(dir)).toEqual(['custom.db', 'migrations', 'migrator.ini'])
  })
})
