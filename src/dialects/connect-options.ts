/** Connection settings shared by the network dialects: timeouts, TLS files, how a server is named. */
import { readFileSync } from 'node:fs'
import { ConfigError } from '../errors.js'
import type { DatabaseUrl } from './dialect.js'

/** Default seconds to wait for a server. */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10

/** `host:port`, with IPv6 hosts in brackets. */
export function hostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** Thrown by `withConnectTimeout`; the dialects turn it into a `connect_timeout` error. */
export class ConnectTimeout extends Error {
  constructor(readonly seconds: number) {
    super(`no answer within ${seconds} s`)
  }
}

/** Connect timeout in seconds: the caller's option, else the URL's `connect_timeout`, else 10 (`DEFAULT_CONNECT_TIMEOUT_SECONDS`). */
export function connectTimeoutSeconds(url: DatabaseUrl, option: number | undefined): number {
  if (option !== undefined && option > 0) return option
  const fromUrl = Number(url.query['connect_timeout'])
  return fromUrl > 0 ? fromUrl : DEFAULT_CONNECT_TIMEOUT_SECONDS
}

/**
 * Races `connecting` against a timer, a backstop for drivers whose own timeout misses a phase
 * (DNS, TLS). A connection that arrives too late is closed with `discard`.
 */
export async function withConnectTimeout<T>(connecting: Promise<T>, seconds: number, discard: (late: T) => unknown): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  let timedOut = false
  const timeout = new Promise<never>((_, reject) => {
    // A little later than the driver's own timer, so its more precise error wins.
    timer = setTimeout(() => {
      timedOut = true
      reject(new ConnectTimeout(seconds))
    }, seconds * 1000 + 250)
  })
  try {
    return await Promise.race([connecting, timeout])
  } finally {
    clearTimeout(timer)
    if (timedOut) {
      connecting.then(
        (late) => Promise.resolve(discard(late)).catch(() => undefined),
        () => undefined,
      )
    }
  }
}


type TlsFiles = { ca?: Buffer; cert?: Buffer; key?: Buffer }

/**
 * Reads the certificate files named by the URL query parameters in `names` (e.g. `sslrootcert` for
 * `ca`); undefined when none is given.
 */
export function readTlsFiles(
  query: Readonly<Record<string, string>>,
  names: Readonly<Record<keyof TlsFiles, string>>,
): TlsFiles | undefined {
  let files: TlsFiles | undefined
  for (const [option, parameter] of Object.entries(names) as [keyof TlsFiles, string][]) {
    const path = query[parameter]
    if (path === undefined) continue
    files ??= {}
    try {
      files[option] = readFileSync(path)
    } catch (error) {
      throw new ConfigError('invalid_url', `cannot read the ${parameter} file ${path} named in database_url`, {
        hint: 'check the path in database_url',
        cause: error,
      })
    }
  }
  return files
}
