/**
 * The autogenerate commands (DESIGN §9): `revision --autogenerate`, `check` and `introspect`.
 *
 * - The target metadata: env.ts `targetMetadata` (a `MetaData`, an array of them, or a module
 *   namespace) wins over the ini's `target_metadata = path[#export]`. A namespace gives its
 *   `metadata` export, else its default export, else every `MetaData` it exports; PostgreSQL enum
 *   types it exports (`export const mood = enumType(…)`) are kept even when no table uses them.
 *   multidb: `targetMetadata: { engine1: metadata1, … }` keyed by database name, or
 *   `target_metadata` in the database's own section, else the main one.
 * - The database is introspected with env.ts `includeName` (applied while reading) and
 *   `includeSchemas` (`true`: every user schema; a list: those besides the default one); the
 *   version table is never read. Model tables of schemas not introspected are left out, as Alembic
 *   does. `includeObject` applies in the comparison; `compareType` / `compareServerDefault` of
 *   env.ts win over the ini's `compare_type` / `compare_server_default`.
 * - `revision --autogenerate` and `check` need the database at the revisions' head(s) first, as
 *   Alembic ("Target database is not up to date.").
 */
import { existsSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Difference, ModelSchema, PreparedModels } from '../autogenerate/compare.js'
import type { MigrationPlan } from '../autogenerate/order.js'
import type { Connection, Dialect } from '../dialects/dialect.js'
import type { IntrospectOptions, SchemaSnapshot } from '../dialects/introspector.js'
import { CommandError, ConfigError, UsageError } from '../errors.js'
import { Operations } from '../operations/operations.js'
import type { Operation } from '../operations/ops.js'
import type { EnvOptions } from '../runtime/environment.js'
import { OfflineExecutor, OnlineExecutor } from '../runtime/executor.js'
import { VersionTable } from '../runtime/version-table.js'
import { EnumColumn } from '../schema/column.js'
import { MetaData } from '../schema/metadata.js'
import type { TableSpec } from '../schema/spec.js'
import type { EnumType } from '../schema/types.js'
import type { CommandContext } from './context.js'
import { announce, generateOptions, type RevisionOptions } from './revision.js'

// ---------------------------------------------------------------------------------------------
// Target metadata

/** The models of one database, and where they came from (for messages). */
export interface TargetModels {
  readonly metadata: readonly MetaData[]
  /** Enum types exported beside the tables (module namespaces only). */
  readonly enums: readonly EnumType[]
  readonly source: string
}

function isMetaData(value: unknown): value is MetaData {
  if (value instanceof MetaData) return true
  // A MetaData of another copy of migrator (a local install beside a global CLI).
  return typeof value === 'object' && value !== null && typeof (value as { toSpecs?: unknown }).toSpecs === 'function' && 'namingConvention' in value
}

function isEnumColumn(value: unknown): value is EnumColumn {
  if (value instanceof EnumColumn) return true
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined
  return typeof type === 'object' && type !== null && (type as { kind?: unknown }).kind === 'enum' && typeof (value as { toSpec?: unknown }).toSpec === 'function'
}

const SET_IT =
  'set `target_metadata = path/to/models.ts#metadata` in migrator.ini, or `targetMetadata: metadata` in env.ts (defineEnv)'

/**
 * A value given as target metadata as `MetaData`s: a `MetaData`, an array of them, or a module
 * namespace (its `metadata` export, else its default export, else every `MetaData` it exports).
 * @throws ConfigError naming `source` for anything else
 */
