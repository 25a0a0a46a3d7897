import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  databaseUrlEnvVar,
  loadConfig,
  parseXArgs,
  splitCommandLine,
  type Config,
  type LoadConfigOptions,
} from '../../src/config/config.js'
import { parseDatabaseUrl } from '../../src/config/database-url.js'
import { parseDotEnv } from '../../src/config/dotenv.js'
import { parseIni, type InterpolationContext } from '../../src/config/ini-file.js'
import { ConfigError, MigratorError, UsageError } from '../../src/errors.js'

const SECRET = 'hunter2-S3cr3t'
const tempRoots: string[] = []

afterAll(() => {
  for (const root of tempRoots) rmSync(root, { recursive: true, force: true })
})

/** A scratch folder holding `files` (relative paths); returns its absolute path. */
function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'migrator-config-'))
  tempRoots.push(root)
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(root, name)
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, content)
  }
  return root
}

/** Load `ini` as `<tmp>/migrator.ini` (plus other files) with a fresh env. */
function configOf(ini: string, options: Partial<LoadConfigOptions> = {}, files: Record<string, string> = {}): Config {
  const cwd = project({ 'migrator.ini': ini, ...files })
  return loadConfig({ cwd, env: {}, ...options })
}

function thrown(action: () => unknown): MigratorError {
  try {
    action()
  } catch (error) {
    expect(error).toBeInstanceOf(MigratorError)
    return error as MigratorError
  }
  throw new Error('expected an error')
}

function configError(action: () => unknown, code: string): ConfigError {
  const error = thrown(action)
  expect(error).toBeInstanceOf(ConfigError)
  expect(error.code).toBe(`config.${code}`)
  expect(error.exitCode).toBe(2)
  expect(error.message).not.toContain(SECRET)
  expect(error.message).not.toContain('\n')
  return error as ConfigError
}

const context: InterpolationContext = { here: '/proj', env: {} }

describe('parseIni: configparser syntax', () => {
  it('accepts key = value and key: value, splitting at the first = or :', () => {
    const ini = parseIni('[s]\na = 1\nb: 2\nc=x:y\nd: u=v\ne :f\n', 't.ini')
    expect(['a', 'b', 'c', 'd', 'e'].map((key) => ini.raw('s', key))).toEqual(['1', '2', 'x:y', 'u=v', 'f'])
  })

  it('keeps ; # quotes and = inside values', () => {
    const ini = parseIni(`[s]\nurl = postgresql://u:p;w#d="q"'r'=@h/db ; not a comment\n`, 't.ini')
    expect(ini.raw('s', 'url')).toBe(`postgresql://u:p;w#d="q"'r'=@h/db ; not a comment`)
  })

  it('skips full-line # and ; comments, also indented ones outside values', () => {
    const ini = parseIni('# top\n; top\n[s]\n  # indented\na = 1\n;b = 2\n#c = 3\n', 't.ini')
    expect(ini.keys('s')).toEqual(['a'])
  })

  it('joins indented continuation lines, keeps inner empty lines, drops comments and trailing blanks', () => {
    const ini = parseIni('[s]\nhooks = a,\n  b\n\n  # comment\n    c\n\n\nnext = 1\n', 't.ini')
    expect(ini.raw('s', 'hooks')).toBe('a,\nb\n\nc')
    expect(ini.raw('s', 'next')).toBe('1')
  })

  it('reads a line indented deeper than its key as continuation, even if it looks like a header', () => {
    const ini = parseIni('[s]\na = 1\n  [t]\n  b = 2\n', 't.ini')
    expect(ini.raw('s', 'a')).toBe('1\n[t]\nb = 2')
    expect(ini.sectionNames).toEqual(['s'])
  })

  it('lowercases keys, keeps section names as written, reads empty values', () => {
    const ini = parseIni('[Main]\nScript_Location = x\nempty =\n', 't.ini')
    expect(ini.raw('Main', 'script_location')).toBe('x')
    expect(ini.raw('Main', 'SCRIPT_LOCATION')).toBe('x')
    expect(ini.raw('Main', 'empty')).toBe('')
    expect(ini.hasSection('main')).toBe(false)
  })

  it('falls back to [DEFAULT], which is not listed as a section', () => {
    const ini = parseIni('[DEFAULT]\nshared = d\nover = d\n[s]\nover = s\n', 't.ini')
    expect([ini.raw('s', 'shared'), ini.raw('s', 'over')]).toEqual(['d', 's'])
    expect(ini.sectionNames).toEqual(['s'])
    expect(ini.keys('s').sort()).toEqual(['over', 'shared'])
  })

  it('handles a BOM and CRLF line endings', () => {
    const ini = parseIni('\uFEFF[s]\r\na = 1\r\n  2\r\n', 't.ini')
    expect(ini.raw('s', 'a')).toBe('1\n2')
  })

  it.each([
    ['a key before any section', `url = postgresql://u:${SECRET}@h/db\n[s]\n`, 'line 1: a key before any [section]'],
    ['a line without delimiter', `[s]\npassword ${SECRET}\n`, "line 2: expected 'key = value'"],
    ['an empty key', `[s]\n= ${SECRET}\n`, 'line 2: a line with no key'],
    ['a duplicate section', '[s]\na = 1\n[s]\n', 'line 3: section [s] appears twice'],
    ['a duplicate key (any case)', `[s]\npw = 1\nPW = ${SECRET}\n`, "line 3: key 'pw' appears twice in section [s]"],
  ])('rejects %s, naming file and line but not the text', (_label, text, message) => {
    const error = configError(() => parseIni(text, 'conf/migrator.ini'), 'parse')
    expect(error.message).toContain(`conf/migrator.ini, ${message}`)
    expect(error.hint).toContain('[section]')
  })
})

