/**
 * Table-level constraint and index declarations: `index('ix_users_name').on('name')`,
 * `unique().on('a', 'b')`, `check('ck_positive', sql\`price > 0\`)`, `foreignKey(['a', 'b'], …)`.
 * The type parameter `K` is the union of column names they mention: a table only accepts
 * declarations whose names are among its columns, so a typo is a compile error.
 */
import type { ReferenceOptions, Thunk } from './column.js'
import { SchemaError } from './errors.js'
import { SqlFragment } from './sql.js'
import { compact } from './util.js'

/** An index declaration. Immutable: every method returns a new one. */
export class IndexDef<K extends string = string> {
  readonly name: string | undefined
  readonly columns: readonly (K | SqlFragment)[]
  readonly isUnique: boolean
  readonly condition: SqlFragment | undefined
  readonly method: string | undefined
  /** Columns indexed in descending order. */
  readonly descending: readonly K[]
  /** A unique index's `NULLS NOT DISTINCT` (PostgreSQL 15). */
  readonly nullsAreEqual: boolean

  constructor(init: {
    name?: string | undefined
    columns?: readonly (K | SqlFragment)[]
    isUnique?: boolean
    condition?: SqlFragment | undefined
    method?: string | undefined
    descending?: readonly K[]
    nullsAreEqual?: boolean
  }) {
    this.name = init.name
    this.columns = [...(init.columns ?? [])]
    this.isUnique = init.isUnique ?? false
    this.condition = init.condition
    this.method = init.method
    this.descending = [...(init.descending ?? [])]
    this.nullsAreEqual = init.nullsAreEqual ?? false
  }

  /** The indexed columns, in order; a `sql` fragment makes an expression index (`sql\`lower(email)\``). */
  on(...columns: SqlFragment[]): IndexDef<never>
  on<C extends string>(...columns: (C | SqlFragment)[]): IndexDef<C>
  on<C extends string>(...columns: (C | SqlFragment)[]): IndexDef<C> {
    return new IndexDef<C>({ ...this, columns, descending: [] })
  }

  /** Columns of the index in descending order (`DESC`): `index('ix_posts_recent').on('author_id', 'created_at').desc('created_at')`. */
  desc(...columns: K[]): IndexDef<K> {
    return new IndexDef<K>({ ...this, descending: [...this.descending, ...columns] })
  }

  /** A unique index. */
  unique(): IndexDef<K> {
    return new IndexDef<K>({ ...this, isUnique: true })
  }

  /**
   * PostgreSQL 15 `NULLS NOT DISTINCT` of a unique index: NULLs count as equal, so at most one row
   * may have them. MySQL and SQLite have no such option: there it is left out.
   */
  nullsNotDistinct(): IndexDef<K> {
    return new IndexDef<K>({ ...this, nullsAreEqual: true })
  }

  /** A partial index: `where(sql\`deleted_at IS NULL\`)` (PostgreSQL, SQLite; MySQL has none). */
  where(condition: SqlFragment): IndexDef<K> {
    return new IndexDef<K>({ ...this, condition })
  }

  /** Index method: `gin`, `gist`, `brin`, `hash` (PostgreSQL), `BTREE`/`HASH` (MySQL); SQLite ignores it. */
  using(method: string): IndexDef<K> {
    return new IndexDef<K>({ ...this, method })
  }
}

/** `index('ix_users_name').on('name')`; without a name, the naming convention names it (`ix_<table>_<column>` by default). */
export function index(name?: string): IndexDef<never> {
  return new IndexDef<never>({ name })
}

/** A unique constraint declaration. */
export class UniqueDef<K extends string = string> {
  readonly name: string | undefined
  readonly columns: readonly K[]
  /** `DEFERRABLE [INITIALLY …]` (PostgreSQL; the other databases have no deferrable unique constraints and leave it out). */
  readonly deferral: { readonly initially?: 'DEFERRED' | 'IMMEDIATE' } | undefined
  /** `NULLS NOT DISTINCT` (PostgreSQL 15; the other databases have no such option and leave it out). */
  readonly nullsAreEqual: boolean

