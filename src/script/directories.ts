/**
 * Creating folders the user names (version locations, `init`'s folder) or that migrator keeps (the
 * code cache).
 */
import { mkdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { CommandError } from '../errors.js'

/**
 * `mkdir -p`: `dir` and the missing folders above it, created one by one, top down. Not
 * `mkdirSync(dir, { recursive: true })`: on Node 20 it loops for ever, at full CPU, where a folder
 * above exists but answers ENOENT for a child (under /proc).
 * @throws as `mkdirSync` does, for the first folder that cannot be created
 */
export function makeDirectories(dir: string, mode?: number): void {
  const missing: string[] = []
  for (let current = path.resolve(dir); ; ) {
    try {
      statSync(current)
      break
    } catch {
      missing.push(current)
    }
    const parent = path.dirname(current)
    if (parent === current) break
    current = parent
  }
  for (const folder of missing.reverse()) mkdirSync(folder, mode === undefined ? {} : { mode })
}

/**
 * `makeDirectories(dir)` for a folder the user named: failing, one error line naming the folder
 * and why, with `hint` (where the folder comes from).
 * @throws CommandError `code`
 */
export function createFolder(dir: string, code: string, hint: string): void {
  try {
    makeDirectories(dir)
  } catch (err) {
    throw new CommandError(code, `Cannot create the folder ${dir}: ${(err as Error).message}`, { hint, cause: err })
  }
}
