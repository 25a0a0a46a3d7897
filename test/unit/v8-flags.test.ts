import { describe, expect, it } from 'vitest'
import { INTERRUPT_BUDGET, v8Flags } from '../../src/cli/v8-flags.js'

describe('V8 flags of the executable', () => {
  it('raises the interrupt budget to four times V8’s default', () => {
    expect(INTERRUPT_BUDGET).toBe(270_336)
    expect(v8Flags([], undefined)).toEqual(['--interrupt-budget=270336'])
    expect(v8Flags(['--enable-source-maps'], '--max-old-space-size=4096')).toEqual(['--interrupt-budget=270336'])
  })

  it('leaves a budget the user gave alone, on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(v8Flags(['--interrupt-budget=1000'], undefined)).toEqual([])
    expect(v8Flags([], '--require x.js --interrupt_budget=5000')).toEqual([])
  })
})
