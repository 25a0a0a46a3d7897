import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ts from 'typescript'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CommandError, ConfigError, MigratorError, RevisionError, UsageError } from '../../src/errors.js'
import { readRevisionHeader } from '../../src/script/revision-file.js'
import { formatFileTemplate, ScriptDirectory, slugify, type ScriptDirectoryOptions } from '../../src/script/script-directory.js'
import { renderTemplate } from '../../src/script/template.js'

const TEMPLATES = path.resolve(import.meta.dirname, '../../templates')
const NOW = new Date('2026-11-21T10:21:07.123Z')

let root: string
let scriptLocation: string

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'migrator-scriptdir-'))
  scriptLocation = path.join(root, 'migrations')
  mkdirSync(path.join(scriptLocation, 'versions'), { recursive: true })
  copyFileSync(path.join(TEMPLATES, 'generic', 'script.ts.tmpl'), path.join(scriptLocation, 'script.ts.tmpl'))
})

afterEach(() => {
  rmSync(root, { recursive: true, force: true })
})

function scripts(options: Partial<ScriptDirectoryOptions> = {}): ScriptDirectory {
  return new ScriptDirectory({ scriptLocation, timezone: 'UTC', ...options })
}

function thrown(fn: () => unknown): MigratorError {
  try {
    fn()
  } catch (err) {
    if (err instanceof MigratorError) return err
    throw err
  }
  throw new Error('expected an error')
}

const versions = (): string => path.join(scriptLocation, 'versions')

