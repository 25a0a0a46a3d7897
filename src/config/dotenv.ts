/**
 * `.env` files. Our own small parser rather than `util.parseEnv`, which Node 20 only has from 20.12
 * (the package supports every Node 20).
 */
import { readFileSync } from 'node:fs'
import { ConfigError } from '../errors.js'
import { setEntry } from './record.js'

/**
 * Parse `.env` text: `KEY=value` lines, optional `export ` prefix, `#` comment lines, `#` comments
 * after an unquoted value (preceded by a space), single-quoted values taken literally, double-quoted
 * values with `\n` `\r` `\t` `\"` `\\` escapes, and quoted values spanning several lines. Lines that
 * are none of these are ignored. A later duplicate wins.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const source = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const assignment = /^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.-]*)[ \t]*=[ \t]*/gm
  let match: RegExpExecArray | null
  while ((match = assignment.exec(source)) !== null) {
    const key = match[1]!
    let position = assignment.lastIndex
    const quote = source[position]
    let value: string
    if (quote === '"' || quote === "'" || quote === '`') {
      const close = findClosingQuote(source, position + 1, quote)
      if (close < 0) {
        value = source.slice(position, lineEnd(source, position)).trim()
        position = lineEnd(source, position)
      } else {
        value = source.slice(position + 1, close)
        if (quote === '"') value = unescapeDoubleQuoted(value)
        position = lineEnd(source, close)
      }
    } else {
      const end = lineEnd(source, position)
      value = source.slice(position, end).replace(/[ \t]+#.*$/, '').trim()
      if (value.startsWith('#')) value = ''
      position = end
    }
    setEntry(result, key, value)
    assignment.lastIndex = position
  }
  return result
}

function lineEnd(text: string, from: number): number {
  const newline = text.indexOf('\n', from)
  return newline < 0 ? text.length : newline
}

function findClosingQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++
    else if (text[i] === quote) return i
  }
  return -1
}

function unescapeDoubleQuoted(value: string): string {
  const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' }
  return value.replace(/\\([nrt"\\])/g, (_, c: string) => escapes[c]!)
}

/**
 * Load the `.env` file at `path` into `env`: variables already set (not undefined) win. A missing
 * file is not an error. Returns the names that were set.
 * @throws ConfigError (`config.file_unreadable`) when the file exists but cannot be read.
 */
export function loadDotEnvFile(path: string, env: Record<string, string | undefined>): string[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') return []
    throw new ConfigError('file_unreadable', `Cannot read ${path}: ${(error as Error).message}`, { cause: error })
  }
  const set: string[] = []
  for (const [key, value] of Object.entries(parseDotEnv(text))) {
    if (!Object.hasOwn(env, key) || env[key] === undefined) {
      env[key] = value
      set.push(key)
    }
  }
  return set
}
