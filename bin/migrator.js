#!/usr/bin/env node
// The migrator executable: runs the built CLI (npm run build writes dist/, one bundle: see
// scripts/bundle.mjs).
let cli
try {
  // V8 tuned for short runs first (see src/cli/v8-flags.ts), then the CLI. MIGRATOR_DEBUG=1 prints
  // stack traces: through the bundle's source map, they name the files and lines of src/.
  ;(await import('../dist/cli/v8-flags.js')).tuneV8()
  if (process.env.MIGRATOR_DEBUG && process.env.MIGRATOR_DEBUG !== '0') process.setSourceMapsEnabled(true)
  cli = await import('../dist/cli/main.js')
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
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
process.exitCode = await cli.main(process.argv.slice(2))
