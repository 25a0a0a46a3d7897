import { describe, expect, it } from 'vitest'
import { INTERRUPT_BUDGET, SEMI_SPACE_GROWTH, v8Flags } from '../../src/cli/v8-flags.js'

const NODE_20_V8 = '11.3.244.8-node.33'

describe('V8 flags of the executable', () => {
  it('raises the interrupt budget to four times V8’s default and grows the young generation sixteenfold', () => {
    expect(INTERRUPT_BUDGET).toBe(270_336)
    expect(SEMI_SPACE_GROWTH).toBe(16)
    const both = ['--interrupt-budget=270336', '--semi-space-growth-factor=16']
    expect(v8Flags([], undefined, NODE_20_V8)).toEqual(both)
    expect(v8Flags(['--enable-source-maps'], '--max-old-space-size=4096', NODE_20_V8)).toEqual(both)
    expect(v8Flags([], undefined, '12.4.254.21-node.33')).toEqual(both)
    expect(v8Flags([], undefined, '13.6.233.10-node.27')).toEqual(both)
  })

  it('sets the growth factor only on the V8 versions known to have it (an unknown flag prints an error line)', () => {
    expect(v8Flags([], undefined, '14.0.1')).toEqual(['--interrupt-budget=270336'])
    expect(v8Flags([], undefined, '10.2.154')).toEqual(['--interrupt-budget=270336'])
    expect(v8Flags([], undefined, 'unknown')).toEqual(['--interrupt-budget=270336'])
  })

  it('leaves what the user gave alone, on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(v8Flags(['--interrupt-budget=1000'], undefined, NODE_20_V8)).toEqual(['--semi-space-growth-factor=16'])
    expect(v8Flags([], '--require x.js --interrupt_budget=5000', NODE_20_V8)).toEqual(['--semi-space-growth-factor=16'])
    expect(v8Flags(['--semi_space_growth_factor=4'], '--interrupt-budget=1', NODE_20_V8)).toEqual([])
  })

  it('knows this Node’s V8 (the default argument)', () => {
    const major = Number(process.versions.v8.split('.')[0])
    expect(v8Flags([], undefined).includes('--semi-space-growth-factor=16')).toBe(major >= 11 && major <= 13)
  })
})
