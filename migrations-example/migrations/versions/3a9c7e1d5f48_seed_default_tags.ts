/**
 * seed default tags
 *
 * A data migration: values are bound parameters online and escaped literals with --sql.
 *
 * Revision ID: 3a9c7e1d5f48
 * Revises: e91f3d5a7c02
 * Create Date: 2026-11-21 09:30:00.000000+00:00
 */
import type { Operations } from 'migrator'

export const revision = '3a9c7e1d5f48'
export const downRevision: string | readonly string[] | null = 'e91f3d5a7c02'
export const branchLabels: string | readonly string[] | null = null
export const dependsOn: string | readonly string[] | null = null

const DEFAULT_TAGS = ['news', "editor's pick", 'how-to']

export async function upgrade(op: Operations): Promise<void> {
  for (const [index, name] of DEFAULT_TAGS.entries()) {
    await op.execute('INSERT INTO tags (id, name) VALUES (:id, :name)', { id: index + 1, name })
  }
}

export async function downgrade(op: Operations): Promise<void> {
  for (const name of DEFAULT_TAGS) {
    await op.execute('DELETE FROM tags WHERE name = :name', { name })
  }
}
