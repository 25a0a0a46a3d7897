/**
 * organizations and categories
 *
 * Tables with constraints, built with the operations: an identity primary key, a unique slug,
 * enum columns (named types on PostgreSQL), a JSON column, server defaults, a composite primary
 * key, foreign keys with ON DELETE actions, a self-referencing foreign key, a check, comments.
 * Then a data migration seeds two categories, the second one pointing at the first.
 *
 * Revision ID: b7d2e4f6a810
 * Revises: 3a9c7e1d5f48
 * Create Date: 2026-11-22 10:00:00.000000+00:00
 */
import type { Operations } from 'migrator'
import { boolean, char, check, enumType, index, integer, json, smallint, sql, timestamp, unique, varchar } from 'migrator'

export const revision = 'b7d2e4f6a810'
export const downRevision: string | readonly string[] | null = '3a9c7e1d5f48'
export const branchLabels: string | readonly string[] | null = null
export const dependsOn: string | readonly string[] | null = null

const memberRole = enumType('member_role', ['owner', 'admin', 'member'])

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable(
    'organizations',
    {
      id: integer().primaryKey().autoincrement(),
      name: varchar(100).notNull(),
      slug: varchar(60).notNull().unique('uq_organizations_slug'),
      plan: enumType('org_plan', ['free', 'pro', 'enterprise']).notNull().default('free'),
      settings: json(),
      created_at: timestamp({ timezone: true }).notNull().default(sql`CURRENT_TIMESTAMP`),
    },
    { checks: [check('ck_organizations_slug', sql`slug <> ''`)], comment: 'Customer organisations' },
  )
  await op.createTable(
    'memberships',
    {
      org_id: integer().references('organizations.id', { name: 'fk_memberships_org_id_organizations', onDelete: 'cascade' }),
      user_id: integer().references('users.id', { name: 'fk_memberships_user_id_users', onDelete: 'cascade' }),
      role: memberRole.notNull().default('member'),
      joined_at: timestamp().notNull().default(sql`CURRENT_TIMESTAMP`),
    },
    { primaryKey: { name: 'pk_memberships', columns: ['org_id', 'user_id'] }, indexes: [index('ix_memberships_user_id').on('user_id')] },
  )
  await op.createTable(
    'invitations',
    {
      id: integer().primaryKey().autoincrement(),
      org_id: integer().notNull().references('organizations.id', { name: 'fk_invitations_org_id_organizations', onDelete: 'cascade' }),
      email: varchar(255).notNull(),
      token: char(32).notNull().unique('uq_invitations_token'),
      role: memberRole.notNull().default('member'),
      expires_at: timestamp().notNull(),
      accepted: boolean().notNull().default(false),
    },
    { uniques: [unique('uq_invitations_org_email').on('org_id', 'email')] },
  )
  await op.createTable(
    'categories',
    {
      id: integer().primaryKey().autoincrement(),
      parent_id: integer().references('categories.id', { name: 'fk_categories_parent_id_categories', onDelete: 'set null' }),
      name: varchar(80).notNull(),
      slug: varchar(80).notNull(),
      position: smallint().notNull().default(0),
    },
    { uniques: [unique('uq_categories_parent_slug').on('parent_id', 'slug')] },
  )

  // Data: ids come from the database, so the child finds its parent by slug.
  await op.bulkInsert('categories', [{ name: 'General', slug: 'general' }])
  await op.execute(
    'INSERT INTO categories (parent_id, name, slug, position) SELECT id, :name, :slug, 1 FROM categories WHERE slug = :parent',
    { name: "Editor's notes", slug: 'editors-notes', parent: 'general' },
  )
}

export async function downgrade(op: Operations): Promise<void> {
  // Children first. On PostgreSQL each dropTable also drops the enum types no other table uses.
  await op.dropTable('categories')
  await op.dropTable('invitations')
  await op.dropTable('memberships')
  await op.dropTable('organizations')
}
