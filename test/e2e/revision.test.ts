/**
 * End-to-end: `revision` with each of its flags and ini settings, post-write hooks,
 * revision_environment, `merge` and `edit`.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { makeProject, writeRevision, removeScratchDirs } from '../support/cli.js'
import { cli, expectCleanError, expectOk, list, read } from './helpers.js'

afterAll(removeScratchDirs)

/** A project that can write revisions (script.ts.tmpl present), with `ini` added to [migrator]. */
function project(ini = '', env?: string | null) {
  return makeProject('sqlite:///app.db', { ini, scriptTemplate: true, ...(env === undefined ? {} : { env }) })
}

/** Runs `revision ARGS`, expects success and returns the file it wrote (its path is the stdout). */
async function revision(dir: string, args: string[], env: Record<string, string | undefined> = {}): Promise<{ file: string; text: string; stderr: string }> {
  const result = await cli(dir, ['revision', ...args], env)
  expectOk(result)
  const file = result.stdout.trim()
  expect(result.stdout).toBe(`${file}\n`)
  expect(path.isAbsolute(file)).toBe(true)
  expect(result.stderr).toContain(`Generating ${file} ... done`)
  return { file, text: read(file), stderr: result.stderr }
}

/** The value of `export const NAME … = VALUE` in a revision file, as written. */
function constant(text: string, name: string): string | undefined {
  return new RegExp(`^export const ${name}\\b[^=]*= (.*)$`, 'm').exec(text)?.[1]
}

