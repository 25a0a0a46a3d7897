/**
 * End-to-end: the executable keeps V8's code cache of its bundle (src/cli/boot.ts) in the code
 * cache folder, uses it on the next run, and keeps none with MIGRATOR_CODE_CACHE=0.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeProject, makeScratchDir, removeScratchDirs, writeRevision } from '../support/cli.js'
import { cli, expectOk } from './helpers.js'

afterAll(removeScratchDirs)

const entries = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.bin')) : [])

describe("the bundle's code cache", () => {
  it('is written by the first run and used by the next (same output), and not kept with MIGRATOR_CODE_CACHE=0', async () => {
    const project = makeProject('sqlite:///app.db')
    writeRevision(project.versions, { id: 'a1', up: '', down_: '' })
    const cacheDir = path.join(makeScratchDir('migrator-bundle-cache-'), 'cache')
    const first = await cli(project.dir, ['heads'], { MIGRATOR_CODE_CACHE_DIR: cacheDir })
    expectOk(first)
    const written = entries(cacheDir)
    expect(written).toHaveLength(1)
    const stamp = fs.statSync(path.join(cacheDir, written[0]!)).mtimeMs
    const second = await cli(project.dir, ['heads'], { MIGRATOR_CODE_CACHE_DIR: cacheDir })
    expectOk(second)
    expect(second.stdout).toBe(first.stdout)
    // Accepted by V8: not written again.
    expect(entries(cacheDir)).toEqual(written)
    expect(fs.statSync(path.join(cacheDir, written[0]!)).mtimeMs).toBe(stamp)

    const offDir = path.join(makeScratchDir('migrator-bundle-cache-'), 'cache')
    expectOk(await cli(project.dir, ['heads'], { MIGRATOR_CODE_CACHE_DIR: offDir, MIGRATOR_CODE_CACHE: '0' }))
    expect(entries(offDir)).toEqual([])
  })
})
