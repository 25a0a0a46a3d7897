/**
 * Branches, merges, branch labels and dependsOn through the real CLI on every dialect,
 * checking the version table rows (one per applied head) after each command.
 */
import fs from 'node:fs'
import path from 'node:path'
import { beforeEach, expect, it } from 'vitest'
import { REPO_ROOT } from '../support/cli.js'
import { listTables, query, resetDatabase, versionRows } from '../support/inspect.js'
import { describeDialects, expectExit, project, tableRevision } from '../support/runtime.js'

// root -> a1 -> a2 (branch "alpha"), root -> b1 -> b2 (branch "beta")
const ROOT = '000000000001'
const A1 = 'a10000000001'
const A2 = 'a20000000002'
const B1 = 'b10000000001'
const B2 = 'b20000000002'
const BRANCHED = [
  tableRevision(ROOT, null, 'root_t', { message: 'root' }),
  tableRevision(A1, ROOT, 'a1_t', { labels: 'alpha', message: 'alpha one' }),
  tableRevision(A2, A1, 'a2_t', { message: 'alpha two' }),
  tableRevision(B1, ROOT, 'b1_t', { labels: 'beta', message: 'beta one' }),
  tableRevision(B2, B1, 'b2_t', { message: 'beta two' }),
]

describeDialects('runtime: branches and merges', ({ dialect, url }) => {
  beforeEach(() => resetDatabase(dialect, url()))

  const rows = () => versionRows(dialect, url())
  const tables = async () => (await listTables(dialect, url())).filter((name) => name !== 'migrator_version')

  it('upgrade head with two heads fails with a hint; upgrade heads, merge heads, downgrade from the merge', async () => {
    const p = project(url(), BRANCHED)

    let result = await p.run(['upgrade', 'head'])
    expectExit(result, 1, ['upgrade', 'head'])
    expect(result.stderr).toMatch(/multiple head/i)
    expect(result.stderr).toMatch(/hint:.*heads/)
    expect(result.stderr).not.toMatch(/\n\s+at /)
    expect(await rows()).toEqual([])
    expect(await tables()).toEqual([])

    result = await p.ok(['upgrade', 'heads'])
    expect(await rows()).toEqual([A2, B2])
    expect(await tables()).toEqual(['a1_t', 'a2_t', 'b1_t', 'b2_t', 'root_t'])
    expect((await p.ok(['current'])).stdout.trim().split('\n').sort()).toEqual([`${A2} (head)`, `${B2} (head)`])

    // makeProject writes no revision template: use the one `init` writes.
    fs.copyFileSync(path.join(REPO_ROOT, 'templates', 'generic', 'script.ts.tmpl'), path.join(p.dir, 'migrations', 'script.ts.tmpl'))
    const before = new Set(fs.readdirSync(p.versions))
    result = await p.ok(['merge', 'heads', '-m', 'm'])
    const created = fs.readdirSync(p.versions).filter((file) => !before.has(file))
    expect(created).toHaveLength(1)
    const source = fs.readFileSync(path.join(p.versions, created[0]!), 'utf8')
    const merge = /export const revision = '([0-9a-f]{12})'/.exec(source)?.[1]
    expect(merge).toBeDefined()
    expect(source).toMatch(new RegExp(`export const downRevision[^=]*= \\[\\s*'${A2}',\\s*'${B2}',?\\s*\\]`))

    result = await p.ok(['upgrade', 'head'])
    expect(result.stderr).toContain(`Running upgrade ${A2}, ${B2} -> ${merge}`)
    expect(await rows()).toEqual([merge])
    expect((await p.ok(['current'])).stdout.trim()).toBe(`${merge} (head) (mergepoint)`)

    // As Alembic: a relative step down from a merge point is ambiguous (two parents), refused
    // with nothing changed; naming one parent unmerges back to two rows.
    result = await p.run(['downgrade', '-1'])
    expectExit(result, 1, ['downgrade', '-1'])
    expect(result.stderr).toMatch(/Ambiguous walk/)
    expect(result.stderr).toMatch(/hint:/)
    expect(await rows()).toEqual([merge])

    result = await p.ok(['downgrade', A2])
    expect(result.stderr).toContain(`Running downgrade ${merge} -> ${A2}, ${B2}`)
    expect(await rows()).toEqual([A2, B2])
    expect(await tables()).toEqual(['a1_t', 'a2_t', 'b1_t', 'b2_t', 'root_t'])

    await p.ok(['downgrade', 'base'])
    expect(await rows()).toEqual([])
    expect(await tables()).toEqual([])

    // stamp takes several revisions: one row per branch, and no revision runs.
    await p.ok(['stamp', A2, B1])
    expect(await rows()).toEqual([A2, B1])
    expect(await tables()).toEqual([])
  })

  it('branch labels: LABEL@head, LABEL@+1, LABEL@-1, LABEL@base move one branch only', async () => {
    // Two independent branches, each from its own base (as in Alembic's docs on branch labels).
    const p = project(url(), [
      tableRevision(A1, null, 'a1_t', { labels: 'alpha' }),
      tableRevision(A2, A1, 'a2_t'),
      tableRevision(B1, null, 'b1_t', { labels: 'beta' }),
      tableRevision(B2, B1, 'b2_t'),
    ])

    await p.ok(['upgrade', 'alpha@head'])
    expect(await rows()).toEqual([A2])
    expect(await tables()).toEqual(['a1_t', 'a2_t'])

    await p.ok(['upgrade', 'beta@+1'])
    expect(await rows()).toEqual([A2, B1])
    expect(await tables()).toEqual(['a1_t', 'a2_t', 'b1_t'])

    await p.ok(['upgrade', 'beta@+1'])
    expect(await rows()).toEqual([A2, B2])

    await p.ok(['downgrade', 'alpha@-1'])
    expect(await rows()).toEqual([A1, B2])
    expect(await tables()).toEqual(['a1_t', 'b1_t', 'b2_t'])

    await p.ok(['downgrade', 'beta@base'])
    expect(await rows()).toEqual([A1])
    expect(await tables()).toEqual(['a1_t'])

    await p.ok(['upgrade', 'alpha@+1'])
    expect(await rows()).toEqual([A2])

    await p.ok(['downgrade', 'alpha@base'])
    expect(await rows()).toEqual([])
    expect(await tables()).toEqual([])

    const result = await p.run(['upgrade', 'gamma@head'])
    expect(result.code).not.toBe(0)
    expect(result.stderr).toContain('gamma')
    expect(await rows()).toEqual([])
  })

  it('dependsOn across branches: upgrading the dependent applies its dependency; downgrading the dependency takes the dependent down first', async () => {
    // main: m1 -> m2 ; feature (separate base): f1 depends on m2
    const M1 = 'c00000000001'
    const M2 = 'c00000000002'
    const F1 = 'f00000000001'
    const p = project(url(), [
      tableRevision(M1, null, 'm1_t', { labels: 'main' }),
      tableRevision(M2, M1, 'm2_t'),
      tableRevision(F1, null, 'f1_t', { labels: 'feature', dependsOn: M2, up: "await op.execute('CREATE TABLE f1_t (id INTEGER)'); await op.execute('INSERT INTO f1_t (id) SELECT COUNT(*) + 1 FROM m2_t')" }),
    ])

    await p.ok(['upgrade', 'feature@head'])
    // As Alembic: the dependency counts as a down revision for the version table, so f1
    // replaces m2's row (m2 stays applied, implied by f1).
    expect(await rows()).toEqual([F1])
    expect(await tables()).toEqual(['f1_t', 'm1_t', 'm2_t'])
    expect(await query(dialect, url(), 'SELECT id FROM f1_t')).toEqual([{ id: 1 }]) // m2_t existed when f1 ran

    // Downgrading below m2 takes f1 (which depends on it) down first.
    let result = await p.ok(['downgrade', M1])
    expect(result.stderr.indexOf(`Running downgrade ${F1}`)).toBeGreaterThanOrEqual(0)
    expect(result.stderr.indexOf(`Running downgrade ${F1}`)).toBeLessThan(result.stderr.indexOf(`Running downgrade ${M2}`))
    expect(await rows()).toEqual([M1])
    expect(await tables()).toEqual(['m1_t'])

    result = await p.ok(['upgrade', 'heads'])
    expect(await rows()).toEqual([F1])
    await p.ok(['downgrade', 'feature@base'])
    expect(await rows()).toEqual([M2])
    expect(await tables()).toEqual(['m1_t', 'm2_t'])
  })
})