export function metadataOf(value: unknown, source: string): TargetModels {
  const fail = (what: string): never => {
    throw new ConfigError('target_metadata', `${source} is ${what}, not a MetaData`, {
      hint: 'export the models\' MetaData (`export const metadata = new MetaData()`) and point target_metadata or targetMetadata at it',
    })
  }
  if (isMetaData(value)) return { metadata: [value], enums: [], source }
  if (Array.isArray(value)) {
    const list = value.map((item, i) => (isMetaData(item) ? item : fail(`an array whose item ${i} is ${describe(item)}`)))
    if (list.length === 0) fail('an empty array')
    return { metadata: list, enums: [], source }
  }
  if (typeof value === 'object' && value !== null) {
    const namespace = value as Record<string, unknown>
    const enums = Object.values(namespace)
      .filter(isEnumColumn)
      .map((column) => column.type as EnumType)
    let metadata: MetaData[]
    if (isMetaData(namespace['metadata'])) metadata = [namespace['metadata']]
    else if (isMetaData(namespace['default'])) metadata = [namespace['default']]
    else metadata = [...new Set(Object.values(namespace).filter(isMetaData))]
    if (metadata.length === 0) fail(`a module or object exporting no MetaData (exports: ${Object.keys(namespace).join(', ') || 'none'})`)
    return { metadata, enums, source }
  }
  return fail(describe(value))
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? `an object (${value.constructor?.name ?? 'Object'})` : `a ${typeof value}`
}

/**
 * The target metadata of the project (or, multidb, of `database`): env.ts first, then the ini.
 * @throws ConfigError (exit 2) when neither sets it, naming both places
 */
export async function resolveTargetModels(ctx: CommandContext, database?: string): Promise<TargetModels> {
  const env = await ctx.environment()
  const fromEnv = env?.targetMetadata
  if (fromEnv !== undefined && fromEnv !== null) {
    if (database !== undefined && isKeyedByDatabase(fromEnv, ctx.databaseNames())) {
      const value = (fromEnv as Record<string, unknown>)[database]
      if (value !== undefined && value !== null) return metadataOf(value, `targetMetadata.${database} in env.ts`)
    } else {
      return metadataOf(fromEnv, 'targetMetadata in env.ts')
    }
  }
  const sectionRef = database === undefined ? undefined : ctx.config.getSection(database)?.['target_metadata']?.trim()
  if (sectionRef) return loadTargetModule(ctx, path.resolve(ctx.config.here, sectionRef.split('#')[0]!.trim()), sectionRef.includes('#') ? sectionRef.slice(sectionRef.lastIndexOf('#') + 1).trim() : undefined, `target_metadata in [${database}]`)
  const ref = ctx.config.targetMetadataRef
  if (ref !== undefined) return loadTargetModule(ctx, ref.path, ref.exportName, `target_metadata in [${ctx.config.section}] of ${path.basename(ctx.config.configFile)}`)
  throw new ConfigError('missing_target_metadata', `No target metadata: ${database ? `database ${database}` : 'autogenerate'} needs the models to compare the database with, and neither env.ts (targetMetadata) nor ${path.basename(ctx.config.configFile)} (target_metadata) names them`, {
    hint: SET_IT,
  })
}

function isKeyedByDatabase(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || isMetaData(value)) return false
  return names.some((name) => Object.hasOwn(value, name))
}

async function loadTargetModule(ctx: CommandContext, file: string, exportName: string | undefined, where: string): Promise<TargetModels> {
  if (!existsSync(file)) {
    throw new ConfigError('target_metadata', `The ${where} names ${file}, which does not exist`, { hint: 'give the models file relative to migrator.ini, e.g. target_metadata = src/models.ts#metadata' })
  }
  const { loadModule } = await import('../script/module-loader.js')
  const exports = await loadModule(file)
  if (exportName === undefined) return metadataOf(exports, `${path.relative(ctx.cwd, file) || file} (${where})`)
  if (!(exportName in exports)) {
    throw new ConfigError('target_metadata', `${file} has no export '${exportName}' (${where})`, {
      hint: `its exports: ${Object.keys(exports).filter((k) => k !== '__esModule').join(', ') || 'none'}`,
    })
  }
  return metadataOf(exports[exportName], `${path.relative(ctx.cwd, file) || file}#${exportName} (${where})`)
}

// ---------------------------------------------------------------------------------------------
// Introspection and comparison

