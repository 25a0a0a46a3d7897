/**
 * SQL literals for offline scripts. The value dispatch is shared; each dialect supplies the spelling
 * of the kinds that differ.
 */
import { CommandError } from '../errors.js'

export interface LiteralSpelling {
  /** The quoted, escaped string. */
  string(value: string): string
  boolean(value: boolean): string
  /** A timestamp literal for the instant `value` (already checked to be a valid date). */
  date(value: Date): string
  /** Binary data from `hex` (lower-case hex digits, possibly empty). */
  bytes(hex: string): string
  /** NaN and ±Infinity, when the dialect has a spelling for them. */
  nonFinite?(value: number): string
}

/**
 * null/undefined → NULL; finite numbers and bigints as written; booleans, strings, Dates and
 * Buffers/Uint8Arrays per `spelling`. Anything else (objects, arrays, functions) is an error:
 * there is no one right literal for it.
 */
export function renderLiteral(value: unknown, spelling: LiteralSpelling, dialectLabel: string): string {
  if (value === null || value === undefined) return 'NULL'
  switch (typeof value) {
    case 'string':
      return spelling.string(value)
    case 'bigint':
      return value.toString()
    case 'boolean':
      return spelling.boolean(value)
    case 'number':
      if (Number.isFinite(value)) return Object.is(value, -0) ? '0' : String(value)
      if (spelling.nonFinite) return spelling.nonFinite(value)
      throw unsupported(`the number ${value}`, dialectLabel)
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw unsupported('an invalid Date', dialectLabel)
    return spelling.date(value)
  }
  if (value instanceof Uint8Array) return spelling.bytes(Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex'))
  throw unsupported(Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`, dialectLabel)
}

export function unsupported(what: string, dialectLabel: string): CommandError {
  return new CommandError('unsupported_literal', `${dialectLabel} has no SQL literal for ${what}`, {
    hint: 'pass a string, number, bigint, boolean, null, Date or Buffer (JSON.stringify objects yourself)',
  })
}

/** `2024-01-02 03:04:05.678` in UTC: the form MySQL and SQLite store and compare as text. */
export function utcTimestamp(value: Date): string {
  return value.toISOString().replace('T', ' ').replace('Z', '')
}

/** Single-quoted with `'` doubled: the SQL standard spelling, shared by all three dialects. */
export function standardString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}
