import { readFileSync } from 'node:fs'
import { Command, CommanderError } from 'commander'
import type { CommandContext, GlobalOptions } from '../commands/context.js'
import { maskSecrets } from '../config/database-url.js'
import { dialectInstances } from '../dialects/registry.js'
import { MigratorError } from '../errors.js'
import { loadChalk, TerminalReporter } from './reporter.js'

export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean }
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean }
  readonly env: NodeJS.ProcessEnv
  readonly cwd: string
}

interface ProgramOptions {
  config?: string
  name?: string
  x: string[]
  url?: string
  json?: boolean
  quiet?: boolean
  color: boolean
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  return pkg.version
}

let completed: string | undefined

/**
 * What the last {@link main} ran to completion: its command and the dialects it loaded
 * (`check mysql`); undefined after a failure, help, the version or a usage error. The executable
 * keeps V8's code cache of the bundle covering each such kind of run (src/cli/boot.ts).
 */
export function completedRun(): string | undefined {
  return completed
}

/**
 * Runs the CLI and resolves to the exit status. Only this module prints errors and
 * chooses exit codes; commands throw typed errors.
 */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  completed = undefined
  let context: CommandContext | undefined
  let commandName: string | undefined
  // FORCE_COLOR as chalk reads it: set (even empty) forces colour on, except `0` and `false` which force it off.
  const force = io.env['FORCE_COLOR']
  const forced = force === undefined ? undefined : force !== '0' && force !== 'false'
  const useColor = (opts: ProgramOptions, stream: { isTTY?: boolean }) =>
    opts.color !== false && !('NO_COLOR' in io.env && io.env['NO_COLOR'] !== '') && (forced ?? stream.isTTY === true)

  const program = new Command('migrator')
  program
    .description('Alembic-style database migrations for TypeScript projects')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('-c, --config <file>', 'config file (default: migrator.ini, or $MIGRATOR_CONFIG)')
    .option('-n, --name <section>', 'ini section to use (default: migrator)')
    .option('-x <key=value>', 'argument for env.ts, repeatable', (value: string, previous: string[]) => [...previous, value], [])
    .option('--url <url>', 'database URL (wins over MIGRATOR_DATABASE_URL, env.ts and the ini)')
    .option('--json', 'machine-readable output')
    .option('-q, --quiet', 'no progress output')
    .option('--no-color', 'no colours (also NO_COLOR)')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .hook('preAction', (_program, command) => {
      commandName = command.name()
    })

  /** Wraps a command action: builds the context lazily, then runs the command module. */
  const action =
    <A extends unknown[]>(run: (ctx: CommandContext, ...args: A) => unknown) =>
    async (...args: A) => {
      const opts = program.opts<ProgramOptions>()
      const { CommandContext } = await import('../commands/context.js')
      const color = useColor(opts, io.stdout)
      const reporter = new TerminalReporter(
        { json: opts.json === true, quiet: opts.quiet === true, color, stdout: io.stdout, stderr: io.stderr },
        await loadChalk(color),
      )
      const global: GlobalOptions = { config: opts.config, name: opts.name, x: opts.x, url: opts.url }
      context = new CommandContext(global, reporter, io.cwd, io.env)
      try {
        await run(context, ...args)
      } finally {
        await context.close()
        if (context.countsQueries) io.stderr.write(`migrator: ${context.queryCount} queries (${context.catalogQueryCount} catalog)\n`)
      }
    }

  program
    .command('init')
    .description('create a migration environment in DIR and a migrator.ini')
    .argument('<directory>', 'folder to create (must be empty or absent)')
    .option('-t, --template <name>', 'template: generic or multidb', 'generic')
    .action(
      action(async (ctx, directory: string, o: { template: string }) => {
        const { initCommand } = await import('../commands/project.js')
        initCommand(ctx, directory, o.template)
      }),
    )

  program
    .command('list-templates')
    .description('list the templates init can use')
    .action(
      action(async (ctx) => {
        const { listTemplatesCommand } = await import('../commands/project.js')
        listTemplatesCommand(ctx)
      }),
    )

  program
    .command('revision')
    .description('create a new revision file')
    .option('-m, --message <message>', 'what the revision does')
    .option('--head <rev>', 'base the revision on this head (default: head)')
    .option('--splice', 'allow --head to be a non-head revision (starts a branch)')
    .option('--branch-label <label>', 'label for a new branch')
    .option('--version-path <dir>', 'write into this version location')
    .option('--rev-id <id>', 'use this revision id instead of a random one')
    .option('--depends-on <rev...>', 'revisions this one depends on')
    .option('--autogenerate', 'fill the revision with the differences between the models (target_metadata) and the database')
    .option('--sql', 'with --autogenerate: print the SQL of the upgrade instead of writing a file')
    .option('--allow-empty', 'with --autogenerate: write the revision even when no change is detected')
    .action(
      action(async (ctx, o: Record<string, unknown>) => {
        const { revision } = await import('../commands/revision.js')
        await revision(ctx, {
          autogenerate: o['autogenerate'] === true,
          sql: o['sql'] === true,
          allowEmpty: o['allowEmpty'] === true,
          message: o['message'] as string | undefined,
          head: o['head'] as string | undefined,
          splice: o['splice'] === true,
          branchLabel: o['branchLabel'] as string | undefined,
          versionPath: o['versionPath'] as string | undefined,
          revId: o['revId'] as string | undefined,
          dependsOn: (o['dependsOn'] as string[] | undefined) ?? [],
        })
      }),
    )

  program
    .command('upgrade')
    .description('upgrade to TARGET: head, heads, REV, +N, REV+N, LABEL@head, LABEL@+N')
    .argument('<target>', 'target revision')
    .option('--sql', 'write the SQL script instead of running it (FROM:TO)')
    .option('--tag <tag>', 'arbitrary tag passed to env.ts')
    .action(
      action(async (ctx, target: string, o: { sql?: boolean; tag?: string }) => {
        const { upgrade } = await import('../commands/migrate.js')
        await upgrade(ctx, target, o)
      }),
    )

  program
    .command('downgrade')
    .description('downgrade to TARGET: -N, base, REV, REV-N, LABEL@-N, LABEL@base')
    .argument('<target>', 'target revision')
    .option('--sql', 'write the SQL script instead of running it (FROM:TO)')
    .option('--tag <tag>', 'arbitrary tag passed to env.ts')
    .action(
      action(async (ctx, target: string, o: { sql?: boolean; tag?: string }) => {
        const { downgrade } = await import('../commands/migrate.js')
        await downgrade(ctx, target, o)
      }),
    )

  program
    .command('current')
    .description('show the revisions the database is at')
    .option('-v, --verbose', 'show details')
    .action(
      action(async (ctx, o: { verbose?: boolean }) => {
        const { current } = await import('../commands/graph.js')
        await current(ctx, o)
      }),
    )

  program
    .command('heads')
    .description('show the head revisions')
    .option('-v, --verbose', 'show details')
    .option('--resolve-dependencies', 'treat dependencies as down revisions')
    .action(
      action(async (ctx, o: { verbose?: boolean; resolveDependencies?: boolean }) => {
        const { heads } = await import('../commands/graph.js')
        heads(ctx, o)
      }),
    )

  program
    .command('branches')
    .description('show branch points')
    .option('-v, --verbose', 'show details')
    .action(
      action(async (ctx, o: { verbose?: boolean }) => {
        const { branches } = await import('../commands/graph.js')
        branches(ctx, o)
      }),
    )

  program
    .command('history')
    .description('list revisions, newest first')
    .option('-r, --rev-range <range>', 'range a:b, -3:, current:, base:head …')
    .option('-v, --verbose', 'show details')
    .option('-i, --indicate-current', 'mark the current revision (reads the database)')
    .action(
      action(async (ctx, o: { revRange?: string; verbose?: boolean; indicateCurrent?: boolean }) => {
        const { history } = await import('../commands/graph.js')
        await history(ctx, { range: o.revRange, verbose: o.verbose, indicateCurrent: o.indicateCurrent })
      }),
    )

  program
    .command('show')
    .description('show a revision')
    .argument('<rev>', 'revision id, prefix, label, head or heads')
    .action(
      action(async (ctx, rev: string) => {
        const { show } = await import('../commands/graph.js')
        show(ctx, rev)
      }),
    )

  program
    .command('stamp')
    .description("set the version table to REV… without running revisions")
    .argument('<revisions...>', 'revisions (head, base, ids)')
    .option('--sql', 'write the SQL instead of running it')
    .option('--purge', 'delete every row of the version table first')
    .option('--tag <tag>', 'arbitrary tag passed to env.ts')
    .action(
      action(async (ctx, revisions: string[], o: { sql?: boolean; purge?: boolean; tag?: string }) => {
        const { stamp } = await import('../commands/migrate.js')
        await stamp(ctx, revisions, o)
      }),
    )

  program
    .command('merge')
    .description('create a merge revision of several heads')
    .argument('<revisions...>', 'revisions to merge (or "heads")')
    .option('-m, --message <message>', 'what the merge is')
    .option('--branch-label <label>', 'label for the merged branch')
    .option('--rev-id <id>', 'use this revision id')
    .action(
      action(async (ctx, revisions: string[], o: { message?: string; branchLabel?: string; revId?: string }) => {
        const { merge } = await import('../commands/revision.js')
        await merge(ctx, revisions, o)
      }),
    )

  program
    .command('edit')
    .description("open a revision file in $EDITOR")
    .argument('<rev>', 'revision id, prefix, label or head')
    .action(
      action(async (ctx, rev: string) => {
        const { edit } = await import('../commands/revision.js')
        edit(ctx, rev)
      }),
    )

  program
    .command('ensure-version')
    .description('create the version table if it does not exist')
    .option('--sql', 'write the SQL instead of running it')
    .action(
      action(async (ctx, o: { sql?: boolean }) => {
        const { ensureVersion } = await import('../commands/migrate.js')
        await ensureVersion(ctx, o)
      }),
    )

  program
    .command('check')
    .description('exit 0 when the models match the database, else list the differences and exit 1')
    .action(
      action(async (ctx) => {
        const { check } = await import('../commands/autogenerate.js')
        await check(ctx)
      }),
    )

  program
    .command('introspect')
    .description('write TypeScript models of the live database (the models API), to adopt an existing database')
    .option('-o, --output <file>', 'write to FILE instead of stdout (refuses an existing file without --force)')
    .option('--table <names...>', 'only these tables (schema.table for another schema)')
    .option('--force', 'overwrite --output if it exists')
    .option('--database <name>', 'multidb: the database to introspect')
    .action(
      action(async (ctx, o: { output?: string; table?: string[]; force?: boolean; database?: string }) => {
        const { introspect } = await import('../commands/autogenerate.js')
        await introspect(ctx, { output: o.output, tables: o.table, force: o.force === true, database: o.database })
      }),
    )

  for (const command of program.commands) {
    command.helpOption('-h, --help', 'show help').exitOverride().showHelpAfterError(`(run "migrator ${command.name()} --help" for usage)`)
    command.configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
  }

  try {
    await program.parseAsync([...argv], { from: 'user' })
    if (commandName !== undefined) completed = [commandName, ...[...dialectInstances.keys()].sort()].join(' ')
    return 0
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version "errors" are successful exits; the rest is usage (commander printed it).
      return error.exitCode === 0 ? 0 : 2
    }
    const opts = program.opts<ProgramOptions>()
    await reportError(error, io, useColor(opts, io.stderr), context?.secrets ?? [])
    return error instanceof MigratorError ? error.exitCode : 1
  }
}

