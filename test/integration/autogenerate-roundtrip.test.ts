/**
 * Autogenerate against real servers (PostgreSQL, MySQL/MariaDB): a database built from the models
 * compares equal to them; models rendered from a snapshot load back equal to the database; and for
 * each kind of schema change: compare → upgrade → the models match → downgrade → the database is
 * read back exactly as it was, rows kept.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareSchemas, type Difference } from '../../src/autogenerate/compare.js'
import { planMigration, type MigrationPlan } from '../../src/autogenerate/order.js'
import { renderModels } from '../../src/autogenerate/render-models.js'
import type { Connection } from '../../src/dialects/dialect.js'
import type { SchemaSnapshot } from '../../src/dialects/introspector.js'
import { getDialect } from '../../src/dialects/index.js'
import { parseDatabaseUrl } from '../../src/config/database-url.js'
import { SqliteIntrospector } from '../../src/dialects/sqlite/sqlite-introspector.js'
import { CreateTableOp } from '../../src/operations/ops.js'
import { Operations } from '../../src/operations/operations.js'
import { renderOperations } from '../../src/autogenerate/render-revision.js'
import { OnlineExecutor } from '../../src/runtime/executor.js'
import * as migrator from '../../src/schema/index.js'
import { MysqlIntrospector } from '../../src/dialects/mysql/mysql-introspector.js'
import { PostgresIntrospector } from '../../src/dialects/postgres/postgres-introspector.js'
import {
  array,
  bigint,
  binary,
  boolean,
  char,
  check,
  date,
  double,
  enumType,
  foreignKey,
  index,
  integer,
  json,
  jsonb,
  MetaData,
  numeric,
  real,
  setType,
  smallint,
  sql,
  sqlType,
  text,
  time,
  timestamp,
  unique,
  uuid,
  varchar,
} from '../../src/schema/index.js'
import { loadModule } from '../../src/script/module-loader.js'
import { describeOnServer, runOperations, runSql } from '../support/introspection.js'

type ServerDialect = 'postgresql' | 'mysql'
type AnyDialect = ServerDialect | 'sqlite'

const VERSION_TABLE = 'migrator_version'

/** What a scenario changes in the base schema. */
interface Variant {
  readonly commentsTable?: boolean
  readonly nickname?: boolean
  readonly scoreNotNull?: boolean
  readonly nameType?: boolean
  readonly ageBigint?: boolean
  readonly nameNotNull?: boolean
  readonly nameDefault?: boolean
  readonly ageDefault?: boolean
  readonly statusDefault?: boolean
  /** The status default 'pending' (with statusValue). */
  readonly statusDefaultPending?: boolean
  /** The status values with 'suspended' in place of 'pending', and it the default. */
  readonly statusReplaced?: boolean
  /** PostgreSQL: a stored generated column reading the status. */
  readonly statusActive?: boolean
  readonly titleIndex?: boolean
  readonly expressionIndex?: boolean
  readonly noNameIndex?: boolean
  readonly uniqueTitle?: boolean
  readonly ageCheck?: boolean
  readonly noForeignKey?: boolean
  readonly cascade?: boolean
  readonly noPosts?: boolean
  readonly comments?: boolean
  readonly compositeKey?: boolean
  readonly statusValue?: boolean
  readonly mood?: boolean
  readonly noAutoincrement?: boolean
  readonly noAge?: boolean
  readonly cycle?: boolean
  readonly ageText?: boolean
  readonly ageTextNotNull?: boolean
  readonly titleIndexTwoColumns?: boolean
  readonly ageCheckChanged?: boolean
  readonly postsIdBigint?: boolean
  readonly createdOnUpdate?: boolean
  readonly authorTitleIndex?: boolean
  readonly compositeKeyAuthorFirst?: boolean
  readonly surrogateKey?: boolean
  readonly authorIndexOnly?: boolean
  readonly authorTwoIndexes?: boolean
  readonly emailUniqueIndex?: boolean
  readonly uniqueTitleDeferred?: boolean
  readonly uniqueTitleNullsEqual?: boolean
  readonly emailUniqueIndexNullsEqual?: boolean
  readonly titleIndexDesc?: boolean
  /** PostgreSQL: a partial index and a check naming the enum value 'pending' (statusValue). */
  readonly pendingObjects?: boolean
  /** A second column of the user_status enum type. */
  readonly statusCopy?: boolean
}

