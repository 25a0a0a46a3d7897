/**
 * create users
 *
 * Revision ID: 0f3c2a1b9d10
 * Revises:
 * Create Date: 2026-11-21 09:00:00.000000+00:00
 */
import type { Operations } from 'migrator'

export const revision = '0f3c2a1b9d10'
export const downRevision: string | readonly string[] | null = null
export const branchLabels: string | readonly string[] | null = null
export const dependsOn: string | readonly string[] | null = null

export async function upgrade(op: Operations): Promise<void> {
  // Hand-written SQL is the database's own: MySQL's TIMESTAMP is a different type (UTC-converted,
  // 1970–2038) from the DATETIME that `timestamp()` in models.ts means there.
  const timestamp = op.dialect === 'mysql' ? 'DATETIME' : 'TIMESTAMP'
  await op.execute(`
    CREATE TABLE users (
      id INTEGER NOT NULL PRIMARY KEY,
      email VARCHAR(255) NOT NULL UNIQUE,
      created_at ${timestamp}
    )`)
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DROP TABLE users')
}
