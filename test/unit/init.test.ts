import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { initProject, listTemplates } from '../../src/commands/init.js'
import { CommandError, MigratorError, UsageError } from '../../src/errors.js'
import { templatesDirectory } from '../../src/script/paths.js'
import { readRevisionHeader } from '../../src/script/revision-file.js'
import { renderTemplate } from '../../src/script/template.js'

const templatesDir = templatesDirectory()
let cwd: string

beforeEach(() => {
  cwd = mkdtempSync(path.join(os.tmpdir(), 'migrator-init-'))
})

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true })
})

function thrown(fn: () => unknown): MigratorError {
  try {
    fn()
  } catch (err) {
    if (err instanceof MigratorError) return err
    throw err
  }
  throw new Error('expected an error')
}

/** The keys of DESIGN §2 that the ini template documents. */
const DOCUMENTED_KEYS = [
  'script_location',
  'database_url',
  'target_metadata',
  'file_template',
  'timezone',
  'truncate_slug_length',
  'version_locations',
  'version_path_separator',
  'version_table',
  'version_table_schema',
  'transaction_per_migration',
  'compare_type',
  'compare_server_default',
  'revision_environment',
  'post_write_hooks',
]

describe('templatesDirectory', () => {
  it('is the templates folder of the package', () => {
    expect(templatesDir).toBe(path.resolve(import.meta.dirname, '../../templates'))
  })
})

describe('listTemplates', () => {
  it('lists generic and multidb with a description each', () => {
    const templates = listTemplates(templatesDir)
    expect(templates.map((t) => t.name)).toEqual(['generic', 'multidb'])
    for (const t of templates) expect(t.description).toMatch(/\S/)
  })
})

