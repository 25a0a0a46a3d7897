/**
 * End-to-end: a command loads the driver of the database it uses and no other (a driver costs
 * 15–50 ms to load), `--help` loads none, and migrator itself is one bundle. The modules a run
 * resolves are recorded by a module-resolution hook (`module.register`) in the CLI's own process.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, makeProject, removeScratchDirs, REPO_ROOT, writeRevision } from '../support/cli.js'

afterAll(removeScratchDirs)

/**
 * The files that `migrator args` loads (run in `dir`): ES modules as a module-resolution hook
 * sees them, CommonJS ones (the drivers, required) as Node's CommonJS loader resolves them, and the
 * bundle, which the executable reads itself (src/cli/boot.ts).
 */
function modulesResolved(dir: string, args: readonly string[]): { status: number | null; files: string[] } {
  const hooks = path.join(dir, 'record-hooks.mjs')
  fs.writeFileSync(
    hooks,
    'export async function resolve(specifier, context, next) {\n  const result = await next(specifier, context)\n  console.error(`resolved ${result.url}`)\n  return result\n}\n',
  )
  const recordRequire = path.join(dir, 'record-require.cjs')
  fs.writeFileSync(
    recordRequire,
    [
      "const Module = require('node:module')",
      "const fs = require('node:fs')",
      'const resolveFilename = Module._resolveFilename',
      'Module._resolveFilename = function (...args) {',
      '  const file = resolveFilename.apply(this, args)',
      "  if (file.startsWith('/')) process.stderr.write(`resolved file://${file}\\n`)",
      '  return file',
      '}',
      'const readFileSync = fs.readFileSync',
      "fs.readFileSync = function (file, ...rest) {",
      "  if (typeof file === 'string' && file.endsWith('.cjs')) process.stderr.write(`resolved file://${file}\\n`)",
      '  return readFileSync.call(this, file, ...rest)',
      '}',
      '',
    ].join('\n'),
  )
  const register = `data:text/javascript,import { register } from "node:module"; register(${JSON.stringify(pathToFileURL(hooks).href)})`
  const result = spawnSync(process.execPath, ['--require', recordRequire, '--import', register, BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', MIGRATOR_DATABASE_URL: '' } })
  const files = [...result.stderr.matchAll(/^resolved (\S+)$/gm)].map((m) => m[1]!).filter((url) => url.startsWith('file:'))
  return { status: result.status, files }
}

/** The database drivers among `files`. */
const drivers = (files: readonly string[]): string[] =>
  [...new Set(files.map((f) => /\/node_modules\/(pg|mysql2|better-sqlite3)\//.exec(f)?.[1]).filter((d): d is string => d !== undefined))].sort()

/** The files of dist/ among `files`, relative to it. */
const distFiles = (files: readonly string[]): string[] => [...new Set(files.flatMap((f) => /\/dist\/(.*)$/.exec(f)?.[1] ?? []))].sort()

describe('lazy loading', () => {
  it('a SQLite command loads SQLite\'s driver only', () => {
    const project = makeProject('sqlite:///app.db')
    writeRevision(project.versions, { id: 'a1', up: "await op.execute('CREATE TABLE t (id INTEGER PRIMARY KEY)')", down_: "await op.execute('DROP TABLE t')" })
    for (const args of [['upgrade', 'head'], ['current']]) {
      const { status, files } = modulesResolved(project.dir, args)
      expect(status, args.join(' ')).toBe(0)
      expect(drivers(files), args.join(' ')).toEqual(['better-sqlite3'])
    }
  })

  it('autogenerate on SQLite (check, revision --autogenerate) loads SQLite\'s driver only', () => {
    const project = makeProject('sqlite:///app.db', { ini: 'target_metadata = %(here)s/models.ts', scriptTemplate: true })
    fs.writeFileSync(
      path.join(project.dir, 'models.ts'),
      "import { MetaData, integer, text } from 'migrator'\n\nexport const metadata = new MetaData()\nmetadata.table('t', { id: integer().primaryKey(), note: text() })\n",
    )
    const generated = modulesResolved(project.dir, ['revision', '--autogenerate', '-m', 'first'])
    expect(generated.status).toBe(0)
    expect(drivers(generated.files)).toEqual(['better-sqlite3'])
    expect(modulesResolved(project.dir, ['upgrade', 'head']).status).toBe(0)
    const checked = modulesResolved(project.dir, ['check'])
    expect(checked.status).toBe(0)
    expect(drivers(checked.files)).toEqual(['better-sqlite3'])
  })

  it('--help loads no driver, and the CLI is one bundle (scripts/bundle.mjs) with its entry files', () => {
    const project = makeProject('sqlite:///app.db')
    const { status, files } = modulesResolved(project.dir, ['--help'])
    expect(status).toBe(0)
    expect(drivers(files)).toEqual([])
    expect(distFiles(files)).toEqual(['cli/boot.cjs', 'lib/migrator.cjs'])
    // A command loading user code (env.ts imports `migrator`): the bundle's own exports, not the package entry re-exporting them.
    writeRevision(project.versions, { id: 'a1', up: '', down_: '' })
    expect(distFiles(modulesResolved(project.dir, ['upgrade', 'head']).files)).toEqual(['cli/boot.cjs', 'lib/migrator.cjs'])
  })

  it("user code's `migrator` under the CLI has the package entry's exports, and the CLI's instances", async () => {
    const env = [
      "import * as api from 'migrator'",
      "import { defineEnv, MetaData } from 'migrator'",
      'process.stdout.write(`exports ${JSON.stringify(Object.keys(api).sort())}\\n`)',
      'process.stdout.write(`same ${api.MetaData === MetaData && typeof api.defineEnv === "function"}\\n`)',
      'export default defineEnv({})',
      '',
    ].join('\n')
    const project = makeProject('sqlite:///app.db', { env })
    for (const transform of [undefined, 'jiti']) {
      const result = spawnSync(process.execPath, [BIN, 'current'], { cwd: project.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', MIGRATOR_DATABASE_URL: '', MIGRATOR_TRANSFORM: transform ?? '' } })
      expect(result.status, result.stderr).toBe(0)
      const entry = (await import(pathToFileURL(path.join(REPO_ROOT, 'dist', 'index.js')).href)) as Record<string, unknown>
      expect(JSON.parse(/^exports (.*)$/m.exec(result.stdout)![1]!)).toEqual(Object.keys(entry).sort())
      expect(result.stdout).toContain('same true')
      expect(Object.keys(entry)).not.toContain('main')
    }
  })
})
