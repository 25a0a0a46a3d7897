/**
 * add user display name
 *
 * One side of a branch: this and 'create tags' were written in parallel on top of
 * 'create posts', and are joined again by the merge revision.
 *
 * Revision ID: 8d1a6f0e3b27
 * Revises: 5b7e9d2c4a61
 * Create Date: 2026-11-21 09:10:00.000000+00:00
 */
import type { Operations } from 'migrator'

export const revision = '8d1a6f0e3b27'
export const downRevision: string | readonly string[] | null = '5b7e9d2c4a61'
export const branchLabels: string | readonly string[] | null = null
export const dependsOn: string | readonly string[] | null = null

export async function upgrade(op: Operations): Promise<void> {
  await op.execute('ALTER TABLE users ADD COLUMN display_name VARCHAR(100)')
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('ALTER TABLE users DROP COLUMN display_name')
}
