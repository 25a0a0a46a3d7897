/**
 * Transactions and locking (DESIGN §8) through the real CLI on every dialect: what a failing
 * revision leaves behind (one transaction per run, or per revision), `transactional = false`,
 * and four concurrent `upgrade head` processes.
 */
import { beforeEach, expect, it } from 'vitest'
import type { RevisionSpec } from '../support/cli.js'
import { listTables, query, resetDatabase, versionRows } from '../support/inspect.js'
import { describeDialects, expectExit, project, tableRevision } from '../support/runtime.js'

const T0 = 'e00000000000'
const T1 = 'e00000000001'
const T2 = 'e00000000002'
const BAD = 'e0000000000b'

/** t0 -> t1 -> t2 -> bad, where bad creates a table and then runs invalid SQL. */
const FAILING_CHAIN: RevisionSpec[] = [
  tableRevision(T0, null, 'base0'),
  tableRevision(T1, T0, 'ok1'),
  tableRevision(T2, T1, 'ok2'),
  {
    id: BAD,
    down: T2,
    message: 'fails midway',
    up: "await op.execute('CREATE TABLE bad_part (id INTEGER)'); await op.execute('THIS IS NOT SQL')",
  },
]

describeDialects('runtime: transactions', ({ dialect, url }) => {
  beforeEach(() => resetDatabase(dialect, url()))

  const userTables = async () => (await listTables(dialect, url())).filter((name) => name !== 'migrator_version')
  const transactional = dialect !== 'mysql'

  /** Runs `upgrade head` over the failing chain from t0 and checks the error report. */
  async function failFromT0(options: { ini?: string; env?: string } = {}): Promise<string> {
    const p = project(url(), FAILING_CHAIN, options)
    await p.ok(['upgrade', T0])
    const result = await p.run(['upgrade', 'head'])
    expectExit(result, 1, ['upgrade', 'head'])
    expect(result.stderr).toContain(`error: upgrade of revision ${BAD} (fails midway) failed:`)
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(result.stderr).toContain(`Running upgrade ${T0} -> ${T1}`) // the earlier revisions did run
    return result.stderr
  }

  if (transactional) {
    it('one transaction per run (default): a failure rolls back the whole run, earlier revisions included', async () => {
      const stderr = await failFromT0()
      // The hint tells the state after the rollback: t0, not t2.
      expect(stderr).toMatch(new RegExp(`hint: nothing of this run was kept: .*rolled back.*the version table says ${T0}\n`))
      expect(await userTables()).toEqual(['base0'])
      expect(await versionRows(dialect, url())).toEqual([T0])
    })

    it('transaction_per_migration = true: the revisions before the failing one stay applied', async () => {
      const stderr = await failFromT0({ ini: 'transaction_per_migration = true' })
      expect(stderr).toContain(`hint: nothing of this revision was kept: it was rolled back, and the version table says ${T2}\n`)
      expect(await userTables()).toEqual(['base0', 'ok1', 'ok2'])
      expect(await versionRows(dialect, url())).toEqual([T2])
    })

    it('a failure after an autocommitBlock: the block stays committed, the rest of the revision rolls back, and the hint says so', async () => {
      const p = project(url(), [
        tableRevision(T0, null, 'base0'),
        {
          id: T1,
          down: T0,
          message: 'autocommit then fail',
          up:
            "await op.execute('CREATE TABLE before_block (id INTEGER)'); " +
            "await op.autocommitBlock(async () => { await op.execute('CREATE TABLE in_block (id INTEGER)') }); " +
            "await op.execute('CREATE TABLE after_block (id INTEGER)'); await op.execute('THIS IS NOT SQL')",
        },
      ])
      const result = await p.run(['upgrade', 'head'])
      expectExit(result, 1, ['upgrade', 'head'])
      // The block committed what came before it too (base0 and before_block), and the version row of T0.
      expect(result.stderr).toContain(`hint: what its autocommitBlock ran was committed and stays; the rest was rolled back, and the version table says ${T0}\n`)
      expect(await userTables()).toEqual(['base0', 'before_block', 'in_block'])
      expect(await versionRows(dialect, url())).toEqual([T0])
    })

    it('env.ts transactionPerMigration: true wins over the ini', async () => {
      await failFromT0({
        ini: 'transaction_per_migration = false',
        env: "import { defineEnv } from 'migrator'\n\nexport default defineEnv({ transactionPerMigration: true })\n",
      })
      expect(await userTables()).toEqual(['base0', 'ok1', 'ok2'])
      expect(await versionRows(dialect, url())).toEqual([T2])
    })
  } else {
    it('MySQL (DDL commits at once): the error names the revision, the failed statement and those already applied', async () => {
      const stderr = await failFromT0()
      expect(stderr).toContain('failed statement: THIS IS NOT SQL')
      const applied = stderr.slice(stderr.indexOf(`statements of ${BAD} already applied`))
      expect(applied).toContain('CREATE TABLE bad_part (id INTEGER)')
      expect(applied).not.toContain('ok2') // only this revision's statements are listed
      expect(stderr).toMatch(new RegExp(`hint: the version table still says ${T2}`))
      // Each completed revision's row was written right after it; bad_part was committed by MySQL.
      expect(await userTables()).toEqual(['bad_part', 'base0', 'ok1', 'ok2'])
      expect(await versionRows(dialect, url())).toEqual([T2])
    })

    it('MySQL with transaction_per_migration = true behaves the same', async () => {
      await failFromT0({ ini: 'transaction_per_migration = true' })
      expect(await userTables()).toEqual(['bad_part', 'base0', 'ok1', 'ok2'])
      expect(await versionRows(dialect, url())).toEqual([T2])
    })
  }

  it('a run killed midway (SIGKILL) leaves the last completed revision, and releases its lock', async () => {
    const p = project(url(), [
      tableRevision(T0, null, 'base0'),
      tableRevision(T1, T0, 'ok1'),
      { id: T2, down: T1, up: "await op.execute('CREATE TABLE killed_t (id INTEGER)'); process.kill(process.pid, 'SIGKILL')" },
    ])
    await p.ok(['upgrade', T0])
    const killed = await p.run(['upgrade', 'head'])
    expect(killed.code).not.toBe(0)
    expect(killed.stderr).toContain(`Running upgrade ${T1} -> ${T2}`)
    if (transactional) {
      expect(await userTables()).toEqual(['base0'])
      expect(await versionRows(dialect, url())).toEqual([T0])
    } else {
      expect(await userTables()).toEqual(['base0', 'killed_t', 'ok1'])
      expect(await versionRows(dialect, url())).toEqual([T1])
    }
    // The dead run's lock is gone: the next run proceeds at once.
    const started = performance.now()
    await p.ok(['upgrade', T1])
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(await versionRows(dialect, url())).toEqual([T1])
  })

  it('a revision with `transactional = false` runs outside the transaction', async () => {
    // A statement each database refuses inside a transaction (MySQL has no such DDL: any statement).
    const outsideOnly = {
      postgresql: 'CREATE INDEX CONCURRENTLY ix_conc ON nt_base (id)',
      sqlite: 'VACUUM',
      mysql: 'CREATE INDEX ix_conc ON nt_base (id)',
    }[dialect]
    const chain = (nonTransactional: boolean): RevisionSpec[] => [
      tableRevision('f00000000001', null, 'nt_base'),
      { id: 'f00000000002', down: 'f00000000001', up: `await op.execute('${outsideOnly}')`, transactional: nonTransactional ? false : undefined },
      tableRevision('f00000000003', 'f00000000002', 'nt_after'),
    ]

    if (transactional) {
      // Control: inside the run's transaction the statement fails (and the run is rolled back).
      const control = await project(url(), chain(false)).run(['upgrade', 'head'])
      expectExit(control, 1, ['upgrade', 'head'])
      expect(control.stderr).toMatch(dialect === 'postgresql' ? /cannot run inside a transaction block/ : /cannot VACUUM from within a transaction/)
      expect(await userTables()).toEqual([])
    }

    const p = project(url(), chain(true))
    await p.ok(['upgrade', 'head'])
    expect(await userTables()).toEqual(['nt_after', 'nt_base'])
    expect(await versionRows(dialect, url())).toEqual(['f00000000003'])
    if (dialect !== 'sqlite') {
      const indexes =
        dialect === 'postgresql'
          ? await query(dialect, url(), "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'nt_base'")
          : await query(dialect, url(), "SELECT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'nt_base'")
      expect(indexes.map((row) => row['name'])).toEqual(['ix_conc'])
    }
    await p.ok(['downgrade', 'base'])
    expect(await userTables()).toEqual([])
  })
})

