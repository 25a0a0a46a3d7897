#!/usr/bin/env node
/**
 * `npm run bench`: wall times of the built CLI (bin/migrator.js, dist/) against DESIGN §11.
 *
 * Prints one line per scenario with the figure, the target and OK / MISSED. It measures, it does not
 * assert: a missed target never makes it exit non-zero. Scratch projects and databases are created
 * under os.tmpdir() / on the local servers and removed at the end (also on Ctrl-C).
 *
 *   1. `--version` and `--help` (median of 10 spawns)
 *   2. `heads`, `history`, `current` (SQLite) over 2,000 and 4,000 linear revision files (median of 5)
 *   3. `upgrade head` + `downgrade base` of 300 small revisions on SQLite, PostgreSQL, MariaDB/MySQL,
 *      each run on a fresh database, with a cold jiti transform cache and then a warm one
 *   4. peak memory (max RSS) of the 300-revision upgrade
 *   5. no-change autogenerate on 500 tables (10 columns, an index, a unique constraint and a foreign
 *      key each) on SQLite, PostgreSQL, MariaDB/MySQL: the schema built once from a generated
 *      models file, then `check` and `revision --autogenerate` timed (median of 5 / 3) with their
 *      query counts (MIGRATOR_DEBUG_QUERY_COUNT=1); the catalog count is also taken on 50 tables,
 *      to show it does not grow. Judged against DESIGN §11's Alembic figure (2.7 s on PostgreSQL);
 *      when Alembic is installed, its `revision --autogenerate` on the same database is timed beside
 *      it (its version printed: the figure is Alembic 1.20's, older ones reflect table by table).
 * Beside 3: the same SQL straight through the driver (the database's share of the time) and, when
 * Alembic is installed (`alembic` on PATH, or MIGRATOR_BENCH_ALEMBIC=/path/to/alembic, with
 * psycopg2 and PyMySQL), Alembic's time on the same database, which the 3x target is judged
 * against; without it, against DESIGN §11's 2 s reference. CPU times come from /usr/bin/time.
 *
 * `npm run bench -- autogenerate` (or startup, graph, upgrade) runs only the scenarios named.
 *
 * Servers: MIGRATOR_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres) and
 * MIGRATOR_TEST_MYSQL_URL (default mysql://root@127.0.0.1:3306/test); one that cannot be reached is
 * reported as SKIPPED.
 */
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const BIN = path.join(ROOT, 'bin', 'migrator.js')
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined

/** Alembic, upgrade + downgrade of 300 revisions on local PostgreSQL (DESIGN §11, issue 2). */
const ALEMBIC_300_MS = 2000
const TARGET_300_MS = Math.round(ALEMBIC_300_MS / 3)

const SERVERS = {
  postgresql: process.env.MIGRATOR_TEST_POSTGRES_URL || 'postgresql://postgres@127.0.0.1:5432/postgres',
  mysql: process.env.MIGRATOR_TEST_MYSQL_URL || 'mysql://root@127.0.0.1:3306/test',
}

const cleanups = []
const scratch = (prefix) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

// ---------------------------------------------------------------- output

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
const ms = (value) => `${Math.round(value)} ms`.padStart(8)

function line(label, figure, how, target) {
  let text = `${label.padEnd(50)} ${figure.padStart(8)} ${how.padEnd(26)}`
  if (target) text += ` target < ${target.limit}${target.unit ?? ' ms'}`.padEnd(18) + (target.value < target.limit ? '  OK' : '  MISSED')
  console.log(text.trimEnd())
}
const skipped = (label, why) => console.log(`${label.padEnd(50)} SKIPPED (${why})`)

// ---------------------------------------------------------------- running the CLI

/**
 * Runs the CLI once; returns its wall time (ms) and, with /usr/bin/time, its max RSS (KiB) and
 * CPU time (user + system, ms: what the machine's load does not inflate).
 * @throws when it exits non-zero
 */
