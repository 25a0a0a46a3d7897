/**
 * The CLI's code cache for installed packages (src/cli/dependency-cache.ts): modules under
 * node_modules run exactly as Node runs them, the next run compiles them with V8's data, a changed
 * file is compiled afresh, and files with `import(`, or outside node_modules, are left to Node.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { installDependencyCache, type DependencyCache } from '../../src/cli/dependency-cache.js'
import { openCodeCache } from '../../src/script/code-cache.js'

const made: string[] = []
let installed: DependencyCache | undefined

afterEach(() => {
  installed?.uninstall()
  installed = undefined
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true })
})

/** A project folder with node_modules/pkg (index.js requiring helper.js) and node_modules/dyn (an `import(`). */
function project(): { dir: string; cacheDir: string; load(name: string): unknown; forget(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrator-depcache-'))
  made.push(dir)
  const pkg = path.join(dir, 'node_modules', 'pkg')
  fs.mkdirSync(pkg, { recursive: true })
  fs.writeFileSync(path.join(pkg, 'package.json'), '{ "name": "pkg", "main": "index.js" }')
  fs.writeFileSync(
    path.join(pkg, 'index.js'),
    "'use strict'\nconst helper = require('./helper')\nmodule.exports = { twice: helper.twice(21), file: __filename, dir: __dirname, resolved: require.resolve('./helper'), self: this === module.exports, parent: module.parent !== undefined, cached: require.cache[__filename] === module }\n",
  )
  fs.writeFileSync(path.join(pkg, 'helper.js'), 'exports.twice = (n) => n * 2\n')
  const dyn = path.join(dir, 'node_modules', 'dyn')
  fs.mkdirSync(dyn, { recursive: true })
  fs.writeFileSync(path.join(dyn, 'index.js'), "module.exports = { later: () => import('node:path') }\n")
  const requireHere = createRequire(path.join(dir, 'entry.js'))
  const forget = (): void => {
    for (const key of Object.keys(requireHere.cache)) if (key.startsWith(dir)) delete requireHere.cache[key]
  }
  return { dir, cacheDir: path.join(dir, 'cache'), load: (name) => requireHere(name), forget }
}

describe('the dependency code cache', () => {
  it('runs modules as Node does, then compiles them with V8 data on the next run, and afresh once changed', async () => {
    const p = project()
    const cache = openCodeCache({ MIGRATOR_CODE_CACHE_DIR: p.cacheDir })!
    installed = installDependencyCache(cache)
    const first = p.load('pkg') as Record<string, unknown>
    const pkg = path.join(p.dir, 'node_modules', 'pkg')
    expect(first).toEqual({ twice: 42, file: path.join(pkg, 'index.js'), dir: pkg, resolved: path.join(pkg, 'helper.js'), self: true, parent: true, cached: true })
    expect(installed.counts()).toEqual({ cached: 0, uncached: 2 })
    installed.save()
    installed.uninstall()

    // The next run: the same files from V8's data, the same results.
    p.forget()
    installed = installDependencyCache(cache)
    expect(p.load('pkg')).toEqual(first)
    expect(installed.counts()).toEqual({ cached: 2, uncached: 0 })
    installed.uninstall()

    // A changed file is compiled from its new text (its old data no longer matches).
    fs.writeFileSync(path.join(pkg, 'helper.js'), 'exports.twice = (n) => n * 3\n')
    p.forget()
    installed = installDependencyCache(cache)
    expect((p.load('pkg') as { twice: number }).twice).toBe(63)
    expect(installed.counts()).toEqual({ cached: 1, uncached: 1 })
  })

  it('leaves a module with a dynamic import() to Node, which can then import', async () => {
    const p = project()
    installed = installDependencyCache(openCodeCache({ MIGRATOR_CODE_CACHE_DIR: p.cacheDir })!)
    const dyn = p.load('dyn') as { later(): Promise<{ sep: string }> }
    expect((await dyn.later()).sep).toBe(path.sep)
    expect(installed.counts()).toEqual({ cached: 0, uncached: 0 })
  })
})
