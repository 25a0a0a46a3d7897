import { CommandError } from '../errors.js'

/** `reverse()` of an operation that cannot be undone, or that lacks what undoing it needs. */
export class IrreversibleOperationError extends CommandError {
  constructor(message: string, hint = 'write the downgrade by hand') {
    super('irreversible_operation', message, { hint })
  }
}

/**
 * SQLite cannot do this operation in place (alter a column's type, nullability or default, add or
 * drop a constraint): the runtime runs it through copy-and-move (`batchAlterTable`) instead.
 */
export class NeedsBatchError extends CommandError {
  /** The operation's kind (`alterColumn`, `createUniqueConstraint`, …). */
  readonly operationKind: string

  constructor(operationKind: string, reason: string) {
    super('needs_batch', `SQLite cannot ${reason} in place`, {
      hint: 'run it inside op.batchAlterTable(table, (batch) => …), which rebuilds the table and keeps its rows',
    })
    this.operationKind = operationKind
  }
}

/** The dialect has no way to do this (an `array` column on MySQL, an enum value on SQLite). */
export class UnsupportedOperationError extends CommandError {
  constructor(message: string, hint?: string) {
    super('unsupported_operation', message, hint === undefined ? {} : { hint })
  }
}

/** MySQL `MODIFY`/`CHANGE` restates the whole column: an `existing*` hint it needs was not given. */
export class MissingHintError extends CommandError {
  constructor(message: string, hint: string) {
    super('missing_hint', message, { hint })
  }
}