function cli(args, { cwd, env = {}, tmpdir } = {}) {
  const childEnv = { ...process.env, NO_COLOR: '1', ...env }
  delete childEnv.MIGRATOR_CONFIG
  if (!('MIGRATOR_DATABASE_URL' in env)) delete childEnv.MIGRATOR_DATABASE_URL
  if (tmpdir) childEnv.TMPDIR = tmpdir
  const command = TIME ? TIME : process.execPath
  const argv = TIME ? ['-f', '@@maxrss=%M cpu=%U+%S', process.execPath, BIN, ...args] : [BIN, ...args]
  const start = process.hrtime.bigint()
  const result = spawnSync(command, argv, { cwd: cwd ?? ROOT, env: childEnv, encoding: 'utf8', maxBuffer: 64 << 20 })
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  let stderr = result.stderr ?? ''
  let rss
  let cpu
  const match = /@@maxrss=(\d+) cpu=([\d.]+)\+([\d.]+)\s*$/.exec(stderr)
  if (match) {
    rss = Number(match[1])
    cpu = (Number(match[2]) + Number(match[3])) * 1000
    stderr = stderr.slice(0, match.index)
  }
  if (result.status !== 0) {
    throw new Error(`migrator ${args.join(' ')} exited ${result.status}: ${(stderr || result.stdout).trim().split('\n').slice(0, 5).join(' | ')}`)
  }
  return { wall, rss, cpu, stdout: result.stdout }
}

const times = (n, run) => Array.from({ length: n }, run)

// ---------------------------------------------------------------- scratch projects

/** A project with `count` linear revisions `r00001 … rNNNNN`; `body(i)` gives upgrade/downgrade. */
function makeProject(count, body = () => ({ up: 'void op', down: 'void op' })) {
  const dir = scratch('migrator-bench-')
  const versions = path.join(dir, 'migrations', 'versions')
  mkdirSync(versions, { recursive: true })
  writeFileSync(path.join(dir, 'migrator.ini'), `[migrator]\nscript_location = %(here)s/migrations\ndatabase_url = sqlite:///app.db\n`)
  writeFileSync(path.join(dir, 'migrations', 'env.ts'), "import { defineEnv } from 'migrator'\n\nexport default defineEnv({})\n")
  const id = (i) => `r${String(i).padStart(5, '0')}`
  for (let i = 1; i <= count; i++) {
    const { up, down } = body(i)
    const text = [
      '/**',
      ` * revision ${i}`,
      ' *',
      ` * Revision ID: ${id(i)}`,
      ` * Revises: ${i === 1 ? '' : id(i - 1)}`,
      ' * Create Date: 2026-01-01 00:00:00.000000+00:00',
      ' */',
      "import type { Operations } from 'migrator'",
      '',
      `export const revision = '${id(i)}'`,
      `export const downRevision: string | readonly string[] | null = ${i === 1 ? 'null' : `'${id(i - 1)}'`}`,
      'export const branchLabels: string | readonly string[] | null = null',
      'export const dependsOn: string | readonly string[] | null = null',
      '',
      'export async function upgrade(op: Operations): Promise<void> {',
      `  ${up}`,
      '}',
      '',
      'export async function downgrade(op: Operations): Promise<void> {',
      `  ${down}`,
      '}',
      '',
    ].join('\n')
    writeFileSync(path.join(versions, `${id(i)}_revision_${i}.ts`), text)
  }
  return dir
}

// ---------------------------------------------------------------- databases

const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET'])
const isUnreachable = (error) =>
  UNREACHABLE.has(error?.code) ||
  (Array.isArray(error?.errors) && error.errors.some(isUnreachable)) ||
  /timeout|terminated unexpectedly/i.test(String(error?.message))

function connection(server) {
  const url = new URL(server)
  return {
    host: decodeURIComponent(url.hostname.replace(/^\[|\]$/g, '')) || '127.0.0.1',
    port: url.port ? Number(url.port) : undefined,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: url.pathname.length > 1 ? decodeURIComponent(url.pathname.slice(1)) : undefined,
  }
}

async function admin(dialect, sql) {
  if (dialect === 'postgresql') {
    const { default: pg } = await import('pg')
    const client = new pg.Client({ ...connection(SERVERS.postgresql), connectionTimeoutMillis: 3000 })
    client.on('error', () => undefined)
    await client.connect()
    try {
      for (const statement of sql) await client.query(statement)
    } finally {
      await client.end().catch(() => undefined)
    }
  } else {
    const { default: mysql } = await import('mysql2/promise')
    const conn = await mysql.createConnection({ ...connection(SERVERS.mysql), connectTimeout: 3000 })
    conn.on('error', () => undefined)
    try {
      for (const statement of sql) await conn.query(statement)
    } finally {
      await conn.end().catch(() => undefined)
    }
  }
}

