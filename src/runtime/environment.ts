/**
 * `env.ts`: the per-project hook file that replaces Alembic's env.py. It exports the
 * result of `defineEnv({...})`; every member is optional.
 */

/** What `includeObject`/`includeName` filters see. */
export interface SchemaObjectRef {
  readonly type: 'table' | 'column' | 'index' | 'unique_constraint' | 'foreign_key_constraint' | 'check_constraint' | 'enum' | 'schema'
  readonly name: string
  readonly schema?: string | undefined
  /** For columns, indexes and constraints: the table they belong to. */
  readonly tableName?: string | undefined
  /** Whether the object was found in the database (`true`) or only in the models (`false`). */
  readonly reflected?: boolean
}

export interface EnvContext {
  /** The `-x key=value` arguments. */
  readonly x: Readonly<Record<string, string>>
  /** The ini section in use (`migrator`, or the one named by `-n`). */
  readonly section: string
  /** The ini file's values of that section, after interpolation. */
  readonly ini: Readonly<Record<string, string>>
  /** `--tag` of upgrade/downgrade/stamp, as Alembic's get_tag_argument(). */
  readonly tag: string | undefined
}

export interface EnvOptions {
  /** The models' metadata (or several), compared by autogenerate. Default: the ini's `target_metadata`. */
  targetMetadata?: unknown
  /**
   * The database URL, or a function returning it. Used when neither `--url` nor
   * `MIGRATOR_DATABASE_URL` is set; wins over the ini's `database_url`.
   */
  url?: string | ((context: EnvContext) => string | undefined | Promise<string | undefined>)
  /** Autogenerate filter over every object; return false to ignore it. */
  includeObject?: (object: SchemaObjectRef) => boolean
  /** Autogenerate filter by name, applied before reflection where possible. */
  includeName?: (name: string, type: SchemaObjectRef['type'], parent: { schema?: string; tableName?: string }) => boolean
  /** PostgreSQL schemas to compare besides the default one. */
  includeSchemas?: boolean | readonly string[]
  /** Compare column types in autogenerate. Default: the ini's `compare_type` (true). */
  compareType?: boolean
  /** Compare server defaults in autogenerate. Default: the ini's `compare_server_default` (true). */
  compareServerDefault?: boolean
  /** One transaction per revision instead of one per run. Default: the ini's `transaction_per_migration` (false). */
  transactionPerMigration?: boolean
}

/** Declares the environment of a migrator project. Returns its argument, typed. */
export function defineEnv(options: EnvOptions): EnvOptions {
  return options
}