describe('migrator revision', () => {
  it('-m: a random 12-hex id, the slug in the file name, the message in the doc comment; the next one revises it', async () => {
    const { dir, versions } = project()
    const first = await revision(dir, ['-m', 'Create the account table!'])
    const [, id] = /([0-9a-f]{12})_create_the_account_table\.ts$/.exec(first.file) ?? []
    expect(id, first.file).toBeDefined()
    expect(path.dirname(first.file)).toBe(versions)
    expect(first.text).toMatch(/^\/\*\*\n \* Create the account table!\n \*\n/)
    expect(first.text).toContain(`Revision ID: ${id}`)
    expect(first.text).toMatch(/^ \* Revises: $/m)
    expect(first.text).toMatch(/^ \* Create Date: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}[+-]\d\d:\d\d$/m)
    expect(constant(first.text, 'revision')).toBe(`'${id}'`)
    expect(constant(first.text, 'downRevision')).toBe('null')
    expect(constant(first.text, 'branchLabels')).toBe('null')
    expect(constant(first.text, 'dependsOn')).toBe('null')
    expect(first.text).toContain('export async function upgrade(op: Operations): Promise<void>')
    expect(first.text).toContain('export async function downgrade(op: Operations): Promise<void>')

    const second = await revision(dir, ['-m', 'second', '--rev-id', 'two_2'])
    expect(path.basename(second.file)).toBe('two_2_second.ts')
    expect(constant(second.text, 'revision')).toBe("'two_2'")
    expect(constant(second.text, 'downRevision')).toBe(`'${id}'`)
    expect(second.text).toContain(`Revises: ${id}`)

    // Without -m: "empty message" and an empty slug, as Alembic.
    const third = await revision(dir, ['--rev-id', 'three'])
    expect(path.basename(third.file)).toBe('three_.ts')
    expect(third.text).toMatch(/^ \* empty message$/m)

    const heads = await cli(dir, ['heads'])
    expect(heads.stdout).toBe('three (head)\n')
  })

  it('--rev-id: rejects a used id and an invalid one, writing nothing', async () => {
    const { dir, versions } = project()
    await revision(dir, ['-m', 'one', '--rev-id', 'r1'])
    const [used, invalid, reserved] = await Promise.all([
      cli(dir, ['revision', '-m', 'again', '--rev-id', 'r1']),
      cli(dir, ['revision', '-m', 'bad', '--rev-id', 'a-b']),
      cli(dir, ['revision', '-m', 'bad', '--rev-id', 'head']),
    ])
    expectCleanError(used, 1, `Revision id 'r1' is already used by ${path.join(versions, 'r1_one.ts')}`)
    expectCleanError(invalid, 2, "Invalid revision id 'a-b'")
    expectCleanError(reserved, 2, "Invalid revision id 'head'")
    expect(list(versions)).toEqual(['r1_one.ts'])
  })

  it('--head REV: an error for a non-head without --splice, a new branch with it; then several heads make `revision` fail', async () => {
    const { dir, versions } = project()
    await revision(dir, ['-m', 'one', '--rev-id', 'r1'])
    await revision(dir, ['-m', 'two', '--rev-id', 'r2'])

    const refused = await cli(dir, ['revision', '-m', 'branch', '--rev-id', 'r3', '--head', 'r1'])
    expectCleanError(refused, 1, 'Revision r1 is not a head revision')
    expect(refused.stderr).toContain('--splice')
    expect(list(versions)).toEqual(['r1_one.ts', 'r2_two.ts'])

    const spliced = await revision(dir, ['-m', 'branch', '--rev-id', 'r3', '--head', 'r1', '--splice'])
    expect(constant(spliced.text, 'downRevision')).toBe("'r1'")
    expect((await cli(dir, ['heads'])).stdout).toBe('r2 (head)\nr3 (head)\n')

    // --head with a head works without --splice.
    const onHead = await revision(dir, ['-m', 'on two', '--rev-id', 'r4', '--head', 'r2'])
    expect(constant(onHead.text, 'downRevision')).toBe("'r2'")

    const several = await cli(dir, ['revision', '-m', 'ambiguous'])
    expectCleanError(several, 1, 'Multiple heads are present (r3, r4)')
    expect(several.stderr).toMatch(/^hint: .*--head.*migrator merge heads/m)
    expect(list(versions)).toEqual(['r1_one.ts', 'r2_two.ts', 'r3_branch.ts', 'r4_on_two.ts'])

    const unknown = await cli(dir, ['revision', '-m', 'x', '--head', 'nosuch'])
    expectCleanError(unknown, 1, "Can't locate revision identified by 'nosuch'")
  })

  it('--head base --branch-label x starts a new base; --head x@head continues it; --branch-label on a revision', async () => {
    const { dir } = project()
    await revision(dir, ['-m', 'main', '--rev-id', 'm1'])
    const base = await revision(dir, ['-m', 'new base', '--rev-id', 'x1', '--head', 'base', '--branch-label', 'x'])
    expect(constant(base.text, 'downRevision')).toBe('null')
    expect(constant(base.text, 'branchLabels')).toBe("'x'")

    const next = await revision(dir, ['-m', 'on x', '--rev-id', 'x2', '--head', 'x@head'])
    expect(constant(next.text, 'downRevision')).toBe("'x1'")

    const labelled = await revision(dir, ['-m', 'labelled', '--rev-id', 'm2', '--head', 'm1', '--branch-label', 'core'])
    expect(constant(labelled.text, 'branchLabels')).toBe("'core'")

    const heads = await cli(dir, ['heads'])
    expect(heads.stdout).toBe('m2 (core) (head)\nx2 (head)\n')
    const show = await cli(dir, ['show', 'x'])
    expect(show.stdout).toMatch(/^Rev: x1 \(x\)$/m)

    const duplicate = await cli(dir, ['revision', '-m', 'dup', '--head', 'x@head', '--branch-label', 'core'])
    expectCleanError(duplicate, 1, "Branch label 'core' is already used by revision m2")
    const bad = await cli(dir, ['revision', '-m', 'bad', '--head', 'x@head', '--branch-label', 'a b'])
    expectCleanError(bad, 2, "Invalid branch label 'a b'")
  })

  it('--depends-on: ids, prefixes and labels are stored as full ids, repeatable', async () => {
    const { dir, versions } = project()
    writeRevision(versions, { id: 'aaaa1111', message: 'a' })
    writeRevision(versions, { id: 'bbbb2222', labels: 'lib', message: 'lib' })
    writeRevision(versions, { id: 'cccc3333', down: 'aaaa1111', message: 'c' })
    const one = await revision(dir, ['-m', 'dep', '--rev-id', 'd1', '--head', 'cccc3333', '--depends-on', 'lib'])
    expect(constant(one.text, 'dependsOn')).toBe("'bbbb2222'")
    const two = await revision(dir, ['-m', 'deps', '--rev-id', 'd2', '--head', 'd1', '--depends-on', 'aaaa', '--depends-on', 'bbbb2222'])
    expect(constant(two.text, 'dependsOn')).toBe("['aaaa1111', 'bbbb2222']")
    const variadic = await revision(dir, ['-m', 'deps3', '--rev-id', 'd3', '--head', 'd2', '--depends-on', 'aaaa1111', 'lib'])
    expect(constant(variadic.text, 'dependsOn')).toBe("['aaaa1111', 'bbbb2222']")

    const heads = await cli(dir, ['heads', '--resolve-dependencies'])
    expect(heads.stdout).toBe('d3 (head) (depends on aaaa1111, bbbb2222)\n')

    const missing = await cli(dir, ['revision', '-m', 'x', '--head', 'd3', '--depends-on', 'zzz'])
    expectCleanError(missing, 1, "Can't locate revision identified by 'zzz'")
  })

  it('--version-path picks one of version_locations; required when there are several; else an error', async () => {
    const { dir, versions } = project(
      'version_locations = %(here)s/migrations/versions %(here)s/extra\nversion_path_separator = space\n',
    )
    const extra = path.join(dir, 'extra')
    const none = await cli(dir, ['revision', '-m', 'one', '--rev-id', 'a1'])
    expectCleanError(none, 2, 'Several version locations are configured')
    expect(none.stderr).toContain(`--version-path with one of: ${versions}, ${extra}`)

    const main = await revision(dir, ['-m', 'one', '--rev-id', 'a1', '--version-path', 'migrations/versions'])
    expect(main.file).toBe(path.join(versions, 'a1_one.ts'))
    const side = await revision(dir, ['-m', 'side', '--rev-id', 'b1', '--head', 'base', '--branch-label', 'side', '--version-path', extra])
    expect(side.file).toBe(path.join(extra, 'b1_side.ts'))
    // With a head to follow, the head's folder is used.
    const follow = await revision(dir, ['-m', 'side two', '--rev-id', 'b2', '--head', 'side@head'])
    expect(follow.file).toBe(path.join(extra, 'b2_side_two.ts'))

    const elsewhere = await cli(dir, ['revision', '-m', 'x', '--head', 'a1', '--version-path', 'nowhere'])
    expectCleanError(elsewhere, 2, `--version-path ${path.join(dir, 'nowhere')} is not one of the version locations`)
    // Graph commands read every location.
    expect((await cli(dir, ['heads'])).stdout).toBe('a1 (head)\nb2 (head)\n')
  })

  it('file_template with date tokens uses timezone = UTC, also for the Create Date; truncate_slug_length cuts the slug', async () => {
    const { dir, versions } = project(
      [
        'file_template = %%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d%%(second).2d-%%(rev)s_%%(slug)s',
        'timezone = UTC',
        'truncate_slug_length = 10',
      ].join('\n'),
    )
    const before = Date.now()
    // A local time zone far from UTC: the file name must still carry the UTC time.
    const created = await revision(dir, ['-m', 'Add the users table with many words', '--rev-id', 'abc'], { TZ: 'Pacific/Kiritimati' })
    const after = Date.now()
    const name = path.basename(created.file)
    const match = /^(\d{4})_(\d\d)_(\d\d)_(\d\d)(\d\d)(\d\d)-abc_add_the_\.ts$/.exec(name)
    expect(match, name).not.toBeNull()
    const [, y, mo, d, h, mi, s] = match!.map(Number)
    const stamp = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)
    expect(stamp).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000)
    expect(stamp).toBeLessThanOrEqual(after)
    const pad = (n: number) => String(n).padStart(2, '0')
    expect(created.text).toContain(`Create Date: ${y}-${pad(mo!)}-${pad(d!)} ${pad(h!)}:${pad(mi!)}:${pad(s!)}.`)
    expect(created.text).toMatch(/Create Date: .*\+00:00$/m)
    expect(list(versions)).toEqual([name])

    const epoch = project("file_template = %%(epoch)s_%%(rev)s\ntruncate_slug_length = 3")
    const withEpoch = await revision(epoch.dir, ['-m', 'ignored slug', '--rev-id', 'e1'])
    const [, seconds] = /^(\d+)_e1\.ts$/.exec(path.basename(withEpoch.file)) ?? []
    expect(Math.abs(Number(seconds) - Math.floor(after / 1000))).toBeLessThanOrEqual(2)

    const broken = project('file_template = %%(nope)s')
    const failed = await cli(broken.dir, ['revision', '-m', 'x'])
    expectCleanError(failed, 2, 'unknown token %(nope)')
    expect(list(broken.versions)).toEqual([])
  })

  it('post_write_hooks run on the new file; a failing hook exits 1 and the file stays', async () => {
    const hook = [
      'post_write_hooks = stamp',
      '',
      '[post_write_hooks]',
      'stamp.type = exec',
      'stamp.executable = sh',
      // `%%` is a literal `%` in the ini.
      `stamp.options = -c "printf '// stamped by the hook %%s\\n' \\"$1\\" >> \\"$1\\"" hook REVISION_SCRIPT_FILENAME`,
    ].join('\n')
    const { dir } = project(hook)
    const created = await revision(dir, ['-m', 'hooked', '--rev-id', 'h1'])
    expect(created.text.trimEnd().split('\n').at(-1)).toBe(`// stamped by the hook ${created.file}`)
    expect(created.stderr).toContain('Running post write hook "stamp"')
    // The hooked file is still a valid revision.
    expect((await cli(dir, ['heads'])).stdout).toBe('h1 (head)\n')

    const failing = project(['[post_write_hooks]', 'hooks = bad', 'bad.type = exec', 'bad.executable = sh', 'bad.options = -c "exit 3"'].join('\n'))
    const result = await cli(failing.dir, ['revision', '-m', 'fails', '--rev-id', 'f1'])
    const file = path.join(failing.versions, 'f1_fails.ts')
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('error: post write hook "bad" exited with status 3')
    expect(result.stderr).toContain(`hint: the revision was written to ${file}`)
    expect(result.stdout).toBe('')
    expect(list(failing.versions)).toEqual(['f1_fails.ts'])
    expect(read(file)).toContain("export const revision = 'f1'")

    const missing = project(['[post_write_hooks]', 'hooks = gone', 'gone.type = exec', 'gone.executable = /nonexistent/formatter'].join('\n'))
    const notRun = await cli(missing.dir, ['revision', '-m', 'x', '--rev-id', 'g1'])
    expect(notRun.code).toBe(1)
    expect(notRun.stderr).toContain('error: post write hook "gone" could not run /nonexistent/formatter')
    expect(list(missing.versions)).toEqual(['g1_x.ts'])

    // A misconfigured hook is a configuration error found before any file is written.
    const misconfigured = project(['[post_write_hooks]', 'hooks = odd', 'odd.type = console_scripts', 'odd.entrypoint = black'].join('\n'))
    const refused = await cli(misconfigured.dir, ['revision', '-m', 'x', '--rev-id', 'o1'])
    expectCleanError(refused, 2, "Post-write hook 'odd' has type 'console_scripts'; only 'exec' is supported")
    expect(list(misconfigured.versions)).toEqual([])
  })

  it('revision_environment = true loads env.ts (a throwing env.ts fails `revision`); by default it is not loaded', async () => {
    const throwing = "import { defineEnv } from 'migrator'\nthrow new Error('env exploded')\nexport default defineEnv({})\n"
    const off = project('', throwing)
    await revision(off.dir, ['-m', 'fine', '--rev-id', 'a1'])

    const on = project('revision_environment = true', throwing)
    const failed = await cli(on.dir, ['revision', '-m', 'boom', '--rev-id', 'a1'])
    expectCleanError(failed, 1, `${path.join(on.dir, 'migrations', 'env.ts')} failed while loading: env exploded`)
    expect(list(on.versions)).toEqual([])

    const marker = path.join(on.dir, 'env-loaded.txt')
    const working = project(
      'revision_environment = true',
      `import fs from 'node:fs'\nimport { defineEnv } from 'migrator'\nfs.writeFileSync(${JSON.stringify(marker)}, 'yes')\nexport default defineEnv({})\n`,
    )
    await revision(working.dir, ['-m', 'ok', '--rev-id', 'a1'])
    expect(read(marker)).toBe('yes')

    const bad = project('revision_environment = maybe')
    expectCleanError(await cli(bad.dir, ['revision', '-m', 'x']), 2, "The key 'revision_environment' in [migrator] of migrator.ini must be a boolean, not 'maybe'")
  })
})

