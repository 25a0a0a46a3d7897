/**
 * Database URLs: parsing, and masking the password before anything is printed.
 *
 * The grammar follows SQLAlchemy's `make_url`, which is what Alembic users' URLs were written for:
 * `dialect[+driver]://[user[:password]@][host][:port][/database][?key=value&…]`, plus the
 * `sqlite:///relative.db`, `sqlite:////absolute.db` and `sqlite://` (memory) forms.
 */
import { ConfigError } from '../errors.js'
import type { DatabaseUrl, DialectName } from '../dialects/dialect.js'
import { setEntry } from './record.js'

const SCHEMES: Readonly<Record<string, DialectName>> = {
  postgresql: 'postgresql',
  postgres: 'postgresql',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
}

/** The hint attached to every URL error: the forms `parseDatabaseUrl` accepts. */
export const DATABASE_URL_FORMS_HINT =
  'use postgresql://user:password@host:5432/dbname (or postgres://), mysql://user:password@host:3306/dbname ' +
  '(or mariadb://), sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite:// (in memory); ' +
  'percent-encode special characters in the user and password'

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//

interface UrlParts {
  readonly scheme: string
  /** Index in the raw string where the part after `://` starts. */
  readonly restStart: number
  readonly user: string | undefined
  readonly password: string | undefined
  /** Span of the raw (still encoded) password, for masking. */
  readonly passwordSpan: readonly [number, number] | undefined
  /** Everything after the userinfo: host, port, path and query. */
  readonly location: string
}

/**
 * Split `scheme://userinfo@location`. The userinfo ends at the last `@` before the first `?` that
 * follows the first `@`. So a password with unencoded `@`, `/`, `:` or `#` still parses (generated
 * passwords often hold `/` or `@`), as does one with `?` when no `@` comes after it, and an `@` in a
 * query value is not taken for the userinfo's end.
 */
function splitUrl(raw: string): UrlParts | undefined {
  const scheme = SCHEME_RE.exec(raw)
  if (scheme === null) return undefined
  const restStart = scheme[0].length
  const rest = raw.slice(restStart)
  const firstAt = rest.indexOf('@')
  let userinfoEnd = -1
  if (firstAt >= 0) {
    const queryMark = rest.indexOf('?', firstAt + 1)
    const boundary = queryMark < 0 ? rest.length : queryMark
    userinfoEnd = rest.lastIndexOf('@', boundary - 1)
  }
  if (userinfoEnd < 0) {
    return { scheme: scheme[1]!, restStart, user: undefined, password: undefined, passwordSpan: undefined, location: rest }
  }
  const userinfo = rest.slice(0, userinfoEnd)
  const colon = userinfo.indexOf(':')
  const rawUser = colon < 0 ? userinfo : userinfo.slice(0, colon)
  const rawPassword = colon < 0 ? undefined : userinfo.slice(colon + 1)
  return {
    scheme: scheme[1]!,
    restStart,
    user: rawUser === '' ? undefined : percentDecode(rawUser),
    password: rawPassword === undefined ? undefined : percentDecode(rawPassword),
    passwordSpan: colon < 0 ? undefined : [restStart + colon + 1, restStart + userinfoEnd],
    location: rest.slice(userinfoEnd + 1),
  }
}

/** Decode `%XX` sequences; malformed ones are kept as written (like Python's `unquote`). */
function percentDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run)
      } catch {
        return run
      }
    })
  }
}

function parseQuery(text: string): Record<string, string> {
  const query: Record<string, string> = {}
  for (const piece of text.split('&')) {
    if (piece === '') continue
    const eq = piece.indexOf('=')
    const key = eq < 0 ? piece : piece.slice(0, eq)
    const value = eq < 0 ? '' : piece.slice(eq + 1)
    setEntry(query, percentDecode(key.replace(/\+/g, ' ')), percentDecode(value.replace(/\+/g, ' ')))
  }
  return query
}

function oneLine(text: string): string {
  return text.replace(/\r?\n|\r/g, '\\n')
}

function urlError(code: string, message: string): ConfigError {
  return new ConfigError(code, message, { hint: DATABASE_URL_FORMS_HINT })
}

/**
 * Parse a database URL. `mariadb://` gives dialect `mysql`; a SQLAlchemy driver suffix
 * (`postgresql+psycopg2://`) is kept in `driver` and otherwise ignored. User, password, host and
 * database are percent-decoded, the SQLite path is not. Default ports are not filled in.
 * SQLite: `sqlite:///rel.db` gives the relative filename `rel.db` (the caller resolves it against
 * the working directory), `sqlite:////abs.db` gives `/abs.db`, `sqlite://` and `sqlite:///:memory:`
 * give `:memory:`.
 * @throws ConfigError (`config.invalid_url`) for an unknown scheme or a malformed URL; the message
 * shows the URL masked by `maskUrl`, never the password.
 */
