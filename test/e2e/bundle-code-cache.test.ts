/**
 * End-to-end: the executable keeps V8's code cache of its bundle (src/cli/boot.ts) in the code
 * cache folder, uses it on the next run, extends it to each kind of run it did not cover, and keeps
 * none with MIGRATOR_CODE_CACHE=0; beside it, one entry for the packages it requires
 * (src/cli/dependency-cache.ts), grown with each package a run loads.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeProject, makeScratchDir, removeScratchDirs, writeRevision } from '../support/cli.js'
import { fileURLToPath } from 'node:url'
import { DEPENDENCIES_ENTRY } from '../../src/cli/dependency-cache.js'
import { codeCacheEntryName } from '../../src/script/code-cache.js'
import { cli, expectOk } from './helpers.js'

afterAll(removeScratchDirs)

const entries = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.bin')) : [])
/** The bundle's entry, and the one of the packages it requires (src/cli/dependency-cache.ts). */
const BUNDLE = codeCacheEntryName(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'lib', 'migrator.cjs'))
const DEPENDENCIES = codeCacheEntryName(DEPENDENCIES_ENTRY)
/** The files a dependencies entry holds V8's data of (its index: JSON after the header). */
const dependencyFiles = (file: string): string[] => {
  const bytes = fs.readFileSync(file)
  return (JSON.parse(bytes.toString('utf8', 40, 40 + bytes.readUInt32LE(36))) as [string, unknown][]).map(([name]) => name)
}

describe("the bundle's code cache", () => {
  it('is written by the first run, used by the next (same output), grown by each kind of run it does not cover yet, and not kept with MIGRATOR_CODE_CACHE=0', async () => {
    const project = makeProject('sqlite:///app.db')
    writeRevision(project.versions, { id: 'a1', up: '', down_: '' })
    const cacheDir = path.join(makeScratchDir('migrator-bundle-cache-'), 'cache')
    const first = await cli(project.dir, ['heads'], { MIGRATOR_CODE_CACHE_DIR: cacheDir })
    expectOk(first)
    // The bundle's entry, and the packages' (commander, which every command loads).
    expect(entries(cacheDir).sort()).toEqual([BUNDLE, DEPENDENCIES].sort())
    const written = [BUNDLE]
    const { mtimeMs: stamp, size: firstSize } = fs.statSync(path.join(cacheDir, written[0]!))
    const dependencies = path.join(cacheDir, DEPENDENCIES)
    const { mtimeMs: dependenciesStamp } = fs.statSync(dependencies)
    expect(dependencyFiles(dependencies).some((file) => file.includes(`${path.sep}commander${path.sep}`))).toBe(true)
    const second = await cli(project.dir, ['heads'], { MIGRATOR_CODE_CACHE_DIR: cacheDir })
    expectOk(second)
    expect(second.stdout).toBe(first.stdout)
    // Accepted by V8: neither written again.
    expect(entries(cacheDir).sort()).toEqual([BUNDLE, DEPENDENCIES].sort())
    expect(fs.statSync(path.join(cacheDir, written[0]!)).mtimeMs).toBe(stamp)
    expect(fs.statSync(dependencies).mtimeMs).toBe(dependenciesStamp)

    // A kind of run the entry does not cover yet (the first was `heads`) writes it again, covering
    // both; failures, the version and runs of a covered kind leave it.
    const kinds = (): string[] => {
      const bytes = fs.readFileSync(path.join(cacheDir, written[0]!))
      return bytes.toString('utf8', 40, 40 + bytes.readUInt32LE(36)).split('\n')
    }
    expect(kinds()).toEqual(['heads'])
    expect((await cli(project.dir, ['upgrade', 'nosuch'], { MIGRATOR_CODE_CACHE_DIR: cacheDir })).code).toBe(1)
    expectOk(await cli(project.dir, ['--version'], { MIGRATOR_CODE_CACHE_DIR: cacheDir }))
    expect(fs.statSync(path.join(cacheDir, written[0]!)).mtimeMs).toBe(stamp)
    expectOk(await cli(project.dir, ['upgrade', 'head'], { MIGRATOR_CODE_CACHE_DIR: cacheDir }))
    expect(kinds()).toEqual(['heads', 'upgrade sqlite'])
    // The packages' entry now holds the SQLite driver's files too, and still commander's.
    const held = dependencyFiles(dependencies)
    expect(held.some((file) => file.includes(`${path.sep}better-sqlite3${path.sep}`))).toBe(true)
    expect(held.some((file) => file.includes(`${path.sep}commander${path.sep}`))).toBe(true)
    // V8's data now holds upgrade's functions besides those of heads.
    const grown = fs.statSync(path.join(cacheDir, written[0]!))
    expect(grown.size).toBeGreaterThan(firstSize)
    expectOk(await cli(project.dir, ['heads'], { MIGRATOR_CODE_CACHE_DIR: cacheDir }))
    expectOk(await cli(project.dir, ['downgrade', 'base'], { MIGRATOR_CODE_CACHE_DIR: cacheDir }))
    expect(kinds()).toEqual(['heads', 'upgrade sqlite', 'downgrade sqlite'])
    expect(fs.statSync(path.join(cacheDir, written[0]!)).size).toBeGreaterThanOrEqual(grown.size)
    expectOk(await cli(project.dir, ['upgrade', 'head'], { MIGRATOR_CODE_CACHE_DIR: cacheDir }))
    expect(kinds()).toEqual(['heads', 'upgrade sqlite', 'downgrade sqlite'])
    expect(entries(cacheDir).sort()).toEqual([BUNDLE, DEPENDENCIES].sort())

    const offDir = path.join(makeScratchDir('migrator-bundle-cache-'), 'cache')
    expectOk(await cli(project.dir, ['heads'], { MIGRATOR_CODE_CACHE_DIR: offDir, MIGRATOR_CODE_CACHE: '0' }))
    expect(entries(offDir)).toEqual([])
  })
})
