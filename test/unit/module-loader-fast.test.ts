/**
 * The loader's fast transform (type stripping + ESM to CommonJS without Babel): what it accepts must
 * mean exactly what TypeScript's own output means; everything else must be declined (Babel runs).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MigratorError } from '../../src/errors.js'
import { fastTransform, fastTransformEnabled, loadModule } from '../../src/script/module-loader.js'

const printer = ts.createPrinter({ removeComments: true })

/** Function `f` of a JavaScript text, printed by TypeScript (so formatting does not matter). */
function printedFunction(js: string): string | undefined {
  const file = ts.createSourceFile('x.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS)
  let found: string | undefined
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name?.text === 'f') found = printer.printNode(ts.EmitHint.Unspecified, node, file)
    ts.forEachChild(node, visit)
  }
  visit(file)
  // TypeScript drops the parentheses `(x as T).y` leaves; `export` is the module half, compared elsewhere.
  return found?.replace(/^export /, '').replace(/\((\w+)\)/g, '$1')
}

const wrap = (body: string): string => `import { sql } from 'migrator'\nexport async function f(op: Operations): Promise<void> {\n${body}\n}\n`

describe('fastTransform', () => {
  it.each([
    'const a: number = 1; return a',
    'return (x as any).y',
    'return x as unknown as Foo.Bar',
    'return [x as A, y as B]',
    'const n = (v as number) - 1; return n',
    'return x!.y!.z',
    'return x! + 1',
    'const a = b!\n!c',
    'if (a) !b && c()',
    'while (a) !b',
    'do !x; while (y)',
    'return [1, 2].map((x: number) => x * 2)',
    'return [1].map(async (x: number, i?: number) => x)',
    'for (let i = 0; i < n; i++) { s += i }',
    "const o = { type: 'integer', as: 1, module: 2 }; return o.type",
    'try { g() } catch (e: unknown) { throw e }',
    'const x = { a: 1 } as const; return x',
    'let v: Map<string, Array<{ a: number }>> | undefined\nv = new Map(); return v',
    'const g = function (a: string, b = 2, ...c: number[]): string { return a }; return g',
    'function inner({ a, b }: { a: number; b: number }, [c]: number[] = [1]): number { return a + b + c }\nreturn inner({ a: 1, b: 2 })',
    'return cond ? (a as T) : b',
    'const t = `x${ (y as string).length }`; return t',
    'const re = /a<b>c/g; return re.test(s)',
    'return (a + b) / 2',
    'const x = y satisfies Z; return x',
    'return this!.x',
  ])('strips the types of %j as TypeScript does', (body) => {
    const source = wrap(body)
    const fast = fastTransform(source, { ts: true, async: true })
    expect(fast).toBeDefined()
    const reference = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText
    expect(printedFunction(fast!)).toBe(printedFunction(reference))
  })

  it.each([
    'return f<T>(x)',
    'return a < b && c > d',
    'return new Foo<Bar>()',
    'return <T>x',
    'type X = string; return 1',
    'enum E { A } return E.A',
    'class A { x: number = 1 } return new A()',
    'return [1, 2].map((x: number): number => x * 2)',
    'const { a }: { a: number } = obj; return a',
    'return x as number > 0',
    'return import.meta.url',
    "return import('x')",
    '@dec function g() {}',
    'if (x) /a!b/.test(s)',
    'if (x) {}\n/as T/.test(s)',
  ])('declines %j (Babel does it)', (body) => {
    expect(fastTransform(wrap(body), { ts: true, async: true })).toBeUndefined()
  })

  it.each([
    ['a default import', "import x from 'm'\nexport const a = x\n"],
    ['a namespace import', "import * as m from 'm'\nexport const a = m\n"],
    ['a re-export', "export { a } from 'm'\n"],
    ['an exported class', 'export class A {}\n'],
    ['export default function', 'export default function f() {}\n'],
    ['top-level await', "import { a } from 'm'\nawait a()\nexport const b = 1\n"],
    ['a file without import or export (CommonJS?)', 'module.exports = 1\n'],
    ['an import after other code', "export const a = 1\nimport { b } from 'm'\n"],
    ['a syntax error', 'export const a = 1 +* 2\n'],
  ])('declines %s', (_, source) => {
    expect(fastTransform(source, { ts: true, async: true })).toBeUndefined()
  })

  it('writes the module half as jiti expects: exports bound up front, imports through jitiImport, type-only imports dropped', () => {
    const out = fastTransform(
      [
        "import type { Operations } from 'migrator'",
        "import { sql, Unused, type T, execute as run } from 'migrator'",
        "import 'side-effect'",
        "export const revision = 'r1'",
        'export async function upgrade(op: Operations): Promise<void> { await run(sql`x`) }',
        'export default { a: 1 }',
        '',
      ].join('\n'),
      { ts: true, async: true },
    )!
    const lines = out.split('\n')
    expect(lines).toHaveLength(7) // every line where it was
    expect(lines[0]).toContain('Object.defineProperty(exports, "__esModule", { value: true });')
    expect(lines[0]).toContain('exports.revision = void 0;exports.upgrade = upgrade;exports.default = void 0;')
    expect(lines[1]).toBe('const { sql, execute: run } = await jitiImport("migrator");')
    expect(lines[2]).toBe('await jitiImport("side-effect");')
    expect(lines[3]).toContain("const revision = exports.revision = 'r1'")
    expect(lines[4]).toMatch(/^ *async function upgrade\(op *\) *\{ await run\(sql`x`\) \}$/)
    expect(lines[5]).toBe('exports.default = { a: 1 }')
    expect(fastTransform("import { a } from 'm'\nexport const b = a\n", { ts: true, async: false })).toContain('const { a } = require("m");')
  })

  it('leaves JavaScript with type annotations to Babel (which reports them)', () => {
    expect(fastTransform('export function f(a: number) { return a }\n', { ts: false })).toBeUndefined()
    expect(fastTransform('export function f(a) { return a }\n', { ts: false })).toBeDefined()
  })
})