export function parseDatabaseUrl(raw: string): DatabaseUrl {
  const text = raw.trim()
  if (text === '') throw urlError('invalid_url', 'The database URL is empty')
  const shown = (): string => oneLine(maskUrl(text))
  const parts = splitUrl(text)
  if (parts === undefined) {
    throw urlError('invalid_url', `Malformed database URL '${shown()}': expected dialect://…`)
  }
  const scheme = parts.scheme.toLowerCase()
  const plus = scheme.indexOf('+')
  const base = plus < 0 ? scheme : scheme.slice(0, plus)
  const driver = plus < 0 ? undefined : scheme.slice(plus + 1)
  const dialect = Object.hasOwn(SCHEMES, base) ? SCHEMES[base] : undefined
  if (dialect === undefined) {
    throw urlError('invalid_url', `Unsupported database URL scheme '${base}' in '${shown()}'`)
  }
  if (driver === '') throw urlError('invalid_url', `Malformed database URL '${shown()}': empty driver after '+'`)

  const queryStart = parts.location.indexOf('?')
  const beforeQuery = queryStart < 0 ? parts.location : parts.location.slice(0, queryStart)
  const query = queryStart < 0 ? {} : parseQuery(parts.location.slice(queryStart + 1))

  if (dialect === 'sqlite') {
    if (parts.user !== undefined || parts.password !== undefined) {
      throw urlError('invalid_url', `Malformed SQLite URL '${shown()}': SQLite takes no user or password`)
    }
    let filename: string
    if (beforeQuery === '') filename = ':memory:'
    else if (beforeQuery.startsWith('/')) filename = beforeQuery.slice(1) === '' ? ':memory:' : beforeQuery.slice(1)
    else throw urlError('invalid_url', `Malformed SQLite URL '${shown()}': a SQLite URL has no host, write sqlite:///${beforeQuery}`)
    return {
      dialect, driver, host: undefined, port: undefined, user: undefined, password: undefined,
      database: undefined, filename, query, raw: text,
    }
  }

  const slash = beforeQuery.indexOf('/')
  const hostPort = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash)
  const path = slash < 0 ? '' : beforeQuery.slice(slash + 1)
  let host: string
  let portText: string | undefined
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']')
    if (close < 0) throw urlError('invalid_url', `Malformed database URL '${shown()}': unclosed '[' in the IPv6 host`)
    host = hostPort.slice(1, close)
    const after = hostPort.slice(close + 1)
    if (after !== '' && !after.startsWith(':')) {
      throw urlError('invalid_url', `Malformed database URL '${shown()}': unexpected text after the IPv6 host`)
    }
    portText = after === '' ? undefined : after.slice(1)
  } else {
    const colon = hostPort.indexOf(':')
    host = colon < 0 ? hostPort : hostPort.slice(0, colon)
    portText = colon < 0 ? undefined : hostPort.slice(colon + 1)
  }
  if (/[@\s]/.test(host)) throw urlError('invalid_url', `Malformed database URL '${shown()}': invalid host`)
  let port: number | undefined
  if (portText !== undefined && portText !== '') {
    const value = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN
    if (!(value >= 1 && value <= 65535)) {
      throw urlError('invalid_url', `Malformed database URL '${shown()}': the port must be a number from 1 to 65535`)
    }
    port = value
  }
  return {
    dialect,
    driver,
    host: host === '' ? undefined : percentDecode(host),
    port,
    user: parts.user,
    password: parts.password,
    database: path === '' ? undefined : percentDecode(path),
    filename: undefined,
    query,
    raw: text,
  }
}

/**
 * The URL with its password replaced by `***`, safe to print. Works on anything: when the text does
 * not parse as a URL, everything between the first `:` and the last `@` of the userinfo is masked.
 */
export function maskUrl(raw: string): string {
  const parts = splitUrl(raw)
  if (parts !== undefined) {
    if (parts.passwordSpan === undefined) return raw
    const [start, end] = parts.passwordSpan
    return `${raw.slice(0, start)}***${raw.slice(end)}`
  }
  const lastAt = raw.lastIndexOf('@')
  if (lastAt < 0) return raw
  const colon = raw.indexOf(':')
  if (colon < 0 || colon > lastAt) return raw
  return `${raw.slice(0, colon + 1)}***${raw.slice(lastAt)}`
}

/** The forms a password may take inside a message: as is, and percent-encoded in the usual ways. */
function secretForms(secret: string): string[] {
  const component = encodeURIComponent(secret)
  const strict = component.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  const forms = new Set([secret, component, strict, strict.replace(/%20/g, '+'), encodeURI(secret)])
  for (const form of [...forms]) forms.add(form.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()))
  return [...forms]
}

/**
 * Replace every occurrence of each secret (a password), and of its percent-encoded forms, by `***`.
 * Empty secrets are ignored. Used to clean driver error messages before they are shown.
 */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>()
  for (const secret of secrets) {
    if (secret === '') continue
    for (const form of secretForms(secret)) forms.add(form)
  }
  let result = text
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    result = result.split(form).join('***')
  }
  return result
}
