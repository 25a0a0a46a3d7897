import type { Dialect } from '../dialects/dialect.js'
import { CommandError, MigratorError } from '../errors.js'
import { Operations } from '../operations/operations.js'
import {
  versionChangesForStep,
  type MigrationStep,
  type Revision,
  type RevisionMap,
  type VersionChange,
} from '../script/revision-map.js'
import type { Executor } from './executor.js'
import { describeChange, type VersionTable } from './version-table.js'

/** What a revision file exports, as far as the runner cares. */
export interface RevisionModule {
  readonly [name: string]: unknown
}

export interface RunnerOptions {
  readonly executor: Executor
  readonly map: RevisionMap
  readonly versionTable: VersionTable
  /** One transaction per revision instead of one for the whole run. */
  readonly transactionPerMigration: boolean
  /** Executes a revision file and returns its exports (only files that run are loaded). */
  readonly loadRevision: (revision: Revision) => Promise<RevisionModule>
  /** Progress lines (`Running upgrade a -> b, message`). */
  readonly log: (line: string) => void
  /** multidb: run `upgrade_<name>`/`downgrade_<name>` instead of `upgrade`/`downgrade`. */
  readonly databaseName?: string | undefined
  /** Key of the database lock held for the run. */
  readonly lockKey: string
  /** Seconds to wait for another run's lock before failing. */
  readonly lockTimeoutSeconds: number
}

export interface RunReport {
  readonly steps: readonly MigrationStep[]
  /** The version table's rows after the run. */
  readonly heads: readonly string[]
}

type Planner = (heads: readonly string[]) => MigrationStep[]

/**
 * Runs upgrades, downgrades and stamps against one database: takes the lock, manages
 * transactions as the dialect allows, runs each revision and writes the version table.
 */
export class MigrationRunner {
  private readonly dialect: Dialect
  private inTransaction = false
  /** The version table's rows as this run has written them so far. */
  private heads: string[] = []
  /** The version table's rows as last committed: what a rollback returns the database to. */
  private committedHeads: readonly string[] = []
  /** Revisions run since the last COMMIT. */
  private uncommitted: string[] = []
  /** Whether the running revision committed part of its work through `op.autocommitBlock`. */
  private autocommittedInStep = false

  constructor(private readonly options: RunnerOptions) {
    this.dialect = options.executor.dialect
  }

  /** Upgrades to `target`. Offline (`--sql`), `startHeads` says where the script starts. */
  upgrade(target: string, startHeads: readonly string[] = []): Promise<RunReport> {
    return this.migrate((heads) => this.options.map.planUpgrade(heads, target), startHeads)
  }

  downgrade(target: string, startHeads: readonly string[] = []): Promise<RunReport> {
    return this.migrate((heads) => this.options.map.planDowngrade(heads, target), startHeads)
  }

  /** Sets the version table to `targets` without running revisions. */
  async stamp(targets: readonly string[], options: { purge: boolean; startHeads?: readonly string[] }): Promise<RunReport> {
    const { executor, versionTable, map } = this.options
    return this.locked(async () => {
      await this.beginIfTransactional()
      this.heads = await this.prepareVersionTable(options.startHeads ?? [])
      if (options.purge) {
        await versionTable.purge(executor)
        this.heads = []
      }
      for (const change of map.planStamp(this.heads, targets)) {
        this.options.log(`Stamping: ${describeChange(change)}`)
        await versionTable.apply(executor, change)
        this.heads = applyChange(this.heads, change)
      }
      await this.commitIfOpen()
      return { steps: [], heads: this.heads }
    })
  }