  constructor(name: string | undefined, columns: readonly K[], deferral?: { readonly initially?: 'DEFERRED' | 'IMMEDIATE' }, nullsAreEqual = false) {
    this.name = name
    this.columns = [...columns]
    this.deferral = deferral
    this.nullsAreEqual = nullsAreEqual
  }

  on<C extends string>(...columns: C[]): UniqueDef<C> {
    return new UniqueDef<C>(this.name, columns, this.deferral, this.nullsAreEqual)
  }

  /**
   * PostgreSQL `DEFERRABLE`: the constraint is checked at the end of each statement, or with
   * `initially: 'deferred'` at commit (`SET CONSTRAINTS` switches it). MySQL and SQLite have no
   * deferrable unique constraints: there it is left out.
   */
  deferrable(options: { readonly initially?: 'deferred' | 'immediate' | 'DEFERRED' | 'IMMEDIATE' } = {}): UniqueDef<K> {
    const initially = options.initially?.toUpperCase()
    if (initially !== undefined && initially !== 'DEFERRED' && initially !== 'IMMEDIATE') {
      throw new SchemaError('bad_constraint', `unique(${this.name === undefined ? '' : `'${this.name}'`}).deferrable(): initially must be 'deferred' or 'immediate', not '${options.initially}'`)
    }
    return new UniqueDef<K>(this.name, this.columns, initially === undefined ? {} : { initially }, this.nullsAreEqual)
  }

  /**
   * PostgreSQL 15 `NULLS NOT DISTINCT`: NULLs count as equal, so at most one row may have them in
   * the constraint's columns. MySQL and SQLite have no such option: there it is left out.
   */
  nullsNotDistinct(): UniqueDef<K> {
    return new UniqueDef<K>(this.name, this.columns, this.deferral, true)
  }
}

/** `unique('uq_users_org_email').on('org_id', 'email')`. */
export function unique(name?: string): UniqueDef<never> {
  return new UniqueDef<never>(name, [])
}

/** A check constraint declaration. */
export class CheckDef {
  constructor(
    readonly name: string | undefined,
    readonly expression: SqlFragment,
  ) {}
}

/** `check('ck_price_positive', sql\`price > 0\`)`, or `check(sql\`…\`)` named by the convention (`ck`). */
export function check(expression: SqlFragment): CheckDef
export function check(name: string, expression: SqlFragment): CheckDef
export function check(nameOrExpression: string | SqlFragment, expression?: SqlFragment): CheckDef {
  if (nameOrExpression instanceof SqlFragment) return new CheckDef(undefined, nameOrExpression)
  if (!(expression instanceof SqlFragment)) {
    throw new SchemaError('bad_check', `check('${nameOrExpression}'): the condition must be a sql\`…\` fragment`, {
      hint: "check('ck_price_positive', sql`price > 0`)",
    })
  }
  return new CheckDef(nameOrExpression, expression)
}

/** The columns a composite foreign key refers to: a thunk returning columns of one table (see `Thunk`), or names. */
export type ForeignKeyTarget = Thunk | { readonly table: string; readonly columns: readonly string[]; readonly schema?: string }

/** A (composite) foreign key declaration. */
export class ForeignKeyDef<K extends string = string> {
  constructor(
    readonly columns: readonly K[],
    readonly target: ForeignKeyTarget,
    readonly options: ReferenceOptions,
  ) {}
}

/**
 * `foreignKey(['org_id', 'user_id'], () => [members.columns.org_id, members.columns.user_id], { onDelete: 'cascade' })`,
 * or with names: `foreignKey(['org_id'], { table: 'orgs', columns: ['id'] })`.
 */
export function foreignKey<const C extends string>(columns: readonly C[], target: ForeignKeyTarget, options: ReferenceOptions = {}): ForeignKeyDef<C> {
  return new ForeignKeyDef<C>([...columns], target, compact({ ...options }))
}

/** The primary key in table options: the column names, or a named key. */
export type PrimaryKeyDef<K extends string = string> = readonly K[] | { readonly name?: string; readonly columns: readonly K[] }