/** A fresh database; returns its URL and drop(). */
async function freshDatabase(dialect) {
  const name = `migrator_bench_${randomBytes(5).toString('hex')}`
  if (dialect === 'sqlite') {
    const dir = scratch('migrator-bench-db-')
    const file = path.join(dir, `${name}.db`)
    return { url: `sqlite:///${file}`, file, drop: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const quote = dialect === 'postgresql' ? (n) => `"${n}"` : (n) => `\`${n}\``
  await admin(dialect, [`CREATE DATABASE ${quote(name)}`])
  let dropped = false
  const drop = async () => {
    if (dropped) return
    dropped = true
    await admin(dialect, [`DROP DATABASE IF EXISTS ${quote(name)}`])
  }
  cleanups.push(() => drop().catch(() => undefined))
  const url = new URL(SERVERS[dialect])
  url.pathname = `/${name}`
  return { url: url.toString(), drop }
}

async function reachable(dialect) {
  if (dialect === 'sqlite') return undefined
  try {
    await admin(dialect, ['SELECT 1'])
    return undefined
  } catch (error) {
    return isUnreachable(error) ? 'not reachable' : `error: ${String(error?.message ?? error).split('\n')[0]}`
  }
}

// ---------------------------------------------------------------- scenarios

function startup() {
  for (const flag of ['--version', '--help']) {
    cli([flag]) // warm the OS file cache
    const runs = times(10, () => cli([flag]))
    const wall = median(runs.map((r) => r.wall))
    line(`${flag}`, ms(wall), `(median of 10${cpuNote(runs)})`, { value: wall, limit: 150 })
  }
}

const cpuNote = (runs) => {
  const cpu = runs.map((r) => r.cpu).filter((v) => v !== undefined)
  return cpu.length ? `, cpu ${Math.round(median(cpu))}` : ''
}

function graphCommands() {
  const results = {}
  for (const count of [2000, 4000]) {
    const dir = makeProject(count)
    const tmp = scratch('migrator-bench-tmp-')
    for (const command of ['heads', 'history', 'current']) {
      cli([command], { cwd: dir, tmpdir: tmp }) // warm-up (and a valid run)
      const runs = times(5, () => cli([command], { cwd: dir, tmpdir: tmp }))
      const wall = median(runs.map((r) => r.wall))
      const cpu = runs[0].cpu === undefined ? undefined : median(runs.map((r) => r.cpu))
      results[`${command}/${count}`] = { wall, cpu }
      const label = `${command} (${count.toLocaleString('en-US')} revisions${command === 'current' ? ', SQLite' : ''})`
      line(label, ms(wall), `(median of 5${cpuNote(runs)})`, count === 2000 ? { value: wall, limit: 500 } : undefined)
    }
  }
  // Linear growth: 4,000 files cost at most ~2x what 2,000 cost (judged on CPU time when known,
  // which the machine's load does not distort).
  for (const command of ['heads', 'history', 'current']) {
    const [small, large] = [results[`${command}/2000`], results[`${command}/4000`]]
    const wallRatio = large.wall / small.wall
    const cpuRatio = small.cpu && large.cpu ? large.cpu / small.cpu : undefined
    const ratio = cpuRatio ?? wallRatio
    line(`${command}: 4,000 vs 2,000 revisions`, `${ratio.toFixed(2)}x`, cpuRatio ? `(cpu; wall ${wallRatio.toFixed(2)}x)` : '(wall)', { value: ratio, limit: 2.2, unit: 'x' })
  }
}

/**
 * The database's share: the statements `upgrade head` + `downgrade base` of the 300 revisions send
 * (each DDL statement and its version-row write; one transaction where DDL is transactional),
 * straight through the driver in this process, on a fresh database. migrator's own cost is the
 * difference to the figures above.
 */
async function databaseFloor(dialect) {
  const db = await freshDatabase(dialect)
  let session
  try {
    if (dialect === 'sqlite') {
      const { default: Database } = await import('better-sqlite3')
      const conn = new Database(db.file)
      session = { query: async (sql, params = []) => conn.prepare(sql).run(...params), close: async () => conn.close(), transactional: true }
    } else if (dialect === 'postgresql') {
      const { default: pg } = await import('pg')
      const client = new pg.Client({ ...connection(db.url) })
      await client.connect()
      session = { query: (sql, params) => client.query(sql, params), close: () => client.end(), transactional: true }
    } else {
      const { default: mysql } = await import('mysql2/promise')
      const conn = await mysql.createConnection({ ...connection(db.url) })
      session = { query: (sql, params) => conn.query(sql, params), close: () => conn.end(), transactional: false }
    }
    const { query, transactional } = session
    const id = (i) => `r${String(i).padStart(5, '0')}`
    const begin = () => (transactional ? query('BEGIN') : undefined)
    const commit = () => (transactional ? query('COMMIT') : undefined)
    const mark = dialect === 'postgresql' ? ['$1', '$2'] : ['?', '?']
    const cpuStart = process.cpuUsage()
    const started = process.hrtime.bigint()
    await query('CREATE TABLE migrator_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)')
    await begin()
    await query(`INSERT INTO migrator_version (version_num) VALUES (${mark[0]})`, [id(1)])
    for (let i = 1; i <= 300; i++) {
      await query(`CREATE TABLE t_${i} (id INTEGER PRIMARY KEY)`)
      if (i > 1) await query(`UPDATE migrator_version SET version_num = ${mark[0]} WHERE version_num = ${mark[1]}`, [id(i), id(i - 1)])
    }
    await commit()
    const upgraded = process.hrtime.bigint()
    await begin()
    for (let i = 300; i >= 1; i--) {
      await query(`DROP TABLE t_${i}`)
      if (i > 1) await query(`UPDATE migrator_version SET version_num = ${mark[0]} WHERE version_num = ${mark[1]}`, [id(i - 1), id(i)])
      else await query(`DELETE FROM migrator_version WHERE version_num = ${mark[0]}`, [id(1)])
    }
    await commit()
    const done = process.hrtime.bigint()
    const cpu = process.cpuUsage(cpuStart)
    return { up: Number(upgraded - started) / 1e6, down: Number(done - upgraded) / 1e6, cpu: (cpu.user + cpu.system) / 1000 }
  } finally {
    await session?.close().catch(() => undefined)
    await db.drop()
  }
}

const LABEL = { sqlite: 'SQLite', postgresql: 'PostgreSQL', mysql: 'MariaDB/MySQL' }

// ---------------------------------------------------------------- Alembic on the same databases (optional)

/** The alembic executable: MIGRATOR_BENCH_ALEMBIC, else `alembic` on PATH; undefined when there is none. */
function findAlembic() {
  if (process.env.MIGRATOR_BENCH_ALEMBIC) return process.env.MIGRATOR_BENCH_ALEMBIC
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'alembic'))) return path.join(dir, 'alembic')
  }
  return undefined
}

