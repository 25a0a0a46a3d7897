import { statSync } from 'node:fs'
import path from 'node:path'
import { databaseUrlEnvVar, loadConfig, type Config } from '../config/config.js'
import { maskUrl, parseDatabaseUrl } from '../config/database-url.js'
import type { Connection, DatabaseUrl, Dialect } from '../dialects/dialect.js'
import { loadDialect } from '../dialects/registry.js'
import { CommandError, ConfigError, UsageError } from '../errors.js'
import type { EnvContext, EnvOptions } from '../runtime/environment.js'
import { ScriptDirectory } from '../script/script-directory.js'
import type { Reporter } from './reporter.js'

/** Global options of every command (DESIGN §7). */
export interface GlobalOptions {
  readonly config?: string | undefined
  readonly name?: string | undefined
  readonly x: readonly string[]
  readonly url?: string | undefined
}

const ENV_FILE_NAMES = ['env.ts', 'env.mts', 'env.js', 'env.mjs']

/**
 * Everything a command needs, loaded lazily and once: the config, the script directory,
 * env.ts (only for commands that touch the database), the URL and a connection.
 */
export class CommandContext {
  private configCache: Config | undefined
  private scriptsCache: ScriptDirectory | undefined
  private envCache: EnvOptions | null | undefined
  private readonly connections: Connection[] = []
  /** Passwords seen in database URLs, masked in every error the CLI prints. */
  readonly secrets: string[] = []
  /** `--tag` of the running command, handed to env.ts. */
  tag: string | undefined
  /** Queries sent on this context's connections (counted with MIGRATOR_DEBUG_QUERY_COUNT=1). */
  queryCount = 0
  /** Of which catalog queries of introspection. */
  catalogQueryCount = 0

  constructor(
    readonly options: GlobalOptions,
    readonly reporter: Reporter,
    readonly cwd: string = process.cwd(),
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get config(): Config {
    this.configCache ??= loadConfig({
      configFile: this.options.config,
      name: this.options.name,
      cwd: this.cwd,
      env: this.env,
      xArgs: this.options.x,
      urlFlag: this.options.url,
    })
    return this.configCache
  }

  get scripts(): ScriptDirectory {
    const config = this.config
    this.scriptsCache ??= new ScriptDirectory({
      scriptLocation: config.scriptLocation,
      versionLocations: config.versionLocations,
      fileTemplate: config.fileTemplate,
      timezone: config.timezone,
      truncateSlugLength: config.truncateSlugLength,
      databaseNames: this.databaseNames(),
    })
    return this.scriptsCache
  }

  /** multidb: the ini's `databases` list; otherwise empty (one database, the section's own URL). */
  databaseNames(): string[] {
    const list = this.config.get('databases')
    return list ? list.split(/[\s,]+/).filter(Boolean) : []
  }

  /** The user's env.ts (or .mts/.js/.mjs) exports, or null when the project has none (loaded once, even when asked for concurrently). */
  environment(): Promise<EnvOptions | null> {
    this.envPromise ??= this.loadEnvironment()
    return this.envPromise
  }

  private envPromise: Promise<EnvOptions | null> | undefined

  private async loadEnvironment(): Promise<EnvOptions | null> {
    if (this.envCache !== undefined) return this.envCache
    const file = ENV_FILE_NAMES.map((name) => path.join(this.config.scriptLocation, name)).find((candidate) => fileExists(candidate))
    if (!file) return (this.envCache = null)
    const { loadModule } = await import('../script/module-loader.js')
    const exports = await loadModule(file)
    const value = (exports['default'] ?? exports['env']) as EnvOptions | undefined
    if (value === undefined || value === null || typeof value !== 'object') {
      throw new ConfigError('env_export', `${file} has no default export`, {
        hint: "end env.ts with `export default defineEnv({ ... })` (import { defineEnv } from 'migrator')",
      })
    }
    return (this.envCache = value)
  }

  envContext(): EnvContext {
    return { x: this.config.xArgs, section: this.config.section, ini: this.config.values, tag: this.tag }
  }

  /**
   * The database URL by DESIGN §2's precedence. For multidb, `database` names the section
   * whose URL to use.
   */
  async databaseUrl(database?: string): Promise<{ url: DatabaseUrl; display: string }> {
    let raw: string
    if (database) {
      if (this.options.url !== undefined) {
        throw new UsageError(`--url names one database, but this project migrates several (databases = ${this.databaseNames().join(', ')})`, {
          hint: `set each one with MIGRATOR_<NAME>_DATABASE_URL (for example ${databaseUrlEnvVar(database)}) or in its [${database}] section`,
        })
      }
      raw = this.config.databaseUrlOf(database)
    } else {
      const env = await this.environment()
      let fromEnv: string | undefined
      if (typeof env?.url === 'function') fromEnv = (await env.url(this.envContext())) ?? undefined
      else if (typeof env?.url === 'string') fromEnv = env.url
      raw = this.config.resolveDatabaseUrl(fromEnv).url
    }
    const url = parseDatabaseUrl(raw)
    if (url.password) this.secrets.push(url.password)
    if (url.dialect === 'sqlite' && url.filename && url.filename !== ':memory:' && !path.isAbsolute(url.filename)) {
      // Relative SQLite paths are relative to the working directory, as in SQLAlchemy.
      return { url: { ...url, filename: path.resolve(this.cwd, url.filename) }, display: maskUrl(raw) }
    }
    return { url, display: maskUrl(raw) }
  }

  async dialectFor(database?: string): Promise<Dialect> {
    return loadDialect((await this.databaseUrl(database)).url.dialect)
  }

  async connect(database?: string): Promise<Connection> {
    const { url } = await this.databaseUrl(database)
    const timeout = Number(url.query['connect_timeout'] ?? this.env['MIGRATOR_CONNECT_TIMEOUT'] ?? 10)
    const connection = await (await loadDialect(url.dialect)).connect(url, { connectTimeoutSeconds: timeout })
    if (this.closed) {
      // Opened in the background while the command failed: an open socket would keep the process alive.
      await connection.close().catch(() => undefined)
      throw new CommandError('closed', 'the command ended while a connection was being opened')
    }
    this.connections.push(connection)
    if (this.countsQueries) {
      const query = connection.query.bind(connection)
      connection.query = (sql, params) => {
        this.queryCount++
        return query(sql, params)
      }
    }
    return connection
  }

  /** `MIGRATOR_DEBUG_QUERY_COUNT=1`: the CLI prints how many queries the command sent (benchmarks). */
  get countsQueries(): boolean {
    const flag = this.env['MIGRATOR_DEBUG_QUERY_COUNT']
    return flag !== undefined && flag !== '' && flag !== '0'
  }

  private closed = false

  async close(): Promise<void> {
    this.closed = true
    const open = this.connections.splice(0)
    await Promise.all(open.map((connection) => connection.close().catch(() => undefined)))
  }
}

function fileExists(file: string): boolean {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}
