import type { Connection, DialectName, QueryResult } from '../dialects/dialect.js'
import { CommandError } from '../errors.js'
import type { Executor } from '../runtime/executor.js'
import { bindNamedParameters } from '../runtime/sql-text.js'

/**
 * The `op` object a revision's `upgrade(op)` and `downgrade(op)` receive. Every directive
 * goes through the run's executor, so it works online and in `--sql` mode alike.
 */
export class Operations {
  constructor(private readonly executor: Executor) {}

  /** The database in use: `postgresql`, `mysql` (also MariaDB) or `sqlite`. */
  get dialect(): DialectName {
    return this.executor.dialect.name
  }

  /** True when the revision is being rendered as a `--sql` script rather than run. */
  get offline(): boolean {
    return this.executor.offline
  }

  /**
   * Runs SQL text. `:name` placeholders bind to `params` (sent as bound parameters online,
   * written as escaped literals with `--sql`). Returns the rows online; nothing offline.
   *
   * @example await op.execute('UPDATE users SET status = :status WHERE status IS NULL', { status: 'active' })
   */
  async execute(sql: string, params?: Readonly<Record<string, unknown>>): Promise<QueryResult> {
    if (!params) return this.executor.execute(sql)
    const bound = bindNamedParameters(this.executor.dialect, sql, params)
    return this.executor.execute(bound.sql, bound.values)
  }

  /**
   * The live connection, for data migrations that need more than `execute`
   * (`connection.query(sql, params)`, or `connection.raw` for the driver object).
   * Not available in `--sql` mode: there is no database there.
   */
  get connection(): Connection {
    const connection = this.executor.connection
    if (!connection) {
      throw new CommandError('offline_connection', 'op.connection is not available in --sql mode', {
        hint: 'check `op.offline` in the revision and skip data access when it is true',
      })
    }
    return connection
  }
}
