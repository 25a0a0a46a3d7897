/**
 * Sets `record[key]` as an own, enumerable property whatever the key: a key from user input such
 * as `__proto__` (`-x __proto__=1`, `?__proto__=1` in a URL, a .env line) would otherwise set the
 * record's prototype and be lost.
 */
export function setEntry(record: Record<string, string>, key: string, value: string): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
}
