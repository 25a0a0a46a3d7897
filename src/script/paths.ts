/**
 * Locations inside the migrator package itself, valid whether the code runs from
 * `src/` (vitest, via Vite) or from the compiled `dist/`.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

let cachedRoot: string | undefined

/**
 * The package root: the nearest folder above this module holding a `templates/` folder
 * and a `package.json` (`src/script/` and `dist/script/` are both two levels down).
 */
export function packageRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot
  const start = path.dirname(fileURLToPath(import.meta.url))
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'templates'))) return (cachedRoot = dir)
    if (path.dirname(dir) === dir) break
  }
  return (cachedRoot = path.resolve(start, '..', '..'))
}

/** The folder holding the project templates (`generic`, `multidb`) that `init` copies. */
export function templatesDirectory(): string {
  return path.join(packageRoot(), 'templates')
}
