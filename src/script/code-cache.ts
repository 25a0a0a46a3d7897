/**
 * A disk cache for large user modules (a models file of thousands of lines): the fast transform's
 * output and V8's code cache for it, so that loading an unchanged file skips the type strip and
 * most of the compile (for a 6,500-line models file, ~45 ms of a ~60 ms load).
 *
 * One entry per source file (its path hashed), overwritten when the file changes: the cache never
 * grows with edits; past MAX_ENTRIES files (projects come and go) the oldest entries are removed.
 * An entry is used only when its key, the SHA-256 of the source with the loader's build (size and
 * time of its files) and the Node version, matches; anything else (missing, stale, truncated,
 * unreadable) is a miss, and V8 itself rejects code cache data made by another V8 or with other
 * flags (the module then compiles as usual). Writing is best effort: a failure is ignored.
 *
 * The folder is under the OS temp folder (never in the user's project), created private (0700)
 * and used only when it is owned by this user and writable by nobody else, since what it holds is
 * run as code.
 */
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import vm from 'node:vm'
import { fileURLToPath } from 'node:url'
import { makeDirectories } from './directories.js'

/** Entry layout: MAGIC, the 32-byte key digest, the code's byte length (u32 LE), the code, V8's data. */
const MAGIC = Buffer.from('MGC1')
const HEADER = MAGIC.length + 32 + 4

/** Entries kept; writing one more removes the least recently written. */
export const MAX_ENTRIES = 32

export interface CachedCode {
  readonly code: string
  /** V8's code cache data (possibly empty). */
  readonly data: Buffer
}

export interface CodeCache {
  /** The entry for this file and source, if it is current. */
  read(file: string, source: string): CachedCode | undefined
  /** Stores (replaces) the entry for this file and source. */
  write(file: string, source: string, code: string, data: Buffer): void
}

/** Where the cache lives (`MIGRATOR_CODE_CACHE_DIR` moves it; `MIGRATOR_CODE_CACHE=0` turns it off). */
export function codeCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return env['MIGRATOR_CODE_CACHE_DIR'] || path.join(os.tmpdir(), 'migrator-code-cache')
}

/**
 * What makes an entry stale besides the source: this loader (its build: the file holding this code,
 * the bundle dist/lib/migrator.js once built, and module-loader.ts beside it under src/) and the
 * Node version.
 */
let salt: string | undefined
function loaderSalt(): string {
  if (salt === undefined) {
    const here = fileURLToPath(import.meta.url)
    const loader = path.join(path.dirname(here), `module-loader${path.extname(here)}`)
    let stamp = ''
    for (const file of path.extname(here) === '.ts' ? [here, loader] : [here]) {
      try {
        const stat = statSync(file)
        stamp += `${stat.size}:${stat.mtimeMs};`
      } catch {
        stamp += '?;'
      }
    }
    salt = `${process.version}|${process.arch}|${stamp}`
  }
  return salt
}

/** A private folder of this user's, or undefined when it cannot be made or trusted. */
function privateDirectory(dir: string): string | undefined {
  try {
    makeDirectories(dir, 0o700)
    const stat = statSync(dir)
    if (!stat.isDirectory()) return undefined
    if (typeof process.getuid === 'function' && (stat.uid !== process.getuid() || (stat.mode & 0o022) !== 0)) return undefined
    return dir
  } catch {
    return undefined
  }
}

const sha256 = (...parts: string[]): Buffer => {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return hash.digest()
}

/** The name of the entry for `file` in the cache's folder (its resolved path hashed). */
export function codeCacheEntryName(file: string): string {
  return `${sha256(path.resolve(file)).toString('hex').slice(0, 32)}.bin`
}

/**
 * The cache, or undefined when it is turned off or its folder cannot be trusted.
 * @param env `MIGRATOR_CODE_CACHE=0` turns it off; `MIGRATOR_CODE_CACHE_DIR` moves it
 */
export function openCodeCache(env: NodeJS.ProcessEnv = process.env): CodeCache | undefined {
  if (env['MIGRATOR_CODE_CACHE'] === '0') return undefined
  const dir = privateDirectory(codeCacheDirectory(env))
  if (dir === undefined) return undefined
  const entryOf = (file: string): string => path.join(dir, codeCacheEntryName(file))
  const keyOf = (source: string): Buffer => sha256(loaderSalt(), '\0', source)
  return {
    read(file, source) {
      let entry: Buffer
      try {
        entry = readFileSync(entryOf(file))
      } catch {
        return undefined
      }
      if (entry.length < HEADER || !entry.subarray(0, MAGIC.length).equals(MAGIC)) return undefined
      if (!entry.subarray(MAGIC.length, MAGIC.length + 32).equals(keyOf(source))) return undefined
      const codeLength = entry.readUInt32LE(MAGIC.length + 32)
      if (HEADER + codeLength > entry.length) return undefined
      return { code: entry.toString('utf8', HEADER, HEADER + codeLength), data: entry.subarray(HEADER + codeLength) }
    },
    write(file, source, code, data) {
      const target = entryOf(file)
      const temporary = `${target}.${process.pid}.tmp`
      try {
        const codeBytes = Buffer.from(code, 'utf8')
        const length = Buffer.alloc(4)
        length.writeUInt32LE(codeBytes.length)
        writeFileSync(temporary, Buffer.concat([MAGIC, keyOf(source), length, codeBytes, data]), { mode: 0o600 })
        renameSync(temporary, target)
        prune(dir)
      } catch {
        try {
          unlinkSync(temporary)
        } catch {
          // nothing was written
        }
      }
    },
  }
}

/** A script compiled with a code cache entry's V8 data (see `compileCached`). */
export interface CachedScript {
  readonly script: vm.Script
  /** V8 compiled the script with the entry's data (there was some, and V8 did not refuse it). */
  readonly usedCache: boolean
  /**
   * Stores `code` with V8's data for the script when the entry had no data or V8 refused it, or
   * always with `always`. Call it after running the script: the data then covers the functions the
   * run compiled too, besides those the entry's data held.
   */
  save(code: string, always?: boolean): void
}

/**
 * `text` compiled for `file` with the V8 data of `cached`, the entry `cache` holds for `source`
 * (none when either is undefined).
 * @throws as `vm.Script` for text that does not compile
 */
export function compileCached(text: string, file: string, source: string, cache: CodeCache | undefined, cached: CachedCode | undefined): CachedScript {
  const script = new vm.Script(text, {
    filename: file,
    ...(cached !== undefined && cached.data.length > 0 ? { cachedData: cached.data } : {}),
  })
  const usedCache = cached !== undefined && cached.data.length > 0 && script.cachedDataRejected !== true
  return {
    script,
    usedCache,
    save(code, always = false) {
      if (cache !== undefined && (always || !usedCache)) cache.write(file, source, code, script.createCachedData())
    },
  }
}

/** Removes the least recently written entries beyond MAX_ENTRIES (best effort). */
function prune(dir: string): void {
  const entries = readdirSync(dir).filter((name) => name.endsWith('.bin'))
  if (entries.length <= MAX_ENTRIES) return
  const dated = entries.flatMap((name) => {
    try {
      return [{ file: path.join(dir, name), time: statSync(path.join(dir, name)).mtimeMs }]
    } catch {
      return []
    }
  })
  dated.sort((a, b) => a.time - b.time)
  for (const { file } of dated.slice(0, dated.length - MAX_ENTRIES)) {
    try {
      unlinkSync(file)
    } catch {
      // removed meanwhile
    }
  }
}
