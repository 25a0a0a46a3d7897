import { describe, expect, it } from 'vitest'
import { maskSecrets, maskUrl, parseDatabaseUrl } from '../../src/config/database-url.js'
import { ConfigError } from '../../src/errors.js'

function parseError(raw: string): ConfigError {
  try {
    parseDatabaseUrl(raw)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error(`expected ${raw} to be rejected`)
}

describe('parseDatabaseUrl: PostgreSQL and MySQL', () => {
  it('parses a full postgresql URL', () => {
    const url = parseDatabaseUrl('postgresql://scott:tiger@db.example.com:5433/app?sslmode=require&connect_timeout=5')
    expect(url).toEqual({
      dialect: 'postgresql',
      driver: undefined,
      host: 'db.example.com',
      port: 5433,
      user: 'scott',
      password: 'tiger',
      database: 'app',
      filename: undefined,
      query: { sslmode: 'require', connect_timeout: '5' },
      raw: 'postgresql://scott:tiger@db.example.com:5433/app?sslmode=require&connect_timeout=5',
    })
  })

  it('accepts postgres:// as postgresql', () => {
    expect(parseDatabaseUrl('postgres://u@localhost/db').dialect).toBe('postgresql')
  })

  it('maps mysql:// and mariadb:// to the mysql dialect', () => {
    const mysql = parseDatabaseUrl('mysql://root:pw@127.0.0.1:3306/shop')
    expect([mysql.dialect, mysql.host, mysql.port, mysql.user, mysql.password, mysql.database]).toEqual([
      'mysql', '127.0.0.1', 3306, 'root', 'pw', 'shop',
    ])
    const maria = parseDatabaseUrl('mariadb://root@db/shop')
    expect(maria.dialect).toBe('mysql')
    expect(maria.password).toBeUndefined()
  })

  it('is case-insensitive in the scheme', () => {
    expect(parseDatabaseUrl('PostgreSQL://h/db').dialect).toBe('postgresql')
  })

  it('keeps SQLAlchemy driver suffixes in driver and ignores them otherwise', () => {
    const pg = parseDatabaseUrl('postgresql+psycopg2://u:p@h/db')
    expect([pg.dialect, pg.driver, pg.host, pg.database]).toEqual(['postgresql', 'psycopg2', 'h', 'db'])
    const my = parseDatabaseUrl('mysql+pymysql://u:p@h/db')
    expect([my.dialect, my.driver]).toEqual(['mysql', 'pymysql'])
    const lite = parseDatabaseUrl('sqlite+pysqlite:///app.db')
    expect([lite.dialect, lite.driver, lite.filename]).toEqual(['sqlite', 'pysqlite', 'app.db'])
  })

  it('leaves default ports, host and database undefined when absent', () => {
    const url = parseDatabaseUrl('postgresql://')
    expect([url.host, url.port, url.user, url.password, url.database]).toEqual([undefined, undefined, undefined, undefined, undefined])
    expect(parseDatabaseUrl('postgresql://h').port).toBeUndefined()
    expect(parseDatabaseUrl('postgresql:///db').database).toBe('db')
    expect(parseDatabaseUrl('postgresql:///db').host).toBeUndefined()
    expect(parseDatabaseUrl('postgresql://h:/db').port).toBeUndefined()
  })

  it('decodes a percent-encoded user and password', () => {
    const url = parseDatabaseUrl('postgresql://us%40er:p%40ss%3Aw%2Fo%25rd@h/db')
    expect(url.user).toBe('us@er')
    expect(url.password).toBe('p@ss:w/o%rd')
  })

  it('keeps malformed percent sequences as written', () => {
    expect(parseDatabaseUrl('postgresql://u:100%zz%41@h/db').password).toBe('100%zzA')
  })

  it('accepts unencoded @ / # : in a password', () => {
    const url = parseDatabaseUrl('postgresql://u:p@ss/w#o:r@d@host:5432/db?sslmode=require')
    expect([url.user, url.password, url.host, url.port, url.database]).toEqual(['u', 'p@ss/w#o:r@d', 'host', 5432, 'db'])
    expect(url.query).toEqual({ sslmode: 'require' })
    const base64 = parseDatabaseUrl('mysql://admin:aB3/x+Yz==@h/db')
    expect([base64.password, base64.host, base64.database]).toEqual(['aB3/x+Yz==', 'h', 'db'])
  })

  it('accepts an unencoded ? in a password when no @ follows it', () => {
    const url = parseDatabaseUrl('postgresql://u:wh?at@h/db?sslmode=disable')
    expect([url.password, url.host, url.database, url.query]).toEqual(['wh?at', 'h', 'db', { sslmode: 'disable' }])
  })

  it('does not take an @ in the query for the userinfo', () => {
    const url = parseDatabaseUrl('postgresql://u:pw@h/db?application_name=me@work')
    expect([url.user, url.password, url.host, url.database]).toEqual(['u', 'pw', 'h', 'db'])
    expect(url.query).toEqual({ application_name: 'me@work' })
  })

  it('gives an empty password for user:@host', () => {
    expect(parseDatabaseUrl('mysql://root:@h/db').password).toBe('')
  })

  it('parses IPv6 hosts', () => {
    const url = parseDatabaseUrl('postgresql://u:p@[::1]:5432/db')
    expect([url.host, url.port, url.database]).toEqual(['::1', 5432, 'db'])
    expect(parseDatabaseUrl('mysql://[fe80::1%25eth0]/db').host).toBe('fe80::1%eth0')
    expect(parseDatabaseUrl('mysql://[::1]').port).toBeUndefined()
  })

  it('decodes query parameters, + as space, bare keys as empty, last duplicate wins', () => {
    const url = parseDatabaseUrl('postgresql://h/db?options=-c%20search_path%3Dapp&a=1+2&flag&a=3&&x=%E2%9C%93')
    expect(url.query).toEqual({ options: '-c search_path=app', a: '3', flag: '', x: '✓' })
  })

  it('percent-decodes the host (socket directories) and database', () => {
    const url = parseDatabaseUrl('postgresql://%2Fvar%2Frun%2Fpostgresql/my%20db')
    expect([url.host, url.database]).toEqual(['/var/run/postgresql', 'my db'])
  })

  it('trims surrounding whitespace and keeps the raw URL', () => {
    expect(parseDatabaseUrl('  postgresql://h/db\n').raw).toBe('postgresql://h/db')
  })
})

describe('parseDatabaseUrl: SQLite', () => {
  it.each([
    ['sqlite:///relative.db', 'relative.db'],
    ['sqlite:///data/app.db', 'data/app.db'],
    ['sqlite:////abs/path.db', '/abs/path.db'],
    ['sqlite://', ':memory:'],
    ['sqlite:///', ':memory:'],
    ['sqlite:///:memory:', ':memory:'],
  ])('%s gives filename %s', (raw, filename) => {
    const url = parseDatabaseUrl(raw)
    expect(url.dialect).toBe('sqlite')
    expect(url.filename).toBe(filename)
    expect([url.host, url.port, url.user, url.password, url.database]).toEqual([undefined, undefined, undefined, undefined, undefined])
  })

  it('reads query parameters of a SQLite URL', () => {
    const url = parseDatabaseUrl('sqlite:///app.db?mode=ro&timeout=5')
    expect(url.filename).toBe('app.db')
    expect(url.query).toEqual({ mode: 'ro', timeout: '5' })
    expect(parseDatabaseUrl('sqlite://?cache=shared').filename).toBe(':memory:')
  })

  it('rejects a host in a SQLite URL', () => {
    const error = parseError('sqlite://app.db')
    expect(error.code).toBe('config.invalid_url')
    expect(error.message).toContain('sqlite:///app.db')
  })

  it('rejects a password in a SQLite URL without showing it', () => {
    const error = parseError('sqlite://u:hunter2@/app.db')
    expect(error.message).not.toContain('hunter2')
    expect(error.message).toContain('***')
  })
})

describe('parseDatabaseUrl: errors', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['unknown scheme', 'oracle://scott:s3cr3tPW@h/db', /Unsupported database URL scheme 'oracle'/],
    ['unknown scheme with driver', 'mssql+pyodbc://scott:s3cr3tPW@h/db', /scheme 'mssql'/],
    ['no scheme', 'scott:s3cr3tPW@localhost/db', /Malformed database URL/],
    ['single slash', 'postgresql:/scott:s3cr3tPW@h/db', /Malformed database URL/],
    ['bad port', 'postgresql://scott:s3cr3tPW@h:54x2/db', /port must be a number/],
    ['port out of range', 'mysql://scott:s3cr3tPW@h:70000/db', /port must be a number/],
    ['port zero', 'mysql://scott:s3cr3tPW@h:0/db', /port must be a number/],
    ['unclosed IPv6', 'postgresql://scott:s3cr3tPW@[::1/db', /unclosed '\['/],
    ['junk after IPv6', 'postgresql://scott:s3cr3tPW@[::1]x/db', /after the IPv6 host/],
    ['empty driver', 'postgresql+://scott:s3cr3tPW@h/db', /empty driver/],
    ['host with space', 'postgresql://scott:s3cr3tPW@my host/db', /invalid host/],
  ]

  it.each(cases)('%s: a one-line ConfigError with hint, password masked', (_label, raw, message) => {
    const error = parseError(raw)
    expect(error.code).toBe('config.invalid_url')
    expect(error.exitCode).toBe(2)
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('s3cr3tPW')
    expect(error.message).not.toContain('\n')
    expect(error.hint).toContain('sqlite:////absolute/path.db')
    expect(error.hint).toContain('mariadb://')
  })

  it('rejects an empty URL', () => {
    expect(parseError('   ').message).toBe('The database URL is empty')
  })

  it('masks a percent-encoded password and keeps the message on one line', () => {
    const error = parseError('oracle://u:p%40ss\nword@h/db')
    expect(error.message).not.toContain('p%40ss')
    expect(error.message).not.toContain('\n')
  })
})

