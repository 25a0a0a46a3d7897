import { describe, expect, it } from 'vitest'
import { RevisionError } from '../../src/errors.js'
import {
  RevisionMap,
  versionChangesForStep,
  type MigrationStep,
  type RevisionNode,
  type VersionChange,
} from '../../src/script/revision-map.js'

function n(revision: string, down: string[] = [], extra: Partial<RevisionNode> = {}): RevisionNode {
  return { revision, downRevisions: down, branchLabels: [], dependsOn: [], path: `versions/${revision}_file.ts`, ...extra }
}

/** r1 <- r2 <- r3 <- r4 */
const linear = (): RevisionMap => new RevisionMap([n('r1'), n('r2', ['r1'], { doc: 'add users' }), n('r3', ['r2']), n('r4', ['r3'])])
/** b0 <- a1 <- a2 ; b0 <- b1 <- b2 */
const twoBranches = (): RevisionMap =>
  new RevisionMap([n('b0'), n('a1', ['b0']), n('a2', ['a1']), n('b1', ['b0']), n('b2', ['b1'])])
/** b0 <- a1, b0 <- b1, (a1, b1) <- m1 <- m2 */
const merged = (): RevisionMap =>
  new RevisionMap([n('b0'), n('a1', ['b0']), n('b1', ['b0']), n('m1', ['a1', 'b1'], { doc: 'merge' }), n('m2', ['m1'])])
/** x1 (xb) <- x2 ; y1 (yb) <- y2 */
const twoBases = (): RevisionMap =>
  new RevisionMap([n('x1', [], { branchLabels: ['xb'] }), n('x2', ['x1']), n('y1', [], { branchLabels: ['yb'] }), n('y2', ['y1'])])
/** p1 (pay) <- p2 ; s1 (ship) <- s2, s2 depends on 'pay' (= p1) */
const withDependency = (): RevisionMap =>
  new RevisionMap([
    n('p1', [], { branchLabels: ['pay'] }),
    n('p2', ['p1']),
    n('s1', [], { branchLabels: ['ship'] }),
    n('s2', ['s1'], { dependsOn: ['pay'] }),
  ])
/** d0 <- d1 <- da1 <- da2 ; d1 <- db1 ; (da2, db1) <- dm <- dc */
const diamond = (): RevisionMap =>
  new RevisionMap([n('d0'), n('d1', ['d0']), n('da1', ['d1']), n('da2', ['da1']), n('db1', ['d1']), n('dm', ['da2', 'db1']), n('dc', ['dm'])])

function chain(length: number): RevisionNode[] {
  const nodes: RevisionNode[] = []
  for (let i = 0; i < length; i++) nodes.push(n(`c${String(i).padStart(6, '0')}`, i === 0 ? [] : [`c${String(i - 1).padStart(6, '0')}`]))
  return nodes
}

const ids = (steps: readonly MigrationStep[]): string[] => steps.map((step) => step.revision.revision)

/** Applies changes to a simulated version table, failing on any write that would not touch exactly one row. */
function apply(table: Set<string>, changes: readonly VersionChange[]): void {
  for (const change of changes) {
    if (change.kind === 'insert') {
      expect(table.has(change.version), `insert of present row ${change.version}`).toBe(false)
      table.add(change.version)
    } else if (change.kind === 'delete') {
      expect(table.has(change.version), `delete of absent row ${change.version}`).toBe(true)
      table.delete(change.version)
    } else {
      expect(table.has(change.from), `update of absent row ${change.from}`).toBe(true)
      expect(table.has(change.to), `update onto present row ${change.to}`).toBe(false)
      table.delete(change.from)
      table.add(change.to)
    }
  }
}

/** Runs the steps against a simulated table; returns the sorted table after each step. */
function run(map: RevisionMap, start: readonly string[], steps: readonly MigrationStep[]): string[][] {
  const table = new Set(start)
  return steps.map((step) => {
    apply(table, versionChangesForStep(new Set(table), step, map))
    return [...table].sort()
  })
}

function error(fn: () => unknown): RevisionError {
  try {
    fn()
  } catch (caught) {
    expect(caught).toBeInstanceOf(RevisionError)
    return caught as RevisionError
  }
  throw new Error('expected a RevisionError')
}

