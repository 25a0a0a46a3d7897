import { CommandError, UsageError } from '../errors.js'
import type { EnvOptions } from '../runtime/environment.js'
import { OfflineExecutor, OnlineExecutor, type Executor } from '../runtime/executor.js'
import { MigrationRunner, type RevisionModule, type RunReport } from '../runtime/migration-runner.js'
import { VersionTable } from '../runtime/version-table.js'
import type { Revision, RevisionMap } from '../script/revision-map.js'
import type { CommandContext } from './context.js'

export interface MigrateOptions {
  /** Offline: write the SQL script instead of running it. */
  readonly sql?: boolean
  /** Passed to env.ts as `tag`, as Alembic's --tag. */
  readonly tag?: string | undefined
}

/** One database's outcome, as `--json` prints it. */
interface DatabaseReport {
  database: string | null
  steps: { revision: string; direction: 'up' | 'down'; description: string }[]
  heads: string[]
}

/** `migrator upgrade TARGET`. */
export async function upgrade(ctx: CommandContext, target: string, options: MigrateOptions = {}): Promise<void> {
  const map = ctx.scripts.revisionMap()
  const { from, to } = splitOfflineRange(target, options.sql === true, 'upgrade', map)
  await runOnEachDatabase(ctx, options, (runner) => runner.upgrade(to, from))
}

/** `migrator downgrade TARGET`. */
export async function downgrade(ctx: CommandContext, target: string, options: MigrateOptions = {}): Promise<void> {
  const map = ctx.scripts.revisionMap()
  if (options.sql && !target.includes(':')) {
    throw new UsageError('downgrade --sql needs a range FROM:TO', {
      hint: 'for example `migrator downgrade --sql head:base` (offline, the database state is unknown)',
    })
  }
  const { from, to } = splitOfflineRange(target, options.sql === true, 'downgrade', map)
  await runOnEachDatabase(ctx, options, (runner) => runner.downgrade(to, from))
}

/** `migrator stamp REV…`. */
export async function stamp(
  ctx: CommandContext,
  revisions: readonly string[],
  options: MigrateOptions & { purge?: boolean } = {},
): Promise<void> {
  const map = ctx.scripts.revisionMap()
  let startHeads: string[] = []
  let targets = [...revisions]
  if (options.sql && targets.length === 1 && targets[0]!.includes(':')) {
    const range = splitOfflineRange(targets[0]!, true, 'stamp', map)
    startHeads = range.from
    targets = [range.to]
  }
  const resolved = targets.flatMap((target) => map.resolve(target))
  await runOnEachDatabase(ctx, options, (runner) => runner.stamp(resolved, { purge: options.purge === true, startHeads }), 'stamp')
}

/** `migrator ensure-version`: create the version table. */
export async function ensureVersion(ctx: CommandContext, options: { sql?: boolean } = {}): Promise<void> {
  const names = ctx.databaseNames()
  for (const database of names.length ? names : [undefined]) {
    const { executor, close } = await openExecutor(ctx, options.sql === true, database)
    try {
      if (database && executor.offline) executor.comment(`database: ${database}`)
      await versionTableOf(ctx, executor).ensure(executor)
      if (!executor.offline) ctx.reporter.progress(`Version table ${ctx.config.versionTable} is in place${database ? ` on ${database}` : ''}`)
    } finally {
      await close()
    }
  }
  if (ctx.reporter.json && !options.sql) ctx.reporter.data({ versionTable: ctx.config.versionTable, schema: ctx.config.versionTableSchema ?? null })
}

/**
 * `upgrade --sql a:b`: the script starts at `a` (offline there is no database to ask).
 * Online, a colon is only meaningful inside a LABEL@REV target, never as a range.
 */
