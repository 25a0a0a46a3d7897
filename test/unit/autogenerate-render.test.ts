/**
 * Rendering autogenerate's result: revision bodies (evaluated back to equal operations, SQLite
 * batch blocks) and the models file of `migrator introspect` (loaded back, it compares equal).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { canonicalTable, stableJson } from '../../src/autogenerate/canonical.js'
import { compareSchemas, type CompareOptions } from '../../src/autogenerate/compare.js'
import { planMigration } from '../../src/autogenerate/order.js'
import { renderModels } from '../../src/autogenerate/render-models.js'
import { needsSqliteBatch, renderOperations } from '../../src/autogenerate/render-revision.js'
import type { DialectName } from '../../src/dialects/dialect.js'
import { sortTableSpecs, type SchemaSnapshot } from '../../src/dialects/introspector.js'
import { canonicalMysqlTable } from '../../src/dialects/mysql/mysql-introspector.js'
import { canonicalPostgresTable } from '../../src/dialects/postgres/postgres-introspector.js'
import { OperationFactory } from '../../src/operations/factory.js'
import { AlterColumnOp, CreateIndexOp, DropColumnOp, DropConstraintOp, DropIndexOp, DropTableOp, ExecuteSqlOp, type Operation } from '../../src/operations/ops.js'
import * as models from '../../src/schema/index.js'
import { bigint, boolean, check, enumType, index, integer, MetaData, numeric, sql, text, timestamp, unique, varchar } from '../../src/schema/index.js'
import type { TableSpec } from '../../src/schema/spec.js'
import { loadModule } from '../../src/script/module-loader.js'

const factory = new OperationFactory()

type AsyncFunctionConstructor = new (...args: string[]) => (...args: unknown[]) => Promise<unknown>
const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as AsyncFunctionConstructor

/** Where each batch directive puts the table among the `op` directive's arguments. */
const BATCH_TABLE_POSITION: Record<string, number> = {
  addColumn: 0,
  dropColumn: 0,
  alterColumn: 0,
  createIndex: 1,
  dropIndex: 1,
  createUniqueConstraint: 1,
  createForeignKey: 1,
  createCheckConstraint: 1,
  createPrimaryKey: 1,
  dropConstraint: 1,
}

/**
 * Runs a rendered body with `op` recording the operations each directive builds (batch blocks too:
 * their directives record the operation the `op` directive with the table would build). Only the
 * names in `imports` are in scope.
 */
async function evaluate(body: string, imports: readonly string[]): Promise<Operation[]> {
  const recorded: Operation[] = []
  const build = (method: string, args: unknown[]): Operation => {
    const builder = (factory as unknown as Record<string, (...a: unknown[]) => Operation>)[method]
    if (!builder) throw new Error(`op.${method} is not a directive`)
    return builder.apply(factory, args)
  }
  const recorder = new Proxy(
    {},
    {
      get: (_, method) => (...args: unknown[]) => {
        if (method === 'batchAlterTable') {
          const [table, changes, options] = args as [string, (batch: unknown) => void, { schema?: string } | undefined]
          const batch = new Proxy(
            {},
            {
              get: (__, inner) => (...innerArgs: unknown[]) => {
                const at = BATCH_TABLE_POSITION[inner as string]!
                if (options?.schema !== undefined) throw new Error('evaluate() does not do batch blocks with a schema')
                const full = [...innerArgs]
                full.splice(at, 0, table)
                recorded.push(build(inner as string, full))
              },
            },
          )
          return changes(batch)
        }
        recorded.push(build(method as string, args))
      },
    },
  )
  const values = imports.map((name) => {
    if (!(name in models)) throw new Error(`rendered source imports '${name}', which migrator does not export`)
    return (models as Record<string, unknown>)[name]
  })
  await new AsyncFunction('op', ...imports, body)(recorder, ...values)
  return recorded
}

