/**
 * Small helpers shared by the runtime integration tests (test/integration/runtime-*.test.ts):
 * revision bodies that create/drop a table, and a CLI runner bound to a project.
 */
import { describe, expect } from 'vitest'
import { describeEachDialect, type TestDialect } from './databases.js'
import { makeProject, runCli, writeRevision, type CliResult, type RevisionSpec } from './cli.js'

/** Upgrade body creating table `name`, downgrade body dropping it. */
export function tableBodies(name: string): Pick<RevisionSpec, 'up' | 'down_'> {
  return {
    up: `await op.execute('CREATE TABLE ${name} (id INTEGER)')`,
    down_: `await op.execute('DROP TABLE ${name}')`,
  }
}

/** A revision creating table `table` on upgrade and dropping it on downgrade. */
export function tableRevision(id: string, down: RevisionSpec['down'], table: string, extra: Partial<RevisionSpec> = {}): RevisionSpec {
  return { id, down, message: `create ${table}`, ...tableBodies(table), ...extra }
}

export interface Project {
  readonly dir: string
  readonly versions: string
  /** Runs the CLI in the project's folder. */
  run(args: readonly string[], env?: Record<string, string | undefined>): Promise<CliResult>
  /** Runs the CLI and fails the test (showing its output) unless it exits 0. */
  ok(args: readonly string[], env?: Record<string, string | undefined>): Promise<CliResult>
  write(spec: RevisionSpec): string
}

/** A scratch project on `url` with the given revisions. */
export function project(url: string, revisions: readonly RevisionSpec[] = [], options: { ini?: string; env?: string } = {}): Project {
  const { dir, versions } = makeProject(url, options)
  for (const spec of revisions) writeRevision(versions, spec)
  return bindProject(dir, versions)
}

export function bindProject(dir: string, versions: string): Project {
  const run = (args: readonly string[], env?: Record<string, string | undefined>) => runCli(args, { cwd: dir, env })
  return {
    dir,
    versions,
    run,
    async ok(args, env) {
      const result = await run(args, env)
      expectExit(result, 0, args)
      return result
    },
    write: (spec) => writeRevision(versions, spec),
  }
}

/** Asserts the exit status, showing the command's output when it differs. */
export function expectExit(result: CliResult, code: number, args: readonly string[] = []): void {
  expect(result.code, `migrator ${args.join(' ')}\nstdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code)
}

/**
 * describeEachDialect, with the three dialects running at the same time (each has its own
 * database) and the tests of one dialect one after the other (they share that database).
 * Vitest gives one worker per core minus one, so on 2 cores files run one after another:
 * this is what keeps a file's wall time near its slowest dialect rather than the sum.
 */
export function describeDialects(title: string, body: (ctx: { dialect: TestDialect; url: () => string }) => void): void {
  describe.concurrent(title, () => {
    describeEachDialect(title, (ctx) => {
      describe.sequential('', () => body(ctx))
    })
  })
}
