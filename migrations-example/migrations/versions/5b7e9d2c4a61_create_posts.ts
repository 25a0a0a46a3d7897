/**
 * create posts
 *
 * Revision ID: 5b7e9d2c4a61
 * Revises: 0f3c2a1b9d10
 * Create Date: 2026-11-21 09:05:00.000000+00:00
 */
import type { Operations } from 'migrator'

export const revision = '5b7e9d2c4a61'
export const downRevision: string | readonly string[] | null = '0f3c2a1b9d10'
export const branchLabels: string | readonly string[] | null = null
export const dependsOn: string | readonly string[] | null = null

export async function upgrade(op: Operations): Promise<void> {
  await op.execute(`
    CREATE TABLE posts (
      id INTEGER NOT NULL PRIMARY KEY,
      user_id INTEGER NOT NULL REFERENCES users (id),
      title VARCHAR(200) NOT NULL
    )`)
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DROP TABLE posts')
}