/** What rendering keeps of an operation: drops lose the definition they carry for reverse() (as in Alembic). */
function rendered(op: Operation): Operation {
  switch (op.kind) {
    case 'dropTable':
      return new DropTableOp({ name: op.name, schema: op.schema, ifExists: op.ifExists })
    case 'dropColumn':
      return new DropColumnOp({ tableName: op.tableName, columnName: op.columnName, schema: op.schema })
    case 'dropIndex':
      return new DropIndexOp({ name: op.name, tableName: op.tableName, schema: op.schema })
    case 'dropConstraint':
      return new DropConstraintOp({ name: op.name, tableName: op.tableName, schema: op.schema, type: op.type })
    case 'execute':
      return new ExecuteSqlOp({ sql: op.sql, params: op.params })
    default:
      return op
  }
}

const OPTIONS = { compareType: true, compareServerDefault: true, versionTable: 'migrator_version' } as const
const options = (dialect: DialectName): CompareOptions => ({ ...OPTIONS, dialect })

function snapshotOf(metadata: MetaData, dialect: DialectName): SchemaSnapshot {
  const canonical = (t: TableSpec): TableSpec => (dialect === 'postgresql' ? canonicalPostgresTable(t) : dialect === 'mysql' ? canonicalMysqlTable(t) : canonicalTable(t, 'sqlite'))
  return { tables: sortTableSpecs(metadata.toSpecs().map(canonical)), enums: [] }
}

function schemaChange(): { before: MetaData; after: MetaData } {
  const before = new MetaData()
  const users = before.table('users', { id: integer().primaryKey().autoincrement(), name: varchar(50), age: integer() }, { indexes: [index('ix_users_name').on('name')] })
  before.table('posts', { id: integer().primaryKey(), author_id: integer().references(() => users.columns.id), title: text().notNull() })
  before.table('legacy', { id: integer().primaryKey() })

  const after = new MetaData()
  const users2 = after.table(
    'users',
    { id: integer().primaryKey().autoincrement(), name: varchar(100).notNull().default(''), email: varchar(255).unique(), status: enumType('user_status', ['active', 'banned']).notNull().default('active') },
    { checks: [check('ck_users_name', sql`name <> ''`)], indexes: [index('ix_users_name').on(sql`lower(name)`)], comment: 'people' },
  )
  after.table('posts', { id: integer().primaryKey(), author_id: integer().references(() => users2.columns.id, { onDelete: 'cascade' }), title: text().notNull(), score: numeric(5, 2).default(0) })
  after.table('tags', { id: bigint().primaryKey().autoincrement(), post_id: integer().notNull().references('posts.id'), label: text().notNull() }, { uniques: [unique().on('post_id', 'label')] })
  return { before, after }
}

