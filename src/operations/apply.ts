/**
 * Applying operations to a table's plain definition: the table an operation would leave behind.
 * The SQLite copy-and-move (`batchAlterTable`, and any operation SQLite cannot do in place) uses it
 * to compute the new table from the current one, then `planSqliteTableRebuild` to write the SQL.
 */
import { SchemaError } from '../schema/errors.js'
import type { ColumnSpec, TableSpec } from '../schema/spec.js'
import { SqlFragment } from '../schema/sql.js'
import { compact } from '../schema/util.js'
import type { Operation } from './ops.js'

export interface BatchPlan {
  /** The table after the operations. */
  readonly table: TableSpec
  /** New column name → column name in the original table, for every column renamed along the way. */
  readonly renamedColumns: Readonly<Record<string, string>>
}

/**
 * The table `current` becomes after `operations`, all on that table. Column renames are tracked so
 * the rebuild copies the renamed columns' rows. Throws a `SchemaError` for an operation that does
 * not apply (another table, an unknown column or constraint, an unnamed constraint to drop).
 */
export function planBatch(current: TableSpec, operations: readonly Operation[]): BatchPlan {
  let table = current
  let renamed: Record<string, string> = {}
  for (const op of operations) {
    if (op.kind === 'alterColumn' && op.newColumnName !== undefined) {
      const original = renamed[op.columnName] ?? op.columnName
      const { [op.columnName]: _, ...rest } = renamed
      renamed = { ...rest, [op.newColumnName]: original }
    }
    table = applyOperation(table, op)
  }
  const renamedColumns = Object.fromEntries(Object.entries(renamed).filter(([to, from]) => to !== from))
  return { table, renamedColumns }
}