/** The Alembic twin of the 300-revision project: the same statements, one revision per file. */
function makeAlembicProject(count) {
  const dir = scratch('migrator-bench-alembic-')
  const versions = path.join(dir, 'migrations', 'versions')
  mkdirSync(versions, { recursive: true })
  writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = %(here)s/migrations\n')
  writeFileSync(
    path.join(dir, 'migrations', 'env.py'),
    [
      'import os',
      'from alembic import context',
      'from sqlalchemy import create_engine, pool',
      '',
      'engine = create_engine(os.environ["BENCH_DATABASE_URL"], poolclass=pool.NullPool)',
      'with engine.connect() as connection:',
      '    context.configure(connection=connection, target_metadata=None)',
      '    with context.begin_transaction():',
      '        context.run_migrations()',
      '',
    ].join('\n'),
  )
  const id = (i) => `r${String(i).padStart(5, '0')}`
  for (let i = 1; i <= count; i++) {
    writeFileSync(
      path.join(versions, `${id(i)}_revision_${i}.py`),
      [
        `"""revision ${i}`,
        '',
        `Revision ID: ${id(i)}`,
        '"""',
        'from alembic import op',
        '',
        `revision = '${id(i)}'`,
        `down_revision = ${i === 1 ? 'None' : `'${id(i - 1)}'`}`,
        'branch_labels = None',
        'depends_on = None',
        '',
        '',
        'def upgrade():',
        `    op.execute("CREATE TABLE t_${i} (id INTEGER PRIMARY KEY)")`,
        '',
        '',
        'def downgrade():',
        `    op.execute("DROP TABLE t_${i}")`,
        '',
      ].join('\n'),
    )
  }
  return dir
}

/** SQLAlchemy's URL for a test database (PostgreSQL: its default driver, psycopg2; MySQL: PyMySQL). */
function sqlalchemyUrl(dialect, db) {
  if (dialect === 'sqlite') return `sqlite:///${db.file}`
  const url = new URL(db.url)
  return `${dialect === 'postgresql' ? 'postgresql+psycopg2' : 'mysql+pymysql'}://${url.username}${url.password ? `:${url.password}` : ''}@${url.host}${url.pathname}`
}

