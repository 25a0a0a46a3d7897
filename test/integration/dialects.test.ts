import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseDatabaseUrl } from '../../src/config/database-url.js'
import type { Connection, DatabaseUrl, Dialect } from '../../src/dialects/dialect.js'
import { cleanDriverMessage } from '../../src/dialects/dialect-errors.js'
import { QueryError, getDialect, loadDialect } from '../../src/dialects/index.js'
import { advisoryLockId } from '../../src/dialects/postgres/postgres-dialect.js'
import { MysqlDialect, mysqlLockName } from '../../src/dialects/mysql/mysql-dialect.js'
import { DatabaseError } from '../../src/errors.js'
import { ALL_DIALECTS, describeEachDialect, type TestDialect } from '../support/databases.js'

/** Driver files loaded by importing this file's modules, before any connect(). */
const driversLoadedAtImport = Object.keys(createRequire(import.meta.url).cache).filter((file) =>
  /node_modules[\\/](pg|mysql2|better-sqlite3)[\\/]/.test(file),
)

const NASTY_STRINGS = [
  "it's",
  'a\\b',
  "\\'",
  "\\\\'",
  'line one\nline two\r\n\ttabbed',
  'naïve ünïcödé — таблица 表 🚀',
  "'; DROP TABLE victim; --",
  "\\'; DROP TABLE victim; --",
  '"double" `back` \'single\'',
  '',
  '? $1 :name %s',
  'ctrl-z \x1a end',
]

/** Identifiers that need quoting: quotes of every dialect, spaces, reserved words, case, non-ASCII. */
const NASTY_TABLE = 'we"ird`tab\'le order'
const NASTY_COLUMNS = ['a"b', 'c`d', "e'f", 'Mixed Case', 'order', 'naïve_таблица'] as const

const NUMBER_TYPE: Record<TestDialect, string> = { postgresql: 'INTEGER', mysql: 'INT', sqlite: 'INTEGER' }
const TEXT_CAST: Record<TestDialect, string> = { postgresql: 'TEXT', mysql: 'CHAR', sqlite: 'TEXT' }

function sqlFor(dialect: Dialect, template: (p: (i: number) => string) => string): string {
  return template((i) => dialect.placeholder(i))
}

async function timed<T>(work: () => Promise<T>): Promise<{ seconds: number; result: PromiseSettledResult<T> }> {
  const start = performance.now()
  const [result] = await Promise.allSettled([work()])
  return { seconds: (performance.now() - start) / 1000, result: result! }
}

function rejection(settled: PromiseSettledResult<unknown>): DatabaseError {
  if (settled.status !== 'rejected') throw new Error('expected the promise to reject')
  expect(settled.reason).toBeInstanceOf(DatabaseError)
  return settled.reason as DatabaseError
}