describe('interpolation', () => {
  const value = (text: string, key = 'v', ctx: InterpolationContext = context): string | undefined =>
    parseIni(`[DEFAULT]\nroot = /srv\n[s]\nname = app\nref = %(NAME)s-x\n${text}\n`, 'm.ini').get('s', key, ctx)

  it('expands %(here)s, %% and %(key)s from the section and [DEFAULT], recursively and case-insensitively', () => {
    expect(value('v = %(here)s/migrations')).toBe('/proj/migrations')
    expect(value('v = 100%%')).toBe('100%')
    expect(value('v = %(root)s/%(name)s')).toBe('/srv/app')
    expect(value('v = [%(ref)s]')).toBe('[app-x]')
  })

  it('turns %%(rev)s into %(rev)s, so file_template keeps its tokens', () => {
    expect(value('file_template = %%(rev)s_%%(slug)s', 'file_template')).toBe('%(rev)s_%(slug)s')
  })

  it('lets a section or [DEFAULT] key named here win over the built-in', () => {
    expect(parseIni('[s]\nhere = /other\nv = %(here)s\n', 'm.ini').get('s', 'v', context)).toBe('/other')
  })

  it('inserts %(here)s literally even if the folder holds % or ${', () => {
    expect(value('v = %(here)s/a', 'v', { here: '/p%d${X}', env: {} })).toBe('/p%d${X}/a')
  })

  it('reads ${VAR} and ${VAR:-default} from the environment, inserting values literally', () => {
    const ctx: InterpolationContext = { here: '/proj', env: { DB_URL: 'postgresql://u:p%40ss@h/db', EMPTY: '' } }
    expect(value('v = ${DB_URL}', 'v', ctx)).toBe('postgresql://u:p%40ss@h/db')
    expect(value('v = ${MISSING:-sqlite:///x.db}', 'v', ctx)).toBe('sqlite:///x.db')
    expect(value('v = ${EMPTY:-fallback}', 'v', ctx)).toBe('fallback')
    expect(value('v = ${DB_URL:-unused}', 'v', ctx)).toBe('postgresql://u:p%40ss@h/db')
    expect(value('v = ${MISSING:-%(here)s/${ALSO_MISSING:-a.db}}', 'v', ctx)).toBe('/proj/a.db')
    expect(value('v = ${EMPTY}', 'v', ctx)).toBe('')
  })

  it('keeps ${ that is not a variable reference', () => {
    expect(value('v = pa${ss word} $HOME ${1X} ${')).toBe('pa${ss word} $HOME ${1X} ${')
  })

  it('rejects an unset ${VAR} without default, naming the variable', () => {
    const error = configError(() => value('v = ${NOT_SET_ANYWHERE}'), 'interpolation')
    expect(error.message).toContain('Environment variable NOT_SET_ANYWHERE is not set')
    expect(error.message).toContain("key 'v' of section [s] of m.ini")
  })

  it.each([
    ['a bare %', `database_url = postgresql://u:${SECRET}%40x@h/db`, "A '%' must be followed by '%' or '('"],
    ['a bad reference', `database_url = %(name)d${SECRET}`, 'Bad interpolation reference'],
    ['an unknown key', `database_url = %(nope)s${SECRET}`, "Unknown key 'nope'"],
  ])('rejects %s without showing the value', (_label, line, message) => {
    const error = configError(() => value(line, 'database_url'), 'interpolation')
    expect(error.message).toContain(message)
    expect(error.hint).toContain('%%')
  })

  it('stops a reference cycle', () => {
    const ini = parseIni('[s]\na = %(b)s\nb = %(a)s\n', 'm.ini')
    expect(configError(() => ini.get('s', 'a', context), 'interpolation').message).toContain('cycle')
  })

  it('returns undefined for an absent key or section', () => {
    const ini = parseIni('[s]\na = 1\n', 'm.ini')
    expect(ini.get('s', 'b', context)).toBeUndefined()
    expect(ini.get('t', 'a', context)).toBeUndefined()
  })
})

