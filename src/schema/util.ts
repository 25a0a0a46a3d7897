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
