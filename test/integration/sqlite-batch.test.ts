/**
 * SQLite copy-and-move (`runSqliteBatch`), on temp files: every rebuild keeps every row, by content;
 * a failure at any step leaves the table, its rows and the whole catalog exactly as they were.
 * Driven directly with an `OnlineExecutor`, through `MigrationRunner` (foreign keys off for the run,
 * checked before COMMIT), offline with `copyFrom`, and through the CLI with `op`.
 */
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { parseDatabaseUrl } from '../../src/config/database-url.js'
import type { Connection } from '../../src/dialects/dialect.js'
import { reflectSqliteTable } from '../../src/dialects/sqlite/sqlite-table-reflector.js'
import { SqliteDialect } from '../../src/dialects/sqlite/sqlite-dialect.js'
import { runSqliteBatch } from '../../src/operations/batch.js'
import { OperationFactory } from '../../src/operations/factory.js'
import type { Operation } from '../../src/operations/ops.js'
import { OfflineExecutor, OnlineExecutor } from '../../src/runtime/executor.js'
import { MigrationRunner, type RevisionModule } from '../../src/runtime/migration-runner.js'
import { VersionTable } from '../../src/runtime/version-table.js'
import { bigint, integer, MetaData, sql, text, varchar } from '../../src/schema/index.js'
import { RevisionMap, type RevisionNode } from '../../src/script/revision-map.js'
import { makeProject, runCli, writeRevision } from '../support/cli.js'

type Row = Record<string, unknown>

const dialect = new SqliteDialect()
const f = new OperationFactory()
const q = (name: string): string => dialect.quoteIdentifier(name)

interface TestDb {
  readonly file: string
  readonly connection: Connection
  readonly executor: OnlineExecutor
  readonly db: BetterSqlite3.Database
}

const opened: Connection[] = []
const scratch: string[] = []

