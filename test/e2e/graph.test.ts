/**
 * End-to-end: the graph commands (heads, branches, history, show) on a hand-written graph of
 * .ts, .js and .mjs revision files; proof that they never execute a revision file; and the
 * graph errors (cycle, duplicate id, missing parent, ambiguous prefix, unknown revision).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeProject, writeRevision, removeScratchDirs } from '../support/cli.js'
import { cli, expectCleanError, expectOk, list, writeGraph } from './helpers.js'

afterAll(removeScratchDirs)

interface RevisionJson {
  revision: string
  downRevisions: string[]
  branchLabels: string[]
  dependsOn: string[]
  doc: string | null
  path: string | null
  isHead: boolean
  isBase: boolean
  isBranchPoint: boolean
  isMergePoint: boolean
}

let dir: string
let files: Record<string, string>

beforeAll(() => {
  // No database URL: graph commands must not need one.
  const project = makeProject('', { env: null })
  dir = project.dir
  fs.writeFileSync(path.join(dir, 'migrator.ini'), '[migrator]\nscript_location = %(here)s/migrations\n')
  files = writeGraph(project.versions)
})

const verbose = (id: string, lines: string[]) => [...lines, `Path: ${files[id]}`, '', `    ${docOf(id)}`, ''].join('\n')
const DOCS: Record<string, string> = {
  aaa111: 'first',
  bbb222: 'second',
  ccc333: 'feature start',
  ddd444: 'main line',
  eee555: 'merge feature',
  fff666: 'uses lib',
  lib001: 'library base',
  oth001: 'other base',
  oth002: 'other second',
}
const docOf = (id: string) => DOCS[id]!

describe('heads', () => {
  it('plain, -v, --resolve-dependencies and --json', async () => {
    const [plain, verboseResult, resolved, json, jsonResolved] = await Promise.all([
      cli(dir, ['heads']),
      cli(dir, ['heads', '-v']),
      cli(dir, ['heads', '--resolve-dependencies']),
      cli(dir, ['heads', '--json']),
      cli(dir, ['--json', 'heads', '--resolve-dependencies']),
    ])
    for (const result of [plain, verboseResult, resolved, json, jsonResolved]) {
      expectOk(result)
      expect(result.stderr).toBe('')
    }
    expect(plain.stdout).toBe(['fff666 (head) (depends on lib)', 'lib001 (lib) (head)', 'oth002 (head) (depends on ddd444)', ''].join('\n'))
    expect(verboseResult.stdout).toBe(
      [
        verbose('fff666', ['Rev: fff666 (head) (depends on lib)', 'Parent: eee555', 'Also depends on: lib']),
        verbose('lib001', ['Rev: lib001 (lib) (head)', 'Parent: <base>', 'Branch names: lib']),
        verbose('oth002', ['Rev: oth002 (head) (depends on ddd444)', 'Parent: oth001', 'Also depends on: ddd444']),
        '',
      ].join('\n'),
    )
    // lib001 is depended on by fff666: not a head once dependencies count.
    expect(resolved.stdout).toBe(['fff666 (head) (depends on lib)', 'oth002 (head) (depends on ddd444)', ''].join('\n'))

    const heads = JSON.parse(json.stdout) as RevisionJson[]
    expect(heads.map((r) => r.revision)).toEqual(['fff666', 'lib001', 'oth002'])
    expect(heads[0]).toEqual({
      revision: 'fff666',
      downRevisions: ['eee555'],
      branchLabels: [],
      dependsOn: ['lib'],
      doc: 'uses lib',
      path: files['fff666'],
      isHead: true,
      isBase: false,
      isBranchPoint: false,
      isMergePoint: false,
    })
    expect(heads[1]).toMatchObject({ revision: 'lib001', branchLabels: ['lib'], isBase: true, path: files['lib001'] })
    expect((JSON.parse(jsonResolved.stdout) as RevisionJson[]).map((r) => r.revision)).toEqual(['fff666', 'oth002'])
  })
})

describe('branches', () => {
  it('plain, -v and --json', async () => {
    const [plain, verboseResult, json] = await Promise.all([cli(dir, ['branches']), cli(dir, ['branches', '-v']), cli(dir, ['--json', 'branches'])])
    for (const result of [plain, verboseResult, json]) expectOk(result)
    expect(plain.stdout).toBe(
      ['aaa111 -> bbb222 (branchpoint), second', '       -> ccc333 (feature), feature start', '       -> ddd444, main line', ''].join('\n'),
    )
    expect(verboseResult.stdout).toBe(
      [
        verbose('bbb222', ['Rev: bbb222 (branchpoint)', 'Parent: aaa111', 'Branches into: ccc333, ddd444']),
        '       -> ccc333 (feature), feature start',
        '       -> ddd444, main line',
        '',
      ].join('\n'),
    )
    const points = JSON.parse(json.stdout) as (RevisionJson & { branchesInto: string[] })[]
    expect(points).toHaveLength(1)
    expect(points[0]).toMatchObject({ revision: 'bbb222', isBranchPoint: true, branchesInto: ['ccc333', 'ddd444'], path: files['bbb222'] })
  })
})

describe('history', () => {
  const ALL = [
    'eee555 -> fff666 (head) (depends on lib), uses lib',
    'ccc333, ddd444 -> eee555 (mergepoint), merge feature',
    'bbb222 -> ccc333 (feature), feature start',
    '<base> -> lib001 (lib) (head), library base',
    'oth001 -> oth002 (head) (depends on ddd444), other second',
    '<base> -> oth001 (other), other base',
    'bbb222 -> ddd444, main line',
    'aaa111 -> bbb222 (branchpoint), second',
    '<base> -> aaa111, first',
  ]

  it('lists every revision newest first, parents first on each line, as Alembic', async () => {
    const [plain, base] = await Promise.all([cli(dir, ['history']), cli(dir, ['history', '-r', 'base:'])])
    expectOk(plain)
    expect(plain.stdout).toBe(`${ALL.join('\n')}\n`)
    const lines = plain.stdout.trimEnd().split('\n')
    // Topological: every parent is listed after its child.
    const position = (id: string) => lines.findIndex((line) => line.includes(`-> ${id}`))
    for (const [child, parents] of Object.entries({ fff666: ['eee555', 'lib001'], eee555: ['ccc333', 'ddd444'], oth002: ['oth001', 'ddd444'] })) {
      for (const parent of parents) expect(position(child)).toBeLessThan(position(parent))
    }
    expectOk(base)
    expect(base.stdout).toBe(plain.stdout)
  })

  it('-r a:b, prefixes and labels in ranges, -v, --json', async () => {
    const [range, prefix, upper, labelRange, verboseResult, json] = await Promise.all([
      cli(dir, ['history', '-r', 'aaa111:ddd444']),
      cli(dir, ['history', '-r', 'ddd:']),
      cli(dir, ['history', '-r', ':bbb222']),
      cli(dir, ['history', '--rev-range', 'other:oth002']),
      cli(dir, ['history', '-v', '-r', 'eee555:fff666']),
      cli(dir, ['--json', 'history', '-r', 'aaa111:bbb222']),
    ])
    for (const result of [range, prefix, upper, labelRange, verboseResult, json]) expectOk(result)
    expect(range.stdout).toBe(['bbb222 -> ddd444, main line', 'aaa111 -> bbb222 (branchpoint), second', '<base> -> aaa111, first', ''].join('\n'))
    expect(prefix.stdout).toBe(
      ['eee555 -> fff666 (head) (depends on lib), uses lib', 'ccc333, ddd444 -> eee555 (mergepoint), merge feature', 'bbb222 -> ddd444, main line', ''].join('\n'),
    )
    expect(upper.stdout).toBe(['aaa111 -> bbb222 (branchpoint), second', '<base> -> aaa111, first', ''].join('\n'))
    expect(labelRange.stdout).toBe(['oth001 -> oth002 (head) (depends on ddd444), other second', '<base> -> oth001 (other), other base', ''].join('\n'))
    expect(verboseResult.stdout).toBe(
      [
        verbose('fff666', ['Rev: fff666 (head) (depends on lib)', 'Parent: eee555', 'Also depends on: lib']),
        verbose('eee555', ['Rev: eee555 (mergepoint)', 'Merges: ccc333, ddd444']),
        '',
      ].join('\n'),
    )
    const entries = JSON.parse(json.stdout) as (RevisionJson & { isCurrent: boolean })[]
    expect(entries.map((e) => [e.revision, e.isBranchPoint, e.isBase, e.isCurrent])).toEqual([
      ['bbb222', true, false, false],
      ['aaa111', false, true, false],
    ])
    expect(entries[0]!.path).toBe(files['bbb222'])
  })

  it('a bad range is an error with a hint', async () => {
    const [bad, unknown] = await Promise.all([cli(dir, ['history', '-r', 'a:b:c']), cli(dir, ['history', '-r', 'zzz:'])])
    expectCleanError(bad, 1, "Invalid history range 'a:b:c'")
    expectCleanError(unknown, 1, "Can't locate revision identified by 'zzz'")
  })
})

describe('show', () => {
  it('REV, a unique prefix, a label, LABEL@head, head and heads', async () => {
    const [byId, byPrefix, byLabel, labelHead, heads, merge] = await Promise.all([
      cli(dir, ['show', 'ccc333']),
      cli(dir, ['show', 'cc']),
      cli(dir, ['show', 'feature']),
      cli(dir, ['show', 'other@head']),
      cli(dir, ['show', 'heads']),
      cli(dir, ['show', 'eee']),
    ])
    for (const result of [byId, byPrefix, byLabel, labelHead, heads, merge]) expectOk(result)
    const ccc = verbose('ccc333', ['Rev: ccc333 (feature)', 'Parent: bbb222', 'Branch names: feature'])
    expect(byId.stdout).toBe(`${ccc}\n`)
    expect(byPrefix.stdout).toBe(byId.stdout)
    expect(byLabel.stdout).toBe(byId.stdout)
    expect(labelHead.stdout).toBe(`${verbose('oth002', ['Rev: oth002 (head) (depends on ddd444)', 'Parent: oth001', 'Also depends on: ddd444'])}\n`)
    expect(heads.stdout.match(/^Rev: \w+/gm)).toEqual(['Rev: fff666', 'Rev: oth002'])
    expect(merge.stdout).toBe(`${verbose('eee555', ['Rev: eee555 (mergepoint)', 'Merges: ccc333, ddd444'])}\n`)
  })

  it('show head with several heads is an error listing them, with a hint', async () => {
    const result = await cli(dir, ['show', 'head'])
    const line = expectCleanError(result, 1, "Multiple head revisions are present for given argument 'head'")
    for (const id of ['fff666', 'lib001', 'oth002']) expect(line).toContain(`${id} (${files[id]})`)
    expect(result.stderr).toMatch(/^hint: .*'heads'.*@head/m)
  })

  it('show head with a single head', async () => {
    const { dir: single, versions } = makeProject('', { env: null })
    writeRevision(versions, { id: 'one1', message: 'one' })
    const two = writeRevision(versions, { id: 'two2', down: 'one1', message: 'two' })
    const result = await cli(single, ['show', 'head'])
    expectOk(result)
    expect(result.stdout).toBe(['Rev: two2 (head)', 'Parent: one1', `Path: ${two}`, '', '    two', '', ''].join('\n'))
  })
})

describe('graph commands never execute revision files', () => {
  it('a file that throws at import and one that writes a marker still list fine; upgrade does execute them', async () => {
    const { dir: project, versions } = makeProject(`sqlite:///db.sqlite`, { env: null })
    const marker = path.join(project, 'marker.txt')
    fs.writeFileSync(
      path.join(versions, 'mark1_marker.mjs'),
      [
        '/** writes a marker when imported */',
        "import fs from 'node:fs'",
        `fs.writeFileSync(${JSON.stringify(marker)}, 'imported')`,
        "export const revision = 'mark1'",
        'export const downRevision = null',
        'export async function upgrade() {}',
        'export async function downgrade() {}',
        '',
      ].join('\n'),
    )
    fs.writeFileSync(
      path.join(versions, 'boom1_boom.ts'),
      [
        '/** explodes when imported */',
        "throw new Error('executed!')",
        "export const revision = 'boom1'",
        "export const downRevision: string | null = 'mark1'",
        'export async function upgrade(): Promise<void> {}',
        'export async function downgrade(): Promise<void> {}',
        '',
      ].join('\n'),
    )
    const results = await Promise.all([
      cli(project, ['heads']),
      cli(project, ['heads', '-v']),
      cli(project, ['--json', 'heads']),
      cli(project, ['history']),
      cli(project, ['history', '-v']),
      cli(project, ['branches']),
      cli(project, ['show', 'boom1']),
      cli(project, ['show', 'mark']),
      cli(project, ['show', 'head']),
    ])
    for (const result of results) {
      expectOk(result)
      expect(result.stderr).toBe('')
      expect(result.stdout).not.toContain('executed!')
    }
    expect(results[0]!.stdout).toBe('boom1 (head)\n')
    expect(results[3]!.stdout).toBe('mark1 -> boom1 (head), explodes when imported\n<base> -> mark1, writes a marker when imported\n')
    expect(results[7]!.stdout).toContain('Rev: mark1')
    expect(fs.existsSync(marker)).toBe(false)

    // current reads the database, still without executing a file.
    const current = await cli(project, ['current'])
    expectOk(current)
    expect(fs.existsSync(marker)).toBe(false)

    // The premise: running them does execute them.
    const upgrade = await cli(project, ['upgrade', 'head'])
    expect(upgrade.code).toBe(1)
    expect(upgrade.stderr).toMatch(new RegExp(`^error: ${path.join(versions, 'boom1_boom.ts')} failed while loading: executed!`, 'm'))
    expect(fs.existsSync(marker)).toBe(true)
  })
})

