/**
 * Helpers of the autogenerate end-to-end tests (test/e2e/autogenerate-*.test.ts): a scratch project
 * whose `target_metadata` is its `models.ts`, and the database read back through the dialect's
 * introspector (the catalog, not the CLI's output) to compare schemas before and after.
 */
import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import { parseDatabaseUrl } from '../../src/config/database-url.js'
import { getDialect } from '../../src/dialects/index.js'
import type { SchemaSnapshot } from '../../src/dialects/introspector.js'
import { normalizeExpression } from '../../src/autogenerate/expressions.js'
import { isSqlFragment } from '../../src/schema/sql.js'
import type { TestDialect } from './databases.js'
import { bindProject, type Project } from './runtime.js'
import { makeProject, type CliResult } from './cli.js'

export interface ModelsProject extends Project {
  /** Writes `models.ts` (the target metadata). */
  models(source: string): void
  /** `revision --autogenerate -m MESSAGE`: expects exit 0 and a file written; returns it and the output. */
  autogenerate(message: string, extra?: readonly string[]): Promise<{ file: string; result: CliResult }>
}

/** A scratch project on `url` with `target_metadata = models.ts` (and `ini`, `env` as `makeProject`). */
export function modelsProject(url: string, options: { ini?: string; env?: string | null; targetMetadata?: string | null } = {}): ModelsProject {
  const target = options.targetMetadata === undefined ? 'target_metadata = %(here)s/models.ts' : options.targetMetadata === null ? '' : `target_metadata = ${options.targetMetadata}`
  const { dir, versions } = makeProject(url, {
    ini: `${target}\n${options.ini ?? ''}`,
    ...(options.env === undefined ? {} : { env: options.env }),
    scriptTemplate: true,
  })
  const project = bindProject(dir, versions)
  return {
    ...project,
    models(source) {
      fs.writeFileSync(path.join(dir, 'models.ts'), source)
    },
    async autogenerate(message, extra = []) {
      const result = await project.ok(['revision', '--autogenerate', '-m', message, ...extra])
      const file = result.stdout.trim()
      expect(path.isAbsolute(file), result.stdout).toBe(true)
      expect(fs.existsSync(file)).toBe(true)
      return { file, result }
    },
  }
}

/**
 * An existing schema adopted: a models project whose models.ts `introspect` wrote from the database
 * at `url`; `modelsFile` is its path.
 */
export async function adoptedProject(url: string, options: Parameters<typeof modelsProject>[1] = {}): Promise<ModelsProject & { readonly modelsFile: string }> {
  const project = modelsProject(url, options)
  await project.ok(['introspect', '--output', 'models.ts'])
  return { ...project, modelsFile: path.join(project.dir, 'models.ts') }
}

/** The revision files of the project. */
export function revisionFiles(project: Project): string[] {
  return fs.readdirSync(project.versions).filter((name) => name.endsWith('.ts')).sort()
}

/** The `Detected …` lines a run printed. */
export function detectedLines(result: CliResult): string[] {
  return result.stderr.split('\n').filter((line) => line.startsWith('Detected '))
}

/** The database read back through the dialect's introspector, the version table left out. */
export async function snapshotOf(dialect: TestDialect, url: string): Promise<SchemaSnapshot> {
  const implementation = getDialect(dialect)
  const connection = await implementation.connect(parseDatabaseUrl(url))
  try {
    return await implementation.introspector!().introspect(connection, { excludeTables: ['migrator_version'] })
  } finally {
    await connection.close()
  }
}

/** Quotes an identifier for `dialect`. */
export function q(dialect: TestDialect, name: string): string {
  return dialect === 'mysql' ? `\`${name}\`` : `"${name}"`
}

/**
 * `snapshot` with its expressions (checks, index expressions and predicates, `sql` defaults) as
 * normalised text: PostgreSQL re-prints an expression it is given back in its own re-printed form
 * with more casts (`ARRAY['a'::character varying]::text[]` → `ARRAY['a'::character varying::text]`),
 * which compares equal once normalised, as autogenerate compares them. MariaDB's checks of a
 * column definition (`CheckSpec.column`) are taken as the table's: models declare table checks,
 * which is how a schema rebuilt from them has them (docs/autogenerate.md).
 */
export function normalizedSnapshot(snapshot: SchemaSnapshot, dialect: TestDialect): unknown {
  const text = (value: unknown): unknown => (isSqlFragment(value) ? { sql: normalizeExpression(value, dialect) } : value)
  return {
    ...snapshot,
    tables: snapshot.tables.map((table) => ({
      ...table,
      columns: table.columns.map((c) => ({ ...c, serverDefault: text(c.serverDefault) })),
      checks: table.checks.map(({ column: _column, ...c }) => ({ ...c, expression: text(c.expression) })),
      indexes: table.indexes.map((ix) => ({ ...ix, columns: ix.columns.map(text), where: text(ix.where) })),
    })),
  }
}

/** A file (the models) with `from` replaced by `to`, failing when `from` is not in it. */
export function editFile(file: string, from: string | RegExp, to: string): void {
  const text = fs.readFileSync(file, 'utf8')
  const changed = text.replace(from, to)
  expect(changed, `${String(from)} in ${text}`).not.toBe(text)
  fs.writeFileSync(file, changed)
}
