/**
 * The public API of migrator: what env.ts, model files and revision files import
 * from 'migrator'.
 */
export { defineEnv } from './runtime/environment.js'
export type { EnvOptions, EnvContext, SchemaObjectRef } from './runtime/environment.js'
export { Operations } from './operations/operations.js'
export type { OperationsOptions } from './operations/operations.js'
export type { Connection, QueryResult, DialectName } from './dialects/dialect.js'
export { MigratorError } from './errors.js'

// The models API: MetaData, tables, column types, constraints, `sql`.
export * from './schema/index.js'

// Operations as data, for revisions that build them (`op.invoke(…)`) and for tools.
export { OperationFactory } from './operations/factory.js'
export type {
  AddEnumValueOptions,
  AlterColumnChanges,
  BatchAlterTableOptions,
  BatchOperationsApi,
  BulkInsertOptions,
  CreateForeignKeyOptions,
  CreateUniqueConstraintOptions,
  CreateIndexOptions,
  CreateTableOptions,
  DropConstraintOptions,
  DropEnumOptions,
  DropIndexOptions,
  DropTableCommentOptions,
  DropTableOptions,
  OperationsApi,
  SchemaOption,
  TableCommentOptions,
} from './operations/operations-api.js'
export type { Operation, OperationKind } from './operations/ops.js'
export { IrreversibleOperationError, MissingHintError, NeedsBatchError, UnsupportedOperationError } from './operations/errors.js'