/** Alembic's `upgrade head` + `downgrade base` on a fresh database: the second of two runs (warm .pyc). */
async function alembicRun(alembic, project, dialect) {
  let result
  for (let i = 0; i < 2; i++) {
    const db = await freshDatabase(dialect)
    try {
      const env = { ...process.env, BENCH_DATABASE_URL: sqlalchemyUrl(dialect, db) }
      const timed = (args) => {
        const start = process.hrtime.bigint()
        const run = spawnSync(alembic, ['-c', path.join(project, 'alembic.ini'), ...args], { cwd: project, env, encoding: 'utf8' })
        if (run.status !== 0) throw new Error((run.stderr || run.stdout).trim().split('\n').pop())
        return Number(process.hrtime.bigint() - start) / 1e6
      }
      result = { up: timed(['upgrade', 'head']), down: timed(['downgrade', 'base']) }
    } finally {
      await db.drop()
    }
  }
  return result
}

// ---------------------------------------------------------------- 300 revisions

async function upgradeDowngrade(project) {
  const alembic = findAlembic()
  const alembicProject = alembic ? makeAlembicProject(300) : undefined
  for (const dialect of ['sqlite', 'postgresql', 'mysql']) {
    const name = LABEL[dialect]
    const why = await reachable(dialect)
    if (why !== undefined) {
      for (const what of ['(cold): upgrade + downgrade', '(warm): upgrade + downgrade', 'max RSS']) skipped(`300 revisions ${name} ${what}`, why)
      continue
    }
    // Alembic on this very database, when it is installed: the reference DESIGN §11 means.
    let reference
    if (alembic) {
      try {
        reference = await alembicRun(alembic, alembicProject, dialect)
        line(`300 revisions ${name}: Alembic, same database`, ms(reference.up + reference.down), `(${Math.round(reference.up)} + ${Math.round(reference.down)}, warm)`)
      } catch (error) {
        skipped(`300 revisions ${name}: Alembic, same database`, `alembic failed: ${String(error.message).slice(0, 80)}`)
      }
    }
    // Cold: every process starts with an empty jiti transform cache (its own TMPDIR).
    // Warm: the cache filled by the cold upgrade; median of 3 fresh databases.
    const warmCache = scratch('migrator-bench-jiti-')
    const once = async (upgradeCache, downgradeCache) => {
      const db = await freshDatabase(dialect)
      try {
        const env = { MIGRATOR_DATABASE_URL: db.url }
        const up = cli(['upgrade', 'head'], { cwd: project, env, tmpdir: upgradeCache })
        const down = cli(['downgrade', 'base'], { cwd: project, env, tmpdir: downgradeCache })
        return { up: up.wall, down: down.wall, upCpu: up.cpu, downCpu: down.cpu, rss: up.rss }
      } finally {
        await db.drop()
      }
    }
    const cold = await once(warmCache, scratch('migrator-bench-jiti-'))
    const warmRuns = []
    for (let i = 0; i < 3; i++) warmRuns.push(await once(warmCache, warmCache))
    const mid = (key) => median(warmRuns.map((r) => r[key]))
    const warm = { up: mid('up'), down: mid('down'), upCpu: warmRuns[0].upCpu === undefined ? undefined : mid('upCpu'), downCpu: warmRuns[0].downCpu === undefined ? undefined : mid('downCpu') }
    for (const [kind, r, how] of [['cold', cold, '1 run'], ['warm', warm, 'median of 3']]) {
      const cpu = (value) => (value === undefined ? '' : `, cpu ${Math.round(value)}`)
      const total = r.up + r.down
      line(`300 revisions ${name} (${kind}): upgrade head`, ms(r.up), `(${how}${cpu(r.upCpu)})`)
      line(`300 revisions ${name} (${kind}): downgrade base`, ms(r.down), `(${how}${cpu(r.downCpu)})`)
      const vsReference = `${(ALEMBIC_300_MS / total).toFixed(1)}x vs 2 s`
      if (reference) {
        const alembicMs = reference.up + reference.down
        line(`300 revisions ${name} (${kind}): up+down`, ms(total), `(${(alembicMs / total).toFixed(1)}x vs Alembic here; ${vsReference})`, { value: total, limit: Math.round(alembicMs / 3) })
      } else {
        line(`300 revisions ${name} (${kind}): up+down`, ms(total), `(${vsReference} Alembic reference)`, { value: total, limit: TARGET_300_MS })
      }
    }
    const floor = await databaseFloor(dialect)
    line(`300 revisions ${name}: the same SQL via the driver`, ms(floor.up + floor.down), `(${Math.round(floor.up)} + ${Math.round(floor.down)}, driver cpu ${Math.round(floor.cpu)})`)
    const rss = [cold, ...warmRuns].map((r) => r.rss).filter((v) => v !== undefined)
    if (rss.length > 0) line(`300 revisions ${name}: upgrade head max RSS`, `${Math.round(Math.max(...rss) / 1024)} MB`, '(/usr/bin/time %M)')
    else skipped(`300 revisions ${name}: upgrade head max RSS`, '/usr/bin/time not available')
  }
}

