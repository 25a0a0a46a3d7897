/**
 * SQLite copy-and-move (`op.batchAlterTable`, and any operation SQLite cannot do in place): the
 * table is read back from the database (or taken from `copyFrom`), the operations are applied to
 * that definition, and the table is rebuilt from it: new table, rows copied, old table dropped, new
 * one renamed, indexes and triggers created again. Column and table renames run in place
 * (`ALTER TABLE … RENAME`), so SQLite carries them into views, triggers and other tables' foreign
 * keys. Everything runs under one SAVEPOINT: a failure at any step leaves the table as it was.
 *
 * Dropping a table with foreign keys on deletes its rows first, firing the ON DELETE actions of the
 * tables referring to it: the rebuild therefore runs with foreign keys off (the migration runner
 * turns them off for the whole run; outside a transaction this turns them off itself), and checks
 * afterwards that no row lost its parent.
 */
import { sqliteTablesReferencing, reflectSqliteTable, type ReflectedSqliteTable } from '../dialects/sqlite/sqlite-table-reflector.js'
import { SqliteDdlCompiler } from '../dialects/sqlite/sqlite-ddl-compiler.js'
import { mentionsName, qualifyCreatedName, sameName } from '../dialects/sqlite/sqlite-sql-parser.js'
import type { Connection } from '../dialects/dialect.js'
import { CommandError, DatabaseError } from '../errors.js'
import type { Executor } from '../runtime/executor.js'
import { SchemaError } from '../schema/errors.js'
import type { ForeignKeySpec, IndexSpec, TableSpec } from '../schema/spec.js'
import { renderSqlFragment, SqlFragment } from '../schema/sql.js'
import type { Table } from '../schema/table.js'
import { applyOperation } from './apply.js'
import { NeedsBatchError } from './errors.js'
import { AlterColumnOp, type Operation } from './ops.js'

export interface SqliteBatchOptions {
  /** The attached database holding the table; default `main`. */
  readonly schema?: string
  /**
   * `auto` (default): run the operations in place when SQLite can, rebuild the table when one of
   * them needs it. `always`: rebuild in any case. `never`: fail when a rebuild would be needed.
   */
  readonly recreate?: 'auto' | 'always' | 'never'
  /**
   * The table as it is now. Required offline (`--sql`: there is no database to read). Online it is
   * used instead of the reflected definition, and must name every column the table has.
   */
  readonly copyFrom?: TableSpec | Table
  /**
   * Offline: the table's `CREATE TRIGGER` statements (as `sqlite_master` keeps them), created again
   * after each rebuild, as the online run creates the triggers it reads. Without them an offline
   * rebuild says in a comment that the table's triggers, if any, are not recreated.
   */
  readonly triggers?: readonly string[]
}

/** Kinds of operation a batch on one table may hold. */
const BATCH_KINDS: ReadonlySet<Operation['kind']> = new Set([
  'addColumn',
  'dropColumn',
  'alterColumn',
  'createIndex',
  'dropIndex',
  'createUniqueConstraint',
  'createForeignKey',
  'createCheckConstraint',
  'createPrimaryKey',
  'dropConstraint',
  'renameTable',
  'createTableComment',
  'dropTableComment',
])

const SAVEPOINT = '"migrator_batch"'

/** One thing to run: an operation in place, or a rebuild applying several. */
type Step = { readonly kind: 'inPlace'; readonly op: Operation } | { readonly kind: 'rebuild'; readonly ops: readonly Operation[] }

/** Copy-and-move of one SQLite table: reflects it, applies `ops` to the reflected definition, rebuilds the table keeping every row. */
export async function runSqliteBatch(
  executor: Executor,
  table: string,
  ops: readonly Operation[],
  options: { schema?: string; recreate?: 'auto' | 'always' | 'never'; copyFrom?: TableSpec | Table } = {},
): Promise<void> {
  if (executor.dialect.name !== 'sqlite') {
    throw new CommandError('batch_dialect', `runSqliteBatch('${table}') is for SQLite; this database is ${executor.dialect.name}`)
  }
  const batch = new SqliteBatch(executor, table, options)
  await batch.run(ops)
}

class SqliteBatch {
  private readonly compiler: SqliteDdlCompiler
  private readonly schema: string | undefined
  private readonly mode: 'auto' | 'always' | 'never'
  private readonly copyFrom: TableSpec | undefined
  private readonly triggers: readonly string[] | undefined

