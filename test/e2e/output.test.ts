/**
 * End-to-end: output modes. --json (one JSON value on stdout, nothing else there), -q, and
 * colour: NO_COLOR / --no-color never colour, FORCE_COLOR=1 colours even into a pipe.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeProject, writeRevision, removeScratchDirs } from '../support/cli.js'
import { ANSI, cli, expectOk } from './helpers.js'

afterAll(removeScratchDirs)

let dir: string
let url: string

beforeAll(() => {
  const project = makeProject('', { env: null })
  dir = project.dir
  url = `sqlite:///${path.join(dir, 'out.db')}`
  writeRevision(project.versions, { id: 'one111', message: 'one' })
  writeRevision(project.versions, { id: 'two222', down: 'one111', labels: 'main', message: 'two', ext: 'js' })
})

/** Parses stdout as exactly one JSON value (JSON.parse rejects any other text around it). */
function json<T>(stdout: string): T {
  expect(stdout.endsWith('\n')).toBe(true)
  return JSON.parse(stdout) as T
}

describe('--json', () => {
  it('upgrade, current, history, heads, downgrade: valid JSON on stdout and nothing else', async () => {
    const upgrade = await cli(dir, ['--json', 'upgrade', 'head', '--url', url])
    expectOk(upgrade)
    expect(upgrade.stderr).toBe('')
    expect(json(upgrade.stdout)).toEqual({
      database: null,
      steps: [
        { revision: 'one111', direction: 'up', description: expect.stringContaining('-> one111, one') },
        { revision: 'two222', direction: 'up', description: expect.stringContaining('one111 -> two222, two') },
      ],
      heads: ['two222'],
    })

    const [current, history, indicated, heads] = await Promise.all([
      cli(dir, ['current', '--json', '--url', url]),
      cli(dir, ['--json', 'history']),
      cli(dir, ['--json', 'history', '-i', '--url', url]),
      cli(dir, ['--json', 'heads', '-v']),
    ])
    for (const result of [current, history, indicated, heads]) {
      expectOk(result)
      expect(result.stderr).toBe('')
    }
    expect(json<{ revision: string }[]>(current.stdout).map((r) => r.revision)).toEqual(['two222'])
    expect(json<{ revision: string; isCurrent: boolean }[]>(history.stdout).map((r) => [r.revision, r.isCurrent])).toEqual([
      ['two222', false],
      ['one111', false],
    ])
    expect(json<{ revision: string; isCurrent: boolean }[]>(indicated.stdout).map((r) => [r.revision, r.isCurrent])).toEqual([
      ['two222', true],
      ['one111', false],
    ])
    expect(json<{ revision: string; branchLabels: string[] }[]>(heads.stdout)).toMatchObject([{ revision: 'two222', branchLabels: ['main'] }])

    const downgrade = await cli(dir, ['--json', 'downgrade', '-1', '--url', url])
    expectOk(downgrade)
    expect(downgrade.stderr).toBe('')
    expect(json(downgrade.stdout)).toEqual({
      database: null,
      steps: [{ revision: 'two222', direction: 'down', description: expect.stringContaining('two222 -> one111, two') }],
      heads: ['one111'],
    })

    const nothing = await cli(dir, ['--json', 'upgrade', 'one111', '--url', url])
    expectOk(nothing)
    expect(json(nothing.stdout)).toEqual({ database: null, steps: [], heads: ['one111'] })

    const base = await cli(dir, ['--json', 'downgrade', 'base', '--url', url])
    expect(json<{ heads: string[] }>(base.stdout).heads).toEqual([])
    const atBase = await cli(dir, ['--json', 'current', '--url', url])
    expectOk(atBase)
    expect(atBase.stderr).toBe('')
    expect(json(atBase.stdout)).toEqual([])
  })

  it('an error with --json: nothing on stdout, the error on stderr', async () => {
    const results = await Promise.all([cli(dir, ['--json', 'show', 'nope']), cli(dir, ['--json', 'current'])])
    expect(results.map((r) => r.code)).toEqual([1, 2])
    for (const result of results) {
      expect(result.stdout).toBe('')
      expect(result.stderr).toMatch(/^error: /)
    }
  })
})

