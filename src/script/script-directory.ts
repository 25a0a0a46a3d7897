/**
 * The script directory: the revision files of a project (in its version locations),
 * their revision map, and the generation of new revision files from `script.ts.tmpl`
 * (Alembic's `ScriptDirectory.generate_revision`).
 */
import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync, type Dirent } from 'node:fs'
import path from 'node:path'
import { CommandError, ConfigError, MigratorError, RevisionError, UsageError } from '../errors.js'
import { createFolder } from './directories.js'
import { readRevisionHeader, type RevisionHeader } from './revision-file.js'
import { RevisionMap } from './revision-map.js'
import { renderTemplate, type TemplateRecord } from './template.js'

/** Plain options of a {@link ScriptDirectory}; the command layer maps the Config onto them. */
export interface ScriptDirectoryOptions {
  /** Absolute folder holding env.ts, script.ts.tmpl and (by default) versions/. */
  scriptLocation: string
  /** Absolute folders holding revision files. Default `[<scriptLocation>/versions]`. */
  versionLocations?: readonly string[] | undefined
  /** Revision file name, Python %-format with rev, slug, epoch, year, month, day, hour, minute, second. Default `%(rev)s_%(slug)s`. */
  fileTemplate?: string | undefined
  /** IANA time zone of the Create Date and of the date tokens of `fileTemplate`. Default: local time. */
  timezone?: string | undefined
  /** Longest slug in a file name; longer slugs are cut at a word boundary. Default 40. */
  truncateSlugLength?: number | undefined
  /** The revision template. Default: the first of script.ts.tmpl, script.mts.tmpl, script.js.tmpl, script.mjs.tmpl in scriptLocation. */
  templateFile?: string | undefined
  /** multidb: the database names; each gets `upgrade_<name>`/`downgrade_<name>` in new revisions. */
  databaseNames?: readonly string[] | undefined
}

/** Options of {@link ScriptDirectory.generateRevision} (the `revision` command's flags). */
export interface GenerateRevisionOptions {
  /** `-m`: the message; the doc comment says "empty message" when absent. */
  message?: string | undefined
  /** `--head`: the parent: `head` (default), `base` (a new root), a revision, `LABEL@head`, `heads`. */
  head?: string | undefined
  /** `--splice`: allow `head` to be a revision that is not a head (creates a branch). */
  splice?: boolean | undefined
  /** `--branch-label`: labels carried by the new revision. */
  branchLabels?: readonly string[] | undefined
  /** `--version-path`: one of the version locations; required when there are several and no head decides. */
  versionPath?: string | undefined
  /** `--rev-id`: the id instead of 12 random hex digits. */
  revId?: string | undefined
  /** `--depends-on`: revisions (ids, prefixes, labels) this one depends on; stored as full ids. */
  dependsOn?: readonly string[] | undefined
  /** Body of `upgrade` (autogenerate); default: a commented example. */
  upgrades?: string | undefined
  /** Body of `downgrade` (autogenerate); default: a commented example. */
  downgrades?: string | undefined
  /** multidb: body of `upgrade_<name>` per database name. */
  databaseUpgrades?: Readonly<Record<string, string>> | undefined
  /** multidb: body of `downgrade_<name>` per database name. */
  databaseDowngrades?: Readonly<Record<string, string>> | undefined
  /** Extra import lines placed after the template's own imports. */
  imports?: string | undefined
  /** The creation time (tests); default now. */
  now?: Date | undefined
}

/** Options of {@link ScriptDirectory.merge}. */
export interface MergeOptions {
  message?: string | undefined
  branchLabels?: readonly string[] | undefined
  revId?: string | undefined
  now?: Date | undefined
}

/** A revision file just written. */
export interface GeneratedRevision {
  path: string
  revision: string
}