function models(dialect: ServerDialect, v: Variant = {}): MetaData {
  const metadata = new MetaData()
  const status = v.statusReplaced ? ['active', 'suspended', 'banned'] : v.statusValue ? ['active', 'pending', 'banned'] : ['active', 'banned']
  const users = metadata.table(
    'users',
    {
      id: integer().primaryKey().autoincrement(),
      email: varchar(255).notNull().unique(),
      name: nameColumn(v),
      ...(v.noAge ? {} : { age: ageColumn(v) }),
      status: enumType('user_status', status).notNull().default(v.statusReplaced ? 'suspended' : v.statusDefaultPending ? 'pending' : v.statusDefault ? 'banned' : 'active'),
      created_at: timestamp().notNull().default(v.createdOnUpdate ? sql`CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP` : sql`CURRENT_TIMESTAMP`),
      ...(v.nickname ? { nickname: varchar(30) } : {}),
      ...(v.scoreNotNull ? { score: integer().notNull().default(0) } : {}),
      ...(v.mood ? { mood: enumType('mood', ['ok', 'meh']) } : {}),
      ...(v.statusCopy ? { old_status: enumType('user_status', status) } : {}),
      ...(v.statusActive ? { is_active: boolean().generatedAlwaysAs(sql`status = 'active'`, { stored: true }) } : {}),
    },
    {
      indexes: [
        ...(v.noNameIndex ? [] : [index('ix_users_name').on('name')]),
        ...(v.emailUniqueIndex ? [index('ak_users_email').on('email').unique()] : []),
        ...(v.emailUniqueIndexNullsEqual ? [index('ak_users_email').on('email').unique().nullsNotDistinct()] : []),
        ...(v.expressionIndex && dialect === 'postgresql' ? [index('ix_users_lower_email').on(sql`lower(email)`).where(sql`age > 0`)] : []),
        ...(v.pendingObjects ? [index('ix_users_pending').on('id').where(sql`status = 'pending'`)] : []),
      ],
      checks: [
        ...(v.ageCheck ? [check('ck_users_age', sql`age >= 0 AND age < 200`)] : v.ageCheckChanged ? [check('ck_users_age', sql`age BETWEEN 0 AND 150`)] : []),
        ...(v.pendingObjects ? [check('ck_users_pending', sql`status <> 'pending' OR age IS NOT NULL`)] : []),
      ],
      comment: v.comments ? 'registered people' : 'people',
    },
  )
  if (!v.noPosts) {
    const posts = metadata.table(
      'posts',
      {
        id: v.noAutoincrement ? (v.postsIdBigint ? bigint().notNull() : integer().notNull()) : integer().notNull().autoincrement(),
        author_id: v.noForeignKey ? integer().notNull() : integer().notNull().references(() => users.columns.id, v.cascade ? { onDelete: 'cascade' } : {}),
        title: varchar(200).notNull(),
        body: text(),
        ...(v.surrogateKey ? { sid: integer().notNull().autoincrement() } : {}),
      },
      {
        primaryKey: v.surrogateKey ? ['sid'] : v.compositeKey ? ['id', 'author_id'] : v.compositeKeyAuthorFirst ? ['author_id', 'id'] : ['id'],
        indexes: v.titleIndex
          ? [index('ix_posts_title').on('title')]
          : v.titleIndexDesc
            ? [index('ix_posts_title').on('title', 'author_id').desc('title')]
          : v.titleIndexTwoColumns
            ? [index('ix_posts_title').on('title', 'author_id')]
            : v.authorTitleIndex
              ? [index('ix_posts_author_title').on('author_id', 'title')]
              : v.authorIndexOnly
                ? [index('ix_posts_author_title').on('author_id')]
                : v.authorTwoIndexes
                  ? [index('ix_posts_author_title').on('author_id', 'title'), index('ix_posts_author_id').on('author_id', 'id')]
                  : [],
        uniques: v.uniqueTitle
          ? [unique('uq_posts_author_title').on('author_id', 'title')]
          : v.uniqueTitleDeferred
            ? [unique('uq_posts_author_title').on('author_id', 'title').deferrable({ initially: 'deferred' })]
          : v.uniqueTitleNullsEqual
            ? [unique('uq_posts_author_title').on('author_id', 'title').nullsNotDistinct()]
            : v.surrogateKey ? [unique('uq_posts_author_id').on('author_id', 'id')] : [],
      },
    )
    if (v.commentsTable) {
      metadata.table('comments', {
        id: bigint().primaryKey().autoincrement(),
        post_id: integer().notNull().references(() => posts.columns.id, { onDelete: 'cascade' }),
        user_id: integer().references(() => users.columns.id, { onDelete: 'set null' }),
        body: text().notNull(),
      })
    }
  }
  if (v.cycle) {
    metadata.table('cycle_a', { id: integer().primaryKey(), b_id: integer().references('cycle_b.id') })
    metadata.table('cycle_b', { id: integer().primaryKey(), a_id: integer().references('cycle_a.id', { onDelete: 'cascade' }) })
  }
  return metadata
}

function nameColumn(v: Variant) {
  const typed = (v.nameType ? varchar(100) : varchar(50)).comment(v.comments ? 'display name' : 'name')
  const column = v.nameDefault ? typed.default('nobody') : typed
  return v.nameNotNull ? column.notNull() : column
}

function ageColumn(v: Variant) {
  if (v.ageTextNotNull) return varchar(10).notNull().default('unknown')
  return v.ageText ? varchar(10).default('0') : (v.ageBigint ? bigint() : integer()).default(v.ageDefault ? 18 : 0)
}

interface Scenario {
  readonly title: string
  readonly variant: Variant
  /** Kinds of difference expected. */
  readonly kinds: readonly Difference['kind'][] | Readonly<Partial<Record<AnyDialect, readonly Difference['kind'][]>>>
  /** The dialects it runs on (default: all three). */
  readonly only?: AnyDialect | readonly AnyDialect[]
  /** The database before (default: the base schema). */
  readonly before?: Variant
  /** The downgrade puts a re-added column last: compare the columns as a set. */
  readonly columnOrderChanges?: boolean
  /** How many `alterColumn` operations the upgrade has, and its downgrade too (the changes of one column merged). */
  readonly alterColumns?: number | Readonly<Partial<Record<AnyDialect, number>>>
  /** Upgrade and downgrade twice (what the first cycle leaves must not break the second). */
  readonly twice?: boolean
  /** MySQL: after each step some index starts with `posts.author_id`, which its foreign key needs (MariaDB would let it go). */
  readonly authorIndexed?: boolean
  /** After the upgrade or the downgrade that gives `posts.id` its identity / AUTO_INCREMENT back, a row is inserted without an id (the sequence goes on after the rows there). */
  readonly insertsPost?: 'after upgrade' | 'after downgrade'
  /** MySQL: every index \`posts\` has after the upgrade, those InnoDB keeps for foreign keys included (none left beside the ones the models declare). */
  readonly postsIndexesAfter?: readonly string[]
}