describe('RevisionMap structure', () => {
  it('linear: heads, bases, size, flags', () => {
    const map = linear()
    expect(map.heads).toEqual(['r4'])
    expect(map.bases).toEqual(['r1'])
    expect(map.size).toBe(4)
    const r2 = map.get('r2')
    expect(r2.nextRevisions).toEqual(['r3'])
    expect([r2.isHead, r2.isBase, r2.isBranchPoint, r2.isMergePoint]).toEqual([false, false, false, false])
    expect(map.get('r1').isBase).toBe(true)
    expect(map.get('r4').isHead).toBe(true)
    expect(map.get('r2').doc).toBe('add users')
    expect(map.get('r2').path).toBe('versions/r2_file.ts')
  })

  it('branches, merges and independent bases', () => {
    expect(twoBranches().heads).toEqual(['a2', 'b2'])
    expect(twoBranches().get('b0').isBranchPoint).toBe(true)
    expect(twoBranches().get('b0').nextRevisions).toEqual(['a1', 'b1'])
    expect(merged().heads).toEqual(['m2'])
    expect(merged().get('m1').isMergePoint).toBe(true)
    expect(twoBases().bases).toEqual(['x1', 'y1'])
    expect(twoBases().heads).toEqual(['x2', 'y2'])
    expect(diamond().heads).toEqual(['dc'])
  })

  it('resolves dependsOn through labels and prefixes', () => {
    const map = withDependency()
    expect(map.get('s2').resolvedDependencies).toEqual(['p1'])
    expect(map.get('s2').dependsOn).toEqual(['pay'])
    expect(map.heads).toEqual(['p2', 's2'])
    const byPrefix = new RevisionMap([n('abc123'), n('def456', [], { dependsOn: ['abc'] })])
    expect(byPrefix.get('def456').resolvedDependencies).toEqual(['abc123'])
  })
})

describe('get and resolve', () => {
  it('gets by id, unique prefix and label', () => {
    const map = new RevisionMap([n('abc123'), n('abd456', ['abc123'], { branchLabels: ['feature'] })])
    expect(map.get('abc123').revision).toBe('abc123')
    expect(map.get('abc').revision).toBe('abc123')
    expect(map.get('feature').revision).toBe('abd456')
    const ambiguous = error(() => map.get('ab'))
    expect(ambiguous.code).toBe('revision.ambiguous_prefix')
    expect(ambiguous.message).toContain("Multiple revisions start with 'ab'")
    expect(ambiguous.message).toContain('versions/abc123_file.ts')
    expect(ambiguous.message).toContain('versions/abd456_file.ts')
    expect(ambiguous.hint).toBeTruthy()
    const unknown = error(() => map.get('zzz'))
    expect(unknown.code).toBe('revision.not_found')
    expect(unknown.message).toBe("Can't locate revision identified by 'zzz'")
  })

  it('resolves head, heads, base and ids', () => {
    const map = linear()
    expect(map.resolve('head')).toEqual(['r4'])
    expect(map.resolve('heads')).toEqual(['r4'])
    expect(map.resolve('base')).toEqual([])
    expect(map.resolve('r2')).toEqual(['r2'])
    expect(map.resolve('r2+1')).toEqual(['r3'])
    expect(map.resolve('r3-2')).toEqual(['r1'])
    expect(map.resolve('r1-1')).toEqual([])
    expect(map.resolve('-1')).toEqual(['r3'])
    expect(error(() => map.resolve('r4+1')).message).toContain("didn't produce 1 migrations")
    expect(error(() => map.resolve('+1')).code).toBe('revision.relative')
    expect(error(() => map.resolve('nope')).message).toBe("Can't locate revision identified by 'nope'")
  })

  it("'head' with several heads fails, naming them and suggesting heads or LABEL@head", () => {
    const e = error(() => twoBranches().resolve('head'))
    expect(e.code).toBe('revision.multiple_heads')
    expect(e.message).toContain('a2')
    expect(e.message).toContain('b2')
    expect(e.hint).toContain("'heads'")
    expect(e.hint).toContain('@head')
    expect(twoBranches().resolve('heads')).toEqual(['a2', 'b2'])
  })

  it("'heads' leaves out heads another revision depends on", () => {
    const map = new RevisionMap([n('q1'), n('q2', ['q1']), n('z1', [], { dependsOn: ['q2'] })])
    expect(map.heads).toEqual(['q2', 'z1'])
    expect(map.resolve('heads')).toEqual(['z1'])
  })

  it('resolves LABEL@head, LABEL@base, LABEL@REV, LABEL@REV+N', () => {
    const map = twoBases()
    expect(map.resolve('xb')).toEqual(['x1'])
    expect(map.resolve('xb@head')).toEqual(['x2'])
    expect(map.resolve('yb@heads')).toEqual(['y2'])
    expect(map.resolve('xb@base')).toEqual([])
    expect(map.resolve('xb@x2')).toEqual(['x2'])
    expect(map.resolve('xb@x1+1')).toEqual(['x2'])
    const other = error(() => map.resolve('xb@y2'))
    expect(other.code).toBe('revision.not_in_branch')
    expect(other.message).toContain("not a member of branch 'xb'")
    expect(error(() => map.resolve('nope@head')).message).toContain("No such branch: 'nope'")
    // A revision id can stand for a branch.
    expect(map.resolve('y1@head')).toEqual(['y2'])
  })

  it('LABEL@head fails when the branch has several heads', () => {
    const map = new RevisionMap([n('t0', [], { branchLabels: ['trunk'] }), n('t1', ['t0']), n('t2', ['t0'])])
    const e = error(() => map.resolve('trunk@head'))
    expect(e.code).toBe('revision.multiple_heads')
    expect(e.message).toContain("'trunk@head'")
  })

  it('prefers an exact label over a relative reading', () => {
    const map = new RevisionMap([n('aa01', [], { branchLabels: ['v-1'] })])
    expect(map.resolve('v-1')).toEqual(['aa01'])
  })
})

