/**
 * MySQL and MariaDB DDL. Columns restate their whole definition to change (`MODIFY`/`CHANGE`),
 * so `alterColumn` needs the `existing*` hints for what does not change; comments and enums are
 * inline; indexes are declared inside `CREATE TABLE`. No transactional DDL, no deferrable
 * constraints (`deferrable` is left out), no partial indexes.
 */
import type {
  AlterColumnOp,
  CreateTableCommentOp,
  CreateTableOp,
  DropConstraintOp,
  DropIndexOp,
  DropTableCommentOp,
  RenameTableOp,
} from '../../operations/ops.js'
import { MissingHintError } from '../../operations/errors.js'
import type { ColumnSpec, DefaultValue, ForeignKeySpec, GeneratedSpec, IndexSpec, PrimaryKeySpec, TableSpec, UniqueSpec } from '../../schema/spec.js'
import type { ColumnType } from '../../schema/types.js'
import { SqlFragment } from '../../schema/sql.js'
import { compact } from '../../schema/util.js'
import { DdlCompiler, type ColumnContext } from '../ddl-compiler.js'
import { stripOuterParens } from '../introspector.js'

export class MysqlDdlCompiler extends DdlCompiler {
  readonly dialectName = 'mysql' as const
  protected readonly label = 'MySQL'
  protected readonly maxBindParameters = 65535
  protected override readonly nameLimit = { max: 64, unit: 'characters' } as const

  placeholder(): string {
    return '?'
  }

  protected typeSql(type: ColumnType, context: ColumnContext): string {
    switch (type.kind) {
      case 'integer':
      case 'smallint':
      case 'bigint':
        return `${type.kind.toUpperCase()}${type.unsigned ? ' UNSIGNED' : ''}`
      case 'boolean':
        return 'BOOL'
      case 'real':
        return 'FLOAT'
      case 'double':
        return 'DOUBLE'
      case 'numeric':
        return type.precision === undefined ? 'NUMERIC' : `NUMERIC(${type.precision}${type.scale === undefined ? '' : `, ${type.scale}`})`
      case 'varchar':
        if (type.length === undefined) {
          throw this.unsupported(`VARCHAR without a length (column of '${context.tableName}')`, 'give a length: varchar(255), or use text()')
        }
        return `VARCHAR(${type.length})`
      case 'char':
        return type.length === undefined ? 'CHAR' : `CHAR(${type.length})`
      case 'text':
        return 'TEXT'
      case 'date':
        return 'DATE'
      case 'time':
        return `TIME${type.precision === undefined ? '' : `(${type.precision})`}`
      case 'timestamp':
        // DATETIME, not TIMESTAMP: no implicit defaults or ON UPDATE, no 2038 limit, no session time zone conversion.
        return `DATETIME${type.precision === undefined ? '' : `(${type.precision})`}`
      case 'interval':
        throw this.unsupported('INTERVAL type', 'store a number of seconds (integer()) or an ISO 8601 duration (varchar(64))')
      case 'json':
      case 'jsonb':
        return 'JSON'
      case 'uuid':
        return 'CHAR(36)'
      case 'binary':
        return type.length === undefined ? 'BLOB' : `VARBINARY(${type.length})`
      case 'enum':
        return `ENUM(${this.enumValues(type.values)})`
      case 'set':
        return `SET(${this.enumValues(type.values)})`
      case 'array':
        throw this.unsupported('array types', 'use json() for a list of values')
      case 'custom':
        return this.customTypeSql(type, context)
    }
  }

  /** The column definition; `explicitNull` writes `NULL` for a nullable column (MODIFY/CHANGE). */
  protected columnDefinition(column: ColumnSpec, context: ColumnContext, explicitNull = false): string {
    this.checkAutoincrement(column, context)
    let out = `${this.q(column.name)} ${this.typeSql(column.type, context)}`
    if (column.collation !== undefined) out += ` ${this.collateSql(column.collation)}`
    // MariaDB takes neither NOT NULL nor NULL after a generated column's definition.
    if (column.generated !== undefined) out += this.generatedSql(column)
    else if (!column.nullable) out += ' NOT NULL'
    else if (explicitNull) out += ' NULL'
    if (column.invisible) out += ' INVISIBLE'
    if (column.serverDefault !== undefined && column.generated === undefined) out += ` DEFAULT ${this.defaultSql(column.serverDefault)}`
    if (column.autoincrement) out += ' AUTO_INCREMENT'
    if (column.comment !== undefined) out += ` COMMENT ${this.literal(column.comment)}`
    return out
  }

