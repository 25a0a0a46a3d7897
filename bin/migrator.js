#!/usr/bin/env node
// The migrator executable: runs the built CLI (npm run build writes dist/: one bundle, see
// scripts/bundle.mjs). src/cli/boot.ts first tunes V8 for short runs, then loads the bundle with
// V8's code cache of it (MIGRATOR_DEBUG=1: without, and with stack traces naming src/ files).
import { fileURLToPath } from 'node:url'

let boot
let loaded
try {
  boot = await import('../dist/cli/boot.js')
  boot.tuneV8()
  loaded = boot.loadCli(fileURLToPath(new URL('../dist/lib/migrator.cjs', import.meta.url)))
} catch (error) {
  const missing = error && (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'ENOENT' || error.code === 'MODULE_NOT_FOUND')
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
process.exitCode = await loaded.cli.main(process.argv.slice(2))
loaded.saveCodeCache()