export interface ComparisonResult {
  readonly dialect: Dialect
  readonly snapshot: SchemaSnapshot
  readonly differences: Difference[]
}

function introspectorOf(dialect: Dialect) {
  const introspector = dialect.introspector?.()
  if (introspector === undefined) throw new CommandError('no_introspection', `autogenerate is not available for ${dialect.name}`)
  return introspector
}

/**
 * The schemas to read: undefined (the current one) unless env.ts `includeSchemas` or the models
 * name a schema, and the current schema's name when it is needed.
 */
async function schemasToRead(
  connection: Connection,
  env: EnvOptions | null,
  modelSchemas: ReadonlySet<string>,
  needCurrent: boolean,
): Promise<{ schemas: string[] | undefined; current: string | undefined }> {
  const include = env?.includeSchemas
  const wanted = include === true || (Array.isArray(include) && include.length > 0)
  if (!wanted && modelSchemas.size === 0 && !needCurrent) return { schemas: undefined, current: undefined }
  const names = await introspectorOf(connection.dialect).schemaNames(connection)
  if (include === true) return { schemas: [...names.all], current: names.current }
  if (Array.isArray(include) && include.length > 0) return { schemas: [...new Set([names.current, ...(include as readonly string[])])], current: names.current }
  return { schemas: undefined, current: names.current }
}

/** Reads the database (the version table left out) as env.ts's filters ask. */
export async function introspectDatabase(
  ctx: CommandContext,
  connection: Connection,
  options: {
    tables?: readonly string[] | undefined
    modelSchemas?: ReadonlySet<string>
    needCurrent?: boolean
    alsoSchemas?: readonly string[]
    /** As `IntrospectOptions.queued`. */
    queued?: () => void
  } = {},
): Promise<{ snapshot: SchemaSnapshot; schemas: string[] | undefined; current: string | undefined }> {
  const env = await ctx.environment()
  const also = options.alsoSchemas ?? []
  const read = await schemasToRead(connection, env, options.modelSchemas ?? new Set(), options.needCurrent === true || also.length > 0)
  const current = read.current
  // Schemas read besides those env.ts asks for (`introspect --table schema.table`).
  const schemas = also.length === 0 ? read.schemas : [...new Set([...(read.schemas ?? (current === undefined ? [] : [current])), ...also])]
  const versionSchema = ctx.config.versionTableSchema
  const introspectOptions: IntrospectOptions = {
    ...(schemas === undefined ? {} : { schemas }),
    ...(env?.includeName ? { includeName: env.includeName } : {}),
    // The version table lives in one schema; when that is the default one it is never read.
    ...(versionSchema === undefined || versionSchema === current ? { excludeTables: [ctx.config.versionTable] } : {}),
    ...(options.tables === undefined ? {} : { tables: options.tables }),
    ...(options.queued === undefined ? {} : { queued: options.queued }),
  }
  // Counted as the introspector sends them (other queries may run on the connection meanwhile).
  const reader: Connection = ctx.countsQueries
    ? {
        dialect: connection.dialect,
        get raw() {
          return connection.raw
        },
        query: (sql, params) => {
          ctx.catalogQueryCount++
          return connection.query(sql, params)
        },
        close: () => connection.close(),
      }
    : connection
  const snapshot = await introspectorOf(connection.dialect).introspect(reader, introspectOptions)
  return { snapshot, schemas, current }
}

/**
 * The models of `database` compared with the database (at head first, with `requireHead`). The
 * database is read while this thread works: the connection is opened, the version table read and
 * the catalog queries sent first; then, while the server reads its catalog, the revision graph is
 * read (for the head check), the models are loaded and prepared, and the comparison's own modules
 * are loaded (none of it is needed to send the queries). Loading the models blocks the thread:
 * started first, they would hold the round trips up until they are loaded.
 */