describe('loadConfig: finding the file and section', () => {
  it('reads <cwd>/migrator.ini and [migrator] by default', () => {
    const config = configOf('[migrator]\nscript_location = migrations\n')
    expect(path.isAbsolute(config.configFile)).toBe(true)
    expect(path.basename(config.configFile)).toBe('migrator.ini')
    expect(config.here).toBe(path.dirname(config.configFile))
    expect(config.section).toBe('migrator')
    expect(config.name).toBeUndefined()
    expect(config.scriptLocation).toBe(path.join(config.here, 'migrations'))
  })

  it('prefers -c over MIGRATOR_CONFIG over the default, resolving against cwd', () => {
    const cwd = project({
      'migrator.ini': '[migrator]\nscript_location = default\n',
      'conf/c.ini': '[migrator]\nscript_location = from_c\n',
      'conf/env.ini': '[migrator]\nscript_location = from_env\n',
    })
    const viaFlag = loadConfig({ cwd, configFile: 'conf/c.ini', env: { MIGRATOR_CONFIG: 'conf/env.ini' } })
    expect(viaFlag.configFile).toBe(path.join(cwd, 'conf/c.ini'))
    expect(viaFlag.scriptLocation).toBe(path.join(cwd, 'conf/from_c'))
    const viaEnv = loadConfig({ cwd, env: { MIGRATOR_CONFIG: path.join(cwd, 'conf/env.ini') } })
    expect(viaEnv.here).toBe(path.join(cwd, 'conf'))
    expect(viaEnv.scriptLocation).toBe(path.join(cwd, 'conf/from_env'))
    expect(loadConfig({ cwd, env: { MIGRATOR_CONFIG: '' } }).scriptLocation).toBe(path.join(cwd, 'default'))
  })

  it('reports a missing file with the init / -c hint', () => {
    const cwd = project({})
    const error = configError(() => loadConfig({ cwd, env: {} }), 'file_not_found')
    expect(error.message).toBe("No config file 'migrator.ini' found")
    expect(error.hint).toContain('migrator init DIR')
    expect(error.hint).toContain('-c FILE')
    expect(configError(() => loadConfig({ cwd, env: {}, configFile: 'nope/x.ini' }), 'file_not_found').message).toBe(
      "No config file 'nope/x.ini' found",
    )
  })

  it('reads the section named by -n', () => {
    const config = configOf('[migrator]\nscript_location = a\n[replica]\nscript_location = b\n', { name: 'replica' })
    expect(config.section).toBe('replica')
    expect(config.name).toBe('replica')
    expect(config.scriptLocation).toBe(path.join(config.here, 'b'))
  })

  it('names the existing sections when the section is missing', () => {
    const error = configError(() => configOf('[alembic]\na = 1\n[post_write_hooks]\n', { name: 'nope' }), 'section_not_found')
    expect(error.message).toBe('No section [nope] in migrator.ini; it has [alembic], [post_write_hooks]')
    expect(error.hint).toContain('-n')
    expect(configError(() => configOf('[DEFAULT]\na = 1\n'), 'section_not_found').message).toBe(
      'No section [migrator] in migrator.ini; it has no sections',
    )
    configError(() => configOf('[DEFAULT]\na = 1\n[migrator]\n', { name: 'DEFAULT' }), 'section_not_found')
  })

  it('propagates parse errors with the file name', () => {
    expect(configError(() => configOf('junk\n'), 'parse').message).toContain('migrator.ini, line 1')
  })
})

