import type { Connection, Dialect, QueryResult } from '../dialects/dialect.js'
import { inlineParameters } from './sql-text.js'

/**
 * Where statements go: a live connection, or (with `--sql`) a script on stdout.
 * Revisions, the version table and transactions all write through one of these.
 */
export interface Executor {
  readonly dialect: Dialect
  /** True in `--sql` mode: nothing can be read back from the database. */
  readonly offline: boolean
  /** The live connection; undefined in `--sql` mode. */
  readonly connection: Connection | undefined
  /** Statements sent since `clearJournal()` (online): what a failure without transactional DDL leaves applied. */
  readonly journal: readonly string[]
  clearJournal(): void
  execute(sql: string, params?: readonly unknown[]): Promise<QueryResult>
  /** A comment line in the offline script (ignored online). */
  comment(text: string): void
}

const EMPTY_RESULT: QueryResult = { rows: [], rowCount: 0 }

/** Sends statements to a live connection, recording those of the current revision for error reports. */
export class OnlineExecutor implements Executor {
  readonly offline = false
  readonly journal: string[] = []

  constructor(readonly connection: Connection) {}

  get dialect(): Dialect {
    return this.connection.dialect
  }

  async execute(sql: string, params?: readonly unknown[]): Promise<QueryResult> {
    const result = await this.connection.query(sql, params)
    this.journal.push(sql)
    return result
  }

  comment(): void {}

  clearJournal(): void {
    this.journal.length = 0
  }
}

/** Writes each statement, parameters inlined as literals, terminated by `;`. */
export class OfflineExecutor implements Executor {
  readonly offline = true
  readonly connection = undefined
  readonly journal: readonly string[] = []
  clearJournal(): void {}

  constructor(
    readonly dialect: Dialect,
    private readonly write: (text: string) => void,
  ) {}

  async execute(sql: string, params?: readonly unknown[]): Promise<QueryResult> {
    const text = params && params.length > 0 ? inlineParameters(this.dialect, sql, params) : sql
    this.write(`${text.trim()};\n\n`)
    return EMPTY_RESULT
  }

  comment(text: string): void {
    this.write(`-- ${text}\n\n`)
  }
}
