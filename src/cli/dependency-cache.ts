/**
 * V8's code cache for the CommonJS modules of installed packages the CLI loads (the database
 * drivers above all: mysql2 is ~100 files, 650 kB, which Node compiles on every command; ~20 ms of
 * a MariaDB `check` on the reference machine, pg about half that). Node 20 has no compile cache of
 * its own (22's `module.enableCompileCache()`); this is the same idea, kept in migrator's private
 * code cache folder (code-cache.ts) as one entry, read once per command.
 *
 * While installed, `Module.prototype._compile` compiles a file under a `node_modules` folder with
 * the V8 data the entry holds for it, when the entry's SHA-256 of the file's text matches, and runs
 * it exactly as Node's own `_compile` would (the same wrapper, `this` and arguments: `exports`,
 * a `require` of the module, `module`, `__filename`, `__dirname`). A file whose text holds
 * `import(` is left to Node (its dynamic import needs Node's loader), as is everything outside
 * `node_modules` and every ES module. `save()`, after the command, writes the entry again when a
 * file had no data (or V8 refused it), with the data of every file this run compiled (covering
 * what the run ran) and the entry's other files kept: a project using two drivers keeps both.
 */
import { createHash } from 'node:crypto'
import { createRequire, Module } from 'node:module'
import path from 'node:path'
import vm from 'node:vm'
import type { CodeCache } from '../script/code-cache.js'

/** The entry's name in the code cache (an absolute path of no file: the cache only hashes it). */
export const DEPENDENCIES_ENTRY = '/<migrator dependencies>'
/** Its `source` key: the format of the index (a new one misses the old entries). */
const FORMAT = 'dependencies v1'

interface Indexed {
  /** SHA-256 (hex) of the module's text. */
  readonly hash: string
  readonly offset: number
  readonly length: number
}

interface Compiled {
  readonly hash: string
  readonly script: vm.Script
}

interface CompilingModule {
  exports: unknown
  require(id: string): unknown
}

export interface DependencyCache {
  /** Writes the entry again if this run compiled a dependency without V8 data. */
  save(): void
  /** The dependencies compiled so far: with the entry's V8 data, and without. */
  counts(): { readonly cached: number; readonly uncached: number }
  /** Puts Node's own `_compile` back. */
  uninstall(): void
}

/** Installs the cache on Node's CommonJS loader (see the top of this file). */
export function installDependencyCache(cache: CodeCache): DependencyCache {
  const proto = Module.prototype as unknown as { _compile(content: string, filename: string): unknown }
  const original = proto._compile
  const marker = `${path.sep}node_modules${path.sep}`
  let index: Map<string, Indexed> | undefined
  let data: Buffer = Buffer.alloc(0)
  const compiled = new Map<string, Compiled>()
  let missed = false
  let uncached = 0

  const load = (): Map<string, Indexed> => {
    if (index !== undefined) return index
    index = new Map()
    const entry = cache.read(DEPENDENCIES_ENTRY, FORMAT)
    if (entry !== undefined) {
      try {
        for (const [file, indexed] of JSON.parse(entry.code) as [string, Indexed][]) index.set(file, indexed)
        data = entry.data
      } catch {
        index.clear()
      }
    }
    return index
  }

  proto._compile = function (this: CompilingModule, content: string, filename: string): unknown {
    if (!filename.includes(marker) || content.includes('import(')) return original.call(this, content, filename)
    const hash = createHash('sha256').update(content).digest('hex')
    const known = load().get(filename)
    const cachedData = known !== undefined && known.hash === hash && known.offset + known.length <= data.length ? data.subarray(known.offset, known.offset + known.length) : undefined
    const script = new vm.Script(Module.wrap(content), { filename, ...(cachedData === undefined ? {} : { cachedData }) })
    if (cachedData === undefined || script.cachedDataRejected === true) {
      missed = true
      uncached++
    }
    compiled.set(filename, { hash, script })
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown
    // `require` as Node makes it for the module: its own require (parent and children kept), with
    // resolve, resolve.paths, main, extensions and cache as createRequire gives them, made when
    // first asked for (createRequire for each of mysql2's ~270 modules took ~7 ms).
    let own: NodeJS.Require | undefined
    const made = (): NodeJS.Require => (own ??= createRequire(filename))
    const moduleRequire = (id: string): unknown => this.require(id)
    for (const name of ['resolve', 'main', 'extensions', 'cache'] as const) {
      Object.defineProperty(moduleRequire, name, { get: () => made()[name], enumerable: true, configurable: true })
    }
    return wrapper.call(this.exports, this.exports, moduleRequire, this, filename, path.dirname(filename))
  }

  return {
    save() {
      if (!missed) return
      const parts: Buffer[] = []
      const entries: [string, Indexed][] = []
      let offset = 0
      const add = (file: string, hash: string, bytes: Buffer): void => {
        entries.push([file, { hash, offset, length: bytes.length }])
        parts.push(bytes)
        offset += bytes.length
      }
      for (const [file, { hash, script }] of compiled) add(file, hash, script.createCachedData())
      for (const [file, indexed] of load()) {
        if (!compiled.has(file) && indexed.offset + indexed.length <= data.length) add(file, indexed.hash, data.subarray(indexed.offset, indexed.offset + indexed.length))
      }
      cache.write(DEPENDENCIES_ENTRY, FORMAT, JSON.stringify(entries), Buffer.concat(parts))
      missed = false
    },
    counts() {
      return { cached: compiled.size - uncached, uncached }
    },
    uninstall() {
      proto._compile = original
    },
  }
}