describe('maskUrl', () => {
  it.each([
    ['postgresql://scott:tiger@h:5432/db?sslmode=require', 'postgresql://scott:***@h:5432/db?sslmode=require'],
    ['mysql+pymysql://root:p%40ss@h/db', 'mysql+pymysql://root:***@h/db'],
    ['postgresql://u:p@ss/w#o:r@d@host/db?x=1', 'postgresql://u:***@host/db?x=1'],
    ['postgresql://u:wh?at@h/db', 'postgresql://u:***@h/db'],
    ['postgresql://u:@h/db', 'postgresql://u:***@h/db'],
    ['postgresql://u:pw@h/db?who=me@work', 'postgresql://u:***@h/db?who=me@work'],
  ])('masks %s', (raw, masked) => {
    expect(maskUrl(raw)).toBe(masked)
  })

  it('leaves URLs without a password alone', () => {
    for (const raw of ['postgresql://u@h/db', 'postgresql://h/db', 'sqlite:///app.db', 'sqlite://', 'mysql://h/db?x=a@b']) {
      expect(maskUrl(raw)).toBe(raw)
    }
  })

  it('masks unparseable input too', () => {
    expect(maskUrl('scott:tiger@localhost/db')).toBe('scott:***@localhost/db')
    expect(maskUrl('postgresql:/scott:tiger@h/db')).toBe('postgresql:***@h/db')
    expect(maskUrl('not a url')).toBe('not a url')
    expect(maskUrl('')).toBe('')
  })
})

describe('maskSecrets', () => {
  it('replaces every occurrence of each password, plain and percent-encoded', () => {
    const text = 'password authentication failed for p@ss w/rd (url postgresql://u:p%40ss%20w%2Frd@h/db), again: p@ss w/rd'
    const masked = maskSecrets(text, ['p@ss w/rd'])
    expect(masked).toBe('password authentication failed for *** (url postgresql://u:***@h/db), again: ***')
  })

  it('masks lowercase and form encodings and several secrets', () => {
    const masked = maskSecrets('a%2fb c+d tok', ['a/b', 'c d', 'tok'])
    expect(masked).toBe('*** *** ***')
  })

  it('masks the strict encoding of !\'()*', () => {
    expect(maskSecrets('x:pw%21%28%29@h', ['pw!()'])).toBe('x:***@h')
  })

  it('ignores empty secrets and leaves other text alone', () => {
    expect(maskSecrets('nothing to hide', ['', 'absent'])).toBe('nothing to hide')
  })
})
