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
import { query, queryAll } from '../support/inspect.js'
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

  it.skipIf(dialect !== 'postgresql')('PostgreSQL: defaults and index predicates and expressions it re-prints settle; a real change of each is found, and goes up and down', async () => {
    const project = modelsProject(url())
    project.models(postgresDefaults(false))
    await project.autogenerate('base')
    await project.ok(['upgrade', 'head'])
    const check = await project.run(['check'])
    expectExit(check, 0, ['check'])
    const before = await postgresCatalog(url())
    expect(before.defaults['ttl']).toBe("'01:00:00'::interval")
    expect(before.defaults['tags']).toBe("'{a,b}'::text[]")
    expect(before.indexes['ix_one']).toContain('WHERE (n = 1)')

    // A new enum type the probe table must have too, beside the real changes.
    project.models(postgresDefaults(true))
    const { file, result } = await project.autogenerate('change')
    expect(detectedLines(result).sort()).toEqual([
      "Detected added column 't.tier'",
      "Detected added enum type 'tier' ('free', 'pro')",
      "Detected changed default of 't.ttl': '01:00:00' -> '2 hours'",
      "Detected changed index 'ix_one': t(id) WHERE n = 1 -> t(id) WHERE n IN (2)",
    ])
    await project.ok(['upgrade', 'head'])
    expectExit(await project.run(['check']), 0, ['check'])
    const after = await postgresCatalog(url())
    expect(after.defaults['ttl']).toBe("'02:00:00'::interval")
    expect(after.indexes['ix_one']).toContain('WHERE (n = 2)')
    await project.ok(['downgrade', '-1'])
    expect(await postgresCatalog(url())).toEqual(before)
    fs.rmSync(file)
    project.models(postgresDefaults(false))
    expectExit(await project.run(['check']), 0, ['check'])
    await project.ok(['downgrade', 'base'])
  })
})

describeDialects('PostgreSQL type changes under index predicates', ({ dialect, url }) => {
  it.skipIf(dialect !== 'postgresql')('a partial index comparing a column with a literal goes around a change of its type, both ways', async () => {
    const models = (timezone: boolean): string => `import { MetaData, array, index, integer, sql, text, timestamp, varchar } from 'migrator'

export const metadata = new MetaData()
export const tickets = metadata.table('tickets', {
  id: integer().primaryKey(),
  created_at: timestamp({ timezone: ${timezone} }).notNull(),
  tags: array(${timezone ? 'text()' : 'varchar(20)'}),
}, {
  indexes: [
    index('ix_tickets_new').on('id').where(sql\`created_at >= '2024-01-01'\`),
    index('ix_tickets_tagged').on('id').where(sql\`tags <> '{}'\`),
  ],
})
`
    const project = modelsProject(url())
    project.models(models(false))
    await project.autogenerate('base')
    await project.ok(['upgrade', 'head'])
    await queryAll(dialect, url(), ["INSERT INTO tickets VALUES (1, '2024-05-01', '{a}')"])
    expectExit(await project.run(['check']), 0, ['check'])
    project.models(models(true))
    const { result } = await project.autogenerate('timezone')
    // Rebuilt by PostgreSQL, the predicates would use a cast that is not immutable, or compare text[] with varchar[].
    expect(detectedLines(result).filter((line) => line.includes('recreated index')).sort()).toEqual([
      "Detected recreated index 'ix_tickets_new' on 'tickets': its column 'created_at' changes type",
      "Detected recreated index 'ix_tickets_tagged' on 'tickets': its column 'tags' changes type",
    ])
    await project.ok(['upgrade', 'head'])
    expectExit(await project.run(['check']), 0, ['check'])
    await project.ok(['downgrade', '-1'])
    expect(await query(dialect, url(), 'SELECT id FROM tickets')).toEqual([{ id: 1 }])
    await project.ok(['downgrade', 'base'])
  })
})

/** PostgreSQL: defaults and index predicates and expressions written as people write them, which it re-prints. */
function postgresDefaults(changed: boolean): string {
  return `import { MetaData, array, check, enumType, index, integer, interval, sql, text, timestamp, varchar } from 'migrator'

export const metadata = new MetaData()
// The same predicate and condition on two tables whose columns differ in type: spelled differently.
for (const [name, timezone] of [['orders', true], ['orders_archive', false]] as const) {
  metadata.table(name, {
    id: integer().primaryKey(),
    status: text().notNull(),
    created_at: timestamp({ timezone }).notNull(),
  }, {
    indexes: [index(\`ix_\${name}_live\`).on('created_at').where(sql\`status NOT IN ('deleted') AND created_at >= '2024-01-01'\`)],
    checks: [check(\`ck_\${name}_recent\`, sql\`status NOT IN ('x') OR created_at >= '2020-01-01'\`)],
  })
}
export const t = metadata.table('t', {
  id: integer().primaryKey(),
  n: integer(),
  s: varchar(20),${changed ? "\n  tier: enumType('tier', ['free', 'pro']).default('free')," : ''}
  ttl: interval().default(sql\`'${changed ? '2 hours' : '1 hour'}'\`),
  ttl_minutes: interval().default(sql\`'90 minutes'\`),
  ttl_months: interval().default('1 year 2 months'),
  ttl_iso: interval().default(sql\`'P1D'\`),
  tags: array(text()).default(sql\`'{"a","b"}'\`),
}, {
  indexes: [
    index('ix_one').on('id').where(sql\`n IN (${changed ? 2 : 1})\`),
    index('ix_cast').on('id').where(sql\`s::text <> ''\`),
    index('ix_expr').on(sql\`(n + 1)\`, sql\`s || 'x'\`),
  ],
})
`
}

/** The defaults (as `pg_get_expr` prints them) and index definitions of table t. */
async function postgresCatalog(url: string): Promise<{ defaults: Record<string, string>; indexes: Record<string, string> }> {
  const defaults = await query(
    'postgresql',
    url,
    "SELECT a.attname AS name, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS text FROM pg_catalog.pg_attrdef d JOIN pg_catalog.pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum WHERE d.adrelid = 't'::regclass",
  )
  const indexes = await query('postgresql', url, "SELECT indexname AS name, indexdef AS text FROM pg_catalog.pg_indexes WHERE tablename = 't'")
  const byName = (rows: Record<string, unknown>[]): Record<string, string> => Object.fromEntries(rows.map((r) => [String(r['name']), String(r['text'])]))
  return { defaults: byName(defaults), indexes: byName(indexes) }
}