describe('ScriptDirectory.generateRevision', () => {
  it('writes the first revision: file name, constants, doc comment, Create Date', () => {
    const created = scripts().generateRevision({ message: 'Add users table', revId: 'a1', now: NOW })
    expect(created).toEqual({ revision: 'a1', path: path.join(versions(), 'a1_add_users_table.ts') })
    const text = readFileSync(created.path, 'utf8')
    expect(text).toContain(' * Add users table\n')
    expect(text).toContain(' * Revision ID: a1\n * Revises: \n * Create Date: 2026-11-21 10:21:07.123000+00:00\n')
    expect(text).toContain("export const revision = 'a1'\n")
    expect(text).toContain('export const downRevision: string | readonly string[] | null = null\n')
    expect(text).toContain("import type { Operations } from 'migrator'\n\nexport const revision")
    expect(text).toContain('  // write your migration here')
    expect(readRevisionHeader(created.path, text)).toMatchObject({
      revision: 'a1',
      downRevisions: [],
      doc: 'Add users table',
      createDate: '2026-11-21 10:21:07.123000+00:00',
    })
  })

  it('chains on the head, and uses 12 random hex digits by default', () => {
    const dir = scripts()
    dir.generateRevision({ message: 'one', revId: 'a1', now: NOW })
    const second = dir.generateRevision({ message: 'two', now: NOW })
    expect(second.revision).toMatch(/^[0-9a-f]{12}$/)
    const text = readFileSync(second.path, 'utf8')
    expect(text).toContain("downRevision: string | readonly string[] | null = 'a1'")
    expect(text).toContain(' * Revises: a1\n')
    expect(dir.revisionMap().heads).toEqual([second.revision])
    // a fresh ScriptDirectory reads the same graph from the files
    expect(scripts().revisionMap().heads).toEqual([second.revision])
  })

  it('writes "empty message" without -m, and an empty slug', () => {
    const created = scripts().generateRevision({ revId: 'e1', now: NOW })
    expect(path.basename(created.path)).toBe('e1_.ts')
    expect(readRevisionHeader(created.path, readFileSync(created.path, 'utf8')).doc).toBe('empty message')
  })

  it('escapes */ in the message and keeps a multi-line message inside the comment', () => {
    const created = scripts().generateRevision({ message: 'drop /* legacy */ stuff\nsecond line', revId: 'c1', now: NOW })
    const text = readFileSync(created.path, 'utf8')
    expect(text).toContain(' * drop /* legacy *\\/ stuff\n * second line\n')
    expect(readRevisionHeader(created.path, text).doc).toBe('drop /* legacy */ stuff')
  })

  it('refuses "head" when there are several heads, and names them in the hint', () => {
    const dir = scripts()
    dir.generateRevision({ revId: 'a1', now: NOW })
    dir.generateRevision({ revId: 'b1', head: 'base', branchLabels: ['other'], now: NOW })
    const err = thrown(() => dir.generateRevision({ revId: 'c1', now: NOW }))
    expect(err).toBeInstanceOf(RevisionError)
    expect(err.message).toMatch(/Multiple heads/)
    expect(err.hint).toContain('--head REV')
    expect(err.hint).toContain('LABEL@head')
    expect(dir.generateRevision({ revId: 'c1', head: 'other@head', now: NOW }).revision).toBe('c1')
    expect(readRevisionHeader('', readFileSync(path.join(versions(), 'c1_.ts'), 'utf8')).downRevisions).toEqual(['b1'])
  })

  it('refuses a --head that is not a head unless --splice', () => {
    const dir = scripts()
    dir.generateRevision({ revId: 'a1', now: NOW })
    dir.generateRevision({ revId: 'a2', now: NOW })
    const err = thrown(() => dir.generateRevision({ revId: 'x1', head: 'a1', now: NOW }))
    expect(err).toBeInstanceOf(CommandError)
    expect(err.message).toContain('a1 is not a head')
    expect(err.hint).toContain('--splice')
    const spliced = dir.generateRevision({ revId: 'x1', head: 'a1', splice: true, now: NOW })
    expect(readRevisionHeader(spliced.path, readFileSync(spliced.path, 'utf8')).downRevisions).toEqual(['a1'])
  })

  it('starts a new base with --head base and a branch label; a label can be used once', () => {
    const dir = scripts()
    dir.generateRevision({ revId: 'a1', now: NOW })
    const created = dir.generateRevision({ revId: 'n1', head: 'base', branchLabels: ['networking'], now: NOW })
    const text = readFileSync(created.path, 'utf8')
    expect(text).toContain("branchLabels: string | readonly string[] | null = 'networking'")
    expect(text).toContain('downRevision: string | readonly string[] | null = null')
    const err = thrown(() => dir.generateRevision({ revId: 'n2', head: 'base', branchLabels: ['networking'], now: NOW }))
    expect(err).toBeInstanceOf(CommandError)
    expect(err.message).toContain("'networking' is already used by revision n1")
    expect(thrown(() => dir.generateRevision({ revId: 'n3', head: 'base', branchLabels: ['has space'] }))).toBeInstanceOf(UsageError)
    expect(thrown(() => dir.generateRevision({ revId: 'n3', head: 'base', branchLabels: ['heads'] }))).toBeInstanceOf(UsageError)
  })

  it('validates --rev-id: characters, length, reserved names, uniqueness', () => {
    const dir = scripts()
    dir.generateRevision({ revId: 'a1', now: NOW })
    for (const bad of ['', 'a-b', 'a+1', 'x@y', 'with space', 'x'.repeat(33), 'head', 'base']) {
      expect(thrown(() => dir.generateRevision({ revId: bad, now: NOW }))).toBeInstanceOf(UsageError)
    }
    const dup = thrown(() => dir.generateRevision({ revId: 'a1', head: 'base', now: NOW }))
    expect(dup).toBeInstanceOf(CommandError)
    expect(dup.message).toContain("'a1' is already used by")
    expect(dir.generateRevision({ revId: 'Rev_2', now: NOW }).revision).toBe('Rev_2')
  })

  it('stores --depends-on as full ids (from a prefix or a label)', () => {
    const dir = scripts()
    dir.generateRevision({ revId: 'abcdef123456', now: NOW })
    dir.generateRevision({ revId: 'lab1', head: 'base', branchLabels: ['lib'], now: NOW })
    const created = dir.generateRevision({ revId: 'd1', head: 'abcdef123456', dependsOn: ['lib'], now: NOW })
    expect(readFileSync(created.path, 'utf8')).toContain("dependsOn: string | readonly string[] | null = 'lab1'")
    const two = dir.generateRevision({ revId: 'd2', head: 'd1', dependsOn: ['abc', 'lib'], now: NOW })
    expect(readRevisionHeader(two.path, readFileSync(two.path, 'utf8')).dependsOn).toEqual(['abcdef123456', 'lab1'])
  })

  it('puts the file in --version-path, which must be a version location', () => {
    const other = path.join(root, 'more-versions')
    const dir = scripts({ versionLocations: [versions(), other] })
    const err = thrown(() => dir.generateRevision({ revId: 'a1', now: NOW }))
    expect(err).toBeInstanceOf(UsageError)
    expect(err.hint).toContain('--version-path')
    const bad = thrown(() => dir.generateRevision({ revId: 'a1', versionPath: path.join(root, 'nowhere'), now: NOW }))
    expect(bad).toBeInstanceOf(UsageError)
    expect(bad.hint).toContain(other)
    const first = dir.generateRevision({ revId: 'a1', versionPath: other, now: NOW })
    expect(path.dirname(first.path)).toBe(other)
    // later revisions follow their head's folder
    expect(path.dirname(dir.generateRevision({ revId: 'a2', now: NOW }).path)).toBe(other)
    expect(scripts({ versionLocations: [versions(), other] }).revisionFiles().map((f) => path.basename(f))).toEqual(['a1_.ts', 'a2_.ts'])
  })

  it('never overwrites an existing file', () => {
    const dir = scripts({ fileTemplate: '%(slug)s' })
    const first = dir.generateRevision({ message: 'same name', revId: 'a1', now: NOW })
    const before = readFileSync(first.path, 'utf8')
    const err = thrown(() => dir.generateRevision({ message: 'same name', revId: 'a2', now: NOW }))
    expect(err).toBeInstanceOf(CommandError)
    expect(err.message).toContain('already exists')
    expect(readFileSync(first.path, 'utf8')).toBe(before)
    expect(readdirSync(versions())).toEqual(['same_name.ts'])
  })

  it('renders every file_template token in the configured time zone', () => {
    const dir = scripts({
      timezone: 'Asia/Tokyo',
      fileTemplate: '%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d%(second).2d-%(epoch)s-%(rev)s_%(slug)s',
    })
    const created = dir.generateRevision({ message: 'tokens', revId: 't1', now: new Date('2026-01-02T18:04:05Z') })
    expect(path.basename(created.path)).toBe(`2026_01_03_030405-${Date.parse('2026-01-02T18:04:05Z') / 1000}-t1_tokens.ts`)
    expect(readFileSync(created.path, 'utf8')).toContain('Create Date: 2026-01-03 03:04:05.000000+09:00')
  })

  it('writes the Create Date with the zone offset (DST-aware)', () => {
    const winter = scripts({ timezone: 'America/New_York' }).generateRevision({ revId: 'w1', now: NOW })
    expect(readFileSync(winter.path, 'utf8')).toContain('Create Date: 2026-11-21 05:21:07.123000-05:00')
    const summer = scripts({ timezone: 'America/New_York' }).generateRevision({ revId: 's1', head: 'base', now: new Date('2026-07-01T12:00:00Z') })
    expect(readFileSync(summer.path, 'utf8')).toContain('Create Date: 2026-07-01 08:00:00.000000-04:00')
  })

  it('uses local time without a time zone', () => {
    const created = scripts({ timezone: undefined }).generateRevision({ revId: 'l1', now: NOW })
    const offset = -NOW.getTimezoneOffset()
    const sign = offset < 0 ? '-' : '+'
    const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0')
    const mm = String(Math.abs(offset) % 60).padStart(2, '0')
    expect(readFileSync(created.path, 'utf8')).toMatch(new RegExp(`Create Date: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:07\\.123000\\${sign}${hh}:${mm}`))
  })

  it('rejects an unknown time zone with a ConfigError', () => {
    const err = thrown(() => scripts({ timezone: 'Mars/Olympus' }).generateRevision({ revId: 'z1', now: NOW }))
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message).toContain('Mars/Olympus')
  })

  it('truncates long slugs on a word boundary as Alembic does', () => {
    const created = scripts({ truncateSlugLength: 20 }).generateRevision({
      message: 'This is a very long message that will be truncated',
      revId: 'a1',
      now: NOW,
    })
    expect(path.basename(created.path)).toBe('a1_this_is_a_very_long_.ts')
  })

  it('renders the multidb template with one function pair per database', () => {
    copyFileSync(path.join(TEMPLATES, 'multidb', 'script.ts.tmpl'), path.join(scriptLocation, 'script.ts.tmpl'))
    const created = scripts({ databaseNames: ['engine1', 'engine2'] }).generateRevision({
      revId: 'm1',
      now: NOW,
      databaseUpgrades: { engine1: "await op.execute('SELECT 1')" },
    })
    const text = readFileSync(created.path, 'utf8')
    expect(text).toContain("export async function upgrade_engine1(op: Operations): Promise<void> {\n  await op.execute('SELECT 1')\n}\n")
    expect(text).toContain('export async function downgrade_engine2(op: Operations): Promise<void> {\n  // write your migration here')
    expect(text).not.toMatch(/\$\{/)
    expect(text).not.toContain('\n\n\n')
    expect(readRevisionHeader(created.path, text).revision).toBe('m1')
    expect(thrown(() => scripts({ databaseNames: ['bad-name'] }).generateRevision({ revId: 'm2', now: NOW }))).toBeInstanceOf(ConfigError)
  })

  it('reports an unknown template variable with the template file and the variable', () => {
    writeFileSync(path.join(scriptLocation, 'script.ts.tmpl'), "export const revision = ${up_revision}\n// ${author}\n")
    const err = thrown(() => scripts().generateRevision({ revId: 'a1', now: NOW }))
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message).toContain(path.join(scriptLocation, 'script.ts.tmpl') + ':2')
    expect(err.message).toContain('${author}')
    expect(readdirSync(versions())).toEqual([])
  })

  it('removes a rendered file that lacks what was asked for (e.g. branch labels)', () => {
    writeFileSync(path.join(scriptLocation, 'script.ts.tmpl'), 'export const revision = ${up_revision}\nexport const downRevision = ${down_revision}\n')
    const err = thrown(() => scripts().generateRevision({ revId: 'a1', branchLabels: ['x'], now: NOW }))
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message).toContain('branch labels')
    expect(readdirSync(versions())).toEqual([])
  })

  it('writes .js revisions from a script.js.tmpl', () => {
    rmSync(path.join(scriptLocation, 'script.ts.tmpl'))
    writeFileSync(path.join(scriptLocation, 'script.js.tmpl'), '/** ${message} */\nexport const revision = ${up_revision}\nexport let downRevision = ${down_revision}\n')
    const created = scripts().generateRevision({ message: 'js', revId: 'j1', now: NOW })
    expect(path.basename(created.path)).toBe('j1_js.js')
  })

  it('generates files that typecheck under strict settings (noUnusedParameters)', () => {
    const dir = scripts()
    dir.generateRevision({ message: 'first', revId: 'a1', now: NOW })
    dir.generateRevision({ revId: 'b1', head: 'base', branchLabels: ['side'], now: NOW })
    dir.merge(['heads'], { message: 'merge', revId: 'm1', now: NOW })
    const stub = path.join(root, 'node_modules', 'migrator')
    mkdirSync(stub, { recursive: true })
    writeFileSync(path.join(stub, 'package.json'), '{"name":"migrator","types":"index.d.ts"}')
    writeFileSync(path.join(stub, 'index.d.ts'), 'export interface Operations { execute(sql: string): Promise<void> }\n')
    const files = dir.revisionFiles()
    const program = ts.createProgram(files, {
      strict: true,
      noUnusedLocals: true,
      noUnusedParameters: true,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      noEmit: true,
      types: [],
    })
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    expect(diagnostics).toEqual([])
  })
})