export async function compareDatabase(ctx: CommandContext, database: string | undefined, options: { requireHead: boolean }): Promise<ComparisonResult> {
  const env = await ctx.environment()
  let queued!: () => void
  const allQueued = new Promise<void>((resolve) => (queued = resolve))
  const opening = (async () => {
    const connection = await ctx.connect(database)
    const heads = options.requireHead ? databaseHeads(ctx, connection) : undefined
    heads?.catch(() => undefined)
    // The drivers send a query once the one before is answered and its rows read: queued behind
    // the heads' queries, the catalog's would wait for this thread to finish loading the models.
    await heads?.then(
      () => undefined,
      () => undefined,
    )
    const reading = introspectDatabase(ctx, connection, { needCurrent: ctx.config.versionTableSchema !== undefined, queued })
    reading.catch(() => undefined)
    return { connection, heads, reading }
  })()
  // Failing while the models load is reported once they are loaded (or their own failure is).
  opening.catch(() => undefined)
  // Connected (or failed); then until the introspection has sent its queries (MySQL sends some
  // once the server has told its version), or has read everything (SQLite, or a failure).
  await opening.then(
    ({ reading }) => Promise.race([allQueued, reading.then(() => undefined, () => undefined)]),
    () => undefined,
  )
  const comparing = import('../autogenerate/compare.js')
  comparing.catch(() => undefined)
  const closing = async (): Promise<void> => {
    await opening.then(({ connection }) => connection.close(), () => undefined).catch(() => undefined)
  }
  // As Alembic: at head first. The revision graph is read and the models are loaded while the
  // server works; the database's heads (read already) are checked below.
  let models: TargetModels
  let compare: typeof import('../autogenerate/compare.js')
  try {
    const { heads } = await opening
    if (heads !== undefined) ctx.scripts.revisionMap()
    models = await resolveTargetModels(ctx, database)
    compare = await comparing
  } catch (error) {
    await closing()
    throw error
  }
  const { checkIndexNames, compareSchemas, prepareModels } = compare
  const { connection, heads, reading } = await opening
  try {
    // The models as specs while the database may still be answering; a failure of theirs is
    // reported after the database's own, as when they came after it.
    const dialect = connection.dialect
    const enums = dialect.name === 'postgresql' ? models.enums : []
    const compareOptions = {
      dialect: dialect.name,
      compareType: env?.compareType ?? ctx.config.compareType,
      compareServerDefault: env?.compareServerDefault ?? ctx.config.compareServerDefault,
      ...(env?.includeObject ? { includeObject: env.includeObject } : {}),
      versionTable: ctx.config.versionTable,
      ...(ctx.config.versionTableSchema === undefined ? {} : { versionTableSchema: ctx.config.versionTableSchema }),
    }
    let specs: TableSpec[] = []
    let prepared: PreparedModels | undefined
    let specsFailure: { error: unknown } | undefined
    try {
      specs = models.metadata.flatMap((m) => m.toSpecs())
      checkIndexNames(specs, dialect.name)
      // The models' side of the comparison too, when it does not depend on what the database says.
      prepared = prepareModels({ tables: specs, enums }, compareOptions)
    } catch (error) {
      specsFailure = { error }
    }
    // The heads (read before the catalog) checked once the models are ready.
    if (heads !== undefined) requireAtHead(ctx, await heads, database)
    let read = await reading
    if (specsFailure !== undefined) throw specsFailure.error
    const modelSchemas = new Set<string>([...specs.flatMap((t) => (t.schema === undefined ? [] : [t.schema])), ...enums.flatMap((e) => (e.schema === undefined ? [] : [e.schema]))])
    // Models naming a schema: the current schema's name is needed (rare: read again).
    if (modelSchemas.size > 0 && read.current === undefined) read = await introspectDatabase(ctx, connection, { modelSchemas, needCurrent: true })
    const { snapshot, schemas, current } = read
    // As Alembic: the models' tables of schemas not compared are left out; with `includeSchemas: true`
    // every schema is compared, those the database does not have yet too (their tables are added).
    const compared = new Set(schemas ?? (current === undefined ? [] : [current]))
    const keep = (schema: string | undefined): boolean => schema === undefined || schema === current || compared.has(schema) || env?.includeSchemas === true
    const modelSchema: ModelSchema = { tables: specs.filter((t) => keep(t.schema)), enums: enums.filter((e) => keep(e.schema)) }
    // Prepared models name no schema, so none was left out: they stand for modelSchema.
    const options = { ...compareOptions, ...(current === undefined ? {} : { defaultSchema: current }) }
    let differences = compareSchemas(snapshot, prepared ?? modelSchema, options)
    if (dialect.name !== 'sqlite') {
      // Check conditions and generation expressions that compared different, in the server's
      // spelling (it re-prints what it stores).
      const inDefault = (schema: string | undefined): string | undefined => (schema === current ? undefined : schema)
      const questions = compare.spellingQuestions(differences, (schema, name) => modelSchema.tables.find((t) => t.name === name && inDefault(t.schema) === inDefault(schema)))
      if (questions.length > 0) {
        const { serverSpellings: ask, spelledAny } = await import('../autogenerate/server-spellings.js')
        const serverSpellings = await ask(connection, questions)
        if (spelledAny(serverSpellings)) differences = compareSchemas(snapshot, prepared ?? modelSchema, { ...options, serverSpellings })
      }
    }
    return { dialect, snapshot, differences }
  } finally {
    await connection.close().catch(() => undefined)
  }
}

