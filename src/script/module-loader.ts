/**
 * Loads the user's TypeScript and JavaScript (env.ts, models, revision files).
 *
 * A revision or env file in the plain shape (see {@link fastTransform}) is type-stripped and run
 * here directly: no jiti, no Babel, no disk cache, a fraction of a millisecond a file. Anything else goes through
 * jiti with its Babel transform (about 7 ms a file, cached on disk under the OS temp folder, never
 * in the user's project). Both are loaded on first use only, so `--help` and the graph commands
 * never load them.
 *
 * `from 'migrator'` in user code resolves to the running CLI's own package entry, even when the
 * project has no local install: the entry's module object is handed over as a virtual module (same
 * instances as the CLI's: classes, `instanceof`, module state), with a jiti `alias` to the entry
 * file as a fallback.
 */
import os from 'node:os'
import path from 'node:path'
import vm from 'node:vm'
import { createRequire, Module } from 'node:module'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { Jiti, TransformOptions, TransformResult } from 'jiti'
import { CommandError, MigratorError } from '../errors.js'
import { compileCached, openCodeCache, type CachedScript, type CodeCache } from './code-cache.js'
import { importEsm } from './import-esm.js'
import { TOKEN_KIND, tokenize, type SourceTokens } from './revision-file.js'

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

interface Loader {
  /** The namespace `from 'migrator'` gives, when the package entry exists. */
  readonly migrator: Record<string, unknown> | undefined
  /** A jiti instance resolving from `file` (created on demand: loading jiti costs ~20 ms). */
  jitiFor(file: string): Jiti
}

let loader: Promise<Loader> | undefined

/**
 * jiti with {@link fastTransform} as its transform and no disk cache (transforming is cheaper
 * than reading the cache); a file outside the fast transform's subset goes to jiti's own Babel
 * transform with its disk cache, created (and Babel loaded) on the first such file.
 */
async function createLoader(): Promise<Loader> {
  const entry = packageEntry()
  const alias: Record<string, string> = { migrator: entry }
  const virtualModules: Record<string, unknown> = {}
  const migrator = await packageNamespace(entry)
  if (migrator !== undefined) virtualModules['migrator'] = migrator
  let createJiti: typeof import('jiti').createJiti | undefined
  let babel: Jiti | undefined
  const transform = (options: TransformOptions): TransformResult => {
    const fast =
      options.jsx || !fastTransformEnabled() || !FAST_EXTENSIONS.test(options.filename ?? '')
        ? undefined
        : fastTransform(options.source, { ...options, validate: true })
    if (fast !== undefined) return { code: fast }
    babel ??= createJiti!(import.meta.url, { fsCache: transformCacheDirectory(), interopDefault: true })
    return { code: babel.transform(options) }
  }
  const instances = new Map<string, Jiti>()
  return {
    migrator,
    jitiFor(file) {
      let jiti = instances.get(file)
      if (jiti === undefined) {
        // jiti's CommonJS entry: import() of it would first run Node's CommonJS export scan over jiti's 190 kB
        createJiti ??= (nodeRequire('jiti') as typeof import('jiti')).createJiti
        jiti = createJiti(file, { fsCache: false, alias, virtualModules, interopDefault: true, transform })
        instances.set(file, jiti)
      }
      return jiti
    },
  }
}

/**
 * What `from 'migrator'` gives user code. In the bundle (dist/lib/migrator.cjs, which both the CLI
 * and the package entry run) that is the bundle's own exports, already loaded, less the two the
 * executable uses (`main`, `completedRun`), which the package entry does not re-export either:
 * importing the entry instead would start Node's ES module loader (~7 ms of a command) only to
 * re-export them. From the sources (the tests), the entry is imported.
 */
async function packageNamespace(entry: string): Promise<Record<string, unknown> | undefined> {
  if (path.extname(here) === '.cjs') {
    const { main: _main, completedRun: _completedRun, ...api } = nodeRequire(here) as Record<string, unknown>
    return api
  }
  return existsSync(entry) ? importEsm(pathToFileURL(entry).href) : undefined
}

/**
 * `MIGRATOR_TRANSFORM=jiti` turns the fast transform off: every file goes through jiti's Babel
 * transform. An escape hatch for anyone who suspects the fast path of reading a file wrongly.
 */
