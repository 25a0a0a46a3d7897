/**
 * Operations autogenerate writes for what no directive does in both directions: PostgreSQL enum
 * values removed or reordered (the type is recreated), identity/AUTO_INCREMENT added or removed.
 * They are ordinary `execute` / `addEnumValue` operations (they compile, render and run as such)
 * that also know their inverse, so the downgrade of a revision is still the exact reverse of its
 * upgrade: `ops.reverse().map((op) => op.reverse())`. Rendered and evaluated back they become plain
 * operations again (the inverse is not part of the data).
 */
import { AddEnumValueOp, AlterColumnOp, ExecuteSqlOp, type AddEnumValueProps, type AlterColumnProps, type Operation } from '../operations/ops.js'
import type { SqlFragment } from '../schema/sql.js'

const INVERSE = Symbol('inverse')
const INVERSE_USING = Symbol('inverseUsing')

function attachInverse(op: object, inverse: () => Operation): void {
  Object.defineProperty(op, INVERSE, { value: inverse, enumerable: false })
}

/** `execute(sql)` whose reverse is `execute(inverseSql)` (and back). */
export class ReversibleExecuteOp extends ExecuteSqlOp {
  constructor(sqlText: string, inverseSql: string) {
    super({ sql: sqlText })
    attachInverse(this, () => new ReversibleExecuteOp(inverseSql, sqlText))
  }

  /** The `execute` undoing this one. (Typed `never` by `ExecuteSqlOp`, which has no inverse.) */
  override reverse(): never {
    return (this as unknown as Record<symbol, () => Operation>)[INVERSE]!() as never
  }
}

/** `addEnumValue` whose reverse is the operation removing the value again (recreating the type). */
export class ReversibleAddEnumValueOp extends AddEnumValueOp {
  constructor(props: AddEnumValueProps, inverse: () => Operation) {
    super(props)
    attachInverse(this, inverse)
  }

  override reverse(): never {
    return (this as unknown as Record<symbol, () => Operation>)[INVERSE]!() as never
  }
}

/**
 * `alterColumn` with a `using` conversion whose reverse converts back (`AlterColumnOp.reverse()`
 * leaves `using` out: it cannot guess the way back). PostgreSQL type changes without an
 * assignment cast need it both ways.
 */
export class ReversibleUsingAlterColumnOp extends AlterColumnOp {
  constructor(props: AlterColumnProps, inverseUsing: SqlFragment) {
    super(props)
    Object.defineProperty(this, INVERSE_USING, { value: inverseUsing, enumerable: false })
    const forwardUsing = props.using
    attachInverse(this, () => {
      const { kind: _, ...reversed } = super.reverse()
      return new ReversibleUsingAlterColumnOp({ ...reversed, using: inverseUsing }, forwardUsing!)
    })
  }

  /** The `using` of the reverse: the conversion of the new type's values back to the old type. */
  get inverseUsing(): SqlFragment {
    return (this as unknown as Record<symbol, SqlFragment>)[INVERSE_USING]!
  }

  override reverse(): AlterColumnOp {
    return (this as unknown as Record<symbol, () => AlterColumnOp>)[INVERSE]!()
  }
}

/** Whether `op` carries a known inverse. */
export function hasInverse(op: Operation): boolean {
  return op instanceof ReversibleExecuteOp || op instanceof ReversibleAddEnumValueOp || op instanceof ReversibleUsingAlterColumnOp
}
