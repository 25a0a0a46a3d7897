/**
 * `import()` of an ES module outside migrator's bundle (chalk, the package entry). The `migrator`
 * executable compiles the bundle itself, to give V8 its code cache (src/cli/boot.ts), and on Node 20
 * code compiled that way cannot call `import()` (it needs a flag): boot.ts hands over an `import` of
 * its own under this symbol. Everywhere else (the bundle loaded by Node as a library, the sources
 * under test) the plain `import()` runs.
 */
export const IMPORT_HOOK = Symbol.for('migrator.importEsm')

export function importEsm<T = Record<string, unknown>>(specifier: string): Promise<T> {
  const hook = (globalThis as Record<symbol, unknown>)[IMPORT_HOOK] as ((specifier: string) => Promise<T>) | undefined
  return hook === undefined ? (import(specifier) as Promise<T>) : hook(specifier)
}
