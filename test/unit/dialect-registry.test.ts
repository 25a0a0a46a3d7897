import { describe, expect, it, vi } from 'vitest'

describe('dialect registry', () => {
  it('loadedDialect gives the instance loadDialect made, and refuses a dialect never loaded', async () => {
    // A fresh registry: the setup file loaded all three into the shared one.
    vi.resetModules()
    const registry = await import('../../src/dialects/registry.js')
    expect(() => registry.loadedDialect('mysql')).toThrow(/mysql dialect is used before it was loaded/)
    const sqlite = await registry.loadDialect('sqlite')
    expect(registry.loadedDialect('sqlite')).toBe(sqlite)
    expect(await registry.loadDialect('sqlite')).toBe(sqlite)
    expect(() => registry.loadedDialect('postgresql')).toThrow(/postgresql dialect/)
  })
})