  private migrate(plan: Planner, startHeads: readonly string[]): Promise<RunReport> {
    return this.locked(async () => {
      const { executor, versionTable, map } = this.options
      await this.beginIfTransactional()
      this.heads = await this.prepareVersionTable(startHeads)
      this.committedHeads = this.heads
      let steps = plan(this.heads)
      const done: MigrationStep[] = []
      for (let i = 0; i < steps.length; ) {
        const step = steps[i]!
        const module = await this.options.loadRevision(step.revision)
        const run = this.revisionFunction(module, step)
        const transactional = module['transactional'] !== false
        if (this.dialect.transactionalDdl) {
          if (!transactional) await this.commitIfOpen()
          else if (!this.inTransaction) {
            await this.begin()
            // Between our transactions another run may have moved the version table
            // (SQLite holds no lock outside a transaction): plan again from what is there.
            if (!executor.offline) {
              const actual = await versionTable.readHeads(executor, { knownToExist: true })
              if (!sameHeads(actual, this.heads)) {
                this.heads = this.committedHeads = actual
                steps = plan(actual)
                i = 0
                continue
              }
            }
          }
        }
        const verb = step.direction === 'up' ? 'upgrade' : 'downgrade'
        this.options.log(`Running ${verb} ${step.description}`)
        executor.comment(`Running ${verb} ${step.description}`)
        executor.clearJournal()
        this.autocommittedInStep = false
        try {
          await run(new Operations(executor, { transactional: this.inTransaction, autocommit: (block) => this.autocommit(block) }))
        } catch (error) {
          throw this.revisionFailed(step, error)
        }
        for (const change of versionChangesForStep(new Set(this.heads), step, map)) {
          await versionTable.apply(executor, change)
          this.heads = applyChange(this.heads, change)
        }
        done.push(step)
        if (this.inTransaction) this.uncommitted.push(step.revision.revision)
        else this.committedHeads = this.heads
        if (this.options.transactionPerMigration) await this.commitIfOpen()
        i++
      }
      await this.commitIfOpen()
      return { steps: done, heads: this.heads }
    })
  }

  /** Holds the migration lock around `body` (online), rolling back an open transaction on failure. */
  private async locked<T>(body: () => Promise<T>): Promise<T> {
    const { executor, lockKey, lockTimeoutSeconds } = this.options
    const connection = executor.connection
    if (connection) await this.dialect.acquireMigrationLock(connection, lockKey, lockTimeoutSeconds)
    try {
      if (connection) await this.dialect.prepareMigrationSession?.(connection)
      else for (const statement of this.dialect.offlineSessionSql?.() ?? []) await executor.execute(statement)
      return await body()
    } catch (error) {
      if (this.inTransaction && connection) {
        this.inTransaction = false
        await executor.execute(this.dialect.rollbackSql()).catch(() => undefined)
      }
      throw error
    } finally {
      if (connection) await this.dialect.endMigrationSession?.(connection).catch(() => undefined)
      if (connection) await this.dialect.releaseMigrationLock(connection, lockKey).catch(() => undefined)
    }
  }

  /** Creates the version table if needed and returns the current heads (offline: `startHeads`). */
  private async prepareVersionTable(startHeads: readonly string[]): Promise<string[]> {
    const { executor, versionTable } = this.options
    if (executor.offline) {
      // As Alembic: an offline script that starts from nothing creates the version table.
      if (startHeads.length === 0) await versionTable.ensure(executor)
      return [...startHeads]
    }
    await versionTable.ensure(executor)
    return versionTable.readHeads(executor, { knownToExist: true })
  }

  private revisionFunction(module: RevisionModule, step: MigrationStep): (op: Operations) => unknown {
    const base = step.direction === 'up' ? 'upgrade' : 'downgrade'
    const name = this.options.databaseName ? `${base}_${this.options.databaseName}` : base
    const fn = module[name]
    if (typeof fn !== 'function') {
      throw new CommandError('revision_function', `revision ${step.revision.revision} exports no ${name}() function`, {
        hint: `add \`export async function ${name}(op: Operations)\` to ${step.revision.path ?? 'the revision file'}`,
      })
    }
    return fn as (op: Operations) => unknown
  }