describe('.env beside the ini', () => {
  const ini = '[migrator]\nscript_location = m\ndatabase_url = ${APP_DB_URL}\nmode = ${MODE:-dev}\n'

  it('loads into the env object, set variables win, and ${VAR} sees them', () => {
    const env: Record<string, string | undefined> = { MODE: 'prod' }
    const config = configOf(ini, { env }, { '.env': `APP_DB_URL=postgresql://u:${SECRET}@h/db\nMODE=test\n` })
    expect(env['APP_DB_URL']).toBe(`postgresql://u:${SECRET}@h/db`)
    expect(env['MODE']).toBe('prod')
    expect(config.env).toBe(env)
    expect(config.get('mode')).toBe('prod')
    expect(config.resolveDatabaseUrl()).toEqual({
      url: `postgresql://u:${SECRET}@h/db`,
      source: 'ini',
      origin: `database_url in [migrator] of migrator.ini`,
    })
    expect(process.env['APP_DB_URL']).toBeUndefined()
  })

  it('sets a variable named like an Object.prototype member', () => {
    const env: Record<string, string | undefined> = {}
    configOf(ini, { env }, { '.env': 'APP_DB_URL=sqlite:///x.db\nconstructor=made\n' })
    expect(Object.hasOwn(env, 'constructor')).toBe(true)
    expect(env['constructor']).toBe('made')
  })

  it('reads the .env beside a -c file, not the one in cwd', () => {
    const cwd = project({ '.env': 'WHERE=cwd\n', 'conf/migrator.ini': '[migrator]\nw = ${WHERE:-none}\n', 'conf/.env': 'WHERE=conf\n' })
    expect(loadConfig({ cwd, configFile: 'conf/migrator.ini', env: {} }).get('w')).toBe('conf')
  })

  it('is optional', () => {
    expect(configOf('[migrator]\nw = ${W:-none}\n').get('w')).toBe('none')
  })

  it('parses export, quotes, escapes, comments and multi-line values', () => {
    const text = [
      '# comment',
      'export A=1',
      'B = plain value # trailing comment',
      "C='single #not comment $X'",
      'D="line\\nnext \\"q\\""',
      'E="multi',
      'line"',
      'F=',
      'G=a#b',
      '  H = spaced  ',
      'not a line',
      'A=2',
    ].join('\r\n')
    expect(parseDotEnv(text)).toEqual({
      A: '2',
      B: 'plain value',
      C: 'single #not comment $X',
      D: 'line\nnext "q"',
      E: 'multi\nline',
      F: '',
      G: 'a#b',
      H: 'spaced',
    })
  })
})

describe('-x arguments', () => {
  it('parses key=value, values with =, bare keys, later duplicates win', () => {
    expect(parseXArgs(['a=1', 'url=postgresql://h/db?x=y', 'flag', 'a=2', 'empty='])).toEqual({
      a: '2',
      url: 'postgresql://h/db?x=y',
      flag: '',
      empty: '',
    })
    expect(configOf('[migrator]\n', { xArgs: ['tenant=acme'] }).xArgs).toEqual({ tenant: 'acme' })
    expect(configOf('[migrator]\n').xArgs).toEqual({})
  })

  it('keeps keys named like Object.prototype members as keys (-x, .env, URL query, ini sections)', () => {
    const x = parseXArgs(['__proto__=a', 'constructor=b'])
    expect(Object.keys(x)).toEqual(['__proto__', 'constructor'])
    expect(x['__proto__']).toBe('a')
    expect(Object.getPrototypeOf(x)).toBe(Object.prototype)
    const env = parseDotEnv('__proto__=1\ntoString=2\n')
    expect(Object.keys(env)).toEqual(['__proto__', 'toString'])
    expect(env['toString']).toBe('2')
    const url = parseDatabaseUrl('postgresql://h/db?__proto__=1&sslmode=disable')
    expect(Object.keys(url.query)).toEqual(['__proto__', 'sslmode'])
    expect(configOf('[migrator]\n__proto__ = x\n').values['__proto__']).toBe('x')
  })

  it.each([[`=${SECRET}`], [''], [' =x']])('rejects %j as a UsageError without showing the value', (arg) => {
    const error = thrown(() => parseXArgs([arg]))
    expect(error).toBeInstanceOf(UsageError)
    expect(error.exitCode).toBe(2)
    expect(error.message).toContain('-x')
    expect(error.message).not.toContain(SECRET)
    expect(error.hint).toContain('-x key=value')
    expect(() => configOf('[migrator]\n', { xArgs: [arg] })).toThrow(UsageError)
  })
})