  constructor(
    private readonly executor: Executor,
    private readonly table: string,
    options: SqliteBatchOptions,
  ) {
    this.compiler = new SqliteDdlCompiler(executor.dialect)
    this.schema = options.schema
    this.mode = options.recreate ?? 'auto'
    const copyFrom = options.copyFrom
    this.copyFrom = copyFrom === undefined ? undefined : 'toSpec' in copyFrom ? copyFrom.toSpec() : copyFrom
    this.triggers = options.triggers
  }

  private get connection(): Connection | undefined {
    return this.executor.offline ? undefined : this.executor.connection
  }

  private get label(): string {
    return this.schema === undefined ? `'${this.table}'` : `'${this.schema}.${this.table}'`
  }

  async run(operations: readonly Operation[]): Promise<void> {
    for (const op of operations) {
      if (!BATCH_KINDS.has(op.kind)) {
        throw new CommandError('batch_operation', `${op.kind} cannot be part of a batch on table ${this.label}`, {
          hint: 'run it on its own, outside batchAlterTable',
        })
      }
    }
    const ops = operations.flatMap(splitRename)
    const reflected = await this.reflect(this.table)
    const initial = this.copyFrom === undefined ? reflected?.spec : { ...this.copyFrom, schema: this.schema ?? this.copyFrom.schema }
    if (reflected && this.copyFrom) this.checkCopyFrom(reflected.spec, this.copyFrom)
    const steps = this.plan(initial, ops, await this.dropColumnInPlace(ops))
    const rebuilds = steps.filter((s) => s.kind === 'rebuild').length
    if (rebuilds > 0 && initial === undefined) {
      throw new CommandError('batch_needs_definition', `the change to table ${this.label} rebuilds it by copy-and-move, which needs its definition, and there is no database to read it from in --sql mode`, {
        hint: `pass copyFrom: the table as it is now (a models Table or a TableSpec), e.g. op.batchAlterTable('${this.table}', …, { copyFrom: tables.${this.table} })`,
      })
    }
    if (rebuilds > 0 && reflected && reflected.unsupported.length > 0) {
      throw new CommandError('batch_unsupported_table', `cannot rebuild table ${this.label} by copy-and-move: it has ${reflected.unsupported.join(', ')}, which the rebuilt table would lose`, {
        hint: 'make this change with op.execute() and hand-written SQL',
      })
    }

    const connection = this.connection
    const restoreForeignKeys = rebuilds > 0 && connection ? await this.foreignKeysOff(connection, initial!, ops) : false
    try {
      const checked = rebuilds > 0 || steps.some((s) => s.kind === 'inPlace' && s.op.kind === 'dropColumn')
      const before = connection && checked ? await this.violations(connection, this.table) : undefined
      const problemsBefore = connection && rebuilds > 0 ? await this.schemaProblems(connection, this.table) : undefined
      if (rebuilds > 0) this.executor.comment(`copy-and-move of ${this.label}: run with PRAGMA foreign_keys = OFF, set before BEGIN`)
      await this.executor.execute(`SAVEPOINT ${SAVEPOINT}`)
      try {
        let spec = initial
        for (const step of steps) {
          if (step.kind === 'inPlace') {
            for (const { sql, params } of this.compiler.compileBound(step.op)) await this.executor.execute(sql, params.length > 0 ? params : undefined)
            spec = spec && applyTo(spec, step.op)
          } else {
            spec = await this.rebuild(spec!, step.ops)
          }
        }
        if (connection && before) {
          await this.checkForeignKeys(connection, before, spec!.name)
          if (rebuilds > 0) await this.checkViews(connection, spec!.name)
          if (problemsBefore !== undefined) await this.checkSchema(connection, spec!.name, problemsBefore)
        }
        await this.executor.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`)
      } catch (error) {
        if (connection) {
          await this.executor.execute(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`).catch(() => undefined)
          await this.executor.execute(`RELEASE SAVEPOINT ${SAVEPOINT}`).catch(() => undefined)
        }
        throw error
      }
    } finally {
      if (restoreForeignKeys) await connection!.query('PRAGMA foreign_keys = ON')
    }
  }

  /** The table as the database has it now (online), else undefined. */
  private async reflect(table: string): Promise<ReflectedSqliteTable | undefined> {
    const connection = this.connection
    if (connection === undefined) return undefined
    const reflected = await reflectSqliteTable(connection, table, this.schema)
    if (reflected === undefined) {
      throw new CommandError('batch_no_table', `there is no table '${table}'${this.schema === undefined ? '' : ` in '${this.schema}'`} to change`, {
        hint: this.schema === undefined ? 'check the table name' : `check the table name and that database '${this.schema}' is attached`,
      })
    }
    return reflected
  }

  /** `copyFrom` must name every column the table has: the others would not be copied. */
  private checkCopyFrom(actual: TableSpec, copyFrom: TableSpec): void {
    const missing = actual.columns.filter((c) => !copyFrom.columns.some((d) => sameName(d.name, c.name))).map((c) => c.name)
    if (missing.length > 0) {
      throw new CommandError('batch_copy_from', `copyFrom for table ${this.label} lacks column(s) ${missing.join(', ')} that the table has: their data would be lost`, {
        hint: 'describe the table as it is now in copyFrom, or leave copyFrom out to read it from the database',
      })
    }
  }

  /**
   * Whether SQLite can drop `column` in place (`DROP COLUMN`, SQLite 3.35+): not when a key,
   * an index, a foreign key or a CHECK uses it. Without the table's definition, the operation's
   * `existing` says (the compiler decides).
   */
  private async dropColumnInPlace(ops: readonly Operation[]): Promise<(spec: TableSpec | undefined, column: string) => boolean> {
    let supported = true
    if (this.connection && ops.some((op) => op.kind === 'dropColumn')) {
      const version = String((await this.connection.query('SELECT sqlite_version() AS v')).rows[0]?.['v'] ?? '0')
      const [major = 0, minor = 0] = version.split('.').map(Number)
      supported = major > 3 || (major === 3 && minor >= 35)
    }
    return (spec, column) => {
      if (!supported) return false
      if (spec === undefined) return true
      const text = (f: SqlFragment): string => renderSqlFragment(f, this.executor.dialect)
      const uses = (columns: readonly (string | SqlFragment)[]): boolean =>
        columns.some((c) => (typeof c === 'string' ? sameName(c, column) : mentionsName(text(c), column)))
      return !(
        uses(spec.primaryKey?.columns ?? []) ||
        spec.uniques.some((u) => uses(u.columns)) ||
        spec.foreignKeys.some((f) => uses(f.columns)) ||
        spec.indexes.some((i) => uses(i.columns) || (i.where !== undefined && mentionsName(text(i.where), column))) ||
        spec.checks.some((c) => mentionsName(text(c.expression), column))
      )
    }
  }

  /**
   * The steps: everything in place when SQLite can do it all and `recreate` is not `always`;
   * else renames in place and everything else in rebuilds (one per run of operations between renames).
   */
  private plan(initial: TableSpec | undefined, ops: readonly Operation[], dropInPlace: (spec: TableSpec | undefined, column: string) => boolean): Step[] {
    let spec = initial
    const blockers: string[] = []
    for (const op of ops) {
      const reason = this.inPlaceBlocker(op, spec, dropInPlace)
      if (reason !== undefined) blockers.push(reason)
      spec = spec && applyTo(spec, op)
    }
    if (this.mode === 'never' && blockers.length > 0) {
      throw new CommandError('batch_needs_rebuild', `${blockers[0]}, and batchAlterTable('${this.table}') has recreate: 'never'`, {
        hint: "use recreate: 'auto' to rebuild the table by copy-and-move (rows are kept)",
      })
    }
    if (this.mode === 'never' || (this.mode === 'auto' && blockers.length === 0)) return ops.map((op) => ({ kind: 'inPlace', op }))
    const steps: Step[] = []
    let pending: Operation[] = []
    for (const op of ops) {
      if (isRename(op)) {
        if (pending.length > 0) steps.push({ kind: 'rebuild', ops: pending })
        pending = []
        steps.push({ kind: 'inPlace', op })
      } else {
        pending.push(op)
      }
    }
    if (pending.length > 0 || !steps.some((s) => s.kind === 'rebuild')) steps.push({ kind: 'rebuild', ops: pending })
    return steps
  }

  /** Why SQLite cannot run `op` in place on `spec`, or undefined when it can. */
  private inPlaceBlocker(op: Operation, spec: TableSpec | undefined, dropInPlace: (spec: TableSpec | undefined, column: string) => boolean): string | undefined {
    if (op.kind === 'dropColumn' && spec !== undefined) {
      return dropInPlace(spec, op.columnName) ? undefined : `SQLite cannot drop column '${op.tableName}.${op.columnName}' in place`
    }
    try {
      this.compiler.compile(op)
    } catch (error) {
      if (error instanceof NeedsBatchError) return error.message
      throw error
    }
    if (op.kind === 'dropColumn' && !dropInPlace(undefined, op.columnName)) return `SQLite before 3.35 cannot drop column '${op.tableName}.${op.columnName}'`
    return undefined
  }

  /** Rebuilds the table as `ops` leave it; returns the new definition. */
  private async rebuild(planned: TableSpec, ops: readonly Operation[]): Promise<TableSpec> {
    const reflected = await this.reflect(planned.name)
    const current = this.copyFrom === undefined && reflected ? reflected.spec : planned
    const next = ops.reduce(applyTo, current)
    const statements = this.compiler.planTableRebuild(current, { ...next, indexes: [] })
    for (const index of next.indexes) statements.push(this.indexStatement(index, next, reflected))
    for (const sql of statements) await this.executor.execute(sql)
    const recreate = (sql: string): Promise<unknown> => this.executor.execute(qualifyCreatedName(sql, this.schema, (n) => this.executor.dialect.quoteIdentifier(n)))
    if (reflected === undefined) {
      if (this.triggers === undefined) {
        this.executor.comment(`triggers on ${this.label}, if any, are not recreated: add them back with op.execute()`)
      } else if (this.triggers.length > 0) {
        // Offline nothing can compile them against the new table, as the online run does.
        this.executor.comment(`the triggers on ${this.label}, as they were`)
        for (const sql of this.triggers) await recreate(sql)
      }
      return next
    }
    for (const trigger of reflected.triggers) await recreate(trigger.sql)
    if (reflected.triggers.length > 0) await this.checkTriggers(next)
    return next
  }

  /**
   * SQLite creates a trigger without checking its body, and compiles it into each statement that
   * fires it: compiling (EXPLAIN) an INSERT, an UPDATE of every column and a DELETE finds a trigger
   * that uses a column the change removed.
   */
  private async checkTriggers(table: TableSpec): Promise<void> {
    const q = (name: string): string => this.executor.dialect.quoteIdentifier(name)
    const target = this.executor.dialect.quoteQualified(table.name, this.schema)
    const statements = [
      `INSERT INTO ${target} DEFAULT VALUES`,
      `UPDATE ${target} SET ${table.columns.map((c) => `${q(c.name)} = ${q(c.name)}`).join(', ')}`,
      `DELETE FROM ${target}`,
    ]
    for (const statement of statements) {
      try {
        await this.connection!.query(`EXPLAIN ${statement}`)
      } catch (error) {
        throw new CommandError('batch_trigger', `a trigger on table ${this.label} no longer works after the change: ${error instanceof Error ? error.message : String(error)}`, {
          hint: 'nothing was changed: drop the trigger before the change (op.execute) and create it again, adapted, after it',
          cause: error,
        })
      }
    }
  }

  /** The index as SQLite stored it when it is unchanged (exactly as written), else compiled from its spec. */
  private indexStatement(index: IndexSpec, table: TableSpec, reflected: ReflectedSqliteTable | undefined): string {
    const stored = reflected?.indexSql.get(index.name)
    const original = reflected?.spec.indexes.find((i) => i.name === index.name)
    if (stored !== undefined && original !== undefined && sameSpec(original, index)) {
      return qualifyCreatedName(stored, this.schema, (n) => this.executor.dialect.quoteIdentifier(n))
    }
    return this.compiler.createIndexStatement(index, table.name, table.schema)
  }

  /**
   * Turns foreign keys off for the rebuild when they are on: possible outside a transaction only.
   * Inside one, refuses when dropping the table would fire other tables' ON DELETE actions (or fail
   * on their rows). Returns whether they must be turned back on.
   */
  private async foreignKeysOff(connection: Connection, spec: TableSpec, ops: readonly Operation[]): Promise<boolean> {
    const on = Number((await connection.query('PRAGMA foreign_keys')).rows[0]?.['foreign_keys'] ?? 0) === 1
    if (!on) return false
    const raw = connection.raw as { inTransaction?: unknown } | null
    const inTransaction = typeof raw?.inTransaction === 'boolean' ? raw.inTransaction : true
    if (!inTransaction) {
      await connection.query('PRAGMA foreign_keys = OFF')
      return true
    }
    const referring = await sqliteTablesReferencing(connection, spec.name, this.schema)
    const toItself = (fk: ForeignKeySpec | undefined): boolean => fk !== undefined && sameName(fk.referredTable, spec.name)
    const selfReferring =
      spec.foreignKeys.some(toItself) || ops.some((op) => (op.kind === 'createForeignKey' && toItself(op.constraint)) || (op.kind === 'addColumn' && toItself(op.foreignKey)))
    if (selfReferring) referring.unshift(spec.name)
    if (referring.length > 0) {
      throw new CommandError('batch_foreign_keys_on', `cannot rebuild table ${this.label} inside a transaction with foreign keys on: dropping the old table would delete through the foreign keys of ${referring.map((t) => `'${t}'`).join(', ')}`, {
        hint: 'run it with `migrator upgrade` (SQLite revisions run with foreign keys off), or set PRAGMA foreign_keys = OFF before BEGIN',
      })
    }
    return false
  }

  /** Rows whose foreign key matches no parent, per table (the table and the tables referring to it), or the check's error. */
  private async violations(connection: Connection, table: string): Promise<Map<string, number | string>> {
    const tables = [table, ...(await sqliteTablesReferencing(connection, table, this.schema))]
    const counts = new Map<string, number | string>()
    for (const name of tables) {
      try {
        const result = await connection.query('SELECT count(*) AS n FROM pragma_foreign_key_check(?, ?)', [name, this.schema ?? 'main'])
        counts.set(name.toLowerCase(), Number(result.rows[0]?.['n'] ?? 0))
      } catch (error) {
        counts.set(name.toLowerCase(), error instanceof Error ? error.message : String(error))
      }
    }
    return counts
  }

  /** Fails when the change left rows without their parent (or broke a foreign key) that were not so before. */
  private async checkForeignKeys(connection: Connection, before: Map<string, number | string>, table: string): Promise<void> {
    const after = await this.violations(connection, table)
    const problems: string[] = []
    for (const [name, value] of after) {
      const was = before.get(name) ?? (sameName(name, table) ? before.get(this.table.toLowerCase()) : undefined) ?? 0
      if (typeof value === 'string' && value !== was) problems.push(`'${name}': ${value}`)
      else if (typeof value === 'number' && value > (typeof was === 'number' ? was : 0)) {
        problems.push(`'${name}': ${value - (typeof was === 'number' ? was : 0)} row(s) whose foreign key matches no row`)
      }
    }
    if (problems.length > 0) {
      throw new DatabaseError('foreign_key_violation', `the change to table ${this.label} breaks foreign keys: ${problems.join('; ')}`, {
        hint: 'nothing was changed: fix or delete the rows involved first (PRAGMA foreign_key_check lists them), or keep the keys they rely on',
      })
    }
  }

  /**
   * What no longer compiles in the schema around `table`: SQLite creates a rebuilt table's triggers
   * again without checking them, and compiles a trigger only into a statement that fires it. Two
   * probes, each undone: renaming the table (SQLite then parses every trigger and view of the schema,
   * as its own ALTER TABLE does, which finds `UPDATE OF` a dropped column, `NEW.` a dropped column),
   * and compiling (EXPLAIN) the statements that fire each trigger mentioning the table, on any table
   * (a trigger on another table updating a column of this one). Compared before and after the change,
   * so that what was already broken does not stop it.
   */
  private async schemaProblems(connection: Connection, table: string): Promise<Set<string>> {
    const q = (name: string): string => this.executor.dialect.quoteIdentifier(name)
    const qt = (name: string): string => this.executor.dialect.quoteQualified(name, this.schema)
    const problems = new Set<string>()
    const probe = async (statements: readonly string[]): Promise<void> => {
      await connection.query('SAVEPOINT migrator_probe')
      try {
        for (const statement of statements) await connection.query(statement)
      } catch (error) {
        problems.add(error instanceof Error ? error.message : String(error))
      } finally {
        await connection.query('ROLLBACK TO SAVEPOINT migrator_probe')
        await connection.query('RELEASE SAVEPOINT migrator_probe')
      }
    }
    await probe([`ALTER TABLE ${qt(table)} RENAME TO ${q(`_migrator_probe_${table}`.slice(0, 60))}`])
    const triggers = await connection.query(`SELECT name, tbl_name AS on_table, sql FROM ${q(this.schema ?? 'main')}.sqlite_master WHERE type = 'trigger'`)
    for (const row of triggers.rows) {
      const on = String(row['on_table'])
      if (!sameName(on, table) && !mentionsName(String(row['sql'] ?? ''), table)) continue
      const columns = await connection.query(`SELECT name FROM ${q(this.schema ?? 'main')}.pragma_table_info(?)`, [on])
      const set = columns.rows.map((c) => `${q(String(c['name']))} = ${q(String(c['name']))}`).join(', ')
      for (const statement of [`INSERT INTO ${qt(on)} DEFAULT VALUES`, ...(set === '' ? [] : [`UPDATE ${qt(on)} SET ${set}`]), `DELETE FROM ${qt(on)}`]) {
        await probe([`EXPLAIN ${statement}`])
      }
    }
    return problems
  }

  private async checkSchema(connection: Connection, table: string, before: ReadonlySet<string>): Promise<void> {
    const added = [...(await this.schemaProblems(connection, table))].filter((problem) => !before.has(problem))
    if (added.length === 0) return
    throw new CommandError('batch_trigger', `after the change to table ${this.label}, the schema no longer works: ${added[0]}`, {
      hint: 'nothing was changed: drop the trigger or view before the change (op.execute) and create it again, adapted, after it',
    })
  }

  /** Views using the table must still compile after the rebuild (SQLite does not check them). */
  private async checkViews(connection: Connection, table: string): Promise<void> {
    const q = (name: string): string => this.executor.dialect.quoteIdentifier(name)
    const views = await connection.query(`SELECT name, sql FROM ${q(this.schema ?? 'main')}.sqlite_master WHERE type = 'view'`)
    for (const row of views.rows) {
      const name = String(row['name'])
      if (!mentionsName(String(row['sql'] ?? ''), table) && !mentionsName(String(row['sql'] ?? ''), this.table)) continue
      try {
        await connection.query(`SELECT * FROM ${this.executor.dialect.quoteQualified(name, this.schema)} LIMIT 0`)
      } catch (error) {
        throw new CommandError('batch_view', `view '${name}' no longer works after the change to table ${this.label}: ${error instanceof Error ? error.message : String(error)}`, {
          hint: 'nothing was changed: drop the view before the change (op.execute) and create it again, adapted, after it',
          cause: error,
        })
      }
    }
  }
}