describe('renderOperations', () => {
  it('renders a PostgreSQL upgrade and downgrade that evaluate back to the same operations', async () => {
    const { before, after } = schemaChange()
    const plan = planMigration(compareSchemas(snapshotOf(before, 'postgresql'), { tables: after.toSpecs(), enums: [] }, options('postgresql')))
    const upgrade = renderOperations(plan.upgrade, { dialect: 'postgresql' })
    expect(upgrade.body).toMatchInlineSnapshot(`
      "await op.createEnum('user_status', ['active', 'banned'])
        await op.dropConstraint('posts_author_id_fkey', 'posts', { type: 'foreignkey' })
        await op.dropIndex('ix_users_name', 'users')
        await op.dropColumn('users', 'age')
        await op.dropTable('legacy')
        await op.createTable('tags', {
          id: bigint().primaryKey().autoincrement(),
          post_id: integer().notNull(),
          label: text().notNull(),
        }, {
          uniques: [unique().on('post_id', 'label')],
          foreignKeys: [foreignKey(['post_id'], { table: 'posts', columns: ['id'] })],
        })
        await op.addColumn('posts', 'score', numeric(5, 2).default(0))
        await op.addColumn('users', 'email', varchar(255))
        await op.addColumn('users', 'status', enumType('user_status', ['active', 'banned']).notNull().default('active'))
        await op.alterColumn('users', 'name', { type: varchar(100), nullable: false, serverDefault: '', existingType: varchar(50), existingNullable: true, existingServerDefault: null, existingComment: null })
        await op.createTableComment('users', 'people', { existingComment: null })
        await op.createIndex('ix_users_name', 'users', [sql\`lower(name)\`])
        await op.createUniqueConstraint('users_email_key', 'users', ['email'])
        await op.createCheckConstraint('ck_users_name', 'users', sql\`name <> ''\`)
        await op.createForeignKey('posts_author_id_fkey', 'posts', 'users', ['author_id'], ['id'], { onDelete: 'CASCADE' })"
    `)
    expect(upgrade.imports).toEqual(['bigint', 'enumType', 'foreignKey', 'integer', 'numeric', 'sql', 'text', 'unique', 'varchar'])
    expect(await evaluate(upgrade.body, upgrade.imports)).toEqual(plan.upgrade.map(rendered))

    const downgrade = renderOperations(plan.downgrade, { dialect: 'postgresql' })
    expect(downgrade.body.split('\n').slice(0, 4)).toEqual([
      "await op.dropConstraint('posts_author_id_fkey', 'posts', { type: 'foreignkey' })",
      "  await op.dropConstraint('ck_users_name', 'users', { type: 'check' })",
      "  await op.dropConstraint('users_email_key', 'users', { type: 'unique' })",
      "  await op.dropIndex('ix_users_name', 'users')",
    ])
    // The type, default and nullability of users.name: one call each way, the downgrade its exact reverse.
    expect(downgrade.body.split('\n').filter((line) => line.includes('alterColumn'))).toEqual([
      "  await op.alterColumn('users', 'name', { type: varchar(50), nullable: true, serverDefault: null, existingType: varchar(100), existingNullable: false, existingServerDefault: '', existingComment: null })",
    ])
    expect(await evaluate(downgrade.body, downgrade.imports)).toEqual(plan.downgrade.map(rendered))
  })

  it('renders nothing for no operations, and honours the indentation', () => {
    expect(renderOperations([])).toEqual({ body: '', imports: [] })
    const body = renderOperations([factory.dropColumn('t', 'a'), factory.dropColumn('t', 'b')], { indent: '    ' }).body
    expect(body).toBe("await op.dropColumn('t', 'a')\n    await op.dropColumn('t', 'b')")
  })

  it('renders execute operations knowing their inverse as plain execute calls', async () => {
    const before = new MetaData()
    before.table('t', { id: integer().primaryKey() })
    const after = new MetaData()
    after.table('t', { id: integer().primaryKey().autoincrement() })
    const plan = planMigration(compareSchemas(snapshotOf(before, 'postgresql'), { tables: after.toSpecs(), enums: [] }, options('postgresql')))
    const up = renderOperations(plan.upgrade)
    expect(up.body).toBe(`await op.execute('DO $migrator$ BEGIN ALTER TABLE "t" ALTER COLUMN "id" ADD GENERATED BY DEFAULT AS IDENTITY; PERFORM setval(pg_get_serial_sequence(\\'"t"\\', \\'id\\'), max("id")) FROM "t" HAVING max("id") >= 1; END $migrator$')`)
    expect(await evaluate(up.body, up.imports)).toEqual(plan.upgrade.map(rendered))
    expect(renderOperations(plan.downgrade).body).toBe(`await op.execute('ALTER TABLE "t" ALTER COLUMN "id" DROP IDENTITY')`)
  })

  it('groups the changes SQLite makes by copy-and-move into one batch block per table', async () => {
    const { before, after } = schemaChange()
    const plan = planMigration(compareSchemas(snapshotOf(before, 'sqlite'), { tables: after.toSpecs(), enums: [] }, options('sqlite')))
    const upgrade = renderOperations(plan.upgrade, { dialect: 'sqlite' })
    expect(upgrade.body).toMatchInlineSnapshot(`
      "await op.batchAlterTable('posts', (batch) => {
          batch.dropConstraint('posts_author_id_fkey', { type: 'foreignkey' })
          batch.addColumn('score', numeric(5, 2).default(0))
          batch.createForeignKey('posts_author_id_fkey', 'users', ['author_id'], ['id'], { onDelete: 'CASCADE' })
        })
        await op.batchAlterTable('users', (batch) => {
          batch.dropIndex('ix_users_name')
          batch.dropColumn('age')
          batch.addColumn('email', varchar(255))
          batch.addColumn('status', enumType('user_status', ['active', 'banned']).notNull().default('active'))
          batch.alterColumn('name', { type: varchar(100), nullable: false, serverDefault: '', existingType: varchar(50), existingNullable: true, existingServerDefault: null, existingComment: null })
          batch.createIndex('ix_users_name', [sql\`lower(name)\`])
          batch.createUniqueConstraint('users_email_key', ['email'])
          batch.createCheckConstraint('ck_users_name', sql\`name <> ''\`)
        })
        await op.dropTable('legacy')
        await op.createTable('tags', {
          id: bigint().primaryKey().autoincrement(),
          post_id: integer().notNull(),
          label: text().notNull(),
        }, {
          uniques: [unique().on('post_id', 'label')],
          foreignKeys: [foreignKey(['post_id'], { table: 'posts', columns: ['id'] })],
        })"
    `)
    const evaluated = await evaluate(upgrade.body, upgrade.imports)
    const sortKey = (op: Operation): string => stableJson(rendered(op))
    expect(evaluated.map(sortKey).sort()).toEqual(plan.upgrade.map(sortKey).sort())
    const downgrade = renderOperations(plan.downgrade, { dialect: 'sqlite' })
    expect(downgrade.body.split('\n').filter((line) => line.includes('alterColumn'))).toEqual([
      "    batch.alterColumn('name', { type: varchar(50), nullable: true, serverDefault: null, existingType: varchar(100), existingNullable: false, existingServerDefault: '', existingComment: null })",
    ])
    expect(needsSqliteBatch(factory.alterColumn('t', 'a', { nullable: false }))).toBe(true)
    expect(needsSqliteBatch(factory.alterColumn('t', 'a', { newColumnName: 'b' }))).toBe(false)
    expect(needsSqliteBatch(factory.addColumn('t', 'a', integer()))).toBe(false)
    expect(needsSqliteBatch(factory.createIndex('ix', 't', ['a']))).toBe(false)
    expect(needsSqliteBatch(factory.createTable('t', { a: integer() }))).toBe(false)
    // Only tables with a change that needs it are batched; other dialects never.
    const plain = renderOperations([factory.addColumn('t', 'a', integer()), factory.createIndex('ix', 't', ['a'])], { dialect: 'sqlite' })
    expect(plain.body).toBe("await op.addColumn('t', 'a', integer())\n  await op.createIndex('ix', 't', ['a'])")
    expect(renderOperations([new AlterColumnOp({ tableName: 't', columnName: 'a', nullable: false })], { dialect: 'postgresql' }).body).toBe("await op.alterColumn('t', 'a', { nullable: false })")
  })

  it('names the schema of a batch block', async () => {
    const ops = [new CreateIndexOp({ tableName: 't', schema: 's', index: { name: 'ix', columns: ['a'] } }), factory.dropConstraint('ck', 't', { type: 'check', schema: 's' })]
    const out = renderOperations(ops, { dialect: 'sqlite' })
    expect(out.body).toBe("await op.batchAlterTable('t', (batch) => {\n    batch.createIndex('ix', ['a'])\n    batch.dropConstraint('ck', { type: 'check' })\n  }, { schema: 's' })")
  })
})