export function fastTransformEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['MIGRATOR_TRANSFORM'] !== 'jiti'
}

const nodeRequire = createRequire(import.meta.url)
const nodeModulePaths = new Map<string, string[]>()

/**
 * Runs a module the fast transform accepts the way jiti would (same wrapper, `Module` object and
 * CommonJS cache entry, so jiti later finds it loaded), without jiti: its imports of `migrator`
 * get the CLI's own namespace, anything else goes through a jiti instance for that file.
 * @returns undefined when the file is outside the fast transform's subset (or V8 rejects the result)
 */
async function runFast(file: string, source: string, state: Loader): Promise<Record<string, unknown> | undefined> {
  // A large file (a models file) takes tens of milliseconds to transform, compile and run, which
  // block the thread: a turn of the event loop between the steps lets I/O begun before (autogenerate
  // reads the database meanwhile) go on. Small files (revisions, env.ts) skip it, and the disk
  // cache of transformed code and V8 code cache (code-cache.ts), which pays off only for large ones.
  const large = source.length >= LARGE_SOURCE
  const pause = large ? (): Promise<void> => new Promise((resolve) => setImmediate(resolve)) : undefined
  const cache = large ? (codeCache ??= { value: openCodeCache() }).value : undefined
  const cached = cache?.read(file, source)
  const code = cached?.code ?? fastTransform(source, { ts: true, async: true, validate: false })
  if (code === undefined) return undefined
  await pause?.()
  let compiled: CachedScript
  try {
    compiled = compileCached(`(async function (exports, require, module, __filename, __dirname, jitiImport, jitiESMResolve) { ${code}\n});`, file, source, cache, cached)
  } catch {
    return undefined
  }
  const run = compiled.script.runInThisContext({ displayErrors: false }) as (...args: unknown[]) => Promise<void>
  await pause?.()
  const dir = path.dirname(file)
  const module = new Module(file)
  module.filename = file
  let paths = nodeModulePaths.get(dir)
  if (paths === undefined) {
    paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dir)
    nodeModulePaths.set(dir, paths)
  }
  module.paths = [...paths]
  const require = Object.assign((id: string): unknown => state.jitiFor(file)(id), {
    resolve: (id: string): string => state.jitiFor(file).resolve(id),
    cache: nodeRequire.cache,
  })
  module.require = require as NodeJS.Require
  const jitiImport = (id: string): Promise<unknown> =>
    id === 'migrator' && state.migrator !== undefined ? Promise.resolve(state.migrator) : state.jitiFor(file).import(id)
  const esmResolve = (id: string, options?: unknown): string => state.jitiFor(file).esmResolve(id, options as never)
  nodeRequire.cache[file] = module
  try {
    await run(module.exports, require, module, file, dir, jitiImport, esmResolve)
  } catch (err) {
    delete nodeRequire.cache[file]
    throw err
  }
  module.loaded = true
  compiled.save(code)
  return module.exports as Record<string, unknown>
}

/** The code cache, opened on the first large file (undefined inside: turned off or untrusted). */
let codeCache: { value: CodeCache | undefined } | undefined

const FAST_EXTENSIONS = /\.(?:[cm]?ts|m?js)$/

const { identifier: IDENTIFIER, string: STRING, template: TEMPLATE, regex: REGEX, punctuator: PUNCTUATOR } = TOKEN_KIND

/** Characters from which `runFast` lets the event loop turn between its steps. */
const LARGE_SOURCE = 64 * 1024

/** Identifiers that start TypeScript-only declarations when an identifier or string follows them. */
const DECLARATION_WORDS = new Set(['type', 'interface', 'enum', 'declare', 'namespace', 'module', 'abstract', 'global'])

/** Identifiers after which an expression starts (so `!` or `as` after them is not TypeScript's). */
const EXPRESSION_KEYWORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await', 'as', 'satisfies',
  'default', 'extends', 'let', 'const', 'var', 'if', 'while', 'for', 'switch', 'with', 'import', 'export', 'function', 'class',
])

/** `if (…) !x` is a statement starting with `!`, not a non-null assertion. */
const STATEMENT_KEYWORDS = new Set(['if', 'while', 'for', 'with', 'switch', 'catch'])

/** Punctuators after which a line break does not end a type. */
const TYPE_CONTINUATIONS = new Set(['|', '&', ':', '=>', '.', ',', '<', '(', '[', '{', '?'])