describe('ScriptDirectory.merge', () => {
  it('merges the heads into a revision whose downRevision is the tuple of heads', () => {
    const dir = scripts()
    dir.generateRevision({ revId: 'a1', now: NOW })
    dir.generateRevision({ revId: 'b1', head: 'base', branchLabels: ['b'], now: NOW })
    const merged = dir.merge(['heads'], { message: 'merge a and b', revId: 'm1', now: NOW })
    const text = readFileSync(merged.path, 'utf8')
    expect(text).toContain("downRevision: string | readonly string[] | null = ['a1', 'b1']")
    expect(text).toContain(' * Revises: a1, b1\n')
    expect(path.basename(merged.path)).toBe('m1_merge_a_and_b.ts')
    expect(dir.revisionMap().heads).toEqual(['m1'])
  })

  it('accepts explicit revisions and labels, and refuses fewer than two heads or a non-head', () => {
    const dir = scripts()
    dir.generateRevision({ revId: 'a1', now: NOW })
    dir.generateRevision({ revId: 'a2', now: NOW })
    dir.generateRevision({ revId: 'b1', head: 'base', branchLabels: ['b'], now: NOW })
    expect(thrown(() => dir.merge(['a2'])).code).toBe('command.nothing_to_merge')
    expect(thrown(() => dir.merge(['a2', 'a2'])).code).toBe('command.nothing_to_merge')
    expect(thrown(() => dir.merge(['a1', 'b1'])).code).toBe('command.not_a_head')
    const merged = dir.merge(['a2', 'b@head'], { revId: 'm1', branchLabels: ['trunk'] })
    expect(readRevisionHeader(merged.path, readFileSync(merged.path, 'utf8'))).toMatchObject({ downRevisions: ['a2', 'b1'], branchLabels: ['trunk'] })
  })
})

