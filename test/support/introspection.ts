/**
 * Helpers for the introspection tests: a fresh database on one dialect's server for a describe
 * block, DDL from the models run through the dialect's compiler, and a connection that counts its
 * queries.
 */
import { afterAll, beforeAll, describe } from 'vitest'
import { parseDatabaseUrl } from '../../src/config/database-url.js'
import type { Connection, Dialect, QueryResult } from '../../src/dialects/dialect.js'
import { getDialect } from '../../src/dialects/index.js'
import type { DdlCompiler } from '../../src/dialects/ddl-compiler.js'
import { MysqlDdlCompiler } from '../../src/dialects/mysql/mysql-ddl-compiler.js'
import { PostgresDdlCompiler } from '../../src/dialects/postgres/postgres-ddl-compiler.js'
import { SqliteDdlCompiler } from '../../src/dialects/sqlite/sqlite-ddl-compiler.js'
import { CreateTableOp, type Operation } from '../../src/operations/ops.js'
import type { TableSpec } from '../../src/schema/spec.js'
import { createTestDatabase, type TestDatabase } from './databases.js'

export interface ServerContext {
  /** The test database's URL (inside hooks and tests). */
  url(): string
  /** An open connection to it (inside hooks and tests). */
  connection(): Connection
  readonly dialect: Dialect
}

const LABELS = { postgresql: 'PostgreSQL', mysql: 'MySQL/MariaDB' } as const

/**
 * A describe block on one server dialect with its own fresh database and an open connection. An
 * unreachable server skips the block with a loud line, except under CI=true where it fails.
 */
export function describeOnServer(dialectName: 'postgresql' | 'mysql', title: string, body: (ctx: ServerContext) => void): void {
  describe(`${title} [${dialectName}]`, async () => {
    const dialect = getDialect(dialectName)
    const database: TestDatabase | null = await createTestDatabase(dialectName)
    if (database === null) {
      const reason = `${LABELS[dialectName]} not reachable`
      if (process.env['CI'] === 'true') {
        beforeAll(() => {
          throw new Error(`${reason}; CI=true requires every server`)
        })
      } else {
        console.warn(`\n*** SKIPPED: ${reason} ***\n`)
        describe.skip(reason, () => body({ dialect, url: () => '', connection: () => undefined as never }))
        return
      }
    }
    let connection: Connection | undefined
    beforeAll(async () => {
      if (database !== null) connection = await dialect.connect(parseDatabaseUrl(database.url))
    })
    afterAll(async () => {
      await connection?.close()
      await database?.drop()
    })
    body({
      dialect,
      url: () => database!.url,
      connection: () => {
        if (connection === undefined) throw new Error('no connection: call connection() inside a hook or test')
        return connection
      },
    })
  })
}

/** Runs the statements of each operation, compiled by the connection's dialect. */
export async function runOperations(connection: Connection, operations: readonly Operation[]): Promise<void> {
  const compiler = compilerFor(connection.dialect)
  for (const op of operations) {
    for (const statement of compiler.compile(op)) await connection.query(statement)
  }
}

/** The DDL compiler of a dialect. */
export function compilerFor(dialect: Dialect): DdlCompiler {
  if (dialect.name === 'postgresql') return new PostgresDdlCompiler(dialect)
  if (dialect.name === 'mysql') return new MysqlDdlCompiler(dialect)
  return new SqliteDdlCompiler(dialect)
}

/** Creates the tables, in the order given (parents first). */
export async function createTables(connection: Connection, specs: readonly TableSpec[]): Promise<void> {
  await runOperations(
    connection,
    specs.map((table) => new CreateTableOp({ table })),
  )
}

/** Runs SQL statements as they are. */
export async function runSql(connection: Connection, statements: readonly string[]): Promise<void> {
  for (const statement of statements) await connection.query(statement)
}

/** `connection` with a counter of the queries sent through it. */
export function countingConnection(connection: Connection): Connection & { readonly count: number; reset(): void } {
  let count = 0
  return {
    get dialect() {
      return connection.dialect
    },
    get raw() {
      return connection.raw
    },
    get count() {
      return count
    },
    reset() {
      count = 0
    },
    query(sql: string, params?: readonly unknown[]): Promise<QueryResult> {
      count++
      return connection.query(sql, params)
    },
    close: () => connection.close(),
  }
}
