/**
 * Typed errors. Library code throws these; only the CLI layer turns them into
 * a coloured one-line message, a hint and an exit code.
 */

/** Exit status of a failed command: 1 the command failed, 2 usage or configuration error. */
export type FailureExitCode = 1 | 2

export interface MigratorErrorOptions {
  /** One line telling the user what to do about it. */
  hint?: string
  /** The underlying error, shown only with MIGRATOR_DEBUG=1. */
  cause?: unknown
  /** Further lines printed under the message (e.g. the statements a failed MySQL revision applied). */
  details?: readonly string[]
}

export class MigratorError extends Error {
  /** Stable machine-readable code, e.g. `config.missing_url`. */
  readonly code: string
  readonly exitCode: FailureExitCode
  readonly hint: string | undefined
  readonly details: readonly string[]

  constructor(code: string, message: string, exitCode: FailureExitCode, options: MigratorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.exitCode = exitCode
    this.hint = options.hint
    this.details = options.details ?? []
  }
}

/** Bad command-line usage: exit 2. */
export class UsageError extends MigratorError {
  constructor(message: string, options: MigratorErrorOptions = {}) {
    super('usage', message, 2, options)
  }
}

/** Bad or missing configuration (ini, env.ts, URL): exit 2. */
export class ConfigError extends MigratorError {
  constructor(code: string, message: string, options: MigratorErrorOptions = {}) {
    super(`config.${code}`, message, 2, options)
  }
}

/** A problem in the revision graph or with a revision target: exit 1. */
export class RevisionError extends MigratorError {
  constructor(code: string, message: string, options: MigratorErrorOptions = {}) {
    super(`revision.${code}`, message, 1, options)
  }
}

/** A database could not be reached or a statement failed: exit 1. */
export class DatabaseError extends MigratorError {
  constructor(code: string, message: string, options: MigratorErrorOptions = {}) {
    super(`database.${code}`, message, 1, options)
  }
}

/** Any other failure of a command: exit 1. */
export class CommandError extends MigratorError {
  constructor(code: string, message: string, options: MigratorErrorOptions = {}) {
    super(`command.${code}`, message, 1, options)
  }
}
