/**
 * The public API of migrator: what env.ts, model files and revision files import
 * from 'migrator'.
 */
export { defineEnv } from './runtime/environment.js'
export type { EnvOptions, EnvContext, SchemaObjectRef } from './runtime/environment.js'
export { Operations } from './operations/operations.js'
export type { Connection, QueryResult, DialectName } from './dialects/dialect.js'
export { MigratorError } from './errors.js'