describe('planUpgrade', () => {
  it('linear: head, REV, prefix-free ids, +N, REV+N, descriptions', () => {
    const map = linear()
    const steps = map.planUpgrade([], 'head')
    expect(ids(steps)).toEqual(['r1', 'r2', 'r3', 'r4'])
    expect(steps.map((s) => s.description)).toEqual([' -> r1', 'r1 -> r2, add users', 'r2 -> r3', 'r3 -> r4'])
    expect(steps.every((s) => s.direction === 'up')).toBe(true)
    expect(ids(map.planUpgrade(['r1'], 'r3'))).toEqual(['r2', 'r3'])
    expect(ids(map.planUpgrade(['r1'], '+2'))).toEqual(['r2', 'r3'])
    expect(ids(map.planUpgrade([], '+1'))).toEqual(['r1'])
    expect(ids(map.planUpgrade([], 'r2+1'))).toEqual(['r1', 'r2', 'r3'])
    expect(ids(map.planUpgrade([], 'r3-1'))).toEqual(['r1', 'r2'])
    expect(ids(map.planUpgrade(['r2'], 'heads'))).toEqual(['r3', 'r4'])
  })

  it('already applied targets give no steps', () => {
    const map = linear()
    expect(map.planUpgrade(['r4'], 'head')).toEqual([])
    expect(map.planUpgrade(['r4'], 'r2')).toEqual([])
    expect(map.planUpgrade(['r4'], 'base')).toEqual([])
  })

  it('relative errors', () => {
    const map = linear()
    const past = error(() => map.planUpgrade(['r3'], '+2'))
    expect(past.message).toBe("Relative revision +2 didn't produce 2 migrations")
    expect(error(() => map.planUpgrade(['r3'], '-1')).code).toBe('revision.relative')
    expect(error(() => map.planUpgrade([], 'r4+1')).code).toBe('revision.relative')
    expect(error(() => map.planUpgrade([], 'r')).code).toBe('revision.ambiguous_prefix')
    expect(error(() => map.planUpgrade(['zz'], 'head')).message).toBe("Can't locate revision identified by 'zz'")
  })

  it('two branches: head fails, heads upgrades every branch, +N is ambiguous with several current heads', () => {
    const map = twoBranches()
    expect(error(() => map.planUpgrade([], 'head')).code).toBe('revision.multiple_heads')
    const steps = map.planUpgrade([], 'heads')
    expect(ids(steps)).toEqual(['b0', 'b1', 'b2', 'a1', 'a2'])
    expect(steps[0]?.description).toBe(' -> b0 (branchpoint)')
    expect(ids(map.planUpgrade(['a1', 'b1'], 'heads'))).toEqual(['b2', 'a2'])
    expect(ids(map.planUpgrade(['b2'], 'a2'))).toEqual(['a1', 'a2'])
    const ambiguous = error(() => map.planUpgrade(['a1', 'b1'], '+1'))
    expect(ambiguous.code).toBe('revision.ambiguous_upgrade')
    expect(ambiguous.message).toContain('Ambiguous upgrade from multiple current revisions')
    expect(error(() => map.planUpgrade([], '+2')).code).toBe('revision.ambiguous_walk')
    expect(ids(map.planUpgrade(['a1', 'b1'], 'a1+1'))).toEqual(['a2'])
  })

  it('merge: the merge step runs once both parents are applied', () => {
    const map = merged()
    const steps = map.planUpgrade([], 'head')
    expect(ids(steps)).toEqual(['b0', 'b1', 'a1', 'm1', 'm2'])
    expect(steps[3]?.description).toBe('a1, b1 -> m1 (mergepoint), merge')
    expect(ids(map.planUpgrade(['a1'], 'head'))).toEqual(['b1', 'm1', 'm2'])
    expect(ids(map.planUpgrade(['a1'], 'b1'))).toEqual(['b1'])
  })

  it('labels: LABEL@head, LABEL@+N, on independent bases', () => {
    const map = twoBases()
    expect(ids(map.planUpgrade([], 'yb@head'))).toEqual(['y1', 'y2'])
    expect(ids(map.planUpgrade(['y2'], 'xb@+1'))).toEqual(['x1'])
    expect(ids(map.planUpgrade(['x1', 'y2'], 'xb@+1'))).toEqual(['x2'])
    expect(ids(map.planUpgrade(['x1', 'y1'], 'yb@+1'))).toEqual(['y2'])
    expect(ids(map.planUpgrade(['x1', 'y1'], 'xb@x2'))).toEqual(['x2'])
    expect(error(() => map.planUpgrade(['x2'], 'xb@+1')).code).toBe('revision.relative')
    expect(error(() => map.planUpgrade([], '+1')).code).toBe('revision.ambiguous_walk')
  })

  it('LABEL@+N from a shared trunk follows the labelled branch', () => {
    const map = new RevisionMap([n('t0'), n('f1', ['t0'], { branchLabels: ['feat'] }), n('f2', ['f1']), n('g1', ['t0'], { branchLabels: ['other'] })])
    expect(ids(map.planUpgrade(['t0'], 'feat@+1'))).toEqual(['f1'])
    expect(ids(map.planUpgrade(['g1'], 'feat@+1'))).toEqual(['f1'])
    expect(ids(map.planUpgrade(['f1', 'g1'], 'feat@+1'))).toEqual(['f2'])
  })

  it('dependsOn: upgrading to X first applies its dependencies on another branch', () => {
    const map = withDependency()
    expect(ids(map.planUpgrade([], 's2'))).toEqual(['p1', 's1', 's2'])
    expect(ids(map.planUpgrade([], 'ship@head'))).toEqual(['p1', 's1', 's2'])
    expect(ids(map.planUpgrade(['s2'], 'heads'))).toEqual(['p2'])
    expect(ids(map.planUpgrade(['s1'], 's2'))).toEqual(['p1', 's2'])
  })
})

