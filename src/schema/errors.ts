import { MigratorError, type MigratorErrorOptions } from '../errors.js'

/**
 * A mistake in the models (a table, column, constraint or index declaration): an unknown column,
 * a duplicate name, an invalid type argument. Exit status 1, code `schema.<what>`.
 */
export class SchemaError extends MigratorError {
  constructor(code: string, message: string, options: MigratorErrorOptions = {}) {
    super(`schema.${code}`, message, 1, options)
  }
}