describe('ScriptDirectory listing', () => {
  it('lists .ts/.mts/.js/.mjs revisions and skips everything else', () => {
    const v = versions()
    const revision = (id: string): string => `export const revision = '${id}'\nexport const downRevision = null\n`
    writeFileSync(path.join(v, 'a_one.ts'), revision('a'))
    writeFileSync(path.join(v, 'b_two.mts'), revision('b'))
    writeFileSync(path.join(v, 'c_three.js'), revision('c'))
    writeFileSync(path.join(v, 'd_four.mjs'), revision('d'))
    writeFileSync(path.join(v, 'types.d.ts'), 'export {}')
    writeFileSync(path.join(v, '.hidden.ts'), 'junk')
    writeFileSync(path.join(v, 'README'), 'not a revision')
    writeFileSync(path.join(v, 'notes.md'), 'not a revision')
    writeFileSync(path.join(v, 'e.ts~'), 'backup')
    mkdirSync(path.join(v, '__pycache__'))
    writeFileSync(path.join(v, '__pycache__', 'x.ts'), 'junk')
    mkdirSync(path.join(v, 'dir.ts'))
    const dir = scripts()
    expect(dir.revisionFiles().map((f) => path.basename(f))).toEqual(['a_one.ts', 'b_two.mts', 'c_three.js', 'd_four.mjs'])
    expect(dir.headers().map((h) => h.revision)).toEqual(['a', 'b', 'c', 'd'])
  })

  it('treats a missing versions folder as empty but a missing script location as a config error', () => {
    rmSync(versions(), { recursive: true })
    expect(scripts().revisionFiles()).toEqual([])
    const created = scripts().generateRevision({ revId: 'a1', now: NOW })
    expect(existsSync(created.path)).toBe(true)
    expect(thrown(() => scripts({ scriptLocation: path.join(root, 'nope') }).revisionFiles())).toBeInstanceOf(ConfigError)
  })

  it('propagates a bad revision file as a RevisionError naming it', () => {
    writeFileSync(path.join(versions(), 'bad.ts'), "export const revision = compute()\n")
    const err = thrown(() => scripts().headers())
    expect(err).toBeInstanceOf(RevisionError)
    expect(err.message).toContain(path.join(versions(), 'bad.ts') + ':1:')
  })
})

