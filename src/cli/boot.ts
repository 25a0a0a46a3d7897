/**
 * What bin/migrator.js runs first (built on its own as dist/cli/boot.cjs): V8 tuned for short runs
 * (v8-flags.ts), then migrator's bundle (dist/lib/migrator.cjs, see scripts/bundle.mjs) compiled
 * with V8's code cache of it, which code-cache.ts keeps in its private folder beside the models'
 * entries. With the cache V8 neither parses the bundle again nor compiles the functions each kind
 * of command run before compiled (~15 ms of every command). The bundle is registered as Node's
 * CommonJS loader would register it, so the package entry (dist/index.js, which requires it) gives
 * the same instance to user code. The packages it requires get V8's code cache as well
 * (dependency-cache.ts). `MIGRATOR_CODE_CACHE=0` turns the caches off; with
 * `MIGRATOR_DEBUG` set Node itself loads the bundle, with its source map, so that stack traces name
 * src/ files.
 */
import { readFileSync } from 'node:fs'
import { createRequire, Module } from 'node:module'
import path from 'node:path'
import { compileCached, openCodeCache } from '../script/code-cache.js'
import { installDependencyCache } from './dependency-cache.js'
import { IMPORT_HOOK } from '../script/import-esm.js'

export { tuneV8 } from './v8-flags.js'

/** The CLI's entry, as the bundle exports it. */
export interface Cli {
  main(argv: readonly string[]): Promise<number>
  /** What the last `main` ran to completion (`check mysql`), if anything (src/cli/main.ts). */
  completedRun?(): string | undefined
}

export interface LoadedCli {
  readonly cli: Cli
  /**
   * Stores V8's code cache of the bundle when it had none (or V8 refused it), or when the command
   * that just completed is a kind of run the cache has not covered yet; call once the command is
   * done, so that the cache covers the functions it compiled.
   */
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
  const cached = cache?.read(file, source)
  const { script, usedCache, save } = compileCached(Module.wrap(source), file, source, cache, cached)
  // The packages the bundle requires (drivers, commander, jiti…) with V8's code cache too.
  const dependencies = cache === undefined ? undefined : installDependencyCache(cache)
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
  const cli = module.exports as Cli
  return {
    cli,
    saveCodeCache: () => {
      // The entry's text lists the kinds of run its V8 data covers, one per line. V8's data made
      // after a run holds what the entry's data held and what the run compiled: the first command
      // run (often `--help` or `init`) would otherwise leave `upgrade` or `check` compiling most of
      // their functions on every run (~12 ms of a check on 500 tables).
      const covered = usedCache && cached !== undefined ? cached.code.split('\n').filter(Boolean) : []
      const run = cli.completedRun?.()
      if (run === undefined || covered.includes(run)) save(covered.join('\n'))
      else save([...covered, run].join('\n'), true)
      dependencies?.save()
    },
  }
}
