import type { Revision, RevisionMap } from '../script/revision-map.js'
import type { Style } from './reporter.js'

/** A revision as `--json` prints it. */
export interface RevisionJson {
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

export function revisionJson(revision: Revision): RevisionJson {
  return {
    revision: revision.revision,
    downRevisions: [...revision.downRevisions],
    branchLabels: [...revision.branchLabels],
    dependsOn: [...revision.dependsOn],
    doc: revision.doc ?? null,
    path: revision.path ?? null,
    isHead: revision.isHead,
    isBase: revision.isBase,
    isBranchPoint: revision.isBranchPoint,
    isMergePoint: revision.isMergePoint,
  }
}

/**
 * Markers after a revision id, as Alembic prints them: `(label) (head) (mergepoint)`. Without
 * `treeIndicators` (Alembic's `heads`), no `(branchpoint)`/`(mergepoint)`.
 */
function markers(revision: Revision, style: Style, current: ReadonlySet<string>, treeIndicators = true): string {
  const parts: string[] = []
  if (revision.branchLabels.length) parts.push(style.label(`(${revision.branchLabels.join(', ')})`))
  if (revision.isHead) parts.push(style.head('(head)'))
  if (current.has(revision.revision)) parts.push(style.success('(current)'))
  if (treeIndicators && revision.isBranchPoint) parts.push(style.dim('(branchpoint)'))
  if (treeIndicators && revision.isMergePoint) parts.push(style.dim('(mergepoint)'))
  if (revision.dependsOn.length) parts.push(style.dim(`(depends on ${revision.dependsOn.join(', ')})`))
  return parts.length ? ` ${parts.join(' ')}` : ''
}

/** `abc123 (head)` — how `heads` (without tree indicators) and `current` print a revision. */
export function formatHead(revision: Revision, style: Style, current: ReadonlySet<string> = new Set(), treeIndicators = true): string {
  return `${style.revision(revision.revision)}${markers(revision, style, current, treeIndicators)}`
}

/** `parent -> abc123 (head), message` — one line of `history`. */
export function formatHistoryLine(revision: Revision, style: Style, current: ReadonlySet<string> = new Set()): string {
  const parents = revision.downRevisions.length ? revision.downRevisions.map(style.revision).join(', ') : '<base>'
  return `${parents} -> ${formatHead(revision, style, current)}, ${revision.doc ?? ''}`
}

/** The verbose block of `show`, `history -v`, `heads -v`, `current -v`. */
export function formatVerbose(revision: Revision, style: Style, current: ReadonlySet<string> = new Set()): string {
  const lines = [`${style.bold('Rev:')} ${formatHead(revision, style, current)}`]
  if (revision.isMergePoint) lines.push(`${style.bold('Merges:')} ${revision.downRevisions.join(', ')}`)
  else lines.push(`${style.bold('Parent:')} ${revision.downRevisions[0] ?? '<base>'}`)
  if (revision.dependsOn.length) lines.push(`${style.bold('Also depends on:')} ${revision.dependsOn.join(', ')}`)
  if (revision.isBranchPoint) lines.push(`${style.bold('Branches into:')} ${revision.nextRevisions.join(', ')}`)
  if (revision.branchLabels.length) lines.push(`${style.bold('Branch names:')} ${revision.branchLabels.join(', ')}`)
  if (revision.path) lines.push(`${style.bold('Path:')} ${revision.path}`)
  lines.push('', `    ${revision.doc ?? ''}`, '')
  return lines.join('\n')
}

/** `base -> abc123 (branchpoint)` plus one `-> child` line per branch: what `branches` prints. */
export function formatBranchPoint(revision: Revision, map: RevisionMap, style: Style, verbose: boolean): string {
  const head = verbose ? formatVerbose(revision, style) : formatHistoryLine(revision, style)
  const children = revision.nextRevisions.map((id) => {
    const child = map.get(id)
    return `${' '.repeat(revision.revision.length + 1)}-> ${formatHead(child, style)}, ${child.doc ?? ''}`
  })
  return [head, ...children].join('\n')
}
