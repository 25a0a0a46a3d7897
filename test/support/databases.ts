/**
 * Test databases for integration tests: a fresh, uniquely named database per test file and dialect,
 * on the servers named by MIGRATOR_TEST_POSTGRES_URL and MIGRATOR_TEST_MYSQL_URL (SQLite: a temp
 * file). Uses the drivers directly, so it does not depend on the code under test.
 */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe } from 'vitest'

export type TestDialect = 'sqlite' | 'postgresql' | 'mysql'

export const ALL_DIALECTS: readonly TestDialect[] = ['sqlite', 'postgresql', 'mysql']

export interface TestDatabase {
  readonly url: string
  readonly dialect: TestDialect
  drop(): Promise<void>
}

const DEFAULT_SERVER_URLS = {
  postgresql: 'postgresql://postgres@127.0.0.1:5432/postgres',
  mysql: 'mysql://root@127.0.0.1:3306/test',
} as const

const LABELS: Record<TestDialect, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL', mysql: 'MySQL/MariaDB' }

/** Socket-level errors: the server is not there. Anything else (bad credentials…) is a real failure. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET'])

const CONNECT_TIMEOUT_MS = 5_000

/** The server URL used for `dialect` (from the environment, or the local default). */
export function serverUrl(dialect: 'postgresql' | 'mysql'): string {
  const variable = dialect === 'postgresql' ? 'MIGRATOR_TEST_POSTGRES_URL' : 'MIGRATOR_TEST_MYSQL_URL'
  return process.env[variable] || DEFAULT_SERVER_URLS[dialect]
}

/** Server URL with `database` as its path, everything else (user, password, query) kept. */
function withDatabase(server: string, database: string): string {
  const url = new URL(server)
  url.pathname = `/${database}`
  return url.toString()
}

function connectionConfig(server: string) {
  const url = new URL(server)
  return {
    host: decodeURIComponent(url.hostname.replace(/^\[|\]$/g, '')) || '127.0.0.1',
    port: url.port === '' ? undefined : Number(url.port),
    user: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    database: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
  }
}

function uniqueName(): string {
  return `migrator_test_${randomBytes(6).toString('hex')}`
}

/** The server is not there (refused, timed out, unknown host); anything else is a real failure. */
class Unreachable extends Error {}

function isUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true
  const inner = (error as { errors?: unknown }).errors
  if (Array.isArray(inner)) return inner.some(isUnreachable)
  return /timeout expired|connection timeout|Connection terminated unexpectedly/i.test(String((error as Error)?.message))
}

function unreachable(error: unknown): unknown {
  if (!isUnreachable(error)) return error
  return new Unreachable((error as Error).message || String((error as { code?: unknown }).code))
}

/** Runs `sql` statements on an admin connection to the server, in order; returns the last rows. */
type AdminSession = (sql: string) => Promise<Record<string, unknown>[]>

async function withPostgres<T>(work: (run: AdminSession) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ ...connectionConfig(serverUrl('postgresql')), connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
  client.on('error', () => undefined)
  try {
    await client.connect()
  } catch (error) {
    throw unreachable(error)
  }
  try {
    return await work(async (sql) => (await client.query(sql)).rows)
  } finally {
    await client.end().catch(() => undefined)
  }
}

async function withMysql<T>(work: (run: AdminSession) => Promise<T>): Promise<T> {
  const { default: mysql } = await import('mysql2/promise')
  let connection: Awaited<ReturnType<typeof mysql.createConnection>>
  try {
    connection = await mysql.createConnection({ ...connectionConfig(serverUrl('mysql')), connectTimeout: CONNECT_TIMEOUT_MS })
  } catch (error) {
    throw unreachable(error)
  }
  connection.on('error', () => undefined)
  try {
    return await work(async (sql) => {
      const [rows] = await connection.query(sql)
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : []
    })
  } finally {
    await connection.end().catch(() => undefined)
  }
}

const SERVERS = {
  postgresql: {
    session: withPostgres,
    create: (name: string) => `CREATE DATABASE "${name}"`,
    async drop(run: AdminSession, name: string) {
      const [version] = await run(`SELECT current_setting('server_version_num') AS v`)
      await run(`DROP DATABASE IF EXISTS "${name}"${Number(version!['v']) >= 130000 ? ' WITH (FORCE)' : ''}`)
    },
  },
  mysql: {
    session: withMysql,
    create: (name: string) => `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`,
    async drop(run: AdminSession, name: string) {
      await run(`DROP DATABASE IF EXISTS \`${name}\``)
    },
  },
} as const

/**
 * Creates a fresh, uniquely named database (sqlite: a temp file) for this test file; returns its
 * URL and a drop(). Null when the server cannot be reached.
 */
export async function createTestDatabase(dialect: TestDialect): Promise<TestDatabase | null> {
  const name = uniqueName()
  if (dialect === 'sqlite') {
    const directory = mkdtempSync(join(tmpdir(), 'migrator-test-'))
    return {
      url: `sqlite:///${join(directory, `${name}.db`)}`,
      dialect,
      drop: async () => rmSync(directory, { recursive: true, force: true }),
    }
  }
  const server = SERVERS[dialect]
  try {
    await server.session((run) => run(server.create(name)))
  } catch (error) {
    if (error instanceof Unreachable) return null
    throw error
  }
  return {
    url: withDatabase(serverUrl(dialect), name),
    dialect,
    drop: () => server.session((run) => server.drop(run, name)),
  }
}

const probes = new Map<TestDialect, Promise<string | undefined>>()

/** Why the dialect's server cannot be reached, or undefined when it can (probed once per process). */
function unreachableReason(dialect: TestDialect): Promise<string | undefined> {
  if (dialect === 'sqlite') return Promise.resolve(undefined)
  let probe = probes.get(dialect)
  if (probe === undefined) {
    probe = SERVERS[dialect].session(async () => undefined).then(
      () => undefined,
      (error: unknown) => {
        if (!(error instanceof Unreachable)) return undefined // not a reachability problem: let the tests report it
        return `${LABELS[dialect]} not reachable at ${new URL(serverUrl(dialect)).host} (${error.message})`
      },
    )
    probes.set(dialect, probe)
  }
  return probe
}

/**
 * describe-block helper: for each dialect, creates the database in beforeAll, drops it in afterAll.
 * A server that cannot be reached is skipped with a loud console line
 * (`*** SKIPPED: PostgreSQL not reachable at … ***`), except when process.env.CI === 'true', where
 * the tests FAIL. Call `url()` inside hooks and tests, not while the suite is being collected.
 */
export function describeEachDialect(title: string, body: (ctx: { dialect: TestDialect; url: () => string }) => void): void {
  for (const dialect of ALL_DIALECTS) {
    describe(`${title} [${dialect}]`, async () => {
      const reason = await unreachableReason(dialect)
      let database: TestDatabase | undefined
      const url = (): string => {
        if (database === undefined) throw new Error(`no ${LABELS[dialect]} test database: call url() inside a hook or test`)
        return database.url
      }
      if (reason !== undefined && process.env['CI'] !== 'true') {
        console.warn(`\n*** SKIPPED: ${reason} ***\n`)
        describe.skip(reason, () => body({ dialect, url }))
        return
      }
      beforeAll(async () => {
        database = (await createTestDatabase(dialect)) ?? undefined
        if (database === undefined) {
          throw new Error(`${reason ?? `${LABELS[dialect]} not reachable`}; CI=true requires every server`)
        }
      })
      afterAll(async () => {
        await database?.drop()
      })
      body({ dialect, url })
    })
  }
}
