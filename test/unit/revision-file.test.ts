import { describe, expect, it } from 'vitest'
import { RevisionError } from '../../src/errors.js'
import { readRevisionHeader, type RevisionHeader } from '../../src/script/revision-file.js'

const read = (source: string, file = '/p/versions/abc_x.ts'): RevisionHeader => readRevisionHeader(file, source)

function readError(source: string, file = '/p/versions/bad.ts'): RevisionError {
  try {
    readRevisionHeader(file, source)
  } catch (err) {
    expect(err).toBeInstanceOf(RevisionError)
    return err as RevisionError
  }
  throw new Error('expected a RevisionError')
}

const TEMPLATE_OUTPUT = `/**
 * add users table
 *
 * Revision ID: 1975ea83b712
 * Revises: 3a1f0c9d2e44
 * Create Date: 2026-11-21 10:21:07.123456+00:00
 */
import type { Operations } from 'migrator'

export const revision = '1975ea83b712'
export const downRevision: string | readonly string[] | null = '3a1f0c9d2e44'
export const branchLabels: string | readonly string[] | null = null
export const dependsOn: string | readonly string[] | null = null

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable('users', {})
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropTable('users')
}
`

describe('readRevisionHeader', () => {
  it('reads the DESIGN §5 file: constants, doc, Create Date, path', () => {
    expect(read(TEMPLATE_OUTPUT)).toEqual({
      revision: '1975ea83b712',
      downRevisions: ['3a1f0c9d2e44'],
      branchLabels: [],
      dependsOn: [],
      doc: 'add users table',
      longDoc: 'add users table\n\nRevision ID: 1975ea83b712\nRevises: 3a1f0c9d2e44\nCreate Date: 2026-11-21 10:21:07.123456+00:00',
      createDate: '2026-11-21 10:21:07.123456+00:00',
      path: '/p/versions/abc_x.ts',
    })
  })

  it('accepts single quotes, double quotes and substitution-free template literals', () => {
    const header = read('export const revision = "a1"\nexport const downRevision = `b2`\nexport const branchLabels = \'x\'\n')
    expect(header.revision).toBe('a1')
    expect(header.downRevisions).toEqual(['b2'])
    expect(header.branchLabels).toEqual(['x'])
  })

  it('decodes escapes in strings', () => {
    expect(read(String.raw`export const revision = 'a\'b\u0041\x42\\'`).revision).toBe("a'bAB\\")
  })

  it('skips type annotations, `as const` and `satisfies`', () => {
    const header = read(`
export const revision: string = 'r1' as const
export const downRevision: string | readonly string[] | null = ['a', 'b'] as const
export const branchLabels: Array<string> | null = null satisfies string | null
export const dependsOn: readonly string[] = ['d'] as readonly string[];
`)
    expect(header).toMatchObject({ revision: 'r1', downRevisions: ['a', 'b'], branchLabels: [], dependsOn: ['d'] })
  })

  it('reads multi-line arrays with trailing commas and comments inside', () => {
    const header = read(`export const revision = 'm'
export const downRevision = [
  'a', // first head
  /* second */ "b",
]
`)
    expect(header.downRevisions).toEqual(['a', 'b'])
  })

  it('treats null and undefined as empty, and a missing constant as empty', () => {
    const header = read("export const revision = 'r'; export const downRevision = null; export const dependsOn = undefined")
    expect(header).toMatchObject({ downRevisions: [], branchLabels: [], dependsOn: [] })
  })

  it('ignores declarations inside comments, strings, template literals and regexes', () => {
    const header = read(`
// export const revision = 'comment'
/* export const revision = 'block' */
const s = "export const revision = 'string'"
const t = \`export const revision = \${'x' + \`nested \${1}\`} 'template'\`
const re = /export const revision = '[']/g
export const revision = 'real'
export const downRevision = null
export const branchLabels = null
export const dependsOn = null
`)
    expect(header.revision).toBe('real')
  })

  it('reads the JS forms: export let, export var, several declarators', () => {
    expect(read("export let revision = 'j1'\nexport var downRevision = 'j0'", '/p/v/x.mjs')).toMatchObject({
      revision: 'j1',
      downRevisions: ['j0'],
      path: '/p/v/x.mjs',
    })
    expect(read("export const revision = 'a', downRevision = ['b', 'c'], branchLabels = 'l';")).toMatchObject({
      revision: 'a',
      downRevisions: ['b', 'c'],
      branchLabels: ['l'],
    })
  })

  it('reads constants written in any order, after functions, with a shebang and CRLF', () => {
    const header = read("#!/usr/bin/env node\r\nexport async function upgrade(op) { await op.execute('/* x */') }\r\nexport const dependsOn = 'dep'\r\nexport const revision = 'late'\r\n")
    expect(header).toMatchObject({ revision: 'late', dependsOn: ['dep'], doc: undefined, longDoc: '' })
  })

  it('stops at the first line of the doc comment and unescapes `*\\/`', () => {
    const header = read("/**\n * fix a *\\/ comment\n * second line\n */\nexport const revision = 'r'\n")
    expect(header.doc).toBe('fix a */ comment')
    expect(header.createDate).toBeUndefined()
  })

  it('only takes a doc comment that comes before any code', () => {
    expect(read("export const revision = 'r'\n/** not the doc */\n").doc).toBeUndefined()
    expect(read("// licence\n/** the doc */\nexport const revision = 'r'\n").doc).toBe('the doc')
  })

  it('reports a missing revision export, naming the file', () => {
    const err = readError("const revision = 'r'\nexport { revision }\n")
    expect(err.code).toBe('revision.missing_revision')
    expect(err.message).toContain('/p/versions/bad.ts')
    expect(err.hint).toBe('revision constants must be literal strings, arrays of strings, or null')
  })

  it.each([
    ['a call', "export const revision = makeId()", 1],
    ['a concatenation', "export const revision = 'a' + 'b'", 1],
    ['a template literal with ${}', 'export const revision = `${prefix}1`', 1],
    ['a reference', "export const revision = 'a'\n\nexport const downRevision = revision", 3],
    ['a number', "export const revision = 'a'\nexport const dependsOn = 42", 2],
    ['an array of non-strings', "export const revision = 'a'\nexport const downRevision = [\n  'x',\n  other,\n]", 4],
    ['an expression continued on the next line', "export const revision = 'a'\n  + suffix", 2],
    ['a declaration without value', 'export let revision: string', 1],
    ['an empty id', "export const revision = ''", 1],
  ])('rejects %s with file and line', (_name, source, line) => {
    const err = readError(source)
    expect(err).toBeInstanceOf(RevisionError)
    expect(err.exitCode).toBe(1)
    expect(err.message).toContain(`/p/versions/bad.ts:${line}:`)
    expect(err.hint).toBe('revision constants must be literal strings, arrays of strings, or null')
  })

  it('reports unterminated strings and comments as syntax errors with the line', () => {
    expect(readError("export const revision = 'r'\nconst s = 'open\n").message).toContain('bad.ts:2:')
    expect(readError("export const revision = 'r'\n\n/* open").code).toBe('revision.syntax')
  })

  it('rejects a constant declared twice', () => {
    expect(readError("export const downRevision = null\nexport const downRevision = null\nexport const revision = 'r'").message).toContain(':2:')
  })

  // Their speed is measured by `npm run bench` (graph commands on 2,000 files), not here: a test
  // must not depend on how fast the machine is.
  it('reads 2,000 files, each its own', () => {
    for (let i = 0; i < 2000; i++) expect(read(TEMPLATE_OUTPUT.replaceAll('1975ea83b712', `r${i}`)).revision).toBe(`r${i}`)
  })
})