describe('migrator merge', () => {
  it('merging two heads writes a revision whose downRevision is both; a single head is an error', async () => {
    const { dir, versions } = project()
    writeRevision(versions, { id: 'base1', message: 'base' })
    writeRevision(versions, { id: 'left1', down: 'base1', message: 'left' })
    writeRevision(versions, { id: 'right1', down: 'base1', message: 'right', ext: 'js' })

    const single = await cli(dir, ['merge', 'left1'])
    expectCleanError(single, 1, 'Nothing to merge: left1 is the single revision left1')
    const notHead = await cli(dir, ['merge', 'base1', 'left1'])
    expectCleanError(notHead, 1, 'Revision base1 is not a head revision')
    expect(list(versions)).toHaveLength(3)

    const result = await cli(dir, ['merge', 'left1', 'right1', '-m', 'merge both', '--rev-id', 'mrg1'])
    expectOk(result)
    const file = path.join(versions, 'mrg1_merge_both.ts')
    expect(result.stdout).toBe(`${file}\n`)
    const text = read(file)
    expect(constant(text, 'downRevision')).toBe("['left1', 'right1']")
    expect(text).toContain('Revises: left1, right1')
    expect((await cli(dir, ['heads'])).stdout).toBe('mrg1 (head)\n')
    expect((await cli(dir, ['history', '-r', 'mrg1:'])).stdout).toBe('left1, right1 -> mrg1 (head) (mergepoint), merge both\n')

    // Now there is one head: `merge heads` has nothing to merge.
    expectCleanError(await cli(dir, ['merge', 'heads']), 1, 'Nothing to merge')
  })

  it('`merge heads` merges every head, with --branch-label', async () => {
    const { dir, versions } = project()
    writeRevision(versions, { id: 'a1', message: 'a' })
    writeRevision(versions, { id: 'b1', message: 'b' })
    writeRevision(versions, { id: 'c1', message: 'c' })
    const result = await cli(dir, ['--json', 'merge', 'heads', '--rev-id', 'all', '--branch-label', 'joined'])
    expectOk(result)
    const file = path.join(versions, 'all_.ts')
    expect(JSON.parse(result.stdout)).toEqual({ path: file, revision: 'all' })
    expect(constant(read(file), 'downRevision')).toBe("['a1', 'b1', 'c1']")
    expect(constant(read(file), 'branchLabels')).toBe("'joined'")
  })
})