describe('initProject', () => {
  it('writes the generic template and migrator.ini pointing at the directory', () => {
    const { created } = initProject({ directory: 'migrations', template: 'generic', cwd, templatesDir })
    const dir = path.join(cwd, 'migrations')
    expect(created).toEqual([
      dir,
      path.join(dir, 'README'),
      path.join(dir, 'env.ts'),
      path.join(dir, 'script.ts.tmpl'),
      path.join(dir, 'versions'),
      path.join(cwd, 'migrator.ini'),
    ])
    expect(readdirSync(path.join(dir, 'versions'))).toEqual([])
    const ini = readFileSync(path.join(cwd, 'migrator.ini'), 'utf8')
    expect(ini).toMatch(/^\[migrator\]$/m)
    expect(ini).toMatch(/^script_location = %\(here\)s\/migrations$/m)
    expect(ini).toMatch(/^database_url = sqlite:\/\/\/app\.db$/m)
    expect(ini).toMatch(/^# file_template = %%\(year\)d_%%\(month\)\.2d/m)
    expect(ini).toContain('${VAR:-default}')
    expect(ini).not.toContain('$${')
    for (const key of DOCUMENTED_KEYS) expect(ini, key).toContain(key)
    const env = readFileSync(path.join(dir, 'env.ts'), 'utf8')
    expect(env).toContain("import { defineEnv } from 'migrator'")
    expect(env).toContain('export default defineEnv({')
    // env.ts works untouched: its only live import is migrator itself
    expect(env.split('\n').filter((line) => /^\s*import\b/.test(line))).toEqual(["import { defineEnv } from 'migrator'"])
    for (const option of ['targetMetadata', 'url', 'includeObject']) expect(env).toContain(`// ${option}:`)
  })

  it('writes the multidb template: databases and one section per database', () => {
    initProject({ directory: 'db', template: 'multidb', cwd, templatesDir })
    const ini = readFileSync(path.join(cwd, 'migrator.ini'), 'utf8')
    expect(ini).toMatch(/^databases = engine1, engine2$/m)
    expect(ini).toMatch(/^\[engine1\]\ndatabase_url = sqlite:\/\/\/engine1\.db$/m)
    expect(ini).toMatch(/^\[engine2\]\ndatabase_url = sqlite:\/\/\/engine2\.db$/m)
    expect(ini).toMatch(/^script_location = %\(here\)s\/db$/m)
    const template = readFileSync(path.join(cwd, 'db', 'script.ts.tmpl'), 'utf8')
    expect(template).toContain('upgrade_${db.name}')
    const readme = readFileSync(path.join(cwd, 'db', 'README'), 'utf8')
    expect(readme).toContain('-n NAME')
    expect(readme).toContain('upgrade_<name>')
  })

  it('accepts an existing empty directory, a nested path and an absolute path outside cwd', () => {
    mkdirSync(path.join(cwd, 'empty'))
    expect(initProject({ directory: 'empty', template: 'generic', cwd, templatesDir }).created[0]).toBe(path.join(cwd, 'empty', 'README'))
    const nested = mkdtempSync(path.join(os.tmpdir(), 'migrator-init-'))
    try {
      initProject({ directory: 'db/migrations', template: 'generic', cwd: nested, templatesDir })
      expect(readFileSync(path.join(nested, 'migrator.ini'), 'utf8')).toMatch(/^script_location = %\(here\)s\/db\/migrations$/m)
      const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'migrator-init-100%-'))
      rmSync(path.join(nested, 'migrator.ini'))
      initProject({ directory: path.join(elsewhere, 'm'), template: 'generic', cwd: nested, templatesDir })
      expect(readFileSync(path.join(nested, 'migrator.ini'), 'utf8')).toContain(`script_location = ${path.join(elsewhere, 'm').replaceAll('%', '%%')}\n`)
      rmSync(elsewhere, { recursive: true, force: true })
    } finally {
      rmSync(nested, { recursive: true, force: true })
    }
  })

  it('refuses a non-empty directory and writes nothing', () => {
    mkdirSync(path.join(cwd, 'migrations'))
    writeFileSync(path.join(cwd, 'migrations', 'keep.txt'), 'x')
    const err = thrown(() => initProject({ directory: 'migrations', template: 'generic', cwd, templatesDir }))
    expect(err).toBeInstanceOf(CommandError)
    expect(err.message).toContain('not empty')
    expect(err.hint).toBeTruthy()
    expect(existsSync(path.join(cwd, 'migrator.ini'))).toBe(false)
    expect(readdirSync(path.join(cwd, 'migrations'))).toEqual(['keep.txt'])
  })

  it('refuses when migrator.ini exists, never overwriting it, and creates nothing', () => {
    writeFileSync(path.join(cwd, 'migrator.ini'), '[migrator]\nscript_location = mine\n')
    const err = thrown(() => initProject({ directory: 'migrations', template: 'generic', cwd, templatesDir }))
    expect(err).toBeInstanceOf(CommandError)
    expect(err.message).toContain('migrator.ini')
    expect(readFileSync(path.join(cwd, 'migrator.ini'), 'utf8')).toBe('[migrator]\nscript_location = mine\n')
    expect(existsSync(path.join(cwd, 'migrations'))).toBe(false)
  })

  it('refuses an unknown template with a UsageError listing the templates', () => {
    const err = thrown(() => initProject({ directory: 'migrations', template: 'fancy', cwd, templatesDir }))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.exitCode).toBe(2)
    expect(err.message).toContain("'fancy'")
    expect(err.hint).toContain('generic, multidb')
    expect(existsSync(path.join(cwd, 'migrations'))).toBe(false)
  })

  it.each(['generic', 'multidb'])('ships a %s script template that renders to a readable revision', (name) => {
    const file = path.join(templatesDir, name, 'script.ts.tmpl')
    const text = renderTemplate(
      readFileSync(file, 'utf8'),
      {
        message: 'm',
        up_revision: "'r2'",
        revision_id: 'r2',
        down_revision: "['r0', 'r1']",
        revises: 'r0, r1',
        branch_labels: "'lbl'",
        depends_on: 'null',
        create_date: '2026-11-21 10:21:07.123456+00:00',
        imports: '',
        upgrades: 'void op',
        downgrades: 'void op',
        databases: [{ name: 'engine1', upgrades: 'void op', downgrades: 'void op' }],
      },
      file,
    )
    expect(readRevisionHeader(file, text)).toMatchObject({ revision: 'r2', downRevisions: ['r0', 'r1'], branchLabels: ['lbl'], doc: 'm' })
  })
})