describeDialects('runtime: concurrent runs', ({ dialect, url }) => {
  beforeEach(() => resetDatabase(dialect, url()))

  /** Four `upgrade head` processes at once over 10 revisions, each logging its run in run_log. */
  async function raceFourUpgrades(ini?: string): Promise<number> {
    const ids = Array.from({ length: 10 }, (_, i) => `c0c0c0c0c0${String(i).padStart(2, '0')}`)
    const revisions: RevisionSpec[] = ids.map((id, i) => ({
      id,
      down: i === 0 ? null : ids[i - 1]!,
      up:
        (i === 0 ? "await op.execute('CREATE TABLE run_log (rev VARCHAR(32) NOT NULL)'); " : '') +
        `await op.execute('INSERT INTO run_log (rev) VALUES (:rev)', { rev: '${id}' })`,
    }))
    const p = project(url(), revisions, { ini })

    const results = await Promise.all([1, 2, 3, 4].map(() => p.run(['upgrade', 'head'])))
    for (const result of results) expectExit(result, 0, ['upgrade', 'head'])

    const log = await query(dialect, url(), 'SELECT rev FROM run_log')
    expect(log.map((row) => String(row['rev'])).sort()).toEqual(ids)
    expect(await versionRows(dialect, url())).toEqual([ids[9]])
    const ran = results.flatMap((result) => result.stderr.split('\n').filter((line) => line.startsWith('Running upgrade')))
    expect(ran.map((line) => line.split(',')[0]).sort()).toEqual(ids.map((id, i) => `Running upgrade ${i === 0 ? '' : ids[i - 1]} -> ${id}`).sort())
    // How many runs found nothing to do.
    return results.filter((result) => result.stderr.includes(`Nothing to do: the database is at ${ids[9]}`)).length
  }

  it('four `upgrade head` processes at once apply each of 10 revisions exactly once, and all exit 0', async () => {
    // One transaction and one lock for the whole run: the first run does everything, the others
    // wait for the lock, then find nothing to do.
    expect(await raceFourUpgrades()).toBe(3)
  })

  it('the same with transaction_per_migration = true (the lock is held across the per-revision commits)', async () => {
    await raceFourUpgrades('transaction_per_migration = true')
  })
})
