import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll } from 'vitest'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const BIN = path.join(REPO_ROOT, 'bin', 'migrator.js')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `bin/migrator` (the built CLI) as a child process, like a user would. */
export function runCli(
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string | undefined>; input?: string } = { cwd: REPO_ROOT },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', MIGRATOR_DATABASE_URL: undefined, MIGRATOR_CONFIG: undefined }
    for (const [key, value] of Object.entries(options.env ?? {})) env[key] = value
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: env as NodeJS.ProcessEnv })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(options.input ?? '')
  })
}

export interface RevisionSpec {
  id: string
  down?: string | readonly string[] | null
  labels?: string | readonly string[] | null
  dependsOn?: string | readonly string[] | null
  message?: string
  /** Body of upgrade(op); default: nothing. */
  up?: string
  /** Body of downgrade(op); default: nothing. */
  down_?: string
  transactional?: boolean
  /** File extension: ts (default), js or mjs. */
  ext?: 'ts' | 'js' | 'mjs'
}

const literal = (value: string | readonly string[] | null | undefined): string =>
  value === undefined || value === null ? 'null' : typeof value === 'string' ? `'${value}'` : `[${value.map((v) => `'${v}'`).join(', ')}]`

/** Writes a revision file by hand, as a user would. */
export function writeRevision(versionsDir: string, spec: RevisionSpec): string {
  const ext = spec.ext ?? 'ts'
  const typed = ext === 'ts'
  const opType = typed ? ': Operations' : ''
  const ret = typed ? ': Promise<void>' : ''
  const lines = [
    '/**',
    ` * ${spec.message ?? `revision ${spec.id}`}`,
    ' *',
    ` * Revision ID: ${spec.id}`,
    ' */',
    typed ? "import type { Operations } from 'migrator'" : '',
    '',
    `export const revision = '${spec.id}'`,
    `export const downRevision = ${literal(spec.down)}`,
    `export const branchLabels = ${literal(spec.labels)}`,
    `export const dependsOn = ${literal(spec.dependsOn)}`,
    spec.transactional === false ? 'export const transactional = false' : '',
    '',
    `export async function upgrade(op${opType})${ret} {`,
    `  ${spec.up ?? ''}`,
    '}',
    '',
    `export async function downgrade(op${opType})${ret} {`,
    `  ${spec.down_ ?? ''}`,
    '}',
    '',
  ]
  fs.mkdirSync(versionsDir, { recursive: true })
  const file = path.join(versionsDir, `${spec.id}_${(spec.message ?? 'rev').replace(/\W+/g, '_')}.${ext}`)
  fs.writeFileSync(file, lines.join('\n'))
  return file
}

const scratchDirs: string[] = []

/** A new empty folder under the OS temp folder (outside the repository: no local install of migrator). */
export function makeScratchDir(prefix = 'migrator-e2e-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  scratchDirs.push(dir)
  return dir
}

/** Deletes the folders made by makeScratchDir and makeProject so far (call it from afterAll). */
export function removeScratchDirs(): void {
  for (const dir of scratchDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
}
// And after every test file importing this module, whether it calls it or not.
afterAll(removeScratchDirs)

/**
 * A scratch project: migrator.ini pointing at `url`, migrations/env.ts, migrations/versions/.
 * `ini` is appended to the `[migrator]` section (it may open further sections); `env: null` writes
 * no env.ts; `scriptTemplate` copies the generic template's script.ts.tmpl (needed by `revision`).
 */
export function makeProject(
  url: string,
  options: { ini?: string; env?: string | null; scriptTemplate?: boolean } = {},
): { dir: string; versions: string } {
  const dir = makeScratchDir()
  const versions = path.join(dir, 'migrations', 'versions')
  fs.mkdirSync(versions, { recursive: true })
  fs.writeFileSync(
    path.join(dir, 'migrator.ini'),
    `[migrator]\nscript_location = %(here)s/migrations\ndatabase_url = ${url.replaceAll('%', '%%')}\n${options.ini ?? ''}\n`,
  )
  if (options.env !== null) {
    fs.writeFileSync(
      path.join(dir, 'migrations', 'env.ts'),
      options.env ?? "import { defineEnv } from 'migrator'\n\nexport default defineEnv({})\n",
    )
  }
  if (options.scriptTemplate) {
    fs.copyFileSync(path.join(REPO_ROOT, 'templates', 'generic', 'script.ts.tmpl'), path.join(dir, 'migrations', 'script.ts.tmpl'))
  }
  return { dir, versions }
}