describe('migrator edit', () => {
  /** An EDITOR that records its argument into a file instead of opening it. */
  function recordingEditor(dir: string): { editor: string; received: string } {
    const editor = path.join(dir, 'fake-editor.sh')
    const received = path.join(dir, 'received.txt')
    fs.writeFileSync(editor, `#!/bin/sh\nprintf '%s' "$1" > ${JSON.stringify(received)}\n`, { mode: 0o755 })
    return { editor, received }
  }

  it('opens the revision file (id, prefix, label@head) in $EDITOR; $VISUAL wins', async () => {
    const { dir, versions } = project()
    const a = writeRevision(versions, { id: 'abc123', message: 'first' })
    const b = writeRevision(versions, { id: 'def456', down: 'abc123', labels: 'main', message: 'second', ext: 'mjs' })
    const { editor, received } = recordingEditor(dir)

    expectOk(await cli(dir, ['edit', 'abc123'], { EDITOR: editor }))
    expect(read(received)).toBe(a)
    expectOk(await cli(dir, ['edit', 'def'], { EDITOR: editor }))
    expect(read(received)).toBe(b)
    expectOk(await cli(dir, ['edit', 'main@head'], { EDITOR: 'false', VISUAL: editor }))
    expect(read(received)).toBe(b)
    expectOk(await cli(dir, ['edit', 'head'], { EDITOR: `sh ${editor}` }))
    expect(read(received)).toBe(b)
  })

  it('paths with spaces reach the editor as one argument, and EDITOR may be quoted', async () => {
    const { dir } = project()
    const scripts = path.join(dir, 'my migrations')
    fs.writeFileSync(path.join(dir, 'migrator.ini'), '[migrator]\nscript_location = %(here)s/my migrations\n')
    const file = writeRevision(path.join(scripts, 'versions'), { id: 'sp1', message: 'spaced' })
    const editorDir = path.join(dir, 'an editor')
    fs.mkdirSync(editorDir)
    const { editor, received } = recordingEditor(editorDir)
    expectOk(await cli(dir, ['edit', 'sp1'], { EDITOR: `'${editor}'` }))
    expect(read(received)).toBe(file)
  })

  it('without EDITOR or VISUAL: exit 1 with a hint naming the file; a failing editor: exit 1', async () => {
    const { dir, versions } = project()
    const file = writeRevision(versions, { id: 'abc123', message: 'first' })
    const none = await cli(dir, ['edit', 'abc123'])
    expectCleanError(none, 1, 'no editor set')
    expect(none.stderr).toContain(`hint: set $EDITOR`)
    expect(none.stderr).toContain(file)

    const failing = await cli(dir, ['edit', 'abc123'], { EDITOR: 'false' })
    expect(failing.code).toBe(1)
    expect(failing.stderr).toMatch(/^error: the editor "false" exited with status 1$/m)
    expectCleanError(await cli(dir, ['edit', 'nope'], { EDITOR: 'true' }), 1, "Can't locate revision identified by 'nope'")
  })
})
