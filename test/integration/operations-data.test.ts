/**
 * Live tests of the data directives (execute, bulkInsert, connection, autocommitBlock, invoke) and
 * of `--sql` mode: the same operations written as a script by an `OfflineExecutor` and run on a
 * fresh database give the same catalog, and the same rows, as running them online.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  boolean,
  check,
  enumType,
  index,
  integer,
  json,
  MetaData,
  OperationFactory,
  sql,
  text,
  timestamp,
  unique,
  varchar,
  Operations,
} from '../../src/index.js'
import { CommandError } from '../../src/errors.js'
import { column, offlineScript, openOperations, readCatalog, readTable, scriptStatements, type LiveOperations } from '../support/catalog.js'
import { createTestDatabase, describeEachDialect, type TestDatabase, type TestDialect } from '../support/databases.js'

const factory = new OperationFactory()

/**
 * One migration using most directives, the way a revision would; works online and with `--sql`.
 * SQLite changes that rebuild the table name the table as it is (`copyFrom`): `--sql` cannot read it.
 */
async function scenario(op: Operations, dialect: TestDialect): Promise<void> {
  await op.createTable('s_authors', {
    id: integer().primaryKey().autoincrement(),
    email: varchar(120).notNull().unique('uq_s_authors_email'),
    status: enumType('s_author_status', ['active', 'banned']).notNull().default('active'),
    created_at: timestamp().notNull().default(sql`CURRENT_TIMESTAMP`),
  }, { comment: "The authors' table" })
  await op.createTable('s_posts', {
    id: integer().primaryKey(),
    author_id: integer().notNull().references('s_authors.id', { name: 'fk_s_posts_author', onDelete: 'cascade' }),
    title: varchar(200).notNull().comment('Shown in lists'),
    body: text(),
    score: integer().notNull().default(0),
  }, {
    checks: [check('ck_s_posts_score', sql`score >= 0`)],
    indexes: [index('ix_s_posts_author').on('author_id'), index('ix_s_posts_title').on('title').unique()],
  })
  await op.bulkInsert('s_authors', [
    { id: 1, email: 'ann@example.com' },
    { id: 2, email: "o'brien@example.com", status: 'banned' },
  ])
  await op.bulkInsert('s_posts', [
    { id: 1, author_id: 1, title: 'Hello', body: 'a\\b', score: 3 },
    { id: 2, author_id: 2, title: "It's me", body: null },
  ])
  await op.addColumn('s_posts', 'published', boolean().notNull().default(false))
  await op.addColumn('s_posts', 'meta', json())
  await op.execute('UPDATE s_posts SET published = :yes, meta = :meta WHERE id = :id', { yes: true, meta: JSON.stringify({ tags: ["it's"] }), id: 1 })
  await op.createIndex('ix_s_posts_published', 's_posts', ['published', 'score'])
  await op.renameTable('s_posts', 's_articles')
  await op.alterColumn('s_articles', 'body', { newColumnName: 'content' })
  await op.createTableComment('s_articles', 'Articles, formerly posts')
  await op.dropIndex('ix_s_posts_published', 's_articles')
  if (dialect === 'sqlite') {
    const articles = new MetaData().table('s_articles', {
      id: integer().primaryKey(),
      author_id: integer().notNull().references('s_authors.id', { onDelete: 'cascade' }),
      title: varchar(200).notNull(),
      content: text(),
      score: integer().notNull().default(0),
      published: boolean().notNull().default(false),
      meta: json(),
    }, { checks: [check('ck_s_posts_score', sql`score >= 0`)], indexes: [index('ix_s_posts_author').on('author_id'), index('ix_s_posts_title').on('title').unique()] })
    await op.batchAlterTable('s_articles', (batch) => {
      batch.alterColumn('title', { type: varchar(250) })
      batch.createUniqueConstraint('uq_s_articles_author_title', ['author_id', 'title'])
      batch.createCheckConstraint('ck_s_articles_title', "title <> ''")
    }, { copyFrom: articles })
  } else {
    await op.alterColumn('s_articles', 'title', { type: varchar(250), existingType: varchar(200), existingNullable: false, existingServerDefault: null, existingComment: 'Shown in lists' })
    await op.createUniqueConstraint('uq_s_articles_author_title', 's_articles', ['author_id', 'title'])
    await op.createCheckConstraint('ck_s_articles_title', 's_articles', "title <> ''")
    await op.dropConstraint('ck_s_posts_score', 's_articles', { type: 'check' })
    await op.dropColumn('s_articles', 'meta')
  }
  if (dialect === 'postgresql') {
    await op.createEnum('s_mood', ['calm'])
    await op.addEnumValue('s_mood', 'busy')
    await op.addColumn('s_articles', 'mood', enumType('s_mood', ['calm', 'busy']))
  }
  await op.execute(sql`UPDATE s_authors SET email = lower(email) WHERE id = ${2}`)
}