describe('planDowngrade', () => {
  it('linear: -N, REV, REV-N, REV+N, base', () => {
    const map = linear()
    const one = map.planDowngrade(['r4'], '-1')
    expect(ids(one)).toEqual(['r4'])
    expect(one[0]?.direction).toBe('down')
    expect(one[0]?.description).toBe('r4 -> r3')
    expect(ids(map.planDowngrade(['r4'], '-4'))).toEqual(['r4', 'r3', 'r2', 'r1'])
    expect(ids(map.planDowngrade(['r4'], 'r2'))).toEqual(['r4', 'r3'])
    expect(ids(map.planDowngrade(['r4'], 'r4-2'))).toEqual(['r4', 'r3'])
    expect(ids(map.planDowngrade(['r4'], 'r1+1'))).toEqual(['r4', 'r3'])
    const all = map.planDowngrade(['r4'], 'base')
    expect(ids(all)).toEqual(['r4', 'r3', 'r2', 'r1'])
    expect(all[2]?.description).toBe('r2 -> r1, add users')
    expect(all[3]?.description).toBe('r1 -> ')
    expect(map.planDowngrade([], 'base')).toEqual([])
    expect(map.planDowngrade(['r2'], 'r2')).toEqual([])
  })

  it('linear errors: not below current, past base, wrong direction', () => {
    const map = linear()
    const above = error(() => map.planDowngrade(['r2'], 'r3'))
    expect(above.code).toBe('revision.not_downgrade_target')
    expect(above.message).toContain('Destination r3 is not a valid downgrade target')
    expect(error(() => map.planDowngrade(['r4'], '-5')).message).toBe("Relative revision -5 didn't produce 5 migrations")
    expect(error(() => map.planDowngrade([], '-1')).code).toBe('revision.relative')
    expect(error(() => map.planDowngrade(['r4'], '+1')).code).toBe('revision.relative')
    expect(error(() => map.planDowngrade(['r4'], 'r1-2')).code).toBe('revision.relative')
    expect(error(() => map.planDowngrade(['r4'], 'nope')).message).toBe("Can't locate revision identified by 'nope'")
  })

  it('two branches: base removes all; REV keeps the other branch; -N is ambiguous', () => {
    const map = twoBranches()
    expect(ids(map.planDowngrade(['a2', 'b2'], 'base'))).toEqual(['a2', 'a1', 'b2', 'b1', 'b0'])
    expect(ids(map.planDowngrade(['a2', 'b2'], 'b0'))).toEqual(['a2', 'a1', 'b2', 'b1'])
    expect(ids(map.planDowngrade(['a2', 'b2'], 'a1'))).toEqual(['a2'])
    expect(ids(map.planDowngrade(['a2', 'b2'], 'a2-1'))).toEqual(['a2'])
    expect(error(() => map.planDowngrade(['a2', 'b2'], '-1')).code).toBe('revision.ambiguous_downgrade')
    expect(error(() => map.planDowngrade(['a1'], 'b2')).code).toBe('revision.not_downgrade_target')
    expect(error(() => map.planDowngrade(['a1'], 'a2')).code).toBe('revision.not_downgrade_target')
  })

  it('merge: downgrade through the merge point', () => {
    const map = merged()
    const steps = map.planDowngrade(['m2'], 'base')
    expect(ids(steps)).toEqual(['m2', 'm1', 'a1', 'b1', 'b0'])
    expect(steps.map((s) => s.description)).toEqual(['m2 -> m1', 'm1 -> a1, b1 (mergepoint), merge', 'a1 -> b0', 'b1 -> b0', 'b0 -> (branchpoint)'])
    expect(ids(map.planDowngrade(['m2'], 'a1'))).toEqual(['m2', 'm1'])
    // Alembic's walk cannot step down through a merge point.
    expect(error(() => map.planDowngrade(['m1'], '-1')).code).toBe('revision.ambiguous_walk')
  })

  it('labels: LABEL@-N and LABEL@base leave the other branch alone', () => {
    const map = twoBases()
    expect(ids(map.planDowngrade(['x2', 'y2'], 'yb@-1'))).toEqual(['y2'])
    expect(ids(map.planDowngrade(['x2', 'y2'], 'xb@base'))).toEqual(['x2', 'x1'])
    expect(ids(map.planDowngrade(['x2', 'y2'], 'xb@-2'))).toEqual(['x2', 'x1'])
    expect(ids(map.planDowngrade(['x2', 'y2'], 'base'))).toEqual(['x2', 'x1', 'y2', 'y1'])
    expect(error(() => map.planDowngrade(['x2', 'y2'], 'xb@-3')).code).toBe('revision.relative')
    expect(error(() => map.planDowngrade(['y2'], 'xb@-1')).message).toContain("nothing of branch 'xb' is applied")
  })

  it('dependsOn: downgrading a dependency first downgrades its dependents', () => {
    const map = withDependency()
    expect(ids(map.planDowngrade(['p2', 's2'], 'pay@base'))).toEqual(['p2', 's2', 'p1'])
    expect(ids(map.planDowngrade(['s2'], 'ship@base'))).toEqual(['s2', 's1'])
  })
})