// ---------------------------------------------------------------- no-change autogenerate on 500 tables

/** Alembic, no-change autogenerate on 500 tables, local PostgreSQL (DESIGN §11). */
const ALEMBIC_AUTOGEN_MS = 2700

/** The models file of `count` tables: 10 columns, an index, a unique constraint and a foreign key each. */
function autogenModels(count) {
  const lines = ["import { MetaData, boolean, double, integer, numeric, sql, text, timestamp, varchar, index, unique } from 'migrator'", '', 'export const metadata = new MetaData()', '']
  for (let i = 0; i < count; i++) {
    const t = `t_${String(i).padStart(3, '0')}`
    const parent = i === 0 ? t : `t_${String(i - 1).padStart(3, '0')}`
    lines.push(
      `metadata.table('${t}', {`,
      '  id: integer().primaryKey().autoincrement(),',
      `  parent_id: integer().references('${parent}.id', { onDelete: 'cascade' }),`,
      '  code: varchar(40).notNull(),',
      '  name: varchar(100),',
      '  amount: numeric(12, 2).notNull().default(0),',
      '  active: boolean().notNull().default(true),',
      '  created_at: timestamp().notNull().default(sql`CURRENT_TIMESTAMP`),',
      '  note: text(),',
      '  qty: integer().notNull().default(0),',
      '  score: double(),',
      `}, { indexes: [index('ix_${t}_name').on('name')], uniques: [unique('uq_${t}_code').on('code')] })`,
      '',
    )
  }
  return lines.join('\n')
}

/** The SQLAlchemy twin of `autogenModels` (for Alembic's autogenerate on the same database). */
function alembicAutogenProject(count, dialect) {
  const dir = scratch('migrator-bench-alembic-ag-')
  mkdirSync(path.join(dir, 'migrations', 'versions'), { recursive: true })
  writeFileSync(path.join(dir, 'alembic.ini'), '[alembic]\nscript_location = %(here)s/migrations\n')
  const models = [
    'from sqlalchemy import MetaData, Table, Column, Integer, String, Numeric, Boolean, DateTime, Text, Float, ForeignKey, Index, UniqueConstraint, text',
    'metadata = MetaData()',
  ]
  for (let i = 0; i < count; i++) {
    const t = `t_${String(i).padStart(3, '0')}`
    const parent = i === 0 ? t : `t_${String(i - 1).padStart(3, '0')}`
    models.push(
      `Table('${t}', metadata,`,
      '    Column("id", Integer, primary_key=True, autoincrement=True),',
      `    Column("parent_id", Integer, ForeignKey("${parent}.id", ondelete="CASCADE")),`,
      '    Column("code", String(40), nullable=False),',
      '    Column("name", String(100)),',
      '    Column("amount", Numeric(12, 2), nullable=False, server_default=text("0")),',
      `    Column("active", Boolean(create_constraint=False), nullable=False, server_default=text("${dialect === 'postgresql' ? 'true' : '1'}")),`,
      '    Column("created_at", DateTime, nullable=False, server_default=text("CURRENT_TIMESTAMP")),',
      '    Column("note", Text),',
      '    Column("qty", Integer, nullable=False, server_default=text("0")),',
      `    Column("score", Float${dialect === 'postgresql' ? '(53)' : ''}),`,
      `    Index("ix_${t}_name", "name"), UniqueConstraint("code", name="uq_${t}_code"))`,
    )
  }
  writeFileSync(path.join(dir, 'migrations', 'bench_models.py'), models.join('\n') + '\n')
  // The revision template `revision` renders (the shape of Alembic's generic one).
  writeFileSync(
    path.join(dir, 'migrations', 'script.py.mako'),
    [
      '"""${message}"""',
      'revision = ${repr(up_revision)}',
      'down_revision = ${repr(down_revision)}',
      'branch_labels = None',
      'depends_on = None',
      '',
      'def upgrade():',
      '    ${upgrades if upgrades else "pass"}',
      '',
      'def downgrade():',
      '    ${downgrades if downgrades else "pass"}',
      '',
    ].join('\n'),
  )
  writeFileSync(
    path.join(dir, 'migrations', 'env.py'),
    [
      'import os, sys',
      'sys.path.insert(0, os.path.dirname(__file__))',
      'sys.setrecursionlimit(20000)  # SQLAlchemy sorts the 500 tables chained by foreign keys recursively',
      'from alembic import context',
      'from sqlalchemy import create_engine, pool',
      'from bench_models import metadata',
      '',
      'engine = create_engine(os.environ["BENCH_DATABASE_URL"], poolclass=pool.NullPool)',
      'with engine.connect() as connection:',
      '    # migrator\'s version table is not Alembic\'s business',
      '    skip = lambda obj, name, type_, reflected, compare_to: not (type_ == "table" and name == "migrator_version")',
      '    context.configure(connection=connection, target_metadata=metadata, compare_type=True, compare_server_default=True, include_object=skip)',
      '    with context.begin_transaction():',
      '        context.run_migrations()',
      '',
    ].join('\n'),
  )
  return dir
}

