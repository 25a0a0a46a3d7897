import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CommandError, MigratorError } from '../../src/errors.js'
import { loadModule, packageEntry, transformCacheDirectory } from '../../src/script/module-loader.js'

// A folder outside the repository, with no node_modules: `from 'migrator'` can only work through the loader.
let dir: string

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'migrator-loader-'))
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

function write(name: string, source: string): string {
  const file = path.join(dir, name)
  writeFileSync(file, source)
  return file
}

async function loadError(file: string): Promise<MigratorError> {
  try {
    await loadModule(file)
  } catch (err) {
    expect(err).toBeInstanceOf(MigratorError)
    return err as MigratorError
  }
  throw new Error('expected loadModule to fail')
}

describe('loadModule', () => {
  it('points `migrator` at this package entry (src/index.ts under vitest)', () => {
    expect(packageEntry()).toBe(path.resolve(import.meta.dirname, '../../src/index.ts'))
  })

  it('loads TypeScript with types, enums and ESM exports', async () => {
    const file = write(
      'plain.ts',
      `enum Color { Red = 'red' }
interface Shape { sides: number }
const square: Shape = { sides: 4 }
export const revision: string = 'abc' as const
export const color = Color.Red
export default square
`,
    )
    const exports = await loadModule(file)
    expect(exports['revision']).toBe('abc')
    expect(exports['color']).toBe('red')
    expect(exports['default']).toEqual({ sides: 4 })
  })

  it('loads .mjs and relative TypeScript imports', async () => {
    write('helper.ts', 'export const twice = (n: number): number => n * 2\n')
    const file = write('main.mjs', "import { twice } from './helper.ts'\nexport const four = twice(2)\n")
    expect((await loadModule(file))['four']).toBe(4)
  })

  it.skipIf(!existsSync(packageEntry()))("resolves `from 'migrator'` to the running package, same instances", async () => {
    const api = (await import('../../src/index.js')) as Record<string, unknown>
    expect(typeof api['defineEnv']).toBe('function')
    const file = write(
      'env.ts',
      `import { defineEnv, MigratorError } from 'migrator'
export const defineEnvRef = defineEnv
export const errorClass = MigratorError
export default defineEnv({ url: 'sqlite://' })
`,
    )
    const exports = await loadModule(file)
    expect(exports['defineEnvRef']).toBe(api['defineEnv'])
    expect(exports['errorClass']).toBe(MigratorError)
    expect(exports['default']).toEqual({ url: 'sqlite://' })
  })

  it.skipIf(!existsSync(packageEntry())).each(['generic', 'multidb'])('loads the env.ts that `init --template %s` writes, untouched', async (template) => {
    const source = readFileSync(path.resolve(import.meta.dirname, '../../templates', template, 'env.ts'), 'utf8')
    const exports = await loadModule(write(`env-${template}.ts`, source))
    expect(exports['default']).toEqual({})
  })

  it('reports a syntax error with the file, line and column, without running the file', async () => {
    const file = write('broken.ts', "export const a = 1\n\nexport function f() {\n  return a +* 2\n}\nthrow new Error('must not run')\n")
    const err = await loadError(file)
    expect(err).toBeInstanceOf(CommandError)
    expect(err.code).toBe('command.syntax')
    expect(err.message).toContain(file)
    expect(err.message).toMatch(/line 4, column 1[0-9]/)
    expect(err.message).not.toContain('must not run')
  })

  it('reports an exception thrown while loading, with where it was thrown', async () => {
    const file = write('throws.ts', "const n: number = 1\nthrow new Error('boom ' + n)\n")
    const err = await loadError(file)
    expect(err.code).toBe('command.module_failed')
    expect(err.message).toContain(file)
    expect(err.message).toContain('boom 1')
    expect(err.message).toContain(`${file}:2:`)
  })

  it.skipIf(!existsSync(packageEntry()))('passes a migrator error thrown by the module on, with its code, exit code and hint, and where it was thrown', async () => {
    const file = write('config-error.ts', "import { MigratorError } from 'migrator'\nthrow new MigratorError('config.x', 'bad env', 2, { hint: 'fix it' })\n")
    const err = await loadError(file)
    expect(err.code).toBe('config.x')
    expect(err.exitCode).toBe(2)
    expect(err.message).toMatch(new RegExp(`^${escapeRegExp(file)}:2:\\d+: bad env$`))
    expect(err.hint).toBe('fix it')
  })

  it.skipIf(!existsSync(packageEntry()))('names the line of a models file where the schema API refused a value', async () => {
    const file = write('bad-models.ts', "import { MetaData, integer, varchar } from 'migrator'\nexport const metadata = new MetaData()\nmetadata.table('t', { id: integer().primaryKey(), name: varchar(0) })\n")
    const err = await loadError(file)
    expect(err.exitCode).toBe(1)
    expect(err.message).toMatch(new RegExp(`^${escapeRegExp(file)}:3:57: varchar length must be an integer from 1 to \\d+; got 0$`))
    expect(err.hint).toBe('fix that line; MIGRATOR_DEBUG=1 shows the stack')
  })

  it('passes on a migrator error of another copy of the package (duck-typed)', async () => {
    const errors = path.resolve(import.meta.dirname, '../../src/errors.ts')
    const file = write('copy-error.ts', `import { ConfigError } from ${JSON.stringify(errors)}\nthrow new ConfigError('x', 'bad env')\n`)
    const err = (await loadModule(file).catch((e: unknown) => e)) as { code?: string; exitCode?: number; message?: string }
    expect(err.code).toBe('config.x')
    expect(err.exitCode).toBe(2)
    expect(err.message).toMatch(/: bad env$/)
    expect(err.message).toContain(`${file}:2:`)
  })

  it('reports a missing file and a missing import clearly', async () => {
    const missing = path.join(dir, 'nope.ts')
    const err = await loadError(missing)
    expect(err.code).toBe('command.module_not_found')
    expect(err.message).toContain(missing)
    const importer = write('imports-missing.ts', "import { x } from './does-not-exist'\nexport const y = x\n")
    const importErr = await loadError(importer)
    expect(importErr.code).toBe('command.import_failed')
    expect(importErr.message).toContain(importer)
    expect(importErr.message).toContain('./does-not-exist')
  })

  it('keeps its transform cache out of the project folder', async () => {
    await loadModule(write('cached.ts', 'export const x: number = 1\n'))
    expect(transformCacheDirectory().startsWith(os.tmpdir())).toBe(true)
    expect(readdirSync(dir).filter((name) => name === 'node_modules' || name.startsWith('.'))).toEqual([])
  })
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
