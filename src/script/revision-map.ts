/**
 * The revision graph: Alembic's RevisionMap (alembic/script/revision.py) plus the
 * version-table rules of its HeadMaintainer / RevisionStep / StampStep
 * (alembic/runtime/migration.py). Pure: no file or database access.
 */
import { RevisionError } from '../errors.js'

/** One revision as declared by its file. */
export interface RevisionNode {
  readonly revision: string
  /** [] for a base; 2+ for a merge point. */
  readonly downRevisions: readonly string[]
  readonly branchLabels: readonly string[]
  /** Revision ids, unique prefixes or branch labels. */
  readonly dependsOn: readonly string[]
  /** Source file, for error messages. */
  readonly path?: string | undefined
  /** First line of the docstring/message. */
  readonly doc?: string | undefined
}

/** A revision placed in the graph. */
export interface Revision extends RevisionNode {
  /** Children (via downRevisions), sorted. */
  readonly nextRevisions: readonly string[]
  readonly isHead: boolean
  readonly isBase: boolean
  readonly isBranchPoint: boolean
  readonly isMergePoint: boolean
  /** dependsOn resolved to full ids. */
  readonly resolvedDependencies: readonly string[]
}

/** One write to the version table. */
export type VersionChange =
  | { kind: 'insert'; version: string }
  | { kind: 'delete'; version: string }
  | { kind: 'update'; from: string; to: string }

/** Running one revision's upgrade or downgrade. */
export interface MigrationStep {
  readonly revision: Revision
  readonly direction: 'up' | 'down'
  /** Display form as Alembic logs it: " -> abc" for a base, "abc -> def", "abc, def -> 789 (mergepoint)", "def -> abc" on downgrade, "abc -> " when downgrading to base, "(branchpoint)" marks. */
  readonly description: string
}

/** `[LABEL@][SYMBOL](+|-)N`, as Alembic's `_relative_destination`. */
const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/

/** A position in the graph for relative walks: a revision id, or null for "base". */
type Position = string | null

const EMPTY: ReadonlySet<string> = new Set()

let stepChanges: (map: RevisionMap, heads: ReadonlySet<string>, step: MigrationStep) => VersionChange[]

/** The revision graph, validated eagerly on construction. */
export class RevisionMap {
  /** Revisions without children (via downRevisions), sorted. */
  readonly heads: readonly string[]
  /** Revisions without downRevisions, sorted. */
  readonly bases: readonly string[]

  readonly #revisions = new Map<string, Revision>()
  readonly #labels = new Map<string, string>()
  readonly #sortedIds: string[]
  /** Heads nothing depends on either: what `heads` resolves to (Alembic's `_real_heads`). */
  readonly #realHeads: string[]
  /** down revisions + dependencies, deduplicated. */
  readonly #parents = new Map<string, readonly string[]>()
  /** children + dependents, deduplicated. */
  readonly #children = new Map<string, readonly string[]>()
  readonly #normalizedDown = new Map<string, readonly string[]>()

  static {
    stepChanges = (map, heads, step) => map.#stepChanges(heads, step)
  }