describe('dialect SQL spelling (no database)', () => {
  it('loadDialect and getDialect give the one instance of each dialect, whichever comes first', async () => {
    const [a, b] = await Promise.all([loadDialect('mysql'), loadDialect('mysql')])
    expect(a).toBe(b)
    expect(getDialect('mysql')).toBe(a)
    const sqlite = getDialect('sqlite')
    expect(await loadDialect('sqlite')).toBe(sqlite)
    expect((await loadDialect('postgresql')).name).toBe('postgresql')
  })

  const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))
  const expected: Record<
    TestDialect,
    { id: string; qualified: string; quote: string; backslash: string; bool: string; bytes: string; date: string; p2: string; begin: string }
  > = {
    postgresql: {
      id: '"a""b`c"',
      qualified: '"my schema"."t"',
      quote: "'it''s'",
      backslash: "E'a\\\\b'",
      bool: 'TRUE',
      bytes: "'\\x00ff'::bytea",
      date: "'2024-01-02 03:04:05.678+00:00'",
      p2: '$2',
      begin: 'BEGIN',
    },
    mysql: {
      id: '`a"b``c`',
      qualified: '`my schema`.`t`',
      quote: "'it''s'",
      backslash: "'a\\\\b'",
      bool: '1',
      bytes: "X'00ff'",
      date: "'2024-01-02 03:04:05.678'",
      p2: '?',
      begin: 'START TRANSACTION',
    },
    sqlite: {
      id: '"a""b`c"',
      qualified: '"my schema"."t"',
      quote: "'it''s'",
      backslash: "'a\\b'",
      bool: '1',
      bytes: "X'00ff'",
      date: "'2024-01-02 03:04:05.678'",
      p2: '?',
      begin: 'BEGIN IMMEDIATE',
    },
  }

  for (const name of ALL_DIALECTS) {
    it(`spells identifiers, literals and transactions for ${name}`, () => {
      const dialect = getDialect(name)
      const want = expected[name]
      expect(dialect.quoteIdentifier('a"b`c')).toBe(want.id)
      expect(dialect.quoteQualified('t', 'my schema')).toBe(want.qualified)
      expect(dialect.quoteQualified('t')).toBe(dialect.quoteIdentifier('t'))
      expect(dialect.literal("it's")).toBe(want.quote)
      expect(dialect.literal('a\\b')).toBe(want.backslash)
      expect(dialect.literal(true)).toBe(want.bool)
      expect(dialect.literal(Buffer.from([0, 255]))).toBe(want.bytes)
      expect(dialect.literal(date)).toBe(want.date)
      expect(dialect.literal(null)).toBe('NULL')
      expect(dialect.literal(undefined)).toBe('NULL')
      expect(dialect.literal(-12.5)).toBe('-12.5')
      expect(dialect.literal(12345678901234567890n)).toBe('12345678901234567890')
      expect(dialect.placeholder(2)).toBe(want.p2)
      expect(dialect.beginTransactionSql()).toBe(want.begin)
      expect(dialect.backslashEscapesInStrings).toBe(name === 'mysql')
      expect(dialect.createVersionTableSql({ table: 'migrator_version', schema: undefined })).toEqual([
        `CREATE TABLE IF NOT EXISTS ${dialect.quoteIdentifier('migrator_version')} (version_num VARCHAR(32) NOT NULL, ` +
          `CONSTRAINT ${dialect.quoteIdentifier('migrator_version_pkc')} PRIMARY KEY (version_num))`,
      ])
      expect(() => dialect.literal({ a: 1 })).toThrow(/no SQL literal/)
    })
  }

  it('escapes MySQL NUL and Ctrl-Z, and refuses NUL where the database cannot store it', () => {
    expect(getDialect('mysql').literal('a\0b\x1a')).toBe("'a\\0b\\Z'")
    // A session with NO_BACKSLASH_ESCAPES reads every character between the quotes as it is.
    expect(new MysqlDialect({ backslashEscapes: false }).literal("a\\b'\0\x1a")).toBe("'a\\b''\0\x1a'")
    expect(new MysqlDialect({ backslashEscapes: false }).backslashEscapesInStrings).toBe(false)
    expect(() => getDialect('postgresql').literal('a\0b')).toThrow(/NUL/)
    expect(() => getDialect('sqlite').literal('a\0b')).toThrow(/NUL/)
    expect(getDialect('postgresql').literal(Number.NaN)).toBe("'NaN'::double precision")
    expect(() => getDialect('mysql').literal(Number.POSITIVE_INFINITY)).toThrow(/no SQL literal/)
  })

  it('derives stable lock ids and short MySQL lock names', () => {
    expect(advisoryLockId('migrator_version')).toBe(advisoryLockId('migrator_version'))
    expect(advisoryLockId('a')).not.toBe(advisoryLockId('b'))
    expect(mysqlLockName('app', 'migrator_version')).toBe('app.migrator_version')
    const long = mysqlLockName('a'.repeat(60), 'migrator_version')
    expect(long.length).toBeLessThanOrEqual(64)
    expect(long).toBe(mysqlLockName('a'.repeat(60), 'migrator_version'))
  })

  it('masks the password, plain and percent-encoded, and keeps messages on one line', () => {
    const message = cleanDriverMessage("denied for 's3cr3t@pw'\n(url s3cr3t%40pw, S3CR3T%40PW? s3cr3t%40pw)", 's3cr3t@pw')
    expect(message).not.toContain('s3cr3t')
    expect(message).not.toContain('\n')
    expect(message).toContain("denied for '***'")
  })

  it('loads no driver when the dialects module is imported', () => {
    expect(driversLoadedAtImport).toEqual([])
  })
})

