/**
 * Applying operations to a table's plain definition: the table an operation would leave behind.
 * The SQLite copy-and-move (`batchAlterTable`, and any operation SQLite cannot do in place) uses it
 * to compute the new table from the current one, then `planSqliteTableRebuild` to write the SQL.
 */
import { SchemaError } from '../schema/errors.js'
import type { CheckSpec, ColumnSpec, TableSpec } from '../schema/spec.js'
import { SqlFragment, SqlIdentifier, type SqlPart } from '../schema/sql.js'
import { compact } from '../schema/util.js'
import { shortHash } from '../schema/naming.js'
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
      const original = Object.hasOwn(renamed, op.columnName) ? renamed[op.columnName]! : op.columnName
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
        // A check is about the columns its condition names: one naming only this column goes with it.
        ...table.checks.map((c) => [`check constraint ${c.name ?? `(${c.expression.toString()})`}`, checkColumns(c, table)] as const),
      ] as const) {
        if (uses(columns) && !only(columns)) fail(`column '${op.columnName}' is part of ${what} with other columns: drop or change that first`)
      }
      return compact({
        ...table,
        checks: table.checks.filter((c) => !only(checkColumns(c, table))),
        columns: table.columns.filter((c) => c.name !== op.columnName),
        primaryKey: table.primaryKey && only(table.primaryKey.columns) ? undefined : table.primaryKey,
        uniques: table.uniques.filter((u) => !only(u.columns)),
        foreignKeys: table.foreignKeys.filter((f) => !only(f.columns)),
        indexes: table.indexes.filter((i) => !only(i.columns)),
      })
    }
    case 'alterColumn': {
      if (op.columnCheck !== undefined) fail('columnCheck is MariaDB\'s check of a column definition: use batch.createCheckConstraint / dropConstraint')
      if (op.invisible !== undefined) fail('SQLite has no invisible columns (MySQL, MariaDB)')
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
        // A collation given with the new type; otherwise the column keeps its own.
        collation: op.type !== undefined && op.collation !== undefined ? op.collation : column.collation,
        generated: op.generated === undefined ? column.generated : (op.generated ?? undefined),
      })
      const rename = (columns: readonly string[]): string[] => columns.map((c) => (c === op.columnName ? newName : c))
      return compact({
        ...table,
        columns: table.columns.map((c) => (c.name === op.columnName ? changed : c)),
        primaryKey: table.primaryKey && { ...table.primaryKey, columns: rename(table.primaryKey.columns) },
        uniques: table.uniques.map((u) => ({ ...u, columns: rename(u.columns) })),
        foreignKeys: table.foreignKeys.map((f) => ({ ...f, columns: rename(f.columns) })),
        indexes: table.indexes.map((i) => ({ ...i, columns: i.columns.map((c) => (c === op.columnName ? newName : c)) })),
        checks: newName === op.columnName ? table.checks : table.checks.map((c) => ({ ...c, expression: renameInExpression(c.expression, op.columnName, newName) })),
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
      if (removed) return next
      // A constraint declared without a name (SQLite keeps none) answers to the name PostgreSQL would give it.
      const unnamed = unnamedConstraintCalled(table, op.name) ?? fail(`the table has no constraint named '${op.name}'`)
      return compact({
        ...table,
        primaryKey: table.primaryKey === unnamed ? undefined : table.primaryKey,
        uniques: table.uniques.filter((c) => c !== unnamed),
        foreignKeys: table.foreignKeys.filter((c) => c !== unnamed),
        checks: table.checks.filter((c) => c !== unnamed),
      })
    }
    case 'createTableComment':
      return { ...table, comment: op.comment }
    case 'dropTableComment':
      return compact({ ...table, comment: undefined })
    default:
      return fail('it cannot be part of a table rebuild')
  }
}

/**
 * The constraint of `table` declared without a name that PostgreSQL would have named `name`:
 * `<table>_pkey`, `<table>_<columns>_key` (unique), `<table>_<columns>_fkey`, `<table>_<column>_check`
 * (the first column the condition names) or `<table>_check`. How a migration drops a constraint
 * SQLite reflects without a name (autogenerate names it so).
 */
export function unnamedConstraintCalled(
  table: TableSpec,
  name: string,
): NonNullable<TableSpec['primaryKey']> | TableSpec['uniques'][number] | TableSpec['foreignKeys'][number] | CheckSpec | undefined {
  if (table.primaryKey !== undefined && table.primaryKey.name === undefined && name === `${table.name}_pkey`) return table.primaryKey
  const unnamed = unnamedConstraints(table)
  return (unnamed.find((u) => u.tagged === name) ?? unnamed.find((u) => u.plain === name))?.constraint
}

/** The table's constraints declared without a name, with the names `unnamedNames` gives them. */
function unnamedConstraints(table: TableSpec): { constraint: TableSpec['uniques'][number] | TableSpec['foreignKeys'][number] | CheckSpec; plain: string; tagged: string }[] {
  return [
    ...table.uniques.filter((u) => u.name === undefined).map((u) => ({ constraint: u, ...unnamedNames(table, { type: 'unique', ...u }) })),
    ...table.foreignKeys.filter((f) => f.name === undefined).map((f) => ({ constraint: f, ...unnamedNames(table, { type: 'foreignkey', ...f }) })),
    ...table.checks.filter((c) => c.name === undefined).map((c) => ({ constraint: c, ...unnamedNames(table, { type: 'check', ...c }) })),
  ]
}

type TypedConstraint = ({ type: 'unique' } & TableSpec['uniques'][number]) | ({ type: 'foreignkey' } & TableSpec['foreignKeys'][number]) | ({ type: 'check' } & CheckSpec)

