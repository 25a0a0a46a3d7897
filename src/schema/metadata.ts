/**
 * `MetaData`: the collection of the models' tables, with the naming convention for their unnamed
 * constraints and an optional default schema. The counterpart of SQLAlchemy's `MetaData`.
 */
import { SchemaError } from './errors.js'
import { DEFAULT_NAMING_CONVENTION, type NamingConvention } from './naming.js'
import type { TableSpec } from './spec.js'
import { Table, type ColumnMap, type ColumnName, type TableOptions } from './table.js'

export interface MetaDataOptions {
  /**
   * Templates naming unnamed constraints and indexes (see `NamingConvention`). Merged over the
   * default `{ ix: 'ix_%(column_0_label)s' }`; a kind without a template stays unnamed (the
   * database names it), except indexes, which need a name.
   */
  readonly namingConvention?: NamingConvention
  /** Default schema of the tables. */
  readonly schema?: string
}

export class MetaData {
  readonly schema: string | undefined
  readonly namingConvention: NamingConvention
  private readonly tableMap = new Map<string, Table>()

  constructor(options: MetaDataOptions = {}) {
    this.schema = options.schema
    this.namingConvention = Object.freeze({ ...DEFAULT_NAMING_CONVENTION, ...options.namingConvention })
  }

  /**
   * Declares a table. Keys of `columns` are the column names; `options` take indexes, checks,
   * unique constraints, foreign keys, a composite primary key and a comment, all typed by the
   * column names (a typo in `index().on('emial')` does not compile).
   */
  table<const C extends ColumnMap>(name: string, columns: C, options: TableOptions<NoInfer<ColumnName<C>>> = {}): Table<C> {
    const schema = options.schema ?? this.schema
    const key = tableKey(name, schema)
    if (this.tableMap.has(key)) {
      throw new SchemaError('duplicate_table', `table '${key}' is declared twice in this MetaData`)
    }
    const table = new Table<C>(name, columns, options, { metadata: this })
    this.tableMap.set(key, table)
    return table
  }

  /** Tables in declaration order. */
  get tables(): readonly Table[] {
    return [...this.tableMap.values()]
  }

  /** The table `name` in `schema` (default: the MetaData's schema). */
  getTable(name: string, schema: string | undefined = this.schema): Table | undefined {
    return this.tableMap.get(tableKey(name, schema))
  }

  /**
   * Tables ordered so that every table comes after the tables its foreign keys refer to
   * (create in this order, drop in reverse). Ties keep declaration order; tables in a cycle of
   * foreign keys keep declaration order among themselves.
   */
  get sortedTables(): readonly Table[] {
    const tables = this.tables
    const position = new Map(tables.map((t, i) => [tableKey(t.name, t.schema), i]))
    // By declaration index: how many parents each table waits for, and the children of each.
    const waiting = new Array<number>(tables.length).fill(0)
    const children: number[][] = tables.map(() => [])
    tables.forEach((table, i) => {
      const parents = new Set<number>()
      for (const fk of table.foreignKeys) {
        const parent = position.get(tableKey(fk.referredTable, fk.referredSchema ?? this.schema))
        if (parent !== undefined && parent !== i) parents.add(parent)
      }
      waiting[i] = parents.size
      for (const parent of parents) children[parent]!.push(i)
    })
    // Each step takes the first table in declaration order whose parents are all taken (a heap of
    // the ready ones: linear time where scanning every table at every step was quadratic).
    const ready = new IndexHeap()
    waiting.forEach((count, i) => {
      if (count === 0) ready.push(i)
    })
    const done = new Array<boolean>(tables.length).fill(false)
    const out: Table[] = []
    let firstLeft = 0
    while (out.length < tables.length) {
      let next = ready.pop()
      while (next !== undefined && done[next]) next = ready.pop()
      if (next === undefined) {
        // A cycle: take the first remaining table in declaration order.
        while (done[firstLeft]) firstLeft++
        next = firstLeft
      }
      done[next] = true
      out.push(tables[next]!)
      for (const child of children[next]!) if (--waiting[child]! === 0 && !done[child]) ready.push(child)
    }
    return out
  }

  /** Every table as plain data, in dependency order. */
  toSpecs(): TableSpec[] {
    return this.sortedTables.map((t) => t.toSpec())
  }
}

/** A min-heap of indexes. */
class IndexHeap {
  private readonly items: number[] = []

  push(value: number): void {
    const items = this.items
    let i = items.push(value) - 1
    while (i > 0) {
      const up = (i - 1) >> 1
      if (items[up]! <= value) break
      items[i] = items[up]!
      i = up
    }
    items[i] = value
  }

  /** The smallest index, removed; undefined when empty. */
  pop(): number | undefined {
    const items = this.items
    if (items.length === 0) return undefined
    const top = items[0]!
    const last = items.pop()!
    if (items.length > 0) {
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        if (left >= items.length) break
        const child = left + 1 < items.length && items[left + 1]! < items[left]! ? left + 1 : left
        if (items[child]! >= last) break
        items[i] = items[child]!
        i = child
      }
      items[i] = last
    }
    return top
  }
}

function tableKey(name: string, schema: string | undefined): string {
  return schema === undefined ? name : `${schema}.${name}`
}
