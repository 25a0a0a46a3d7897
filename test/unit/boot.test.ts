import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCli } from '../../src/cli/boot.js'
import { IMPORT_HOOK } from '../../src/script/import-esm.js'

let dir: string

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'migrator-boot-test-'))
})

afterAll(() => {
  delete (globalThis as Record<symbol, unknown>)[IMPORT_HOOK]
  rmSync(dir, { recursive: true, force: true })
})

/** A CommonJS "bundle" at a fresh path: `main` returns 7; it counts its evaluations in `globalThis`. */
function bundle(name: string): string {
  const file = path.join(dir, name, 'migrator.cjs')
  const body = [
    "const os = require('node:os')",
    'globalThis.__bootTestRuns = (globalThis.__bootTestRuns ?? 0) + 1',
    'exports.platform = os.platform()',
    'exports.self = __filename',
    'exports.main = async (argv) => 7 + argv.length',
    // The executable hands over an import() of its own (src/script/import-esm.ts).
    "exports.importOs = () => globalThis[Symbol.for('migrator.importEsm')]('node:os')",
    // What the run completed, as src/cli/main.ts tells it: here whatever the test set.
    'exports.completedRun = () => globalThis.__bootTestCompleted',
  ].join('\n')
  mkdirSync(path.dirname(file), { recursive: true })
  writeFileSync(file, body)
  return file
}

const require = createRequire(import.meta.url)

describe('loadCli (the executable loading its bundle)', () => {
  it('runs the bundle as Node would (one instance, in the require cache), with an import() for ES modules', async () => {
    const file = bundle('plain')
    const cacheDir = path.join(dir, 'cache-plain')
    const loaded = loadCli(file, { MIGRATOR_CODE_CACHE_DIR: cacheDir })
    expect(await loaded.cli.main(['a', 'b'])).toBe(9)
    const exports = loaded.cli as unknown as { self: string; platform: string; importOs(): Promise<{ platform(): string }> }
    expect(exports.self).toBe(file)
    expect(exports.platform).toBe(os.platform())
    // Requiring the file (as the package entry does) gives the same module, not a second evaluation.
    const runs = (globalThis as { __bootTestRuns?: number }).__bootTestRuns
    expect(require(file)).toBe(loaded.cli)
    expect((globalThis as { __bootTestRuns?: number }).__bootTestRuns).toBe(runs)
    expect((await exports.importOs()).platform()).toBe(os.platform())
  })

  it('writes V8\'s code cache of the bundle once, then loads with it (no new entry, the entry left as it is)', () => {
    const file = bundle('cached')
    const env = { MIGRATOR_CODE_CACHE_DIR: path.join(dir, 'cache-cached') }
    const first = loadCli(file, env)
    first.saveCodeCache()
    const entries = readdirSync(env.MIGRATOR_CODE_CACHE_DIR).filter((name) => name.endsWith('.bin'))
    expect(entries).toHaveLength(1)
    const written = statSync(path.join(env.MIGRATOR_CODE_CACHE_DIR, entries[0]!)).mtimeMs
    delete require.cache[file]
    const second = loadCli(file, env)
    second.saveCodeCache()
    expect(readdirSync(env.MIGRATOR_CODE_CACHE_DIR).filter((name) => name.endsWith('.bin'))).toEqual(entries)
    expect(statSync(path.join(env.MIGRATOR_CODE_CACHE_DIR, entries[0]!)).mtimeMs).toBe(written)
  })

  it('writes the entry again after a kind of run it does not cover yet, keeping the kinds it covered', () => {
    const file = bundle('kinds')
    const env = { MIGRATOR_CODE_CACHE_DIR: path.join(dir, 'cache-kinds') }
    const entry = (): { kinds: string[]; stamp: number } => {
      const names = readdirSync(env.MIGRATOR_CODE_CACHE_DIR).filter((name) => name.endsWith('.bin'))
      expect(names).toHaveLength(1)
      const bytes = readFileSync(path.join(env.MIGRATOR_CODE_CACHE_DIR, names[0]!))
      // MAGIC (4 bytes), key (32), text length (u32 LE), text: the kinds of run, one per line.
      const text = bytes.toString('utf8', 40, 40 + bytes.readUInt32LE(36))
      return { kinds: text === '' ? [] : text.split('\n'), stamp: statSync(path.join(env.MIGRATOR_CODE_CACHE_DIR, names[0]!)).mtimeMs }
    }
    const run = (completed: string | undefined): void => {
      ;(globalThis as { __bootTestCompleted?: string }).__bootTestCompleted = completed
      delete require.cache[file]
      loadCli(file, env).saveCodeCache()
    }
    try {
      run(undefined) // `--help`: the first run writes the entry, covering no kind
      expect(entry().kinds).toEqual([])
      run('heads')
      const heads = entry()
      expect(heads.kinds).toEqual(['heads'])
      run('heads')
      run(undefined)
      expect(entry()).toEqual(heads)
      run('check mysql')
      const both = entry()
      expect(both.kinds).toEqual(['heads', 'check mysql'])
      run('check mysql')
      run('heads')
      expect(entry()).toEqual(both)
    } finally {
      delete (globalThis as { __bootTestCompleted?: string }).__bootTestCompleted
    }
  })

  it('keeps no cache with MIGRATOR_CODE_CACHE=0, and lets Node load the bundle with MIGRATOR_DEBUG', async () => {
    const file = bundle('off')
    const cacheDir = path.join(dir, 'cache-off')
    loadCli(file, { MIGRATOR_CODE_CACHE_DIR: cacheDir, MIGRATOR_CODE_CACHE: '0' }).saveCodeCache()
    expect(() => readdirSync(cacheDir)).toThrow()
    delete require.cache[file]
    const debug = loadCli(file, { MIGRATOR_CODE_CACHE_DIR: cacheDir, MIGRATOR_DEBUG: '1' })
    debug.saveCodeCache()
    expect(await debug.cli.main([])).toBe(7)
    expect(require(file)).toBe(debug.cli)
    expect(() => readdirSync(cacheDir)).toThrow()
  })

  it('throws as readFileSync does for a bundle that is not there (the executable then says "not built")', () => {
    expect(() => loadCli(path.join(dir, 'nowhere', 'migrator.cjs'), {})).toThrow(expect.objectContaining({ code: 'ENOENT' }))
  })
})