describe('typed getters', () => {
  it('get() is case-insensitive and interpolated; values and getSection list keys', () => {
    const config = configOf('[DEFAULT]\nd = 1\n[migrator]\nMy_Key = %(here)s/x\n[engine1]\ndatabase_url = sqlite:///%(d)s.db\n')
    expect(config.get('MY_KEY')).toBe(path.join(config.here, 'x'))
    expect(config.get('absent')).toBeUndefined()
    expect(config.values).toEqual({ my_key: path.join(config.here, 'x'), d: '1' })
    expect(config.getSection('engine1')).toEqual({ database_url: 'sqlite:///1.db', d: '1' })
    expect(config.getSection('nope')).toBeUndefined()
  })

  it('getBoolean accepts true/false/yes/no/on/off/1/0 in any case, default when absent or empty', () => {
    const lines = ['t1 = true', 't2 = YES', 't3 = On', 't4 = 1', 'f1 = False', 'f2 = no', 'f3 = OFF', 'f4 = 0', 'e =']
    const config = configOf(`[migrator]\n${lines.join('\n')}\n`)
    expect(['t1', 't2', 't3', 't4'].map((key) => config.getBoolean(key, false))).toEqual([true, true, true, true])
    expect(['f1', 'f2', 'f3', 'f4'].map((key) => config.getBoolean(key, true))).toEqual([false, false, false, false])
    expect(config.getBoolean('e', true)).toBe(true)
    expect(config.getBoolean('absent', false)).toBe(false)
  })

  it('getBoolean rejects other values naming key and value', () => {
    const config = configOf('[migrator]\ncompare_type = maybe\n')
    const error = configError(() => config.getBoolean('compare_type', true), 'invalid_value')
    expect(error.message).toBe("The key 'compare_type' in [migrator] of migrator.ini must be a boolean, not 'maybe'")
    expect(configError(() => config.compareType, 'invalid_value').message).toContain('maybe')
    // names of Object.prototype's members are not booleans either
    for (const value of ['constructor', '__proto__', 'hasOwnProperty']) {
      expect(configError(() => configOf(`[migrator]\ncompare_type = ${value}\n`).compareType, 'invalid_value').message).toContain(value)
    }
  })

  it('getInt parses integers, default when absent, rejects others', () => {
    const config = configOf('[migrator]\nn = 12\nneg = -3\nbad = 1.5\n')
    expect([config.getInt('n', 0), config.getInt('neg', 0), config.getInt('absent', 7)]).toEqual([12, -3, 7])
    expect(configError(() => config.getInt('bad', 0), 'invalid_value').message).toContain("integer, not '1.5'")
  })

  it('gives the documented defaults', () => {
    const config = configOf('[migrator]\nscript_location = migrations\n')
    expect(config.versionLocations).toEqual([path.join(config.here, 'migrations', 'versions')])
    expect(config.fileTemplate).toBe('%(rev)s_%(slug)s')
    expect(config.timezone).toBeUndefined()
    expect(config.truncateSlugLength).toBe(40)
    expect(config.versionTable).toBe('migrator_version')
    expect(config.versionTableSchema).toBeUndefined()
    expect(config.transactionPerMigration).toBe(false)
    expect(config.compareType).toBe(true)
    expect(config.compareServerDefault).toBe(true)
    expect(config.revisionEnvironment).toBe(false)
    expect(config.targetMetadata).toBeUndefined()
    expect(config.targetMetadataRef).toBeUndefined()
    expect(config.postWriteHooks).toEqual([])
  })

  it('reads every named key', () => {
    const config = configOf(
      [
        '[migrator]',
        'script_location = %(here)s/db/migrations',
        'file_template = %%(year)d_%%(rev)s_%%(slug)s',
        'timezone = Europe/Paris',
        'truncate_slug_length = 20',
        'version_table = alembic_version',
        'version_table_schema = meta',
        'transaction_per_migration = true',
        'compare_type = false',
        'compare_server_default = no',
        'revision_environment = on',
        'target_metadata = src/models.ts#metadata',
      ].join('\n'),
    )
    expect(config.scriptLocation).toBe(path.join(config.here, 'db', 'migrations'))
    expect(config.fileTemplate).toBe('%(year)d_%(rev)s_%(slug)s')
    expect(config.timezone).toBe('Europe/Paris')
    expect(config.truncateSlugLength).toBe(20)
    expect(config.versionTable).toBe('alembic_version')
    expect(config.versionTableSchema).toBe('meta')
    expect(config.transactionPerMigration).toBe(true)
    expect(config.compareType).toBe(false)
    expect(config.compareServerDefault).toBe(false)
    expect(config.revisionEnvironment).toBe(true)
    expect(config.targetMetadata).toBe(`${path.join(config.here, 'src', 'models.ts')}#metadata`)
    expect(config.targetMetadataRef).toEqual({ path: path.join(config.here, 'src', 'models.ts'), exportName: 'metadata' })
  })

  it('resolves target_metadata without export name, and absolute paths as given', () => {
    expect(configOf('[migrator]\ntarget_metadata = /abs/models.ts\n').targetMetadataRef).toEqual({ path: '/abs/models.ts', exportName: undefined })
    expect(configOf('[migrator]\ntarget_metadata = /abs/models.ts\n').targetMetadata).toBe('/abs/models.ts')
    configError(() => configOf('[migrator]\ntarget_metadata = models.ts#\n').targetMetadata, 'invalid_value')
    configError(() => configOf('[migrator]\ntarget_metadata = #metadata\n').targetMetadataRef, 'invalid_value')
  })

  it('requires script_location', () => {
    for (const ini of ['[migrator]\n', '[migrator]\nscript_location =\n']) {
      const error = configError(() => configOf(ini).scriptLocation, 'missing_option')
      expect(error.message).toBe('No script_location in [migrator] of migrator.ini')
      expect(error.hint).toContain('script_location = %(here)s/migrations')
    }
  })

  it('rejects an unknown time zone and a slug length below 1', () => {
    expect(configError(() => configOf('[migrator]\ntimezone = Mars/Olympus\n').timezone, 'invalid_value').message).toContain('Mars/Olympus')
    configError(() => configOf('[migrator]\ntruncate_slug_length = 0\n').truncateSlugLength, 'invalid_value')
    configError(() => configOf('[migrator]\ntruncate_slug_length = many\n').truncateSlugLength, 'invalid_value')
  })
})

