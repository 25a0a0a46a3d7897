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