describeEachDialect('operations: data and --sql', ({ dialect, url }) => {
  let live: LiveOperations

  beforeAll(async () => {
    live = await openOperations(url())
  })
  afterAll(async () => {
    await live?.close()
  })

  it('execute: SQL text with :name parameters (bound), sql fragments, rows returned; a missing parameter is named', async () => {
    await live.op.createTable('ex', { id: integer().primaryKey(), name: varchar(50), data: text() })
    await live.op.execute("INSERT INTO ex (id, name, data) VALUES (:id, :name, 'literal :not_a_param')", { id: 1, name: "it's :x" })
    await live.op.execute('INSERT INTO ex (id, name, data) VALUES (:id, :name, :data)', { id: 2, name: 'two', data: { nested: ['json'] } })
    await live.op.execute(sql`INSERT INTO ${sql.identifier('ex')} (id, name) VALUES (${3}, ${"o'neil"})`)
    const result = await live.op.execute('SELECT id, name, data FROM ex WHERE id >= :min ORDER BY id', { min: 1 })
    expect(result.rows).toEqual([
      { id: 1, name: "it's :x", data: 'literal :not_a_param' },
      { id: 2, name: 'two', data: '{"nested":["json"]}' },
      { id: 3, name: "o'neil", data: null },
    ])
    expect((await live.op.execute('SELECT COUNT(*) AS n FROM ex WHERE name = :a OR name = :a', { a: 'two' })).rows.map((r) => Number(r['n']))).toEqual([1])
    if (dialect === 'postgresql') expect((await live.op.execute('SELECT :v::int + 1 AS n', { v: '41' })).rows).toEqual([{ n: 42 }])
    await expect(live.op.execute('SELECT :a, :b', { a: 1 })).rejects.toThrow(/'b'/)
    await expect(live.op.execute(sql`SELECT 1`, { a: 1 })).rejects.toThrow(/sql fragment/)
  })

  it('bulkInsert: many rows, mixed columns, nulls, JSON, dates, booleans; bound online', async () => {
    await live.op.createTable('bulk', { id: integer().primaryKey(), label: varchar(20), flag: boolean(), doc: json(), at: timestamp() })
    const many = Array.from({ length: 2500 }, (_, i) => ({ id: i + 1, label: `row ${i + 1}` }))
    await live.op.bulkInsert('bulk', many)
    await live.op.bulkInsert('bulk', [
      { id: 5000, label: null, flag: true, doc: { a: [1, "it's"] }, at: new Date('2024-02-03T04:05:06Z') },
      { id: 5001, flag: false },
    ], { multiInsert: false })
    await live.op.bulkInsert('bulk', [])
    const [count] = await live.query('SELECT COUNT(*) AS n FROM bulk')
    expect(Number(count!['n'])).toBe(2502)
    const [special] = await live.query('SELECT label, flag, doc FROM bulk WHERE id = 5000')
    expect(special!['label']).toBeNull()
    expect(Boolean(special!['flag'])).toBe(true)
    const doc = typeof special!['doc'] === 'string' ? JSON.parse(special!['doc'] as string) : special!['doc']
    expect(doc).toEqual({ a: [1, "it's"] })
    const [at] = await live.query(dialect === 'postgresql' ? "SELECT to_char(at, 'YYYY-MM-DD HH24:MI:SS') AS at FROM bulk WHERE id = 5000" : 'SELECT at FROM bulk WHERE id = 5000')
    expect(String(at!['at'] instanceof Date ? (at!['at'] as Date).toISOString() : at!['at'])).toMatch(/^2024-02-03[ T]04:05:06/)
  })

  it('connection: the live connection for data migrations; none in --sql mode', async () => {
    await live.op.createTable('conn', { id: integer().primaryKey() })
    const placeholder = live.connection.dialect.placeholder(1)
    await live.op.connection.query(`INSERT INTO conn (id) VALUES (${placeholder})`, [7])
    expect((await live.op.connection.query('SELECT id FROM conn')).rows).toEqual([{ id: 7 }])
    expect(live.op.connection.raw).toBeTruthy()
    expect(live.op.dialect).toBe(dialect)
    expect(live.op.offline).toBe(false)
    await offlineScript(dialect, async (op) => {
      expect(op.offline).toBe(true)
      expect(() => op.connection).toThrow(CommandError)
    })
  })

  it('autocommitBlock commits the transaction, runs the block outside it, and begins again', async () => {
    const session = await openOperations(url())
    const calls: string[] = []
    const dialectObject = session.connection.dialect
    try {
      await session.op.createTable('auto', { id: integer().primaryKey() })
      await session.query(dialectObject.beginTransactionSql())
      const inTransaction = new Operations(session.executor, {
        transactional: dialectObject.transactionalDdl,
        autocommit: async (block) => {
          calls.push('commit')
          await session.query(dialectObject.commitSql())
          await block()
          calls.push('begin')
          await session.query(dialectObject.beginTransactionSql())
        },
      })
      await inTransaction.bulkInsert('auto', [{ id: 1 }])
      await inTransaction.autocommitBlock(async () => {
        calls.push('block')
        await inTransaction.bulkInsert('auto', [{ id: 2 }])
        await inTransaction.autocommitBlock(async () => {
          calls.push('nested')
        })
      })
      await inTransaction.bulkInsert('auto', [{ id: 3 }])
      await session.query(dialectObject.rollbackSql())
      expect(calls).toEqual(['commit', 'block', 'nested', 'begin'])
      expect((await session.query('SELECT id FROM auto ORDER BY id')).map((r) => r['id'])).toEqual([1, 2])
    } finally {
      await session.close()
    }
    // Without a runner, the block just runs.
    await live.op.autocommitBlock(async () => {
      await live.op.bulkInsert('auto', [{ id: 10 }])
    })
    expect((await live.query('SELECT id FROM auto WHERE id = 10')).length).toBe(1)
  })

  /**
   * Backslashes in every kind of literal the operations write: a default, comments, enum values, a
   * sql fragment's value, a bulk insert, SQL text read around a string ending in a backslash. On
   * MySQL also in a session whose sql_mode has NO_BACKSLASH_ESCAPES (there `'\\'` is two
   * backslashes), set by the revision itself, and back: each statement is written as the session
   * reads it when it runs.
   */
  it('backslashes in defaults, comments, enum values and data read back as written, whatever the MySQL sql_mode', async () => {
    const value = "C:\\dir\\it's\\"
    const modes = dialect === 'mysql' ? ['NO_BACKSLASH_ESCAPES', 'default'] : ['default']
    const sqlMode = async (mode: string): Promise<void> => {
      if (dialect !== 'mysql') return
      if (mode === 'default') await live.op.execute("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')")
      else await live.op.execute("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')")
    }
    for (const mode of modes) {
      await sqlMode(mode)
      const table = `bs_${mode === 'default' ? 'plain' : 'nbe'}`
      await live.op.createTable(table, {
        id: integer().primaryKey(),
        path: varchar(40).notNull().default(value).comment(value),
        kind: enumType(`${table}_kind`, ['a\\b', 'c']).default('a\\b'),
      }, { comment: value })
      await live.op.execute(`INSERT INTO ${table} (id) VALUES (1)`)
      await live.op.execute(sql`INSERT INTO ${sql.identifier(table)} (id, path) VALUES (${2}, ${`${value}2`})`)
      await live.op.bulkInsert(table, [{ id: 3, path: `${value}3`, kind: 'c' }])
      await live.op.execute(`INSERT INTO ${table} (id, path) VALUES (:id, :path)`, { id: 4, path: `${value}4` })
      if (mode === 'NO_BACKSLASH_ESCAPES') {
        // `'x\'` is a whole string here: the parameters after it are found, and none in the string after it.
        await live.op.execute("UPDATE bs_nbe SET path = CONCAT('x\\', :suffix) WHERE id = :id", { suffix: '!', id: 4 })
        await live.op.execute("INSERT INTO bs_nbe (id, path) VALUES (:id, CONCAT('C:\\', ':notaparam'))", { id: 6 })
        expect(await live.query('SELECT path FROM bs_nbe WHERE id = 6')).toEqual([{ path: 'C:\\:notaparam' }])
        await live.op.execute('DELETE FROM bs_nbe WHERE id = 6')
      }
      // MySQL keeps NUL and Ctrl-Z in text, escaped only where backslashes escape.
      if (dialect === 'mysql') await live.op.execute(sql`INSERT INTO ${sql.identifier(table)} (id, path) VALUES (${5}, ${'n\0z\x1a\\'})`)
      const rows = await live.query(`SELECT id, path, kind FROM ${table} ORDER BY id`)
      expect(rows.map((r) => [r['id'], r['path'], r['kind']])).toEqual([
        [1, value, 'a\\b'],
        [2, `${value}2`, 'a\\b'],
        [3, `${value}3`, 'c'],
        [4, mode === 'NO_BACKSLASH_ESCAPES' ? 'x\\!' : `${value}4`, 'a\\b'],
        ...(dialect === 'mysql' ? [[5, 'n\0z\x1a\\', 'a\\b']] : []),
      ])
      if (dialect !== 'sqlite') {
        const info = await readTable(dialect, live.query, table)
        expect(info.comment).toBe(value)
        expect(column(info, 'path').comment).toBe(value)
      }
    }
  })

  /**
   * `:name` parameters after text the dialect does not read as code, each holding a quote or a
   * `:word`: MySQL's `#` comment, PostgreSQL's dollar-quoted string, SQLite's [identifier]. Online
   * (bound) and in a `--sql` script (written as literals), the statement stores the same row.
   */
  it('execute finds :name parameters past each dialect\'s comments and quoted text', async () => {
    await live.op.createTable('scan', { id: integer().primaryKey(), note: varchar(60) })
    const statements: Record<TestDialect, string> = {
      mysql: "INSERT INTO scan (id, note) VALUES (:id, # it's :no\n CONCAT(:note, '-', 5--1))",
      postgresql: "INSERT INTO scan (id, note) VALUES (:id, $q$it's :no$q$ || /* /* */ :no */ :note)",
      sqlite: "INSERT INTO scan ([id], `note`) SELECT :id, :note || [x:no] || `y:no` FROM (SELECT ' it''s' AS [x:no], '!' AS `y:no`) -- it's :no",
    }
    const expected: Record<TestDialect, string> = { mysql: 'x-6', postgresql: "it's :nox", sqlite: "x it's!" }
    await live.op.execute(statements[dialect], { id: 1, note: 'x' })
    const script = await offlineScript(dialect, async (op) => {
      await op.execute(statements[dialect], { id: 2, note: 'x' })
    })
    for (const statement of scriptStatements(script)) await live.query(statement)
    expect(await live.query('SELECT id, note FROM scan ORDER BY id')).toEqual([
      { id: 1, note: expected[dialect] },
      { id: 2, note: expected[dialect] },
    ])
  })

  /**
   * mysql2 keeps a statement prepared once and reuses it for the same text: prepared before
   * NO_BACKSLASH_ESCAPES was set, it would read `'a\\b'` as before (one backslash). Each reads as
   * its session does when it runs.
   */
  it('the same execute text with a backslash reads as the sql_mode of the moment (MySQL)', async () => {
    if (dialect !== 'mysql') return
    await live.op.createTable('modes', { id: integer().primaryKey(), v: varchar(10) })
    const insert = "INSERT INTO modes (id, v) VALUES (:id, 'a\\\\b')"
    await live.op.execute(insert, { id: 1 })
    await live.op.execute("SET SESSION sql_mode = CONCAT(@@SESSION.sql_mode, ',NO_BACKSLASH_ESCAPES')")
    await live.op.execute(insert, { id: 2 })
    await live.op.execute("SET SESSION sql_mode = REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', '')")
    await live.op.execute(insert, { id: 3 })
    expect(await live.query('SELECT id, v FROM modes ORDER BY id')).toEqual([
      { id: 1, v: 'a\\b' },
      { id: 2, v: 'a\\\\b' },
      { id: 3, v: 'a\\b' },
    ])
  })

  it('invoke runs operation objects; anything else is refused', async () => {
    await live.op.invoke(factory.createTable('invoked', { id: integer().primaryKey(), v: varchar(5) }, { uniques: [unique('uq_invoked_v').on('v')] }))
    await live.op.invoke(factory.bulkInsert('invoked', [{ id: 1, v: 'x' }]))
    expect(await live.query('SELECT id, v FROM invoked')).toEqual([{ id: 1, v: 'x' }])
    await expect(live.op.invoke({ kind: 'createTable' } as never)).rejects.toThrow(/operation object/)
  })

  it('--sql: the script of a migration, run on a fresh database, gives the catalog and rows of running it online', async () => {
    await live.op.execute('SELECT 1')
    const online: TestDatabase | null = await createTestDatabase(dialect)
    const offline: TestDatabase | null = await createTestDatabase(dialect)
    expect(online).not.toBeNull()
    expect(offline).not.toBeNull()
    const a = await openOperations(online!.url)
    const b = await openOperations(offline!.url)
    try {
      await scenario(a.op, dialect)
      const script = await offlineScript(dialect, (op) => scenario(op, dialect))
      expect(script).not.toMatch(/\$\d|\?|:yes|:meta/)
      for (const statement of scriptStatements(script)) await b.query(statement)
      const expected = await readCatalog(dialect, a.query)
      expect(Object.keys(expected.tables)).toEqual(['s_articles', 's_authors'])
      expect(await readCatalog(dialect, b.query)).toEqual(expected)
      const rows = (q: LiveOperations) => q.query('SELECT a.id, a.title, a.content, a.published, s.email, s.status FROM s_articles a JOIN s_authors s ON s.id = a.author_id ORDER BY a.id')
      const onlineRows = await rows(a)
      expect(onlineRows).toHaveLength(2)
      expect(onlineRows[0]).toMatchObject({ title: 'Hello', content: 'a\\b', email: 'ann@example.com', status: 'active' })
      expect(onlineRows[1]).toMatchObject({ title: "It's me", content: null, email: "o'brien@example.com", status: 'banned' })
      expect(await rows(b)).toEqual(onlineRows)
    } finally {
      await a.close()
      await b.close()
      await online?.drop()
      await offline?.drop()
    }
  })
})
