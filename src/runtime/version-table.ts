import type { Dialect, VersionTableName } from '../dialects/dialect.js'
import { CommandError } from '../errors.js'
import type { VersionChange } from '../script/revision-map.js'
import type { Executor } from './executor.js'

/**
 * The version table: one row per applied head. Every write states how many rows it
 * must touch and fails loudly otherwise, so two runs can never silently disagree.
 */
export class VersionTable {
  constructor(
    private readonly dialect: Dialect,
    readonly name: VersionTableName,
  ) {}

  private get qualified(): string {
    return this.dialect.quoteQualified(this.name.table, this.name.schema)
  }

  private get column(): string {
    return this.dialect.quoteIdentifier('version_num')
  }

  /** Creates the table if it does not exist. */
  async ensure(executor: Executor): Promise<void> {
    for (const statement of this.dialect.createVersionTableSql(this.name)) await executor.execute(statement)
  }

  /** The applied heads, sorted; empty when the table does not exist yet. */
  async readHeads(executor: Executor, options: { knownToExist?: boolean } = {}): Promise<string[]> {
    if (executor.offline) throw new CommandError('offline_read', 'cannot read the version table in --sql mode')
    if (!options.knownToExist && executor.connection && !(await this.dialect.versionTableExists(executor.connection, this.name))) {
      return []
    }
    const result = await executor.execute(`SELECT ${this.column} FROM ${this.qualified}`)
    return result.rows.map((row) => String(row['version_num'])).sort()
  }

  /** Writes one change of the version table, checking the affected row count online. */
  async apply(executor: Executor, change: VersionChange): Promise<void> {
    const p = (i: number) => this.dialect.placeholder(i)
    switch (change.kind) {
      case 'insert':
        return this.write(executor, `INSERT INTO ${this.qualified} (${this.column}) VALUES (${p(1)})`, [change.version], change)
      case 'delete':
        return this.write(executor, `DELETE FROM ${this.qualified} WHERE ${this.column} = ${p(1)}`, [change.version], change)
      case 'update':
        return this.write(
          executor,
          `UPDATE ${this.qualified} SET ${this.column} = ${p(1)} WHERE ${this.column} = ${p(2)}`,
          [change.to, change.from],
          change,
        )
    }
  }

  /** Deletes every row (`stamp --purge`). */
  async purge(executor: Executor): Promise<void> {
    await executor.execute(`DELETE FROM ${this.qualified}`)
  }

  private async write(executor: Executor, sql: string, params: unknown[], change: VersionChange): Promise<void> {
    const result = await executor.execute(sql, params)
    if (!executor.offline && result.rowCount !== 1) {
      throw new CommandError(
        'version_table_mismatch',
        `version table ${this.name.table}: ${describeChange(change)} affected ${result.rowCount} rows instead of 1`,
        { hint: 'the version table was changed by someone else during this run; check `migrator current` and fix it with `migrator stamp`' },
      )
    }
  }
}

export function describeChange(change: VersionChange): string {
  switch (change.kind) {
    case 'insert':
      return `inserting ${change.version}`
    case 'delete':
      return `deleting ${change.version}`
    case 'update':
      return `updating ${change.from} to ${change.to}`
  }
}
