/**
 * V8 settings of the `migrator` executable (bin/migrator.js applies them before loading the CLI;
 * importing the package as a library changes nothing).
 *
 * A command is over in a fraction of a second, and V8's optimizing compiler (TurboFan), which by
 * default starts on a function after little use, spends more CPU on migrator's larger functions
 * than it saves: autogenerate on 500 SQLite tables compiled for ~0.5 s of CPU in a ~0.3 s run, on
 * a second core or against the database server for the first. Four times V8's default budget
 * before a function is considered for optimization cuts that to ~0.05 s; code that is really hot (a
 * data migration looping over many rows in a revision) is still optimized, a little later.
 */
import { setFlagsFromString } from 'node:v8'

/** V8's default interrupt budget (Node 20 to 24) times four. */
export const INTERRUPT_BUDGET = 4 * 67_584

/**
 * The V8 flags to set: none that the user gave already (`node --interrupt-budget=…`, or in
 * NODE_OPTIONS), which win.
 */
export function v8Flags(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
  const userSets = (name: string): boolean => given.some((arg) => arg.replaceAll('_', '-').startsWith(`--${name}`))
  return userSets('interrupt-budget') ? [] : [`--interrupt-budget=${INTERRUPT_BUDGET}`]
}

/**
 * Sets `v8Flags` for this process: in Node only (its V8 is built to accept flags after start-up,
 * for this very API), not in the Node compatibility of Bun or Deno, where a V8 setting is
 * meaningless or refused. Best effort: a refusal changes nothing but speed.
 */
export function tuneV8(execArgv: readonly string[] = process.execArgv, nodeOptions: string | undefined = process.env['NODE_OPTIONS']): void {
  const versions = process.versions as Record<string, string | undefined>
  if (versions['bun'] !== undefined || versions['deno'] !== undefined || versions['v8'] === undefined) return
  try {
    for (const flag of v8Flags(execArgv, nodeOptions)) setFlagsFromString(flag)
  } catch {
    // Speed only.
  }
}
