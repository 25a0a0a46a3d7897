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
  /** Index name → table name, by schema. */
  private readonly indexOwners = new Map<string | undefined, Map<string, string>>()

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
    // Index names are unique per schema: checked against the tables declared so far, kept by schema
    // (a table at a time, so declaring n tables stays linear).
    const owners = this.indexOwners.get(schema) ?? new Map<string, string>()
    const added = new Map<string, string>()
    for (const ix of table.indexes) {
      const owner = owners.get(ix.name) ?? added.get(ix.name)
      if (owner !== undefined) {
        throw new SchemaError('duplicate_name', `index '${ix.name}' is declared on both '${owner}' and '${table.name}'`, {
          hint: 'index names are unique per schema on PostgreSQL and SQLite: rename one',
        })
      }
      added.set(ix.name, table.name)
    }
    for (const [ixName, owner] of added) owners.set(ixName, owner)
    this.indexOwners.set(schema, owners)
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
    const byKey = new Map(tables.map((t) => [tableKey(t.name, t.schema), t]))
    const parents = new Map<Table, Set<Table>>()
    for (const table of tables) {
      const set = new Set<Table>()
      for (const fk of table.foreignKeys) {
        const parent = byKey.get(tableKey(fk.referredTable, fk.referredSchema ?? this.schema))
        if (parent && parent !== table) set.add(parent)
      }
      parents.set(table, set)
    }
    const done = new Set<Table>()
    const out: Table[] = []
    while (out.length < tables.length) {
      const ready = tables.find((t) => !done.has(t) && [...parents.get(t)!].every((p) => done.has(p)))
      // A cycle: take the first remaining table in declaration order.
      const next = ready ?? tables.find((t) => !done.has(t))!
      done.add(next)
      out.push(next)
    }
    return out
  }

  /** Every table as plain data, in dependency order. */
  toSpecs(): TableSpec[] {
    return this.sortedTables.map((t) => t.toSpec())
  }
}

function tableKey(name: string, schema: string | undefined): string {
  return schema === undefined ? name : `${schema}.${name}`
}
