import type { ColumnSpec } from './spec.js'

/** `object` without its `undefined` properties, so equal specs are deep-equal. */
export function compact<T extends object>(object: T): T {
  // for…in with Object.hasOwn (Object.keys' keys, in its order) allocates no key list, iterator or
  // [key, value] pairs: specs are built by the thousand, mostly before the code is optimised.
  const out: Record<string, unknown> = {}
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue
    const value = (object as Record<string, unknown>)[key]
    if (value !== undefined) out[key] = value
  }
  return out as T
}

/** A short description of a value for error messages. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`
  return `${typeof value} ${String(value)}`
}

/**
 * A `ColumnSpec` without its undefined properties, in the order `compact` would give: what
 * `compact({ name, type, nullable, serverDefault, autoincrement, identity, comment, collation })`
 * gives (`autoincrement` only when true), without walking the object (the models and the
 * introspection of a large schema make one per column).
 */
export function columnSpecOf(fields: {
  name: string
  type: ColumnSpec['type']
  nullable: boolean
  serverDefault?: ColumnSpec['serverDefault'] | undefined
  autoincrement?: boolean | undefined
  identity?: ColumnSpec['identity'] | undefined
  comment?: string | undefined
  collation?: string | undefined
  generated?: ColumnSpec['generated'] | undefined
  invisible?: boolean | undefined
}): ColumnSpec {
  const spec: { -readonly [K in keyof ColumnSpec]: ColumnSpec[K] } = { name: fields.name, type: fields.type, nullable: fields.nullable }
  if (fields.serverDefault !== undefined) spec.serverDefault = fields.serverDefault
  if (fields.autoincrement) spec.autoincrement = true
  if (fields.identity !== undefined) spec.identity = fields.identity
  if (fields.comment !== undefined) spec.comment = fields.comment
  if (fields.collation !== undefined) spec.collation = fields.collation
  if (fields.generated !== undefined) spec.generated = fields.generated
  if (fields.invisible) spec.invisible = true
  return spec
}