  /** MySQL names every primary key PRIMARY and takes no other name (`CONSTRAINT \`PRIMARY\`` is refused): none is written. */
  protected override primaryKeyClause(pk: PrimaryKeySpec): string {
    return `PRIMARY KEY (${this.columns(pk.columns)})`
  }

  protected override foreignKeyOptions(fk: ForeignKeySpec): string {
    return super.foreignKeyOptions(compact({ ...fk, deferrable: undefined, initially: undefined }))
  }

  /**
   * A `sql` default: MySQL and MariaDB take a literal, `CURRENT_TIMESTAMP` (with its precision) or
   * `NULL` as they are, each maybe with `ON UPDATE …` (`'0000-00-00 00:00:00' ON UPDATE
   * CURRENT_TIMESTAMP`, as legacy tables have), and any other expression only in parentheses
   * (`DEFAULT (curdate() + interval 1 day)`), which MariaDB's catalog leaves out when it prints it.
   */
  protected override defaultSql(value: DefaultValue): string {
    if (!(value instanceof SqlFragment)) return super.defaultSql(value)
    const text = this.sqlText(value).trim()
    const bare =
      stripOuterParens(text, true) !== text ||
      /^(?:CURRENT_TIMESTAMP|NOW|LOCALTIME|LOCALTIMESTAMP)(?:\s*\(\s*\d*\s*\))?(?:\s+ON\s+UPDATE\s+.*)?$/is.test(text) ||
      /^NULL(?:\s+ON\s+UPDATE\s+.*)?$/is.test(text) ||
      /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?|TRUE|FALSE|0x[0-9a-f]+|[bx]'[0-9a-f]*'|(?:_\w+\s*)?'(?:[^'\\]|''|\\.)*')(?:\s+ON\s+UPDATE\s+.*)?$/is.test(text)
    return bare ? text : `(${text})`
  }

  protected override collatable(type: ColumnType): boolean {
    return type.kind === 'enum' || type.kind === 'set' || super.collatable(type)
  }

  /**
   * Index parts; a `sql` part that is a column with a prefix length (`sql\`name(10)\``, as
   * introspect writes a prefix index) is written as MySQL's key part `name(10)`, not as an
   * expression (`(name(10))` would call a function `name`).
   */
  protected override indexColumns(index: IndexSpec): string {
    return index.columns
      .map((c) => {
        if (!(c instanceof SqlFragment)) return `${this.q(c)}${this.descSql(index, c)}`
        const text = this.sqlText(c).trim()
        return /^(?:`(?:[^`]|``)+`|[A-Za-z_$][\w$]*)\s*\(\s*\d+\s*\)$/.test(text) ? text : `(${text})`
      })
      .join(', ')
  }

  /** `UNIQUE `, or `FULLTEXT ` / `SPATIAL ` for those kinds of index (`using('FULLTEXT')`), or nothing. */
  protected indexKindSql(index: IndexSpec): string {
    const kind = index.using?.toUpperCase()
    if (kind === 'FULLTEXT' || kind === 'SPATIAL') {
      if (index.unique) throw this.unsupported(`unique ${kind} indexes (index '${index.name}')`)
      return `${kind} `
    }
    return index.unique ? 'UNIQUE ' : ''
  }

  protected indexMethodSql(index: IndexSpec): string {
    if (index.using === undefined) return ''
    const method = index.using.toUpperCase()
    if (method === 'FULLTEXT' || method === 'SPATIAL') return ''
    if (method !== 'BTREE' && method !== 'HASH') throw this.unsupported(`index method '${index.using}'`, 'MySQL index methods are BTREE and HASH; FULLTEXT and SPATIAL are kinds of index')
    return ` USING ${method}`
  }

  protected checkIndex(index: IndexSpec): void {
    if (index.where !== undefined) throw this.unsupported(`partial indexes (index '${index.name}' has a where condition)`)
  }

  createIndexStatement(index: IndexSpec, tableName: string, schema: string | undefined, options: { ifNotExists?: boolean } = {}): string {
    this.checkIndex(index)
    if (options.ifNotExists) throw this.unsupported('CREATE INDEX IF NOT EXISTS', 'MariaDB has it but MySQL does not: drop ifNotExists')
    return `CREATE ${this.indexKindSql(index)}INDEX ${this.q(index.name)} ON ${this.qt(tableName, schema)} (${this.indexColumns(index)})${this.indexMethodSql(index)}`
  }

  /** The `ADD COLUMN …` clause of `ALTER TABLE` adding `column` (to join it with a key change in one statement). */
  addColumnClause(column: ColumnSpec, tableName: string, schema: string | undefined): string {
    return `ADD COLUMN ${this.columnDefinition(column, { tableName, schema })}`
  }

  /**
   * The `ADD …` clause of `ALTER TABLE` creating this index, unique constraint or primary key: with
   * a `DROP INDEX` in the same statement, a key can take over from the index a foreign key uses.
   */
  addKeyClause(key: { readonly index: IndexSpec } | { readonly unique: UniqueSpec } | { readonly primary: PrimaryKeySpec }): string {
    return `ADD ${'primary' in key ? this.primaryKeyClause(key.primary) : 'unique' in key ? this.uniqueClause(key.unique) : this.indexClause(key.index)}`
  }

  /** `[UNIQUE|FULLTEXT|SPATIAL] INDEX name (parts) [USING …]`, as CREATE TABLE and ALTER TABLE … ADD write an index. */
  protected indexClause(index: IndexSpec): string {
    this.checkIndex(index)
    return `${this.indexKindSql(index)}INDEX ${this.q(index.name)} (${this.indexColumns(index)})${this.indexMethodSql(index)}`
  }

  /** Indexes go inside CREATE TABLE, so `IF NOT EXISTS` covers them too. */
  protected override tableConstraints(table: TableSpec): string[] {
    return [
      ...super.tableConstraints(table),
      ...table.indexes.map((ix) => this.indexClause(ix)),
    ]
  }

  protected override tableSuffix(table: TableSpec): string {
    return table.comment === undefined ? '' : ` COMMENT ${this.literal(table.comment)}`
  }

  protected override createTable(op: CreateTableOp): string[] {
    return [this.createTableStatement(op.table, op.ifNotExists)]
  }

  protected override renameTable(op: RenameTableOp): string[] {
    return [`RENAME TABLE ${this.qt(op.oldName, op.schema)} TO ${this.qt(op.newName, op.schema)}`]
  }

  protected alterColumn(op: AlterColumnOp): string[] {
    // `ON UPDATE …` is part of the column, not of its default: SET DEFAULT can neither add nor remove it.
    const onUpdate = (value: DefaultValue | null | undefined): boolean => value instanceof SqlFragment && /\bON\s+UPDATE\b/i.test(this.sqlText(value))
    const restates =
      op.type !== undefined ||
      op.nullable !== undefined ||
      op.comment !== undefined ||
      op.generated !== undefined ||
      op.columnCheck !== undefined ||
      op.invisible !== undefined ||
      (op.serverDefault !== undefined && (onUpdate(op.serverDefault) || onUpdate(op.existingServerDefault)))
    if (!restates) {
      const actions: string[] = []
      if (op.serverDefault !== undefined) {
        const column = `ALTER COLUMN ${this.q(op.columnName)}`
        actions.push(op.serverDefault === null ? `${column} DROP DEFAULT` : `${column} SET DEFAULT ${this.defaultSql(op.serverDefault)}`)
      }
      if (op.newColumnName !== undefined) actions.push(`RENAME COLUMN ${this.q(op.columnName)} TO ${this.q(op.newColumnName)}`)
      return [this.alterTable(op.tableName, op.schema, actions)]
    }
    const what = `alterColumn('${op.tableName}', '${op.columnName}')`
    const missing = (hint: string, example: string): never => {
      throw new MissingHintError(`MySQL restates the whole column to change it (MODIFY), so ${what} needs ${hint}`, `pass ${hint}: ${example}`)
    }
    const type = op.type ?? op.existingType ?? missing('existingType', 'the current type, e.g. existingType: varchar(50)')
    const nullable = op.nullable ?? op.existingNullable ?? missing('existingNullable', 'true or false')
    const generated = op.generated !== undefined ? op.generated : op.existingGenerated
    const serverDefault: DefaultValue | null =
      op.serverDefault !== undefined
        ? op.serverDefault
        : op.existingServerDefault !== undefined || generated
          ? (op.existingServerDefault ?? null)
          : missing('existingServerDefault', 'the current default, or null when it has none (MODIFY would drop it)')
    const comment: string | null =
      op.comment !== undefined ? op.comment : op.existingComment !== undefined ? op.existingComment : missing('existingComment', 'the current comment, or null when it has none (MODIFY would drop it)')
    const column: ColumnSpec = compact({
      name: op.newColumnName ?? op.columnName,
      type,
      nullable,
      serverDefault: serverDefault ?? undefined,
      comment: comment ?? undefined,
      autoincrement: op.existingAutoincrement || undefined,
      collation: this.alteredCollation(op, type),
      generated: generated ?? undefined,
      invisible: (op.invisible ?? op.existingInvisible) || undefined,
    })
    const context = { tableName: op.tableName, schema: op.schema }
    // MariaDB drops a check of the column's own definition unless MODIFY restates it (it has no
    // name of its own to drop it by either: MODIFY without it drops it).
    const check = op.columnCheck !== undefined ? op.columnCheck : op.existingColumnCheck
    const definition = this.columnDefinition(column, context, true) + (check == null ? '' : ` CHECK (${this.sqlText(check)})`)
    if (op.generated !== undefined && !this.modifiesGeneration(op.existingGenerated ?? null, op.generated)) {
      // MariaDB changes a VIRTUAL column (to or from) only by making a new one: added beside it
      // (AFTER it, so it takes its place), given its values when it becomes a plain column, then
      // the old one dropped and the new one renamed.
      if (op.newColumnName !== undefined) throw this.unsupported('renaming a column while changing its generation', 'rename it in an alterColumn of its own')
      const temporary = `_migrator_tmp_${op.columnName}`.slice(0, 64)
      return [
        this.alterTable(op.tableName, op.schema, [`ADD COLUMN ${this.columnDefinition({ ...column, name: temporary }, context, true)} AFTER ${this.q(op.columnName)}`]),
        ...(op.generated === null ? [`UPDATE ${this.qt(op.tableName, op.schema)} SET ${this.q(temporary)} = ${this.q(op.columnName)}`] : []),
        this.alterTable(op.tableName, op.schema, [`DROP COLUMN ${this.q(op.columnName)}`, `RENAME COLUMN ${this.q(temporary)} TO ${this.q(op.columnName)}`]),
      ]
    }
    const action = op.newColumnName === undefined ? `MODIFY COLUMN ${definition}` : `CHANGE COLUMN ${this.q(op.columnName)} ${definition}`
    return [this.alterTable(op.tableName, op.schema, [action])]
  }

  /**
   * Whether MODIFY can change a column's generation from `before` to `after` (`null`: a plain
   * column): a new expression of the same kind, or a STORED one made plain (keeping its values) or
   * made from a plain one. MariaDB refuses any change to or from VIRTUAL but a new expression.
   */
  private modifiesGeneration(before: GeneratedSpec | null, after: GeneratedSpec | null): boolean {
    if (before !== null && after !== null) return (before.stored === true) === (after.stored === true)
    return (before ?? after)!.stored === true
  }

  protected dropIndex(op: DropIndexOp): string[] {
    if (op.tableName === undefined) {
      throw new MissingHintError(`MySQL drops an index of a table, so dropIndex('${op.name}') needs the table name`, `op.dropIndex('${op.name}', '<table>')`)
    }
    if (op.ifExists) throw this.unsupported('DROP INDEX IF EXISTS', 'MariaDB has it but MySQL does not: drop ifExists')
    return [`DROP INDEX ${this.q(op.name)} ON ${this.qt(op.tableName, op.schema)}`]
  }

  protected override dropConstraint(op: DropConstraintOp): string[] {
    const type = op.type ?? op.existing?.type
    const name = this.q(op.name)
    switch (type) {
      case 'unique':
        return [this.alterTable(op.tableName, op.schema, [`DROP INDEX ${name}`])]
      case 'foreignkey':
        return [this.alterTable(op.tableName, op.schema, [`DROP FOREIGN KEY ${name}`])]
      case 'primary':
        return [this.alterTable(op.tableName, op.schema, ['DROP PRIMARY KEY'])]
      case 'check':
        return [this.alterTable(op.tableName, op.schema, [`DROP CONSTRAINT ${name}`])]
      case undefined:
        throw new MissingHintError(
          `MySQL drops each kind of constraint with its own statement, so dropConstraint('${op.name}', '${op.tableName}') needs its type`,
          "pass { type: 'unique' | 'foreignkey' | 'check' | 'primary' }",
        )
    }
  }

  protected createTableComment(op: CreateTableCommentOp): string[] {
    return [this.alterTable(op.tableName, op.schema, [`COMMENT = ${this.literal(op.comment)}`])]
  }

  protected dropTableComment(op: DropTableCommentOp): string[] {
    return [this.alterTable(op.tableName, op.schema, [`COMMENT = ''`])]
  }
}
