/**
 * The loaded configuration: `migrator.ini` (or `-c FILE` / `MIGRATOR_CONFIG`), its section
 * (`[migrator]` or `-n NAME`), the `.env` beside it, `-x` arguments and the database URL precedence.
 * Relative paths in the ini resolve against the ini file's folder (`here`); with the ini in the
 * working directory, as usual, that is what Alembic does.
 */
import path from 'node:path'
import { ConfigError, UsageError } from '../errors.js'
import { loadDotEnvFile } from './dotenv.js'
import { DEFAULT_SECTION, readIniFile, type IniFile, type InterpolationContext } from './ini-file.js'
import { setEntry } from './record.js'

/** The config file looked for in the working directory when neither `-c` nor `MIGRATOR_CONFIG` is given. */
export const DEFAULT_CONFIG_FILE = 'migrator.ini'
/** The section read when `-n NAME` is not given. */
export const DEFAULT_SECTION_NAME = 'migrator'
/** The token of a post-write hook's `options` replaced by the new revision file's path. */
export const REVISION_SCRIPT_FILENAME = 'REVISION_SCRIPT_FILENAME'

export interface LoadConfigOptions {
  /** `-c FILE`, relative to `cwd`. Default: `MIGRATOR_CONFIG`, else `migrator.ini`. */
  configFile?: string
  /** `-n NAME`: the section to read. Default `migrator`. */
  name?: string
  /** Working directory: resolves `configFile`. */
  cwd: string
  /**
   * The environment. The `.env` file beside the ini is loaded into this object (variables already
   * set win), so pass `process.env` only where that is wanted (the CLI).
   */
  env: Record<string, string | undefined>
  /** `-x` values as given (`key=value` or `key`), in order. */
  xArgs?: readonly string[]
  /** `--url`. */
  urlFlag?: string
}

/** A `[post_write_hooks]` entry of type `exec` (the only type supported). */
export interface PostWriteHook {
  readonly name: string
  readonly type: 'exec'
  /** `name.executable`: the program to run, looked up on PATH unless it is a path. */
  readonly executable: string
  /** `name.options` as written; undefined when absent (the runner then passes `REVISION_SCRIPT_FILENAME` alone). */
  readonly options: string | undefined
  /** `options` split like a POSIX shell, default `['REVISION_SCRIPT_FILENAME']`; the runner replaces that token in each. */
  readonly args: readonly string[]
  /** `name.cwd` resolved against the ini's folder; undefined: the current directory. */
  readonly cwd: string | undefined
}

/** `target_metadata` split into the module and the export. */
export interface TargetMetadataRef {
  /** Absolute path of the module. */
  readonly path: string
  /** The name after `#`; undefined when not given (the loader picks its default). */
  readonly exportName: string | undefined
}

/** Where the database URL came from. */
export type DatabaseUrlSource = 'flag' | 'environment' | 'env.ts' | 'ini'

export interface ResolvedDatabaseUrl {
  /** The URL as given (contains the password: print it through `maskUrl`). */
  readonly url: string
  readonly source: DatabaseUrlSource
  /** The exact place, for messages: `--url`, the variable name, `env.ts`, or `database_url in [migrator] of FILE`. */
  readonly origin: string
}

const BOOLEAN_VALUES: Readonly<Record<string, boolean>> = {
  true: true, yes: true, on: true, '1': true,
  false: false, no: false, off: false, '0': false,
}

const PATH_SEPARATORS: Readonly<Record<string, string | RegExp>> = {
  os: path.delimiter,
  ':': ':',
  ';': ';',
  space: /\s+/,
  newline: /\r?\n/,
}

/**
 * `-x` arguments to a record: `key=value` (the value may contain `=`), a bare `key` gives `''`,
 * a later duplicate wins.
 * @throws UsageError for an empty key (`-x =value`, `-x ''`).
 */
export function parseXArgs(args: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {}
  for (const arg of args) {
    const eq = arg.indexOf('=')
    const key = eq < 0 ? arg : arg.slice(0, eq)
    if (key.trim() === '') {
      throw new UsageError('Malformed -x argument: the key before \'=\' is empty', { hint: 'write -x key=value, or -x key for an empty value' })
    }
    setEntry(result, key, eq < 0 ? '' : arg.slice(eq + 1))
  }
  return result
}