describe('version_locations', () => {
  const locations = (value: string, separator?: string): string[] => {
    const lines = ['[migrator]', 'script_location = m', `version_locations = ${value}`]
    if (separator !== undefined) lines.push(`version_path_separator = ${separator}`)
    const config = configOf(`${lines.join('\n')}\n`)
    return config.versionLocations.map((location) => path.relative(config.here, location))
  }

  it('splits by the OS path separator by default and with os', () => {
    expect(locations(['a', '%(here)s/b', 'm/versions'].join(path.delimiter))).toEqual(['a', 'b', path.join('m', 'versions')])
    expect(locations(['a', 'b'].join(path.delimiter), 'os')).toEqual(['a', 'b'])
  })

  it.each([
    ['space', 'a  b\tc', ['a', 'b', 'c']],
    ['newline', 'a\n  b c\n  d', ['a', 'b c', 'd']],
    [':', 'a:b:', ['a', 'b']],
    [';', 'a; b', ['a', 'b']],
  ])('splits with version_path_separator = %s', (separator, value, expected) => {
    expect(locations(value, separator)).toEqual(expected)
  })

  it('rejects an unknown separator', () => {
    expect(configError(() => locations('a', 'comma'), 'invalid_value').message).toContain("not 'comma'")
  })
})

describe('post write hooks', () => {
  it('reads Alembic-style exec hooks listed in the main section and in [post_write_hooks]', () => {
    const config = configOf(
      [
        '[migrator]',
        'post_write_hooks = prettier, eslint',
        '[post_write_hooks]',
        'hooks = eslint tsc',
        'prettier.type = exec',
        'prettier.executable = %(here)s/node_modules/.bin/prettier',
        'prettier.options = --write "REVISION_SCRIPT_FILENAME" --config \'my config.json\'',
        'ESLint.Type = exec',
        'eslint.executable = eslint',
        'eslint.cwd = web',
        'tsc.type = exec',
        'tsc.executable = tsc',
        'tsc.options =',
      ].join('\n'),
    )
    expect(config.postWriteHooks).toEqual([
      {
        name: 'prettier',
        type: 'exec',
        executable: path.join(config.here, 'node_modules/.bin/prettier'),
        options: `--write "REVISION_SCRIPT_FILENAME" --config 'my config.json'`,
        args: ['--write', 'REVISION_SCRIPT_FILENAME', '--config', 'my config.json'],
        cwd: undefined,
      },
      { name: 'eslint', type: 'exec', executable: 'eslint', options: undefined, args: ['REVISION_SCRIPT_FILENAME'], cwd: path.join(config.here, 'web') },
      { name: 'tsc', type: 'exec', executable: 'tsc', options: undefined, args: ['REVISION_SCRIPT_FILENAME'], cwd: undefined },
    ])
  })

  it.each([
    ['no type', 'black.executable = black', 'has no black.type'],
    ['a console_scripts type', 'black.type = console_scripts\nblack.entrypoint = black', "has type 'console_scripts'; only 'exec' is supported"],
    ['no executable', 'black.type = exec', 'has no black.executable'],
    ['unbalanced quotes', 'black.type = exec\nblack.executable = black\nblack.options = "REVISION_SCRIPT_FILENAME', 'unterminated double quote'],
  ])('rejects %s', (_label, lines, message) => {
    const config = configOf(`[migrator]\n[post_write_hooks]\nhooks = black\n${lines}\n`)
    const error = configError(() => config.postWriteHooks, 'post_write_hook')
    expect(error.message).toContain(message)
    expect(error.message).toContain('[post_write_hooks] of migrator.ini')
    expect(error.hint).toBeDefined()
  })

  it('rejects a listed hook when there is no [post_write_hooks] section', () => {
    configError(() => configOf('[migrator]\npost_write_hooks = black\n').postWriteHooks, 'post_write_hook')
  })
})