/**
 * The name PostgreSQL would give a constraint declared without one (`<table>_<columns>_key`,
 * `_fkey`, `<table>_<column>_check`), and the same with a tag of its content (`…_check_1x2y3z4`).
 */
function unnamedNames(table: TableSpec, constraint: TypedConstraint): { plain: string; tagged: string } {
  const stem = (columns: readonly string[]): string => [table.name, ...columns].join('_')
  switch (constraint.type) {
    case 'unique': {
      const plain = `${stem(constraint.columns)}_key`
      return { plain, tagged: `${plain}_${shortHash(constraint.columns.join('\0'))}` }
    }
    case 'foreignkey': {
      const plain = `${stem(constraint.columns)}_fkey`
      const target = [...constraint.columns, '', constraint.referredTable, ...constraint.referredColumns, '', constraint.onDelete ?? '', constraint.onUpdate ?? '']
      return { plain, tagged: `${plain}_${shortHash(target.join('\0'))}` }
    }
    case 'check': {
      const plain = `${stem(checkColumns(constraint, table).slice(0, 1))}_check`
      return { plain, tagged: `${plain}_${shortHash(constraint.expression.strings.join('\0').replace(/\s+/g, ' ').trim())}` }
    }
  }
}

/**
 * How a migration names a constraint of `table` that SQLite keeps without a name (autogenerate's
 * drops): the name PostgreSQL would give it, unless another unnamed constraint of the table would
 * get the same (two unnamed checks on one column, `unique(a, b)` and `unique(a_b)`) or one has it as
 * its own name; then that name
 * with a tag of its content, so that the drop removes this one and no other (`unnamedConstraintCalled`).
 */
export function unnamedConstraintName(table: TableSpec, constraint: TypedConstraint): string {
  const { plain, tagged } = unnamedNames(table, constraint)
  const alike = [
    ...unnamedConstraints(table).map((u) => u.plain),
    ...[...table.uniques, ...table.foreignKeys, ...table.checks].flatMap((c) => (c.name === undefined ? [] : [c.name])),
    ...table.indexes.map((ix) => ix.name),
  ].filter((name) => name === plain)
  // Taken by another constraint too (unnamed alike, or one named so): the tagged name.
  return alike.length > 1 ? tagged : plain
}

function addPrimaryKey(table: TableSpec, pk: NonNullable<TableSpec['primaryKey']>, fail: (message: string) => never): NonNullable<TableSpec['primaryKey']> {
  if (table.primaryKey !== undefined) fail('the table already has a primary key')
  return pk
}

/** A name in SQL text: where it is in the text, and whether it was quoted (then it matches exactly). */
interface NameToken {
  readonly name: string
  readonly quoted: boolean
  readonly start: number
  readonly end: number
}

/**
 * The names in a piece of SQL text: bare words and `"quoted"`, `` `quoted` `` or `[quoted]`
 * identifiers, string literals skipped. Enough to tell which columns a CHECK condition uses.
 */
function nameTokens(text: string): NameToken[] {
  const tokens: NameToken[] = []
  let i = 0
  while (i < text.length) {
    const ch = text[i]!
    if (ch === "'") {
      i++
      while (i < text.length && !(text[i] === "'" && text[i + 1] !== "'")) i += text[i] === "'" ? 2 : 1
      i++
    } else if (ch === '"' || ch === '`' || ch === '[') {
      const close = ch === '[' ? ']' : ch
      let name = ''
      let j = i + 1
      while (j < text.length) {
        if (text[j] === close) {
          if (close !== ']' && text[j + 1] === close) {
            name += close
            j += 2
            continue
          }
          break
        }
        name += text[j]
        j++
      }
      tokens.push({ name, quoted: true, start: i, end: j + 1 })
      i = j + 1
    } else if (/[A-Za-z_\u0080-\uFFFF]/.test(ch)) {
      const match = /^[A-Za-z_\u0080-\uFFFF][A-Za-z0-9_$\u0080-\uFFFF]*/.exec(text.slice(i))!
      tokens.push({ name: match[0], quoted: false, start: i, end: i + match[0].length })
      i += match[0].length
    } else if (/[0-9]/.test(ch)) {
      i += /^[0-9A-Za-z_.]+/.exec(text.slice(i))![0].length
    } else {
      i++
    }
  }
  return tokens
}

function tokenIs(token: NameToken, column: string): boolean {
  return token.quoted ? token.name === column : token.name.toLowerCase() === column.toLowerCase()
}

/** The columns of `table` a check's condition names. */
function checkColumns(check: CheckSpec, table: TableSpec): string[] {
  const names = [
    ...check.expression.strings.flatMap((text) => nameTokens(text)),
    ...check.expression.values.flatMap((v) => (v instanceof SqlIdentifier ? [{ name: v.names[v.names.length - 1]!, quoted: true, start: 0, end: 0 }] : [])),
  ]
  return table.columns.filter((c) => names.some((t) => tokenIs(t, c.name))).map((c) => c.name)
}

/** `expression` with every mention of column `from` naming column `to` (as a quoted identifier). */
function renameInExpression(expression: SqlFragment, from: string, to: string): SqlFragment {
  const strings: string[] = []
  const values: SqlPart[] = []
  expression.strings.forEach((text, index) => {
    let rest = text
    let offset = 0
    for (const token of nameTokens(text).filter((t) => tokenIs(t, from))) {
      strings.push(rest.slice(0, token.start - offset))
      values.push(new SqlIdentifier([to]))
      rest = rest.slice(token.end - offset)
      offset = token.end
    }
    strings.push(rest)
    if (index < expression.values.length) {
      const value = expression.values[index]!
      values.push(value instanceof SqlIdentifier && value.names.length === 1 && value.names[0] === from ? new SqlIdentifier([to]) : value)
    }
  })
  return new SqlFragment(strings, values)
}
