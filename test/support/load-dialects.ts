/**
 * vitest setup: all three dialects loaded before any test, as a command loads the one it connects
 * to. Autogenerate's comparison and rendering use a loaded dialect (`loadedDialect`), and unit
 * tests call them with any dialect's name without connecting.
 */
import { getDialect } from '../../src/dialects/index.js'

for (const name of ['postgresql', 'mysql', 'sqlite'] as const) getDialect(name)
