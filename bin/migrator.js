#!/usr/bin/env node
// The migrator executable: runs the built CLI (npm run build writes dist/: one bundle, see
// scripts/bundle.mjs). src/cli/boot.ts first tunes V8 for short runs, then loads the bundle with
// V8's code cache of it (MIGRATOR_DEBUG=1: without, and with stack traces naming src/ files).
// CommonJS (bin/package.json), as the bundle and boot are: an ES module here would start Node's
// ES module loader on every command (~7 ms), for nothing.
'use strict'
const path = require('node:path')

let loaded
try {
  const boot = require('../dist/cli/boot.cjs')
  boot.tuneV8()
  loaded = boot.loadCli(path.join(__dirname, '..', 'dist', 'lib', 'migrator.cjs'))
} catch (error) {
  const missing = error && (error.code === 'ENOENT' || error.code === 'MODULE_NOT_FOUND')
  if (missing && String(error.message).includes('dist')) {
    process.stderr.write('error: migrator is not built\nhint: run `npm run build` in the migrator package\n')
    process.exit(2)
  }
  throw error
}
// A closed pipe (`migrator history | head`) ends the output, not the program with a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0)
    throw error
  })
}
loaded.cli.main(process.argv.slice(2)).then((code) => {
  process.exitCode = code
  loaded.saveCodeCache()
})