/** The table `table` becomes after `op`. */
export function applyOperation(table: TableSpec, op: Operation): TableSpec {
  const fail = (message: string): never => {
    throw new SchemaError('batch_operation', `${op.kind} on '${table.name}': ${message}`)
  }
  const requireColumn = (name: string): ColumnSpec => table.columns.find((c) => c.name === name) ?? fail(`the table has no column '${name}'`)
  if ('tableName' in op && op.tableName !== table.name) fail(`the operation is for table '${op.tableName}'`)

  switch (op.kind) {
    case 'addColumn': {
      if (table.columns.some((c) => c.name === op.column.name)) fail(`column '${op.column.name}' already exists`)
      const name = op.column.name
      return {
        ...table,
        columns: [...table.columns, op.primaryKey ? { ...op.column, nullable: false } : op.column],
        primaryKey: op.primaryKey ? addPrimaryKey(table, { columns: [name] }, fail) : table.primaryKey,
        uniques: op.unique ? [...table.uniques, op.unique] : table.uniques,
        foreignKeys: op.foreignKey ? [...table.foreignKeys, op.foreignKey] : table.foreignKeys,
        indexes: op.index ? [...table.indexes, op.index] : table.indexes,
      }
    }
    case 'dropColumn': {
      requireColumn(op.columnName)
      const uses = (columns: readonly (string | SqlFragment)[]): boolean => columns.includes(op.columnName)
      const only = (columns: readonly (string | SqlFragment)[]): boolean => columns.length === 1 && columns[0] === op.columnName
      for (const [what, columns] of [
        ['the primary key', table.primaryKey?.columns ?? []],
        ...table.uniques.map((u) => [`unique constraint ${u.name ?? '(unnamed)'}`, u.columns] as const),
        ...table.foreignKeys.map((f) => [`foreign key ${f.name ?? '(unnamed)'}`, f.columns] as const),
        ...table.indexes.map((i) => [`index ${i.name}`, i.columns] as const),
      ] as const) {
        if (uses(columns) && !only(columns)) fail(`column '${op.columnName}' is part of ${what} with other columns: drop or change that first`)
      }
      return compact({
        ...table,
        columns: table.columns.filter((c) => c.name !== op.columnName),
        primaryKey: table.primaryKey && only(table.primaryKey.columns) ? undefined : table.primaryKey,
        uniques: table.uniques.filter((u) => !only(u.columns)),
        foreignKeys: table.foreignKeys.filter((f) => !only(f.columns)),
        indexes: table.indexes.filter((i) => !only(i.columns)),
      })
    }
    case 'alterColumn': {
      const column = requireColumn(op.columnName)
      const newName = op.newColumnName ?? op.columnName
      if (newName !== op.columnName && table.columns.some((c) => c.name === newName)) fail(`column '${newName}' already exists`)
      const changed: ColumnSpec = compact({
        ...column,
        name: newName,
        type: op.type ?? column.type,
        nullable: op.nullable ?? column.nullable,
        serverDefault: op.serverDefault === undefined ? column.serverDefault : (op.serverDefault ?? undefined),
        comment: op.comment === undefined ? column.comment : (op.comment ?? undefined),
      })
      const rename = (columns: readonly string[]): string[] => columns.map((c) => (c === op.columnName ? newName : c))
      return compact({
        ...table,
        columns: table.columns.map((c) => (c.name === op.columnName ? changed : c)),
        primaryKey: table.primaryKey && { ...table.primaryKey, columns: rename(table.primaryKey.columns) },
        uniques: table.uniques.map((u) => ({ ...u, columns: rename(u.columns) })),
        foreignKeys: table.foreignKeys.map((f) => ({ ...f, columns: rename(f.columns) })),
        indexes: table.indexes.map((i) => ({ ...i, columns: i.columns.map((c) => (c === op.columnName ? newName : c)) })),
      })
    }
    case 'createIndex':
      if (table.indexes.some((i) => i.name === op.index.name)) fail(`index '${op.index.name}' already exists`)
      op.index.columns.forEach((c) => typeof c === 'string' && requireColumn(c))
      return { ...table, indexes: [...table.indexes, op.index] }
    case 'dropIndex':
      if (!table.indexes.some((i) => i.name === op.name)) fail(`the table has no index '${op.name}'`)
      return { ...table, indexes: table.indexes.filter((i) => i.name !== op.name) }
    case 'createUniqueConstraint':
      op.constraint.columns.forEach(requireColumn)
      return { ...table, uniques: [...table.uniques, op.constraint] }
    case 'createForeignKey':
      op.constraint.columns.forEach(requireColumn)
      return { ...table, foreignKeys: [...table.foreignKeys, op.constraint] }
    case 'createCheckConstraint':
      return { ...table, checks: [...table.checks, op.constraint] }
    case 'createPrimaryKey':
      op.constraint.columns.forEach(requireColumn)
      return {
        ...table,
        primaryKey: addPrimaryKey(table, op.constraint, fail),
        columns: table.columns.map((c) => (op.constraint.columns.includes(c.name) ? { ...c, nullable: false } : c)),
      }
    case 'dropConstraint': {
      const named = <T extends { readonly name?: string }>(list: readonly T[]): readonly T[] => list.filter((c) => c.name !== op.name)
      const next = compact({
        ...table,
        primaryKey: table.primaryKey?.name === op.name ? undefined : table.primaryKey,
        uniques: named(table.uniques),
        foreignKeys: named(table.foreignKeys),
        checks: named(table.checks),
      })
      const removed =
        (table.primaryKey !== undefined && next.primaryKey === undefined) ||
        next.uniques.length !== table.uniques.length ||
        next.foreignKeys.length !== table.foreignKeys.length ||
        next.checks.length !== table.checks.length
      if (!removed) fail(`the table has no constraint named '${op.name}'`)
      return next
    }
    case 'createTableComment':
      return { ...table, comment: op.comment }
    case 'dropTableComment':
      return compact({ ...table, comment: undefined })
    default:
      return fail('it cannot be part of a table rebuild')
  }
}

function addPrimaryKey(table: TableSpec, pk: NonNullable<TableSpec['primaryKey']>, fail: (message: string) => never): NonNullable<TableSpec['primaryKey']> {
  if (table.primaryKey !== undefined) fail('the table already has a primary key')
  return pk
}
