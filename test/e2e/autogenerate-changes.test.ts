/**
 * End-to-end, the Alembic-style matrix on SQLite, PostgreSQL and MariaDB/MySQL, through the real
 * CLI on a scratch project whose `models.ts` is the target metadata: for each kind of change of
 * DESIGN §9, edit the models, `revision --autogenerate` (the change line printed, a file written),
 * `upgrade head`, `check` finds nothing, `downgrade -1` gives back the schema read from the catalog
 * before the change, with every row kept. Each change then leaves the project as it was (its
 * revision file is removed), so the next one starts from the base schema.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { removeScratchDirs } from '../support/cli.js'
import type { TestDialect } from '../support/databases.js'
import { detectedLines, modelsProject, q, revisionFiles, snapshotOf, type ModelsProject } from '../support/autogenerate.js'
import { query } from '../support/inspect.js'
import { describeDialects, expectExit } from '../support/runtime.js'

afterAll(removeScratchDirs)

/** What a change does to the base models. */
interface Variant {
  commentsTable?: boolean
  noTags?: boolean
  nickname?: boolean
  noBody?: boolean
  nameType?: boolean
  nameNotNull?: boolean
  nameDefault?: boolean
  ageDefault?: boolean
  comments?: boolean
  tagsKey?: boolean
  uniqueTitleIndex?: boolean
  expressionIndex?: boolean
  partialIndex?: boolean
  hashIndex?: boolean
  uniqueConstraint?: boolean
  cascade?: boolean
  ageCheck?: boolean
  statusValue?: boolean
  mood?: boolean
  postsAutoincrement?: boolean
}

/** The models file of the base schema changed by `v`. */
function modelsSource(dialect: TestDialect, v: Variant = {}): string {
  const comments = dialect !== 'sqlite'
  const indexes = [
    `index('ix_users_name').on('name')`,
    ...(v.expressionIndex ? [`index('ix_users_lower_email').on(sql\`lower(email)\`)`] : []),
    ...(v.partialIndex ? [`index('ix_users_adult').on('age').where(sql\`age >= 18\`)`] : []),
    ...(v.hashIndex ? [`index('ix_users_email_hash').on('email').using('hash')`] : []),
  ]
  const name = `varchar(${v.nameType ? 100 : 50})${v.nameDefault ? `.default('nobody')` : ''}${v.nameNotNull ? '.notNull()' : ''}${comments ? `.comment('${v.comments ? 'shown name' : 'display name'}')` : ''}`
  const status = v.statusValue ? `['active', 'pending', 'banned']` : `['active', 'banned']`
  return `import { MetaData, bigint, check, enumType, index, integer, sql, text, timestamp, unique, varchar } from 'migrator'

export const metadata = new MetaData()

export const users = metadata.table('users', {
  id: integer().primaryKey().autoincrement(),
  email: varchar(255).notNull().unique(),
  name: ${name},
  age: integer().default(${v.ageDefault ? 18 : 0}),
  status: enumType('user_status', ${status}).notNull().default('active'),
  created_at: timestamp().notNull().default(sql\`CURRENT_TIMESTAMP\`),
  ${v.nickname ? `nickname: varchar(30),` : ''}
  ${v.mood ? `mood: enumType('mood', ['ok', 'meh']),` : ''}
}, {
  indexes: [${indexes.join(', ')}],
  checks: [${v.ageCheck ? `check('ck_users_age', sql\`age >= 0\`)` : ''}],
  ${comments ? `comment: '${v.comments ? 'registered people' : 'people'}',` : ''}
})

export const posts = metadata.table('posts', {
  id: integer().notNull()${v.postsAutoincrement ? '.autoincrement()' : ''},
  author_id: integer().notNull().references(() => users.columns.id${v.cascade ? `, { onDelete: 'cascade', onUpdate: 'cascade' }` : ''}),
  title: varchar(200).notNull(),
  ${v.noBody ? '' : 'body: text(),'}
}, {
  primaryKey: ['id'],
  indexes: [${v.uniqueTitleIndex ? `index('ix_posts_title').on('title').unique()` : ''}],
  uniques: [${v.uniqueConstraint ? `unique('uq_posts_author_title').on('author_id', 'title')` : ''}],
})

${v.noTags ? '' : `export const tags = metadata.table('tags', {
  id: integer().notNull(),
  label: varchar(40).notNull(),
}, { primaryKey: ${v.tagsKey ? `['id', 'label']` : `['id']`} })`}