/** The table `spec` becomes after `op`; names of the table compare as SQLite compares them. */
function applyTo(spec: TableSpec, op: Operation): TableSpec {
  if (op.kind === 'renameTable') {
    if (!sameName(op.oldName, spec.name)) {
      throw new SchemaError('batch_operation', `renameTable('${op.oldName}', '${op.newName}') is not about table '${spec.name}'`)
    }
    return { ...spec, name: op.newName }
  }
  const target = 'tableName' in op ? op.tableName : undefined
  if (target !== undefined && target !== spec.name && sameName(target, spec.name)) {
    return { ...applyOperation({ ...spec, name: target }, op), name: spec.name }
  }
  return applyOperation(spec, op)
}

function isRename(op: Operation): boolean {
  return op.kind === 'renameTable' || (op.kind === 'alterColumn' && op.newColumnName !== undefined)
}

/**
 * An `alterColumn` that renames and changes the column: the rename alone (run in place), then the
 * other changes on the new name.
 */
function splitRename(op: Operation): Operation[] {
  if (op.kind !== 'alterColumn' || op.newColumnName === undefined) return [op]
  if (op.type === undefined && op.nullable === undefined && op.serverDefault === undefined) return [op]
  const { tableName, schema, newColumnName, type, nullable, serverDefault, comment } = op
  return [
    new AlterColumnOp({ tableName, schema, columnName: op.columnName, newColumnName }),
    new AlterColumnOp({ tableName, schema, columnName: newColumnName, type, nullable, serverDefault, comment }),
  ]
}

/** Deep equality of two plain specs (fragments compared by their parts). */
function sameSpec(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b)
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`
    if (v instanceof SqlFragment) return { sql: [...v.strings], values: [...v.values] }
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
    }
    return v
  })
}