/** The environment variable holding the URL of section NAME: `MIGRATOR_<NAME>_DATABASE_URL`, NAME uppercased, non-alphanumerics as `_`. */
export function databaseUrlEnvVar(name: string): string {
  return `MIGRATOR_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_DATABASE_URL`
}

/**
 * Split a command line like a POSIX shell (Python's `shlex.split`): whitespace separates, `'…'` is
 * literal, `"…"` honours `\"` `\\` `\$` and `` \` ``, a backslash outside quotes escapes the next character.
 * @throws Error on an unterminated quote or a trailing backslash.
 */
export function splitCommandLine(text: string): string[] {
  const args: string[] = []
  let current = ''
  let inArg = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (/\s/.test(c)) {
      if (inArg) args.push(current)
      current = ''
      inArg = false
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1)
      if (close < 0) throw new Error('unterminated single quote')
      current += text.slice(i + 1, close)
      inArg = true
      i = close
    } else if (c === '"') {
      let j = i + 1
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`\n'.includes(text[j + 1]!)) j++
        current += text[j]
      }
      if (j >= text.length) throw new Error('unterminated double quote')
      inArg = true
      i = j
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw new Error('trailing backslash')
      current += text[++i]
      inArg = true
    } else {
      current += c
      inArg = true
    }
  }
  if (inArg) args.push(current)
  return args
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}

/**
 * The configuration of one run. Values are read from the ini lazily, so a command fails only on the
 * keys it uses; every getter interpolates (`%(here)s`, `%%`, `%(key)s`, `${VAR}`, `${VAR:-default}`).
 */
export class Config {
  /** Absolute path of the ini file. */
  readonly configFile: string
  /** The ini file's folder: `%(here)s`, and the base of relative paths in the ini. */
  readonly here: string
  /** The section read: `-n NAME`, default `migrator`. */
  readonly section: string
  /** `-n NAME` as given; undefined without `-n`. */
  readonly name: string | undefined
  /** The environment, with the `.env` file's variables added. */
  readonly env: Record<string, string | undefined>
  /** `-x key=value` arguments (`x.key` in env.ts). Default `{}`. */
  readonly xArgs: Readonly<Record<string, string>>
  /** `--url`, if given. */
  readonly urlFlag: string | undefined
  /** The parsed ini file (raw values). */
  readonly ini: IniFile

  constructor(init: {
    configFile: string
    section: string
    name: string | undefined
    env: Record<string, string | undefined>
    xArgs: Readonly<Record<string, string>>
    urlFlag: string | undefined
    ini: IniFile
  }) {
    this.configFile = init.configFile
    this.here = path.dirname(init.configFile)
    this.section = init.section
    this.name = init.name
    this.env = init.env
    this.xArgs = init.xArgs
    this.urlFlag = init.urlFlag
    this.ini = init.ini
  }

  private get context(): InterpolationContext {
    return { here: this.here, env: this.env }
  }

  private where(key: string): string {
    return `key '${key}' in [${this.section}] of ${this.ini.fileName}`
  }

  /** The interpolated value of `key` (case-insensitive) in the section or `[DEFAULT]`; undefined when absent. */
  get(key: string): string | undefined {
    return this.ini.get(this.section, key, this.context)
  }

  /** All keys of another section (for example a multidb engine's), interpolated; undefined when the section does not exist. */
  getSection(section: string): Record<string, string> | undefined {
    if (!this.ini.hasSection(section)) return undefined
    const values: Record<string, string> = {}
    for (const key of this.ini.keys(section)) setEntry(values, key, this.ini.get(section, key, this.context)!)
    return values
  }

  /** All keys of the section in use (with `[DEFAULT]`'s), interpolated: what env.ts sees as `ini`. */
  get values(): Record<string, string> {
    return this.getSection(this.section)!
  }

  private getTrimmed(key: string): string | undefined {
    return nonEmpty(this.get(key))?.trim()
  }

  /**
   * `key` as a boolean: true/false, yes/no, on/off, 1/0 in any case. Absent or empty: `defaultValue`.
   * @throws ConfigError (`config.invalid_value`) naming the key and the value.
   */
  getBoolean(key: string, defaultValue: boolean): boolean {
    const value = this.getTrimmed(key)
    if (value === undefined) return defaultValue
    const lower = value.toLowerCase()
    const parsed = Object.hasOwn(BOOLEAN_VALUES, lower) ? BOOLEAN_VALUES[lower] : undefined
    if (parsed === undefined) {
      throw new ConfigError('invalid_value', `The ${this.where(key)} must be a boolean, not '${value}'`, {
        hint: 'write true or false (also yes/no, on/off, 1/0)',
      })
    }
    return parsed
  }

  /**
   * `key` as an integer. Absent or empty: `defaultValue`.
   * @throws ConfigError (`config.invalid_value`) naming the key and the value.
   */
  getInt(key: string, defaultValue: number): number {
    const value = this.getTrimmed(key)
    if (value === undefined) return defaultValue
    if (!/^[+-]?\d+$/.test(value) || !Number.isSafeInteger(Number(value))) {
      throw new ConfigError('invalid_value', `The ${this.where(key)} must be an integer, not '${value}'`)
    }
    return Number(value)
  }

  /**
   * `script_location`: the folder with env.ts, script.ts.tmpl and versions/, absolute. Required.
   * @throws ConfigError (`config.missing_option`) when absent or empty.
   */
  get scriptLocation(): string {
    const value = this.getTrimmed('script_location')
    if (value === undefined) {
      throw new ConfigError('missing_option', `No script_location in [${this.section}] of ${this.ini.fileName}`, {
        hint: 'set script_location to the folder holding env.ts and versions/, e.g. script_location = %(here)s/migrations',
      })
    }
    return path.resolve(this.here, value)
  }

  /**
   * `version_locations`: the folders holding revision files, absolute. Default `[<scriptLocation>/versions]`;
   * when set, only the folders listed (as in Alembic), split by `version_path_separator`.
   */
  get versionLocations(): string[] {
    const value = this.getTrimmed('version_locations')
    if (value === undefined) return [path.join(this.scriptLocation, 'versions')]
    const separatorName = this.getTrimmed('version_path_separator') ?? 'os'
    const separator = Object.hasOwn(PATH_SEPARATORS, separatorName) ? PATH_SEPARATORS[separatorName] : undefined
    if (separator === undefined) {
      throw new ConfigError('invalid_value', `The ${this.where('version_path_separator')} must be os, space, newline, ':' or ';', not '${separatorName}'`)
    }
    return value
      .split(separator)
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item) => path.resolve(this.here, item))
  }

  /** `file_template`, after `%%` handling: default `%(rev)s_%(slug)s` (written `%%(rev)s_%%(slug)s` in the ini). */
  get fileTemplate(): string {
    return this.getTrimmed('file_template') ?? '%(rev)s_%(slug)s'
  }

  /**
   * `timezone`: IANA name for a revision's Create Date; undefined (default): local time.
   * @throws ConfigError (`config.invalid_value`) for a name the runtime does not know.
   */
  get timezone(): string | undefined {
    const value = this.getTrimmed('timezone')
    if (value === undefined) return undefined
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: value })
    } catch {
      throw new ConfigError('invalid_value', `The ${this.where('timezone')} is not a known time zone: '${value}'`, {
        hint: 'use an IANA name such as UTC or Europe/Paris',
      })
    }
    return value
  }

  /**
   * `truncate_slug_length`: the longest slug in a revision file name. Default 40.
   * @throws ConfigError (`config.invalid_value`) unless a positive integer.
   */
  get truncateSlugLength(): number {
    const value = this.getInt('truncate_slug_length', 40)
    if (value < 1) throw new ConfigError('invalid_value', `The ${this.where('truncate_slug_length')} must be at least 1, not ${value}`)
    return value
  }

  /** `version_table`. Default `migrator_version`. */
  get versionTable(): string {
    return this.getTrimmed('version_table') ?? 'migrator_version'
  }

  /** `version_table_schema`. Default undefined: the connection's current schema. */
  get versionTableSchema(): string | undefined {
    return this.getTrimmed('version_table_schema')
  }

  /** `transaction_per_migration`: one transaction per revision instead of one per run. Default false. */
  get transactionPerMigration(): boolean {
    return this.getBoolean('transaction_per_migration', false)
  }

  /** `compare_type`: autogenerate compares column types. Default true. */
  get compareType(): boolean {
    return this.getBoolean('compare_type', true)
  }

  /** `compare_server_default`: autogenerate compares server defaults. Default true. */
  get compareServerDefault(): boolean {
    return this.getBoolean('compare_server_default', true)
  }

  /** `revision_environment`: load env.ts for `revision` even without `--autogenerate`. Default false. */
  get revisionEnvironment(): boolean {
    return this.getBoolean('revision_environment', false)
  }

  /**
   * `target_metadata` as `absolute/path` or `absolute/path#exportName` (path resolved against `here`).
   * Default undefined: env.ts must provide it.
   */
  get targetMetadata(): string | undefined {
    const ref = this.targetMetadataRef
    if (ref === undefined) return undefined
    return ref.exportName === undefined ? ref.path : `${ref.path}#${ref.exportName}`
  }

  /** `target_metadata` split into module path and export name. Default undefined. */
  get targetMetadataRef(): TargetMetadataRef | undefined {
    const value = this.getTrimmed('target_metadata')
    if (value === undefined) return undefined
    const hash = value.lastIndexOf('#')
    const modulePath = (hash < 0 ? value : value.slice(0, hash)).trim()
    const exportName = hash < 0 ? undefined : value.slice(hash + 1).trim()
    if (modulePath === '' || exportName === '') {
      throw new ConfigError('invalid_value', `The ${this.where('target_metadata')} must be 'path' or 'path#exportName', not '${value}'`)
    }
    return { path: path.resolve(this.here, modulePath), exportName }
  }

  /**
   * Post-write hooks, in order: the names listed by `post_write_hooks` in the main section and by
   * `hooks` in `[post_write_hooks]` (Alembic's place), separated by commas or spaces; each configured
   * in `[post_write_hooks]` with `NAME.type = exec`, `NAME.executable`, optional `NAME.options` and
   * `NAME.cwd`. Default `[]`.
   * @throws ConfigError (`config.post_write_hook`) for a missing or unsupported type, a missing executable
   * or unbalanced quotes in the options.
   */
  get postWriteHooks(): PostWriteHook[] {
    const hooksSection = 'post_write_hooks'
    const listed = [this.get('post_write_hooks'), this.ini.hasSection(hooksSection) ? this.ini.get(hooksSection, 'hooks', this.context) : undefined]
    const names = [...new Set(listed.flatMap((value) => (value ?? '').split(/[\s,]+/)).filter((name) => name !== ''))]
    const hookError = (message: string, hint: string): ConfigError =>
      new ConfigError('post_write_hook', `${message} in [${hooksSection}] of ${this.ini.fileName}`, { hint })
    return names.map((name): PostWriteHook => {
      const option = (suffix: string): string | undefined => {
        if (!this.ini.hasSection(hooksSection)) return undefined
        return nonEmpty(this.ini.get(hooksSection, `${name}.${suffix}`, this.context))?.trim()
      }
      const type = option('type')
      if (type === undefined) {
        throw hookError(`Post-write hook '${name}' has no ${name}.type`, `add ${name}.type = exec and ${name}.executable = PROGRAM`)
      }
      if (type !== 'exec') {
        throw hookError(`Post-write hook '${name}' has type '${type}'; only 'exec' is supported`, `write ${name}.type = exec with ${name}.executable = the program to run`)
      }
      const executable = option('executable')
      if (executable === undefined) {
        throw hookError(`Post-write hook '${name}' has no ${name}.executable`, `add ${name}.executable = the program to run`)
      }
      const options = option('options')
      let args: string[]
      try {
        args = splitCommandLine(options ?? REVISION_SCRIPT_FILENAME)
      } catch (error) {
        throw hookError(`Post-write hook '${name}' has bad ${name}.options (${(error as Error).message})`, 'quote arguments like a POSIX shell')
      }
      const cwd = option('cwd')
      return { name, type, executable, options, args, cwd: cwd === undefined ? undefined : path.resolve(this.here, cwd) }
    })
  }

  /**
   * The URL of another database for multidb projects (a section listed by `databases`):
   * `MIGRATOR_<DATABASE>_DATABASE_URL`, else that section's `database_url`, else its `sqlalchemy.url`.
   * @throws ConfigError `config.section_not_found` or `config.missing_url`.
   */
  databaseUrlOf(database: string): string {
    const variable = databaseUrlEnvVar(database)
    const fromEnv = nonEmpty(this.env[variable])
    if (fromEnv !== undefined) return fromEnv.trim()
    if (!this.ini.hasSection(database)) {
      throw new ConfigError('section_not_found', `No section [${database}] in ${this.ini.fileName} for database '${database}'`, {
        hint: `add a [${database}] section with database_url, or set ${variable}`,
      })
    }
    for (const key of ['database_url', 'sqlalchemy.url']) {
      const value = nonEmpty(this.ini.get(database, key, this.context))
      if (value !== undefined) return value.trim()
    }
    throw new ConfigError('missing_url', `No database URL for '${database}': none in ${variable} or database_url in [${database}] of ${this.ini.fileName}`, {
      hint: `set ${variable}, or add database_url = … to [${database}]`,
    })
  }

  /** The environment variables consulted for the URL, in order: `MIGRATOR_<NAME>_DATABASE_URL` (with `-n`), `MIGRATOR_DATABASE_URL`. */
  get databaseUrlEnvVars(): string[] {
    return this.name === undefined ? ['MIGRATOR_DATABASE_URL'] : [databaseUrlEnvVar(this.name), 'MIGRATOR_DATABASE_URL']
  }

  /**
   * The database URL, first found wins: `--url`; `MIGRATOR_<NAME>_DATABASE_URL` (with `-n NAME`) then
   * `MIGRATOR_DATABASE_URL`; `envTsUrl` (what env.ts returned); the ini's `database_url`, else its alias
   * `sqlalchemy.url`. Empty values count as absent.
   * @throws ConfigError (`config.missing_url`) naming all four places when none has one.
   */
  resolveDatabaseUrl(envTsUrl?: string): ResolvedDatabaseUrl {
    const flag = nonEmpty(this.urlFlag)
    if (flag !== undefined) return { url: flag.trim(), source: 'flag', origin: '--url' }
    for (const variable of this.databaseUrlEnvVars) {
      const value = nonEmpty(this.env[variable])
      if (value !== undefined) return { url: value.trim(), source: 'environment', origin: variable }
    }
    const fromEnvTs = nonEmpty(envTsUrl)
    if (fromEnvTs !== undefined) return { url: fromEnvTs.trim(), source: 'env.ts', origin: 'env.ts' }
    for (const key of ['database_url', 'sqlalchemy.url']) {
      const value = this.getTrimmed(key)
      if (value !== undefined) return { url: value, source: 'ini', origin: `${key} in [${this.section}] of ${this.ini.fileName}` }
    }
    throw new ConfigError(
      'missing_url',
      `No database URL: none given by --url, ${this.databaseUrlEnvVars.join(' or ')}, the url of env.ts, or database_url in [${this.section}] of ${this.ini.fileName}`,
      { hint: `pass --url URL, set ${this.databaseUrlEnvVars[0]}, or add database_url = postgresql://user:password@host/dbname to [${this.section}]` },
    )
  }
}