describe('splitCommandLine', () => {
  it('splits like a POSIX shell', () => {
    expect(splitCommandLine(`  a  'b c' "d \\"e\\" \\n" f\\ g ''  h"i"j `)).toEqual(['a', 'b c', 'd "e" \\n', 'f g', '', 'hij'])
    expect(splitCommandLine('')).toEqual([])
  })

  it('throws on unterminated quotes and a trailing backslash', () => {
    expect(() => splitCommandLine("'a")).toThrow('unterminated single quote')
    expect(() => splitCommandLine('"a')).toThrow('unterminated double quote')
    expect(() => splitCommandLine('a\\')).toThrow('trailing backslash')
  })
})

describe('database URL precedence', () => {
  const ini = '[migrator]\ndatabase_url = sqlite:///ini.db\n[replica]\nsqlalchemy.url = sqlite:///alias.db\n'

  it('takes --url first', () => {
    const config = configOf(ini, { urlFlag: 'sqlite:///flag.db', env: { MIGRATOR_DATABASE_URL: 'sqlite:///env.db' } })
    expect(config.resolveDatabaseUrl('sqlite:///envts.db')).toEqual({ url: 'sqlite:///flag.db', source: 'flag', origin: '--url' })
  })

  it('then MIGRATOR_<NAME>_DATABASE_URL (with -n), then MIGRATOR_DATABASE_URL', () => {
    const env = { MIGRATOR_REPLICA_DATABASE_URL: 'sqlite:///named.db', MIGRATOR_DATABASE_URL: 'sqlite:///env.db' }
    const named = configOf(ini, { name: 'replica', env: { ...env } })
    expect(named.resolveDatabaseUrl('sqlite:///envts.db')).toEqual({
      url: 'sqlite:///named.db',
      source: 'environment',
      origin: 'MIGRATOR_REPLICA_DATABASE_URL',
    })
    const unnamed = configOf(ini, { env: { ...env } })
    expect(unnamed.resolveDatabaseUrl('sqlite:///envts.db')).toEqual({
      url: 'sqlite:///env.db',
      source: 'environment',
      origin: 'MIGRATOR_DATABASE_URL',
    })
    const fallback = configOf(ini, { name: 'replica', env: { MIGRATOR_DATABASE_URL: 'sqlite:///env.db', MIGRATOR_REPLICA_DATABASE_URL: '' } })
    expect(fallback.resolveDatabaseUrl().url).toBe('sqlite:///env.db')
  })

  it('normalises the section name in the variable', () => {
    expect(databaseUrlEnvVar('read-replica.eu')).toBe('MIGRATOR_READ_REPLICA_EU_DATABASE_URL')
    expect(databaseUrlEnvVar('Shard2')).toBe('MIGRATOR_SHARD2_DATABASE_URL')
  })

  it('then the env.ts value, then the ini database_url, then sqlalchemy.url', () => {
    const config = configOf(ini, { env: { MIGRATOR_DATABASE_URL: '  ' } })
    expect(config.resolveDatabaseUrl('sqlite:///envts.db')).toEqual({ url: 'sqlite:///envts.db', source: 'env.ts', origin: 'env.ts' })
    expect(config.resolveDatabaseUrl('')).toEqual({
      url: 'sqlite:///ini.db',
      source: 'ini',
      origin: 'database_url in [migrator] of migrator.ini',
    })
    const alias = configOf(ini, { name: 'replica' })
    expect(alias.resolveDatabaseUrl()).toEqual({
      url: 'sqlite:///alias.db',
      source: 'ini',
      origin: 'sqlalchemy.url in [replica] of migrator.ini',
    })
  })

  it('prefers database_url over sqlalchemy.url', () => {
    expect(configOf('[migrator]\nsqlalchemy.url = sqlite:///b.db\ndatabase_url = sqlite:///a.db\n').resolveDatabaseUrl().url).toBe('sqlite:///a.db')
  })

  it('names all four places when there is no URL', () => {
    const error = configError(() => configOf('[migrator]\nscript_location = m\n').resolveDatabaseUrl(), 'missing_url')
    expect(error.message).toBe(
      'No database URL: none given by --url, MIGRATOR_DATABASE_URL, the url of env.ts, or database_url in [migrator] of migrator.ini',
    )
    const named = configError(() => configOf('[x]\n', { name: 'x' }).resolveDatabaseUrl(), 'missing_url')
    expect(named.message).toContain('MIGRATOR_X_DATABASE_URL or MIGRATOR_DATABASE_URL')
    expect(named.hint).toContain('--url')
  })

  it('does not show the password when the ini URL cannot be interpolated', () => {
    const config = configOf(`[migrator]\ndatabase_url = postgresql://u:${SECRET}%zz@h/db\n`)
    configError(() => config.resolveDatabaseUrl(), 'interpolation')
  })

  it('gives the URL of another section for multidb', () => {
    const config = configOf('[migrator]\ndatabases = one, two\n[one]\ndatabase_url = sqlite:///one.db\n[two]\nsqlalchemy.url = sqlite:///two.db\n[three]\n', {
      env: { MIGRATOR_ONE_DATABASE_URL: 'sqlite:///env-one.db' },
    })
    expect(config.databaseUrlOf('one')).toBe('sqlite:///env-one.db')
    expect(config.databaseUrlOf('two')).toBe('sqlite:///two.db')
    expect(configError(() => config.databaseUrlOf('three'), 'missing_url').message).toContain('MIGRATOR_THREE_DATABASE_URL')
    expect(configError(() => config.databaseUrlOf('four'), 'section_not_found').message).toContain('[four]')
  })
})
