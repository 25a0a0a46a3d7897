/**
 * End-to-end: the executable raises V8's interrupt budget (src/cli/v8-flags.ts), so that a
 * command compiles fewer functions with the optimizing compiler, unless the user set a budget.
 * Counted with `--trace-opt` (what V8 decides to optimize depends on the code run, not on time).
 */
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, makeProject, removeScratchDirs, writeRevision } from '../support/cli.js'

afterAll(removeScratchDirs)

/** How many functions V8 marked for TurboFan while `migrator args` ran with `nodeArgs`. */
function optimized(dir: string, nodeArgs: readonly string[], args: readonly string[]): number {
  const result = spawnSync(process.execPath, [...nodeArgs, '--trace-opt', BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  expect(result.status, result.stderr).toBe(0)
  return (result.stdout.match(/^\[compiling method .* \(target TURBOFAN\)/gm) ?? []).length
}

describe('V8 tuning of the executable', () => {
  it('optimizes fewer functions than V8’s default budget would; a budget the user gives wins', () => {
    const project = makeProject('sqlite:///app.db')
    let down: string | undefined
    for (let i = 0; i < 150; i++) {
      const id = `r${String(i).padStart(4, '0')}`
      writeRevision(project.versions, { id, down, up: `await op.execute('CREATE TABLE t${i} (id INTEGER PRIMARY KEY)')`, down_: `await op.execute('DROP TABLE t${i}')` })
      down = id
    }
    const tuned = optimized(project.dir, [], ['upgrade', 'head'])
    optimized(project.dir, [], ['downgrade', 'base'])
    // The user's own budget (V8's default here) is left as given.
    const untuned = optimized(project.dir, ['--interrupt-budget=67584'], ['upgrade', 'head'])
    expect(untuned).toBeGreaterThan(tuned)
  })
})