/** The revisions the database is at (its version table). */
async function databaseHeads(ctx: CommandContext, connection: Connection): Promise<string[]> {
  const versionTable = new VersionTable(connection.dialect, { table: ctx.config.versionTable, schema: ctx.config.versionTableSchema })
  return versionTable.readHeads(new OnlineExecutor(connection))
}

/**
 * As Alembic: autogenerate compares the models with a database that has every revision applied,
 * else the new revision would repeat what the pending ones do.
 * @param current the revisions the database is at
 * @throws CommandError (exit 1) "Target database is not up to date."
 */
export function requireAtHead(ctx: CommandContext, current: readonly string[], database?: string): void {
  const heads = [...ctx.scripts.revisionMap().heads].sort()
  if ([...current].sort().join(',') === heads.join(',')) return
  const where = database ? ` (${database})` : ''
  throw new CommandError('not_up_to_date', 'Target database is not up to date.', {
    details: [`the database${where} is at ${current.join(', ') || 'base'}; the revisions' head${heads.length === 1 ? ' is' : 's are'} ${heads.join(', ') || 'base'}`],
    hint: 'run `migrator upgrade head` first, then autogenerate again',
  })
}

// ---------------------------------------------------------------------------------------------
// Commands

/** One difference as `check --json` and `revision --autogenerate --json` give it. */
export function differenceJson(difference: Difference): { kind: string; schema: string | null; table: string | null; name: string | null; description: string } {
  return {
    kind: difference.kind,
    schema: difference.schema ?? null,
    table: difference.table ?? null,
    name: difference.name ?? null,
    description: difference.description,
  }
}

const detected = (difference: Difference, database?: string): string => `${database ? `[${database}] ` : ''}Detected ${difference.description}`

export interface AutogenerateOptions extends RevisionOptions {
  /** `--sql`: print the upgrade's SQL instead of writing a file. */
  readonly sql?: boolean
  /** `--allow-empty`: write a revision even when nothing changed. */
  readonly allowEmpty?: boolean
}