describe('version-table changes per step', () => {
  it('linear: insert, updates, delete', () => {
    const map = linear()
    expect(run(map, [], map.planUpgrade([], 'head'))).toEqual([['r1'], ['r2'], ['r3'], ['r4']])
    expect(run(map, ['r4'], map.planDowngrade(['r4'], 'base'))).toEqual([['r3'], ['r2'], ['r1'], []])
    const [first] = map.planUpgrade([], '+1')
    expect(versionChangesForStep(new Set(), first as MigrationStep, map)).toEqual([{ kind: 'insert', version: 'r1' }])
  })

  it('two branches: full upgrade to heads, then full downgrade to base', () => {
    const map = twoBranches()
    expect(run(map, [], map.planUpgrade([], 'heads'))).toEqual([['b0'], ['b1'], ['b2'], ['a1', 'b2'], ['a2', 'b2']])
    expect(run(map, ['a2', 'b2'], map.planDowngrade(['a2', 'b2'], 'base'))).toEqual([['a1', 'b2'], ['b2'], ['b1'], ['b0'], []])
    expect(run(map, ['a2', 'b2'], map.planDowngrade(['a2', 'b2'], 'b0'))).toEqual([['a1', 'b2'], ['b2'], ['b1'], ['b0']])
  })

  it('merge: merge deletes one parent and updates the other; unmerge inserts it back', () => {
    const map = merged()
    const up = map.planUpgrade([], 'head')
    expect(run(map, [], up)).toEqual([['b0'], ['b1'], ['a1', 'b1'], ['m1'], ['m2']])
    const mergeStep = up[3] as MigrationStep
    expect(versionChangesForStep(new Set(['a1', 'b1']), mergeStep, map)).toEqual([
      { kind: 'delete', version: 'a1' },
      { kind: 'update', from: 'b1', to: 'm1' },
    ])
    const down = map.planDowngrade(['m2'], 'base')
    expect(run(map, ['m2'], down)).toEqual([['m1'], ['a1', 'b1'], ['b1'], ['b0'], []])
    expect(versionChangesForStep(new Set(['m1']), down[1] as MigrationStep, map)).toEqual([
      { kind: 'insert', version: 'a1' },
      { kind: 'update', from: 'm1', to: 'b1' },
    ])
  })

  it('diamond: full upgrade to heads, then full downgrade to base', () => {
    const map = diamond()
    const up = map.planUpgrade([], 'heads')
    expect(ids(up)).toEqual(['d0', 'd1', 'db1', 'da1', 'da2', 'dm', 'dc'])
    expect(run(map, [], up)).toEqual([['d0'], ['d1'], ['db1'], ['da1', 'db1'], ['da2', 'db1'], ['dm'], ['dc']])
    const down = map.planDowngrade(['dc'], 'base')
    expect(ids(down)).toEqual(['dc', 'dm', 'da2', 'da1', 'db1', 'd1', 'd0'])
    expect(run(map, ['dc'], down)).toEqual([['dm'], ['da2', 'db1'], ['da1', 'db1'], ['db1'], ['d1'], ['d0'], []])
  })

  it('independent bases: inserts and deletes per branch', () => {
    const map = twoBases()
    expect(run(map, [], map.planUpgrade([], 'heads'))).toEqual([['y1'], ['y2'], ['x1', 'y2'], ['x2', 'y2']])
    expect(run(map, ['x2', 'y2'], map.planDowngrade(['x2', 'y2'], 'xb@base'))).toEqual([['x1', 'y2'], ['y2']])
  })

  it('dependsOn: a dependent absorbs its dependency row, and gives it back on downgrade', () => {
    const map = withDependency()
    expect(run(map, [], map.planUpgrade([], 's2'))).toEqual([['p1'], ['p1', 's1'], ['s2']])
    expect(run(map, ['s2'], map.planUpgrade(['s2'], 'heads'))).toEqual([['p2', 's2']])
    expect(run(map, ['p2', 's2'], map.planDowngrade(['p2', 's2'], 'pay@base'))).toEqual([['s2'], ['p1', 's1'], ['s1']])
    expect(run(map, ['p2', 's2'], map.planDowngrade(['p2', 's2'], 'base'))).toEqual([['s2'], ['p1', 's1'], ['p1'], []])
    expect(run(map, ['p2', 's1'], map.planUpgrade(['p2', 's1'], 's2'))).toEqual([['p2', 's2']])
  })

  it('never touches a row that is not in the table', () => {
    const map = linear()
    const [step] = map.planDowngrade(['r4'], '-1')
    expect(error(() => versionChangesForStep(new Set(['r2']), step as MigrationStep, map)).code).toBe('revision.version_table')
  })
})

