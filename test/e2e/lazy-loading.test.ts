/**
 * End-to-end: a command loads the modules of the dialect it uses and no other (their modules cost
 * every command's start-up), and `--help` loads none. The modules a run resolves are recorded by a
 * module-resolution hook (`module.register`) in the CLI's own process.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, makeProject, removeScratchDirs, writeRevision } from '../support/cli.js'

afterAll(removeScratchDirs)

/** The files under dist/ and node_modules/ that `migrator args` resolves (run in `dir`). */
function modulesResolved(dir: string, args: readonly string[]): { status: number | null; files: string[] } {
  const hooks = path.join(dir, 'record-hooks.mjs')
  fs.writeFileSync(
    hooks,
    'export async function resolve(specifier, context, next) {\n  const result = await next(specifier, context)\n  console.error(`resolved ${result.url}`)\n  return result\n}\n',
  )
  const register = `data:text/javascript,import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(hooks).href)})`
  const result = spawnSync(process.execPath, ['--import', register, BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', MIGRATOR_DATABASE_URL: '' } })
  const files = [...result.stderr.matchAll(/^resolved (\S+)$/gm)].map((m) => m[1]!).filter((url) => url.startsWith('file:'))
  return { status: result.status, files }
}

const dialectModules = (files: readonly string[]): string[] =>
  [...new Set(files.map((f) => /\/dist\/dialects\/(postgres|mysql|sqlite)\//.exec(f)?.[1]).filter((d): d is string => d !== undefined))].sort()

describe('lazy loading', () => {
  it('a SQLite command loads the SQLite dialect only, and no other driver', () => {
    const project = makeProject('sqlite:///app.db')
    writeRevision(project.versions, { id: 'a1', up: "await op.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)')", down_: "await op.execute('DROP TABLE t')" })
    for (const args of [['upgrade', 'head'], ['current']]) {
      const { status, files } = modulesResolved(project.dir, args)
      expect(status, args.join(' ')).toBe(0)
      expect(dialectModules(files), args.join(' ')).toEqual(['sqlite'])
      expect(files.some((f) => /node_modules\/(pg|mysql2)\//.test(f)), args.join(' ')).toBe(false)
    }
  })

  it('autogenerate on SQLite (check, revision --autogenerate) loads the SQLite dialect only', () => {
    const project = makeProject('sqlite:///app.db', { ini: 'target_metadata = %(here)s/models.ts', scriptTemplate: true })
    fs.writeFileSync(
      path.join(project.dir, 'models.ts'),
      "import { MetaData, integer, text } from 'migrator'\n\nexport const metadata = new MetaData()\nmetadata.table('t', { id: integer().primaryKey(), note: text() })\n",
    )
    const generated = modulesResolved(project.dir, ['revision', '--autogenerate', '-m', 'first'])
    expect(generated.status).toBe(0)
    // Comparing, ordering and rendering the revision: nothing of PostgreSQL's or MySQL's.
    expect(generated.files.some((f) => f.includes('/dist/autogenerate/render-revision.js'))).toBe(true)
    expect(dialectModules(generated.files)).toEqual(['sqlite'])
    expect(modulesResolved(project.dir, ['upgrade', 'head']).status).toBe(0)
    // check: the comparison finds the table it created, with one (the only) dialect loaded.
    const checked = modulesResolved(project.dir, ['check'])
    expect(checked.status).toBe(0)
    expect(checked.files.some((f) => f.includes('/dist/autogenerate/compare.js'))).toBe(true)
    expect(dialectModules(checked.files)).toEqual(['sqlite'])
  })

  it('--help loads no dialect', () => {
    const project = makeProject('sqlite:///app.db')
    const { status, files } = modulesResolved(project.dir, ['--help'])
    expect(status).toBe(0)
    expect(files.length).toBeGreaterThan(0) // the hook saw the CLI's own modules
    expect(dialectModules(files)).toEqual([])
  })
})