${v.commentsTable ? `export const comments = metadata.table('comments', {
  id: bigint().primaryKey().autoincrement(),
  post_id: integer().notNull().references(() => posts.columns.id, { onDelete: 'cascade' }),
  user_id: integer().references(() => users.columns.id, { onDelete: 'set null' }),
  body: text().notNull(),
})` : ''}
`
}

interface Change {
  readonly title: string
  readonly variant: Variant
  /** The `Detected …` lines expected (each matched by one printed line, in any order). */
  readonly lines: readonly RegExp[]
  readonly only?: readonly TestDialect[]
  /** How many `alterColumn` calls the revision file holds (upgrade and downgrade together). */
  readonly alterColumns?: number
}

const CHANGES: readonly Change[] = [
  { title: 'add a table with foreign keys', variant: { commentsTable: true }, lines: [/^Detected added table 'comments'$/] },
  { title: 'remove a table', variant: { noTags: true }, lines: [/^Detected removed table 'tags'$/] },
  { title: 'add a column', variant: { nickname: true }, lines: [/^Detected added column 'users\.nickname'$/] },
  { title: 'remove a column', variant: { noBody: true }, lines: [/^Detected removed column 'posts\.body'$/] },
  { title: 'change a type', variant: { nameType: true }, lines: [/^Detected changed type of 'users\.name': .*50.* -> .*100/] },
  { title: 'change nullability', variant: { nameNotNull: true }, lines: [/^Detected changed nullability of 'users\.name': NULL -> NOT NULL$/] },
  { title: 'change a server default', variant: { ageDefault: true }, lines: [/^Detected changed default of 'users\.age': 0 -> 18$/] },
  {
    title: 'change the type, default and nullability of a column at once',
    variant: { nameType: true, nameDefault: true, nameNotNull: true },
    lines: [
      /^Detected changed type of 'users\.name': .*50.* -> .*100/,
      /^Detected changed default of 'users\.name': none -> 'nobody'$/,
      /^Detected changed nullability of 'users\.name': NULL -> NOT NULL$/,
    ],
    // One each way, as Alembic writes it (one MODIFY on MySQL).
    alterColumns: 2,
  },
  {
    title: 'change column and table comments',
    variant: { comments: true },
    lines: [/^Detected changed comment of 'users\.name': 'display name' -> 'shown name'$/, /^Detected changed comment of table 'users': 'people' -> 'registered people'$/],
    only: ['postgresql', 'mysql'],
  },
  { title: 'change a primary key', variant: { tagsKey: true }, lines: [/^Detected changed primary key of 'tags': \(id\) -> \(id, label\)$/] },
  // MySQL has no unique index apart from a unique constraint: it reads back as one.
  { title: 'add a unique index', variant: { uniqueTitleIndex: true }, lines: [/^Detected added unique (index|constraint) 'ix_posts_title' on posts\(title\)/] },
  { title: 'add an expression index', variant: { expressionIndex: true }, lines: [/^Detected added index 'ix_users_lower_email' on users\(lower\(email\)\)/], only: ['postgresql', 'sqlite'] },
  { title: 'add a partial index', variant: { partialIndex: true }, lines: [/^Detected added index 'ix_users_adult' on users\(age\) WHERE age >= 18/], only: ['postgresql', 'sqlite'] },
  { title: 'add an index with a method', variant: { hashIndex: true }, lines: [/^Detected added index 'ix_users_email_hash' on users\(email\) USING hash/], only: ['postgresql'] },
  { title: 'add a unique constraint', variant: { uniqueConstraint: true }, lines: [/^Detected added unique constraint 'uq_posts_author_title' on posts\(author_id, title\)$/] },
  { title: 'change the actions of a foreign key', variant: { cascade: true }, lines: [/^Detected changed foreign key '.*': posts\(author_id\) -> users\(id\).* -> .*ON DELETE CASCADE ON UPDATE CASCADE/] },
  { title: 'add a check constraint', variant: { ageCheck: true }, lines: [/^Detected added check constraint 'ck_users_age' on 'users': age >= 0$/] },
  { title: 'add a value to an enum type', variant: { statusValue: true }, lines: [/^Detected added value 'pending' to enum type 'user_status'$/], only: ['postgresql'] },
  {
    title: 'add an enum type with a column',
    variant: { mood: true },
    lines: [/^Detected added enum type 'mood' \('ok', 'meh'\)$/, /^Detected added column 'users\.mood'$/],
    only: ['postgresql'],
  },
  { title: 'change the values of an ENUM column', variant: { statusValue: true }, lines: [/^Detected changed type of 'users\.status': .*'banned'.* -> .*'pending'/], only: ['mysql', 'sqlite'] },
  { title: 'add autoincrement', variant: { postsAutoincrement: true }, lines: [/^Detected added (identity|AUTO_INCREMENT) to 'posts\.id'$/], only: ['postgresql', 'mysql'] },
]

describeDialects('autogenerate: each kind of change', ({ dialect, url }) => {
  let project: ModelsProject
  const rows = async (): Promise<unknown[]> => [
    ...(await query(dialect, url(), `SELECT ${q(dialect, 'id')}, ${q(dialect, 'email')}, ${q(dialect, 'name')}, ${q(dialect, 'age')}, ${q(dialect, 'status')} FROM ${q(dialect, 'users')} ORDER BY 1`)),
    ...(await query(dialect, url(), `SELECT ${q(dialect, 'id')}, ${q(dialect, 'author_id')}, ${q(dialect, 'title')} FROM ${q(dialect, 'posts')} ORDER BY 1`)),
  ]
  let baseRows: unknown[] = []
  let baseRevision = ''

  it('builds the base schema from fresh models, then finds no change', async () => {
    project = modelsProject(url())
    project.models(modelsSource(dialect))
    const { result, file } = await project.autogenerate('base')
    baseRevision = path.basename(file).split('_')[0]!
    expect(detectedLines(result)).toEqual(expect.arrayContaining(["Detected added table 'users'", "Detected added table 'posts'", "Detected added table 'tags'"]))
    await project.ok(['upgrade', 'head'])
    const again = await project.ok(['revision', '--autogenerate', '-m', 'nothing'])
    expect(again.stderr).toContain('No changes detected')
    expect(again.stdout).toBe('')
    expect(revisionFiles(project)).toHaveLength(1)
    await query(dialect, url(), `INSERT INTO ${q(dialect, 'users')} (${q(dialect, 'email')}, ${q(dialect, 'name')}, ${q(dialect, 'age')}) VALUES ('ann@example.com', 'Ann', 30), ('bob@example.com', 'Bob', 40)`)
    await query(dialect, url(), `INSERT INTO ${q(dialect, 'posts')} (${q(dialect, 'id')}, ${q(dialect, 'author_id')}, ${q(dialect, 'title')}) VALUES (1, 1, 'first'), (2, 2, 'second')`)
    baseRows = await rows()
    expect(baseRows).toHaveLength(4)
  })

  for (const change of CHANGES.filter((c) => c.only === undefined || c.only.includes(dialect))) {
    it(change.title, async () => {
      const before = await snapshotOf(dialect, url())
      project.models(modelsSource(dialect, change.variant))
      let file: string | undefined
      let restored = false
      try {
        const generated = await project.autogenerate(change.title)
        file = generated.file
        const printed = detectedLines(generated.result)
        expect(printed, generated.result.stderr).toHaveLength(change.lines.length)
        for (const line of change.lines) expect(printed.some((p) => line.test(p)), `${line} in\n${printed.join('\n')}`).toBe(true)
        if (change.alterColumns !== undefined) expect(fs.readFileSync(file, 'utf8').match(/\balterColumn\(/g), fs.readFileSync(file, 'utf8')).toHaveLength(change.alterColumns)

        await project.ok(['upgrade', 'head'])
        const check = await project.run(['check'])
        expectExit(check, 0, ['check'])
        expect(check.stdout).toBe('No new upgrade operations detected.\n')
        expect(await rows()).toEqual(baseRows)

        await project.ok(['downgrade', '-1'])
        restored = true
        expect(await snapshotOf(dialect, url())).toEqual(before)
        expect(await rows()).toEqual(baseRows)
      } finally {
        // Whatever happened, the next change starts from the base revision and models.
        if (file !== undefined) {
          if (!restored) await project.run(['downgrade', baseRevision])
          fs.unlinkSync(file)
        }
        project.models(modelsSource(dialect))
      }
    })
  }

  it('finds the base schema unchanged after all that', async () => {
    const result = await project.ok(['check'])
    expect(result.stdout).toBe('No new upgrade operations detected.\n')
  })
})