const PARAMETER_TYPE_END = new Set([',', ')', '='])
const RETURN_TYPE_END = new Set(['{'])
const VARIABLE_TYPE_END = new Set(['=', ';', ',', ')', '}'])
const CATCH_TYPE_END = new Set([')'])
/** What may follow `expr as T` / `expr satisfies T`. */
const ASSERTION_END = new Set([',', ')', ']', '}', ';', '=', '?', ':', '===', '!==', '==', '!=', '&&', '||', '??', '+', '-', '*', '/', '%'])

/**
 * A fast ESM-to-CommonJS transform with TypeScript type stripping, in the shape of jiti's Babel
 * output (same wrapper, `exports.x` bindings, `__esModule`), for what revision and env files
 * contain: `import { a, type T, b as c } from 'm'`, `import 'm'` and `import type …` (an import
 * whose names are only used as types is dropped, as TypeScript does); `export const x[: T] = …`,
 * `export [async] function f(…)`, `export default <expression>`; type annotations on parameters
 * (functions and arrow functions), return types of functions, `const/let/var x: T`, `catch (e: T)`;
 * `as T`, `as const`, `satisfies T`, non-null `x!`; plain JavaScript everywhere else. Every line
 * stays where it was, so stack traces and error positions point into the source.
 *
 * Anything else returns undefined and the caller uses Babel: other import/export forms (default
 * and namespace imports, re-exports), classes, enums, type and interface declarations, generics
 * (`f<T>(x)` is a call with type arguments in TypeScript but two comparisons in JavaScript, so a
 * `<` followed by a `>` in the same statement declines), decorators, top-level await, `import()`,
 * `import.meta`, a file without import/export (it may be CommonJS), and any result V8 rejects.
 * @param options.validate compile the result to check it (default true)
 */
