/**
 * merge display name and tags
 *
 * Revision ID: e91f3d5a7c02
 * Revises: 8d1a6f0e3b27, c4e8b2a7f915
 * Create Date: 2026-11-21 09:20:00.000000+00:00
 */
import type { Operations } from 'migrator'

export const revision = 'e91f3d5a7c02'
export const downRevision: string | readonly string[] | null = ['8d1a6f0e3b27', 'c4e8b2a7f915']
export const branchLabels: string | readonly string[] | null = null
export const dependsOn: string | readonly string[] | null = null

export async function upgrade(_op: Operations): Promise<void> {}

export async function downgrade(_op: Operations): Promise<void> {}
