import { describe, expect, it } from 'vitest'
import { getDialect } from '../../src/dialects/index.js'
import type { DialectName } from '../../src/dialects/dialect.js'
import { bindNamedParameters, inlineParameters } from '../../src/runtime/sql-text.js'
import { UsageError } from '../../src/errors.js'
import { OperationFactory } from '../../src/operations/factory.js'

const pg = getDialect('postgresql')
const my = getDialect('mysql')
const lite = getDialect('sqlite')

describe('bindNamedParameters', () => {
  it('turns :name into the dialect placeholder, in order of use', () => {
    const sql = 'UPDATE t SET a = :a, b = :b WHERE c = :a'
    expect(bindNamedParameters(pg, sql, { a: 1, b: 'x' })).toEqual({
      sql: 'UPDATE t SET a = $1, b = $2 WHERE c = $1',
      values: [1, 'x'],
    })
    // `?` placeholders cannot repeat a position: the value is sent once per use.
    expect(bindNamedParameters(my, sql, { a: 1, b: 'x' })).toEqual({
      sql: 'UPDATE t SET a = ?, b = ? WHERE c = ?',
      values: [1, 'x', 1],
    })
  })

  it('leaves PostgreSQL casts, strings, quoted identifiers and comments alone', () => {
    const sql = `SELECT :v::text, ':not', "col:umn", 'it''s :x' -- :y\n, /* :z */ :w`
    const bound = bindNamedParameters(pg, sql, { v: 1, w: 2 })
    expect(bound.sql).toBe(`SELECT $1::text, ':not', "col:umn", 'it''s :x' -- :y\n, /* :z */ $2`)
    expect(bound.values).toEqual([1, 2])
  })

  it('honours MySQL backslash escapes inside strings', () => {
    const sql = "SELECT 'a\\' :still_string', :real"
    const bound = bindNamedParameters(my, sql, { real: 5 })
    expect(bound.sql).toBe("SELECT 'a\\' :still_string', ?")
    expect(bound.values).toEqual([5])
  })

  it('reads MySQL backslash escapes in "…" strings but not in `…` identifiers', () => {
    // A backslash ends nothing inside backticks: `a\` is a complete identifier.
    expect(bindNamedParameters(my, 'SELECT `a\\`, :x', { x: 1 }).sql).toBe('SELECT `a\\`, ?')
    expect(bindNamedParameters(my, 'SELECT "a\\" :no", :x', { x: 1 }).sql).toBe('SELECT "a\\" :no", ?')
  })

  it("skips MySQL's # comments, and takes -- for a comment only before a space", () => {
    // A quote in a # comment opens no string: the parameter after it is found.
    expect(bindNamedParameters(my, "SELECT :a # it's :no\n, :b", { a: 1, b: 2 }).sql).toBe("SELECT ? # it's :no\n, ?")
    // `5--:a` is five minus minus :a; `-- :no` and a `--` ending the text are comments.
    expect(bindNamedParameters(my, 'SELECT 5--:a, 1 -- :no\n, :b --', { a: 1, b: 2 }).sql).toBe('SELECT 5--?, 1 -- :no\n, ? --')
    // Elsewhere # is code (PostgreSQL's XOR operator) and any -- a comment.
    expect(bindNamedParameters(pg, 'SELECT 5 # :a --:no', { a: 1 }).sql).toBe('SELECT 5 # $1 --:no')
  })

  it("skips PostgreSQL's dollar-quoted bodies, E'…' strings and nested comments", () => {
    const body = "CREATE FUNCTION f() RETURNS text AS $fn$ SELECT 'it''s :no' || $$:no isn't$$ $fn$ LANGUAGE sql; SELECT :a"
    expect(bindNamedParameters(pg, body, { a: 1 }).sql).toBe(body.replace(':a', '$1'))
    expect(bindNamedParameters(pg, 'SELECT $$ :no', {}).sql).toBe('SELECT $$ :no')
    // $1 and a$b$ are no tags; `x$` ends an identifier.
    expect(bindNamedParameters(pg, 'SELECT a$b$, :a', { a: 1 }).sql).toBe('SELECT a$b$, $1')
    expect(bindNamedParameters(pg, "SELECT E'it\\'s :no', e'\\\\', :a, some'x'", { a: 1 }).sql).toBe("SELECT E'it\\'s :no', e'\\\\', $1, some'x'")
    expect(bindNamedParameters(pg, 'SELECT /* a /* :no */ :no */ :a', { a: 1 }).sql).toBe('SELECT /* a /* :no */ :no */ $1')
    // MySQL neither nests comments nor knows dollar quotes; backticks quote nothing on PostgreSQL.
    expect(bindNamedParameters(my, 'SELECT /* /* */ :a, $$ :b $$', { a: 1, b: 2 }).sql).toBe('SELECT /* /* */ ?, $$ ? $$')
    expect(bindNamedParameters(pg, 'SELECT `:a`', { a: 1 }).sql).toBe('SELECT `$1`')
  })

  it("skips SQLite's [bracketed] and `backticked` identifiers", () => {
    expect(bindNamedParameters(lite, 'SELECT [a:no], `b:no`, :a', { a: 1 }).sql).toBe('SELECT [a:no], `b:no`, ?')
    expect(bindNamedParameters(pg, 'SELECT arr[:a]', { a: 1 }).sql).toBe('SELECT arr[$1]')
  })

  it('is the scanner the DDL compilers use for op.execute', () => {
    const compiled = my.ddlCompiler().compile(new OperationFactory().execute('SELECT `a\\`, :x, "b\\" :no"', { x: "it's" }))
    expect(compiled).toEqual(['SELECT `a\\`, \'it\'\'s\', "b\\" :no"'])
  })

  it('rejects a parameter without a value, naming it', () => {
    expect(() => bindNamedParameters(lite, 'SELECT :missing', {})).toThrow(UsageError)
    expect(() => bindNamedParameters(lite, 'SELECT :missing', {})).toThrow(/:missing/)
  })
})

describe('inlineParameters (offline --sql)', () => {
  const cases: Record<DialectName, { sql: string; expected: string }> = {
    postgresql: { sql: 'INSERT INTO t VALUES ($1, $2, $1)', expected: "INSERT INTO t VALUES ('it''s', NULL, 'it''s')" },
    mysql: { sql: 'INSERT INTO t VALUES (?, ?)', expected: "INSERT INTO t VALUES ('it''s', NULL)" },
    sqlite: { sql: 'INSERT INTO t VALUES (?, ?)', expected: "INSERT INTO t VALUES ('it''s', NULL)" },
  }
  for (const [name, { sql, expected }] of Object.entries(cases)) {
    it(`writes escaped literals on ${name}`, () => {
      expect(inlineParameters(getDialect(name as DialectName), sql, ["it's", null])).toBe(expected)
    })
  }

  it('doubles backslashes on MySQL only', () => {
    expect(inlineParameters(my, 'SELECT ?', ['a\\b'])).toBe("SELECT 'a\\\\b'")
    expect(inlineParameters(lite, 'SELECT ?', ['a\\b'])).toBe("SELECT 'a\\b'")
  })

  it('does not touch a ? inside a string literal', () => {
    expect(inlineParameters(lite, "SELECT '?', ?", [1])).toBe("SELECT '?', 1")
  })

  it('writes an injection attempt as one harmless literal', () => {
    const text = inlineParameters(lite, 'SELECT ?', ["x'); DROP TABLE users; --"])
    expect(text).toBe("SELECT 'x''); DROP TABLE users; --'")
  })
})