describe('connection failures (no server needed)', () => {
  let silent: Server
  let silentPort = 0
  const sockets = new Set<Socket>()

  beforeAll(async () => {
    // Accepts connections and never answers: the driver must give up after the connect timeout.
    silent = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => undefined)
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    silentPort = (silent.address() as { port: number }).port
  })

  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => silent.close(resolve))
  })

  for (const name of ['postgresql', 'mysql'] as const) {
    it(`${name}: a closed port fails at once, naming host:port and never the password`, async () => {
      const url = parseDatabaseUrl(`${name}://someone:s3cr3t%40pw@127.0.0.1:1/db`)
      const { seconds, result } = await timed(() => getDialect(name).connect(url, { connectTimeoutSeconds: 2 }))
      const error = rejection(result)
      expect(seconds).toBeLessThan(2.5)
      expect(error.code).toBe('database.connection_refused')
      expect(error.message).toContain('127.0.0.1:1')
      expect(error.message).not.toMatch(/s3cr3t/)
      expect(error.message).not.toContain('\n')
      expect(error.hint).toMatch(/server running/)
      expect(error.cause).toBeDefined()
    })

    it(`${name}: a server that never answers fails after the connect timeout`, async () => {
      const url = parseDatabaseUrl(`${name}://someone:s3cr3t%40pw@127.0.0.1:${silentPort}/db`)
      const { seconds, result } = await timed(() => getDialect(name).connect(url, { connectTimeoutSeconds: 1 }))
      const error = rejection(result)
      expect(seconds).toBeGreaterThanOrEqual(0.9)
      expect(seconds).toBeLessThan(2.5)
      expect(error.code).toBe('database.connect_timeout')
      expect(error.message).toBe(`cannot connect to ${name === 'mysql' ? 'MySQL' : 'PostgreSQL'} at 127.0.0.1:${silentPort}: no answer within 1 s`)
    })
  }

  it('the URL connect_timeout applies when the caller gives none', async () => {
    const url = parseDatabaseUrl(`postgresql://u@127.0.0.1:${silentPort}/db?connect_timeout=1`)
    const { seconds, result } = await timed(() => getDialect('postgresql').connect(url))
    expect(rejection(result).code).toBe('database.connect_timeout')
    expect(seconds).toBeLessThan(2.5)
  })

  it('sqlite: a missing directory names the file', async () => {
    const url = parseDatabaseUrl('sqlite:////nonexistent-dir-for-migrator/x.db')
    const error = rejection((await timed(() => getDialect('sqlite').connect(url))).result)
    expect(error.code).toBe('database.cannot_open')
    expect(error.message).toBe('cannot open SQLite database /nonexistent-dir-for-migrator/x.db: the directory does not exist')
  })

  it('sqlite: relative paths resolve against the working directory; sqlite:// is in memory', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'migrator-rel-'))
    const previous = process.cwd()
    try {
      process.chdir(directory)
      const connection = await getDialect('sqlite').connect(parseDatabaseUrl('sqlite:///rel.db'))
      process.chdir(previous)
      const files = await connection.query('SELECT file FROM pragma_database_list WHERE name = ?', ['main'])
      expect(files.rows[0]!['file']).toBe(join(directory, 'rel.db'))
      await connection.close()
      const memory = await getDialect('sqlite').connect(parseDatabaseUrl('sqlite://'))
      expect((await memory.query('SELECT file FROM pragma_database_list')).rows[0]!['file']).toBe('')
      expect((await memory.query('PRAGMA foreign_keys')).rows[0]).toEqual({ foreign_keys: 1 })
      await memory.close()
    } finally {
      process.chdir(previous)
      rmSync(directory, { recursive: true, force: true })
    }
  })
})