// ---------------------------------------------------------------------------------------------

describe('renderModels', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'migrator-models-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  async function load(source: string, name: string): Promise<MetaData> {
    const file = path.join(dir, `${name}.ts`)
    writeFileSync(file, source)
    const exports = await loadModule(file)
    return exports['metadata'] as MetaData
  }

  const postgres: SchemaSnapshot = {
    enums: [
      { kind: 'enum', name: 'mood', values: ['happy', 'sad'] },
      { kind: 'enum', name: 'user_status', values: ['active', "it's"] },
    ],
    tables: [
      {
        name: 'Weird "Name"',
        columns: [
          { name: 'Mixed Case', type: { kind: 'integer' }, nullable: false },
          { name: 'order', type: { kind: 'text' }, nullable: false, serverDefault: "'quoted'" },
          { name: 'class', type: { kind: 'varchar', length: 10 }, nullable: true },
        ],
        primaryKey: { name: 'Weird "Name"_pkey', columns: ['Mixed Case'] },
        uniques: [],
        foreignKeys: [],
        checks: [{ name: 'Check "x"', expression: sql`"Mixed Case" > 0` }],
        indexes: [{ name: 'Ix Weird', columns: ['order', sql`lower("order")`] }],
        comment: 'quoted names',
      },
      {
        name: 'a_child',
        columns: [
          { name: 'id', type: { kind: 'bigint' }, nullable: false, autoincrement: true, identity: { always: true, start: 100 } },
          { name: 'parent_id', type: { kind: 'integer' }, nullable: false },
          { name: 'status', type: { kind: 'enum', name: 'user_status', values: ['active', "it's"] }, nullable: false, serverDefault: 'active' },
          { name: 'statuses', type: { kind: 'array', itemType: { kind: 'enum', name: 'user_status', values: ['active', "it's"] } }, nullable: true },
          { name: 'created', type: { kind: 'timestamp', timezone: true }, nullable: false, serverDefault: sql`now()` },
          { name: 'score', type: { kind: 'numeric', precision: 5, scale: 2 }, nullable: true, serverDefault: 1.5, comment: 'the score' },
          { name: 'big', type: { kind: 'bigint' }, nullable: true, serverDefault: 9007199254740993n },
          { name: 'vector', type: { kind: 'custom', sql: 'tsvector' }, nullable: true },
        ],
        primaryKey: { name: 'a_child_pkey', columns: ['id'] },
        uniques: [
          { name: 'a_child_parent_id_key', columns: ['parent_id'] },
          { name: 'uq_child_status', columns: ['parent_id', 'status'] },
        ],
        foreignKeys: [
          { name: 'a_child_parent_id_fkey', columns: ['parent_id'], referredTable: 'z_parent', referredColumns: ['id'], onDelete: 'CASCADE' },
          { name: 'fk_custom', columns: ['parent_id'], referredTable: 'z_parent', referredColumns: ['id'], deferrable: true, initially: 'DEFERRED' },
        ],
        checks: [
          { name: 'a_child_score_check', expression: sql`score > 0::numeric` },
          { name: 'score_small', expression: sql`score < 100::numeric` },
        ],
        indexes: [{ name: 'ix_child_live', columns: ['created'], unique: true, where: sql`status = 'active'::user_status`, using: 'brin' }],
      },
      {
        name: 'z_parent',
        columns: [
          { name: 'id', type: { kind: 'integer' }, nullable: false, autoincrement: true },
          { name: 'child_id', type: { kind: 'bigint' }, nullable: true },
        ],
        primaryKey: { name: 'pk_parent', columns: ['id'] },
        uniques: [],
        foreignKeys: [{ name: 'z_parent_child_id_fkey', columns: ['child_id'], referredTable: 'a_child', referredColumns: ['id'] }],
        checks: [],
        indexes: [],
      },
    ],
  }

  it('writes a PostgreSQL models file that loads back to no difference', async () => {
    const source = renderModels(postgres, { dialect: 'postgresql' })
    expect(source).toMatchInlineSnapshot(`
      "/**
       * Models of the database, written by \`migrator introspect\`.
       */
      import { MetaData, array, bigint, check, enumType, foreignKey, index, integer, numeric, sql, sqlType, text, timestamp, unique, varchar } from 'migrator'

      export const metadata = new MetaData()

      export const mood = enumType('mood', ['happy', 'sad'])
      export const userStatus = enumType('user_status', ['active', 'it\\'s'])

      export const weirdName = metadata.table('Weird "Name"', {
        'Mixed Case': integer().primaryKey(),
        order: text().notNull().default('\\'quoted\\''),
        class: varchar(10),
      }, {
        checks: [check('Check "x"', sql\`"Mixed Case" > 0\`)],
        indexes: [index('Ix Weird').on('order', sql\`lower("order")\`)],
        comment: 'quoted names',
      })

      export const aChild = metadata.table('a_child', {
        id: bigint().primaryKey().identity({ always: true, start: 100 }),
        parent_id: integer().notNull().unique(),
        status: userStatus.notNull().default('active'),
        statuses: array(userStatus),
        created: timestamp({ timezone: true }).notNull().default(sql\`now()\`),
        score: numeric(5, 2).default(1.5).comment('the score'),
        big: bigint().default(9007199254740993n),
        vector: sqlType('tsvector'),
      }, {
        uniques: [unique('uq_child_status').on('parent_id', 'status')],
        foreignKeys: [
          foreignKey(['parent_id'], { table: 'z_parent', columns: ['id'] }, { onDelete: 'CASCADE' }),
          foreignKey(['parent_id'], { table: 'z_parent', columns: ['id'] }, { name: 'fk_custom', deferrable: true, initially: 'DEFERRED' }),
        ],
        checks: [check(sql\`score > 0::numeric\`), check('score_small', sql\`score < 100::numeric\`)],
        indexes: [
          index('ix_child_live').on('created').unique().where(sql\`status = 'active'::user_status\`).using('brin'),
        ],
      })

      export const zParent = metadata.table('z_parent', {
        id: integer().autoincrement(),
        child_id: bigint(),
      }, {
        primaryKey: { name: 'pk_parent', columns: ['id'] },
        foreignKeys: [foreignKey(['child_id'], { table: 'a_child', columns: ['id'] })],
      })
      "
    `)
    const metadata = await load(source, 'postgres-models')
    expect(compareSchemas(postgres, { tables: metadata.toSpecs(), enums: [] }, options('postgresql'))).toEqual([])
  })

  it('writes MySQL and SQLite models files that load back to no difference', async () => {
    const metadata = new MetaData()
    const orgs = metadata.table('orgs', { id: integer().primaryKey().autoincrement(), name: varchar(100).notNull().unique() }, { comment: 'orgs' })
    metadata.table(
      'users',
      {
        id: bigint().unsigned().primaryKey().autoincrement(),
        org_id: integer().references(() => orgs.columns.id, { onDelete: 'cascade' }),
        email: varchar(255).notNull(),
        status: enumType('user_status', ['active', 'banned']).notNull().default('active'),
        flag: boolean().default(true),
        at: timestamp({ precision: 3 }).default(sql`CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)`),
      },
      { uniques: [unique('uq_users_email').on('email', 'org_id')], checks: [check(sql`email <> ''`)], indexes: [index('ix_users_at').on('at')] },
    )
    for (const dialect of ['mysql', 'sqlite'] as const) {
      const snapshot = snapshotOf(metadata, dialect)
      const named: SchemaSnapshot = {
        enums: [],
        tables: snapshot.tables.map((t) => ({
          ...t,
          uniques: t.uniques.map((u) => ({ ...u, name: u.name ?? u.columns[0]! })),
          foreignKeys: t.foreignKeys.map((fk, i) => ({ ...fk, name: fk.name ?? `${t.name}_ibfk_${i + 1}` })),
          checks: t.checks.map((c, i) => ({ ...c, name: c.name ?? `CONSTRAINT_${i + 1}` })),
        })),
      }
      const source = renderModels(named, { dialect })
      if (dialect === 'mysql') {
        expect(source).toContain("name: varchar(100).notNull().unique(),")
        expect(source).toContain("foreignKeys: [foreignKey(['org_id'], { table: 'orgs', columns: ['id'] }, { onDelete: 'CASCADE' })],")
        expect(source).toContain("checks: [check(sql`email <> ''`)],")
        expect(source).toContain("status: enumType('status', ['active', 'banned']).notNull().default('active'),")
      }
      const loaded = await load(source, `${dialect}-models`)
      expect(compareSchemas(named, { tables: loaded.toSpecs(), enums: [] }, options(dialect)), dialect).toEqual([])
    }
  })

  it('keeps variable names clear of imports, reserved words and each other', () => {
    const table = (name: string): TableSpec => ({ name, columns: [{ name: 'id', type: { kind: 'integer' }, nullable: false }], uniques: [], foreignKeys: [], checks: [], indexes: [] })
    const source = renderModels({ enums: [], tables: ['index', 'class', 'my table', 'my-table', '1st', 'metadata', 'naïve_таблица'].map(table) }, { dialect: 'postgresql' })
    const names = [...source.matchAll(/^export const (\S+) = metadata\.table/gm)].map((m) => m[1])
    expect(names).toEqual(['indexTable', 'classTable', 'myTable', 'myTable2', '_1st', 'metadataTable', 'naïveТаблица'])
  })
})
