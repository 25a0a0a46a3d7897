import { RevisionError } from '../errors.js'
import { OnlineExecutor } from '../runtime/executor.js'
import { VersionTable } from '../runtime/version-table.js'
import type { Revision, RevisionMap } from '../script/revision-map.js'
import type { CommandContext } from './context.js'
import { formatBranchPoint, formatHead, formatHistoryLine, formatVerbose, revisionJson } from './format.js'

/** `migrator heads`: the revision files' heads. Reads no database and executes no file. */
export function heads(ctx: CommandContext, options: { verbose?: boolean; resolveDependencies?: boolean } = {}): void {
  const map = ctx.scripts.revisionMap()
  let revisions = map.heads.map((id) => map.get(id))
  if (options.resolveDependencies) {
    // A head that another revision depends on is not a real head once dependencies count.
    const dependedOn = new Set<string>()
    for (const revision of map.history()) for (const dependency of revision.resolvedDependencies) dependedOn.add(dependency)
    revisions = revisions.filter((revision) => !dependedOn.has(revision.revision))
  }
  // As Alembic's `heads`: no (mergepoint) marker on the one-line form.
  printRevisions(ctx, revisions, options.verbose === true, false)
}

/** `migrator branches`: each branch point and the revisions it branches into. */
export function branches(ctx: CommandContext, options: { verbose?: boolean } = {}): void {
  const map = ctx.scripts.revisionMap()
  const points = map.history().filter((revision) => revision.isBranchPoint)
  if (ctx.reporter.json) {
    ctx.reporter.data(points.map((revision) => ({ ...revisionJson(revision), branchesInto: [...revision.nextRevisions] })))
    return
  }
  for (const point of points) ctx.reporter.result(formatBranchPoint(point, map, ctx.reporter.style, options.verbose === true))
}

/** `migrator show REV`. */
export function show(ctx: CommandContext, target: string): void {
  const map = ctx.scripts.revisionMap()
  const ids = map.resolve(target)
  if (ids.length === 0) throw new RevisionError('show_base', `"${target}" is no revision`, { hint: 'give a revision id, prefix, label, head or heads' })
  printRevisions(ctx, ids.map((id) => map.get(id)), true)
}

/** `migrator history [-r RANGE] [-v] [-i]`. */
export async function history(
  ctx: CommandContext,
  options: { range?: string; verbose?: boolean; indicateCurrent?: boolean } = {},
): Promise<void> {
  const map = ctx.scripts.revisionMap()
  const needsDatabase = options.indicateCurrent === true || /(^|:)current($|:)|^-\d/.test(options.range ?? '')
  const current = needsDatabase ? await readCurrentHeadsOfEveryDatabase(ctx, map) : []
  const revisions = map.history(options.range, current)
  const currentSet = new Set(current)
  if (ctx.reporter.json) {
    ctx.reporter.data(revisions.map((revision) => ({ ...revisionJson(revision), isCurrent: currentSet.has(revision.revision) })))
    return
  }
  const style = ctx.reporter.style
  for (const revision of revisions) {
    ctx.reporter.result(options.verbose ? formatVerbose(revision, style, currentSet) : formatHistoryLine(revision, style, currentSet))
  }
}

/** `migrator current`: the revisions the database is at. */
export async function current(ctx: CommandContext, options: { verbose?: boolean } = {}): Promise<void> {
  const map = ctx.scripts.revisionMap()
  const names = ctx.databaseNames()
  if (names.length > 0) return currentOfEachDatabase(ctx, map, names, options.verbose === true)
  const ids = await readCurrentHeads(ctx, map)
  const revisions = ids.map((id) => map.get(id))
  if (!ctx.reporter.json && revisions.length === 0) {
    ctx.reporter.progress('No revision applied (the database is at base)')
    return
  }
  printRevisions(ctx, revisions, options.verbose === true)
}

/** multidb: `current` of each database of `databases`, in order, each line prefixed with its name. */
async function currentOfEachDatabase(ctx: CommandContext, map: RevisionMap, names: readonly string[], verbose: boolean): Promise<void> {
  const databases: { database: string; revisions: Revision[] }[] = []
  for (const database of names) databases.push({ database, revisions: (await readCurrentHeads(ctx, map, database)).map((id) => map.get(id)) })
  if (ctx.reporter.json) {
    ctx.reporter.data({ databases: databases.map(({ database, revisions }) => ({ database, revisions: revisions.map(revisionJson) })) })
    return
  }
  const style = ctx.reporter.style
  for (const { database, revisions } of databases) {
    if (revisions.length === 0) ctx.reporter.progress(`${database}: No revision applied (the database is at base)`)
    for (const revision of revisions) ctx.reporter.result(`${database}: ${verbose ? formatVerbose(revision, style) : formatHead(revision, style)}`)
  }
}

/** The current heads; multidb: those of every database of `databases`. */
async function readCurrentHeadsOfEveryDatabase(ctx: CommandContext, map: RevisionMap): Promise<string[]> {
  const names = ctx.databaseNames()
  if (names.length === 0) return readCurrentHeads(ctx, map)
  const heads = new Set<string>()
  for (const database of names) for (const id of await readCurrentHeads(ctx, map, database)) heads.add(id)
  return [...heads].sort()
}

/** The database's version rows, checked against the revision files. multidb: `database` names the database. */
export async function readCurrentHeads(ctx: CommandContext, map: RevisionMap, database?: string): Promise<string[]> {
  const connection = await ctx.connect(database)
  try {
    const executor = new OnlineExecutor(connection)
    const table = new VersionTable(connection.dialect, { table: ctx.config.versionTable, schema: ctx.config.versionTableSchema })
    const ids = await table.readHeads(executor)
    for (const id of ids) {
      try {
        map.get(id)
      } catch {
        throw new RevisionError('unknown_current', `the database is at revision ${id}, which no revision file declares`, {
          hint: 'check script_location/version_locations, or set the version table with `migrator stamp --purge REV`',
        })
      }
    }
    return ids
  } finally {
    await connection.close().catch(() => undefined)
  }
}

function printRevisions(ctx: CommandContext, revisions: readonly Revision[], verbose: boolean, treeIndicators = true): void {
  if (ctx.reporter.json) {
    ctx.reporter.data(revisions.map(revisionJson))
    return
  }
  const style = ctx.reporter.style
  for (const revision of revisions) ctx.reporter.result(verbose ? formatVerbose(revision, style) : formatHead(revision, style, new Set(), treeIndicators))
}