/** One line, a hint, optional details; the stack only with MIGRATOR_DEBUG=1; passwords masked. */
async function reportError(error: unknown, io: CliIo, color: boolean, secrets: readonly string[]): Promise<void> {
  const chalk = (await loadChalk(color)) ?? { red: (text: string) => text, cyan: (text: string) => text }
  const mask = (text: string) => maskSecrets(text, secrets)
  const lines: string[] = []
  if (error instanceof MigratorError) {
    lines.push(`${chalk.red('error:')} ${mask(error.message)}`)
    for (const detail of error.details) lines.push(`  ${mask(detail)}`)
    if (error.hint) lines.push(`${chalk.cyan('hint:')} ${mask(error.hint)}`)
  } else {
    const message = error instanceof Error ? error.message : String(error)
    lines.push(`${chalk.red('error:')} ${mask(message.split('\n')[0] ?? '')}`)
    lines.push(`${chalk.cyan('hint:')} this is unexpected; run again with MIGRATOR_DEBUG=1 for the stack trace, and report it`)
  }
  if (io.env['MIGRATOR_DEBUG'] && io.env['MIGRATOR_DEBUG'] !== '0') {
    let current: unknown = error
    while (current instanceof Error) {
      lines.push(mask(current.stack ?? String(current)))
      current = current.cause
      if (current) lines.push('caused by:')
    }
  }
  io.stderr.write(`${lines.join('\n')}\n`)
}

function defaultIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }
}