describe('planStamp', () => {
  it('linear: up and down the chain is one update; base deletes; same is nothing', () => {
    const map = linear()
    expect(map.planStamp(['r1'], ['r3'])).toEqual([{ kind: 'update', from: 'r1', to: 'r3' }])
    expect(map.planStamp(['r3'], ['r1'])).toEqual([{ kind: 'update', from: 'r3', to: 'r1' }])
    expect(map.planStamp([], ['r2'])).toEqual([{ kind: 'insert', version: 'r2' }])
    expect(map.planStamp(['r2'], [])).toEqual([{ kind: 'delete', version: 'r2' }])
    expect(map.planStamp(['r2'], ['r2'])).toEqual([])
    expect(map.planStamp([], [])).toEqual([])
  })

  it('branches: another branch is a new row; heads; down to the branch point; base', () => {
    const map = twoBranches()
    expect(map.planStamp(['a2'], ['b1'])).toEqual([{ kind: 'insert', version: 'b1' }])
    expect(map.planStamp(['b0'], map.resolve('heads'))).toEqual([
      { kind: 'update', from: 'b0', to: 'a2' },
      { kind: 'insert', version: 'b2' },
    ])
    expect(map.planStamp(['a1'], ['a2', 'b2'])).toEqual([
      { kind: 'update', from: 'a1', to: 'a2' },
      { kind: 'insert', version: 'b2' },
    ])
    expect(map.planStamp(['a2', 'b2'], ['b0'])).toEqual([
      { kind: 'delete', version: 'a2' },
      { kind: 'update', from: 'b2', to: 'b0' },
    ])
    expect(map.planStamp(['a2', 'b2'], ['a1', 'b1'])).toEqual([
      { kind: 'update', from: 'a2', to: 'a1' },
      { kind: 'update', from: 'b2', to: 'b1' },
    ])
    expect(map.planStamp(['a2', 'b2'], [])).toEqual([
      { kind: 'delete', version: 'a2' },
      { kind: 'delete', version: 'b2' },
    ])
    expect(map.planStamp(['a1'], ['a1', 'a2'])).toEqual([{ kind: 'update', from: 'a1', to: 'a2' }])
    expect(error(() => map.planStamp(['a1'], ['zz'])).code).toBe('revision.not_found')
  })

  it('merge: stamping the merge point from both parents merges the rows', () => {
    const map = merged()
    const changes = map.planStamp(['a1', 'b1'], ['m2'])
    expect(changes).toEqual([
      { kind: 'delete', version: 'a1' },
      { kind: 'update', from: 'b1', to: 'm2' },
    ])
    const table = new Set(['a1', 'b1'])
    apply(table, changes)
    expect([...table]).toEqual(['m2'])
  })
})

