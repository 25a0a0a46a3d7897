import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { REVISION_SCRIPT_FILENAME, type PostWriteHook } from '../config/config.js'
import { CommandError } from '../errors.js'

/** Runs each hook on a freshly written revision file, in order; a failing hook fails the command. */
export async function runPostWriteHooks(
  hooks: readonly PostWriteHook[],
  file: string,
  log: (line: string) => void,
): Promise<void> {
  for (const hook of hooks) {
    const args = hook.args.map((arg) => arg.replaceAll(REVISION_SCRIPT_FILENAME, file))
    log(`Running post write hook "${hook.name}" ... ${path.basename(hook.executable)} ${args.join(' ')}`)
    const result = spawnSync(hook.executable, args, { stdio: ['ignore', 2, 2], cwd: hook.cwd })
    if (result.error) {
      throw new CommandError('post_write_hook', `post write hook "${hook.name}" could not run ${hook.executable}: ${result.error.message}`, {
        hint: `check ${hook.name}.executable in [post_write_hooks]; the revision was written to ${file}`,
      })
    }
    if (result.status !== 0) {
      throw new CommandError('post_write_hook', `post write hook "${hook.name}" exited with status ${result.status}`, {
        hint: `the revision was written to ${file}; fix the hook or the file and go on`,
      })
    }
  }
}