const SCENARIOS: readonly Scenario[] = [
  { title: 'add a table with foreign keys', variant: { commentsTable: true }, kinds: ['add_table'] },
  { title: 'add a column', variant: { nickname: true }, kinds: ['add_column'] },
  { title: 'add a NOT NULL column with a default', variant: { scoreNotNull: true }, kinds: ['add_column'] },
  { title: 'change a type', variant: { nameType: true, ageBigint: true }, kinds: ['modify_type', 'modify_type'] },
  { title: 'change a type that needs a conversion', variant: { ageText: true }, kinds: ['modify_type'] },
  { title: 'change nullability', variant: { nameNotNull: true }, kinds: ['modify_nullable'] },
  {
    title: 'change the type, default and nullability of a column at once (one alterColumn)',
    variant: { nameType: true, nameDefault: true, nameNotNull: true },
    kinds: ['modify_type', 'modify_default', 'modify_nullable'],
    alterColumns: 1,
  },
  {
    // PostgreSQL: the default dropped before the USING conversion, the new one set after with the nullability.
    title: 'change the type (with a conversion), default and nullability of a column at once',
    variant: { ageTextNotNull: true },
    kinds: ['modify_type', 'modify_default', 'modify_nullable'],
    alterColumns: { postgresql: 3, mysql: 1, sqlite: 1 },
  },
  { title: 'change defaults', variant: { ageDefault: true, statusDefault: true }, kinds: ['modify_default', 'modify_default'] },
  { title: 'add indexes', variant: { titleIndex: true, expressionIndex: true }, kinds: { postgresql: ['add_index', 'add_index'], mysql: ['add_index'], sqlite: ['add_index'] } },
  { title: 'remove an index', variant: { noNameIndex: true }, kinds: ['remove_index'] },
  { title: 'add a unique constraint', variant: { uniqueTitle: true }, kinds: ['add_unique'] },
  { title: 'add a check constraint', variant: { ageCheck: true }, kinds: ['add_check'] },
  { title: 'drop a foreign key', variant: { noForeignKey: true }, kinds: ['remove_foreign_key'] },
  { title: 'change a foreign key action', variant: { cascade: true }, kinds: ['modify_foreign_key'] },
  { title: 'drop a table', variant: { noPosts: true }, kinds: ['remove_table'] },
  { title: 'change comments', variant: { comments: true }, kinds: ['modify_comment', 'modify_table_comment'], only: ['postgresql', 'mysql'] },
  // SQLite autoincrements only a single-column primary key: not there.
  { title: 'change a primary key', variant: { compositeKey: true }, kinds: ['modify_primary_key'], only: ['postgresql', 'mysql'] },
  { title: 'add an enum value', variant: { statusValue: true }, kinds: ['add_enum_value'], only: 'postgresql' },
  { title: 'change ENUM values', variant: { statusValue: true }, kinds: ['modify_type'], only: ['mysql', 'sqlite'] },
  { title: 'add an enum type with a column', variant: { mood: true }, kinds: ['add_enum', 'add_column'], only: 'postgresql' },
  { title: 'remove autoincrement', variant: { noAutoincrement: true }, kinds: ['modify_autoincrement'], only: ['postgresql', 'mysql'], insertsPost: 'after downgrade' },
  { title: 'drop a column', variant: { noAge: true }, kinds: ['remove_column'], columnOrderChanges: true },
  { title: 'add tables whose foreign keys form a cycle', variant: { cycle: true }, kinds: ['add_table', 'add_table'] },
  { title: 'drop tables whose foreign keys form a cycle', before: { cycle: true }, variant: {}, kinds: ['remove_table', 'remove_table'] },
  { title: 'change an index', before: { titleIndex: true }, variant: { titleIndexTwoColumns: true }, kinds: ['modify_index'] },
  { title: 'make a column of an index descending', before: { titleIndexTwoColumns: true }, variant: { titleIndexDesc: true }, kinds: ['modify_index'] },
  { title: 'change a check constraint', before: { ageCheck: true }, variant: { ageCheckChanged: true }, kinds: ['modify_check'] },
  { title: 'remove a unique constraint a foreign key uses', before: { uniqueTitle: true }, variant: {}, kinds: ['remove_unique'] },
  { title: 'add autoincrement', before: { noAutoincrement: true }, variant: {}, kinds: ['modify_autoincrement'], only: ['postgresql', 'mysql'], insertsPost: 'after upgrade' },
  // MySQL restates the whole column in MODIFY: the type change must not put AUTO_INCREMENT back, nor keep it out.
  { title: 'remove autoincrement and change the type at once', variant: { noAutoincrement: true, postsIdBigint: true }, kinds: ['modify_autoincrement', 'modify_type'], only: ['postgresql', 'mysql'] },
  { title: 'add autoincrement and change the type at once', before: { noAutoincrement: true, postsIdBigint: true }, variant: {}, kinds: ['modify_type', 'modify_autoincrement'], only: ['postgresql', 'mysql'] },
  // ON UPDATE belongs to the column on MySQL: SET DEFAULT can neither add nor remove it (MODIFY does).
  { title: 'add ON UPDATE to a default', variant: { createdOnUpdate: true }, kinds: ['modify_default'], only: 'mysql' },
  { title: 'remove ON UPDATE from a default', before: { createdOnUpdate: true }, variant: {}, kinds: ['modify_default'], only: 'mysql' },
  // MySQL: an index covering a foreign key takes over from the one InnoDB made (or a downgrade gave back), twice over.
  { title: 'add an index covering a foreign key, up and down twice', variant: { authorTitleIndex: true }, kinds: ['add_index'], twice: true },
  { title: 'remove an index covering a foreign key, up and down twice', before: { authorTitleIndex: true }, variant: {}, kinds: ['remove_index'], twice: true },
  // MySQL: the index given back to the foreign key while the old one goes is taken out by the new one.
  { title: 'change an index covering a foreign key to one on its column alone', before: { authorTitleIndex: true }, variant: { authorIndexOnly: true }, kinds: ['modify_index'], twice: true, authorIndexed: true, postsIndexesAfter: ['PRIMARY', 'ix_posts_author_title'] },
  // MySQL: the first new index takes over from InnoDB's; the second finds none to take (and dropping them, the last gives one back).
  { title: 'add two indexes covering a foreign key', variant: { authorTwoIndexes: true }, kinds: ['add_index', 'add_index'], twice: true, authorIndexed: true, postsIndexesAfter: ['PRIMARY', 'ix_posts_author_id', 'ix_posts_author_title'] },
  { title: 'remove two indexes covering a foreign key', before: { authorTwoIndexes: true }, variant: {}, kinds: ['remove_index', 'remove_index'], twice: true, authorIndexed: true },
  // MySQL keeps a unique index as a unique key: the unnamed unique on the column (`email`) must not take it (`ak_…`, first by name) for its own.
  // PostgreSQL: DEFERRABLE is part of the constraint (MySQL and SQLite have none: nothing to change there).
  { title: 'make a unique constraint deferrable', before: { uniqueTitle: true }, variant: { uniqueTitleDeferred: true }, kinds: ['modify_unique'], only: 'postgresql', twice: true },
  { title: 'add a deferrable unique constraint', variant: { uniqueTitleDeferred: true }, kinds: { postgresql: ['add_unique'], mysql: ['add_unique'], sqlite: ['add_unique'] } },
  // PostgreSQL 15: NULLS NOT DISTINCT is part of a unique constraint or index (MySQL and SQLite have none: nothing to change there).
  { title: 'make a unique constraint NULLS NOT DISTINCT', before: { uniqueTitle: true }, variant: { uniqueTitleNullsEqual: true }, kinds: ['modify_unique'], only: 'postgresql', twice: true },
  { title: 'make a unique index NULLS NOT DISTINCT', before: { emailUniqueIndex: true }, variant: { emailUniqueIndexNullsEqual: true }, kinds: ['modify_index'], only: 'postgresql', twice: true },
  { title: 'add a NULLS NOT DISTINCT unique constraint and index', variant: { uniqueTitleNullsEqual: true, emailUniqueIndexNullsEqual: true }, kinds: { postgresql: ['add_index', 'add_unique'], mysql: ['add_unique', 'add_unique'], sqlite: ['add_index', 'add_unique'] } },
  { title: 'add a unique index on a column that has an unnamed unique constraint', variant: { emailUniqueIndex: true }, kinds: { postgresql: ['add_index'], mysql: ['add_unique'], sqlite: ['add_index'] } },
  // MySQL: a primary key that served a foreign key (its first column) changed to one that does not, and back.
  { title: 'change a primary key that served a foreign key', before: { compositeKeyAuthorFirst: true, noAutoincrement: true }, variant: { compositeKey: true, noAutoincrement: true }, kinds: ['modify_primary_key'], only: ['postgresql', 'mysql'], twice: true, authorIndexed: true },
  { title: 'change a primary key to one that serves a foreign key', before: { compositeKey: true, noAutoincrement: true }, variant: { compositeKeyAuthorFirst: true, noAutoincrement: true }, kinds: ['modify_primary_key'], only: ['postgresql', 'mysql'], twice: true, authorIndexed: true },
  // A surrogate key: an AUTO_INCREMENT / identity column added as the new primary key (MySQL: in the key's statement), the old key kept as a unique one.
  { title: 'replace a composite primary key with a new autoincrement one', before: { compositeKeyAuthorFirst: true, noAutoincrement: true }, variant: { surrogateKey: true, noAutoincrement: true }, kinds: ['add_column', 'modify_primary_key', 'add_unique'], only: ['postgresql', 'mysql'], twice: true, authorIndexed: true },
  { title: 'remove an enum value (the type is recreated)', before: { statusValue: true }, variant: {}, kinds: ['modify_enum'], only: 'postgresql' },
  // The index and check naming the value go before the type is recreated, and come back after it in the downgrade.
  { title: 'remove an enum value with the partial index and check naming it', before: { statusValue: true, pendingObjects: true }, variant: {}, kinds: ['modify_enum', 'remove_check', 'remove_index'], only: 'postgresql' },
  // The recreation sets the new default (neither the old one nor a value only the new type has could be set around it), its downgrade the old one.
  { title: 'remove an enum value that was a default', before: { statusValue: true, statusDefaultPending: true }, variant: {}, kinds: ['modify_enum', 'modify_default'], only: 'postgresql' },
  { title: 'replace an enum value that was a default by a new one', before: { statusValue: true, statusDefaultPending: true }, variant: { statusReplaced: true }, kinds: ['modify_enum', 'modify_default'], only: 'postgresql' },
  // PostgreSQL cannot change the type of a column a generated column reads: it is dropped before and added after.
  { title: 'remove an enum value under a generated column reading a column of the type', before: { statusValue: true, statusActive: true }, variant: { statusActive: true }, kinds: ['modify_enum', 'modify_generated'], only: 'postgresql', columnOrderChanges: true },
  // The type recreated after the column is dropped (and before it comes back in the downgrade) leaves it out.
  { title: 'remove an enum value and drop a column of the type', before: { statusValue: true, statusCopy: true }, variant: {}, kinds: ['modify_enum', 'remove_column'], only: 'postgresql', columnOrderChanges: true },
  { title: 'drop an enum type with its last column', before: { mood: true }, variant: {}, kinds: ['remove_column', 'remove_enum'], only: 'postgresql', columnOrderChanges: true },
]