/** `migrator revision --autogenerate`: the differences rendered as a new revision. */
export async function autogenerateRevision(ctx: CommandContext, options: AutogenerateOptions): Promise<void> {
  const names = ctx.databaseNames()
  const databases = names.length ? names : [undefined]
  // A misconfigured hook fails before the database is read.
  const hooks = options.sql ? [] : ctx.config.postWriteHooks
  // The revision graph: read for the head check while the server reads its catalog; with --sql
  // (no head check) first, so that a broken graph fails before any connection.
  if (options.sql) ctx.scripts.revisionMap()
  const results: { database: string | undefined; result: ComparisonResult; plan: MigrationPlan }[] = []
  for (const database of databases) {
    const result = await compareDatabase(ctx, database, { requireHead: !options.sql })
    const { planMigration } = await import('../autogenerate/order.js')
    results.push({ database, result, plan: planMigration(result.differences) })
  }
  const all = results.flatMap((r) => r.result.differences)
  for (const { database, result } of results) for (const difference of result.differences) ctx.reporter.progress(detected(difference, database))

  if (options.sql) {
    for (const { database, result, plan } of results) {
      const executor = new OfflineExecutor(result.dialect, (text) => ctx.reporter.write(text))
      if (database) executor.comment(`database: ${database}`)
      await writeUpgradeSql(executor, result, plan.upgrade)
    }
    return
  }

  if (all.length === 0 && !options.allowEmpty) {
    ctx.reporter.progress('No changes detected')
    if (ctx.reporter.json) ctx.reporter.data({ path: null, revision: null, differences: [] })
    return
  }

  const { renderOperations } = await import('../autogenerate/render-revision.js')
  const imports = new Set<string>()
  const render = (ops: readonly Operation[], dialect: Dialect): string | undefined => {
    if (ops.length === 0) return undefined
    const rendered = renderOperations(ops, { dialect: dialect.name, indent: '' })
    for (const name of rendered.imports) imports.add(name)
    return rendered.body
  }
  let upgrades: string | undefined
  let downgrades: string | undefined
  const databaseUpgrades: Record<string, string> = {}
  const databaseDowngrades: Record<string, string> = {}
  for (const { database, result, plan } of results) {
    const up = render(plan.upgrade, result.dialect)
    const down = render(plan.downgrade, result.dialect)
    if (database === undefined) {
      upgrades = up
      downgrades = down
    } else {
      if (up !== undefined) databaseUpgrades[database] = up
      if (down !== undefined) databaseDowngrades[database] = down
    }
  }
  const created = ctx.scripts.generateRevision({
    ...generateOptions(ctx, options),
    upgrades,
    downgrades,
    databaseUpgrades,
    databaseDowngrades,
    imports: imports.size > 0 ? `import { ${[...imports].sort().join(', ')} } from 'migrator'` : '',
  })
  await announce(ctx, created, hooks, { differences: all.map(differenceJson) })
}

/**
 * The upgrade's statements, as `upgrade --sql` writes them (in a transaction where DDL is
 * transactional). SQLite copy-and-move blocks are rebuilt from the introspected tables.
 */
