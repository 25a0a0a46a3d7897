import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { codeCacheDirectory, MAX_ENTRIES, openCodeCache } from '../../src/script/code-cache.js'
import { loadModule } from '../../src/script/module-loader.js'

let dir: string
let cacheDir: string
const savedEnv = { dir: process.env['MIGRATOR_CODE_CACHE_DIR'], off: process.env['MIGRATOR_CODE_CACHE'] }

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'migrator-code-cache-test-'))
  cacheDir = path.join(dir, 'cache')
  // loadModule opens the cache once per process, from the environment of its first large file.
  process.env['MIGRATOR_CODE_CACHE_DIR'] = cacheDir
  delete process.env['MIGRATOR_CODE_CACHE']
})

afterAll(() => {
  if (savedEnv.dir === undefined) delete process.env['MIGRATOR_CODE_CACHE_DIR']
  else process.env['MIGRATOR_CODE_CACHE_DIR'] = savedEnv.dir
  if (savedEnv.off !== undefined) process.env['MIGRATOR_CODE_CACHE'] = savedEnv.off
  rmSync(dir, { recursive: true, force: true })
})

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ MIGRATOR_CODE_CACHE_DIR: path.join(dir, 'unit'), ...extra })

describe('openCodeCache', () => {
  it('lives under the OS temp folder unless moved', () => {
    expect(codeCacheDirectory({})).toBe(path.join(os.tmpdir(), 'migrator-code-cache'))
    expect(codeCacheDirectory({ MIGRATOR_CODE_CACHE_DIR: '/elsewhere' })).toBe('/elsewhere')
  })

  it('gives back what was written for the same file and source, and nothing for another source or file', () => {
    const cache = openCodeCache(env())!
    expect(cache).toBeDefined()
    const data = Buffer.from([1, 2, 3, 4])
    cache.write('/p/models.ts', 'export const a = 1', 'exports.a = 1', data)
    const hit = cache.read('/p/models.ts', 'export const a = 1')
    expect(hit?.code).toBe('exports.a = 1')
    expect([...hit!.data]).toEqual([1, 2, 3, 4])
    expect(cache.read('/p/models.ts', 'export const a = 2')).toBeUndefined()
    expect(cache.read('/p/other.ts', 'export const a = 1')).toBeUndefined()
    // One entry per file: writing the new source replaces the old one.
    cache.write('/p/models.ts', 'export const a = 2', 'exports.a = 2', Buffer.alloc(0))
    expect(cache.read('/p/models.ts', 'export const a = 1')).toBeUndefined()
    expect(cache.read('/p/models.ts', 'export const a = 2')?.code).toBe('exports.a = 2')
    expect(readdirSync(path.join(dir, 'unit')).filter((f) => f.endsWith('.bin'))).toHaveLength(1)
  })

  it('treats a truncated or foreign entry as a miss', () => {
    const cache = openCodeCache(env())!
    cache.write('/p/t.ts', 'src', 'code', Buffer.from('data'))
    const [entry] = readdirSync(path.join(dir, 'unit')).filter((f) => f.endsWith('.bin')).map((f) => path.join(dir, 'unit', f)).filter((f) => readFileSync(f).includes('code'))
    writeFileSync(entry!, readFileSync(entry!).subarray(0, 20))
    expect(cache.read('/p/t.ts', 'src')).toBeUndefined()
    writeFileSync(entry!, 'not an entry at all')
    expect(cache.read('/p/t.ts', 'src')).toBeUndefined()
  })

  it('is off with MIGRATOR_CODE_CACHE=0', () => {
    expect(openCodeCache(env({ MIGRATOR_CODE_CACHE: '0' }))).toBeUndefined()
  })

  it.skipIf(typeof process.getuid !== 'function')('is not used in a folder others can write to', () => {
    const shared = path.join(dir, 'shared')
    mkdirSync(shared)
    chmodSync(shared, 0o777)
    expect(openCodeCache({ MIGRATOR_CODE_CACHE_DIR: shared })).toBeUndefined()
    chmodSync(shared, 0o700)
    expect(openCodeCache({ MIGRATOR_CODE_CACHE_DIR: shared })).toBeDefined()
  })
})

describe('loadModule with the code cache', () => {
  /** A TypeScript module over the cache's size threshold (64 kB) exporting `value`. */
  const largeModule = (value: string): string =>
    [
      "import { MetaData, integer } from 'migrator'",
      'export const metadata = new MetaData()',
      ...Array.from({ length: 1500 }, (_, i) => `metadata.table('t_${i}', { id: integer().primaryKey() }) // padding padding padding`),
      `export const value: string = '${value}'`,
      '',
    ].join('\n')
  const requireCache = createRequire(import.meta.url).cache

  it('stores a large module on first load and runs the stored code next time', async () => {
    const file = path.join(dir, 'models.ts')
    const source = largeModule('VALUE_1')
    expect(source.length).toBeGreaterThan(64 * 1024)
    writeFileSync(file, source)
    expect((await loadModule(file))['value']).toBe('VALUE_1')
    const entries = readdirSync(cacheDir).filter((f) => f.endsWith('.bin'))
    expect(entries).toHaveLength(1)

    // The entry: magic (4 bytes), key (32), code length (4), code, V8's code cache data.
    const entryFile = path.join(cacheDir, entries[0]!)
    const entry = readFileSync(entryFile)
    const codeEnd = 40 + entry.readUInt32LE(36)
    expect(entry.length).toBeGreaterThan(codeEnd) // V8's data is there
    // The stored code, not the source, runs on the next load: tamper with it (V8's data dropped,
    // else V8 would run the bytecode it holds, compiled from the untampered code).
    const code = entry.subarray(0, codeEnd)
    const at = code.indexOf('VALUE_1')
    expect(at).toBeGreaterThan(0)
    code.write('VALUE_X', at)
    writeFileSync(entryFile, code)
    delete requireCache[file]
    expect((await loadModule(file))['value']).toBe('VALUE_X')
  })

  it('does not use an entry once the file changed', async () => {
    const file = path.join(dir, 'models.ts')
    delete requireCache[file]
    writeFileSync(file, largeModule('VALUE_2'))
    expect((await loadModule(file))['value']).toBe('VALUE_2')
    delete requireCache[file]
    // and the rewritten entry serves the new source
    expect((await loadModule(file))['value']).toBe('VALUE_2')
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.bin'))).toHaveLength(1)
  })
})

describe('the cache size', () => {
  it(`keeps the ${MAX_ENTRIES} most recently written entries`, () => {
    const cache = openCodeCache(env({ MIGRATOR_CODE_CACHE_DIR: path.join(dir, 'pruned') }))!
    const folder = path.join(dir, 'pruned')
    for (let i = 0; i < MAX_ENTRIES + 5; i++) {
      cache.write(`/p/f${i}.ts`, `source ${i}`, `code ${i}`, Buffer.alloc(0))
      // distinct write times, oldest first
      const entry = readdirSync(folder).map((f) => path.join(folder, f)).find((f) => readFileSync(f).includes(`code ${i}`))!
      utimesSync(entry, new Date(1000 * i), new Date(1000 * i))
    }
    expect(readdirSync(folder).filter((f) => f.endsWith('.bin'))).toHaveLength(MAX_ENTRIES)
    expect(cache.read('/p/f0.ts', 'source 0')).toBeUndefined()
    expect(cache.read(`/p/f${MAX_ENTRIES + 4}.ts`, `source ${MAX_ENTRIES + 4}`)?.code).toBe(`code ${MAX_ENTRIES + 4}`)
  })
})