describe('slugify', () => {
  it.each([
    ['Add users table', 40, 'add_users_table'],
    ["Add  user's e-mail!", 40, 'add_user_s_e_mail'],
    ['Ajouter la colonne café', 40, 'ajouter_la_colonne_café'],
    ['this is a very long message that will be truncated', 10, 'this_is_a_'],
    ['this is a very long message', 12, 'this_is_a_'],
    ['abcdefghijklmnop', 5, 'abcde_'],
    ['', 40, ''],
  ])('%j (max %i) -> %j', (message, max, slug) => {
    expect(slugify(message, max)).toBe(slug)
  })
})

describe('formatFileTemplate', () => {
  const values = { rev: 'ab12', slug: 'add_x', year: 2026, month: 3, day: 9, hour: 7, minute: 5, second: 0, epoch: 1773040000 }
  it.each([
    ['%(rev)s_%(slug)s', 'ab12_add_x'],
    ['%(year)d-%(month).2d-%(day)02d', '2026-03-09'],
    ['%(hour).2d%(minute).2d%(second).2d', '070500'],
    ['%(epoch)s_%(rev)s', '1773040000_ab12'],
    ['%(rev)6s|%(rev)-6s|', '  ab12|ab12  |'],
    ['%(month)3d|%(slug).3s', '  3|add'],
    ['100%%_%(rev)s', '100%_ab12'],
  ])('%s -> %s', (template, expected) => {
    expect(formatFileTemplate(template, values)).toBe(expected)
  })

  it.each([['%(author)s'], ['%(rev)d'], ['%s'], ['%(rev)x']])('rejects %s', (template) => {
    expect(() => formatFileTemplate(template, values)).toThrow(ConfigError)
  })
})