async function writeUpgradeSql(executor: OfflineExecutor, result: ComparisonResult, ops: readonly Operation[]): Promise<void> {
  const { dialect, snapshot } = result
  if (ops.length === 0) {
    executor.comment('No changes detected')
    return
  }
  const count = `${result.differences.length} change${result.differences.length === 1 ? '' : 's'}`
  executor.comment([`autogenerated upgrade: ${count}`, ...result.differences.map((d) => `  ${d.description}`)].join('\n-- '))
  const [{ groupOperations }, { applyOperation, planBatch }] = await Promise.all([import('../autogenerate/render-revision.js'), import('../operations/apply.js')])
  const op = new Operations(executor)
  for (const statement of dialect.offlineSessionSql?.() ?? []) await executor.execute(statement)
  if (dialect.transactionalDdl) await executor.execute(dialect.beginTransactionSql())
  const key = (table: string, schema: string | undefined): string => JSON.stringify([schema ?? null, table])
  // The tables as they are at each point of the script (SQLite rebuilds need them offline).
  const specs = new Map(snapshot.tables.map((t) => [key(t.name, t.schema), t]))
  // Each rebuilt table's triggers (read with the catalog), created again after it.
  const triggersOf = (k: string): { triggers?: readonly string[] } => (snapshot.triggers === undefined ? {} : { triggers: snapshot.triggers.get(k) ?? [] })
  const { runSqliteBatch } = dialect.name === 'sqlite' ? await import('../operations/batch.js') : { runSqliteBatch: undefined }
  for (const item of groupOperations(ops, dialect.name)) {
    if ('autocommit' in item) {
      // As op.autocommitBlock writes it in `upgrade --sql`.
      if (dialect.transactionalDdl) await executor.execute(dialect.commitSql())
      for (const single of item.autocommit) await op.invoke(single)
      if (dialect.transactionalDdl) await executor.execute(dialect.beginTransactionSql())
      continue
    }
    if ('batch' in item) {
      const k = key(item.batch.table, item.batch.schema)
      const spec = specs.get(k)
      await runSqliteBatch!(executor, item.batch.table, item.batch.ops, { ...(item.batch.schema === undefined ? {} : { schema: item.batch.schema }), ...(spec ? { copyFrom: spec } : {}), ...triggersOf(k) })
      if (spec) specs.set(k, planBatch(spec, item.batch.ops).table)
      continue
    }
    const single = item.op
    const table = 'tableName' in single && typeof single.tableName === 'string' ? single.tableName : undefined
    const schema = 'schema' in single ? (single.schema as string | undefined) : undefined
    const spec = table === undefined ? undefined : specs.get(key(table, schema))
    if (runSqliteBatch && single.kind === 'dropColumn' && spec !== undefined) {
      // Online SQLite reads the table to know whether the column can go in place; offline, its definition tells.
      await runSqliteBatch(executor, single.tableName, [single], { ...(schema === undefined ? {} : { schema }), copyFrom: spec, ...triggersOf(key(table!, schema)) })
    } else {
      await op.invoke(single)
    }
    if (single.kind === 'createTable') specs.set(key(single.table.name, single.table.schema), single.table)
    else if (single.kind === 'dropTable') specs.delete(key(single.name, single.schema))
    else if (spec !== undefined && table !== undefined) {
      try {
        specs.set(key(table, schema), applyOperation(spec, single))
      } catch {
        // An operation the spec cannot follow (raw SQL): later rebuilds of that table use the last known one.
      }
    }
  }
  if (dialect.transactionalDdl) await executor.execute(dialect.commitSql())
}

/** `migrator check`: exit 0 when the models match the database, else the differences and exit 1. */
export async function check(ctx: CommandContext): Promise<void> {
  const names = ctx.databaseNames()
  const found: { database: string | undefined; difference: Difference }[] = []
  for (const database of names.length ? names : [undefined]) {
    const { differences } = await compareDatabase(ctx, database, { requireHead: true })
    for (const difference of differences) found.push({ database, difference })
  }
  if (ctx.reporter.json) {
    ctx.reporter.data({
      differences: found.map(({ database, difference }) => ({ ...(names.length ? { database } : {}), ...differenceJson(difference) })),
    })
  } else if (found.length === 0) {
    ctx.reporter.result('No new upgrade operations detected.')
  } else {
    for (const { database, difference } of found) ctx.reporter.result(detected(difference, database))
  }
  if (found.length > 0) {
    throw new CommandError('differences', `New upgrade operations detected: ${found.length} difference${found.length === 1 ? '' : 's'} between the models and the database`, {
      hint: 'run `migrator revision --autogenerate -m "…"` to write a revision for them',
    })
  }
}

export interface IntrospectCommandOptions {
  /** `--output FILE`; default stdout. */
  readonly output?: string | undefined
  /** `--table T…`: only these tables. */
  readonly tables?: readonly string[] | undefined
  /** `--force`: overwrite `output`. */
  readonly force?: boolean
  /** multidb: `--database NAME`. */
  readonly database?: string | undefined
}