  private revisionFailed(step: MigrationStep, error: unknown): MigratorError {
    const headsBefore = this.heads
    const { executor } = this.options
    const cause = error instanceof Error ? error : new Error(String(error))
    const failedSql = (error as { sql?: unknown }).sql
    const where = `${step.direction === 'up' ? 'upgrade' : 'downgrade'} of revision ${step.revision.revision}${step.revision.doc ? ` (${step.revision.doc})` : ''}`
    const details: string[] = []
    if (typeof failedSql === 'string') details.push(`failed statement: ${failedSql}`)
    const state = headsBefore.length ? headsBefore.join(', ') : 'base (no revision)'
    let hint: string
    if (executor.offline) {
      // `--sql`: nothing ran; the script written so far stops before this revision's statements.
      const inner = error instanceof MigratorError ? error.hint : undefined
      hint = `${inner ?? `fix revision ${step.revision.revision}`} (nothing was run: --sql only writes the script, which stops here)`
    } else if (this.dialect.transactionalDdl && this.inTransaction) {
      // The rollback also undoes the revisions run earlier in the same transaction (one per run by default).
      const committed = this.committedHeads.length ? this.committedHeads.join(', ') : 'base (no revision)'
      if (this.autocommittedInStep) {
        hint = `what its autocommitBlock ran was committed and stays; the rest was rolled back, and the version table says ${committed}`
      } else if (sameHeads(this.committedHeads, headsBefore)) {
        hint = `nothing of this revision was kept: it was rolled back, and the version table says ${committed}`
      } else {
        hint =
          `nothing of this run was kept: its transaction, the revisions before this one included, was rolled back ` +
          `(transaction_per_migration = true commits each revision), and the version table says ${committed}`
      }
    } else {
      const applied = [...executor.journal]
      if (applied.length > 0) {
        details.push(`statements of ${step.revision.revision} already applied (${this.dialect.name} commits DDL at once):`)
        for (const sql of applied) details.push(`  ${sql}`)
      }
      hint =
        applied.length > 0
          ? `the version table still says ${state}: undo the statements above by hand, or complete them and run \`migrator stamp ${step.revision.revision}\``
          : `no statement of this revision was applied; the version table says ${state}`
    }
    return new CommandError('migration_failed', `${where} failed: ${firstLine(cause.message)}`, { hint, details, cause })
  }

  /** `op.autocommitBlock`: commits the open transaction, runs `block` outside it, then begins again. */
  private async autocommit(block: () => Promise<void>): Promise<void> {
    const reopen = this.inTransaction
    await this.commitIfOpen()
    this.autocommittedInStep = true
    await block()
    if (reopen) await this.begin()
  }

  private async beginIfTransactional(): Promise<void> {
    if (this.dialect.transactionalDdl) await this.begin()
  }

  private async begin(): Promise<void> {
    await this.options.executor.execute(this.dialect.beginTransactionSql())
    this.inTransaction = true
  }

  private async commitIfOpen(): Promise<void> {
    if (!this.inTransaction) return
    const connection = this.options.executor.connection
    if (connection && this.dialect.checkBeforeCommit) {
      try {
        await this.dialect.checkBeforeCommit(connection)
      } catch (error) {
        throw this.commitRefused(error)
      }
    }
    this.inTransaction = false
    await this.options.executor.execute(this.dialect.commitSql())
    this.uncommitted = []
    this.committedHeads = this.heads
  }

  /** A failed `checkBeforeCommit`, naming the revisions of the transaction (which is rolled back). */
  private commitRefused(error: unknown): unknown {
    if (this.uncommitted.length === 0 || !(error instanceof Error)) return error
    const revisions = this.uncommitted.join(', ')
    return new CommandError('commit_check_failed', `cannot commit revision${this.uncommitted.length === 1 ? '' : 's'} ${revisions}: ${firstLine(error.message)}`, {
      hint: `nothing of ${revisions} was kept: the transaction was rolled back`,
      details: error instanceof MigratorError && error.hint !== undefined ? [error.hint] : [],
      cause: error,
    })
  }
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? ''
  return line.trim()
}

function sameHeads(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false
  const set = new Set(a)
  return b.every((head) => set.has(head))
}

/** The version table's rows after `change`. */
export function applyChange(heads: readonly string[], change: VersionChange): string[] {
  switch (change.kind) {
    case 'insert':
      return [...heads, change.version].sort()
    case 'delete':
      return heads.filter((head) => head !== change.version)
    case 'update':
      return heads.map((head) => (head === change.from ? change.to : head)).sort()
  }
}
