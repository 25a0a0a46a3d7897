/**
 * What bin/migrator.js runs first (built on its own as dist/cli/boot.js): V8 tuned for short runs
 * (v8-flags.ts), then migrator's bundle (dist/lib/migrator.cjs, see scripts/bundle.mjs) compiled
 * with V8's code cache of it, which code-cache.ts keeps in its private folder beside the models'
 * entries. With the cache V8 neither parses the bundle again nor compiles the functions a command
 * ran last time (~15 ms of every command). The bundle is registered as Node's CommonJS loader would
 * register it, so the package entry (dist/index.js, which requires it) gives the same instance to
 * user code. `MIGRATOR_CODE_CACHE=0` turns the cache off; with `MIGRATOR_DEBUG` set Node itself
 * loads the bundle, with its source map, so that stack traces name src/ files.
 */
import { readFileSync } from 'node:fs'
import { createRequire, Module } from 'node:module'
import path from 'node:path'
import { compileCached, openCodeCache } from '../script/code-cache.js'
import { IMPORT_HOOK } from '../script/import-esm.js'

export { tuneV8 } from './v8-flags.js'

/** The CLI's entry, as the bundle exports it. */
export interface Cli {
  main(argv: readonly string[]): Promise<number>
}

export interface LoadedCli {
  readonly cli: Cli
  /** Stores V8's code cache of the bundle when it had none (or V8 refused it); call once the command is done, so that it covers the functions the command compiled. */
  saveCodeCache(): void
}

/**
 * Loads the bundle at `file`.
 * @throws as `readFileSync` when it does not exist (not built)
 */
export function loadCli(file: string, env: NodeJS.ProcessEnv = process.env): LoadedCli {
  // The bundle's import() of ES modules (chalk, the package entry) goes through this module's.
  ;(globalThis as Record<symbol, unknown>)[IMPORT_HOOK] = (specifier: string): Promise<unknown> => import(specifier)
  const debug = env['MIGRATOR_DEBUG'] !== undefined && env['MIGRATOR_DEBUG'] !== '' && env['MIGRATOR_DEBUG'] !== '0'
  if (debug) {
    process.setSourceMapsEnabled(true)
    return { cli: createRequire(file)(file) as Cli, saveCodeCache: () => undefined }
  }
  const source = readFileSync(file, 'utf8')
  const cache = openCodeCache(env)
  const { script, save } = compileCached(Module.wrap(source), file, source, cache, cache?.read(file, source))
  const module = new Module(file)
  module.filename = file
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(path.dirname(file))
  const moduleCache = (Module as unknown as { _cache: Record<string, Module> })._cache
  moduleCache[file] = module
  try {
    const run = script.runInThisContext() as (...args: unknown[]) => void
    run.call(module.exports, module.exports, createRequire(file), module, file, path.dirname(file))
  } catch (error) {
    delete moduleCache[file]
    throw error
  }
  module.loaded = true
  return {
    cli: module.exports as Cli,
    saveCodeCache: () => save(''),
  }
}