describe('history', () => {
  it('whole graph newest first, one branch at a time', () => {
    expect(diamond().history().map((r) => r.revision)).toEqual(['dc', 'dm', 'da2', 'da1', 'db1', 'd1', 'd0'])
    expect(twoBranches().history().map((r) => r.revision)).toEqual(['a2', 'a1', 'b2', 'b1', 'b0'])
    expect(linear().history().map((r) => r.revision)).toEqual(['r4', 'r3', 'r2', 'r1'])
    expect(withDependency().history().map((r) => r.revision)).toEqual(['p2', 's2', 's1', 'p1'])
  })

  it('ranges', () => {
    const map = diamond()
    const h = (range: string, current?: string[]): string[] => map.history(range, current).map((r) => r.revision)
    expect(h('d1:dm')).toEqual(['dm', 'da2', 'da1', 'db1', 'd1'])
    expect(h('da1:')).toEqual(['dc', 'dm', 'da2', 'da1'])
    expect(h(':da2')).toEqual(['da2', 'da1', 'd1', 'd0'])
    expect(h('base:')).toEqual(['dc', 'dm', 'da2', 'da1', 'db1', 'd1', 'd0'])
    expect(h(':head')).toEqual(h('base:heads'))
    expect(h(':heads')).toEqual(h(':'))
    expect(h('base:+2')).toEqual(['d1', 'd0'])
    expect(h('da1:+1')).toEqual(['da2', 'da1'])
    expect(h('-2:', ['da2'])).toEqual(['dc', 'dm', 'da2', 'da1', 'db1', 'd1'])
    expect(h('-1:da2')).toEqual(['da2', 'da1'])
    // dm is a merge point: Alembic's walk cannot step down from it.
    expect(error(() => h('-1:dm')).code).toBe('revision.ambiguous_walk')
  })

  it('current ranges', () => {
    const map = diamond()
    const h = (range: string, current?: string[]): string[] => map.history(range, current).map((r) => r.revision)
    expect(h('current:', ['db1'])).toEqual(['dc', 'dm', 'db1'])
    expect(h(':current', ['da1', 'db1'])).toEqual(['da1', 'db1', 'd1', 'd0'])
    expect(h('current:', [])).toEqual(h(':'))
    expect(h(':current', [])).toEqual([])
    expect(error(() => map.history('current:')).code).toBe('revision.no_current')
  })

  it('range errors', () => {
    const map = diamond()
    expect(error(() => map.history('da2:db1')).code).toBe('revision.not_ancestor')
    expect(error(() => map.history('zz:')).message).toBe("Can't locate revision identified by 'zz'")
    expect(error(() => map.history(':zz')).message).toBe("Can't locate revision identified by 'zz'")
    expect(error(() => map.history('da1')).code).toBe('revision.history_range')
    expect(error(() => map.history('a:b:c')).code).toBe('revision.history_range')
    expect(error(() => map.history('-9:', ['da1'])).code).toBe('revision.relative')
  })

  it('a label base restricts the range to that branch', () => {
    expect(twoBases().history('xb@base:').map((r) => r.revision)).toEqual(['x2', 'x1'])
  })
})