for (const dialect of ['postgresql', 'mysql'] as const) {
  describeOnServer(dialect, 'autogenerate round trip', ({ connection }) => {
    const introspector = dialect === 'postgresql' ? new PostgresIntrospector() : new MysqlIntrospector()
    const created: string[] = []
    let mainDatabase = ''
    let tempDir = ''

    beforeAll(async () => {
      tempDir = mkdtempSync(path.join(os.tmpdir(), 'migrator-autogen-'))
      if (dialect === 'mysql') mainDatabase = String((await connection().query('SELECT DATABASE() AS d')).rows[0]!['d'])
    })
    afterAll(async () => {
      rmSync(tempDir, { recursive: true, force: true })
      if (dialect === 'mysql') for (const name of created) await connection().query(`DROP DATABASE IF EXISTS \`${name}\``)
    })

    /** A fresh, empty schema (PostgreSQL) or database (MySQL) as the connection's current one. */
    async function freshSchema(name: string): Promise<void> {
      if (dialect === 'postgresql') {
        await runSql(connection(), [`CREATE SCHEMA "${name}"`, `SET search_path TO "${name}"`])
      } else {
        const database = `${mainDatabase}_${name}`.slice(0, 64)
        created.push(database)
        await runSql(connection(), [`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`, `USE \`${database}\``])
      }
    }

    const introspect = (c: Connection = connection()): Promise<SchemaSnapshot> => introspector.introspect(c)

    function compare(snapshot: SchemaSnapshot, metadata: MetaData): Difference[] {
      return compareSchemas(snapshot, { tables: metadata.toSpecs(), enums: [] }, { dialect, compareType: true, compareServerDefault: true, versionTable: VERSION_TABLE })
    }

    /** Creates the models' schema through autogenerate from an empty database, with the version table. */
    async function build(metadata: MetaData): Promise<SchemaSnapshot> {
      await runSql(connection(), connection().dialect.createVersionTableSql({ table: VERSION_TABLE, schema: undefined }))
      const diffs = compare(await introspect(), metadata)
      await runOperations(connection(), planMigration(diffs).upgrade)
      const snapshot = await introspect()
      expect(compare(snapshot, metadata).map((d) => d.description)).toEqual([])
      return snapshot
    }

    async function count(table: string): Promise<number> {
      const q = connection().dialect.quoteIdentifier(table)
      return Number((await connection().query(`SELECT count(*) AS n FROM ${q}`)).rows[0]!['n'])
    }

    async function loadModels(source: string, name: string): Promise<MetaData> {
      const file = path.join(tempDir, `${name}.ts`)
      writeFileSync(file, source)
      return (await loadModule(file))['metadata'] as MetaData
    }

    describe('no differences', () => {
      it('between the models and the database built from them, every type and default included', async () => {
        await freshSchema('everything')
        const metadata = everything(dialect)
        const snapshot = await build(metadata)
        expect(snapshot.tables.map((t) => t.name)).toContain('kitchen_sink')
        if (dialect === 'postgresql') {
          const sink = snapshot.tables.find((t) => t.name === 'kitchen_sink')!
          const columnOf = (name: string) => sink.columns.find((c) => c.name === name)!
          expect([columnOf('anychar').type, columnOf('scaled').serverDefault]).toEqual([{ kind: 'custom', sql: 'bpchar' }, '1.50'])
          expect(columnOf('counter')).toMatchObject({ type: { kind: 'integer' }, autoincrement: true, nullable: false })
        } else {
          // A number on a type the models spell with sqlType (TINYINT) reads back as a number.
          expect(snapshot.tables.find((t) => t.name === 'kitchen_sink')!.columns.find((c) => c.name === 'tiny')!.serverDefault).toBe(7)
        }
        // And models rendered from that database load back equal to it.
        const rendered = await loadModels(renderModels(snapshot, { dialect }), `everything-${dialect}`)
        expect(compare(snapshot, rendered).map((d) => d.description)).toEqual([])
        // Rebuilt from the rendered models in another schema, the database reads back the same.
        await freshSchema('everything_again')
        const again = await build(rendered)
        expect(again.tables.filter((t) => t.name !== VERSION_TABLE)).toEqual(snapshot.tables.filter((t) => t.name !== VERSION_TABLE))
      })

      it('between a hand-written schema and the models rendered from it', async () => {
        await freshSchema('handmade')
        await runSql(connection(), HANDMADE[dialect])
        const snapshot = await introspect()
        expect(snapshot.tables.length).toBeGreaterThanOrEqual(3)
        const source = renderModels(snapshot, { dialect })
        const metadata = await loadModels(source, `handmade-${dialect}`)
        expect(compare(snapshot, metadata).map((d) => d.description)).toEqual([])
      })
    })

    describe('an enum type recreated', () => {
      it('converts the columns of the type in tables it does not compare, after a column leaving the type, both ways, rows kept', async () => {
        if (dialect !== 'postgresql') return
        await freshSchema('enum_recreated')
        await runSql(connection(), ['DROP SCHEMA IF EXISTS "enum_recreated_other" CASCADE', 'CREATE SCHEMA "enum_recreated_other"'])
        const models = (values: string[], leaves: boolean): MetaData => {
          const metadata = new MetaData()
          metadata.table('items', {
            id: integer().primaryKey(),
            kind: enumType('kind', values).notNull().default('b'),
            old_kind: leaves ? varchar(20) : enumType('kind', values),
            kinds: array(enumType('kind', values)),
          })
          return metadata
        }
        const before = await build(models(['a', 'b', 'gone'], false))
        // A table of another schema (not compared) using the type, with a default of its own.
        await runSql(connection(), [
          `CREATE TABLE "enum_recreated_other"."legacy" (k "enum_recreated"."kind" DEFAULT 'a', ks "enum_recreated"."kind"[])`,
          `INSERT INTO "enum_recreated_other"."legacy" VALUES ('a', '{a,b}'), ('b', NULL)`,
          `INSERT INTO items (id, kind, old_kind, kinds) VALUES (1, 'a', 'gone', '{b,a}')`,
        ])
        const target = models(['b', 'a'], true)
        const diffs = compare(before, target)
        expect(diffs.map((d) => d.kind).sort()).toEqual(['modify_enum', 'modify_type'])
        const plan = planMigration(diffs)
        const rows = async (): Promise<unknown[]> => [
          ...(await connection().query('SELECT id, kind::text AS kind, old_kind::text AS old_kind, kinds::text AS kinds FROM items')).rows,
          ...(await connection().query(`SELECT k::text AS k, ks::text AS ks, pg_typeof(k)::text AS t FROM "enum_recreated_other"."legacy" ORDER BY k`)).rows,
        ]
        const legacyDefault = async (): Promise<unknown> =>
          (await connection().query(`SELECT column_default AS d FROM information_schema.columns WHERE table_schema = 'enum_recreated_other' AND table_name = 'legacy' AND column_name = 'k'`)).rows[0]!['d']
        const kept = [
          { id: 1, kind: 'a', old_kind: 'gone', kinds: '{b,a}' },
          { k: 'a', ks: '{a,b}', t: 'kind' },
          { k: 'b', ks: null, t: 'kind' },
        ]
        await runOperations(connection(), plan.upgrade)
        expect(compare(await introspect(), target).map((d) => d.description)).toEqual([])
        expect(await rows()).toEqual(kept)
        expect(await legacyDefault()).toBe("'a'::kind")
        await runOperations(connection(), plan.downgrade)
        expect(await introspect()).toEqual(before)
        expect(await rows()).toEqual(kept)
        expect(await legacyDefault()).toBe("'a'::kind")
        await runSql(connection(), ['DROP SCHEMA "enum_recreated_other" CASCADE'])
      })
    })

    describe('an enum type losing a value a row holds', () => {
      it('fails naming the column and what to do, changing nothing; once the rows are changed it goes through', async () => {
        if (dialect !== 'postgresql') return
        await freshSchema('enum_held')
        const models = (values: string[]): MetaData => {
          const metadata = new MetaData()
          metadata.table('items', { id: integer().primaryKey(), kind: enumType('kind', values) })
          return metadata
        }
        const before = await build(models(['a', 'gone']))
        await runSql(connection(), [`INSERT INTO items (id, kind) VALUES (1, 'a'), (2, 'gone')`])
        const plan = planMigration(compare(before, models(['a'])))
        await expect(runOperations(connection(), plan.upgrade)).rejects.toThrow(/invalid input value for enum kind: "gone", in column items\.kind: change those rows first/)
        expect(await introspect()).toEqual(before)
        await runSql(connection(), [`DELETE FROM items WHERE kind = 'gone'`])
        await runOperations(connection(), plan.upgrade)
        expect(compare(await introspect(), models(['a'])).map((d) => d.description)).toEqual([])
      })
    })

    describe('each change: upgrade, compare, downgrade', () => {
      scenariosFor(dialect).forEach((scenario, i) => {
        it(scenario.title, async () => {
          await freshSchema(`change_${i}`)
          const before = await build(models(dialect, scenario.before))
          await runSql(connection(), [
            `INSERT INTO ${q('users')} (${q('email')}, ${q('name')}, ${q('age')}, ${q('status')}) VALUES ('a@example.com', 'Ann', 30, 'active'), ('b@example.com', 'Bob', 40, 'banned')`,
            `INSERT INTO ${q('posts')} (${q('id')}, ${q('author_id')}, ${q('title')}) VALUES (1, 1, 'first'), (2, 2, 'second')`,
          ])

          const target = models(dialect, scenario.variant)
          const diffs = compare(before, target)
          expect(diffs.map((d) => d.kind).sort()).toEqual(kindsFor(scenario, dialect))
          const plan = planMigration(diffs)
          expectAlterColumns(plan, scenario, dialect)
          const insertPost = async (): Promise<void> => {
            // A new row gets an id after those there (1 and 2), then goes, leaving the rows as they were.
            await runSql(connection(), [`INSERT INTO ${q('posts')} (${q('author_id')}, ${q('title')}) VALUES (1, 'new')`])
            expect((await connection().query(`SELECT max(${q('id')}) AS m FROM ${q('posts')}`)).rows[0]!['m']).toBe(3)
            await runSql(connection(), [`DELETE FROM ${q('posts')} WHERE ${q('id')} = 3`])
          }
          const expectAuthorIndexed = async (): Promise<void> => {
            if (!scenario.authorIndexed || dialect !== 'mysql') return
            const indexes = await connection().query("SELECT INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'posts' AND COLUMN_NAME = 'author_id' AND SEQ_IN_INDEX = 1")
            expect(indexes.rows.length).toBeGreaterThan(0)
          }
          // MySQL: every index by its name, those introspection hides (InnoDB's for foreign keys) too:
          // the downgrade gives back each under the name it had, which older downgrades drop it by.
          const indexNames = async (table?: string): Promise<string[]> => {
            if (dialect !== 'mysql') return []
            const rows = await connection().query(
              `SELECT DISTINCT TABLE_NAME AS t, INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()${table === undefined ? '' : ` AND TABLE_NAME = '${table}'`}`,
            )
            return rows.rows.map((r) => (table === undefined ? `${String(r['t'])}.${String(r['i'])}` : String(r['i']))).sort()
          }
          const indexesBefore = await indexNames()
          const upgraded = async (): Promise<void> => {
            await runOperations(connection(), plan.upgrade)
            expect(compare(await introspect(), target).map((d) => d.description)).toEqual([])
            await expectAuthorIndexed()
            if (scenario.postsIndexesAfter !== undefined && dialect === 'mysql') expect(await indexNames('posts')).toEqual(scenario.postsIndexesAfter)
          }
          const downgraded = async (): Promise<void> => {
            await runOperations(connection(), plan.downgrade)
            if (scenario.insertsPost === 'after downgrade') await insertPost()
            expectRestored(await introspect(), before, scenario)
            await expectAuthorIndexed()
            expect(await indexNames()).toEqual(indexesBefore)
          }
          await expectAuthorIndexed()
          await upgraded()
          if (scenario.insertsPost === 'after upgrade') await insertPost()
          await downgraded()
          if (scenario.twice) {
            await upgraded()
            await downgraded()
          }
          expect(await count('users')).toBe(2)
          if (!scenario.variant.noPosts) expect(await count('posts')).toBe(2)
        })
      })

      function q(name: string): string {
        return connection().dialect.quoteIdentifier(name)
      }
    })
  })
}