/** `migrator introspect`: the live database as a TypeScript models file. */
export async function introspect(ctx: CommandContext, options: IntrospectCommandOptions): Promise<void> {
  const names = ctx.databaseNames()
  let database = options.database
  if (names.length > 0 && database === undefined) {
    throw new UsageError(`this project migrates several databases (${names.join(', ')}): say which one to introspect`, { hint: `add --database ${names[0]}` })
  }
  if (database !== undefined && !names.includes(database)) {
    if (names.length === 0) database = undefined
    else throw new UsageError(`no database '${database}' in this project (databases = ${names.join(', ')})`)
  }
  const output = options.output === undefined ? undefined : path.resolve(ctx.cwd, options.output)
  if (output !== undefined && existsSync(output) && !options.force) {
    throw new CommandError('file_exists', `${output} already exists; not overwriting it`, { hint: 'add --force to replace it, or choose another --output' })
  }
  // Before reading the database: a folder that is not there fails now, not after the work.
  if (output !== undefined && !isDirectory(path.dirname(output))) {
    throw new CommandError('write_models', `Cannot write ${output}: the folder ${path.dirname(output)} does not exist`, { hint: 'create the folder first, or choose another --output' })
  }
  // `--table schema.table` names a table of another schema (database on MySQL, attached database on
  // SQLite), which is then read too; a bare name is a table of any schema read.
  const wanted = (options.tables ?? []).map((arg) => {
    const dot = arg.indexOf('.')
    return dot > 0 && dot < arg.length - 1 ? { arg, schema: arg.slice(0, dot), name: arg.slice(dot + 1) } : { arg, schema: undefined, name: arg }
  })
  const connection = await ctx.connect(database)
  let snapshot: SchemaSnapshot
  let current: string | undefined
  try {
    ;({ snapshot, current } = await introspectDatabase(ctx, connection, {
      tables: wanted.length > 0 ? [...new Set(wanted.map((w) => w.name))] : undefined,
      alsoSchemas: [...new Set(wanted.flatMap((w) => (w.schema === undefined ? [] : [w.schema])))],
    }))
  } finally {
    await connection.close().catch(() => undefined)
  }
  const matches = (w: (typeof wanted)[number], t: { readonly name: string; readonly schema?: string | undefined }): boolean =>
    t.name === w.name && (w.schema === undefined || (t.schema ?? current) === w.schema)
  if (wanted.length > 0) snapshot = { ...snapshot, tables: snapshot.tables.filter((t) => wanted.some((w) => matches(w, t))) }
  const env = await ctx.environment()
  if (env?.includeObject) {
    const keep = env.includeObject
    snapshot = { ...snapshot, tables: snapshot.tables.filter((t) => keep({ type: 'table', name: t.name, schema: t.schema, reflected: true })) }
  }
  const missing = wanted.filter((w) => !snapshot.tables.some((t) => matches(w, t))).map((w) => w.arg)
  if (missing.length > 0) {
    throw new CommandError('unknown_table', `no table ${missing.map((n) => `'${n}'`).join(', ')} in the database`, {
      hint: 'check the names (they are case-sensitive; schema.table for another schema), or leave --table out to write every table',
    })
  }
  const { renderModels } = await import('../autogenerate/render-models.js')
  const source = renderModels(snapshot, { dialect: connection.dialect.name })
  const count = `${snapshot.tables.length} table${snapshot.tables.length === 1 ? '' : 's'}`
  if (output === undefined) {
    ctx.reporter.write(source)
    return
  }
  try {
    writeFileSync(output, source, { flag: options.force ? 'w' : 'wx' })
  } catch (err) {
    throw new CommandError('write_models', `Cannot write ${output}: ${(err as Error).message}`, { cause: err, hint: 'check that its folder is writable, or choose another --output' })
  }
  if (ctx.reporter.json) ctx.reporter.data({ path: output, tables: snapshot.tables.map((t) => (t.schema === undefined ? t.name : `${t.schema}.${t.name}`)) })
  else {
    ctx.reporter.progress(`Writing ${output} (${count}) ... done`)
    ctx.reporter.progress(`Use it as the models: target_metadata = ${path.relative(ctx.config.here, output) || output}#metadata in migrator.ini, then \`migrator check\``)
  }
}

function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory()
  } catch {
    return false
  }
}
