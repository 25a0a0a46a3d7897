/**
 * Naming conventions for unnamed constraints and indexes, as SQLAlchemy's `naming_convention`:
 * templates with `%(token)s` placeholders, per kind of object.
 */
import { SchemaError } from './errors.js'

/**
 * Templates per kind: `ix` index, `uq` unique, `ck` check, `fk` foreign key, `pk` primary key.
 *
 * Tokens: `%(table_name)s`, `%(column_0_name)s` (any position: `column_1_name`…), `%(column_0_label)s`
 * (`<table>_<column>`), `%(column_0_key)s` (same as the name), `%(column_0_N_name)s` (all columns joined by `_`),
 * `%(column_0N_name)s` (joined with nothing), the same `_N_`/`N` forms of `label` and `key`,
 * `%(referred_table_name)s`, `%(referred_column_0_name)s` (and `_N_` forms), `%(constraint_name)s`
 * (the name given to the constraint: such a template requires one).
 */
export interface NamingConvention {
  readonly ix?: string
  readonly uq?: string
  readonly ck?: string
  readonly fk?: string
  readonly pk?: string
}

export type NamingKind = keyof NamingConvention

/** SQLAlchemy's default: indexes only. A `MetaData` convention is merged over it. */
export const DEFAULT_NAMING_CONVENTION: NamingConvention = Object.freeze({ ix: 'ix_%(column_0_label)s' })

export interface NamingSubject {
  readonly kind: NamingKind
  readonly tableName: string
  /** Column names; `undefined` for an expression (which has no name to put in a template). */
  readonly columns: readonly (string | undefined)[]
  readonly referredTable?: string
  readonly referredColumns?: readonly string[]
  /** The name given in the declaration, if any. */
  readonly name?: string
}

const TOKEN = /%\(([A-Za-z0-9_]+)\)s/g

const KIND_LABEL: Record<NamingKind, string> = {
  ix: 'index',
  uq: 'unique constraint',
  ck: 'check constraint',
  fk: 'foreign key',
  pk: 'primary key',
}

/**
 * The name an object gets: the convention applied when it has a template (with the given name as
 * `%(constraint_name)s`), else the given name, else `undefined` (the database names it).
 */
export function conventionalName(convention: NamingConvention, subject: NamingSubject): string | undefined {
  const template = convention[subject.kind]
  if (template === undefined) return subject.name
  const usesName = template.includes('%(constraint_name)s')
  if (subject.name !== undefined && !usesName) return subject.name
  if (subject.name === undefined && usesName) {
    throw new SchemaError(
      'unnamed_constraint',
      `the naming convention for ${KIND_LABEL[subject.kind]}s ('${template}') uses %(constraint_name)s, but ${article(KIND_LABEL[subject.kind])} on table '${subject.tableName}' has no name`,
      { hint: 'give it a name, e.g. check(\'positive_price\', sql`price > 0`)' },
    )
  }
  return fitName(template.replace(TOKEN, (_, token: string) => tokenValue(token, template, subject)))
}

/** Seven base-36 characters of a 32-bit hash of `text`: a name's tag, the same on every run. */
export function shortHash(text: string): string {
  let hash = 0
  for (const ch of text) hash = (Math.imul(hash, 31) + ch.codePointAt(0)!) >>> 0
  return hash.toString(36).padStart(7, '0').slice(0, 7)
}

/** The longest name every supported database keeps as it is: PostgreSQL's 63 bytes (MySQL: 64 characters). */
export const MAX_NAME_BYTES = 63

/**
 * `name`, or when longer than `MAX_NAME_BYTES`, its start and a hash of all of it (`…_1x2y3z4`): a
 * generated name (a naming convention's, or one PostgreSQL's way) stays unique, the same on every
 * database, and one PostgreSQL keeps as it is (it would cut it silently, and MySQL refuse it), as
 * SQLAlchemy shortens convention names.
 */
export function fitName(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name
  const tag = `_${shortHash(name)}`
  let stem = name
  while (Buffer.byteLength(stem) + tag.length > MAX_NAME_BYTES) stem = [...stem].slice(0, -1).join('')
  return stem + tag
}

function tokenValue(token: string, template: string, subject: NamingSubject): string {
  if (token === 'table_name') return subject.tableName
  if (token === 'constraint_name') return subject.name!
  if (token === 'referred_table_name') {
    if (subject.referredTable === undefined) throw badToken(token, template, subject, 'it applies to foreign keys only')
    return subject.referredTable
  }
  const referred = /^referred_column_(?:(\d+)_name|0_N_name|0N_name)$/.exec(token)
  if (referred) {
    const columns = subject.referredColumns
    if (columns === undefined) throw badToken(token, template, subject, 'it applies to foreign keys only')
    if (referred[1] !== undefined) return columnAt(columns, Number(referred[1]), token, template, subject)
    return columns.join(token.includes('0_N') ? '_' : '')
  }
  const column = /^column_(?:(\d+)|(0_N)|(0N))_(name|label|key)$/.exec(token)
  if (column) {
    const [, position, allWithSeparator, , part] = column
    const label = (name: string): string => (part === 'label' ? `${subject.tableName}_${name}` : name)
    if (position !== undefined) return label(columnAt(namedColumns(subject, token, template), Number(position), token, template, subject))
    return namedColumns(subject, token, template)
      .map(label)
      .join(allWithSeparator !== undefined ? '_' : '')
  }
  throw badToken(token, template, subject, 'unknown token')
}

function namedColumns(subject: NamingSubject, token: string, template: string): string[] {
  return subject.columns.map((name) => {
    if (name === undefined) throw badToken(token, template, subject, 'an expression has no column name: give the index a name')
    return name
  })
}

function columnAt(columns: readonly string[], position: number, token: string, template: string, subject: NamingSubject): string {
  const name = columns[position]
  if (name === undefined) throw badToken(token, template, subject, `it has only ${columns.length} column(s)`)
  return name
}

function badToken(token: string, template: string, subject: NamingSubject, why: string): SchemaError {
  return new SchemaError(
    'naming_convention',
    `cannot name ${article(KIND_LABEL[subject.kind])} of table '${subject.tableName}' with '${template}': %(${token})s: ${why}`,
    { hint: 'fix the naming convention of the MetaData, or give the object an explicit name' },
  )
}

function article(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`
}