function splitOfflineRange(
  target: string,
  offline: boolean,
  command: string,
  map: RevisionMap,
): { from: string[]; to: string } {
  const colon = target.indexOf(':')
  if (colon === -1) return { from: [], to: target }
  if (!offline) {
    throw new UsageError(`a range "${target}" is only accepted with --sql`, {
      hint: `online, give one target: \`migrator ${command} ${target.slice(colon + 1) || 'head'}\``,
    })
  }
  const fromText = target.slice(0, colon)
  const to = target.slice(colon + 1)
  if (!to) throw new UsageError(`the range "${target}" has no end`, { hint: `for example \`migrator ${command} --sql base:head\`` })
  return { from: fromText ? map.resolve(fromText) : [], to }
}

async function runOnEachDatabase(
  ctx: CommandContext,
  options: MigrateOptions,
  run: (runner: MigrationRunner) => Promise<RunReport>,
  command: 'migrate' | 'stamp' = 'migrate',
): Promise<void> {
  ctx.tag = options.tag
  const names = ctx.databaseNames()
  const reports: DatabaseReport[] = []
  for (const database of names.length ? names : [undefined]) {
    const { executor, close } = await openExecutor(ctx, options.sql === true, database)
    try {
      if (database) {
        if (executor.offline) executor.comment(`database: ${database}`)
        else ctx.reporter.progress(`Database ${database}`)
      }
      const report = await run(createRunner(ctx, executor, database, await ctx.environment()))
      reports.push({
        database: database ?? null,
        steps: report.steps.map((step) => ({
          revision: step.revision.revision,
          direction: step.direction,
          description: step.description,
        })),
        heads: [...report.heads],
      })
    } finally {
      await close()
    }
  }
  if (options.sql) return
  if (ctx.reporter.json) {
    ctx.reporter.data(names.length ? { databases: reports } : reports[0])
    return
  }
  for (const report of reports) {
    const prefix = report.database ? `${report.database}: ` : ''
    // A stamp runs no revision: "Nothing to do" would contradict the "Stamping: …" lines above.
    if (command === 'stamp') ctx.reporter.progress(`${prefix}Stamped: the database is at ${report.heads.join(', ') || 'base'}`)
    else if (report.steps.length === 0) ctx.reporter.progress(`${prefix}Nothing to do: the database is at ${report.heads.join(', ') || 'base'}`)
    else ctx.reporter.progress(`${prefix}Done: ${report.steps.length} revision${report.steps.length === 1 ? '' : 's'}; now at ${report.heads.join(', ') || 'base'}`)
  }
}

function createRunner(ctx: CommandContext, executor: Executor, database: string | undefined, env: EnvOptions | null): MigrationRunner {
  const versionTable = versionTableOf(ctx, executor)
  return new MigrationRunner({
    executor,
    map: ctx.scripts.revisionMap(),
    versionTable,
    // env.ts's transactionPerMigration wins over the ini's transaction_per_migration.
    transactionPerMigration: env?.transactionPerMigration ?? ctx.config.transactionPerMigration,
    loadRevision: loadRevisionModule,
    log: (line) => ctx.reporter.progress(line),
    databaseName: database,
    lockKey: `migrator:${versionTable.name.schema ?? ''}.${versionTable.name.table}`,
    lockTimeoutSeconds: ctx.config.getInt('lock_timeout', 300),
  })
}

function versionTableOf(ctx: CommandContext, executor: Executor): VersionTable {
  return new VersionTable(executor.dialect, { table: ctx.config.versionTable, schema: ctx.config.versionTableSchema })
}

/** An executor for one database: a connection online, stdout offline (no connection made). */
export async function openExecutor(
  ctx: CommandContext,
  offline: boolean,
  database?: string,
): Promise<{ executor: Executor; close: () => Promise<void> }> {
  if (offline) {
    const dialect = await ctx.dialectFor(database)
    return { executor: new OfflineExecutor(dialect, (text) => ctx.reporter.write(text)), close: async () => {} }
  }
  const connection = await ctx.connect(database)
  return { executor: new OnlineExecutor(connection), close: () => connection.close().catch(() => undefined) }
}

async function loadRevisionModule(revision: Revision): Promise<RevisionModule> {
  if (!revision.path) throw new CommandError('revision_path', `revision ${revision.revision} has no file`)
  const { loadModule } = await import('../script/module-loader.js')
  return loadModule(revision.path)
}