  /** Builds and validates the graph; throws RevisionError naming the files involved. */
  constructor(nodes: Iterable<RevisionNode>) {
    const declared = new Map<string, RevisionNode>()
    for (const node of nodes) {
      const other = declared.get(node.revision)
      if (other !== undefined) {
        throw new RevisionError('duplicate_revision', `Revision ${node.revision} is defined more than once: in ${where(other)} and in ${where(node)}`, {
          hint: 'give one of the two files a new revision id (and update the revisions that refer to it)',
        })
      }
      declared.set(node.revision, node)
    }
    for (const node of declared.values()) {
      for (const label of node.branchLabels) {
        const clash = declared.get(label)
        if (clash !== undefined) {
          throw new RevisionError('label_is_revision', `Branch label '${label}' of revision ${named(node)} is also the id of revision ${named(clash)}`, {
            hint: `rename the branch label in ${where(node)}`,
          })
        }
        const owner = this.#labels.get(label)
        if (owner !== undefined && owner !== node.revision) {
          const first = declared.get(owner) as RevisionNode
          throw new RevisionError('duplicate_branch_label', `Branch label '${label}' is used by both revision ${named(first)} and revision ${named(node)}`, {
            hint: `a branch label names one revision; remove or rename it in ${where(first)} or ${where(node)}`,
          })
        }
        this.#labels.set(label, node.revision)
      }
    }
    this.#sortedIds = [...declared.keys()].sort()
    const resolvedDeps = new Map<string, string[]>()
    for (const node of declared.values()) {
      for (const down of node.downRevisions) {
        if (down === node.revision) {
          throw new RevisionError('self_reference', `Revision ${named(node)} is its own down revision`, {
            hint: `fix downRevision in ${where(node)}: it must name an older revision`,
          })
        }
        if (!declared.has(down)) {
          throw new RevisionError('missing_down_revision', `Revision ${node.revision} in ${where(node)} has down revision '${down}', which is not present`, {
            hint: `restore the revision file of '${down}', or fix downRevision in ${where(node)}`,
          })
        }
      }
      const deps: string[] = []
      for (const dep of node.dependsOn) {
        const id = this.#lookupDependency(dep, node, declared)
        if (id === node.revision) {
          throw new RevisionError('self_reference', `Revision ${named(node)} depends on itself ('${dep}')`, {
            hint: `remove '${dep}' from dependsOn in ${where(node)}`,
          })
        }
        if (!deps.includes(id)) deps.push(id)
      }
      resolvedDeps.set(node.revision, deps)
    }

    const childLists = new Map<string, string[]>()
    const childAll = new Map<string, string[]>()
    for (const id of this.#sortedIds) {
      childLists.set(id, [])
      childAll.set(id, [])
    }
    for (const id of this.#sortedIds) {
      const node = declared.get(id) as RevisionNode
      const parents = dedupe([...node.downRevisions, ...(resolvedDeps.get(id) as string[])])
      this.#parents.set(id, parents)
      for (const down of dedupe(node.downRevisions)) (childLists.get(down) as string[]).push(id)
      for (const parent of parents) (childAll.get(parent) as string[]).push(id)
    }
    for (const [id, list] of childAll) this.#children.set(id, list)
    this.#checkCycles(declared)

    const heads: string[] = []
    const bases: string[] = []
    const realHeads: string[] = []
    for (const id of this.#sortedIds) {
      const node = declared.get(id) as RevisionNode
      const next = childLists.get(id) as string[]
      const revision: Revision = Object.freeze({
        revision: id,
        downRevisions: Object.freeze([...node.downRevisions]),
        branchLabels: Object.freeze([...node.branchLabels]),
        dependsOn: Object.freeze([...node.dependsOn]),
        path: node.path,
        doc: node.doc,
        nextRevisions: Object.freeze(next),
        isHead: next.length === 0,
        isBase: node.downRevisions.length === 0,
        isBranchPoint: next.length > 1,
        isMergePoint: node.downRevisions.length > 1,
        resolvedDependencies: Object.freeze(resolvedDeps.get(id) as string[]),
      })
      this.#revisions.set(id, revision)
      if (revision.isHead) heads.push(id)
      if (revision.isBase) bases.push(id)
      if ((this.#children.get(id) as readonly string[]).length === 0) realHeads.push(id)
    }
    this.heads = Object.freeze(heads)
    this.bases = Object.freeze(bases)
    this.#realHeads = realHeads
  }

  /** Number of revisions. */
  get size(): number {
    return this.#revisions.size
  }

  /** Exact id, unique id prefix, or branch label (the labelled revision). Throws RevisionError. */
  get(idOrPrefix: string): Revision {
    const exact = this.#revisions.get(idOrPrefix)
    if (exact !== undefined) return exact
    const labelled = this.#labels.get(idOrPrefix)
    if (labelled !== undefined) return this.#rev(labelled)
    const candidates = idOrPrefix === '' ? [] : this.#prefixMatches(idOrPrefix)
    if (candidates.length === 1) return this.#rev(candidates[0] as string)
    if (candidates.length > 1) {
      throw new RevisionError(
        'ambiguous_prefix',
        `Multiple revisions start with '${idOrPrefix}': ${candidates.map((id) => named(this.#rev(id))).join(', ')}`,
        { hint: 'give more characters of the revision id' },
      )
    }
    throw notFound(idOrPrefix)
  }

  /** Target symbol → revision ids: 'head' (error if several), 'heads', 'base' (→ []), ids, prefixes, labels, 'label@head', 'label@base' (→ []), 'label@<rev>'. */
  resolve(target: string): string[] {
    if (target === 'heads') return [...this.#realHeads]
    if (target === 'head') return this.#singleHead(this.heads, 'head')
    if (target === 'base') return []
    if (!this.#isExact(target)) {
      const relative = RELATIVE.exec(target)
      if (relative !== null) return this.#resolveRelative(target, relative)
    }
    const at = target.indexOf('@')
    if (at < 0) return [this.get(target).revision]
    const label = target.slice(0, at)
    const symbol = target.slice(at + 1)
    const lineage = this.#lineage(this.#branchRevision(label))
    const branchHeads = this.heads.filter((id) => lineage.has(id))
    if (symbol === 'head') return this.#singleHead(branchHeads, target)
    if (symbol === 'heads') return branchHeads
    if (symbol === 'base') return []
    return [this.#inBranch(label, symbol, lineage)]
  }

  /** Revisions newest first (topological; deterministic), optionally within a range. */
  history(range?: string, currentHeads?: readonly string[]): Revision[] {
    if (range === undefined) return this.#sortDescending(new Set(this.#sortedIds)).map((id) => this.#rev(id))
    const parts = range.trim().split(':')
    if (parts.length !== 2) {
      throw new RevisionError('history_range', `Invalid history range '${range}'`, {
        hint: 'a range is [start]:[end], [start]: or :[end], e.g. base:head, -3:, current:',
      })
    }
    const lowerText = (parts[0] as string).trim()
    const upperText = (parts[1] as string).trim()
    const current = (): string[] => {
      if (currentHeads === undefined) {
        throw new RevisionError('no_current', `History range '${range}' needs the database's current revisions`, {
          hint: 'run it where the database can be reached',
        })
      }
      return currentHeads.map((id) => this.#rev(id).revision)
    }
    const upperExplicit = upperText !== '' && upperText !== 'heads'
    const lowerRelative = lowerText !== '' && !this.#isExact(lowerText) ? RELATIVE.exec(lowerText) : null

    // The lower end first, except when it is relative to the upper end.
    let lower: string[] | undefined
    const resolveLower = (upper: readonly string[]): string[] => {
      if (lowerText === '' || lowerText === 'base') return []
      if (lowerText === 'current') return current()
      if (lowerRelative !== null && lowerRelative[2] === undefined) {
        const steps = Number(lowerRelative[3])
        if (steps > 0) {
          throw new RevisionError('history_range', `The start of history range '${range}' cannot be relative upwards`, {
            hint: 'use -N for the start (e.g. -3:) and +N for the end (e.g. base:+2)',
          })
        }
        const from = upperExplicit ? upper : currentHeads !== undefined ? current() : this.heads
        const labelText = lowerRelative[1]
        const lineage = labelText === undefined ? undefined : this.#lineage(this.#branchRevision(labelText))
        const starts = lineage === undefined ? from : from.filter((id) => lineage.has(id))
        if (starts.length !== 1) {
          throw new RevisionError('relative', `Relative revision ${lowerText} is ambiguous or empty from ${starts.length ? starts.join(', ') : 'base'}`, {
            hint: 'give a revision instead, e.g. REV-3:',
          })
        }
        const pos = this.#walk(starts[0] as string, steps)
        if (pos === undefined) throw didNotProduce(lowerText, steps)
        return pos === null ? [] : [pos]
      }
      const at = lowerText.indexOf('@')
      if (at >= 0 && lowerText.slice(at + 1) === 'base') return []
      return this.resolve(lowerText)
    }

    const upperRelative = upperText !== '' && !this.#isExact(upperText) ? RELATIVE.exec(upperText) : null
    let upper: string[]
    if (upperText === '' || upperText === 'heads') upper = [...this.#realHeads]
    else if (upperText === 'current') upper = current()
    else if (upperRelative !== null && upperRelative[2] === undefined) {
      // `START:+N` is relative to the start of the range.
      const match = upperRelative
      const steps = Number(match[3])
      if (steps < 0) {
        throw new RevisionError('history_range', `The end of history range '${range}' cannot be relative downwards`, {
          hint: 'use +N for the end (e.g. base:+2) and -N for the start (e.g. -3:)',
        })
      }
      lower = resolveLower([])
      if (lower.length > 1) throw new RevisionError('relative', `Relative revision ${upperText} is ambiguous from ${lower.join(', ')}`, { hint: 'give a single start revision' })
      const label = match[1]
      const pos = this.#walk(lower[0] ?? null, steps, label === undefined ? undefined : this.#lineage(this.#branchRevision(label)))
      if (pos === undefined) throw didNotProduce(upperText, steps)
      upper = pos === null ? [] : [pos]
    } else upper = this.resolve(upperText)
    lower ??= resolveLower(upper)

    // A named base (LABEL@base:...) keeps only that branch's ends.
    const at = lowerText.indexOf('@')
    if (at > 0 && lowerText.slice(at + 1) === 'base') {
      const lineage = this.#lineage(this.#branchRevision(lowerText.slice(0, at)))
      upper = upper.filter((id) => lineage.has(id))
    }

    const required = this.#ancestors(upper, true)
    if (lower.length > 0) {
      for (const id of lower) {
        if (!required.has(id)) {
          throw new RevisionError('not_ancestor', `Revision ${id} is not an ancestor of ${upper.length ? upper.join(', ') : 'base'}`, {
            hint: 'the start of a history range must be below its end',
          })
        }
      }
      const below = this.#descendants(lower, false)
      for (const id of required) if (!below.has(id)) required.delete(id)
    }
    return this.#sortDescending(required).map((id) => this.#rev(id))
  }

  /** The steps that upgrade a database at `currentHeads` to `target`, oldest first. Already applied targets give []. */
  planUpgrade(currentHeads: readonly string[], target: string): MigrationStep[] {
    const current = currentHeads.map((id) => this.#rev(id).revision)
    const targets = this.#upgradeTargets(current, target)
    const needs = this.#ancestors(targets, true)
    for (const id of this.#ancestors(current, true)) needs.delete(id)
    return this.#sortDescending(needs)
      .reverse()
      .map((id) => this.#step(id, 'up'))
  }

  /** The steps that downgrade a database at `currentHeads` to `target`, newest first. */
  planDowngrade(currentHeads: readonly string[], target: string): MigrationStep[] {
    const current = dedupe(currentHeads.map((id) => this.#rev(id).revision))
    const { label, revision } = this.#downgradeTarget(current, target)
    let roots = revision === null ? [...this.bases] : [...this.#rev(revision).nextRevisions]
    if (label !== undefined && roots.length > 1) {
      const ancestors = this.#ancestors([this.#branchRevision(label)], false)
      roots = roots.filter((id) => ancestors.has(id))
      if (roots.length === 0) {
        throw new RevisionError('not_downgrade_target', `'${target}' is not a valid downgrade target from the current heads (${current.join(', ')})`, {
          hint: 'see `migrator current` and `migrator history`',
        })
      }
    }
    const drop = this.#descendants(roots, true)
    const active = this.#ancestors(current, true)
    for (const id of drop) if (!active.has(id)) drop.delete(id)
    if (revision !== null && drop.size === 0 && !current.includes(revision)) {
      throw new RevisionError(
        'not_downgrade_target',
        `Destination ${revision} is not a valid downgrade target from current head(s) ${current.length ? current.join(', ') : '<base>'}`,
        { hint: 'a downgrade target must be below the current revisions; to move forward use `migrator upgrade`' },
      )
    }
    return this.#sortDescending(drop).map((id) => this.#step(id, 'down'))
  }

  /** Version-table changes that stamp the table from `currentHeads` to `targets` (Alembic's stamp rules). targets are revision ids (already resolved); [] means base. */
  planStamp(currentHeads: readonly string[], targets: readonly string[]): VersionChange[] {
    const table = dedupe(currentHeads.map((id) => this.#rev(id).revision))
    const changes: VersionChange[] = []
    const dests = dedupe(targets.map((id) => this.#rev(id).revision))
    if (dests.length === 0) {
      for (const id of table) changes.push({ kind: 'delete', version: id })
      return changes
    }
    // A target below another target is implied by it (Alembic would stamp them in turn, order-dependently).
    const implied = this.#ancestors(dests, true)
    for (const dest of dests) implied.delete(dest)
    for (const dest of dests.filter((id) => !implied.has(id))) {
      if (table.includes(dest)) continue
      // Heads above or below the destination on its line become the destination, as one "merge" StampStep.
      const above = this.#descendants([dest], true)
      const below = this.#ancestors([dest], true)
      const from = table.filter((id) => above.has(id) || below.has(id))
      if (from.length === 0) {
        changes.push({ kind: 'insert', version: dest })
        table.push(dest)
        continue
      }
      for (const id of from.slice(0, -1)) changes.push({ kind: 'delete', version: id })
      changes.push({ kind: 'update', from: from[from.length - 1] as string, to: dest })
      for (const id of from) table.splice(table.indexOf(id), 1)
      table.push(dest)
    }
    return changes
  }

  // ---------------------------------------------------------------- internals

  #rev(id: string): Revision {
    const revision = this.#revisions.get(id)
    if (revision === undefined) throw notFound(id)
    return revision
  }

  #isExact(text: string): boolean {
    return this.#revisions.has(text) || this.#labels.has(text)
  }

  #prefixMatches(prefix: string): string[] {
    const ids = this.#sortedIds
    let lo = 0
    let hi = ids.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((ids[mid] as string) < prefix) lo = mid + 1
      else hi = mid
    }
    const out: string[] = []
    for (let i = lo; i < ids.length && (ids[i] as string).startsWith(prefix); i++) out.push(ids[i] as string)
    return out
  }

  #lookupDependency(dep: string, node: RevisionNode, declared: ReadonlyMap<string, RevisionNode>): string {
    if (declared.has(dep)) return dep
    const labelled = this.#labels.get(dep)
    if (labelled !== undefined) return labelled
    const candidates = dep === '' ? [] : this.#prefixMatches(dep)
    if (candidates.length === 1) return candidates[0] as string
    if (candidates.length > 1) {
      throw new RevisionError(
        'ambiguous_prefix',
        `Revision ${node.revision} in ${where(node)} depends on '${dep}', which matches several revisions: ${candidates.map((id) => named(declared.get(id) as RevisionNode)).join(', ')}`,
        { hint: `use the full revision id in dependsOn of ${where(node)}` },
      )
    }
    throw new RevisionError('missing_dependency', `Revision ${node.revision} in ${where(node)} depends on '${dep}', which is not a known revision or branch label`, {
      hint: `restore the revision '${dep}', or fix dependsOn in ${where(node)}`,
    })
  }

  #checkCycles(declared: ReadonlyMap<string, RevisionNode>): void {
    // Iterative DFS over down revisions and dependencies: 0 new, 1 on the stack, 2 done.
    const state = new Map<string, number>()
    for (const root of this.#sortedIds) {
      if (state.has(root)) continue
      const stack: [string, number][] = [[root, 0]]
      state.set(root, 1)
      while (stack.length > 0) {
        const frame = stack[stack.length - 1] as [string, number]
        const parents = this.#parents.get(frame[0]) as readonly string[]
        if (frame[1] >= parents.length) {
          state.set(frame[0], 2)
          stack.pop()
          continue
        }
        const next = parents[frame[1]++] as string
        const seen = state.get(next)
        if (seen === 1) {
          const start = stack.findIndex(([id]) => id === next)
          const cycle = stack.slice(start).map(([id]) => declared.get(id) as RevisionNode)
          throw new RevisionError(
            'cycle',
            `Cycle in the revision graph: ${cycle.map(named).join(' -> ')} -> ${next}`,
            { hint: 'each downRevision/dependsOn must name an older revision; fix it in one of these files' },
          )
        }
        if (seen === undefined) {
          state.set(next, 1)
          stack.push([next, 0])
        }
      }
    }
  }

  /** The ids plus all their ancestors (via down revisions, and dependencies when asked). */
  #ancestors(ids: Iterable<string>, withDependencies: boolean): Set<string> {
    const seen = new Set<string>()
    const todo: string[] = []
    for (const id of ids) if (!seen.has(id)) (seen.add(id), todo.push(id))
    while (todo.length > 0) {
      const id = todo.pop() as string
      const next = withDependencies ? (this.#parents.get(id) as readonly string[]) : this.#rev(id).downRevisions
      for (const parent of next) if (!seen.has(parent)) (seen.add(parent), todo.push(parent))
    }
    return seen
  }

  /** The ids plus all their descendants (via down revisions, and dependents when asked). */
  #descendants(ids: Iterable<string>, withDependents: boolean): Set<string> {
    const seen = new Set<string>()
    const todo: string[] = []
    for (const id of ids) if (!seen.has(id)) (seen.add(id), todo.push(id))
    while (todo.length > 0) {
      const id = todo.pop() as string
      const next = withDependents ? (this.#children.get(id) as readonly string[]) : this.#rev(id).nextRevisions
      for (const child of next) if (!seen.has(child)) (seen.add(child), todo.push(child))
    }
    return seen
  }

  /** Ancestors and descendants of a revision, along down revisions only (Alembic's lineage). */
  #lineage(id: string): Set<string> {
    const set = this.#ancestors([id], false)
    for (const child of this.#descendants([id], false)) set.add(child)
    return set
  }

  /** A branch label (or a revision id/prefix used as one) → the labelled revision. */
  #branchRevision(label: string): string {
    const labelled = this.#labels.get(label)
    if (labelled !== undefined) return labelled
    try {
      return this.get(label).revision
    } catch (error) {
      if (error instanceof RevisionError && error.code === 'revision.not_found') {
        throw new RevisionError('not_found', `No such branch: '${label}'`, { hint: 'see `migrator branches` and `migrator heads -v` for branch labels' })
      }
      throw error
    }
  }

  #inBranch(label: string, symbol: string, lineage: ReadonlySet<string>): string {
    const id = this.get(symbol).revision
    if (!lineage.has(id)) {
      throw new RevisionError('not_in_branch', `Revision ${id} is not a member of branch '${label}'`, {
        hint: `see \`migrator history\`; or drop the '${label}@' prefix`,
      })
    }
    return id
  }

  #singleHead(heads: readonly string[], argument: string): string[] {
    if (heads.length > 1) {
      throw new RevisionError(
        'multiple_heads',
        `Multiple head revisions are present for given argument '${argument}': ${heads.map((id) => named(this.#rev(id))).join(', ')}`,
        { hint: "use 'heads' for all heads, '<branchname>@head' to narrow to one branch, or a specific revision" },
      )
    }
    return [...heads]
  }

  /** Alembic's `_walk`: `steps` up (children) or down (down revisions); undefined when walking past the end. */
  #walk(start: Position, steps: number, lineage?: ReadonlySet<string>): Position | undefined {
    let pos = start
    for (let i = 0; i < Math.abs(steps); i++) {
      let next: readonly string[]
      if (steps > 0) {
        next = pos === null ? this.bases : this.#rev(pos).nextRevisions
        if (lineage !== undefined) next = next.filter((id) => lineage.has(id))
        if (next.length === 0) return undefined
      } else {
        if (pos === null) return undefined
        next = this.#rev(pos).downRevisions
        if (next.length === 0) {
          pos = null
          continue
        }
      }
      if (next.length > 1) {
        const what = steps > 0 ? (pos === null ? 'there are several bases' : `${pos} is a branch point`) : `${pos} is a merge point`
        throw new RevisionError('ambiguous_walk', `Ambiguous walk: ${what} (${next.join(', ')})`, {
          hint: steps > 0 ? 'name the target revision, or a branch: LABEL@+N' : 'name the target revision instead of a relative step',
        })
      }
      pos = next[0] as string
    }
    return pos
  }

  /** resolve() of `REV±N`, `LABEL@REV±N`, `LABEL@±N` (relative to the branch head), `-N` (from each head). */
  #resolveRelative(target: string, match: RegExpExecArray): string[] {
    const [, label, symbol, relative] = match
    const steps = Number(relative)
    const lineage = label === undefined ? undefined : this.#lineage(this.#branchRevision(label))
    let starts: string[]
    if (symbol !== undefined) starts = [lineage === undefined ? this.get(symbol).revision : this.#inBranch(label as string, symbol, lineage)]
    else if (steps < 0) starts = lineage === undefined ? [...this.heads] : this.heads.filter((id) => lineage.has(id))
    else {
      throw new RevisionError('relative', `'${target}' is relative to the current revision`, { hint: 'use it with upgrade, or give a revision: REV+N' })
    }
    const out: string[] = []
    for (const start of starts) {
      const pos = this.#walk(start, steps, steps > 0 ? lineage : undefined)
      if (pos === undefined) throw didNotProduce(target, steps)
      if (pos !== null) out.push(pos)
    }
    return dedupe(out)
  }

  /** Alembic's `_parse_upgrade_target`. */
  #upgradeTargets(current: readonly string[], target: string): string[] {
    const match = this.#isExact(target) ? null : RELATIVE.exec(target)
    if (match === null) return this.resolve(target)
    const [, label, symbol, relative] = match
    const steps = Number(relative)
    const lineage = label === undefined ? undefined : this.#lineage(this.#branchRevision(label))
    if (steps < 0) {
      if (symbol === undefined) {
        throw new RevisionError('relative', `Relative revision ${target} didn't produce ${-steps} migrations: upgrade cannot go down`, {
          hint: `use \`migrator downgrade ${target}\``,
        })
      }
      return this.#resolveRelative(target, match)
    }
    if (symbol !== undefined) return this.#resolveRelative(target, match)
    let starts: Position[] = current.length > 0 ? [...current] : [null]
    if (lineage !== undefined) {
      starts = current.filter((id) => lineage.has(id))
      if (starts.length === 0) {
        // The branch is not at a head: start from its highest applied revisions, or from base.
        const active = [...this.#ancestors(current, true)].filter((id) => lineage.has(id))
        const below = new Set(active.flatMap((id) => this.#normalizedDownOf(id)))
        starts = active.filter((id) => !below.has(id))
        if (starts.length === 0) starts = [null]
      }
    }
    if (starts.length > 1) {
      throw new RevisionError('ambiguous_upgrade', `Ambiguous upgrade from multiple current revisions (${starts.join(', ')})`, {
        hint: 'name the branch (LABEL@+N) or a revision (REV+N), or upgrade to heads',
      })
    }
    const pos = this.#walk(starts[0] as Position, steps, lineage)
    if (pos === undefined) throw didNotProduce(target, steps)
    return pos === null ? [] : [pos]
  }

  /** Alembic's `_parse_downgrade_target`: the branch label that narrows the roots, and the target (null = base). */
  #downgradeTarget(current: readonly string[], target: string): { label: string | undefined; revision: string | null } {
    const match = this.#isExact(target) ? null : RELATIVE.exec(target)
    if (match === null) {
      const at = target.indexOf('@')
      const label = at < 0 ? undefined : target.slice(0, at)
      if (target === 'base' || (label !== undefined && target.slice(at + 1) === 'base')) {
        if (label !== undefined) this.#branchRevision(label)
        return { label, revision: null }
      }
      const ids = this.resolve(target)
      if (ids.length !== 1) {
        throw new RevisionError('multiple_heads', `Downgrade target '${target}' is ${ids.length ? `several revisions: ${ids.join(', ')}` : 'no revision'}`, {
          hint: 'give one revision, base, or -N',
        })
      }
      return { label, revision: ids[0] as string }
    }
    let [, label, symbol] = match
    const steps = Number(match[3])
    if (steps >= 0) {
      if (symbol === undefined) {
        throw new RevisionError('relative', `Relative revision ${target} didn't produce ${steps} migrations: downgrade cannot go up`, {
          hint: `use \`migrator upgrade ${target}\``,
        })
      }
      const ids = this.#resolveRelative(target, match)
      return { label, revision: ids[0] ?? null }
    }
    const fromCurrent = symbol === undefined
    if (fromCurrent) {
      if (label !== undefined) {
        const lineage = this.#lineage(this.#branchRevision(label))
        let onBranch = current.filter((id) => lineage.has(id))
        if (onBranch.length === 0) {
          // All other branch heads may depend on the current one: look at everything applied.
          const all = this.#ancestors(current, true)
          onBranch = [...all].filter((id) => lineage.has(id) && !this.#rev(id).nextRevisions.some((child) => all.has(child)))
        }
        if (onBranch.length !== 1) {
          throw new RevisionError('relative', `Relative revision ${target} didn't produce ${-steps} migrations: ${onBranch.length ? `branch '${label}' is at several revisions (${onBranch.join(', ')})` : `nothing of branch '${label}' is applied`}`, {
            hint: 'see `migrator current`',
          })
        }
        symbol = onBranch[0] as string
      } else {
        if (current.length === 0) {
          throw new RevisionError('relative', `Relative revision ${target} didn't produce ${-steps} migrations: the database is at base`, { hint: 'nothing to downgrade' })
        }
        if (current.length > 1) {
          // Alembic only warns and picks an arbitrary head here; we refuse.
          throw new RevisionError('ambiguous_downgrade', `Ambiguous downgrade ${target} from multiple current revisions (${current.join(', ')})`, {
            hint: 'name the branch (LABEL@-N) or a revision (REV-N), or downgrade to a revision',
          })
        }
        symbol = current[0] as string
        label = symbol
      }
    }
    const start = label === undefined || label === symbol ? this.get(symbol as string).revision : this.#inBranch(label, symbol as string, this.#lineage(this.#branchRevision(label)))
    const pos = this.#walk(start, steps)
    if (pos === undefined) throw didNotProduce(target, steps)
    return { label, revision: pos }
  }

  /** Revisions of `set` newest first: a revision after all its children/dependents in the set, staying on one branch while it can. */
  #sortDescending(set: ReadonlySet<string>): string[] {
    const pending = new Map<string, number>()
    const ready: string[] = []
    for (const id of set) {
      let count = 0
      for (const child of this.#children.get(id) as readonly string[]) if (set.has(child)) count++
      pending.set(id, count)
      if (count === 0) ready.push(id)
    }
    ready.sort().reverse()
    const out: string[] = []
    while (ready.length > 0) {
      const id = ready.pop() as string
      out.push(id)
      const parents = this.#parents.get(id) as readonly string[]
      for (let i = parents.length - 1; i >= 0; i--) {
        const parent = parents[i] as string
        const left = pending.get(parent)
        if (left === undefined) continue
        pending.set(parent, left - 1)
        if (left === 1) ready.push(parent)
      }
    }
    return out
  }

  /**
   * Down revisions plus dependencies, minus any that is an ancestor of another (Alembic's
   * `_normalized_down_revisions`, which only drops dependencies an ancestor already declares).
   */
  #normalizedDownOf(id: string): readonly string[] {
    let cached = this.#normalizedDown.get(id)
    if (cached === undefined) {
      const parents = this.#parents.get(id) as readonly string[]
      if (parents.length < 2) cached = parents
      else {
        cached = parents.filter((candidate) => {
          const others = parents.filter((other) => other !== candidate)
          return !this.#ancestors(others, true).has(candidate)
        })
      }
      this.#normalizedDown.set(id, cached)
    }
    return cached
  }

  #step(id: string, direction: 'up' | 'down'): MigrationStep {
    const revision = this.#rev(id)
    const from = direction === 'up' ? revision.downRevisions : [id]
    const to = direction === 'up' ? [id] : revision.downRevisions
    let description = `${from.join(', ')} -> ${to.join(', ')}`
    const marks: string[] = []
    if (revision.isMergePoint) marks.push('(mergepoint)')
    if (revision.isBranchPoint) marks.push('(branchpoint)')
    if (marks.length > 0) description = `${description.trimEnd()} ${marks.join(' ')}`
    if (revision.doc) description += `, ${revision.doc}`
    return Object.freeze({ revision, direction, description })
  }

  /** HeadMaintainer.update_to_step, restricted to rows that are in `heads`. */
  #stepChanges(heads: ReadonlySet<string>, step: MigrationStep): VersionChange[] {
    const id = step.revision.revision
    this.#rev(id)
    const down = this.#normalizedDownOf(id)
    const changes: VersionChange[] = []
    if (step.direction === 'up') {
      if (heads.has(id)) return changes
      const present = down.filter((parent) => heads.has(parent))
      if (present.length === 0) {
        // A base, or a new branch off a revision that is not a head: a new row.
        changes.push({ kind: 'insert', version: id })
      } else if (present.length === 1) {
        changes.push({ kind: 'update', from: present[0] as string, to: id })
      } else {
        // Merge: all parents but one are deleted, the last becomes this revision.
        const others = [...heads].filter((head) => !down.includes(head))
        const covered = others.length > 0 ? this.#ancestors(others, true) : EMPTY
        const merged = present.filter((parent) => !covered.has(parent))
        if (merged.length === 0) changes.push({ kind: 'insert', version: id })
        else {
          for (const parent of merged.slice(0, -1)) changes.push({ kind: 'delete', version: parent })
          changes.push({ kind: 'update', from: merged[merged.length - 1] as string, to: id })
        }
      }
      return changes
    }
    if (!heads.has(id)) {
      throw new RevisionError('version_table', `Cannot record the downgrade of ${id}: the version table holds ${heads.size ? [...heads].join(', ') : 'no revision'}`, {
        hint: 'the version table does not match the revision files; fix it with `migrator stamp`',
      })
    }
    const others = [...heads].filter((head) => head !== id)
    const covered = others.length > 0 ? this.#ancestors(others, true) : EMPTY
    // The parents that no other head implies get a row again (an "unmerge" when several).
    const to = down.filter((parent) => !covered.has(parent))
    if (to.length === 0) {
      changes.push({ kind: 'delete', version: id })
      return changes
    }
    for (const parent of to.slice(0, -1)) if (!heads.has(parent)) changes.push({ kind: 'insert', version: parent })
    changes.push({ kind: 'update', from: id, to: to[to.length - 1] as string })
    return changes
  }
}

/** Alembic's HeadMaintainer rules: the version-table rows to write after running `step` when the table holds `currentHeads`. */
export function versionChangesForStep(currentHeads: ReadonlySet<string>, step: MigrationStep, map: RevisionMap): VersionChange[] {
  return stepChanges(map, currentHeads, step)
}

function where(node: RevisionNode): string {
  return node.path ?? node.revision
}

function named(node: RevisionNode): string {
  return node.path === undefined ? node.revision : `${node.revision} (${node.path})`
}

function notFound(id: string): RevisionError {
  return new RevisionError('not_found', `Can't locate revision identified by '${id}'`, {
    hint: 'see `migrator history` for the revision ids and `migrator branches` for the labels',
  })
}

function didNotProduce(target: string, steps: number): RevisionError {
  return new RevisionError('relative', `Relative revision ${target} didn't produce ${Math.abs(steps)} migrations`, {
    hint: steps > 0 ? 'there are fewer revisions above; use head' : 'there are fewer revisions below; use base',
  })
}

function dedupe<T>(items: readonly T[]): T[] {
  return [...new Set(items)]
}
