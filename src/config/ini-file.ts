/**
 * `migrator.ini` reading, faithful to Python's configparser as Alembic uses it.
 *
 * Why not the `ini` package: it does not follow configparser. It splits only on `=` (so `key: value`
 * becomes a key), has no continuation lines, cuts values at `;` and `#` (which Alembic users' URLs and
 * passwords contain), and strips quotes. An Alembic ini must read the same here, so this is a small
 * parser of configparser's format (default options: delimiters `=` and `:`, full-line `#`/`;`
 * comments only, strict duplicates, empty lines kept inside multi-line values) plus its
 * BasicInterpolation, extended with `${VAR}` / `${VAR:-default}` from the environment.
 */
import { readFileSync } from 'node:fs'
import { ConfigError } from '../errors.js'

/** The name of configparser's special section whose keys every section inherits. */
export const DEFAULT_SECTION = 'DEFAULT'

/** configparser's MAX_INTERPOLATION_DEPTH: deeper `%(key)s` chains are taken to be a cycle. */
const MAX_INTERPOLATION_DEPTH = 10

/** What `%(here)s` and `${VAR}` resolve against. */
export interface InterpolationContext {
  /** The ini file's folder, the value of `%(here)s` (inserted literally, never re-interpolated). */
  readonly here: string
  /** Environment read by `${VAR}`. */
  readonly env: Readonly<Record<string, string | undefined>>
}

/** A parsed ini file: raw (uninterpolated) values, keys lowercased, section names as written. */
export class IniFile {
  /** Path used in error messages. */
  readonly fileName: string
  private readonly sectionMap: ReadonlyMap<string, ReadonlyMap<string, string>>
  private readonly defaults: ReadonlyMap<string, string>

  constructor(fileName: string, sections: ReadonlyMap<string, ReadonlyMap<string, string>>, defaults: ReadonlyMap<string, string>) {
    this.fileName = fileName
    this.sectionMap = sections
    this.defaults = defaults
  }

  /** Section names in file order, without `[DEFAULT]`. */
  get sectionNames(): string[] {
    return [...this.sectionMap.keys()]
  }

  /** Whether the section exists (`[DEFAULT]` never counts). Section names are case-sensitive. */
  hasSection(section: string): boolean {
    return this.sectionMap.has(section)
  }

  /** Keys of a section, including those inherited from `[DEFAULT]`; empty for a missing section. */
  keys(section: string): string[] {
    const own = this.sectionMap.get(section)
    return [...new Set([...(own?.keys() ?? []), ...this.defaults.keys()])]
  }

  /** The raw value of `key` (case-insensitive) in `section`, else in `[DEFAULT]`, else undefined. */
  raw(section: string, key: string): string | undefined {
    const name = key.toLowerCase()
    return this.sectionMap.get(section)?.get(name) ?? this.defaults.get(name)
  }

  /**
   * The interpolated value of `key` in `section` (falling back to `[DEFAULT]`), or undefined.
   * `%%` is `%`; `%(name)s` is the interpolated value of `name` from the same section, then
   * `[DEFAULT]`, then the built-in `here`; `${VAR}` is the environment variable (an unset one is an
   * error) and `${VAR:-default}` uses `default` when VAR is unset or empty. Any other `%` is an error,
   * as in configparser: write `%%`.
   * @throws ConfigError (`config.interpolation`) naming the key and section, never the value.
   */
  get(section: string, key: string, context: InterpolationContext): string | undefined {
    const value = this.raw(section, key)
    if (value === undefined) return undefined
    return this.interpolate(value, section, key.toLowerCase(), context, 1)
  }

  private interpolate(text: string, section: string, key: string, context: InterpolationContext, depth: number): string {
    const fail = (message: string): ConfigError =>
      new ConfigError('interpolation', `${message} in key '${key}' of section [${section}] of ${this.fileName}`, {
        hint: "write '%%' for a literal '%', '%(name)s' for another key of the section, '${VAR}' or '${VAR:-default}' for an environment variable",
      })
    if (depth > MAX_INTERPOLATION_DEPTH) throw fail(`Interpolation nested deeper than ${MAX_INTERPOLATION_DEPTH} levels (a reference cycle?)`)
    let out = ''
    let i = 0
    while (i < text.length) {
      const c = text[i]!
      if (c === '%') {
        const next = text[i + 1]
        if (next === '%') {
          out += '%'
          i += 2
        } else if (next === '(') {
          const match = /^%\(([^)]+)\)s/.exec(text.slice(i))
          if (match === null) throw fail("Bad interpolation reference (expected '%(name)s')")
          const name = match[1]!.toLowerCase()
          const referenced = this.raw(section, name)
          if (referenced !== undefined) out += this.interpolate(referenced, section, name, context, depth + 1)
          else if (name === 'here') out += context.here
          else throw fail(`Unknown key '${name}' referenced by '%(${name})s'`)
          i += match[0].length
        } else {
          throw fail("A '%' must be followed by '%' or '('")
        }
      } else if (c === '$' && text[i + 1] === '{') {
        const end = closingBrace(text, i + 2)
        const body = end < 0 ? undefined : text.slice(i + 2, end)
        const match = body === undefined ? null : /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/.exec(body)
        if (match === null) {
          // Not a variable reference: keep the text (a password may well contain `${`).
          out += c
          i += 1
          continue
        }
        const variable = match[1]!
        const fallback = match[2]
        const value = context.env[variable]
        if (fallback !== undefined) {
          out += value === undefined || value === '' ? this.interpolate(fallback, section, key, context, depth + 1) : value
        } else if (value === undefined) {
          throw fail(`Environment variable ${variable} is not set (write \${${variable}:-default} for a default)`)
        } else {
          out += value
        }
        i = end + 1
      } else {
        out += c
        i += 1
      }
    }
    return out
  }
}