describe('renderTemplate', () => {
  const render = (template: string, variables: Parameters<typeof renderTemplate>[1] = {}): string => renderTemplate(template, variables, 'test.tmpl')

  it('substitutes variables and writes $${ as a literal ${', () => {
    expect(render('a ${x} b $${y} c', { x: 'X' })).toBe('a X b ${y} c')
  })

  it('repeats indentation and comment prefixes on the lines of a multi-line value', () => {
    expect(render('f() {\n  ${body}\n}\n', { body: 'one()\n\ntwo()' })).toBe('f() {\n  one()\n\n  two()\n}\n')
    expect(render('/**\n * ${message}\n */', { message: 'first\nsecond' })).toBe('/**\n * first\n * second\n */')
    expect(render('x = ${v};', { v: 'a\nb' })).toBe('x = a\nb;')
  })

  it('drops a line holding only an empty value, keeps inline empty values', () => {
    expect(render('a\n  ${imports}\nb ${imports}|\n', { imports: '' })).toBe('a\nb |\n')
  })

  it('loops with ${for … in …} … ${end}, leaving no trace of the tag lines', () => {
    const out = render('start\n${for db in dbs}\nfn_${db.name}()\n${end}\nend\n', { dbs: [{ name: 'a' }, { name: 'b' }] })
    expect(out).toBe('start\nfn_a()\nfn_b()\nend\n')
    expect(render('${for d in dbs}[${d.name}]${end}', { dbs: [{ name: 'x' }, { name: 'y' }] })).toBe('[x][y]')
  })

  it.each([
    ['${nope}', {}, 'test.tmpl:1: unknown variable ${nope}'],
    ['a\n${for d in dbs}\n${d.size}\n${end}', { dbs: [{ name: 'x' }] }, 'test.tmpl:3: unknown variable ${d.size}'],
    ['${for d in dbs}', { dbs: [] }, 'without a matching ${end}'],
    ['${end}', {}, 'without a matching ${for'],
    ['${for d in x}${end}', { x: 'text' }, 'not a list variable'],
    ['${x}', { x: [] }, 'is a list'],
    ['${a b}', {}, 'malformed tag'],
  ])('rejects %j', (template, variables, message) => {
    const err = thrown(() => render(template, variables as Parameters<typeof renderTemplate>[1]))
    expect(err).toBeInstanceOf(ConfigError)
    expect(err.message).toContain(message)
  })
})
