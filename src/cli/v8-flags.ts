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
 *
 * V8's young generation starts at 1 MB and doubles after a collection, up to 16 MB a semi-space:
 * a 500-table `check` allocates ~60 MB, most of it kept to the end (models, catalog, specs), and
 * went through 12 scavenges copying it and one full collection (~40 ms of a ~250 ms run on
 * MariaDB). Growing sixteenfold reaches the same 16 MB ceiling after the first collections of the
 * command: 6 scavenges, no full collection, ~20 ms less; the process peaks ~15 MB higher.
 */
import { setFlagsFromString } from 'node:v8'

/** V8's default interrupt budget (Node 20 to 24) times four. */
export const INTERRUPT_BUDGET = 4 * 67_584

/** Growth factor of the young generation (V8's default: 2). */
export const SEMI_SPACE_GROWTH = 16

/**
 * The newest V8 major known to have `--semi-space-growth-factor` (Node 24's 13.x). V8 prints an
 * error line for a flag it does not know, so a newer one is left alone rather than risk it.
 */
const LAST_KNOWN_V8 = 13

/**
 * The V8 flags to set: none that the user gave already (`node --interrupt-budget=…`, or in
 * NODE_OPTIONS), which win.
 * @param v8Version `process.versions.v8`
 */
export function v8Flags(execArgv: readonly string[], nodeOptions: string | undefined, v8Version: string = process.versions.v8): string[] {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
  const userSets = (name: string): boolean => given.some((arg) => arg.replaceAll('_', '-').startsWith(`--${name}`))
  const flags: string[] = []
  if (!userSets('interrupt-budget')) flags.push(`--interrupt-budget=${INTERRUPT_BUDGET}`)
  const major = Number(/^(\d+)\./.exec(v8Version)?.[1] ?? NaN)
  if (major >= 11 && major <= LAST_KNOWN_V8 && !userSets('semi-space-growth-factor')) flags.push(`--semi-space-growth-factor=${SEMI_SPACE_GROWTH}`)
  return flags
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