function scenariosFor(dialect: AnyDialect): Scenario[] {
  return SCENARIOS.filter((s) => s.only === undefined || s.only === dialect || (Array.isArray(s.only) && s.only.includes(dialect)))
}

function kindsFor(scenario: Scenario, dialect: AnyDialect): Difference['kind'][] {
  const kinds = Array.isArray(scenario.kinds) ? scenario.kinds : (scenario.kinds as Partial<Record<AnyDialect, readonly Difference['kind'][]>>)[dialect]!
  return [...kinds].sort()
}

function expectAlterColumns(plan: MigrationPlan, scenario: Scenario, dialect: AnyDialect): void {
  if (scenario.alterColumns === undefined) return
  const expected = typeof scenario.alterColumns === 'number' ? scenario.alterColumns : scenario.alterColumns[dialect]
  const count = (ops: MigrationPlan['upgrade']): number => ops.filter((op) => op.kind === 'alterColumn').length
  expect([count(plan.upgrade), count(plan.downgrade)]).toEqual([expected, expected])
}

/** The database read back after the downgrade is the one before the upgrade (column order aside where the scenario says). */
function expectRestored(restored: SchemaSnapshot, before: SchemaSnapshot, scenario: Scenario): void {
  if (scenario.columnOrderChanges) {
    const sorted = (s: SchemaSnapshot): SchemaSnapshot => ({ ...s, tables: s.tables.map((t) => ({ ...t, columns: [...t.columns].sort((a, b) => (a.name < b.name ? -1 : 1)) })) })
    expect(sorted(restored)).toEqual(sorted(before))
  } else {
    expect(restored).toEqual(before)
  }
}

