/**
 * End-to-end, through the CLI: check conditions and defaults written the way people write them,
 * which the databases store re-printed (MariaDB: `lower` as `lcase`, `NOT (a = 7)` as `a <> 7`,
 * `%` as `MOD`, `length` as `octet_length`, NOT pushed through AND/OR, `now(6)` as
 * `current_timestamp(6)`…; PostgreSQL adds casts and parentheses, on a table with an enum column
 * too), and generated columns'
 * expressions, which they re-print alike. A revision builds them,
 * `check` then exits 0 (no change shown for ever), a real change of one condition is still the
 * one difference found, and it goes up and down.
 */
import fs from 'node:fs'
import { afterAll, expect, it } from 'vitest'
import { removeScratchDirs } from '../support/cli.js'
import type { TestDialect } from '../support/databases.js'
import { detectedLines, modelsProject } from '../support/autogenerate.js'
import { queryAll } from '../support/inspect.js'
import { describeDialects, expectExit } from '../support/runtime.js'

afterAll(removeScratchDirs)

/** Conditions every database takes, as written. */
const PORTABLE = [
  "lower(b) <> 'x'",
  'NOT (a = 7)',
  'a % 2 = 0 OR a IS NULL',
  'length(b) > 0',
  "NOT (a > 100 AND b = 'big')",
  'a IN (1) OR a IS NULL OR a > 1',
  "b NOT LIKE 'z%'",
  'abs(a) >= 0',
  'coalesce(a, 0) != 42',
  'NOT (NOT (a >= 0))',
  "upper(trim(b)) <> 'Q'",
  "substr(b, 1, 2) <> 'zz'",
]

/** Conditions in MySQL's own words, which MariaDB re-prints too. */
const MYSQL = ['a > -1 && a < 1000 || a IS NULL', "instr(b, 'q') = 0", 'ceil(a) >= 0', 'round(a) >= 0', "date(d) > '2000-01-01'", 'NOT f', "mid(b, 1, 1) <> '#'", "position('@' in b) = 0"]

/** PostgreSQL: conditions on an enum column (the probe's table uses the type the database has). */
const POSTGRES = ["w IN ('ok')", "w NOT IN ('meh')"]

function models(dialect: TestDialect, changed: boolean): string {
  const conditions = [...PORTABLE, ...(dialect === 'mysql' ? MYSQL : []), ...(dialect === 'postgresql' ? POSTGRES : [])]
  const checks = conditions.map((c, i) => `    check('ck_t_${i}', sql\`${changed && i === 0 ? "lower(b) <> 'y'" : c}\`),`).join('\n')
  const mysqlDefaults = dialect === 'mysql' ? "\n  t6: timestamp({ precision: 6 }).default(sql`now(6)`),\n  lt: timestamp().default(sql`LOCALTIMESTAMP`)," : ''
  // Generated columns' expressions are re-printed too (MariaDB: ucase, backquotes; PostgreSQL: TRIM(BOTH FROM …), casts).
  const generated =
    dialect === 'mysql'
      ? "\n  loud: varchar(40).generatedAlwaysAs(sql`concat(upper(trim(b)), '!')`, { stored: true }),\n  half: integer().generatedAlwaysAs(sql`a DIV 2 + length(b) % 3`),"
      : "\n  loud: varchar(40).generatedAlwaysAs(sql`upper(trim(b)) || '!'`, { stored: true }),\n  half: integer().generatedAlwaysAs(sql`a / 2 + length(b) % 3`, { stored: true }),"
  return `import { MetaData, boolean, check, enumType, integer, sql, timestamp, varchar } from 'migrator'

export const metadata = new MetaData()
export const t = metadata.table('t', {
  id: integer().primaryKey(),
  a: integer(),
  b: varchar(20),
  f: boolean().notNull().default(false),
  d: timestamp(),${mysqlDefaults}${generated}${dialect === 'postgresql' ? "\n  w: enumType('mood', ['ok', 'meh'])," : ''}
}, {
  checks: [
${checks}
  ],
})
`
}

describeDialects('conditions and defaults as the databases re-print them', ({ dialect, url }) => {
  it('compares them as written: check exits 0 after the revision, and a real change is the one difference', async () => {
    const project = modelsProject(url())
    project.models(models(dialect, false))
    await project.autogenerate('base')
    await project.ok(['upgrade', 'head'])
    expectExit(await project.run(['check']), 0, ['check'])
    await queryAll(dialect, url(), ["INSERT INTO t (id, a, b) VALUES (1, 2, 'ok')"])

    project.models(models(dialect, true))
    const { file, result } = await project.autogenerate('change one')
    expect(detectedLines(result)).toEqual([expect.stringMatching(/^Detected changed check constraint 'ck_t_0' on 't': /)])
    await project.ok(['upgrade', 'head'])
    expectExit(await project.run(['check']), 0, ['check'])
    await project.ok(['downgrade', '-1'])
    fs.rmSync(file)
    project.models(models(dialect, false))
    expectExit(await project.run(['check']), 0, ['check'])
    await project.ok(['downgrade', 'base'])
  })
})