describe('loadModule through the fast transform', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'migrator-fast-'))
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  const write = (name: string, source: string): string => {
    const file = path.join(dir, name)
    writeFileSync(file, source)
    return file
  }

  it('runs a revision file and keeps it loaded (the same exports the second time)', async () => {
    write('helper.ts', 'export const twice = (n: number): number => n * 2\n')
    const file = write(
      'rev.ts',
      "import type { Operations } from 'migrator'\nimport { twice } from './helper.ts'\n\nexport const revision = 'a1'\nexport const n: number = twice(2)\nexport async function upgrade(op: Operations): Promise<void> { void op }\n",
    )
    const exports = await loadModule(file)
    expect(exports['revision']).toBe('a1')
    expect(exports['n']).toBe(4)
    expect(typeof exports['upgrade']).toBe('function')
    expect(await loadModule(file)).toBe(exports)
  })

  it('MIGRATOR_TRANSFORM=jiti turns the fast path off, and the file still loads the same through Babel', async () => {
    expect(fastTransformEnabled({})).toBe(true)
    expect(fastTransformEnabled({ MIGRATOR_TRANSFORM: 'jiti' })).toBe(false)
    const file = write('babel.ts', "export const revision: string = 'b2'\nexport const list = [1, 2] as const\n")
    process.env['MIGRATOR_TRANSFORM'] = 'jiti'
    try {
      const exports = await loadModule(file)
      expect(exports['revision']).toBe('b2')
      expect(exports['list']).toEqual([1, 2])
    } finally {
      delete process.env['MIGRATOR_TRANSFORM']
    }
  })

  it('reports an exception with the line it was thrown at', async () => {
    const file = write('throws.ts', "export const a: number = 1\n\nthrow new Error('boom ' + a)\n")
    const err = (await loadModule(file).catch((e: unknown) => e)) as MigratorError
    expect(err).toBeInstanceOf(MigratorError)
    expect(err.code).toBe('command.module_failed')
    expect(err.message).toContain('boom 1')
    expect(err.message).toContain(`${file}:3:`)
  })
})