describe('validation errors name the files', () => {
  it('duplicate revision id', () => {
    const e = error(() => new RevisionMap([n('aa'), { ...n('aa'), path: 'versions/aa_copy.ts' }]))
    expect(e.code).toBe('revision.duplicate_revision')
    expect(e.message).toContain('versions/aa_file.ts')
    expect(e.message).toContain('versions/aa_copy.ts')
    expect(e.hint).toBeTruthy()
  })

  it('duplicate branch label', () => {
    const e = error(() => new RevisionMap([n('aa', [], { branchLabels: ['x'] }), n('bb', [], { branchLabels: ['x'] })]))
    expect(e.code).toBe('revision.duplicate_branch_label')
    expect(e.message).toContain("'x'")
    expect(e.message).toContain('versions/aa_file.ts')
    expect(e.message).toContain('versions/bb_file.ts')
  })

  it('branch label equal to a revision id', () => {
    const e = error(() => new RevisionMap([n('aa'), n('bb', [], { branchLabels: ['aa'] })]))
    expect(e.code).toBe('revision.label_is_revision')
    expect(e.message).toContain('versions/bb_file.ts')
    expect(e.message).toContain('versions/aa_file.ts')
  })

  it('missing down revision', () => {
    const e = error(() => new RevisionMap([n('aa'), n('bb', ['zz'])]))
    expect(e.code).toBe('revision.missing_down_revision')
    expect(e.message).toContain('versions/bb_file.ts')
    expect(e.message).toContain("'zz'")
    expect(e.hint).toContain('versions/bb_file.ts')
  })

  it('missing and ambiguous dependsOn', () => {
    const missing = error(() => new RevisionMap([n('aa'), n('bb', ['aa'], { dependsOn: ['zz'] })]))
    expect(missing.code).toBe('revision.missing_dependency')
    expect(missing.message).toContain('versions/bb_file.ts')
    expect(missing.message).toContain("'zz'")
    const ambiguous = error(() => new RevisionMap([n('ab1'), n('ab2'), n('cc', [], { dependsOn: ['ab'] })]))
    expect(ambiguous.code).toBe('revision.ambiguous_prefix')
    expect(ambiguous.message).toContain('versions/cc_file.ts')
    expect(ambiguous.message).toContain('versions/ab1_file.ts')
  })

  it('self references', () => {
    const down = error(() => new RevisionMap([n('aa', ['aa'])]))
    expect(down.code).toBe('revision.self_reference')
    expect(down.message).toContain('versions/aa_file.ts')
    const dep = error(() => new RevisionMap([n('aa', [], { dependsOn: ['aa'] })]))
    expect(dep.code).toBe('revision.self_reference')
    expect(dep.message).toContain('versions/aa_file.ts')
  })

  it('cycles name every revision in the cycle', () => {
    const e = error(() => new RevisionMap([n('base0'), n('aa', ['cc']), n('bb', ['aa']), n('cc', ['bb'])]))
    expect(e.code).toBe('revision.cycle')
    for (const file of ['versions/aa_file.ts', 'versions/bb_file.ts', 'versions/cc_file.ts']) expect(e.message).toContain(file)
    expect(e.message).not.toContain('base0')
    const viaDependency = error(() => new RevisionMap([n('aa', [], { dependsOn: ['bb'] }), n('bb', ['aa'])]))
    expect(viaDependency.code).toBe('revision.cycle')
  })

  it('falls back to the id when there is no path', () => {
    const e = error(() => new RevisionMap([{ revision: 'aa', downRevisions: ['zz'], branchLabels: [], dependsOn: [] }]))
    expect(e.message).toContain('aa')
    expect(e.message).not.toContain('undefined')
  })
})

describe('scale', () => {
  it('a 5,000-long chain: no recursion overflow anywhere', () => {
    const nodes = chain(5000)
    const map = new RevisionMap(nodes)
    expect(map.heads).toEqual(['c004999'])
    expect(map.history()).toHaveLength(5000)
    const up = map.planUpgrade([], 'head')
    expect(up).toHaveLength(5000)
    const table = new Set<string>()
    for (const step of up) apply(table, versionChangesForStep(new Set(table), step, map))
    expect([...table]).toEqual(['c004999'])
    const down = map.planDowngrade(['c004999'], 'base')
    expect(down).toHaveLength(5000)
    for (const step of down) apply(table, versionChangesForStep(new Set(table), step, map))
    expect(table.size).toBe(0)
    expect(map.planUpgrade([], '+5000').at(-1)?.revision.revision).toBe('c004999')
    expect(map.history('c000010:c000020')).toHaveLength(11)
    expect(map.planStamp(['c000001'], ['c004000'])).toEqual([{ kind: 'update', from: 'c000001', to: 'c004000' }])
    const cyclic = [{ ...(nodes[0] as RevisionNode), downRevisions: ['c004999'] }, ...nodes.slice(1)]
    expect(error(() => new RevisionMap(cyclic)).code).toBe('revision.cycle')
  })

  // Its speed is measured by `npm run bench` (graph commands on 2,000 revision files), not here:
  // a test must not depend on how fast the machine is (this one failed on a loaded machine).
  it('2,000 revisions: build, heads and the full history', () => {
    // A trunk with side branches merged back, to exercise more than a chain.
    const nodes: RevisionNode[] = []
    let previous: string | undefined
    for (let i = 0; i < 2000; i++) {
      const id = `${(i * 2654435761) % 0xffffffff}`.padStart(12, '0') + `_${i}`
      const down: string[] = previous === undefined ? [] : [previous]
      nodes.push(n(id, down))
      previous = id
    }
    const map = new RevisionMap(nodes)
    expect(map.heads).toEqual([previous])
    const history = map.history()
    expect(history).toHaveLength(2000)
    expect(history[0]!.revision).toBe(previous)
    expect(history[1999]!.revision).toBe(nodes[0]!.revision)
  })
})
