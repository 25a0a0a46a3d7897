/**
 * The revision runtime on a linear chain, through the real CLI on every dialect: upgrade and
 * downgrade targets, current/history against the database, and stamp.
 */
import { beforeEach, expect, it } from 'vitest'
import { listTables, query, resetDatabase, versionRows } from '../support/inspect.js'
import { describeDialects, expectExit, project, tableRevision } from '../support/runtime.js'

const [A, B, C, D] = ['aaa000000001', 'bbb000000002', 'ccc000000003', 'ddd000000004'] as const
const CHAIN = [
  tableRevision(A, null, 't_a', { message: 'first' }),
  tableRevision(B, A, 't_b', { message: 'second' }),
  tableRevision(C, B, 't_c', { message: 'third' }),
  tableRevision(D, C, 't_d', { message: 'fourth' }),
]
const USER_TABLES = ['t_a', 't_b', 't_c', 't_d']

describeDialects('runtime: linear upgrade/downgrade', ({ dialect, url }) => {
  beforeEach(() => resetDatabase(dialect, url()))

  /** The t_* tables present, and the version rows. */
  async function state(): Promise<{ tables: string[]; rows: string[] }> {
    const tables = (await listTables(dialect, url())).filter((name) => USER_TABLES.includes(name))
    return { tables, rows: await versionRows(dialect, url()) }
  }

  it('moves along the chain with every target form, checking tables and version rows after each step', async () => {
    const p = project(url(), CHAIN)

    let result = await p.ok(['upgrade', '+1'])
    expect(result.stderr).toContain(`Running upgrade  -> ${A}, first`)
    expect(await state()).toEqual({ tables: ['t_a'], rows: [A] })

    result = await p.ok(['upgrade', 'bb']) // unique prefix
    expect(result.stderr).toContain(`Running upgrade ${A} -> ${B}, second`)
    expect(await state()).toEqual({ tables: ['t_a', 't_b'], rows: [B] })

    result = await p.ok(['downgrade', '-1'])
    expect(result.stderr).toContain(`Running downgrade ${B} -> ${A}, second`)
    expect(await state()).toEqual({ tables: ['t_a'], rows: [A] })

    result = await p.ok(['upgrade', 'head', '--json'])
    expect(JSON.parse(result.stdout)).toEqual({
      database: null,
      steps: [B, C, D].map((revision) => ({ revision, direction: 'up', description: expect.stringContaining(revision) })),
      heads: [D],
    })
    expect(await state()).toEqual({ tables: USER_TABLES, rows: [D] })

    result = await p.ok(['upgrade', 'head'])
    expect(result.stderr).toContain(`Nothing to do: the database is at ${D}`)
    expect(await state()).toEqual({ tables: USER_TABLES, rows: [D] })

    result = await p.ok(['downgrade', B]) // downgrade REV
    expect(result.stderr).toContain(`Running downgrade ${D} -> ${C}`)
    expect(result.stderr).toContain(`Running downgrade ${C} -> ${B}`)
    expect(await state()).toEqual({ tables: ['t_a', 't_b'], rows: [B] })

    await p.ok(['upgrade', `${B}+1`])
    expect(await state()).toEqual({ tables: ['t_a', 't_b', 't_c'], rows: [C] })

    await p.ok(['upgrade', `${A}+3`])
    expect(await state()).toEqual({ tables: USER_TABLES, rows: [D] })

    await p.ok(['downgrade', `${C}-1`])
    expect(await state()).toEqual({ tables: ['t_a', 't_b'], rows: [B] })

    // Targets that go the wrong way are refused, and nothing changes.
    result = await p.run(['downgrade', D])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toMatch(/error:/)
    expect(await state()).toEqual({ tables: ['t_a', 't_b'], rows: [B] })

    result = await p.ok(['downgrade', 'base'])
    expect(result.stderr).toContain(`Running downgrade ${A} -> , first`)
    expect(await state()).toEqual({ tables: [], rows: [] })
    // The version table itself stays, empty.
    expect(await listTables(dialect, url())).toEqual(['migrator_version'])
  })

  it('current, current --json and history -i / -r current: reflect the database', async () => {
    const p = project(url(), CHAIN)

    let result = await p.ok(['current'])
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('No revision applied')
    expect(JSON.parse((await p.ok(['current', '--json'])).stdout)).toEqual([])

    await p.ok(['upgrade', C])
    result = await p.ok(['current'])
    expect(result.stdout.trim()).toBe(C)

    await p.ok(['upgrade', 'head'])
    result = await p.ok(['current'])
    expect(result.stdout.trim()).toBe(`${D} (head)`)
    const json = JSON.parse((await p.ok(['current', '--json'])).stdout) as { revision: string; isHead: boolean; downRevisions: string[] }[]
    expect(json).toHaveLength(1)
    expect(json[0]).toMatchObject({ revision: D, isHead: true, downRevisions: [C], doc: 'fourth' })

    await p.ok(['downgrade', B])
    result = await p.ok(['history', '-i'])
    const lines = result.stdout.trim().split('\n')
    expect(lines).toEqual([
      `${C} -> ${D} (head), fourth`,
      `${B} -> ${C}, third`,
      `${A} -> ${B} (current), second`,
      `<base> -> ${A}, first`,
    ])

    result = await p.ok(['history', '-r', 'current:'])
    expect(result.stdout.trim().split('\n')).toEqual([
      `${C} -> ${D} (head), fourth`,
      `${B} -> ${C}, third`,
      `${A} -> ${B} (current), second`,
    ])

    const history = JSON.parse((await p.ok(['history', '-i', '--json'])).stdout) as { revision: string; isCurrent: boolean }[]
    expect(history.filter((entry) => entry.isCurrent).map((entry) => entry.revision)).toEqual([B])
  })
})