export function fastTransform(
  source: string,
  options: { ts?: boolean | undefined; async?: boolean | undefined; validate?: boolean | undefined } = {},
): string | undefined {
  if (source.startsWith('#!')) return undefined
  let tokens: SourceTokens
  try {
    tokens = tokenize(source)
  } catch {
    return undefined
  }
  // Token i: kinds[i], values[i], starts[i], ends[i], newlines[i] (an index out of range reads undefined).
  const { count, kinds, values, starts, ends, newlineBefore: newlines } = tokens
  const punct = (i: number, value: string): boolean => kinds[i] === PUNCTUATOR && values[i] === value
  const word = (i: number, value?: string): boolean => kinds[i] === IDENTIFIER && (value === undefined || values[i] === value)
  const member = (i: number): boolean => punct(i - 1, '.') || punct(i - 1, '?.')
  /** The token ends an expression: `!`, `as` or `satisfies` after it on the same line are TypeScript's. */
  const endsExpression = (i: number, closingBrace: boolean): boolean => {
    if (i < 0 || i >= count) return false
    const kind = kinds[i]
    const value = values[i]!
    if (kind === IDENTIFIER) return member(i) || !EXPRESSION_KEYWORDS.has(value)
    if (kind === PUNCTUATOR) {
      if (value === ')') return !word(match[i]! - 1) || member(match[i]! - 1) || !STATEMENT_KEYWORDS.has(values[match[i]! - 1]!)
      return value === ']' || (closingBrace && value === '}')
    }
    return kind !== REGEX && (kind !== TEMPLATE || source[ends[i]! - 1] === '`')
  }

  // Matching brackets; a template literal's `${` … `}` counts as a pair.
  const match = new Int32Array(count).fill(-1)
  const open: number[] = []
  for (let i = 0; i < count; i++) {
    const kind = kinds[i]
    if (kind === TEMPLATE) {
      if (source[starts[i]!] === '}') {
        const o = open.pop()
        if (o === undefined) return undefined
        match[o] = i
        match[i] = o
      }
      if (source.endsWith('${', ends[i])) open.push(i)
    } else if (kind === PUNCTUATOR) {
      const value = values[i]
      if (value === '(' || value === '[' || value === '{') open.push(i)
      else if (value === ')' || value === ']' || value === '}') {
        const o = open.pop()
        if (o === undefined) return undefined
        match[o] = i
        match[i] = o
      }
    }
  }
  if (open.length > 0) return undefined

  const edits: { start: number; end: number; text: string }[] = []
  /** Replaces source[start, end) by `text`, keeping its line breaks. */
  const edit = (start: number, end: number, text: string): void => {
    let breaks = ''
    for (let i = source.indexOf('\n', start); i >= 0 && i < end; i = source.indexOf('\n', i + 1)) breaks += '\n'
    edits.push({ start, end, text: text === '' && breaks === '' ? ' ' : text + breaks })
  }
  /** Tokens [from, to) are TypeScript only: blanked, and not looked at again. */
  const skipped = new Uint8Array(count)
  let typesStripped = false
  const strip = (from: number, to: number): void => {
    typesStripped = true
    edit(starts[from]!, ends[to - 1]!, '')
    skipped.fill(1, from, to)
  }

  /**
   * Index of the token after the type starting at `from`: the first one at nesting depth 0 that is
   * in `stops`, or that starts a new line after a complete type. -1 when the type is not simple.
   */
  const typeEnd = (from: number, stops: ReadonlySet<string>): number => {
    let depth = 0
    for (let i = from; i < count; i++) {
      const kind = kinds[i]
      if (kind === TEMPLATE || kind === REGEX) return -1
      if (depth === 0 && i > from) {
        if (kind === PUNCTUATOR && stops.has(values[i]!)) return i
        if (newlines[i] === 1 && !(kinds[i - 1] === PUNCTUATOR && TYPE_CONTINUATIONS.has(values[i - 1]!)) && !(kind === PUNCTUATOR && TYPE_CONTINUATIONS.has(values[i]!))) return i
      }
      if (kind !== PUNCTUATOR) continue
      const v = values[i]!
      if (v === '(' || v === '[' || v === '{' || v === '<') depth++
      else if (v === ')' || v === ']' || v === '}' || v === '>') {
        if (depth === 0) return i > from && stops.has(v) ? i : -1
        depth--
      } else if (depth === 0 && (v === ';' || v === '=')) return i > from && stops.has(v) ? i : -1
    }
    return count
  }
  /** Strips `: T` (or `?: T`) at `at` if there; returns the index after it, or -1 for a type it cannot read. */
  const annotation = (at: number, stops: ReadonlySet<string>): number => {
    let i = at
    if (punct(i, '?') && (punct(i + 1, ':') || punct(i + 1, ',') || punct(i + 1, ')') || punct(i + 1, '='))) {
      strip(i, i + 1)
      i++
    }
    if (!punct(i, ':')) return i
    const end = typeEnd(i + 1, stops)
    if (end < 0 || end === i + 1) return -1
    strip(i, end)
    return end
  }
  /** Strips the types in the parameter list between brackets `from` and `to`; false when it cannot. */
  const parameters = (from: number, to: number): boolean => {
    let i = from + 1
    while (i < to) {
      if (punct(i, '...')) i++
      if (word(i)) {
        if (values[i] === 'this' || ['public', 'private', 'protected', 'readonly', 'override'].includes(values[i]!)) return false
        i++
      } else if (punct(i, '{') || punct(i, '[')) {
        i = match[i]! + 1
      } else {
        return false
      }
      i = annotation(i, PARAMETER_TYPE_END)
      if (i < 0) return false
      if (punct(i, '=')) {
        while (i < to && !punct(i, ',')) i = match[i]! >= 0 && match[i]! > i ? match[i]! + 1 : i + 1
      }
      if (punct(i, ',')) i++
      else if (i !== to) return false
    }
    return true
  }

  interface ImportStatement {
    start: number
    end: number
    specifier: string
    /** [imported, local] pairs. */
    bindings: [string, string][]
    sideEffect: boolean
  }
  const imports: ImportStatement[] = []
  /** `import …` at `at`; returns the index after it, or -1 for a form this transform does not do. */
  const importStatement = (at: number): number => {
    let i = at + 1
    const typeOnly = word(i, 'type') && !word(i + 1, 'from') && !punct(i + 1, ',')
    if (typeOnly) i++
    const bindings: [string, string][] = []
    let sideEffect = false
    if (kinds[i] === STRING) {
      if (typeOnly) return -1
      sideEffect = true
    } else if (punct(i, '{')) {
      const close = match[i]!
      for (i++; i < close; ) {
        let typeSpecifier = false
        if (word(i, 'type') && word(i + 1)) {
          if (word(i + 1, 'as')) return -1 // `type as x`: a corner of TypeScript's grammar
          typeSpecifier = true
          i++
        }
        if (!word(i)) return -1
        const imported = values[i]!
        let local = imported
        i++
        if (word(i, 'as')) {
          if (!word(i + 1)) return -1
          local = values[i + 1]!
          i += 2
        }
        if (!typeSpecifier && !typeOnly) bindings.push([imported, local])
        if (punct(i, ',')) i++
        else if (i !== close) return -1
      }
      i = close + 1
      if (!word(i, 'from')) return -1
      i++
    } else if (typeOnly) {
      // import type X from 'm' / import type * as X from 'm'
      while (i < count && !word(i, 'from')) i++
      i++
    } else {
      return -1 // a default or namespace import, or `import x = require(…)`
    }
    if (kinds[i] !== STRING) return -1
    const specifier = values[i]!
    i++
    if ((word(i, 'with') || word(i, 'assert')) && newlines[i] !== 1) return -1
    if (punct(i, ';')) i++
    const end = ends[i - 1]!
    if (typeOnly) strip(at, i)
    else {
      imports.push({ start: starts[at]!, end, specifier, bindings, sideEffect })
      skipped.fill(1, at, i)
    }
    return i
  }

  const used = new Set<string>()
  const preamble: string[] = []
  let sawModuleSyntax = false
  /** Only imports so far: an import after other code would run earlier in ESM (imports are hoisted). */
  let importsOnly = true
  let depth = 0
  let statementHasLess = false

  for (let i = 0; i < count; i++) {
    if (skipped[i]) continue
    const kind = kinds[i]
    const value = values[i]!
    if (kind === IDENTIFIER) {
      const isMember = member(i)
      if (!isMember) used.add(value)
      if (isMember || punct(i + 1, ':')) {
        importsOnly = false
        continue
      }
      switch (value) {
        case 'import': {
          if (depth !== 0 || !importsOnly || punct(i + 1, '(') || punct(i + 1, '.')) return undefined
          sawModuleSyntax = true
          const next = importStatement(i)
          if (next < 0) return undefined
          i = next - 1
          continue
        }
        case 'export': {
          if (depth !== 0) return undefined
          sawModuleSyntax = true
          importsOnly = false
          if (word(i + 1, 'const') && word(i + 2)) {
            const name = values[i + 2]!
            edit(starts[i]!, starts[i + 1]!, '')
            const j = annotation(i + 3, VARIABLE_TYPE_END)
            if (j < 0 || !punct(j, '=')) return undefined
            edit(starts[j]!, ends[j]!, `= exports.${name} =`)
            skipped[j] = 1
            preamble.push(`exports.${name} = void 0;`)
            continue
          }
          const fn = word(i + 1, 'async') && word(i + 2, 'function') ? i + 2 : word(i + 1, 'function') ? i + 1 : -1
          if (fn >= 0) {
            if (!word(fn + 1)) return undefined
            const name = values[fn + 1]!
            edit(starts[i]!, starts[i + 1]!, '')
            preamble.push(`exports.${name} = ${name};`)
            continue
          }
          if (word(i + 1, 'default')) {
            if (i + 2 >= count || ['function', 'class', 'async', 'abstract', 'interface', 'enum'].some((w) => word(i + 2, w))) return undefined
            edit(starts[i]!, ends[i + 1]!, 'exports.default =')
            skipped[i + 1] = 1
            preamble.push('exports.default = void 0;')
            continue
          }
          return undefined
        }
        case 'function': {
          // function [name] (params) [: R] {
          const open = word(i + 1) ? i + 2 : i + 1
          if (!punct(open, '(') || !parameters(open, match[open]!)) return undefined
          const body = annotation(match[open]! + 1, RETURN_TYPE_END)
          if (body < 0 || !punct(body, '{')) return undefined
          break
        }
        case 'const':
        case 'let':
        case 'var':
          if (word(i + 1) && punct(i + 2, ':') && !skipped[i + 2] && annotation(i + 2, VARIABLE_TYPE_END) < 0) return undefined
          break
        case 'catch':
          if (punct(i + 1, '(') && word(i + 2) && punct(i + 3, ':') && annotation(i + 3, CATCH_TYPE_END) < 0) return undefined
          break
        case 'as':
        case 'satisfies':
          if (newlines[i] === 1 || !endsExpression(i - 1, true)) return undefined
          if (value === 'as' && word(i + 1, 'const')) strip(i, i + 2)
          else {
            const end = typeEnd(i + 1, ASSERTION_END)
            if (end < 0 || end === i + 1) return undefined
            strip(i, end)
          }
          continue
        case 'class':
          return undefined
        case 'await':
          if (depth === 0) return undefined
          break
        default:
          if (DECLARATION_WORDS.has(value) && (kinds[i + 1] === IDENTIFIER || kinds[i + 1] === STRING)) return undefined
      }
      importsOnly = false
      continue
    }
    importsOnly = false
    if (kind === TEMPLATE) {
      if (source[starts[i]!] === '}') depth--
      if (source.endsWith('${', ends[i])) depth++
      continue
    }
    if (kind !== PUNCTUATOR) continue
    switch (value) {
      case '(':
        // an arrow function's parameters
        if (punct(match[i]! + 1, '=>') && !parameters(i, match[i]!)) return undefined
        depth++
        break
      case '[':
        depth++
        break
      case '{':
        depth++
        statementHasLess = false
        break
      case ')':
      case ']':
        depth--
        break
      case '}':
        depth--
        statementHasLess = false
        break
      case ';':
        statementHasLess = false
        break
      case '<':
        statementHasLess = true
        break
      case '>':
        if (statementHasLess) return undefined
        break
      case '!':
        // non-null assertion: `x!` (JavaScript has no postfix `!`)
        if (newlines[i] !== 1 && endsExpression(i - 1, false) && !punct(i + 1, '=')) strip(i, i + 1)
        break
      case '@':
        return undefined
      case '/': {
        // The tokenizer reads `/` after `)` or `}` as division; after `if (…)` or a block it is a
        // regular expression, whose text must not be taken for code.
        const previous = i - 1
        if (punct(previous, '}') || (punct(previous, ')') && !endsExpression(previous, false))) return undefined
        break
      }
    }
  }
  if (!sawModuleSyntax || depth !== 0 || (typesStripped && options.ts === false)) return undefined

  const load = (specifier: string): string => (options.async ? `await jitiImport(${JSON.stringify(specifier)})` : `require(${JSON.stringify(specifier)})`)
  for (const statement of imports) {
    const kept = statement.bindings.filter(([, local]) => used.has(local))
    if (statement.sideEffect) edit(statement.start, statement.end, `${load(statement.specifier)};`)
    else if (kept.length === 0) edit(statement.start, statement.end, '')
    else {
      const names = kept.map(([imported, local]) => (imported === local ? local : `${imported}: ${local}`)).join(', ')
      edit(statement.start, statement.end, `const { ${names} } = ${load(statement.specifier)};`)
    }
  }
  edits.sort((a, b) => a.start - b.start)
  let out = `"use strict";Object.defineProperty(exports, "__esModule", { value: true });${preamble.join('')}`
  let at = 0
  for (const e of edits) {
    if (e.start < at) return undefined
    out += source.slice(at, e.start) + e.text
    at = e.end
  }
  out += source.slice(at)
  if (options.validate === false) return out
  try {
    // the wrapper jiti runs a module in; V8 rejects TypeScript this transform left in place
    new vm.Script(`(async function (exports, require, module, __filename, __dirname, jitiImport, jitiESMResolve) { ${out}\n});`)
  } catch {
    return undefined
  }
  return out
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
  const state = await loader
  try {
    const cached = nodeRequire.cache[absolute]
    if (cached?.loaded) return cached.exports as Record<string, unknown>
    if (/\.m?ts$/.test(absolute) && fastTransformEnabled()) {
      const exports = await runFast(absolute, readFileSync(absolute, 'utf8'), state)
      if (exports !== undefined) return exports
    }
    return (await state.jitiFor(import.meta.url).import(absolute)) as Record<string, unknown>
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
  if (isMigratorError(err)) {
    // An error of migrator's API while the file ran (`varchar(0)` in the models): where it was.
    const at = firstLocation(err, file) ?? file
    const { code, exitCode, hint } = err as MigratorError
    return new MigratorError(code, `${at}: ${err.message}`, exitCode, { hint: hint ?? 'fix that line; MIGRATOR_DEBUG=1 shows the stack', cause: err })
  }
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
