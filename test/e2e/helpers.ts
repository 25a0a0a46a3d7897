/** Shared helpers of the CLI end-to-end tests (not a test file itself). */
import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { runCli, writeRevision, type CliResult } from '../support/cli.js'

/** A V8 stack frame line (`    at fn (file:1:2)`). */
export const STACK_FRAME = /^\s+at \S.*:\d+:\d+\)?$/m
/** Any ANSI escape sequence. */
export const ANSI = /\u001b\[/

/**
 * Runs the CLI in `cwd` with a deterministic environment: no colour, no debug, no editor, no
 * config or URL variables inherited from the caller; `env` adds or removes (undefined) variables.
 */
export function cli(cwd: string, args: readonly string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return runCli(args, {
    cwd,
    env: { MIGRATOR_DEBUG: undefined, EDITOR: undefined, VISUAL: undefined, FORCE_COLOR: undefined, ...env },
  })
}

/** Exit 0, nothing on stderr that looks like a failure. */
export function expectOk(result: CliResult): void {
  expect(result.stderr, result.stderr).not.toMatch(/^error:/m)
  expect(result.stderr).not.toMatch(STACK_FRAME)
  expect(result.code, result.stderr).toBe(0)
}

/**
 * A failure as DESIGN §7 wants it: the exit code, nothing on stdout, exactly one `error:` line
 * (matching `message`) followed by one hint line (`hint:` or commander's `(run … --help …)`), no stack.
 * `extraLines` allows progress lines printed before the error (e.g. "Generating …").
 */
export function expectCleanError(result: CliResult, code: number, message: RegExp | string, extraLines = 0): string {
  expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(code)
  expect(result.stdout).toBe('')
  expect(result.stderr).not.toMatch(STACK_FRAME)
  const lines = result.stderr.trimEnd().split('\n')
  expect(lines, result.stderr).toHaveLength(2 + extraLines)
  const [errorLine, hintLine] = lines.slice(extraLines)
  expect(errorLine).toMatch(/^error: \S/)
  if (typeof message === 'string') expect(errorLine).toContain(message)
  else expect(errorLine).toMatch(message)
  expect(hintLine).toMatch(/^(hint: \S|\(run .*--help.*\))/)
  return errorLine!
}

/** Reads a file written by the CLI. */
export function read(file: string): string {
  return fs.readFileSync(file, 'utf8')
}

/** The files of a folder, sorted; [] when it does not exist. */
export function list(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []
}

/**
 * The hand-written graph of the graph-command tests (`.ts`, `.js` and `.mjs` mixed):
 *
 *   aaa111 -> bbb222 (branchpoint) -> ccc333 (feature) -> eee555 (mergepoint) -> fff666 (depends on lib)
 *                                  -> ddd444 ----------/
 *   lib001 (lib)                         (a head, but fff666 depends on it)
 *   oth001 (other) -> oth002 (depends on ddd444)
 */
export function writeGraph(versions: string): Record<string, string> {
  return {
    aaa111: writeRevision(versions, { id: 'aaa111', message: 'first' }),
    bbb222: writeRevision(versions, { id: 'bbb222', down: 'aaa111', message: 'second', ext: 'js' }),
    ccc333: writeRevision(versions, { id: 'ccc333', down: 'bbb222', labels: 'feature', message: 'feature start', ext: 'mjs' }),
    ddd444: writeRevision(versions, { id: 'ddd444', down: 'bbb222', message: 'main line' }),
    eee555: writeRevision(versions, { id: 'eee555', down: ['ccc333', 'ddd444'], message: 'merge feature', ext: 'js' }),
    fff666: writeRevision(versions, { id: 'fff666', down: 'eee555', dependsOn: 'lib', message: 'uses lib' }),
    lib001: writeRevision(versions, { id: 'lib001', labels: 'lib', message: 'library base', ext: 'mjs' }),
    oth001: writeRevision(versions, { id: 'oth001', labels: 'other', message: 'other base' }),
    oth002: writeRevision(versions, { id: 'oth002', down: 'oth001', dependsOn: 'ddd444', message: 'other second' }),
  }
}

/** A path relative to `dir`, with forward slashes. */
export function rel(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/')
}