/** `migrator: N queries (M catalog)` printed with MIGRATOR_DEBUG_QUERY_COUNT=1. */
function queryCounts(stderr) {
  const match = /migrator: (\d+) queries \((\d+) catalog\)/.exec(stderr)
  return match ? { total: Number(match[1]), catalog: Number(match[2]) } : undefined
}

/** A project on a fresh database whose schema is `count` tables built from the models by one autogenerated revision. */
async function autogenSchema(dialect, count) {
  const db = await freshDatabase(dialect)
  const dir = scratch('migrator-bench-ag-')
  mkdirSync(path.join(dir, 'migrations', 'versions'), { recursive: true })
  writeFileSync(path.join(dir, 'migrator.ini'), '[migrator]\nscript_location = %(here)s/migrations\ntarget_metadata = %(here)s/models.ts\n')
  writeFileSync(path.join(dir, 'migrations', 'env.ts'), "import { defineEnv } from 'migrator'\n\nexport default defineEnv({})\n")
  writeFileSync(path.join(dir, 'migrations', 'script.ts.tmpl'), readFileSync(path.join(ROOT, 'templates', 'generic', 'script.ts.tmpl'), 'utf8'))
  writeFileSync(path.join(dir, 'models.ts'), autogenModels(count))
  // The code cache of the models file in the scratch folder (removed with it), not the OS temp folder's.
  const env = { MIGRATOR_DATABASE_URL: db.url, MIGRATOR_DEBUG_QUERY_COUNT: '1', MIGRATOR_CODE_CACHE_DIR: path.join(dir, '.code-cache') }
  const generate = cli(['revision', '--autogenerate', '-m', 'schema'], { cwd: dir, env })
  const upgrade = cli(['upgrade', 'head'], { cwd: dir, env })
  return { db, dir, env, generate, upgrade }
}

