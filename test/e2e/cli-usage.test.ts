/**
 * End-to-end: --version, --help on every command, and usage errors (exit 2, one line, a hint).
 * Runs in an empty scratch folder: none of this may need a config file.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeScratchDir, REPO_ROOT, removeScratchDirs } from '../support/cli.js'
import { cli, expectCleanError, STACK_FRAME } from './helpers.js'

afterAll(removeScratchDirs)

const COMMANDS = [
  'init',
  'list-templates',
  'revision',
  'upgrade',
  'downgrade',
  'current',
  'heads',
  'branches',
  'history',
  'show',
  'stamp',
  'merge',
  'edit',
  'ensure-version',
]

let dir: string
beforeAll(() => {
  dir = makeScratchDir()
})

describe('migrator --version', () => {
  it('prints the package.json version, with -V too', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
    const results = await Promise.all([cli(dir, ['--version']), cli(dir, ['-V'])])
    for (const result of results) {
      expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
    }
  })
})

describe('the executable without dist/', () => {
  it('says it is not built (exit 2, a hint), without a stack trace', () => {
    // A copy of bin/ (the executable and its package.json) with no dist/ beside it.
    const copy = makeScratchDir('migrator-unbuilt-')
    fs.cpSync(path.join(REPO_ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true })
    const result = spawnSync(process.execPath, [path.join(copy, 'bin', 'migrator.js'), '--version'], { cwd: copy, encoding: 'utf8' })
    expect(result.status).toBe(2)
    expect(result.stdout).toBe('')
    expect(result.stderr).toBe('error: migrator is not built\nhint: run `npm run build` in the migrator package\n')
  })
})

describe('migrator --help', () => {
  it('lists every command and the global options', async () => {
    const results = await Promise.all([cli(dir, ['--help']), cli(dir, ['-h'])])
    for (const result of results) {
      expect(result.code).toBe(0)
      expect(result.stderr).toBe('')
      expect(result.stdout).toMatch(/^Usage: migrator \[options\] \[command\]/)
      for (const command of COMMANDS) expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'))
      for (const option of ['--config', '--name', '-x', '--url', '--json', '--quiet', '--no-color', '--version']) {
        expect(result.stdout).toContain(option)
      }
    }
    expect(results[0]!.stdout).toBe(results[1]!.stdout)
  })

  it('works for every command (--help, and -h), exit 0, without a config file', async () => {
    const results = await Promise.all(COMMANDS.map((command) => cli(dir, [command, '--help'])))
    COMMANDS.forEach((command, i) => {
      const result = results[i]!
      expect(result.code, `${command}: ${result.stderr}`).toBe(0)
      expect(result.stderr).toBe('')
      expect(result.stdout).toMatch(new RegExp(`^Usage: migrator ${command} `))
      expect(result.stdout).toContain('-h, --help')
    })
    const help = (command: string) => results[COMMANDS.indexOf(command)]!.stdout
    const short = await Promise.all(['revision', 'stamp'].map((command) => cli(dir, [command, '-h'])))
    expect(short.map((r) => [r.code, r.stdout])).toEqual([
      [0, help('revision')],
      [0, help('stamp')],
    ])
    for (const flag of ['-m, --message', '--head', '--splice', '--branch-label', '--version-path', '--rev-id', '--depends-on']) {
      expect(help('revision')).toContain(flag)
    }
    expect(help('init')).toContain('-t, --template')
    expect(help('history')).toContain('-r, --rev-range')
    expect(help('heads')).toContain('--resolve-dependencies')
    expect(help('stamp')).toContain('--purge')
    expect(help('upgrade')).toContain('--sql')
    // No file was written by asking for help.
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('`help COMMAND` is the same as `COMMAND --help`', async () => {
    const [viaHelp, viaFlag] = await Promise.all([cli(dir, ['help', 'heads']), cli(dir, ['heads', '--help'])])
    expect(viaHelp.code).toBe(0)
    expect(viaHelp.stdout).toBe(viaFlag.stdout)
  })
})

describe('usage errors exit 2 with one line and a hint, no stack trace', () => {
  const program = '(run with --help for usage)'
  const of = (command: string) => `(run "migrator ${command} --help" for usage)`
  it.each([
    ['unknown command', ['frobnicate'], "unknown command 'frobnicate'", program],
    ['unknown global option', ['--frobnicate', 'heads'], "unknown option '--frobnicate'", program],
    ['unknown command option', ['heads', '--frobnicate'], "unknown option '--frobnicate'", of('heads')],
    ['unknown option of upgrade', ['upgrade', 'head', '--purge'], "unknown option '--purge'", of('upgrade')],
    ['missing argument of upgrade', ['upgrade'], "missing required argument 'target'", of('upgrade')],
    ['missing argument of downgrade', ['downgrade'], "missing required argument 'target'", of('downgrade')],
    ['missing argument of show', ['show'], "missing required argument 'rev'", of('show')],
    ['missing argument of init', ['init'], "missing required argument 'directory'", of('init')],
    ['missing argument of stamp', ['stamp'], "missing required argument 'revisions'", of('stamp')],
    ['missing argument of edit', ['edit'], "missing required argument 'rev'", of('edit')],
    ['missing option value', ['revision', '--head'], "option '--head <rev>' argument missing", of('revision')],
    ['missing global option value', ['heads', '-c'], "option '-c, --config <file>' argument missing", program],
    ['too many arguments', ['heads', 'extra'], "too many arguments for 'heads'", of('heads')],
  ])('%s', async (_name, args, message, hint) => {
    const result = await cli(dir, args)
    expectCleanError(result, 2, message)
    expect(result.stderr.trimEnd().split('\n')[1]).toBe(hint)
  })

  it('an error inside a command (no config) is one line and a hint, exit 2, and MIGRATOR_DEBUG=1 adds the stack', async () => {
    const [plain, debug] = await Promise.all([cli(dir, ['heads']), cli(dir, ['heads'], { MIGRATOR_DEBUG: '1' })])
    expectCleanError(plain, 2, "No config file 'migrator.ini' found")
    expect(debug.code).toBe(2)
    expect(debug.stderr).toMatch(STACK_FRAME)
  })
})
