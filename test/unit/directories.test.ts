import { mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeDirectories } from '../../src/script/directories.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'migrator-directories-test-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('makeDirectories (mkdir -p)', () => {
  it('creates the missing folders top down, with the mode given, and accepts existing ones', () => {
    const deep = path.join(dir, 'a', 'b', 'c')
    makeDirectories(deep, 0o700)
    expect(statSync(deep).isDirectory()).toBe(true)
    expect(statSync(path.join(dir, 'a')).mode & 0o777).toBe(0o700)
    makeDirectories(deep)
    makeDirectories(dir)
  })

  it('fails, without looping, where a folder above cannot hold children (a dangling link, a file)', () => {
    // Node's mkdirSync(…, { recursive: true }) spins for ever under /proc: the end-to-end tests run
    // the CLI on such paths with a time limit.
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'))
    expect(() => makeDirectories(path.join(dir, 'dangling', 'x', 'y'))).toThrow(/EEXIST|ENOENT/)
    writeFileSync(path.join(dir, 'file'), '')
    expect(() => makeDirectories(path.join(dir, 'file', 'x'))).toThrow(/ENOTDIR|EEXIST/)
  })
})
