/**
 * comments, reactions and publishing
 *
 * More tables (a self-referencing foreign key, a composite primary key, a uuid key, a check), then
 * changes to an existing table: columns added (an enum with a default, a foreign key), a column
 * type widened (MySQL restates the column from the existing* hints; SQLite rebuilds the table by
 * copy-and-move and keeps its rows) and an index.
 *
 * Revision ID: d3f5a7c9e1b2
 * Revises: b7d2e4f6a810
 * Create Date: 2026-11-22 10:30:00.000000+00:00
 */
import type { Operations } from 'migrator'
import { bigint, binary, check, enumType, index, integer, json, MetaData, sql, text, timestamp, uuid, varchar, type Column } from 'migrator'

export const revision = 'd3f5a7c9e1b2'
export const downRevision: string | readonly string[] | null = 'b7d2e4f6a810'
export const branchLabels: string | readonly string[] | null = null
export const dependsOn: string | readonly string[] | null = null

const now = sql`CURRENT_TIMESTAMP`

/** posts.title as it was (MySQL needs the whole column to change it). */
const titleBefore = { existingType: varchar(200), existingNullable: false, existingServerDefault: null, existingComment: null } as const

/**
 * posts as it is when SQLite rebuilds it. Online the table is read from the database; with --sql
 * there is no database, so the copy-and-move takes its definition from here (`copyFrom`).
 */
function postsAsIs(title: Column) {
  return new MetaData().table('posts', {
    id: integer().primaryKey(),
    user_id: integer().notNull().references('users.id'),
    title: title.notNull(),
    status: enumType('post_status', ['draft', 'published', 'archived']).notNull().default('draft'),
    published_at: timestamp(),
    category_id: integer().references('categories.id', { name: 'fk_posts_category_id_categories', onDelete: 'set null' }),
  })
}

export async function upgrade(op: Operations): Promise<void> {
  await op.createTable(
    'comments',
    {
      id: integer().primaryKey().autoincrement(),
      post_id: integer().notNull().references('posts.id', { name: 'fk_comments_post_id_posts', onDelete: 'cascade' }),
      author_id: integer().references('users.id', { name: 'fk_comments_author_id_users', onDelete: 'set null' }),
      parent_id: integer().references('comments.id', { name: 'fk_comments_parent_id_comments', onDelete: 'cascade' }),
      body: text().notNull(),
      created_at: timestamp().notNull().default(now),
    },
    { checks: [check('ck_comments_body', sql`body <> ''`)], indexes: [index('ix_comments_post_created').on('post_id', 'created_at')] },
  )
  await op.createTable(
    'reactions',
    {
      post_id: integer().references('posts.id', { name: 'fk_reactions_post_id_posts', onDelete: 'cascade' }),
      user_id: integer().references('users.id', { name: 'fk_reactions_user_id_users', onDelete: 'cascade' }),
      kind: enumType('reaction_kind', ['like', 'love', 'laugh']),
      created_at: timestamp().notNull().default(now),
    },
    { primaryKey: ['post_id', 'user_id', 'kind'] },
  )
  await op.createTable(
    'attachments',
    {
      id: uuid().primaryKey(),
      post_id: integer().notNull().references('posts.id', { name: 'fk_attachments_post_id_posts', onDelete: 'cascade' }),
      filename: varchar(255).notNull(),
      content_type: varchar(100).notNull().default('application/octet-stream'),
      size_bytes: bigint().notNull(),
      data: binary(),
    },
    { checks: [check('ck_attachments_size', sql`size_bytes >= 0`)], comment: 'Files attached to posts' },
  )
  await op.createTable(
    'audit_log',
    {
      id: bigint().primaryKey().autoincrement(),
      actor_id: integer().references('users.id', { name: 'fk_audit_log_actor_id_users', onDelete: 'set null' }),
      action: varchar(50).notNull(),
      payload: json(),
      created_at: timestamp({ timezone: true }).notNull().default(now),
    },
    { indexes: [index('ix_audit_log_created_at').on('created_at').using('btree'), index('ix_audit_log_actor_action').on('actor_id', 'action')] },
  )

  await op.addColumn('posts', 'status', enumType('post_status', ['draft', 'published', 'archived']).notNull().default('draft'))
  await op.addColumn('posts', 'published_at', timestamp())
  await op.addColumn('posts', 'category_id', integer().references('categories.id', { name: 'fk_posts_category_id_categories', onDelete: 'set null' }))
  if (op.dialect === 'sqlite') {
    await op.batchAlterTable('posts', (batch) => batch.alterColumn('title', { type: varchar(300) }), { copyFrom: op.offline ? postsAsIs(varchar(200)) : undefined })
  } else {
    await op.alterColumn('posts', 'title', { type: varchar(300), ...titleBefore })
  }
  await op.createIndex('ix_posts_status_published', 'posts', ['status', 'published_at'])
}

export async function downgrade(op: Operations): Promise<void> {
  await op.dropIndex('ix_posts_status_published', 'posts')
  // One batch: on SQLite a single rebuild of posts; elsewhere one ALTER per change.
  await op.batchAlterTable('posts', (batch) => {
    batch.alterColumn('title', { type: varchar(200), existingType: varchar(300), existingNullable: false, existingServerDefault: null, existingComment: null })
    batch.dropConstraint('fk_posts_category_id_categories', { type: 'foreignkey' })
    batch.dropColumn('category_id')
    batch.dropColumn('published_at')
    batch.dropColumn('status')
  }, { copyFrom: op.offline ? postsAsIs(varchar(300)) : undefined })
  // A type added with a column stays when the column goes (dropTable is what drops types).
  if (op.dialect === 'postgresql') await op.dropEnum('post_status')

  await op.dropTable('audit_log')
  await op.dropTable('attachments')
  await op.dropTable('reactions')
  await op.dropTable('comments')
}
