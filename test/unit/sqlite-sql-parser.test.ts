import { describe, expect, test } from 'vitest'
import {
  mentionsName,
  parseSqliteCreateIndex,
  parseSqliteCreateTable,
  qualifyCreatedName,
  tokenizeSqlite,
} from '../../src/dialects/sqlite/sqlite-sql-parser.js'
import { sqliteColumnType } from '../../src/dialects/sqlite/sqlite-table-reflector.js'

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`

describe('SQLite DDL parser', () => {
  test('tokens: quoted names of every kind, strings, blobs, comments skipped', () => {
    const tokens = tokenizeSqlite(`"a""b" [c d] \`e\`\`f\` 'it''s' x'0aff' -- comment\n 1.5e3 /* c */ name_é`)
    expect(tokens.map((t) => [t.kind, t.value])).toEqual([
      ['name', 'a"b'],
      ['name', 'c d'],
      ['name', 'e`f'],
      ['string', "it's"],
      ['blob', "x'0aff'"],
      ['number', '1.5e3'],
      ['word', 'name_é'],
    ])
  })

  test('keywords are matched in any ASCII case only, as SQLite matches them (`unıque` is a type name, not UNIQUE)', () => {
    const parsed = parseSqliteCreateTable('CREATE TABLE t (a unıque, b Integer unique CHECK (b > 0), c text nOt NuLl)')
    expect(parsed.columns.map((c) => [c.name, c.declaredType])).toEqual([
      ['a', 'unıque'],
      ['b', 'Integer'],
      ['c', 'text'],
    ])
    expect(parsed.uniques).toEqual([{ columns: ['b'] }])
    expect(parsed.checks).toEqual([{ expression: 'b > 0', column: 'b' }])
  })

  test('CREATE TABLE: column and table constraints, names, checks, collations, foreign keys, options', () => {
    const parsed = parseSqliteCreateTable(`CREATE TABLE "odd ""t" (
      id INTEGER CONSTRAINT pk_t PRIMARY KEY AUTOINCREMENT,
      "e mail" VARCHAR (20) COLLATE NOCASE NOT NULL UNIQUE CHECK ("e mail" LIKE '%@%'),
      amount NUMERIC(10, 2) DEFAULT (1 + 2) CONSTRAINT ck_amount CHECK (amount >= 0),
      parent INT REFERENCES "odd ""t" ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED,
      g INT GENERATED ALWAYS AS (amount * 2) STORED,
      -- a comment, with a comma
      CONSTRAINT uq_pair UNIQUE (amount, parent) ON CONFLICT REPLACE,
      CONSTRAINT fk_x FOREIGN KEY (amount, parent) REFERENCES other (a, b) ON UPDATE NO ACTION NOT DEFERRABLE,
      CHECK (amount < 1000)
    ) STRICT`)
    expect(parsed).toEqual({
      name: 'odd "t',
      columns: [
        { name: 'id', declaredType: 'INTEGER', autoincrement: true },
        { name: 'e mail', declaredType: 'VARCHAR (20)', collation: 'NOCASE', autoincrement: false },
        { name: 'amount', declaredType: 'NUMERIC(10, 2)', autoincrement: false },
        { name: 'parent', declaredType: 'INT', autoincrement: false },
        { name: 'g', declaredType: 'INT', autoincrement: false, generated: { expression: 'amount * 2', stored: true } },
      ],
      primaryKey: { name: 'pk_t', columns: ['id'] },
      uniques: [{ columns: ['e mail'] }, { name: 'uq_pair', columns: ['amount', 'parent'] }],
      checks: [{ expression: `"e mail" LIKE '%@%'`, column: 'e mail' }, { name: 'ck_amount', expression: 'amount >= 0', column: 'amount' }, { expression: 'amount < 1000' }],
      foreignKeys: [
        { columns: ['parent'], referredTable: 'odd "t', referredColumns: [], deferrable: true, initially: 'DEFERRED' },
        { name: 'fk_x', columns: ['amount', 'parent'], referredTable: 'other', referredColumns: ['a', 'b'], deferrable: false },
      ],
      withoutRowid: false,
      strict: true,
      unkept: ['ON CONFLICT REPLACE'],
    })
  })

  test('table-level AUTOINCREMENT and WITHOUT ROWID', () => {
    const parsed = parseSqliteCreateTable('CREATE TABLE t (x INTEGER, y, PRIMARY KEY (x AUTOINCREMENT))')
    expect(parsed.columns[0]).toMatchObject({ name: 'x', autoincrement: true })
    expect(parsed.columns[1]).toMatchObject({ name: 'y', declaredType: '' })
    expect(parseSqliteCreateTable('CREATE TABLE w (k TEXT PRIMARY KEY) WITHOUT ROWID').withoutRowid).toBe(true)
  })

  test('CREATE INDEX: plain names, expressions and ordered terms, WHERE', () => {
    expect(parseSqliteCreateIndex(`CREATE UNIQUE INDEX "ix" ON "t" (lower("e mail"), b ASC, c DESC, d COLLATE NOCASE) WHERE a > 0 AND b IS NOT NULL`)).toEqual({
      unique: true,
      terms: [{ expression: 'lower("e mail")' }, { name: 'b' }, { expression: 'c DESC' }, { expression: 'd COLLATE NOCASE' }],
      where: 'a > 0 AND b IS NOT NULL',
    })
    expect(parseSqliteCreateIndex('CREATE INDEX IF NOT EXISTS ix ON t (a)')).toEqual({ unique: false, terms: [{ name: 'a' }] })
  })

  test('qualifies the created object with an attached database; main stays as it is', () => {
    expect(qualifyCreatedName('CREATE INDEX ix ON t (a)', 'aux', quote)).toBe('CREATE INDEX "aux".ix ON t (a)')
    expect(qualifyCreatedName('CREATE TRIGGER IF NOT EXISTS "t g" AFTER INSERT ON t BEGIN SELECT 1; END', 'a"x', quote)).toBe(
      'CREATE TRIGGER IF NOT EXISTS "a""x"."t g" AFTER INSERT ON t BEGIN SELECT 1; END',
    )
    expect(qualifyCreatedName('CREATE INDEX ix ON t (a)', 'main', quote)).toBe('CREATE INDEX ix ON t (a)')
    expect(qualifyCreatedName('CREATE INDEX ix ON t (a)', undefined, quote)).toBe('CREATE INDEX ix ON t (a)')
  })

  test('mentionsName looks at names, not string literals', () => {
    expect(mentionsName(`"Price" > 0`, 'price')).toBe(true)
    expect(mentionsName(`label <> 'price'`, 'price')).toBe(false)
  })

  test('declared types: typed when the compiler writes them back, else kept as written', () => {
    expect(sqliteColumnType('integer')).toEqual({ kind: 'integer' })
    expect(sqliteColumnType('VARCHAR(20)')).toEqual({ kind: 'varchar', length: 20 })
    expect(sqliteColumnType('NUMERIC(10, 2)')).toEqual({ kind: 'numeric', precision: 10, scale: 2 })
    expect(sqliteColumnType('NUMERIC(10,2)')).toEqual({ kind: 'custom', sql: 'NUMERIC(10,2)' })
    expect(sqliteColumnType('INT')).toEqual({ kind: 'custom', sql: 'INT' })
    expect(sqliteColumnType('')).toEqual({ kind: 'custom', sql: '' })
    // Not INTEGER to SQLite (its type names fold ASCII letters only): kept, so a rebuild keeps its affinity.
    expect(sqliteColumnType('ınteger')).toEqual({ kind: 'custom', sql: 'ınteger' })
  })
})