type AsyncFunctionConstructor = new (...args: string[]) => (...args: unknown[]) => Promise<unknown>
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as AsyncFunctionConstructor

describe('autogenerate round trip [sqlite]', () => {
  const sqlite = getDialect('sqlite')
  const introspector = new SqliteIntrospector()

  /** A connection to a fresh in-memory database, set up as the runtime sets up a migration run (foreign keys off). */
  async function open(): Promise<Connection> {
    const connection = await sqlite.connect(parseDatabaseUrl('sqlite://'))
    await sqlite.prepareMigrationSession?.(connection)
    return connection
  }

  function compare(snapshot: SchemaSnapshot, metadata: MetaData): Difference[] {
    return compareSchemas(snapshot, { tables: metadata.toSpecs(), enums: [] }, { dialect: 'sqlite', compareType: true, compareServerDefault: true, versionTable: VERSION_TABLE })
  }

  /** Renders the operations as a revision body and runs that source with the real `op` (batch blocks included). */
  async function runRendered(connection: Connection, ops: Parameters<typeof renderOperations>[0]): Promise<string> {
    const { body, imports } = renderOperations(ops, { dialect: 'sqlite' })
    const op = new Operations(new OnlineExecutor(connection))
    await new AsyncFunction('op', ...imports, body)(op, ...imports.map((name) => (migrator as Record<string, unknown>)[name]))
    return body
  }

  async function build(connection: Connection, metadata: MetaData): Promise<SchemaSnapshot> {
    for (const statement of sqlite.createVersionTableSql({ table: VERSION_TABLE, schema: undefined })) await connection.query(statement)
    await runRendered(connection, planMigration(compare(await introspector.introspect(connection), metadata)).upgrade)
    const snapshot = await introspector.introspect(connection)
    expect(compare(snapshot, metadata).map((d) => d.description)).toEqual([])
    return snapshot
  }

  it('finds no difference between the models and the database built from them, nor with the models rendered from it', async () => {
    const connection = await open()
    try {
      const snapshot = await build(connection, models('mysql', { commentsTable: true, ageCheck: true, titleIndex: true, uniqueTitle: true }))
      const dir = mkdtempSync(path.join(os.tmpdir(), 'migrator-autogen-sqlite-'))
      try {
        const file = path.join(dir, 'models.ts')
        writeFileSync(file, renderModels(snapshot, { dialect: 'sqlite' }))
        const rendered = (await loadModule(file))['metadata'] as MetaData
        expect(compare(snapshot, rendered).map((d) => d.description)).toEqual([])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    } finally {
      await connection.close()
    }
  })

  scenariosFor('sqlite').forEach((scenario) => {
    it(`${scenario.title} (rendered bodies run with batch blocks)`, async () => {
      const connection = await open()
      try {
        const before = await build(connection, models('mysql', scenario.before))
        await connection.query(`INSERT INTO "users" ("email", "name", "age") VALUES ('a@example.com', 'Ann', 30), ('b@example.com', 'Bob', 40)`)
        await connection.query(`INSERT INTO "posts" ("id", "author_id", "title") VALUES (1, 1, 'first'), (2, 2, 'second')`)
        const target = models('mysql', scenario.variant)
        const diffs = compare(before, target)
        expect(diffs.map((d) => d.kind).sort()).toEqual(kindsFor(scenario, 'sqlite'))
        const plan = planMigration(diffs)
        expectAlterColumns(plan, scenario, 'sqlite')
        await runRendered(connection, plan.upgrade)
        expect(compare(await introspector.introspect(connection), target).map((d) => d.description)).toEqual([])
        await runRendered(connection, plan.downgrade)
        expectRestored(await introspector.introspect(connection), before, scenario)
        expect(Number((await connection.query('SELECT count(*) AS n FROM "users"')).rows[0]!['n'])).toBe(2)
      } finally {
        await connection.close()
      }
    })
  })

  it('finds no difference between the models and the tables SQLite builds from them (DDL compiler)', async () => {
    const dialect = sqlite
    const connection = await dialect.connect(parseDatabaseUrl('sqlite://'))
    try {
      const metadata = new MetaData()
      const parent = metadata.table('parent', { id: integer().primaryKey().autoincrement(), code: varchar(20).notNull().unique() })
      metadata.table(
        'child',
        {
          id: integer().primaryKey(),
          parent_id: integer().references(() => parent.columns.id, { onDelete: 'cascade' }),
          status: enumType('status', ['active', "it's"]).notNull().default('active'),
          uid: uuid(),
          doc: jsonb(),
          at: timestamp({ timezone: true, precision: 3 }).default(sql`CURRENT_TIMESTAMP`),
          amount: numeric(10, 2).default(0),
          flag: boolean().default(true),
          note: text().comment('ignored by SQLite'),
        },
        {
          uniques: [unique().on('parent_id', 'uid')],
          checks: [check('ck_amount', sql`amount >= 0`)],
          indexes: [index('ix_child_lower').on(sql`lower(note)`).where(sql`flag`), index('ix_child_at').on('at').using('btree')],
          comment: 'ignored too',
        },
      )
      for (const table of metadata.toSpecs()) for (const statement of dialect.ddlCompiler().compile(new CreateTableOp({ table }))) await connection.query(statement)
      const { tables } = await introspector.introspect(connection)
      const diffs = compareSchemas({ tables, enums: [] }, { tables: metadata.toSpecs(), enums: [] }, { dialect: 'sqlite', compareType: true, compareServerDefault: true, versionTable: VERSION_TABLE })
      expect(diffs.map((d) => d.description)).toEqual([])
    } finally {
      await connection.close()
    }
  })
})

/** Tables using every type, default and constraint the dialect supports. */
function everything(dialect: ServerDialect): MetaData {
  const metadata = new MetaData({ namingConvention: { fk: 'fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s' } })
  const status = enumType('user_status', ['active', 'banned', "it's"])
  const parent = metadata.table('parent', { id: integer().primaryKey().autoincrement(), code: varchar(20).notNull().unique() }, { comment: "parent's table" })
  const pg = dialect === 'postgresql'
  metadata.table(
    'kitchen_sink',
    {
      id: bigint().primaryKey().autoincrement(),
      parent_id: integer().references(() => parent.columns.id, { onDelete: 'cascade', onUpdate: 'cascade' }),
      parent_code: varchar(20),
      small: smallint().default(-7),
      flag: boolean().notNull().default(false),
      ratio: real().default(0.25),
      score: double().default(1.5),
      amount: numeric(12, 2).notNull().default(0),
      plain_amount: numeric(10),
      code: char(3).default('abc'),
      name: varchar(100).default("it's").comment('a name'),
      body: text(),
      born: date().default('2000-01-01'),
      starts: time({ precision: 2 }),
      at: timestamp({ precision: 3 }).default(sql`CURRENT_TIMESTAMP(3)`),
      status: status.notNull().default('active'),
      doc: json(),
      docb: jsonb(),
      uid: uuid(),
      data: binary(),
      big: bigint().default(9007199254740993n),
      ...(pg
        ? {
            tags: array(text()),
            statuses: array(status),
            tz: timestamp({ timezone: true }).default(sql`now()`),
            search: sqlType('tsvector'),
            // Spellings PostgreSQL prints otherwise (format_type): bit varying(8), bit(1), time(3) with time zone.
            bits: sqlType('varbit(8)'),
            anybits: sqlType('varbit'),
            onebit: sqlType('bit'),
            ttz: sqlType('timetz(3)'),
            tz6: sqlType('time (6) with time zone'),
            cv: sqlType('char varying(10)'),
            ncv: sqlType('national character varying(5)'),
            nc: sqlType('nchar(3)'),
            f24: sqlType('float(24)'),
            f25: sqlType('float(25)'),
            dec: sqlType('dec(6,3)'),
            qualified: sqlType('pg_catalog.int4'),
            sized: sqlType('int[3]'),
            worded: sqlType('text ARRAY'),
            seq: integer().identity({ always: true, start: 10, increment: 5 }),
            // bpchar alone is blank-padded text of any length; serial4 reads back as autoincrement().
            anychar: sqlType('bpchar'),
            counter: sqlType('serial4'),
            // An unconstrained numeric keeps the default's scale.
            scaled: numeric().default('1.50'),
          }
        : {
            flags: setType(['a', 'b', 'c']).default('a,b'),
            tiny: sqlType('TINYINT UNSIGNED').default(7),
            medium: sqlType('MEDIUMTEXT'),
            count: integer().unsigned().default(1),
          }),
    },
    {
      uniques: [unique('uq_sink_name_code').on('name', 'code')],
      foreignKeys: [foreignKey(['parent_code'], { table: 'parent', columns: ['code'] }, { onDelete: 'set null' })],
      checks: [check('ck_sink_small', sql`small > -100 AND small < 100`), check(sql`amount >= 0`)],
      indexes: [
        index('ix_sink_status_name').on('status', 'name'),
        // Columns of one dialect's branch only: typed loosely.
        ...((pg
          ? [index('ix_sink_body').on(sql`lower(body)`), index('ix_sink_live').on('name').where(sql`status <> 'banned'`).unique(), index('ix_sink_tags').on('tags').using('gin')]
          : [index('ix_sink_hash').on('code').using('HASH')]) as never[]),
      ],
      comment: 'every type',
    },
  )
  if (!pg) {
    // SERIAL is BIGINT UNSIGNED NOT NULL AUTO_INCREMENT with a unique key of its own, named after the column.
    metadata.table('serial_keyed', { id: sqlType('SERIAL').primaryKey(), note: varchar(5) })
    metadata.table('serial_plain', { id: integer().primaryKey(), n: sqlType('serial') })
  }
  return metadata
}

/** Tables as a DBA writes them by hand. */
const HANDMADE: Record<ServerDialect, string[]> = {
  postgresql: [
    `CREATE TYPE mood AS ENUM ('happy', 'sad')`,
    `CREATE TYPE unused AS ENUM ('x')`,
    `CREATE TABLE products (
       id SERIAL PRIMARY KEY,
       name varchar(255) DEFAULT NULL,
       sku character varying(32) NOT NULL UNIQUE,
       price numeric(10,2) NOT NULL CHECK (price > 0),
       stock int4 NOT NULL DEFAULT 0,
       active bool DEFAULT 't',
       created_at timestamp without time zone DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP,
       tags _text,
       ratio float8,
       small int2 DEFAULT -1,
       code bpchar(3),
       feeling mood DEFAULT 'happy',
       CONSTRAINT "Weird ""check""" CHECK (stock >= 0 AND name <> '' AND sku IN ('a', 'b') OR sku LIKE 'x%')
     )`,
    `COMMENT ON TABLE products IS 'catalogue'`,
    `COMMENT ON COLUMN products.sku IS 'stock keeping unit'`,
    'CREATE INDEX products_lower_name ON products (lower(name))',
    'CREATE UNIQUE INDEX products_active_sku ON products (sku) WHERE active',
    `CREATE TABLE orders (
       id bigserial PRIMARY KEY,
       product_id integer REFERENCES products ON DELETE SET NULL,
       qty int4 NOT NULL DEFAULT 1,
       note text DEFAULT 'n/a'::text,
       placed date DEFAULT CURRENT_DATE,
       CONSTRAINT qty_positive CHECK (qty > 0 AND qty BETWEEN 1 AND 1000)
     )`,
    `CREATE TABLE "Order Lines" ("Order" bigint REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED, line int, amount numeric, PRIMARY KEY ("Order", line))`,
    'CREATE VIEW order_view AS SELECT * FROM orders',
  ],
  mysql: [
    `CREATE TABLE products (
       id int(11) NOT NULL AUTO_INCREMENT,
       name varchar(255) DEFAULT NULL,
       sku varchar(32) NOT NULL,
       price decimal(10,2) NOT NULL,
       stock int(11) NOT NULL DEFAULT 0,
       active tinyint(1) DEFAULT 1,
       created_at datetime DEFAULT current_timestamp(),
       updated_at timestamp NOT NULL DEFAULT current_timestamp() ON UPDATE current_timestamp(),
       ratio double,
       kind enum('a','b') DEFAULT 'a',
       PRIMARY KEY (id),
       UNIQUE KEY sku (sku),
       KEY products_name (name),
       CONSTRAINT price_positive CHECK (price > 0)
     ) COMMENT='catalogue'`,
    `CREATE TABLE orders (
       id bigint(20) unsigned NOT NULL AUTO_INCREMENT PRIMARY KEY,
       product_id int(11) DEFAULT NULL,
       qty int(11) NOT NULL DEFAULT 1 COMMENT 'how many',
       note text,
       KEY fk_orders_product (product_id),
       CONSTRAINT fk_orders_product FOREIGN KEY (product_id) REFERENCES products (id) ON DELETE SET NULL,
       CHECK (qty > 0)
     )`,
    'CREATE TABLE `order lines` (`order` bigint(20) unsigned NOT NULL, line int NOT NULL, PRIMARY KEY (`order`, line), FOREIGN KEY (`order`) REFERENCES orders (id))',
    'CREATE VIEW order_view AS SELECT * FROM orders',
  ],
}