describeDialects('runtime: stamp', ({ dialect, url }) => {
  beforeEach(() => resetDatabase(dialect, url()))

  /** Every upgrade and downgrade throws: stamp must never run one. */
  const POISONED = [A, B, C].map((id, i) => ({
    id,
    down: i === 0 ? null : [A, B, C][i - 1]!,
    message: `poisoned ${i}`,
    up: `await op.execute('CREATE TABLE stamped_${i} (id INTEGER)'); throw new Error('upgrade ${id} must not run')`,
    down_: `throw new Error('downgrade ${id} must not run')`,
  }))

  it('stamp head / REV / base sets the version table without running revisions', async () => {
    const p = project(url(), POISONED)

    let result = await p.ok(['stamp', 'head'])
    expect(result.stderr).toContain(`inserting ${C}`)
    expect(result.stderr).toContain(`Stamped: the database is at ${C}`)
    expect(result.stderr).not.toContain('Nothing to do')
    expect(await versionRows(dialect, url())).toEqual([C])
    expect(await listTables(dialect, url())).toEqual(['migrator_version'])

    result = await p.ok(['stamp', A])
    expect(result.stderr).toContain(`updating ${C} to ${A}`)
    expect(await versionRows(dialect, url())).toEqual([A])

    await p.ok(['stamp', B])
    expect(await versionRows(dialect, url())).toEqual([B])
    expect((await p.ok(['current'])).stdout.trim()).toBe(B)

    await p.ok(['stamp', 'base'])
    expect(await versionRows(dialect, url())).toEqual([])
    expect(await listTables(dialect, url())).toEqual(['migrator_version'])

    // Control: the revisions really do fail when run.
    result = await p.run(['upgrade', 'head'])
    expectExit(result, 1, ['upgrade', 'head'])
    expect(result.stderr).toContain(`upgrade ${A} must not run`)
  })

  it('stamp --purge replaces a revision no file declares; without --purge it is an error', async () => {
    const p = project(url(), POISONED)
    await p.ok(['ensure-version'])
    await query(dialect, url(), "INSERT INTO migrator_version (version_num) VALUES ('feedfacecafe')")

    let result = await p.run(['current'])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('feedfacecafe')

    result = await p.run(['stamp', B])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('feedfacecafe')
    expect(await versionRows(dialect, url())).toEqual(['feedfacecafe'])

    await p.ok(['stamp', '--purge', B])
    expect(await versionRows(dialect, url())).toEqual([B])
    expect(await listTables(dialect, url())).toEqual(['migrator_version'])
    expect((await p.ok(['current'])).stdout.trim()).toBe(B)
  })
})
