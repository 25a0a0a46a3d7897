/**
 * create tags
 *
 * The other side of the branch started at 'create posts'.
 *
 * Revision ID: c4e8b2a7f915
 * Revises: 5b7e9d2c4a61
 * Create Date: 2026-11-21 09:12:00.000000+00:00
 */
import type { Operations } from 'migrator'

export const revision = 'c4e8b2a7f915'
export const downRevision: string | readonly string[] | null = '5b7e9d2c4a61'
export const branchLabels: string | readonly string[] | null = null
export const dependsOn: string | readonly string[] | null = null

export async function upgrade(op: Operations): Promise<void> {
  await op.execute('CREATE TABLE tags (id INTEGER NOT NULL PRIMARY KEY, name VARCHAR(50) NOT NULL UNIQUE)')
  await op.execute(`
    CREATE TABLE post_tags (
      post_id INTEGER NOT NULL REFERENCES posts (id),
      tag_id INTEGER NOT NULL REFERENCES tags (id),
      PRIMARY KEY (post_id, tag_id)
    )`)
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DROP TABLE post_tags')
  await op.execute('DROP TABLE tags')
}
