import { spawnSync } from 'node:child_process'
import path from 'node:path'
import type { PostWriteHook } from '../config/config.js'
import { CommandError, UsageError } from '../errors.js'
import { runPostWriteHooks } from '../script/post-write-hooks.js'
import type { CommandContext } from './context.js'

export interface RevisionOptions {
  readonly message?: string | undefined
  readonly head?: string | undefined
  readonly splice?: boolean
  readonly branchLabel?: string | undefined
  readonly versionPath?: string | undefined
  readonly revId?: string | undefined
  readonly dependsOn?: readonly string[]
}

/** `migrator revision -m MSG`: a new, empty revision file. */
export async function revision(ctx: CommandContext, options: RevisionOptions): Promise<void> {
  // As Alembic's revision_environment: let env.ts run (and fail early) even for a plain revision.
  if (ctx.config.revisionEnvironment) await ctx.environment()
  // A misconfigured hook fails before any file is written.
  const hooks = ctx.config.postWriteHooks
  const created = ctx.scripts.generateRevision({
    message: options.message,
    head: options.head,
    splice: options.splice,
    branchLabels: options.branchLabel ? [options.branchLabel] : [],
    versionPath: options.versionPath === undefined ? undefined : path.resolve(ctx.cwd, options.versionPath),
    revId: options.revId,
    dependsOn: options.dependsOn ? [...options.dependsOn] : [],
  })
  await announce(ctx, created, hooks)
}

/** `migrator merge REV…`: a revision whose parents are the given heads. */
export async function merge(
  ctx: CommandContext,
  revisions: readonly string[],
  options: { message?: string | undefined; branchLabel?: string | undefined; revId?: string | undefined },
): Promise<void> {
  if (revisions.length === 0) throw new UsageError('merge needs the revisions to merge', { hint: 'for example `migrator merge heads -m "merge"`' })
  if (ctx.config.revisionEnvironment) await ctx.environment()
  const hooks = ctx.config.postWriteHooks
  const created = ctx.scripts.merge([...revisions], {
    message: options.message,
    branchLabels: options.branchLabel ? [options.branchLabel] : [],
    revId: options.revId,
  })
  await announce(ctx, created, hooks)
}

async function announce(ctx: CommandContext, created: { path: string; revision: string }, hooks: readonly PostWriteHook[]): Promise<void> {
  ctx.reporter.progress(`Generating ${created.path} ... done`)
  await runPostWriteHooks(hooks, created.path, (line) => ctx.reporter.progress(line))
  if (ctx.reporter.json) ctx.reporter.data(created)
  else ctx.reporter.result(created.path)
}

/** `migrator edit REV`: opens the revision's file in $VISUAL or $EDITOR. */
export function edit(ctx: CommandContext, target: string): void {
  const map = ctx.scripts.revisionMap()
  const ids = map.resolve(target)
  if (ids.length !== 1) {
    throw new UsageError(`"${target}" names ${ids.length} revisions; edit opens one`, { hint: 'give one revision id, prefix or label@head' })
  }
  const file = map.get(ids[0]!).path
  const editor = ctx.env['VISUAL'] || ctx.env['EDITOR']
  if (!editor) throw new CommandError('no_editor', 'no editor set', { hint: `set $EDITOR (for example EDITOR=vim), or open ${file} yourself` })
  // EDITOR may carry arguments ("code --wait"): let the shell split it, the file name passed separately.
  const result = spawnSync('sh', ['-c', `${editor} "$1"`, 'migrator-edit', file ?? ''], { stdio: 'inherit' })
  if (result.error || result.status !== 0) {
    throw new CommandError('editor_failed', `the editor "${editor}" exited with ${result.error ? result.error.message : `status ${result.status}`}`)
  }
}
