export { SchemaError } from './errors.js'
export { sql, SqlFragment, SqlIdentifier, renderSqlFragment, toSqlFragment, isSqlFragment } from './sql.js'
export type { SqlInterpolation, SqlLiteralValue, SqlPart, SqlRenderer, SqlTag } from './sql.js'
export type * from './types.js'
export { isIntegerType } from './types.js'
export type * from './spec.js'
export {
  Column,
  IntegerColumn,
  EnumColumn,
  resolveColumnTarget,
  columnOfType,
  integer,
  smallint,
  bigint,
  boolean,
  real,
  double,
  numeric,
  varchar,
  char,
  text,
  date,
  time,
  timestamp,
  interval,
  json,
  jsonb,
  uuid,
  binary,
  blob,
  enumType,
  setType,
  array,
  sqlType,
  untyped,
} from './column.js'
export type { ColumnState, ColumnTarget, Thunk, ReferenceOptions, ReferentialActionInput, ResolvedColumnTarget, TimeOptions } from './column.js'
export { IndexDef, UniqueDef, CheckDef, ForeignKeyDef, index, unique, check, foreignKey } from './constraints.js'
export type { ForeignKeyTarget, PrimaryKeyDef } from './constraints.js'
export { conventionalName, DEFAULT_NAMING_CONVENTION } from './naming.js'
export type { NamingConvention, NamingKind, NamingSubject } from './naming.js'
export { Table, normalizeAction } from './table.js'
export type { ColumnMap, ColumnName, TableContext, TableOptions } from './table.js'
export { MetaData } from './metadata.js'
export type { MetaDataOptions } from './metadata.js'