/**
 * Load the configuration: the ini (`configFile`, else `env.MIGRATOR_CONFIG`, else `<cwd>/migrator.ini`),
 * then the `.env` beside it into `env` (variables already set win), and check the section exists.
 * @throws ConfigError `config.file_not_found` (hint: `migrator init DIR` or `-c FILE`), `config.parse`,
 * `config.section_not_found` naming the sections that exist; UsageError for a malformed `-x`.
 */
export function loadConfig(options: LoadConfigOptions): Config {
  const xArgs = parseXArgs(options.xArgs ?? [])
  const given = nonEmpty(options.configFile) ?? nonEmpty(options.env['MIGRATOR_CONFIG']) ?? DEFAULT_CONFIG_FILE
  const configFile = path.resolve(options.cwd, given)
  const ini = readIniFile(configFile, given)
  loadDotEnvFile(path.join(path.dirname(configFile), '.env'), options.env)

  const section = options.name ?? DEFAULT_SECTION_NAME
  if (!ini.hasSection(section) || section === DEFAULT_SECTION) {
    const existing = ini.sectionNames
    const list = existing.length === 0 ? 'it has no sections' : `it has ${existing.map((name) => `[${name}]`).join(', ')}`
    throw new ConfigError('section_not_found', `No section [${section}] in ${given}; ${list}`, {
      hint: options.name === undefined ? `add a [${section}] section, or pass -n with one of the sections` : `pass -n with one of the sections, or add a [${section}] section`,
    })
  }
  return new Config({ configFile, section, name: options.name, env: options.env, xArgs, urlFlag: options.urlFlag, ini })
}