/** Index of the `}` closing a `${` whose body starts at `start`, counting nested `${…}`; -1 if none. */
function closingBrace(text: string, start: number): number {
  let nesting = 0
  for (let i = start; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      nesting++
      i++
    } else if (text[i] === '}') {
      if (nesting === 0) return i
      nesting--
    }
  }
  return -1
}

/**
 * Parse ini text the way Python's configparser does: `[section]` headers, `key = value` and
 * `key: value` (the first `=` or `:` splits, so values may contain both), keys lowercased, full-line
 * `#` and `;` comments (a `;` or `#` inside a value is part of it), continuation lines indented deeper
 * than their key, empty lines inside a multi-line value kept, duplicates an error.
 * @throws ConfigError (`config.parse`) naming the file and line; the line's text is never shown,
 * since it may hold a password.
 */
export function parseIni(text: string, fileName: string): IniFile {
  const sections = new Map<string, Map<string, string[]>>()
  const defaults = new Map<string, string[]>()
  const seenSections = new Set<string>()
  const fail = (lineNumber: number, message: string): ConfigError =>
    new ConfigError('parse', `${fileName}, line ${lineNumber}: ${message}`, {
      hint: 'the file must be configparser syntax: [section] headers, then key = value lines; indent continuation lines',
    })

  let current: Map<string, string[]> | undefined
  let currentName: string | undefined
  let option: string | undefined
  let indentLevel = 0
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)
  lines.forEach((line, index) => {
    const lineNumber = index + 1
    const value = line.trim()
    const isComment = value.startsWith('#') || value.startsWith(';')
    if (value === '' || isComment) {
      if (!isComment && current !== undefined && option !== undefined) current.get(option)!.push('')
      return
    }
    const indent = line.search(/\S/)
    if (current !== undefined && option !== undefined && indent > indentLevel) {
      current.get(option)!.push(value)
      return
    }
    indentLevel = indent
    const header = /^\[(.+)\]/.exec(value)
    if (header !== null) {
      const name = header[1]!
      if (name === DEFAULT_SECTION) {
        current = defaults
      } else {
        if (seenSections.has(name)) throw fail(lineNumber, `section [${name}] appears twice`)
        seenSections.add(name)
        current = new Map()
        sections.set(name, current)
      }
      currentName = name
      option = undefined
      return
    }
    if (current === undefined) throw fail(lineNumber, 'a key before any [section] header')
    const pair = /^(.*?)\s*[=:]\s*(.*)$/.exec(value)
    if (pair === null || pair[1] === '') {
      throw fail(lineNumber, pair === null ? "expected 'key = value'" : "a line with no key before '=' or ':'")
    }
    const key = pair[1]!.trimEnd().toLowerCase()
    if (current.has(key)) throw fail(lineNumber, `key '${key}' appears twice in section [${currentName}]`)
    current.set(key, [pair[2]!.trim()])
    option = key
  })

  const join = (options: Map<string, string[]>): Map<string, string> =>
    new Map([...options].map(([key, parts]) => [key, parts.join('\n').trimEnd()]))
  return new IniFile(fileName, new Map([...sections].map(([name, options]) => [name, join(options)])), join(defaults))
}

/**
 * Read and parse an ini file.
 * @throws ConfigError (`config.file_not_found`) when it does not exist, `config.parse` when malformed.
 */
export function readIniFile(path: string, displayName: string = path): IniFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new ConfigError('file_not_found', `No config file '${displayName}' found`, {
        hint: 'run `migrator init DIR` or pass -c FILE',
        cause: error,
      })
    }
    throw new ConfigError('file_unreadable', `Cannot read config file '${displayName}': ${(error as Error).message}`, { cause: error })
  }
  return parseIni(text, displayName)
}