async function noChangeAutogenerate() {
  const alembic = findAlembic()
  const counted = (args, project) =>
    queryCounts(spawnSync(process.execPath, [BIN, ...args], { cwd: project.dir, env: { ...process.env, NO_COLOR: '1', ...project.env }, encoding: 'utf8' }).stderr)
  for (const dialect of ['sqlite', 'postgresql', 'mysql']) {
    const name = LABEL[dialect]
    const label = `no-change autogenerate, 500 tables, ${name}`
    const why = await reachable(dialect)
    if (why !== undefined) {
      skipped(label, why)
      continue
    }
    const project = await autogenSchema(dialect, 500)
    try {
      line(`${label}: build (revision + upgrade)`, ms(project.generate.wall + project.upgrade.wall), `(${Math.round(project.generate.wall)} + ${Math.round(project.upgrade.wall)}, 1 run)`)
      let revisionWall
      for (const [args, n] of [[['check'], 5], [['revision', '--autogenerate', '-m', 'none'], 3]]) {
        cli(args, { cwd: project.dir, env: project.env }) // warm the file cache; exits 0 only when nothing changed
        const runs = times(n, () => cli(args, { cwd: project.dir, env: project.env }))
        const wall = median(runs.map((r) => r.wall))
        if (args[0] === 'revision') revisionWall = wall
        const counts = counted(args, project)
        const how = `(median of ${n}${cpuNote(runs)}; ${counts ? `${counts.total} queries, ${counts.catalog} catalog` : 'queries ?'})`
        line(`${label}: ${args[0] === 'check' ? 'check' : 'revision --autogenerate'}`, ms(wall), how, { value: wall, limit: Math.round(ALEMBIC_AUTOGEN_MS / 10) })
      }
      if (alembic) {
        // Alembic's `revision --autogenerate` on the same schema (no revisions, an empty version
        // table: at its head); the revision it writes is removed after each run. Its version is
        // printed: DESIGN §11's reference is Alembic 1.20 (SQLAlchemy 2's bulk reflection).
        try {
          const twin = alembicAutogenProject(500, dialect)
          const versions = path.join(twin, 'migrations', 'versions')
          const env = { ...process.env, BENCH_DATABASE_URL: sqlalchemyUrl(dialect, project.db) }
          const timed = () => {
            const start = process.hrtime.bigint()
            const result = spawnSync(alembic, ['-c', path.join(twin, 'alembic.ini'), 'revision', '--autogenerate', '-m', 'none'], { cwd: twin, env, encoding: 'utf8' })
            const wall = Number(process.hrtime.bigint() - start) / 1e6
            const output = `${result.stdout}\n${result.stderr}`
            for (const file of readdirSync(versions)) if (file.endsWith('.py')) rmSync(path.join(versions, file))
            return { wall, status: result.status, detected: (output.match(/Detected /g) ?? []).length, last: output.trim().split('\n').pop() }
          }
          timed()
          const runs = times(3, timed)
          const wall = median(runs.map((r) => r.wall))
          const version = spawnSync(alembic, ['--version'], { encoding: 'utf8' }).stdout.trim()
          const how =
            runs[0].status !== 0
              ? `(exit ${runs[0].status}: ${String(runs[0].last).slice(0, 60)})`
              : `(median of 3, ${version}${runs[0].detected ? `, ${runs[0].detected} changes detected` : ''}; migrator ${(wall / revisionWall).toFixed(1)}x faster)`
          line(`${label}: Alembic revision --autogenerate, same db`, ms(wall), how)
        } catch (error) {
          skipped(`${label}: Alembic revision --autogenerate, same db`, `alembic failed: ${String(error.message).slice(0, 80)}`)
        }
      }
    } finally {
      await project.db.drop()
    }
    // The catalog query count does not grow with the number of tables.
    const small = await autogenSchema(dialect, 50)
    try {
      const counts = counted(['check'], small)
      line(`no-change autogenerate, 50 tables, ${name}: check`, `${counts?.catalog ?? '?'}`, `catalog queries (${counts?.total ?? '?'} in all)`)
    } finally {
      await small.db.drop()
    }
  }
}

// ---------------------------------------------------------------- main

async function cleanup() {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()()
    } catch {
      // best effort
    }
  }
}
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    cleanup().finally(() => process.exit(130))
  })
}

/** `npm run bench -- autogenerate upgrade`: only these scenarios (startup, graph, upgrade, autogenerate); none named: all. */
const SCENARIOS = ['startup', 'graph', 'upgrade', 'autogenerate']
const only = process.argv.slice(2)
for (const name of only) {
  if (!SCENARIOS.includes(name)) {
    console.error(`bench: unknown scenario '${name}'; the scenarios: ${SCENARIOS.join(', ')}`)
    process.exit(2)
  }
}
const wanted = (name) => only.length === 0 || only.includes(name)

const started = Date.now()
try {
  const load = os.loadavg()[0].toFixed(1)
  console.log(`migrator bench: node ${process.version}, ${os.cpus().length} CPUs, load ${load}; wall ms (cpu = user+sys ms); Alembic reference: ${ALEMBIC_300_MS} ms for 300 up+down`)
  if (wanted('startup')) startup()
  if (wanted('graph')) graphCommands()
  if (wanted('upgrade')) {
    const project = makeProject(300, (i) => ({
      up: `await op.execute('CREATE TABLE t_${i} (id INTEGER PRIMARY KEY)')`,
      down: `await op.execute('DROP TABLE t_${i}')`,
    }))
    await upgradeDowngrade(project)
  }
  if (wanted('autogenerate')) await noChangeAutogenerate()
} catch (error) {
  console.error(`bench failed: ${error?.stack ?? error}`)
  process.exitCode = 1
} finally {
  await cleanup()
  console.log(`bench finished in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}
