/**
 * backfill usernames
 *
 * A data migration in three steps, as one does for a new required column: add it nullable, fill it
 * from the existing rows (SQL per database), then make it NOT NULL and unique (on SQLite one
 * copy-and-move of users, keeping every row). Also a table comment and an audit row written with
 * bulkInsert (bound parameters online, literals with --sql).
 *
 * Revision ID: f8a1c3e5b7d9
 * Revises: d3f5a7c9e1b2
 * Create Date: 2026-11-22 11:00:00.000000+00:00
 */
import type { Operations } from 'migrator'
import { integer, MetaData, timestamp, varchar } from 'migrator'

export const revision = 'f8a1c3e5b7d9'
export const downRevision: string | readonly string[] | null = 'd3f5a7c9e1b2'
export const branchLabels: string | readonly string[] | null = null
export const dependsOn: string | readonly string[] | null = null

/** `<email before the @>-<id>`, lower case: unique because of the id. */
const BACKFILL = {
  postgresql: "UPDATE users SET username = lower(split_part(email, '@', 1)) || '-' || id WHERE username IS NULL",
  mysql: "UPDATE users SET username = CONCAT(LOWER(SUBSTRING_INDEX(email, '@', 1)), '-', id) WHERE username IS NULL",
  sqlite: "UPDATE users SET username = lower(substr(email, 1, instr(email || '@', '@') - 1)) || '-' || id WHERE username IS NULL",
} as const

const username = { existingType: varchar(60), existingServerDefault: null, existingComment: null } as const

/** users as it is when SQLite rebuilds it, for --sql (online it is read from the database). */
function usersAsIs(options: { usernameRequired: boolean }) {
  const usernameColumn = varchar(60)
  return new MetaData().table('users', {
    id: integer().primaryKey(),
    email: varchar(255).notNull().unique(),
    created_at: timestamp(),
    display_name: varchar(100),
    username: options.usernameRequired ? usernameColumn.notNull().unique('uq_users_username') : usernameColumn,
  })
}

export async function upgrade(op: Operations): Promise<void> {
  await op.addColumn('users', 'username', varchar(60))
  await op.execute(BACKFILL[op.dialect])
  await op.batchAlterTable('users', (batch) => {
    batch.alterColumn('username', { nullable: false, existingNullable: true, ...username })
    batch.createUniqueConstraint('uq_users_username', ['username'])
  }, { copyFrom: op.offline ? usersAsIs({ usernameRequired: false }) : undefined })
  await op.createTableComment('users', 'People who sign in')
  await op.bulkInsert('audit_log', [{ action: 'usernames_backfilled', payload: { revision, rule: "email's local part + id" } }])
}

export async function downgrade(op: Operations): Promise<void> {
  await op.execute('DELETE FROM audit_log WHERE action = :action', { action: 'usernames_backfilled' })
  await op.dropTableComment('users', { existingComment: 'People who sign in' })
  await op.batchAlterTable('users', (batch) => {
    batch.dropConstraint('uq_users_username', { type: 'unique' })
    batch.dropColumn('username')
  }, { copyFrom: op.offline ? usersAsIs({ usernameRequired: true }) : undefined })
}
