/**
 * The migration environment, loaded by every command that touches the database.
 * It works as written: the models come from `target_metadata` in migrator.ini and the
 * database from `database_url` (or MIGRATOR_DATABASE_URL / --url).
 * Uncomment what you need; every member is optional.
 */
import { defineEnv } from 'migrator'
// import { metadata } from '../src/models'

export default defineEnv({
  // The models compared by `revision --autogenerate` and `check` (wins over target_metadata):
  // targetMetadata: metadata,

  // The database URL, when it is not in migrator.ini (--url and MIGRATOR_DATABASE_URL still win):
  // url: ({ x }) => x.url ?? process.env.APP_DATABASE_URL,

  // Objects autogenerate should ignore:
  // includeObject: (object) => !(object.type === 'table' && object.name.startsWith('legacy_')),
  // includeName: (name, type) => type !== 'schema' || name === 'public',
  // includeSchemas: ['public', 'audit'],

  // compareType: true,
  // compareServerDefault: true,
  // transactionPerMigration: false,
})
