/**
 * End-to-end: folders that cannot be created (under a dangling symbolic link, under /proc) are an
 * error or a cache left unused, never a hang: Node 20's `mkdirSync(…, { recursive: true })` spins
 * for ever under /proc, so each run here has a time limit (a hang fails the test, not the suite).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, makeProject, makeScratchDir, removeScratchDirs, writeRevision } from '../support/cli.js'

afterAll(removeScratchDirs)

function run(cwd: string, args: readonly string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string; timedOut: boolean } {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1', MIGRATOR_DATABASE_URL: '', ...env } })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, timedOut: result.error !== undefined }
}

/** A symbolic link to a folder that does not exist. */
function danglingLink(): string {
  const dir = makeScratchDir('migrator-dangling-')
  const link = path.join(dir, 'dangling')
  fs.symlinkSync(path.join(dir, 'missing'), link)
  return link
}

describe('folders that cannot be created', () => {
  it('a code cache folder there leaves the cache unused; the command runs', () => {
    const project = makeProject('sqlite:///app.db')
    writeRevision(project.versions, { id: 'a1', up: '', down_: '' })
    const places = [path.join(danglingLink(), 'cache')]
    if (fs.existsSync('/proc/self')) places.push('/proc/migrator-test/cache')
    for (const place of places) {
      const result = run(project.dir, ['heads'], { MIGRATOR_CODE_CACHE_DIR: place })
      expect(result.timedOut, place).toBe(false)
      expect(result.status, result.stderr).toBe(0)
      expect(result.stdout).toContain('a1 (head)')
    }
  })

  it('init into such a folder and revision with such a version location: one error line, no hang', () => {
    const link = danglingLink()
    const init = run(path.dirname(link), ['init', path.join(link, 'migrations')])
    expect(init.timedOut).toBe(false)
    expect(init.status).not.toBe(0)
    expect(init.stderr).toMatch(/^error: Cannot create the folder .*migrations: /m)

    const project = makeProject('sqlite:///app.db', { ini: `version_locations = ${path.join(link, 'versions')}`, scriptTemplate: true })
    const revision = run(project.dir, ['revision', '-m', 'first'])
    expect(revision.timedOut).toBe(false)
    expect(revision.status).not.toBe(0)
    expect(revision.stderr).toMatch(/^error: Cannot create the folder .*versions: /m)
    expect(revision.stderr).toMatch(/^hint: /m)
  })
})
