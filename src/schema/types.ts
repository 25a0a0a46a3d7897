/**
 * Column types as plain data. Each dialect's DDL compiler maps them to its own spelling
 * (see `src/dialects/*-ddl-compiler.ts`); the column builders in `column.ts` create them.
 */

export interface IntegerType {
  readonly kind: 'integer' | 'smallint' | 'bigint'
  /** MySQL `UNSIGNED`. Other dialects have no unsigned integers and ignore it. */
  readonly unsigned?: boolean
}

export interface SimpleType {
  readonly kind: 'boolean' | 'real' | 'double' | 'text' | 'date' | 'interval' | 'json' | 'jsonb' | 'uuid'
}

export interface NumericType {
  readonly kind: 'numeric'
  readonly precision?: number
  readonly scale?: number
}

export interface StringType {
  readonly kind: 'varchar' | 'char'
  readonly length?: number
}

export interface TimeType {
  readonly kind: 'time' | 'timestamp'
  /** `WITH TIME ZONE` on PostgreSQL; MySQL and SQLite have no time zone in the type. */
  readonly timezone?: boolean
  /** Fractional seconds digits (0–6). */
  readonly precision?: number
}

export interface BinaryType {
  readonly kind: 'binary'
  /** MySQL `VARBINARY(length)`; without it `BLOB`. PostgreSQL `BYTEA` and SQLite `BLOB` ignore it. */
  readonly length?: number
}

export interface EnumType {
  readonly kind: 'enum'
  /** The PostgreSQL type name (`CREATE TYPE name AS ENUM`); MySQL and SQLite inline the values. */
  readonly name: string
  readonly values: readonly string[]
  /** PostgreSQL schema of the type; default: the schema of the table using it. */
  readonly schema?: string
}

/** MySQL `SET('a', 'b')`. */
export interface SetType {
  readonly kind: 'set'
  readonly values: readonly string[]
}

/** PostgreSQL arrays: `INTEGER[]`. */
export interface ArrayType {
  readonly kind: 'array'
  readonly itemType: ColumnType
  /** Number of dimensions; default 1. */
  readonly dimensions?: number
}

/** A type written as SQL text, the same on every dialect: `sqlType('tsvector')`. */
export interface CustomType {
  readonly kind: 'custom'
  readonly sql: string
}

export type ColumnType =
  | IntegerType
  | SimpleType
  | NumericType
  | StringType
  | TimeType
  | BinaryType
  | EnumType
  | SetType
  | ArrayType
  | CustomType

export type ColumnTypeKind = ColumnType['kind']

export function isIntegerType(type: ColumnType): type is IntegerType {
  return type.kind === 'integer' || type.kind === 'smallint' || type.kind === 'bigint'
}
