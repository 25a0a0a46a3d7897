/**
 * The autogenerate commands' pure parts: what a target metadata value may be (`metadataOf`), and
 * `--json` output of values JSON cannot hold (bigint defaults).
 */
import { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { TerminalReporter } from '../../src/cli/reporter.js'
import { metadataOf } from '../../src/commands/autogenerate.js'
import { MigratorError } from '../../src/errors.js'
import { enumType, integer, MetaData } from '../../src/schema/index.js'

function models(): MetaData {
  const metadata = new MetaData()
  metadata.table('t', { id: integer().primaryKey() })
  return metadata
}

describe('metadataOf', () => {
  it('takes a MetaData, an array of them, or a module namespace', () => {
    const a = models()
    const b = models()
    expect(metadataOf(a, 'x').metadata).toEqual([a])
    expect(metadataOf([a, b], 'x').metadata).toEqual([a, b])
    // A namespace: its `metadata` export first, else the default export, else every MetaData it exports.
    expect(metadataOf({ metadata: a, other: b }, 'x').metadata).toEqual([a])
    expect(metadataOf({ default: b, other: a }, 'x').metadata).toEqual([b])
    expect(metadataOf({ one: a, two: b, again: a }, 'x').metadata).toEqual([a, b])
  })

  it('keeps the enum types a namespace exports', () => {
    const mood = enumType('mood', ['ok', 'meh'])
    expect(metadataOf({ metadata: models(), mood, notAType: 3 }, 'x').enums).toEqual([{ kind: 'enum', name: 'mood', values: ['ok', 'meh'] }])
  })

  it('refuses anything else with a configuration error (exit 2) naming where it came from', () => {
    for (const [value, what] of [
      [undefined, 'undefined'],
      [{ users: 1 }, 'a module or object exporting no MetaData (exports: users)'],
      [[models(), 'x'], 'an array whose item 1 is a string'],
      [[], 'an empty array'],
      [42, 'a number'],
    ] as const) {
      try {
        metadataOf(value, 'targetMetadata in env.ts')
        expect.unreachable()
      } catch (error) {
        expect(error).toBeInstanceOf(MigratorError)
        expect((error as MigratorError).exitCode).toBe(2)
        expect((error as MigratorError).message).toBe(`targetMetadata in env.ts is ${what}, not a MetaData`)
      }
    }
  })
})

describe('--json output', () => {
  it('writes a bigint as its decimal string (JSON.stringify alone throws)', () => {
    let out = ''
    const stdout = new Writable({ write: (chunk, _encoding, done) => ((out += String(chunk)), done()) })
    const reporter = new TerminalReporter({ json: true, quiet: false, color: false, stdout, stderr: stdout })
    reporter.data({ differences: [{ default: 9007199254740993n }] })
    expect(JSON.parse(out)).toEqual({ differences: [{ default: '9007199254740993' }] })
  })
})
