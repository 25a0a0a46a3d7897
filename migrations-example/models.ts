/**
 * The example's models: the schema the revisions in migrations/versions/ build, as it is at head.
 * Written with migrator's models API (docs/models.md); env.ts hands `metadata` to autogenerate.
 * Everything here works on PostgreSQL, MySQL/MariaDB and SQLite.
 */
import {
  bigint,
  binary,
  boolean,
  char,
  check,
  enumType,
  index,
  integer,
  json,
  MetaData,
  smallint,
  sql,
  text,
  timestamp,
  unique,
  uuid,
  varchar,
} from 'migrator'

export const metadata = new MetaData({
  namingConvention: {
    ix: 'ix_%(column_0_label)s',
    fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s',
  },
})

const now = sql`CURRENT_TIMESTAMP`

/** Enum types (PostgreSQL named types; inline ENUM on MySQL; VARCHAR with a CHECK on SQLite). */
export const orgPlan = enumType('org_plan', ['free', 'pro', 'enterprise'])
export const memberRole = enumType('member_role', ['owner', 'admin', 'member'])
export const postStatus = enumType('post_status', ['draft', 'published', 'archived'])
export const reactionKind = enumType('reaction_kind', ['like', 'love', 'laugh'])

export const users = metadata.table(
  'users',
  {
    id: integer().primaryKey(),
    email: varchar(255).notNull().unique(),
    created_at: timestamp(),
    display_name: varchar(100),
    username: varchar(60).notNull().unique('uq_users_username'),
  },
  { comment: 'People who sign in' },
)

export const organizations = metadata.table(
  'organizations',
  {
    id: integer().primaryKey().autoincrement(),
    name: varchar(100).notNull(),
    slug: varchar(60).notNull().unique('uq_organizations_slug'),
    plan: orgPlan.notNull().default('free'),
    settings: json(),
    created_at: timestamp({ timezone: true }).notNull().default(now),
  },
  { checks: [check('ck_organizations_slug', sql`slug <> ''`)], comment: 'Customer organisations' },
)

export const memberships = metadata.table(
  'memberships',
  {
    org_id: integer().references(() => organizations.columns.id, { onDelete: 'cascade' }),
    user_id: integer().references(() => users.columns.id, { onDelete: 'cascade' }),
    role: memberRole.notNull().default('member'),
    joined_at: timestamp().notNull().default(now),
  },
  { primaryKey: { name: 'pk_memberships', columns: ['org_id', 'user_id'] }, indexes: [index().on('user_id')] },
)

export const invitations = metadata.table(
  'invitations',
  {
    id: integer().primaryKey().autoincrement(),
    org_id: integer().notNull().references(() => organizations.columns.id, { onDelete: 'cascade' }),
    email: varchar(255).notNull(),
    token: char(32).notNull().unique('uq_invitations_token'),
    role: memberRole.notNull().default('member'),
    expires_at: timestamp().notNull(),
    accepted: boolean().notNull().default(false),
  },
  { uniques: [unique('uq_invitations_org_email').on('org_id', 'email')] },
)

export const categories = metadata.table(
  'categories',
  {
    id: integer().primaryKey().autoincrement(),
    parent_id: integer().references(() => categories.columns.id, { onDelete: 'set null' }),
    name: varchar(80).notNull(),
    slug: varchar(80).notNull(),
    position: smallint().notNull().default(0),
  },
  { uniques: [unique('uq_categories_parent_slug').on('parent_id', 'slug')] },
)

export const posts = metadata.table(
  'posts',
  {
    id: integer().primaryKey(),
    user_id: integer().notNull().references(() => users.columns.id),
    title: varchar(300).notNull(),
    status: postStatus.notNull().default('draft'),
    published_at: timestamp(),
    category_id: integer().references(() => categories.columns.id, { onDelete: 'set null' }),
  },
  { indexes: [index('ix_posts_status_published').on('status', 'published_at')] },
)

export const tags = metadata.table('tags', {
  id: integer().primaryKey(),
  name: varchar(50).notNull().unique(),
})

export const postTags = metadata.table('post_tags', {
  post_id: integer().primaryKey().references(() => posts.columns.id),
  tag_id: integer().primaryKey().references(() => tags.columns.id),
})

export const comments = metadata.table(
  'comments',
  {
    id: integer().primaryKey().autoincrement(),
    post_id: integer().notNull().references(() => posts.columns.id, { onDelete: 'cascade' }),
    author_id: integer().references(() => users.columns.id, { onDelete: 'set null' }),
    parent_id: integer().references(() => comments.columns.id, { onDelete: 'cascade' }),
    body: text().notNull(),
    created_at: timestamp().notNull().default(now),
  },
  {
    checks: [check('ck_comments_body', sql`body <> ''`)],
    indexes: [index('ix_comments_post_created').on('post_id', 'created_at')],
  },
)

export const reactions = metadata.table(
  'reactions',
  {
    post_id: integer().references(() => posts.columns.id, { onDelete: 'cascade' }),
    user_id: integer().references(() => users.columns.id, { onDelete: 'cascade' }),
    kind: reactionKind,
    created_at: timestamp().notNull().default(now),
  },
  { primaryKey: ['post_id', 'user_id', 'kind'] },
)

export const attachments = metadata.table(
  'attachments',
  {
    id: uuid().primaryKey(),
    post_id: integer().notNull().references(() => posts.columns.id, { onDelete: 'cascade' }),
    filename: varchar(255).notNull(),
    content_type: varchar(100).notNull().default('application/octet-stream'),
    size_bytes: bigint().notNull(),
    data: binary(),
  },
  { checks: [check('ck_attachments_size', sql`size_bytes >= 0`)], comment: 'Files attached to posts' },
)

export const auditLog = metadata.table(
  'audit_log',
  {
    id: bigint().primaryKey().autoincrement(),
    actor_id: integer().references(() => users.columns.id, { onDelete: 'set null' }),
    action: varchar(50).notNull(),
    payload: json(),
    created_at: timestamp({ timezone: true }).notNull().default(now),
  },
  { indexes: [index().on('created_at').using('btree'), index('ix_audit_log_actor_action').on('actor_id', 'action')] },
)