describeEachDialect('dialect', ({ dialect: name, url }) => {
  const dialect = getDialect(name)
  let parsed: DatabaseUrl
  let connection: Connection

  beforeAll(async () => {
    parsed = parseDatabaseUrl(url())
    connection = await dialect.connect(parsed)
    await connection.query(`CREATE TABLE victim (id ${NUMBER_TYPE[name]})`)
  })

  afterAll(async () => {
    await connection?.close()
  })

  it.runIf(name === 'postgresql')('leaves no navigator behind on Node 20 once pg is loaded (Node 21+ has its own)', () => {
    const major = Number(process.versions.node.split('.')[0])
    expect('navigator' in globalThis).toBe(major >= 21)
  })

  it('binds parameters', async () => {
    const result = await connection.query(
      sqlFor(dialect, (p) => `SELECT ${p(1)} AS a, CAST(${p(2)} AS ${TEXT_CAST[name]}) AS b, ${p(3)} AS c`),
      ['x', "it's ? $1", null],
    )
    expect(result.rows).toEqual([{ a: 'x', b: "it's ? $1", c: null }])
    expect(result.rowCount).toBe(1)
    const quotedMark = await connection.query(sqlFor(dialect, (p) => `SELECT '?' AS q, ${p(1)} AS v`), ['bound'])
    expect(quotedMark.rows).toEqual([{ q: '?', v: 'bound' }])
  })

  it('reports rowCount of INSERT, UPDATE, DELETE and SELECT', async () => {
    await connection.query(`CREATE TABLE counted (id ${NUMBER_TYPE[name]} PRIMARY KEY, name VARCHAR(50))`)
    const insertOne = sqlFor(dialect, (p) => `INSERT INTO counted (id, name) VALUES (${p(1)}, ${p(2)})`)
    expect((await connection.query(insertOne, [1, 'one'])).rowCount).toBe(1)
    expect((await connection.query("INSERT INTO counted (id, name) VALUES (2, 'two'), (3, 'three')")).rowCount).toBe(2)
    expect((await connection.query(sqlFor(dialect, (p) => `UPDATE counted SET name = ${p(1)} WHERE id >= ${p(2)}`), ['many', 2])).rowCount).toBe(2)
    // Rows matched, not only changed: the same value again still counts (MySQL CLIENT_FOUND_ROWS).
    expect((await connection.query("UPDATE counted SET name = 'many' WHERE id >= 2")).rowCount).toBe(2)
    expect((await connection.query('UPDATE counted SET name = NULL WHERE id = 99')).rowCount).toBe(0)
    expect((await connection.query('SELECT * FROM counted ORDER BY id')).rowCount).toBe(3)
    expect((await connection.query('DELETE FROM counted WHERE id < 3')).rowCount).toBe(2)
    const count = await connection.query('SELECT COUNT(*) AS n FROM counted')
    expect(count.rows).toEqual([{ n: 1 }])
  })

  it('quotes nasty identifiers end to end', async () => {
    const table = dialect.quoteIdentifier(NASTY_TABLE)
    const columns = NASTY_COLUMNS.map((column) => dialect.quoteIdentifier(column))
    await connection.query(`CREATE TABLE ${table} (${columns.map((column) => `${column} VARCHAR(100)`).join(', ')})`)
    const values = NASTY_COLUMNS.map((column) => `value of ${column}`)
    const insert = sqlFor(dialect, (p) => `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => p(i + 1)).join(', ')})`)
    expect((await connection.query(insert, values)).rowCount).toBe(1)
    const result = await connection.query(`SELECT ${columns.join(', ')} FROM ${table} WHERE ${columns[4]} = ${dialect.literal('value of order')}`)
    expect(result.rows).toEqual([Object.fromEntries(NASTY_COLUMNS.map((column, i) => [column, values[i]]))])

    const other = dialect.quoteIdentifier('naïve_таблица')
    await connection.query(`CREATE TABLE ${other} (${dialect.quoteIdentifier('Select')} INTEGER)`)
    await connection.query(`INSERT INTO ${other} VALUES (7)`)
    expect((await connection.query(`SELECT * FROM ${other}`)).rows).toEqual([{ Select: 7 }])
  })

  it('round-trips literal() of nasty strings through SELECT and INSERT (no injection)', async () => {
    await connection.query(`CREATE TABLE literal_values (id ${NUMBER_TYPE[name]} PRIMARY KEY, v VARCHAR(200))`)
    for (const [i, text] of NASTY_STRINGS.entries()) {
      const selected = await connection.query(`SELECT ${dialect.literal(text)} AS v`)
      expect(selected.rows, JSON.stringify(text)).toEqual([{ v: text }])
      await connection.query(`INSERT INTO literal_values (id, v) VALUES (${i}, ${dialect.literal(text)})`)
    }
    const stored = await connection.query('SELECT v FROM literal_values ORDER BY id')
    expect(stored.rows.map((row) => row['v'])).toEqual(NASTY_STRINGS)
    expect((await connection.query('SELECT COUNT(*) AS n FROM victim')).rows).toEqual([{ n: 0 }])
  })

  it('round-trips literal() of other values', async () => {
    const text = async (value: unknown) =>
      (await connection.query(`SELECT CAST(${dialect.literal(value)} AS ${TEXT_CAST[name]}) AS v`)).rows[0]!['v']
    expect(await text(42)).toBe('42')
    expect(await text(-7)).toBe('-7')
    expect(await text(9007199254740993n)).toBe('9007199254740993')
    expect(await text(false)).toBe(name === 'postgresql' ? 'false' : '0')
    expect((await connection.query(`SELECT ${dialect.literal(null)} AS v`)).rows).toEqual([{ v: null }])
    const bytes = Buffer.from([0, 1, 39, 92, 255])
    expect((await connection.query(`SELECT ${dialect.literal(bytes)} AS v`)).rows[0]!['v']).toEqual(bytes)
  })

  it('creates the version table once and finds it', async () => {
    const versionTable = { table: 'migrator_version', schema: undefined }
    expect(await dialect.versionTableExists(connection, versionTable)).toBe(false)
    for (const statement of dialect.createVersionTableSql(versionTable)) await connection.query(statement)
    for (const statement of dialect.createVersionTableSql(versionTable)) await connection.query(statement)
    expect(await dialect.versionTableExists(connection, versionTable)).toBe(true)
    const insert = sqlFor(dialect, (p) => `INSERT INTO ${dialect.quoteIdentifier('migrator_version')} (version_num) VALUES (${p(1)})`)
    await connection.query(insert, ['1975ea83b712'])
    await expect(connection.query(insert, ['1975ea83b712'])).rejects.toBeInstanceOf(QueryError)
    expect(await dialect.versionTableExists(connection, { table: 'no_such_table', schema: undefined })).toBe(false)
    // A name with a quote, a backslash and a non-ASCII letter.
    const odd = { table: "it's a \\ vérsion", schema: undefined }
    expect(await dialect.versionTableExists(connection, odd)).toBe(false)
    for (const statement of dialect.createVersionTableSql(odd)) await connection.query(statement)
    expect(await dialect.versionTableExists(connection, odd)).toBe(true)
  })

  it('creates and finds the version table in a named schema', async () => {
    const schemaName = { postgresql: 'Other Schema', mysql: parsed.database!, sqlite: 'aux' }[name]
    if (name === 'postgresql') await connection.query(`CREATE SCHEMA ${dialect.quoteIdentifier(schemaName)}`)
    if (name === 'sqlite') await connection.query("ATTACH DATABASE ':memory:' AS aux")
    const versionName = { table: 'Version "Table"', schema: schemaName }
    expect(await dialect.versionTableExists(connection, versionName)).toBe(false)
    for (const statement of dialect.createVersionTableSql(versionName)) await connection.query(statement)
    expect(await dialect.versionTableExists(connection, versionName)).toBe(true)
    const inDefault = await dialect.versionTableExists(connection, { table: 'Version "Table"', schema: undefined })
    expect(inDefault).toBe(name === 'mysql') // on MySQL the named schema is the current database
  })

  it('turns a failing statement into a one-line QueryError carrying the SQL', async () => {
    const sql = `SELECT * FROM no_such_table_here WHERE x = 1 ${'-- padding '.repeat(40)}`
    const error = await connection.query(sql).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(QueryError)
    const queryError = error as QueryError
    expect(queryError.code).toBe('database.query_failed')
    expect(queryError.message).toMatch(/no_such_table_here/)
    expect(queryError.message).not.toContain('\n')
    expect(queryError.sql.startsWith('SELECT * FROM no_such_table_here')).toBe(true)
    expect(queryError.sql.length).toBeLessThanOrEqual(200)
    expect(queryError.hint).toBeTruthy()
    expect(queryError.cause).toBeDefined()
  })

  it('reports a missing database', async () => {
    const missing = { ...parsed, database: 'migrator_no_such_database', filename: parsed.filename && '/nonexistent-dir-for-migrator/x.db' }
    const error = rejection((await timed(() => dialect.connect(missing, { connectTimeoutSeconds: 5 }))).result)
    if (name === 'sqlite') {
      expect(error.code).toBe('database.cannot_open')
      return
    }
    expect(error.code).toBe('database.unknown_database')
    expect(error.message).toContain(`${parsed.host}:${parsed.port}`)
    expect(error.message).toContain('migrator_no_such_database')
    expect(error.hint).toMatch(/does not exist/)
  })

  it.runIf(name === 'postgresql')('masks the password inside driver messages', async () => {
    const error = rejection(
      (await timed(() => dialect.connect({ ...parsed, password: 'hunter2pw', database: 'db_hunter2pw' }))).result,
    )
    expect(error.code).toBe('database.unknown_database')
    expect(error.message).toContain('db_***')
    expect(error.message).not.toContain('hunter2pw')
  })

  it.runIf(name === 'mysql')('reports bad credentials without the password', async () => {
    const bad = parseDatabaseUrl(`mysql://migrator_nobody:s3cr3t%40pw@${parsed.host}:${parsed.port}/${parsed.database}`)
    const error = rejection((await timed(() => dialect.connect(bad))).result)
    expect(error.code).toBe('database.authentication_failed')
    expect(error.message).toContain(`${parsed.host}:${parsed.port}`)
    expect(error.message).not.toMatch(/s3cr3t/i)
    expect(error.message).not.toContain('s3cr3t@pw')
    expect(error.hint).toMatch(/user and password/)
  })

  it.runIf(name !== 'sqlite')('holds the migration lock: a second connection waits, then times out or gets it', async () => {
    const second = await dialect.connect(parsed)
    try {
      await dialect.acquireMigrationLock(connection, 'migrator_version', 5)
      const { seconds, result } = await timed(() => dialect.acquireMigrationLock(second, 'migrator_version', 1))
      const error = rejection(result)
      expect(error.code).toBe('database.lock_timeout')
      expect(error.message).toMatch(/another migrator run holds the migration lock/)
      expect(seconds).toBeGreaterThanOrEqual(0.9)
      expect(seconds).toBeLessThan(4)
      // A different key is a different lock.
      await dialect.acquireMigrationLock(second, 'other_version_table', 1)
      await dialect.releaseMigrationLock(second, 'other_version_table')

      const waiting = timed(() => dialect.acquireMigrationLock(second, 'migrator_version', 10))
      await new Promise((resolve) => setTimeout(resolve, 500))
      await dialect.releaseMigrationLock(connection, 'migrator_version')
      const waited = await waiting
      expect(waited.result.status).toBe('fulfilled')
      expect(waited.seconds).toBeGreaterThanOrEqual(0.4)
      expect(waited.seconds).toBeLessThan(5)
      await dialect.releaseMigrationLock(second, 'migrator_version')
      // Released: the first connection takes it again at once; releasing twice is harmless.
      await dialect.acquireMigrationLock(connection, 'migrator_version', 0)
      await dialect.releaseMigrationLock(connection, 'migrator_version')
      await dialect.releaseMigrationLock(connection, 'migrator_version')
      if (name === 'postgresql') {
        expect((await second.query('SHOW lock_timeout')).rows).toEqual([{ lock_timeout: '0' }])
      }
    } finally {
      await second.close()
    }
  })

  it.runIf(name === 'sqlite')('has no lock of its own: BEGIN IMMEDIATE waits for another process to commit', async () => {
    await dialect.acquireMigrationLock(connection, 'migrator_version', 1)
    await dialect.releaseMigrationLock(connection, 'migrator_version')
    const holder = spawn(
      process.execPath,
      [
        '-e',
        `const db = new (require('better-sqlite3'))(process.argv[1]);
         db.exec('BEGIN IMMEDIATE'); db.exec('INSERT INTO victim VALUES (1)');
         console.log('locked');
         setTimeout(() => { db.exec('COMMIT'); db.close() }, 1000)`,
        parsed.filename!,
      ],
      { cwd: join(import.meta.dirname, '../..'), stdio: ['ignore', 'pipe', 'inherit'] },
    )
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()))
    const { seconds, result } = await timed(() => connection.query(dialect.beginTransactionSql()))
    expect(result.status).toBe('fulfilled')
    expect(seconds).toBeGreaterThanOrEqual(0.5)
    await connection.query('DELETE FROM victim')
    await connection.query(dialect.commitSql())
    await new Promise((resolve) => holder.on('close', resolve))
  })

  it.runIf(name === 'sqlite')('a writer that waits longer than ?timeout= gets a "locked" error', async () => {
    const impatient = await dialect.connect(parseDatabaseUrl(`${url()}?timeout=0`))
    await connection.query(dialect.beginTransactionSql())
    try {
      const error = await impatient.query(dialect.beginTransactionSql()).then(
        () => undefined,
        (thrown: unknown) => thrown,
      )
      expect(error).toBeInstanceOf(QueryError)
      expect((error as QueryError).code).toBe('database.locked')
      expect((error as QueryError).driverCode).toBe('SQLITE_BUSY')
    } finally {
      await connection.query(dialect.rollbackSql())
      await impatient.close()
    }
  })
})