describe('graph errors: exit 1, one line naming the files, a hint', () => {
  /** A project whose versions folder gets the given revisions. */
  function graph(write: (versions: string) => void): string {
    const { dir: project, versions } = makeProject('', { env: null })
    write(versions)
    return project
  }

  it('a cycle names every file of the cycle', async () => {
    let a = ''
    let b = ''
    const project = graph((v) => {
      a = writeRevision(v, { id: 'a1', down: 'b1' })
      b = writeRevision(v, { id: 'b1', down: 'a1', ext: 'js' })
    })
    const results = await Promise.all([cli(project, ['heads']), cli(project, ['history']), cli(project, ['show', 'a1'])])
    for (const result of results) {
      const line = expectCleanError(result, 1, 'Cycle in the revision graph')
      expect(line).toContain(`a1 (${a})`)
      expect(line).toContain(`b1 (${b})`)
    }
  })

  it('a revision that is its own parent', async () => {
    let a = ''
    const project = graph((v) => (a = writeRevision(v, { id: 'a1', down: 'a1' })))
    expectCleanError(await cli(project, ['heads']), 1, `Revision a1 (${a}) is its own down revision`)
  })

  it('a duplicate id names both files', async () => {
    let one = ''
    let two = ''
    const project = graph((v) => {
      one = writeRevision(v, { id: 'dup1', message: 'one' })
      two = writeRevision(v, { id: 'dup1', message: 'two', ext: 'mjs' })
    })
    const result = await cli(project, ['history'])
    expectCleanError(result, 1, `Revision dup1 is defined more than once: in ${one} and in ${two}`)
  })

  it('a missing parent names the file and the missing id', async () => {
    let file = ''
    const project = graph((v) => {
      writeRevision(v, { id: 'root1' })
      file = writeRevision(v, { id: 'kid1', down: 'gone99' })
    })
    const result = await cli(project, ['heads'])
    expectCleanError(result, 1, `Revision kid1 in ${file} has down revision 'gone99', which is not present`)
    expect(result.stderr).toContain(`hint: restore the revision file of 'gone99', or fix downRevision in ${file}`)
  })

  it('a missing dependency and a duplicate branch label', async () => {
    let file = ''
    const missingDep = graph((v) => (file = writeRevision(v, { id: 'x1', dependsOn: 'nothere' })))
    expectCleanError(await cli(missingDep, ['heads']), 1, `Revision x1 in ${file} depends on 'nothere', which is not a known revision or branch label`)

    let l1 = ''
    let l2 = ''
    const labels = graph((v) => {
      l1 = writeRevision(v, { id: 'l1', labels: 'same' })
      l2 = writeRevision(v, { id: 'l2', labels: 'same' })
    })
    expectCleanError(await cli(labels, ['heads']), 1, `Branch label 'same' is used by both revision l1 (${l1}) and revision l2 (${l2})`)
  })

  it('an ambiguous prefix lists the candidates; an unknown revision is named', async () => {
    let one = ''
    let two = ''
    const project = graph((v) => {
      one = writeRevision(v, { id: 'abc111' })
      two = writeRevision(v, { id: 'abc222', down: 'abc111' })
    })
    const [ambiguous, unknown, unknownHistory, unknownBranch] = await Promise.all([
      cli(project, ['show', 'abc']),
      cli(project, ['show', 'zzz']),
      cli(project, ['history', '-r', 'zzz:']),
      cli(project, ['show', 'nobranch@head']),
    ])
    const line = expectCleanError(ambiguous, 1, "Multiple revisions start with 'abc'")
    expect(line).toContain(`abc111 (${one}), abc222 (${two})`)
    expect(ambiguous.stderr).toContain('hint: give more characters of the revision id')
    expectCleanError(unknown, 1, "Can't locate revision identified by 'zzz'")
    expect(unknown.stderr).toContain('migrator history')
    expectCleanError(unknownHistory, 1, "Can't locate revision identified by 'zzz'")
    expectCleanError(unknownBranch, 1, "No such branch: 'nobranch'")
  })

  it('a revision constant that is not a literal names the file and line', async () => {
    const { dir: project, versions } = makeProject('', { env: null })
    const file = path.join(versions, 'bad1_bad.ts')
    fs.writeFileSync(file, "/** bad */\nconst id = 'bad1'\nexport const revision = id\nexport const downRevision = null\n")
    const result = await cli(project, ['heads'])
    expectCleanError(result, 1, `${file}:3:25: revision is not a literal`)
    expect(list(versions)).toEqual(['bad1_bad.ts'])
  })
})