const REVISION_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs']
const TEMPLATE_NAMES = ['script.ts.tmpl', 'script.mts.tmpl', 'script.js.tmpl', 'script.mjs.tmpl']
const RESERVED_NAMES = new Set(['head', 'heads', 'base', 'current'])
const REV_ID_PATTERN = /^[A-Za-z0-9_]+$/
const BRANCH_LABEL_PATTERN = /^[^\s@:,'"`\\]+$/
/** version_num is VARCHAR(32). */
const MAX_REV_ID_LENGTH = 32
const FILE_TEMPLATE_TOKENS = ['rev', 'slug', 'epoch', 'year', 'month', 'day', 'hour', 'minute', 'second']

const DEFAULT_BODY = [
  '// write your migration here, for example:',
  "// await op.execute('UPDATE account SET active = true')",
  'void op',
].join('\n')

export class ScriptDirectory {
  readonly scriptLocation: string
  readonly versionLocations: readonly string[]
  readonly fileTemplate: string
  readonly timezone: string | undefined
  readonly truncateSlugLength: number
  readonly databaseNames: readonly string[]
  private readonly templateFileOption: string | undefined
  private headerCache: RevisionHeader[] | undefined
  private mapCache: RevisionMap | undefined

  constructor(options: ScriptDirectoryOptions) {
    this.scriptLocation = path.resolve(options.scriptLocation)
    const locations = options.versionLocations?.length ? options.versionLocations : [path.join(this.scriptLocation, 'versions')]
    this.versionLocations = [...new Set(locations.map((location) => path.resolve(location)))]
    this.fileTemplate = options.fileTemplate ?? '%(rev)s_%(slug)s'
    this.timezone = options.timezone
    this.truncateSlugLength = options.truncateSlugLength ?? 40
    this.databaseNames = options.databaseNames ?? []
    this.templateFileOption = options.templateFile
  }

  /** The revision files of every version location, sorted by path. */
  revisionFiles(): string[] {
    this.checkScriptLocation()
    const files: string[] = []
    for (const location of this.versionLocations) {
      let entries: Dirent[]
      try {
        entries = readdirSync(location, { withFileTypes: true })
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw new CommandError('read_versions', `Cannot read the version location ${location}: ${(err as Error).message}`, { cause: err })
      }
      for (const entry of entries) {
        if (!isRevisionFileName(entry.name)) continue
        const file = path.join(location, entry.name)
        if (entry.isFile() || (entry.isSymbolicLink() && isFile(file))) files.push(file)
      }
    }
    return files.sort()
  }

  /** The headers of every revision file, read without executing them. */
  headers(): readonly RevisionHeader[] {
    if (this.headerCache === undefined) {
      const headers: RevisionHeader[] = []
      for (const file of this.revisionFiles()) {
        let source: string
        try {
          source = readFileSync(file, 'utf8')
        } catch (err) {
          throw new CommandError('read_revision', `Cannot read ${file}: ${(err as Error).message}`, { cause: err })
        }
        headers.push(readRevisionHeader(file, source))
      }
      this.headerCache = headers
    }
    return this.headerCache
  }

  /** The revision graph of the project's files. */
  revisionMap(): RevisionMap {
    this.mapCache ??= new RevisionMap(this.headers())
    return this.mapCache
  }

  /** Forgets the files read, for a directory changed behind this object's back. */
  refresh(): void {
    this.headerCache = undefined
    this.mapCache = undefined
  }

  /** The template new revisions are rendered from. */
  templateFile(): string {
    if (this.templateFileOption !== undefined) return path.resolve(this.scriptLocation, this.templateFileOption)
    for (const name of TEMPLATE_NAMES) {
      const candidate = path.join(this.scriptLocation, name)
      if (existsSync(candidate)) return candidate
    }
    return path.join(this.scriptLocation, TEMPLATE_NAMES[0]!)
  }

  /**
   * Writes a new revision file, as Alembic's `revision` command.
   * @throws RevisionError when `head` is ambiguous (several heads) or unknown
   * @throws CommandError for a non-head parent without `splice`, a duplicate id or label, an existing file
   * @throws UsageError for a malformed `revId` or label, or a `versionPath` that is not a version location
   */
  generateRevision(options: GenerateRevisionOptions = {}): GeneratedRevision {
    const map = this.revisionMap()
    const head = options.head ?? 'head'
    const parents = this.resolveParents(map, head)
    if (new Set(parents).size !== parents.length) throw new CommandError('duplicate_head', 'Duplicate head revisions specified')
    if (!options.splice) {
      for (const id of parents) {
        if (!map.get(id).isHead) {
          throw new CommandError('not_a_head', `Revision ${id} is not a head revision`, {
            hint: 'add --splice to create a new branch from this revision, or give --head one of `migrator heads`',
          })
        }
      }
    }
    return this.writeRevision(map, parents, options)
  }

  /**
   * Writes a merge revision whose `downRevision` is the given heads (`heads` names them all).
   * @throws CommandError when fewer than two distinct heads are named, or one is not a head
   */
  merge(revisions: readonly string[], options: MergeOptions = {}): GeneratedRevision {
    const map = this.revisionMap()
    const parents: string[] = []
    for (const target of revisions) {
      for (const id of target === 'head' ? this.resolveParents(map, 'head') : map.resolve(target)) {
        if (!parents.includes(id)) parents.push(id)
      }
    }
    if (parents.length < 2) {
      throw new CommandError('nothing_to_merge', `Nothing to merge: ${revisions.join(' ')} ${parents.length === 1 ? `is the single revision ${parents[0]}` : 'names no revision'}`, {
        hint: 'merge two or more heads (`migrator heads` lists them), e.g. `migrator merge heads -m "merge"`',
      })
    }
    for (const id of parents) {
      if (!map.get(id).isHead) {
        throw new CommandError('not_a_head', `Revision ${id} is not a head revision; only heads can be merged`, { hint: '`migrator heads` lists the heads' })
      }
    }
    return this.writeRevision(map, parents, { message: options.message, branchLabels: options.branchLabels, revId: options.revId, now: options.now })
  }

  private resolveParents(map: RevisionMap, head: string): string[] {
    if (head === 'base') return []
    if (head === 'head') {
      if (map.heads.length > 1) {
        throw new RevisionError('multiple_heads', `Multiple heads are present (${map.heads.join(', ')}); say which one the new revision is based on`, {
          hint: 'use --head REV or --head LABEL@head, or merge them first with `migrator merge heads`',
        })
      }
      return [...map.heads]
    }
    return [...map.resolve(head)]
  }

  private writeRevision(map: RevisionMap, parents: readonly string[], options: GenerateRevisionOptions): GeneratedRevision {
    const headers = this.headers()
    const existingIds = new Set(headers.map((header) => header.revision))
    const revision = options.revId !== undefined ? this.checkRevId(options.revId, existingIds) : newRevisionId(existingIds)
    const branchLabels = this.checkBranchLabels(options.branchLabels ?? [], headers)
    const dependsOn = (options.dependsOn ?? []).map((ref) => resolveOne(map, ref))
    const versionPath = this.chooseVersionPath(options.versionPath, parents, map)

    const now = options.now ?? new Date()
    const date = zonedDate(now, this.timezone)
    const slug = slugify(options.message ?? '', this.truncateSlugLength)
    const fileName =
      formatFileTemplate(this.fileTemplate, {
        rev: revision,
        slug,
        epoch: Math.floor(now.getTime() / 1000),
        year: date.year,
        month: date.month,
        day: date.day,
        hour: date.hour,
        minute: date.minute,
        second: date.second,
      }) + this.revisionExtension()
    if (fileName.includes('/') || fileName.includes('\\') || fileName.startsWith('.')) {
      throw new ConfigError('file_template', `file_template renders "${fileName}", which is not a plain file name`, {
        hint: 'file_template may not contain path separators or start with a dot',
      })
    }
    const file = path.join(versionPath, fileName)

    const templateFile = this.templateFile()
    let template: string
    try {
      template = readFileSync(templateFile, 'utf8')
    } catch (err) {
      throw new ConfigError('template_missing', `Cannot read the revision template ${templateFile}: ${(err as Error).message}`, {
        hint: 'restore script.ts.tmpl in the script location (`migrator init` writes one)',
        cause: err,
      })
    }
    const text = renderTemplate(
      template,
      {
        message: escapeComment(options.message ?? 'empty message'),
        up_revision: tsString(revision),
        revision_id: revision,
        down_revision: tsRevisionValue(parents),
        revises: parents.join(', '),
        branch_labels: tsRevisionValue(branchLabels),
        depends_on: tsRevisionValue(dependsOn),
        create_date: formatCreateDate(date),
        imports: options.imports ?? '',
        upgrades: options.upgrades ?? DEFAULT_BODY,
        downgrades: options.downgrades ?? DEFAULT_BODY,
        databases: this.databaseRecords(options),
      },
      templateFile,
    )

    createFolder(versionPath, 'version_path', 'check script_location and version_locations in migrator.ini (a folder above it must exist and be writable)')
    try {
      writeFileSync(file, text, { flag: 'wx' })
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new CommandError('file_exists', `${file} already exists; not overwriting it`, {
          hint: 'choose another --rev-id or message, or move the existing file away',
        })
      }
      throw new CommandError('write_revision', `Cannot write ${file}: ${(err as Error).message}`, { cause: err })
    }

    const header = this.checkWritten(file, text, revision, parents, branchLabels, templateFile)
    this.headerCache = [...headers, header]
    this.mapCache = undefined
    return { path: file, revision }
  }

  /** Reads back the file just written: the template must declare what was asked for. */
  private checkWritten(file: string, text: string, revision: string, parents: readonly string[], branchLabels: readonly string[], templateFile: string): RevisionHeader {
    let problem: string | undefined
    let header: RevisionHeader | undefined
    try {
      header = readRevisionHeader(file, text)
    } catch (err) {
      if (!(err instanceof MigratorError)) throw err
      problem = err.message
    }
    if (header !== undefined) {
      if (header.revision !== revision) problem = `it declares revision '${header.revision}' instead of '${revision}'`
      else if (header.downRevisions.join() !== parents.join()) problem = 'its downRevision does not match ${down_revision}'
      else if (branchLabels.length > 0 && header.branchLabels.join() !== branchLabels.join()) problem = 'it does not declare the branch labels (${branch_labels})'
    }
    if (problem === undefined) return header!
    unlinkSync(file)
    throw new ConfigError('template', `The revision rendered from ${templateFile} is not valid, so it was not kept: ${problem}`, {
      hint: 'the template must contain `export const revision = ${up_revision}`, `downRevision = ${down_revision}`, `branchLabels = ${branch_labels}` and `dependsOn = ${depends_on}`',
    })
  }

  private databaseRecords(options: GenerateRevisionOptions): TemplateRecord[] {
    return this.databaseNames.map((name) => {
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) {
        throw new ConfigError('invalid_value', `The database name '${name}' in databases cannot name a function (upgrade_${name})`, {
          hint: 'use names made of letters, digits and underscores, e.g. databases = engine1, engine2',
        })
      }
      return {
        name,
        upgrades: options.databaseUpgrades?.[name] ?? DEFAULT_BODY,
        downgrades: options.databaseDowngrades?.[name] ?? DEFAULT_BODY,
      }
    })
  }

  private revisionExtension(): string {
    const match = /(\.(?:ts|mts|js|mjs))\.tmpl$/.exec(this.templateFile())
    return match ? match[1]! : '.ts'
  }

  private checkScriptLocation(): void {
    if (!existsSync(this.scriptLocation)) {
      throw new ConfigError('script_location', `The script location ${this.scriptLocation} does not exist`, {
        hint: 'create it with `migrator init DIR`, or fix script_location in migrator.ini',
      })
    }
  }

  private checkRevId(revId: string, existing: ReadonlySet<string>): string {
    if (!REV_ID_PATTERN.test(revId) || revId.length > MAX_REV_ID_LENGTH || RESERVED_NAMES.has(revId)) {
      throw new UsageError(`Invalid revision id '${revId}'`, {
        hint: `use 1 to ${MAX_REV_ID_LENGTH} letters, digits or underscores ('-', '+' and '@' would clash with targets like REV-1), and not head, heads, base or current`,
      })
    }
    if (existing.has(revId)) {
      const other = this.headers().find((header) => header.revision === revId)
      throw new CommandError('duplicate_revision', `Revision id '${revId}' is already used by ${other?.path ?? 'another revision'}`, {
        hint: 'choose another --rev-id, or leave it out for a random id',
      })
    }
    return revId
  }

  private checkBranchLabels(labels: readonly string[], headers: readonly RevisionHeader[]): string[] {
    const result: string[] = []
    for (const label of labels) {
      if (!BRANCH_LABEL_PATTERN.test(label) || RESERVED_NAMES.has(label)) {
        throw new UsageError(`Invalid branch label '${label}'`, {
          hint: "a label has no spaces, '@', ':', ',' or quotes, and is not head, heads, base or current",
        })
      }
      const owner = headers.find((header) => header.branchLabels.includes(label) || header.revision === label)
      if (owner !== undefined) {
        throw new CommandError('duplicate_branch_label', `Branch label '${label}' is already used by revision ${owner.revision} (${owner.path})`, {
          hint: `branch from it with --head ${label}@head, or choose another label`,
        })
      }
      if (!result.includes(label)) result.push(label)
    }
    return result
  }

  private chooseVersionPath(requested: string | undefined, parents: readonly string[], map: RevisionMap): string {
    if (requested !== undefined) {
      const wanted = path.resolve(requested)
      const match = this.versionLocations.find((location) => location === wanted)
      if (match === undefined) {
        throw new UsageError(`--version-path ${requested} is not one of the version locations`, {
          hint: `use one of: ${this.versionLocations.join(', ')} (version_locations in migrator.ini)`,
        })
      }
      return match
    }
    if (this.versionLocations.length === 1) return this.versionLocations[0]!
    for (const id of parents) {
      const file = map.get(id).path
      const dir = file === undefined ? undefined : path.dirname(path.resolve(file))
      if (dir !== undefined && this.versionLocations.includes(dir)) return dir
    }
    throw new UsageError('Several version locations are configured; say where the new revision goes', {
      hint: `add --version-path with one of: ${this.versionLocations.join(', ')}`,
    })
  }
}

