/**
 * Looks at a test database directly, through the drivers, to check what the CLI did.
 * Independent of the code under test: one short-lived connection per call.
 */
import type { TestDialect } from './databases.js'

export type Row = Record<string, unknown>

/** A statement runner on one open connection. */
type Session = (sql: string) => Promise<Row[]>

function serverConfig(url: string) {
  const parsed = new URL(url)
  return {
    host: decodeURIComponent(parsed.hostname.replace(/^\[|\]$/g, '')) || '127.0.0.1',
    port: parsed.port === '' ? undefined : Number(parsed.port),
    user: parsed.username === '' ? undefined : decodeURIComponent(parsed.username),
    password: parsed.password === '' ? undefined : decodeURIComponent(parsed.password),
    database: parsed.pathname.length > 1 ? decodeURIComponent(parsed.pathname.slice(1)) : undefined,
  }
}

/** The file of a `sqlite:///relative` or `sqlite:////absolute` URL. */
export function sqliteFile(url: string): string {
  const match = /^sqlite:\/\/\/(.*)$/.exec(url.split('?')[0]!)
  if (!match) throw new Error(`not a sqlite file URL: ${url}`)
  return match[1]!
}

async function withSession<T>(dialect: TestDialect, url: string, work: (run: Session) => Promise<T>): Promise<T> {
  if (dialect === 'sqlite') {
    const { default: Database } = await import('better-sqlite3')
    const db = new Database(sqliteFile(url), { timeout: 10_000 })
    try {
      return await work(async (sql) => {
        const statement = db.prepare(sql)
        if (statement.reader) return statement.all() as Row[]
        statement.run()
        return []
      })
    } finally {
      db.close()
    }
  }
  if (dialect === 'postgresql') {
    const { default: pg } = await import('pg')
    const client = new pg.Client(serverConfig(url))
    client.on('error', () => undefined)
    await client.connect()
    try {
      return await work(async (sql) => (await client.query(sql)).rows as Row[])
    } finally {
      await client.end().catch(() => undefined)
    }
  }
  const { default: mysql } = await import('mysql2/promise')
  const connection = await mysql.createConnection(serverConfig(url))
  connection.on('error', () => undefined)
  try {
    return await work(async (sql) => {
      const [rows] = await connection.query(sql)
      return Array.isArray(rows) ? (rows as Row[]) : []
    })
  } finally {
    await connection.end().catch(() => undefined)
  }
}

/** Runs one statement; returns its rows (none for a writer). */
export function query(dialect: TestDialect, url: string, sql: string): Promise<Row[]> {
  return withSession(dialect, url, (run) => run(sql))
}

/** Runs statements in order on one connection. */
export function queryAll(dialect: TestDialect, url: string, statements: readonly string[]): Promise<void> {
  return withSession(dialect, url, async (run) => {
    for (const sql of statements) await run(sql)
  })
}

/**
 * Runs an offline `--sql` script: statements end with `;` followed by a blank line; `-- ` comment
 * paragraphs are skipped.
 */
export function runScript(dialect: TestDialect, url: string, script: string): Promise<void> {
  const statements = script
    .split(/;\n\n/)
    .map((chunk) =>
      chunk
        .split('\n')
        .filter((line) => !line.startsWith('-- '))
        .join('\n')
        .trim(),
    )
    .filter((chunk) => chunk !== '')
  return queryAll(dialect, url, statements)
}

const TABLES_SQL: Record<TestDialect, (schema?: string) => string> = {
  sqlite: () => "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
  postgresql: (schema) =>
    `SELECT table_name AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = ${
      schema ? `'${schema}'` : 'current_schema()'
    }`,
  mysql: (schema) =>
    `SELECT table_name AS name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = ${
      schema ? `'${schema}'` : 'DATABASE()'
    }`,
}

/** The base tables of the database (PostgreSQL: of `schema`, default the current one), sorted. */
export async function listTables(dialect: TestDialect, url: string, schema?: string): Promise<string[]> {
  const rows = await query(dialect, url, TABLES_SQL[dialect](schema))
  return rows.map((row) => String(row['name'] ?? row['NAME'] ?? row['TABLE_NAME'])).sort()
}

function quote(dialect: TestDialect, name: string): string {
  return dialect === 'mysql' ? `\`${name.replaceAll('`', '``')}\`` : `"${name.replaceAll('"', '""')}"`
}

/** The version table's rows, sorted; [] when the table does not exist. */
export async function versionRows(dialect: TestDialect, url: string, table = 'migrator_version', schema?: string): Promise<string[]> {
  if (!(await listTables(dialect, url, schema)).includes(table)) return []
  const qualified = schema ? `${quote(dialect, schema)}.${quote(dialect, table)}` : quote(dialect, table)
  const rows = await query(dialect, url, `SELECT version_num FROM ${qualified}`)
  return rows.map((row) => String(row['version_num'])).sort()
}

/** Drops every table (and on PostgreSQL every schema but public, and public's contents). */
export function resetDatabase(dialect: TestDialect, url: string): Promise<void> {
  return withSession(dialect, url, async (run) => {
    if (dialect === 'postgresql') {
      const schemas = await run(
        "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' AND nspname <> 'information_schema'",
      )
      for (const row of schemas) await run(`DROP SCHEMA ${quote(dialect, String(row['nspname']))} CASCADE`)
      await run('CREATE SCHEMA public')
      return
    }
    const tables = await run(TABLES_SQL[dialect]())
    if (dialect === 'mysql') await run('SET FOREIGN_KEY_CHECKS = 0')
    for (const row of tables) await run(`DROP TABLE ${quote(dialect, String(row['name'] ?? row['TABLE_NAME']))}`)
    if (dialect === 'mysql') await run('SET FOREIGN_KEY_CHECKS = 1')
  })
}