afterEach(async () => {
  for (const connection of opened.splice(0)) await connection.close()
  for (const dir of scratch.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-batch-'))
  scratch.push(dir)
  return path.join(dir, 'test.db')
}

/** A new database file, `setup` run in it, opened as migrator opens it (foreign keys on). */
async function openDb(setup = '', file = tempFile()): Promise<TestDb> {
  const connection = await dialect.connect(parseDatabaseUrl(`sqlite:///${file}`))
  opened.push(connection)
  const db = connection.raw as BetterSqlite3.Database
  if (setup) db.exec(setup)
  return { file, connection, executor: new OnlineExecutor(connection), db }
}

const all = (db: BetterSqlite3.Database, text: string, ...params: unknown[]): Row[] => db.prepare(text).all(...params) as Row[]
const rows = (db: BetterSqlite3.Database, table: string, order = 'rowid'): Row[] => all(db, `SELECT rowid AS _rowid, * FROM ${q(table)} ORDER BY ${order}`)
/** The whole catalog but root pages: what a rolled-back change must leave as it was. */
const catalog = (db: BetterSqlite3.Database): Row[] => all(db, 'SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name')
const tableSql = (db: BetterSqlite3.Database, table: string): string => String(all(db, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", table)[0]?.['sql'])
const rootPage = (db: BetterSqlite3.Database, table: string): number => Number(all(db, 'SELECT rootpage FROM sqlite_master WHERE name = ?', table)[0]?.['rootpage'])
const columns = (db: BetterSqlite3.Database, table: string): Row[] => all(db, 'SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?)', table)
const noLeftovers = (db: BetterSqlite3.Database): void => {
  expect(all(db, "SELECT name FROM sqlite_master WHERE name LIKE '%migrator_tmp%'")).toEqual([])
  expect(db.inTransaction).toBe(false)
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
}

async function batch(t: TestDb, table: string, ops: readonly Operation[], options?: Parameters<typeof runSqliteBatch>[3]): Promise<void> {
  await runSqliteBatch(t.executor, table, ops, options)
}

/** Runs `body` expecting it to fail with `message`, and checks nothing changed: catalog and every table's rows. */
async function expectRolledBack(t: TestDb, tables: readonly string[], body: () => Promise<unknown>, message: RegExp): Promise<void> {
  const before = { catalog: catalog(t.db), rows: tables.map((table) => rows(t.db, table)) }
  await expect(body()).rejects.toThrow(message)
  expect({ catalog: catalog(t.db), rows: tables.map((table) => rows(t.db, table)) }).toEqual(before)
  noLeftovers(t.db)
}

describe('SQLite copy-and-move keeps every row', () => {
  it('alters column types; values take the new affinity as SQLite converts them', async () => {
    const t = await openDb(`
      CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(10), n INTEGER, code TEXT);
      INSERT INTO items VALUES (1, 'a', 1, '12'), (2, 'b''s', 9007199254740991, 'x'), (3, NULL, NULL, NULL), (7, 'é', -5, '007');`)
    const before = rows(t.db, 'items')
    await batch(t, 'items', [
      f.alterColumn('items', 'name', { type: text() }),
      f.alterColumn('items', 'n', { type: bigint() }),
      f.alterColumn('items', 'code', { type: integer() }),
    ])
    expect(columns(t.db, 'items').map((c) => [c['name'], c['type']])).toEqual([
      ['id', 'INTEGER'],
      ['name', 'TEXT'],
      ['n', 'BIGINT'],
      ['code', 'INTEGER'],
    ])
    expect(rows(t.db, 'items')).toEqual(before.map((r) => ({ ...r, code: r['code'] === '12' ? 12 : r['code'] === '007' ? 7 : r['code'] })))
    noLeftovers(t.db)
  })

  it('sets NOT NULL when no row is NULL; with a NULL present it fails and changes nothing', async () => {
    const t = await openDb(`
      CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, nick TEXT);
      INSERT INTO people VALUES (1, 'a@x', NULL), (2, 'b@x', 'bee'), (5, 'c@x', NULL);`)
    const before = rows(t.db, 'people')
    await batch(t, 'people', [f.alterColumn('people', 'email', { nullable: false })])
    expect(columns(t.db, 'people').find((c) => c['name'] === 'email')?.['notnull']).toBe(1)
    expect(rows(t.db, 'people')).toEqual(before)
    await expectRolledBack(t, ['people'], () => batch(t, 'people', [f.alterColumn('people', 'nick', { nullable: false })]), /NOT NULL constraint failed/)
  })

  it('sets and drops server defaults', async () => {
    const t = await openDb(`
      CREATE TABLE settings (id INTEGER PRIMARY KEY, k TEXT DEFAULT 'x', v TEXT, at TEXT);
      INSERT INTO settings (k, v) VALUES ('a', '1'), ('b', NULL);`)
    const before = rows(t.db, 'settings')
    await batch(t, 'settings', [
      f.alterColumn('settings', 'k', { serverDefault: null }),
      f.alterColumn('settings', 'v', { serverDefault: "it's" }),
      f.alterColumn('settings', 'at', { serverDefault: sql`CURRENT_TIMESTAMP` }),
    ])
    expect(rows(t.db, 'settings')).toEqual(before)
    expect(columns(t.db, 'settings').map((c) => c['dflt_value'])).toEqual([null, null, "'it''s'", 'CURRENT_TIMESTAMP'])
    t.db.exec('INSERT INTO settings (id) VALUES (10)')
    expect(all(t.db, 'SELECT k, v, at IS NOT NULL AS stamped FROM settings WHERE id = 10')).toEqual([{ k: null, v: "it's", stamped: 1 }])
  })

  it('renames and retypes a column together; its index, CHECK and view follow the new name', async () => {
    const t = await openDb(`
      CREATE TABLE users (id INTEGER PRIMARY KEY, mail VARCHAR(50) CHECK (length(mail) > 2), age INTEGER);
      CREATE INDEX ix_users_mail ON users (mail);
      CREATE VIEW adults AS SELECT mail FROM users WHERE age >= 18;
      INSERT INTO users VALUES (1, 'a@x.org', 30), (2, 'b@y.org', 12);`)
    const before = rows(t.db, 'users')
    await batch(t, 'users', [f.alterColumn('users', 'mail', { newColumnName: 'email', type: text(), nullable: false })])
    expect(rows(t.db, 'users')).toEqual(before.map((r) => ({ _rowid: r['_rowid'], id: r['id'], email: r['mail'], age: r['age'] })))
    expect(columns(t.db, 'users').map((c) => [c['name'], c['type'], c['notnull']])).toEqual([
      ['id', 'INTEGER', 1],
      ['email', 'TEXT', 1],
      ['age', 'INTEGER', 0],
    ])
    expect(tableSql(t.db, 'users')).toContain('CHECK (length("email") > 2)')
    expect(all(t.db, 'SELECT * FROM adults')).toEqual([{ email: 'a@x.org' }])
    expect(all(t.db, "SELECT sql FROM sqlite_master WHERE name = 'ix_users_mail'")).toEqual([{ sql: 'CREATE INDEX ix_users_mail ON users ("email")' }])
    noLeftovers(t.db)
  })

  it('drops a column that has its own index, and one that is a foreign key', async () => {
    const t = await openDb(`
      CREATE TABLE teams (id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT, score INTEGER, team_id INTEGER REFERENCES teams (id), note TEXT);
      CREATE INDEX ix_members_score ON members (score);
      CREATE INDEX ix_members_name ON members (name);
      INSERT INTO teams VALUES (1, 'red');
      INSERT INTO members VALUES (1, 'ann', 10, 1, 'n1'), (2, 'bob', 20, NULL, NULL), (3, 'cy', NULL, 1, 'n3');`)
    const before = rows(t.db, 'members')
    await batch(t, 'members', [f.dropColumn('members', 'score'), f.dropColumn('members', 'team_id')])
    expect(rows(t.db, 'members')).toEqual(before.map(({ score: _s, team_id: _t, ...r }) => r))
    expect(all(t.db, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'members'")).toEqual([{ name: 'ix_members_name' }])
    expect(all(t.db, "SELECT * FROM pragma_foreign_key_list('members')")).toEqual([])
    noLeftovers(t.db)
  })

  it('adds and drops unique, check, foreign key and primary key constraints', async () => {
    const t = await openDb(`
      CREATE TABLE parents (id INTEGER PRIMARY KEY);
      CREATE TABLE things (code TEXT NOT NULL, email TEXT, qty INTEGER, parent_id INTEGER);
      INSERT INTO parents VALUES (1), (2);
      INSERT INTO things VALUES ('a', 'a@x', 1, 1), ('b', 'b@x', 0, NULL), ('c', NULL, 5, 2);`)
    const before = rows(t.db, 'things')
    await batch(t, 'things', [
      f.createPrimaryKey('pk_things', 'things', ['code']),
      f.createUniqueConstraint('uq_things_email', 'things', ['email']),
      f.createCheckConstraint('ck_things_qty', 'things', sql`qty >= 0`),
      f.createForeignKey('fk_things_parent', 'things', 'parents', ['parent_id'], ['id'], { onDelete: 'CASCADE' }),
    ])
    expect(rows(t.db, 'things')).toEqual(before)
    const created = tableSql(t.db, 'things')
    for (const part of ['CONSTRAINT "pk_things" PRIMARY KEY ("code")', 'CONSTRAINT "uq_things_email" UNIQUE ("email")', 'CONSTRAINT "ck_things_qty" CHECK (qty >= 0)', 'CONSTRAINT "fk_things_parent" FOREIGN KEY ("parent_id") REFERENCES "parents" ("id") ON DELETE CASCADE']) {
      expect(created).toContain(part)
    }
    expect(() => t.db.exec("INSERT INTO things VALUES ('d', 'a@x', 1, NULL)")).toThrow(/UNIQUE/)
    expect(() => t.db.exec("INSERT INTO things VALUES ('d', 'd@x', -1, NULL)")).toThrow(/CHECK/)
    expect(() => t.db.exec("INSERT INTO things VALUES ('d', 'd@x', 1, 99)")).toThrow(/FOREIGN KEY/)
    expect(() => t.db.exec("INSERT INTO things VALUES ('a', 'e@x', 1, NULL)")).toThrow(/UNIQUE/)

    await batch(t, 'things', ['pk_things', 'uq_things_email', 'ck_things_qty', 'fk_things_parent'].map((name) => f.dropConstraint(name, 'things')))
    expect(rows(t.db, 'things')).toEqual(before)
    expect(tableSql(t.db, 'things')).not.toMatch(/CONSTRAINT/)
    t.db.exec("INSERT INTO things VALUES ('a', 'a@x', -1, 99)")
    noLeftovers(t.db)
  })

  it('keeps the AUTOINCREMENT counter: the next id continues after the highest ever given', async () => {
    const t = await openDb(`
      CREATE TABLE tickets (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT);
      INSERT INTO tickets (title) VALUES ('a'), ('b'), ('c'), ('d'), ('e');
      DELETE FROM tickets WHERE id >= 4;`)
    const before = rows(t.db, 'tickets')
    await batch(t, 'tickets', [f.alterColumn('tickets', 'title', { type: varchar(200), nullable: false })])
    expect(rows(t.db, 'tickets')).toEqual(before)
    expect(tableSql(t.db, 'tickets')).toContain('PRIMARY KEY AUTOINCREMENT')
    expect(all(t.db, 'SELECT name, seq FROM sqlite_sequence')).toEqual([{ name: 'tickets', seq: 5 }])
    t.db.exec("INSERT INTO tickets (title) VALUES ('f')")
    expect(all(t.db, "SELECT id FROM tickets WHERE title = 'f'")).toEqual([{ id: 6 }])
  })

  it('keeps a composite primary key, and the rowids of a table without an INTEGER primary key', async () => {
    const t = await openDb(`
      CREATE TABLE grades (student TEXT, course TEXT, grade INTEGER, PRIMARY KEY (student, course));
      INSERT INTO grades VALUES ('ann', 'math', 5), ('ann', 'art', 4), ('bob', 'math', 3);
      DELETE FROM grades WHERE course = 'art';
      INSERT INTO grades VALUES ('cy', 'art', 2);`)
    const before = rows(t.db, 'grades')
    expect(before.map((r) => r['_rowid'])).toEqual([1, 3, 4])
    await batch(t, 'grades', [f.alterColumn('grades', 'grade', { type: text(), nullable: false })])
    expect(rows(t.db, 'grades')).toEqual(before.map((r) => ({ ...r, grade: String(r['grade']) })))
    expect(columns(t.db, 'grades').map((c) => c['pk'])).toEqual([1, 2, 0])
    expect(() => t.db.exec("INSERT INTO grades VALUES ('ann', 'math', '1')")).toThrow(/UNIQUE/)
  })

  it('rebuilds a parent referenced ON DELETE CASCADE: the children keep all their rows (foreign keys were on)', async () => {
    const t = await openDb(`
      CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE, title TEXT);
      CREATE TABLE reviews (id INTEGER PRIMARY KEY, book_id INTEGER REFERENCES books (id) ON DELETE CASCADE, stars INTEGER);
      CREATE TABLE tree (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES tree (id) ON DELETE CASCADE, label TEXT);
      INSERT INTO authors VALUES (1, 'le guin'), (2, 'pratchett');
      INSERT INTO books VALUES (1, 1, 'earthsea'), (2, 2, 'mort'), (3, 2, 'guards');
      INSERT INTO reviews VALUES (1, 1, 5), (2, 3, 4);
      INSERT INTO tree VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 2, 'b');`)
    expect(t.db.pragma('foreign_keys', { simple: true })).toBe(1)
    const before = { books: rows(t.db, 'books'), reviews: rows(t.db, 'reviews'), tree: rows(t.db, 'tree') }
    await batch(t, 'authors', [f.alterColumn('authors', 'name', { type: varchar(100), nullable: false })])
    await batch(t, 'books', [f.alterColumn('books', 'title', { nullable: false })])
    await batch(t, 'tree', [f.alterColumn('tree', 'label', { type: varchar(20) })])
    expect({ books: rows(t.db, 'books'), reviews: rows(t.db, 'reviews'), tree: rows(t.db, 'tree') }).toEqual(before)
    expect(all(t.db, 'SELECT * FROM pragma_foreign_key_check')).toEqual([])
    noLeftovers(t.db)
    // The keys still act.
    t.db.exec('DELETE FROM authors WHERE id = 2')
    expect(all(t.db, 'SELECT id FROM books ORDER BY id')).toEqual([{ id: 1 }])
    expect(all(t.db, 'SELECT id FROM reviews')).toEqual([{ id: 1 }])
  })

  it('inside a transaction with foreign keys on, refuses to rebuild a referenced table rather than cascade', async () => {
    const t = await openDb(`
      CREATE TABLE authors (id INTEGER PRIMARY KEY, name TEXT);
      CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES authors (id) ON DELETE CASCADE);
      INSERT INTO authors VALUES (1, 'x'); INSERT INTO books VALUES (1, 1), (2, 1);`)
    t.db.exec('BEGIN')
    await expectRolledBackInTransaction(t)
    t.db.exec('ROLLBACK')
    expect(rows(t.db, 'books')).toHaveLength(2)

    async function expectRolledBackInTransaction(db: TestDb): Promise<void> {
      const before = catalog(db.db)
      await expect(batch(db, 'authors', [f.alterColumn('authors', 'name', { nullable: false })])).rejects.toThrow(/inside a transaction with foreign keys on.*'books'/)
      expect(catalog(db.db)).toEqual(before)
    }
  })

  it('fails, changing nothing, when the change leaves rows without their parent', async () => {
    const t = await openDb(`
      CREATE TABLE parents (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
      CREATE TABLE children (id INTEGER PRIMARY KEY, parent_code TEXT);
      INSERT INTO parents VALUES (1, 'a'); INSERT INTO children VALUES (1, 'a'), (2, 'zz');`)
    await expectRolledBack(
      t,
      ['parents', 'children'],
      () => batch(t, 'children', [f.createForeignKey('fk_children_parent', 'children', 'parents', ['parent_code'], ['code'])]),
      /breaks foreign keys: 'children': 1 row/,
    )
  })

  it('recreates the triggers on the table, and indexes (unique, partial, expression) exactly as they were', async () => {
    const t = await openDb(`
      CREATE TABLE accounts (id INTEGER PRIMARY KEY, email TEXT, active INTEGER, balance INTEGER);
      CREATE TABLE audit (what TEXT);
      CREATE UNIQUE INDEX ux_accounts_email ON accounts (lower(email)) WHERE active = 1;
      CREATE INDEX "ix accounts ""balance""" ON accounts (balance DESC, id);
      CREATE TRIGGER accounts_ins AFTER INSERT ON accounts BEGIN INSERT INTO audit VALUES ('ins ' || new.email); END;
      CREATE TRIGGER accounts_upd AFTER UPDATE OF balance ON accounts WHEN new.balance < 0 BEGIN INSERT INTO audit VALUES ('neg ' || new.id); END;
      INSERT INTO accounts VALUES (1, 'A@x', 1, 10), (2, 'a@x', 0, 20), (3, 'b@x', 1, NULL);`)
    const before = { rows: rows(t.db, 'accounts'), audit: rows(t.db, 'audit') }
    const objects = (): Row[] => all(t.db, "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'accounts' AND type IN ('index', 'trigger') ORDER BY name")
    const kept = objects()
    expect(kept).toHaveLength(4)
    await batch(t, 'accounts', [f.alterColumn('accounts', 'balance', { type: bigint(), serverDefault: 0 })])
    expect(objects()).toEqual(kept)
    expect({ rows: rows(t.db, 'accounts'), audit: rows(t.db, 'audit') }).toEqual(before)
    t.db.exec("INSERT INTO accounts (id, email, active) VALUES (4, 'c@x', 1)")
    t.db.exec('UPDATE accounts SET balance = -1 WHERE id = 4')
    expect(all(t.db, 'SELECT what FROM audit').slice(before.audit.length)).toEqual([{ what: 'ins c@x' }, { what: 'neg 4' }])
    expect(() => t.db.exec("INSERT INTO accounts (id, email, active) VALUES (5, 'B@X', 1)")).toThrow(/UNIQUE/)
    expect(all(t.db, "SELECT * FROM accounts WHERE lower(email) = 'a@x' AND active = 1")).toHaveLength(1)
  })

  it('a trigger or a view using a column the change removes fails it, changing nothing', async () => {
    const t = await openDb(`
      CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER, legacy TEXT, legacy2 TEXT);
      CREATE TABLE log (what TEXT);
      CREATE TRIGGER orders_upd AFTER UPDATE ON orders BEGIN INSERT INTO log VALUES (new.legacy); END;
      CREATE VIEW v_orders AS SELECT id, legacy2 FROM orders;
      CREATE INDEX ix_orders ON orders (legacy, legacy2);
      INSERT INTO orders VALUES (1, 10, 'a', 'b');`)
    const drop = (column: string): Promise<void> => batch(t, 'orders', [f.dropIndex('ix_orders', 'orders'), f.dropColumn('orders', column)], { recreate: 'always' })
    await expectRolledBack(t, ['orders', 'log'], () => drop('legacy'), /trigger on table 'orders' no longer works.*no such column: new.legacy/)
    await expectRolledBack(t, ['orders', 'log'], () => drop('legacy2'), /view 'v_orders' no longer works.*legacy2/)
  })

  it('a trigger firing on UPDATE OF a removed column, or on another table writing it, fails the change; what was broken before does not', async () => {
    const t = await openDb(`
      CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(20), note TEXT);
      CREATE TABLE log (id INTEGER PRIMARY KEY, msg TEXT);
      CREATE TABLE other (x INTEGER);
      CREATE TRIGGER trg_note AFTER UPDATE OF note ON items BEGIN INSERT INTO log (msg) VALUES (NEW.note); END;
      INSERT INTO items VALUES (1, 'a', 'n');`)
    const change = (): Promise<void> => batch(t, 'items', [f.dropColumn('items', 'note'), f.alterColumn('items', 'name', { type: varchar(40) })])
    await expectRolledBack(t, ['items', 'log'], change, /after the change to table 'items', the schema no longer works: error in trigger trg_note: no such column: NEW\.note/)
    t.db.exec('DROP TRIGGER trg_note; CREATE TRIGGER trg_log AFTER INSERT ON log BEGIN UPDATE items SET note = NULL WHERE id = -1; END;')
    await expectRolledBack(t, ['items', 'log'], change, /the schema no longer works: no such column: note/)
    // A view broken before the change (on another table) is not the change's doing.
    t.db.exec('DROP TRIGGER trg_log; CREATE VIEW v_broken AS SELECT x FROM other')
    t.db.exec('PRAGMA legacy_alter_table = ON; ALTER TABLE other RENAME COLUMN x TO y; PRAGMA legacy_alter_table = OFF')
    await change()
    expect(columns(t.db, 'items').map((c) => [c['name'], c['type']])).toEqual([['id', 'INTEGER'], ['name', 'VARCHAR(40)']])
    expect(rows(t.db, 'items')).toEqual([{ _rowid: 1, id: 1, name: 'a' }])
    noLeftovers(t.db)
  })

  it('moves 10,000 rows: count and checksum equal before and after', async () => {
    const t = await openDb('CREATE TABLE events (id INTEGER PRIMARY KEY, kind TEXT, payload BLOB, amount REAL, at TEXT)')
    const insert = t.db.prepare('INSERT INTO events (kind, payload, amount, at) VALUES (?, ?, ?, ?)')
    t.db.transaction(() => {
      for (let i = 0; i < 10_000; i++) insert.run(`k${i % 17}`, Buffer.from([i & 255, (i >> 8) & 255, 0, 255]), i / 7, i % 3 === 0 ? null : `2024-01-${String((i % 28) + 1).padStart(2, '0')}`)
    })()
    const digest = (): { count: number; checksum: string } => {
      const hash = createHash('sha256')
      const all = rows(t.db, 'events', 'id')
      for (const row of all) hash.update(JSON.stringify(row, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString('hex') : v)))
      return { count: all.length, checksum: hash.digest('hex') }
    }
    const before = digest()
    expect(before.count).toBe(10_000)
    await batch(t, 'events', [f.alterColumn('events', 'kind', { type: varchar(10), nullable: false }), f.createIndex('ix_events_kind', 'events', ['kind'])])
    expect(digest()).toEqual(before)
    noLeftovers(t.db)
  })

  it('handles names that need quoting: quotes, spaces, non-ASCII', async () => {
    const table = 'odd "name'
    const t = await openDb(`
      CREATE TABLE "odd ""name" ("first name" TEXT, "prénom" TEXT, "名前" INTEGER, "a""b" TEXT CHECK ("a""b" <> ''), "select" INTEGER);
      CREATE INDEX "idx ""odd"" é" ON "odd ""name" ("first name", "名前");
      INSERT INTO "odd ""name" VALUES ('Ann Lee', 'Anne', 1, 'x', 1), ('Bo', 'Bö', 2, 'y"z', NULL);`)
    const before = rows(t.db, table)
    await batch(t, table, [
      f.alterColumn(table, '名前', { type: bigint(), nullable: false }),
      f.alterColumn(table, 'prénom', { newColumnName: 'given "name"' }),
      f.createUniqueConstraint('uq "odd"', table, ['first name', 'select']),
      f.addColumn(table, 'ünïcode col', text().default("l'été")),
    ])
    expect(rows(t.db, table)).toEqual(before.map((r) => ({ _rowid: r['_rowid'], 'first name': r['first name'], 'given "name"': r['prénom'], 名前: r['名前'], 'a"b': r['a"b'], select: r['select'], 'ünïcode col': "l'été" })))
    expect(all(t.db, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, table)).toEqual([{ name: 'idx "odd" é' }])
    const reflected = await reflectSqliteTable(t.connection, table)
    expect(reflected?.spec.uniques).toEqual([{ name: 'uq "odd"', columns: ['first name', 'select'] }])
    expect(reflected?.spec.checks.map((c) => c.expression.strings[0])).toEqual(['"a""b" <> \'\''])
    noLeftovers(t.db)
  })

  it('a CHECK the existing rows violate fails the rebuild and leaves table and rows exactly as they were', async () => {
    const t = await openDb(`
      CREATE TABLE stock (id INTEGER PRIMARY KEY AUTOINCREMENT, qty INTEGER, sku TEXT);
      CREATE INDEX ix_stock_sku ON stock (sku);
      CREATE TRIGGER stock_trg AFTER DELETE ON stock BEGIN SELECT 1; END;
      CREATE VIEW v_stock AS SELECT sku FROM stock;
      INSERT INTO stock (qty, sku) VALUES (5, 'a'), (-1, 'b'), (3, 'c');`)
    const sequence = all(t.db, 'SELECT * FROM sqlite_sequence')
    await expectRolledBack(
      t,
      ['stock'],
      () => batch(t, 'stock', [f.alterColumn('stock', 'sku', { type: varchar(5) }), f.createCheckConstraint('ck_qty', 'stock', sql`qty >= 0`)]),
      /CHECK constraint failed/,
    )
    expect(all(t.db, 'SELECT * FROM sqlite_sequence')).toEqual(sequence)
  })
})

describe('the rebuilt table is the same table', () => {
  const definition = (prefix: string): string => `
    CREATE TABLE ${prefix}owners (id INTEGER PRIMARY KEY, code TEXT UNIQUE);
    CREATE TABLE ${prefix}assets (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      owner_code TEXT CONSTRAINT fk_owner REFERENCES owners (code) ON UPDATE CASCADE ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
      label TEXT COLLATE NOCASE NOT NULL DEFAULT 'none',
      loose,
      price NUMERIC(10,2) CHECK (price >= 0),
      made_at TEXT DEFAULT (datetime('now')),
      serial VARCHAR(20) UNIQUE,
      CONSTRAINT uq_assets_pair UNIQUE (owner_code, label),
      CONSTRAINT ck_label CHECK (label <> '')
    );
    CREATE INDEX ${prefix}ix_assets_label ON assets (label COLLATE BINARY DESC) WHERE price > 0;
    CREATE TRIGGER ${prefix}assets_touch AFTER UPDATE ON assets BEGIN UPDATE assets SET made_at = 'touched' WHERE id = new.id AND made_at <> 'touched'; END;
    INSERT INTO owners VALUES (1, 'o1');
    INSERT INTO assets (owner_code, label, loose, price, serial) VALUES ('o1', 'Desk', x'00ff', 10.5, 's1'), (NULL, 'chair', 7, 0, NULL), ('o1', 'lamp', 'z', NULL, 's3');`

  for (const schema of [undefined, 'aux'] as const) {
    it(`an empty rebuild reads back the same definition, rows and objects${schema ? ' (attached database)' : ''}`, async () => {
      const t = await openDb(schema ? `ATTACH DATABASE '${tempFile()}' AS aux;` : '')
      t.db.exec(definition(schema ? 'aux.' : ''))
      const name = (table: string): string => (schema ? `aux.${q(table)}` : q(table))
      const state = async (): Promise<unknown> => ({
        spec: (await reflectSqliteTable(t.connection, 'assets', schema))?.spec,
        objects: all(t.db, `SELECT type, name, sql FROM ${schema ?? 'main'}.sqlite_master WHERE tbl_name = 'assets' AND sql IS NOT NULL ORDER BY name`).map((o) => ({
          ...o,
          sql: o['type'] === 'table' ? undefined : o['sql'],
        })),
        rows: all(t.db, `SELECT rowid AS _rowid, * FROM ${name('assets')} ORDER BY id`),
        sequence: all(t.db, `SELECT seq FROM ${schema ?? 'main'}.sqlite_sequence WHERE name = 'assets'`),
        // The rebuild declares the rowid alias NOT NULL (it never holds NULL either way).
        columns: all(t.db, 'SELECT * FROM pragma_table_xinfo(?, ?)', 'assets', schema ?? 'main').map((c) => (c['name'] === 'id' ? { ...c, notnull: 'rowid' } : c)),
        keys: all(t.db, 'SELECT * FROM pragma_foreign_key_list(?, ?)', 'assets', schema ?? 'main'),
      })
      const before = await state()
      expect((before as { spec: { checks: unknown[]; foreignKeys: unknown[]; uniques: unknown[] } }).spec).toMatchObject({
        name: 'assets',
        foreignKeys: [{ name: 'fk_owner', columns: ['owner_code'], referredTable: 'owners', referredColumns: ['code'], onDelete: 'SET NULL', onUpdate: 'CASCADE', deferrable: true, initially: 'DEFERRED' }],
        uniques: expect.arrayContaining([{ columns: ['serial'] }, { name: 'uq_assets_pair', columns: ['owner_code', 'label'] }]),
        checks: [{ expression: expect.objectContaining({ strings: ['price >= 0'] }) }, { name: 'ck_label', expression: expect.objectContaining({ strings: ["label <> ''"] }) }],
      })
      await batch(t, 'assets', [], { recreate: 'always', ...(schema ? { schema } : {}) })
      expect(await state()).toEqual(before)
      t.db.exec(`UPDATE ${name('assets')} SET price = 1 WHERE id = 2`)
      expect(all(t.db, `SELECT made_at FROM ${name('assets')} WHERE id = 2`)).toEqual([{ made_at: 'touched' }])
      expect(all(t.db, `SELECT id FROM ${name('assets')} WHERE label = 'DESK'`)).toEqual([{ id: 1 }])
      noLeftovers(t.db)
    })
  }
})

describe('recreate: auto, always, never', () => {
  const setup = `
    CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT, old_name TEXT, extra TEXT);
    INSERT INTO notes VALUES (1, 'x', 'o', 'e'), (2, 'y', NULL, NULL);`

  it('auto runs in place what SQLite can do in place: the table is not rebuilt', async () => {
    const t = await openDb(setup)
    const page = rootPage(t.db, 'notes')
    await batch(t, 'notes', [
      f.addColumn('notes', 'tag', text()),
      f.alterColumn('notes', 'old_name', { newColumnName: 'new_name' }),
      f.createIndex('ix_notes_body', 'notes', ['body']),
      f.dropColumn('notes', 'extra'),
    ])
    expect(rootPage(t.db, 'notes')).toBe(page)
    expect(rows(t.db, 'notes')).toEqual([
      { _rowid: 1, id: 1, body: 'x', new_name: 'o', tag: null },
      { _rowid: 2, id: 2, body: 'y', new_name: null, tag: null },
    ])
  })

  it('always rebuilds, even for changes SQLite could make in place', async () => {
    const t = await openDb(setup)
    const page = rootPage(t.db, 'notes')
    const before = rows(t.db, 'notes')
    await batch(t, 'notes', [f.createIndex('ix_notes_body', 'notes', ['body'])], { recreate: 'always' })
    expect(rootPage(t.db, 'notes')).not.toBe(page)
    expect(rows(t.db, 'notes')).toEqual(before)
    await batch(t, 'notes', [], { recreate: 'always' })
    expect(rows(t.db, 'notes')).toEqual(before)
  })

  it('never refuses a change that needs a rebuild, before doing anything', async () => {
    const t = await openDb(setup)
    await expectRolledBack(
      t,
      ['notes'],
      () => batch(t, 'notes', [f.createIndex('ix_notes_body', 'notes', ['body']), f.alterColumn('notes', 'body', { nullable: false })], { recreate: 'never' }),
      /recreate: 'never'/,
    )
  })

  it('a rename of the table inside a rebuilding batch, and ops naming the table in another case', async () => {
    const t = await openDb(`${setup} CREATE VIEW v AS SELECT body FROM notes;`)
    const before = rows(t.db, 'notes')
    await batch(t, 'notes', [f.alterColumn('NOTES', 'body', { nullable: false }), f.renameTable('notes', 'memos'), f.alterColumn('memos', 'extra', { type: varchar(9) })])
    expect(rows(t.db, 'memos')).toEqual(before)
    expect(all(t.db, 'SELECT * FROM v')).toEqual([{ body: 'x' }, { body: 'y' }])
    noLeftovers(t.db)
  })

  it('rebuilds tables with generated columns: computed again, not copied; one made plain keeps its values', async () => {
    const t = await openDb(`
      CREATE TABLE g (a INTEGER, b INTEGER GENERATED ALWAYS AS (a * 2) VIRTUAL, c INTEGER AS (a + 1) STORED NOT NULL, d INTEGER);
      INSERT INTO g (a, d) VALUES (1, 10), (2, 20);`)
    await batch(t, 'g', [f.alterColumn('g', 'd', { nullable: false })])
    expect(all(t.db, 'SELECT a, b, c, d FROM g ORDER BY a')).toEqual([{ a: 1, b: 2, c: 2, d: 10 }, { a: 2, b: 4, c: 3, d: 20 }])
    const created = String((all(t.db, "SELECT sql FROM sqlite_master WHERE name = 'g'")[0] as { sql: string }).sql)
    expect(created).toMatch(/"b" INTEGER GENERATED ALWAYS AS \(a \* 2\) VIRTUAL,/)
    expect(created).toMatch(/"c" INTEGER GENERATED ALWAYS AS \(a \+ 1\) STORED NOT NULL,/)
    // A new expression is computed for every row; a generated column made plain keeps what it held.
    await batch(t, 'g', [
      f.alterColumn('g', 'b', { generated: { expression: sql`a * 3` }, existingGenerated: { expression: sql`a * 2` } }),
      f.alterColumn('g', 'c', { generated: null, existingGenerated: { expression: sql`a + 1`, stored: true } }),
    ])
    await t.db.exec('UPDATE g SET a = a + 10')
    expect(all(t.db, 'SELECT a, b, c, d FROM g ORDER BY a')).toEqual([{ a: 11, b: 33, c: 2, d: 10 }, { a: 12, b: 36, c: 3, d: 20 }])
    noLeftovers(t.db)
  })

  it('refuses tables whose definition a rebuild would lose', async () => {
    const t = await openDb(`CREATE TABLE w (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;`)
    await expectRolledBack(t, [], () => batch(t, 'w', [f.alterColumn('w', 'v', { nullable: false })]), /WITHOUT ROWID/)
    await expect(batch(t, 'nope', [])).rejects.toThrow(/no table 'nope'/)
  })
})

describe('offline (--sql)', () => {
  const users = new MetaData().table('users', { id: integer().primaryKey().autoincrement(), email: varchar(100), name: text() })

  it('needs copyFrom: the error names the table and says so', async () => {
    const executor = new OfflineExecutor(dialect, () => undefined)
    await expect(runSqliteBatch(executor, 'users', [f.alterColumn('users', 'email', { nullable: false })])).rejects.toThrow(/table 'users'.*--sql/)
    await expect(runSqliteBatch(executor, 'users', [f.alterColumn('users', 'email', { nullable: false })])).rejects.toMatchObject({ hint: expect.stringContaining('copyFrom') })
  })

  it('writes a script that rebuilds the table from copyFrom; run, it keeps every row', async () => {
    let script = ''
    const executor = new OfflineExecutor(dialect, (text) => (script += text))
    await runSqliteBatch(executor, 'users', [f.alterColumn('users', 'email', { nullable: false }), f.createIndex('ix_users_email', 'users', ['email'])], { copyFrom: users })
    expect(script).toContain('CREATE TABLE "_migrator_tmp_users"')
    expect(script).toContain('SAVEPOINT "migrator_batch"')
    expect(script).toContain('foreign_keys = OFF')
    const t = await openDb(`
      CREATE TABLE users (id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, email VARCHAR(100), name TEXT);
      INSERT INTO users (email, name) VALUES ('a@x', 'a'), ('b@x', NULL);`)
    const before = rows(t.db, 'users')
    t.db.exec(script)
    expect(rows(t.db, 'users')).toEqual(before)
    expect(columns(t.db, 'users').find((c) => c['name'] === 'email')?.['notnull']).toBe(1)
    noLeftovers(t.db)
  })

  it('changes SQLite makes in place need no copyFrom', async () => {
    let script = ''
    await runSqliteBatch(new OfflineExecutor(dialect, (text) => (script += text)), 'users', [f.addColumn('users', 'age', integer())])
    expect(script).toContain('ALTER TABLE "users" ADD COLUMN "age" INTEGER')
  })
})

describe('through the migration runner', () => {
  const node = (revision: string, down: string[] = []): RevisionNode => ({ revision, downRevisions: down, branchLabels: [], dependsOn: [], path: `${revision}.ts` })

  async function run(t: TestDb, revisions: Record<string, RevisionModule>, target = 'heads'): Promise<unknown> {
    const ids = Object.keys(revisions)
    const runner = new MigrationRunner({
      executor: t.executor,
      map: new RevisionMap(ids.map((id, i) => node(id, i === 0 ? [] : [ids[i - 1]!]))),
      versionTable: new VersionTable(dialect, { table: 'migrator_version', schema: undefined }),
      transactionPerMigration: false,
      loadRevision: async (revision) => revisions[revision.revision]!,
      log: () => undefined,
      lockKey: 'test',
      lockTimeoutSeconds: 5,
    })
    return runner.upgrade(target)
  }

  const family = `
    CREATE TABLE parents (id INTEGER PRIMARY KEY, name TEXT);
    CREATE TABLE kids (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id) ON DELETE CASCADE, name TEXT);
    INSERT INTO parents VALUES (1, 'p1'), (2, 'p2');
    INSERT INTO kids VALUES (1, 1, 'k1'), (2, 1, 'k2'), (3, 2, 'k3');`

  it('runs the revisions with foreign keys off, rebuilds a parent in the run transaction, and turns them back on', async () => {
    const t = await openDb(family)
    const kids = rows(t.db, 'kids')
    let seen: unknown
    await run(t, {
      r1: {
        upgrade: async () => {
          seen = t.db.pragma('foreign_keys', { simple: true })
          await runSqliteBatch(t.executor, 'parents', [f.alterColumn('parents', 'name', { nullable: false, type: varchar(20) })])
        },
      },
    })
    expect(seen).toBe(0)
    expect(rows(t.db, 'kids')).toEqual(kids)
    expect(all(t.db, 'SELECT version_num FROM migrator_version')).toEqual([{ version_num: 'r1' }])
    noLeftovers(t.db)
  })

  it('offline (--sql), the script turns foreign keys off before its transaction: run where they are on, a parent rebuilt from copyFrom keeps its CASCADE children', async () => {
    let script = ''
    const executor = new OfflineExecutor(dialect, (text) => (script += text))
    const parents = new MetaData().table('parents', { id: integer().primaryKey(), name: text() }).toSpec()
    const runner = new MigrationRunner({
      executor,
      map: new RevisionMap([node('r1')]),
      versionTable: new VersionTable(dialect, { table: 'migrator_version', schema: undefined }),
      transactionPerMigration: false,
      loadRevision: async () => ({ upgrade: async () => void (await runSqliteBatch(executor, 'parents', [f.alterColumn('parents', 'name', { nullable: false, type: varchar(20) })], { copyFrom: parents })) }),
      log: () => undefined,
      lockKey: 'test',
      lockTimeoutSeconds: 5,
    })
    await runner.upgrade('heads')
    expect(script.trimStart().startsWith('PRAGMA foreign_keys = OFF;')).toBe(true)
    expect(script.indexOf('PRAGMA foreign_keys = OFF;')).toBeLessThan(script.indexOf('BEGIN IMMEDIATE;'))
    const t = await openDb(family)
    const kids = rows(t.db, 'kids')
    t.db.pragma('foreign_keys = ON') // as the sqlite3 shell may be set
    t.db.exec(script)
    expect(rows(t.db, 'kids')).toEqual(kids)
    expect(columns(t.db, 'parents').find((c) => c['name'] === 'name')?.['type']).toBe('VARCHAR(20)')
    expect(t.db.pragma('foreign_key_check')).toEqual([])
    // The script leaves foreign keys off (the sqlite3 shell's default); otherwise nothing is left behind.
    t.db.pragma('foreign_keys = ON')
    noLeftovers(t.db)
  })

  it('refuses to commit a run that leaves orphans: everything is rolled back', async () => {
    const t = await openDb(family)
    const before = { parents: rows(t.db, 'parents'), kids: rows(t.db, 'kids') }
    const error = await run(t, {
      r1: { upgrade: async () => void (await t.executor.execute('UPDATE parents SET name = upper(name)')) },
      r2: { upgrade: async () => void (await t.executor.execute('DELETE FROM parents WHERE id = 1')) },
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'command.commit_check_failed', message: expect.stringMatching(/revisions r1, r2: 2 rows .*'kids' \(2\)/) })
    expect({ parents: rows(t.db, 'parents'), kids: rows(t.db, 'kids') }).toEqual(before)
    expect(all(t.db, "SELECT name FROM sqlite_master WHERE name = 'migrator_version'")).toEqual([])
    noLeftovers(t.db)
  })

  it('orphans that were there before the run do not block it', async () => {
    const t = await openDb(`${family} PRAGMA foreign_keys = OFF; INSERT INTO kids VALUES (9, 99, 'lost'); PRAGMA foreign_keys = ON;`)
    await run(t, { r1: { upgrade: async () => runSqliteBatch(t.executor, 'kids', [f.alterColumn('kids', 'name', { type: text() })]) } })
    expect(all(t.db, 'SELECT id FROM kids ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }, { id: 9 }])
  })

  it('in a revision with transactional = false, a failing rebuild is still all or nothing (savepoint)', async () => {
    const t = await openDb(family)
    const before = { catalog: catalog(t.db), kids: rows(t.db, 'kids') }
    const error = await run(t, {
      r1: {
        transactional: false,
        upgrade: async () => runSqliteBatch(t.executor, 'kids', [f.alterColumn('kids', 'name', { type: text() }), f.alterColumn('kids', 'parent_id', { type: bigint() }), f.createCheckConstraint('ck', 'kids', sql`name <> 'k3'`)]),
      },
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ message: expect.stringMatching(/CHECK constraint failed/) })
    expect(catalog(t.db).filter((o) => o['name'] !== 'migrator_version' && !String(o['name']).startsWith('sqlite_autoindex_migrator'))).toEqual(before.catalog)
    expect(rows(t.db, 'kids')).toEqual(before.kids)
    noLeftovers(t.db)
  })
})

describe('through the CLI with op', () => {
  it('op.alterColumn and op.batchAlterTable rebuild a parent table; upgrade and downgrade keep every row', async () => {
    const file = tempFile()
    const t = await openDb(
      `CREATE TABLE authors (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT, country TEXT);
       CREATE TABLE books (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE, title TEXT);
       CREATE INDEX ix_books_title ON books (lower(title)) WHERE title IS NOT NULL;
       INSERT INTO authors (name, country) VALUES ('le guin', 'us'), ('pratchett', 'uk'), ('x', NULL);
       DELETE FROM authors WHERE name = 'x';
       INSERT INTO books VALUES (1, 1, 'Earthsea'), (2, 2, 'Mort'), (3, 2, NULL);`,
      file,
    )
    const before = { authors: rows(t.db, 'authors'), books: rows(t.db, 'books') }
    await t.connection.close()
    const { dir, versions } = makeProject(`sqlite:///${file}`)
    scratch.push(dir)
    writeRevision(versions, {
      id: 'a1',
      message: 'tighten authors',
      up: `await op.alterColumn('authors', 'name', { nullable: false, type: varchar(200) })
  await op.batchAlterTable('authors', (batch) => {
    batch.createUniqueConstraint('uq_authors_name', ['name'])
    batch.alterColumn('country', { newColumnName: 'country_code', serverDefault: 'zz' })
  })`,
      down_: `await op.batchAlterTable('authors', (batch) => {
    batch.dropConstraint('uq_authors_name')
    batch.alterColumn('country_code', { newColumnName: 'country', serverDefault: null })
    batch.alterColumn('name', { nullable: true, type: text() })
  })`,
    })
    const revisionFile = fs.readdirSync(versions).map((name) => path.join(versions, name))[0]!
    fs.writeFileSync(revisionFile, fs.readFileSync(revisionFile, 'utf8').replace("import type { Operations } from 'migrator'", "import { text, varchar, type Operations } from 'migrator'"))

    const up = await runCli(['upgrade', 'head'], { cwd: dir })
    expect(up.code, up.stderr).toBe(0)
    const { default: Database } = await import('better-sqlite3')
    let db = new Database(file)
    try {
      expect(rows(db, 'books')).toEqual(before.books)
      expect(rows(db, 'authors')).toEqual(before.authors.map(({ country, ...r }) => ({ ...r, country_code: country })))
      expect(tableSql(db, 'authors')).toContain('CONSTRAINT "uq_authors_name" UNIQUE ("name")')
      expect(all(db, "SELECT seq FROM sqlite_sequence WHERE name = 'authors'")).toEqual([{ seq: 3 }])
      expect(all(db, 'SELECT * FROM pragma_foreign_key_check')).toEqual([])
    } finally {
      db.close()
    }

    // --sql: the rebuild needs the table's definition (copyFrom); the error says nothing ran.
    const offline = await runCli(['downgrade', '--sql', 'a1:base'], { cwd: dir })
    expect(offline.code).toBe(1)
    expect(offline.stderr).toMatch(/^error: downgrade of revision a1 \(tighten authors\) failed: the change to table 'authors' rebuilds it by copy-and-move, which needs its definition/m)
    expect(offline.stderr).toMatch(/^hint: pass copyFrom: .* \(nothing was run: --sql only writes the script, which stops here\)$/m)
    expect(offline.stderr).not.toContain('rolled back')

    const down = await runCli(['downgrade', 'base'], { cwd: dir })
    expect(down.code, down.stderr).toBe(0)
    db = new Database(file)
    try {
      expect(rows(db, 'books')).toEqual(before.books)
      expect(rows(db, 'authors')).toEqual(before.authors)
      expect(columns(db, 'authors').map((c) => [c['name'], c['notnull'], c['dflt_value']])).toEqual([
        ['id', 1, null],
        ['name', 0, null],
        ['country', 0, null],
      ])
    } finally {
      db.close()
    }
  })
})