function isRevisionFileName(name: string): boolean {
  if (name.startsWith('.') || name.startsWith('#') || name.startsWith('~')) return false
  if (name.endsWith('.d.ts') || name.endsWith('.d.mts')) return false
  const dot = name.lastIndexOf('.')
  return dot > 0 && REVISION_EXTENSIONS.includes(name.slice(dot))
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

function newRevisionId(existing: ReadonlySet<string>): string {
  for (;;) {
    const id = randomBytes(6).toString('hex')
    if (!existing.has(id)) return id
  }
}

function resolveOne(map: RevisionMap, ref: string): string {
  let ids: readonly string[]
  try {
    ids = map.resolve(ref)
  } catch (err) {
    try {
      return map.get(ref).revision
    } catch {
      throw err
    }
  }
  if (ids.length !== 1) {
    throw new RevisionError('ambiguous_dependency', `--depends-on ${ref} names ${ids.length === 0 ? 'no revision' : `${ids.length} revisions (${ids.join(', ')})`}`, {
      hint: 'give one revision id, a unique prefix or a branch label',
    })
  }
  return ids[0]!
}

/**
 * Alembic's slug: the message's words (letters, digits, `_`) joined by `_`, lowercased; when longer
 * than `maxLength`, cut there and back to the last `_`, with a trailing `_`.
 */
export function slugify(message: string, maxLength: number): string {
  let slug = (message.match(/[\p{L}\p{M}\p{N}\p{Pc}]+/gu) ?? []).join('_').toLowerCase()
  if (slug.length > maxLength) {
    const cut = slug.slice(0, maxLength)
    const last = cut.lastIndexOf('_')
    slug = (last < 0 ? cut : cut.slice(0, last)) + '_'
  }
  return slug
}

/**
 * Python %-formatting with named fields, as Alembic's file_template: `%(name)s`, `%(name)d`,
 * `%(name).2d` (at least 2 digits), `%(name)02d`, `%(name)-10s`, `%%`.
 * @throws ConfigError for an unknown field or an unsupported conversion
 */
export function formatFileTemplate(template: string, values: Readonly<Record<string, string | number>>): string {
  const pattern = /%(?:\(([^)]*)\))?([-#0 +]*)(\d+)?(?:\.(\d+))?(.?)/g
  return template.replace(pattern, (spec: string, key: string | undefined, flags: string, width: string | undefined, precision: string | undefined, conversion: string) => {
    if (conversion === '%' && key === undefined && !flags && width === undefined && precision === undefined) return '%'
    const fail = (why: string): never => {
      throw new ConfigError('file_template', `file_template ${JSON.stringify(template)}: ${why}`, {
        hint: `write tokens as %(name)s or %(name).2d (written %%(name)s in the ini); names: ${FILE_TEMPLATE_TOKENS.join(', ')}`,
      })
    }
    if (key === undefined) return fail(`"${spec}" has no (name)`)
    const value = values[key]
    if (value === undefined) return fail(`unknown token %(${key})`)
    let text: string
    if (conversion === 's') {
      text = String(value)
      if (precision !== undefined) text = text.slice(0, Number(precision))
    } else if (conversion === 'd' || conversion === 'i') {
      if (typeof value !== 'number') return fail(`%(${key})${conversion} needs a number; ${key} is text, use %(${key})s`)
      let digits = String(Math.abs(Math.trunc(value)))
      if (precision !== undefined) digits = digits.padStart(Number(precision), '0')
      const sign = value < 0 ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : ''
      if (flags.includes('0') && !flags.includes('-') && width !== undefined && precision === undefined) {
        digits = digits.padStart(Number(width) - sign.length, '0')
      }
      text = sign + digits
    } else {
      return fail(`unsupported conversion "${spec}" (use s or d)`)
    }
    if (width !== undefined) text = flags.includes('-') ? text.padEnd(Number(width)) : text.padStart(Number(width))
    return text
  })
}

interface ZonedDate {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
  millisecond: number
  /** Minutes east of UTC. */
  offsetMinutes: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * The wall-clock fields of `date` in `timeZone` (an IANA name), or in local time when undefined.
 * @throws ConfigError for a time zone the runtime does not know
 */
export function zonedDate(date: Date, timeZone: string | undefined): ZonedDate {
  if (timeZone === undefined) {
    return {
      year: date.getFullYear(),
      month: date.getMonth() + 1,
      day: date.getDate(),
      hour: date.getHours(),
      minute: date.getMinutes(),
      second: date.getSeconds(),
      millisecond: date.getMilliseconds(),
      offsetMinutes: -date.getTimezoneOffset(),
    }
  }
  let formatter = formatters.get(timeZone)
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
    } catch {
      throw new ConfigError('invalid_value', `timezone '${timeZone}' is not a known time zone`, { hint: 'use an IANA name such as UTC or Europe/Paris' })
    }
    formatters.set(timeZone, formatter)
  }
  const parts: Record<string, number> = {}
  for (const part of formatter.formatToParts(date)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value)
  }
  const millisecond = ((date.getTime() % 1000) + 1000) % 1000
  const fields = {
    year: parts['year']!,
    month: parts['month']!,
    day: parts['day']!,
    hour: parts['hour']!,
    minute: parts['minute']!,
    second: parts['second']!,
  }
  const asUtc = Date.UTC(fields.year, fields.month - 1, fields.day, fields.hour, fields.minute, fields.second, millisecond)
  return { ...fields, millisecond, offsetMinutes: Math.round((asUtc - date.getTime()) / 60000) }
}

/** `2026-11-21 10:21:07.123456+00:00`, as Python's `str(datetime)` with a time zone. */
export function formatCreateDate(date: ZonedDate): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
  const offset = Math.abs(date.offsetMinutes)
  const sign = date.offsetMinutes < 0 ? '-' : '+'
  return (
    `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)} ${pad(date.hour)}:${pad(date.minute)}:${pad(date.second)}` +
    `.${pad(date.millisecond * 1000, 6)}${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`
  )
}

/** A single-quoted TypeScript string literal. */
export function tsString(value: string): string {
  return `'${value.replace(/[\\'\n\r\u2028\u2029]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\u2028': '\\u2028', '\u2029': '\\u2029' })[c]!)}'`
}

/** `null`, `'a'` or `['a', 'b']`: assignable to `string | readonly string[] | null`, readable by readRevisionHeader. */
export function tsRevisionValue(ids: readonly string[]): string {
  if (ids.length === 0) return 'null'
  if (ids.length === 1) return tsString(ids[0]!)
  return `[${ids.map(tsString).join(', ')}]`
}

/** Text safe inside a `/** … *\/` comment. */
function escapeComment(text: string): string {
  return text.replaceAll('*/', '*\\/')
}