describe('-q', () => {
  it('silences progress; results and errors still print', async () => {
    const { dir: quietDir, versions } = makeProject('sqlite:///q.db', { env: null })
    writeRevision(versions, { id: 'q1', message: 'q' })
    const [loud, quiet] = await Promise.all([
      cli(quietDir, ['upgrade', 'head', '--url', `sqlite:///${path.join(quietDir, 'loud.db')}`]),
      cli(quietDir, ['-q', 'upgrade', 'head']),
    ])
    expectOk(loud)
    expect(loud.stderr).toContain('Running upgrade  -> q1, q')
    expect(loud.stderr).toContain('Done: 1 revision; now at q1')
    expectOk(quiet)
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' })

    const [current, again, error] = await Promise.all([
      cli(quietDir, ['--quiet', 'current']),
      cli(quietDir, ['-q', 'upgrade', 'head']),
      cli(quietDir, ['-q', 'show', 'nope']),
    ])
    expect(current).toEqual({ code: 0, stdout: 'q1 (head)\n', stderr: '' })
    expect(again).toEqual({ code: 0, stdout: '', stderr: '' })
    expect(error.code).toBe(1)
    expect(error.stderr).toMatch(/^error: Can't locate revision/)
  })
})

describe('colour', () => {
  it('FORCE_COLOR=1 colours heads and history into a pipe; NO_COLOR and --no-color win over it', async () => {
    const colourEnv = { NO_COLOR: undefined, FORCE_COLOR: '1' }
    const [forced, forcedHistory, noColorEnv, noColorFlag, emptyNoColor, plain] = await Promise.all([
      cli(dir, ['heads'], colourEnv),
      cli(dir, ['history'], colourEnv),
      cli(dir, ['heads'], { NO_COLOR: '1', FORCE_COLOR: '1' }),
      cli(dir, ['heads', '--no-color'], colourEnv),
      // An empty NO_COLOR does not disable colour (no-color.org).
      cli(dir, ['heads'], { NO_COLOR: '', FORCE_COLOR: '1' }),
      // A pipe without FORCE_COLOR: plain.
      cli(dir, ['heads'], { NO_COLOR: undefined }),
    ])
    const [forceZero, forceFalse] = await Promise.all([
      cli(dir, ['heads'], { NO_COLOR: undefined, FORCE_COLOR: '0' }),
      cli(dir, ['heads'], { NO_COLOR: undefined, FORCE_COLOR: 'false' }),
    ])
    for (const result of [forced, forcedHistory, noColorEnv, noColorFlag, emptyNoColor, plain, forceZero, forceFalse]) expectOk(result)
    expect(forced.stdout).toMatch(ANSI)
    expect(forced.stdout.replace(/\u001b\[\d+(;\d+)*m/g, '')).toBe('two222 (main) (head)\n')
    expect(forcedHistory.stdout).toMatch(ANSI)
    expect(emptyNoColor.stdout).toMatch(ANSI)
    // FORCE_COLOR=0 / false mean "no colour", as chalk reads them.
    for (const result of [noColorEnv, noColorFlag, plain, forceZero, forceFalse]) {
      expect(result.stdout).toBe('two222 (main) (head)\n')
      expect(result.stdout + result.stderr).not.toMatch(ANSI)
    }
  })

  it('errors are coloured only when colour is on', async () => {
    const [forced, off, flag] = await Promise.all([
      cli(dir, ['show', 'nope'], { NO_COLOR: undefined, FORCE_COLOR: '1' }),
      cli(dir, ['show', 'nope'], { NO_COLOR: '1', FORCE_COLOR: '1' }),
      cli(dir, ['--no-color', 'show', 'nope'], { NO_COLOR: undefined, FORCE_COLOR: '1' }),
    ])
    expect(forced.code).toBe(1)
    expect(forced.stderr).toMatch(ANSI)
    for (const result of [off, flag]) {
      expect(result.code).toBe(1)
      expect(result.stderr).not.toMatch(ANSI)
      expect(result.stderr).toMatch(/^error: Can't locate revision identified by 'nope'\nhint: /)
    }
  })
})
