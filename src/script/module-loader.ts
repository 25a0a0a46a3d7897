/**
 * Loads the user's TypeScript and JavaScript (env.ts, models, revision files) with jiti.
 *
 * jiti is imported on first use only, so `--help` and the graph commands never load it.
 * `from 'migrator'` in user code resolves to the running CLI's own package entry, even
 * when the project has no local install: the entry's module object is handed to jiti as a
 * virtual module (same instances as the CLI's: classes, `instanceof`, module state), with an
 * `alias` to the entry file as a fallback. jiti's transform cache lives under the OS temp
 * folder, never in the user's project.
 */
import os from 'node:os'
import path from 'node:path'
import { existsSync, statSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Jiti } from 'jiti'
import { CommandError, MigratorError } from '../errors.js'

const here = fileURLToPath(import.meta.url)

/**
 * The package entry `from 'migrator'` means: `dist/index.js` next to `dist/script/module-loader.js`,
 * or `src/index.ts` next to `src/script/module-loader.ts` (vitest).
 */
export function packageEntry(): string {
  return path.resolve(path.dirname(here), '..', `index${path.extname(here) === '.ts' ? '.ts' : '.js'}`)
}

/** Where jiti caches transformed sources. */
export function transformCacheDirectory(): string {
  return path.join(os.tmpdir(), 'migrator-jiti-cache')
}

let loader: Promise<Jiti> | undefined

async function createLoader(): Promise<Jiti> {
  const { createJiti } = await import('jiti')
  const entry = packageEntry()
  const alias: Record<string, string> = { migrator: entry }
  const virtualModules: Record<string, unknown> = {}
  if (existsSync(entry)) {
    virtualModules['migrator'] = await import(pathToFileURL(entry).href)
  }
  return createJiti(import.meta.url, {
    fsCache: transformCacheDirectory(),
    alias,
    virtualModules,
    interopDefault: true,
  })
}

/**
 * Imports a user module (TypeScript or JavaScript) and returns its exports.
 * @throws CommandError naming the file (and the line and column) for a missing file, a syntax
 *   error, or an exception thrown while the module runs; a MigratorError thrown by the module
 *   passes through unchanged.
 */
export async function loadModule(file: string): Promise<Record<string, unknown>> {
  const absolute = path.resolve(file)
  let isFile = false
  try {
    isFile = statSync(absolute).isFile()
  } catch {
    isFile = false
  }
  if (!isFile) {
    throw new CommandError('module_not_found', `Cannot load ${absolute}: no such file`, {
      hint: 'check the path (script_location, target_metadata or the revision file)',
    })
  }
  loader ??= createLoader()
  const jiti = await loader
  try {
    return (await jiti.import(absolute)) as Record<string, unknown>
  } catch (err) {
    throw loadError(absolute, err)
  }
}

/** A MigratorError, also from another copy of the package (a project's own install of migrator). */
function isMigratorError(err: unknown): err is Error {
  if (err instanceof MigratorError) return true
  const candidate = err as { code?: unknown; exitCode?: unknown } | null
  return err instanceof Error && typeof candidate?.code === 'string' && (candidate.exitCode === 1 || candidate.exitCode === 2) && 'hint' in err
}

function loadError(file: string, err: unknown): Error {
  if (isMigratorError(err)) return err
  const error = err instanceof Error ? err : new Error(String(err))
  const message = error.message

  // jiti reports a parse error as "ParseError: <reason> \n <file>:<line>:<column>" (column 0-based).
  const parse = /^(?:ParseError|SyntaxError): ([\s\S]*?)\s*\n\s*(.+):(\d+):(\d+)\s*$/.exec(message)
  if (parse) {
    const [, reason, where, line, column] = parse
    return new CommandError('syntax', `Syntax error in ${where} at line ${line}, column ${Number(column) + 1}: ${reason!.trim() || 'unexpected token'}`, {
      hint: 'fix the file; it was not run',
      cause: err,
    })
  }
  if (error.name === 'SyntaxError') {
    const at = firstLocation(error, file)
    return new CommandError('syntax', `Syntax error in ${at ?? file}: ${message}`, { hint: 'fix the file; it was not run', cause: err })
  }
  if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' || (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
    const first = message.split('\n')[0]
    return new CommandError('import_failed', `${file} could not be loaded: ${first}`, {
      hint: 'check the import paths in that file (and that its dependencies are installed)',
      cause: err,
    })
  }
  const at = firstLocation(error, file)
  return new CommandError('module_failed', `${file} failed while loading: ${message}${at ? ` (at ${at})` : ''}`, {
    hint: 'fix the error in that file (MIGRATOR_DEBUG=1 shows the stack)',
    cause: err,
  })
}

/** The first stack frame in user code (the loaded file first, else any file outside node_modules and migrator). */
function firstLocation(error: Error, file: string): string | undefined {
  const frames = [...(error.stack ?? '').matchAll(/(?:\(|at )((?:file:\/\/)?\/[^():\s]+|[A-Za-z]:\\[^():]+):(\d+):(\d+)\)?/g)].map((m) => ({
    file: m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!,
    line: m[2]!,
    column: m[3]!,
  }))
  const ownRoot = path.resolve(path.dirname(here), '..', '..')
  const frame =
    frames.find((f) => f.file === file) ??
    frames.find((f) => !f.file.includes(`${path.sep}node_modules${path.sep}`) && !f.file.startsWith(ownRoot + path.sep) && !f.file.startsWith('node:'))
  return frame ? `${frame.file}:${frame.line}:${frame.column}` : undefined
}
