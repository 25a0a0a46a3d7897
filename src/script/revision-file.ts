/**
 * Reads the identity of a revision file (its four constants and its doc comment)
 * without executing it. Graph commands (heads, history, current, show, branches)
 * read thousands of files, so this is a small hand-written scanner over the source
 * text: it understands comments, string/template/regex literals and bracket nesting
 * well enough to find top-level `export const|let|var NAME = <literal>` declarations,
 * and stops as soon as the four constants are found.
 */
import { RevisionError } from '../errors.js'

/** What a revision file declares about itself; the shape of a revision map node. */
export interface RevisionHeader {
  /** `export const revision = '…'`: the revision id. */
  revision: string
  /** `downRevision`: the parent ids; empty for a base, two or more for a merge point. */
  downRevisions: string[]
  /** `branchLabels`: symbolic names of the branch this revision starts or carries. */
  branchLabels: string[]
  /** `dependsOn`: revisions (full ids or labels as written) that must be applied first. */
  dependsOn: string[]
  /** First line of the leading `/** … *\/` comment (the message), if any. */
  doc: string | undefined
  /** The whole leading doc comment, without the comment markers; `''` when absent. */
  longDoc: string
  /** The `Create Date:` line of the doc comment, as written. */
  createDate: string | undefined
  /** The file the header was read from. */
  path: string
}

const LITERAL_HINT = 'revision constants must be literal strings, arrays of strings, or null'

type ConstantName = 'revision' | 'downRevision' | 'branchLabels' | 'dependsOn'
const CONSTANT_NAMES: ReadonlySet<string> = new Set<ConstantName>(['revision', 'downRevision', 'branchLabels', 'dependsOn'])

/** Token kinds; the numbers of `TOKEN_KIND`. */
const enum Kind {
  Identifier = 1,
  String = 2,
  Template = 3,
  Number = 4,
  Regex = 5,
  Punctuator = 6,
  End = 7,
}

interface Token {
  kind: Kind
  /** Identifier name, punctuator text, or the cooked value of a string / substitution-free template. */
  value: string
  start: number
  /** Offset just after the token (set by Scanner.next). */
  end: number
  /** A line break separates this token from the previous one. */
  newlineBefore: boolean
  /** Template literal containing `${…}` (or a continuation of one). */
  substitution: boolean
}

/** A token with every field set from the start: one object shape for all tokens, no property added later. */
function makeToken(kind: Kind, value: string, start: number, newlineBefore: boolean, substitution = false): Token {
  return { kind, value, start, end: start, newlineBefore, substitution }
}

const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
])

/**
 * The multi-character punctuator at `start`, whose first character is `c`, if any: `===`, `!==`,
 * `=>`, `==`, `!=`, `...`, `?.`, `??`, `&&`, `||`, the ones that matter to tell `=` (assignment)
 * and `/` (division or regex) apart; `>=`/`<=` stay split for generics.
 */
function multiCharacterPunctuator(src: string, start: number, c: number): string | undefined {
  const d = src.charCodeAt(start + 1)
  switch (c) {
    case 61 /* = */:
      if (d === 61) return src.charCodeAt(start + 2) === 61 ? '===' : '=='
      return d === 62 ? '=>' : undefined
    case 33 /* ! */:
      if (d === 61) return src.charCodeAt(start + 2) === 61 ? '!==' : '!='
      return undefined
    case 46 /* . */:
      return d === 46 && src.charCodeAt(start + 2) === 46 ? '...' : undefined
    case 63 /* ? */:
      return d === 46 ? '?.' : d === 63 ? '??' : undefined
    case 38 /* & */:
      return d === 38 ? '&&' : undefined
    case 124 /* | */:
      return d === 124 ? '||' : undefined
    default:
      return undefined
  }
}

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 128
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= 48 && c <= 57)
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

class Scanner {
  private pos = 0
  private braceDepth = 0
  private readonly templateDepths: number[] = []
  private previous: Token | undefined
  /** The leading `/** … *\/` comment, when it precedes every token. */
  docComment: string | undefined
  private seenToken = false

  constructor(
    private readonly source: string,
    private readonly fail: (offset: number, message: string, code?: string) => never,
  ) {
    if (source.startsWith('#!')) {
      const eol = source.indexOf('\n')
      this.pos = eol < 0 ? source.length : eol
    }
  }

  next(): Token {
    const token = this.scan()
    token.end = this.pos
    if (token.kind !== Kind.End) this.seenToken = true
    this.previous = token
    return token
  }

  private scan(): Token {
    const src = this.source
    let newlineBefore = false
    for (;;) {
      if (this.pos >= src.length) return makeToken(Kind.End, '', src.length, true)
      const c = src.charCodeAt(this.pos)
      if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) {
        newlineBefore = true
        this.pos++
      } else if (c === 32 || c === 9 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff) {
        this.pos++
      } else if (c === 47 /* / */ && src.charCodeAt(this.pos + 1) === 47) {
        const eol = src.indexOf('\n', this.pos)
        this.pos = eol < 0 ? src.length : eol
      } else if (c === 47 && src.charCodeAt(this.pos + 1) === 42 /* * */) {
        const end = src.indexOf('*/', this.pos + 2)
        if (end < 0) this.fail(this.pos, 'unterminated comment', 'syntax')
        const text = src.slice(this.pos, end + 2)
        if (!this.seenToken && this.docComment === undefined && text.startsWith('/**') && text.length > 4) {
          this.docComment = text
        }
        if (text.includes('\n')) newlineBefore = true
        this.pos = end + 2
      } else {
        break
      }
    }

    const start = this.pos
    const c = src.charCodeAt(start)

    if (isIdentifierStart(c) || c === 92 /* \ unicode escape */) {
      let end = start + 1
      while (end < src.length && (isIdentifierPart(src.charCodeAt(end)) || src.charCodeAt(end) === 92)) end++
      this.pos = end
      return makeToken(Kind.Identifier, src.slice(start, end), start, newlineBefore)
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(start + 1)))) {
      let end = start + 1
      while (end < src.length) {
        const d = src.charCodeAt(end)
        if (isIdentifierPart(d) || d === 46) end++
        else if ((d === 43 || d === 45) && (src[end - 1] === 'e' || src[end - 1] === 'E') && !/^0[xX]/.test(src.slice(start, end))) end++
        else break
      }
      this.pos = end
      return makeToken(Kind.Number, src.slice(start, end), start, newlineBefore)
    }
    if (c === 39 || c === 34 /* ' " */) {
      return makeToken(Kind.String, this.scanString(c), start, newlineBefore)
    }
    if (c === 96 /* ` */) {
      this.pos++
      return this.scanTemplate(start, newlineBefore)
    }
    if (c === 47 /* / */ && this.regexAllowed()) {
      this.scanRegex()
      return makeToken(Kind.Regex, src.slice(start, this.pos), start, newlineBefore)
    }
    if (c === 123 /* { */) {
      this.braceDepth++
    } else if (c === 125 /* } */) {
      const depths = this.templateDepths
      if (depths.length > 0 && depths[depths.length - 1] === this.braceDepth - 1) {
        depths.pop()
        this.braceDepth--
        this.pos++
        return this.scanTemplate(start, newlineBefore)
      }
      this.braceDepth--
    }
    const op = multiCharacterPunctuator(src, start, c)
    if (op !== undefined) {
      this.pos = start + op.length
      return makeToken(Kind.Punctuator, op, start, newlineBefore)
    }
    this.pos = start + 1
    return makeToken(Kind.Punctuator, src[start]!, start, newlineBefore)
  }

  private regexAllowed(): boolean {
    const prev = this.previous
    if (prev === undefined) return true
    if (prev.kind === Kind.Punctuator) return prev.value !== ')' && prev.value !== ']' && prev.value !== '}'
    if (prev.kind === Kind.Identifier) return KEYWORDS_BEFORE_EXPRESSION.has(prev.value)
    return false
  }

  private scanRegex(): void {
    const src = this.source
    let inClass = false
    let i = this.pos + 1
    for (; i < src.length; i++) {
      const c = src.charCodeAt(i)
      if (c === 10 || c === 13) break
      if (c === 92) i++
      else if (c === 91) inClass = true
      else if (c === 93) inClass = false
      else if (c === 47 && !inClass) break
    }
    if (i >= src.length || src.charCodeAt(i) !== 47) this.fail(this.pos, 'unterminated regular expression', 'syntax')
    i++
    while (i < src.length && isIdentifierPart(src.charCodeAt(i))) i++
    this.pos = i
  }

  private scanString(quote: number): string {
    const src = this.source
    const start = this.pos
    let i = start + 1
    let out = ''
    let chunk = i
    for (;;) {
      if (i >= src.length) this.fail(start, 'unterminated string literal', 'syntax')
      const c = src.charCodeAt(i)
      if (c === quote) break
      if (c === 10 || c === 13) this.fail(start, 'unterminated string literal', 'syntax')
      if (c === 92) {
        out += src.slice(chunk, i)
        const [text, next] = this.unescape(i)
        out += text
        i = next
        chunk = i
        continue
      }
      i++
    }
    out += src.slice(chunk, i)
    this.pos = i + 1
    return out
  }

  /** Scans template text from `this.pos` up to the closing backtick or the next `${`. */
  private scanTemplate(start: number, newlineBefore: boolean): Token {
    const src = this.source
    const head = src.charCodeAt(start) === 96
    let i = this.pos
    let out = ''
    let chunk = i
    for (;;) {
      if (i >= src.length) this.fail(start, 'unterminated template literal', 'syntax')
      const c = src.charCodeAt(i)
      if (c === 96) {
        out += src.slice(chunk, i)
        this.pos = i + 1
        return makeToken(Kind.Template, out, start, newlineBefore, !head)
      }
      if (c === 36 && src.charCodeAt(i + 1) === 123) {
        this.templateDepths.push(this.braceDepth)
        this.braceDepth++
        this.pos = i + 2
        return makeToken(Kind.Template, out + src.slice(chunk, i), start, newlineBefore, true)
      }
      if (c === 92) {
        out += src.slice(chunk, i)
        const [text, next] = this.unescape(i)
        out += text
        i = next
        chunk = i
        continue
      }
      if (c === 13) {
        // template literals normalise CRLF and CR to LF
        out += src.slice(chunk, i) + '\n'
        i += src.charCodeAt(i + 1) === 10 ? 2 : 1
        chunk = i
        continue
      }
      i++
    }
  }

  /** Decodes the escape sequence at `at` (a backslash); returns the text and the offset after it. */
  private unescape(at: number): [string, number] {
    const src = this.source
    const c = src[at + 1]
    switch (c) {
      case undefined:
        return this.fail(at, 'unterminated escape sequence', 'syntax')
      case 'n': return ['\n', at + 2]
      case 't': return ['\t', at + 2]
      case 'r': return ['\r', at + 2]
      case 'b': return ['\b', at + 2]
      case 'f': return ['\f', at + 2]
      case 'v': return ['\v', at + 2]
      case '0': return ['\0', at + 2]
      case '\r': return ['', src[at + 2] === '\n' ? at + 3 : at + 2]
      case '\n': case '\u2028': case '\u2029': return ['', at + 2]
      case 'x': {
        const hex = src.slice(at + 2, at + 4)
        if (!/^[0-9a-fA-F]{2}$/.test(hex)) this.fail(at, 'invalid \\x escape', 'syntax')
        return [String.fromCharCode(parseInt(hex, 16)), at + 4]
      }
      case 'u': {
        if (src[at + 2] === '{') {
          const close = src.indexOf('}', at + 3)
          const hex = close < 0 ? '' : src.slice(at + 3, close)
          if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) this.fail(at, 'invalid \\u{…} escape', 'syntax')
          return [String.fromCodePoint(parseInt(hex, 16)), close + 1]
        }
        const hex = src.slice(at + 2, at + 6)
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail(at, 'invalid \\u escape', 'syntax')
        return [String.fromCharCode(parseInt(hex, 16)), at + 6]
      }
      default:
        return [c, at + 2]
    }
  }
}

/** The kinds of `SourceTokens.kinds`. */
export const TOKEN_KIND = {
  identifier: Kind.Identifier,
  string: Kind.String,
  template: Kind.Template,
  number: Kind.Number,
  regex: Kind.Regex,
  punctuator: Kind.Punctuator,
} as const

/**
 * The tokens of {@link tokenize}, token `i` being `kinds[i]` (a `TOKEN_KIND`), `values[i]`
 * (identifier name, punctuator text, or the cooked value of a string / template chunk), source
 * offsets `starts[i]`…`ends[i]`, and `newlineBefore[i]` (1 when a line break separates it from the
 * previous token). Parallel arrays rather than an object per token: a models file has tens of
 * thousands of tokens, which as objects would all stay alive until the transform is done, copied
 * by every garbage collection meanwhile.
 */
export interface SourceTokens {
  readonly count: number
  readonly kinds: Uint8Array
  readonly values: readonly string[]
  readonly starts: Int32Array
  readonly ends: Int32Array
  readonly newlineBefore: Uint8Array
}

/**
 * The tokens of a JavaScript or TypeScript source, with the same lexical rules as the header
 * scanner (comments skipped; `<` and `>` always single punctuators; a template literal with
 * substitutions comes as one token per chunk, `` `…${ `` / `}…${ ` / `` }…` ``).
 * @throws RevisionError on an unterminated comment, string, template or regular expression
 */
export function tokenize(source: string): SourceTokens {
  const scanner = new Scanner(source, (offset, message) => {
    const { line, column } = lineAndColumn(source, offset)
    throw new RevisionError('syntax', `${line}:${column}: ${message}`)
  })
  // About one token per four characters; doubled when short.
  let capacity = Math.max(64, source.length >> 2)
  let kinds = new Uint8Array(capacity)
  let starts = new Int32Array(capacity)
  let ends = new Int32Array(capacity)
  let newlineBefore = new Uint8Array(capacity)
  const values: string[] = []
  let count = 0
  for (let token = scanner.next(); token.kind !== Kind.End; token = scanner.next()) {
    if (count === capacity) {
      capacity *= 2
      kinds = grown(kinds, new Uint8Array(capacity))
      starts = grown(starts, new Int32Array(capacity))
      ends = grown(ends, new Int32Array(capacity))
      newlineBefore = grown(newlineBefore, new Uint8Array(capacity))
    }
    kinds[count] = token.kind
    values.push(token.value)
    starts[count] = token.start
    ends[count] = token.end
    newlineBefore[count] = token.newlineBefore ? 1 : 0
    count++
  }
  return { count, kinds: kinds.subarray(0, count), values, starts: starts.subarray(0, count), ends: ends.subarray(0, count), newlineBefore: newlineBefore.subarray(0, count) }
}

/** `to` holding `from` at its start. */
function grown<T extends Uint8Array | Int32Array>(from: T, to: T): T {
  to.set(from)
  return to
}

type LiteralValue = { kind: 'string'; value: string } | { kind: 'null' } | { kind: 'array'; values: string[] }

function lineAndColumn(source: string, offset: number): { line: number; column: number } {
  let line = 1
  let lineStart = 0
  for (let i = source.indexOf('\n'); i >= 0 && i < offset; i = source.indexOf('\n', i + 1)) {
    line++
    lineStart = i + 1
  }
  return { line, column: offset - lineStart + 1 }
}

function parseDocComment(comment: string | undefined): { doc: string | undefined; longDoc: string; createDate: string | undefined } {
  if (comment === undefined) return { doc: undefined, longDoc: '', createDate: undefined }
  const lines = comment
    .slice(3, -2)
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*\*(?: |(?=\S)|$)?/, '').replace(/\s+$/, '').replaceAll('*\\/', '*/'))
  while (lines.length > 0 && lines[0]!.trim() === '') lines.shift()
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop()
  const longDoc = lines.join('\n')
  const first = lines.find((line) => line.trim() !== '')
  let createDate: string | undefined
  for (const line of lines) {
    const match = /^\s*Create Date:\s*(.*?)\s*$/.exec(line)
    if (match) {
      createDate = match[1]
      break
    }
  }
  return { doc: first?.trim(), longDoc, createDate }
}

/**
 * Reads the four constants and the doc comment of a revision file without executing it.
 * @param path the file name, used in errors and returned as `path`
 * @param source the file's text
 * @throws RevisionError naming the file and line when `revision` is missing or a constant is not a literal
 */
export function readRevisionHeader(path: string, source: string): RevisionHeader {
  const fail = (offset: number, message: string, code = 'not_literal'): never => {
    const { line, column } = lineAndColumn(source, offset)
    throw new RevisionError(code, `${path}:${line}:${column}: ${message}`, {
      hint: code === 'syntax' ? 'fix the syntax of the revision file' : LITERAL_HINT,
    })
  }
  const scanner = new Scanner(source, fail)
  const found = new Map<string, { value: LiteralValue; start: number }>()

  let token = scanner.next()
  let previous: Token | undefined
  /** Reads `token` through a call so that TypeScript does not narrow it across `advance()`. */
  const isPunct = (value: string): boolean => token.kind === Kind.Punctuator && token.value === value
  const isWord = (...values: string[]): boolean => token.kind === Kind.Identifier && values.includes(token.value)
  const isEnd = (): boolean => token.kind === Kind.End
  const advance = (): Token => {
    previous = token
    token = scanner.next()
    return token
  }
  const describe = (t: Token): string => {
    if (t.kind === Kind.End) return 'end of file'
    const eol = source.indexOf('\n', t.start)
    return JSON.stringify(source.slice(t.start, eol < 0 ? source.length : eol).trim().slice(0, 40))
  }

  /** Skips a type annotation (after `:`) or a type assertion (after `as`/`satisfies`). */
  const skipType = (stopAtAssignment: boolean): void => {
    let depth = 0
    let first = true
    for (;;) {
      if (token.kind === Kind.End) return
      if (depth === 0 && !first) {
        if (token.kind === Kind.Punctuator && (token.value === ';' || token.value === ',' || token.value === ')' || token.value === ']' || token.value === '}')) return
        if (stopAtAssignment && isPunct('=')) return
        const continues = token.kind === Kind.Punctuator && (token.value === '|' || token.value === '&' || token.value === '[' || token.value === '<' || token.value === '.' || token.value === '=>')
        const prevContinues = previous !== undefined && previous.kind === Kind.Punctuator && (previous.value === '|' || previous.value === '&' || previous.value === '=>' || previous.value === ':' || previous.value === '.')
        if (token.newlineBefore && !continues && !prevContinues) return
        if (!stopAtAssignment && isPunct('=')) return
      }
      first = false
      if (token.kind === Kind.Punctuator) {
        const v = token.value
        if (v === '(' || v === '[' || v === '{' || v === '<') depth++
        else if (v === ')' || v === ']' || v === '}' || v === '>') {
          if (depth === 0) return
          depth--
        }
      }
      advance()
    }
  }

  const expectString = (what: string): string => {
    if (token.kind === Kind.String || (token.kind === Kind.Template && !token.substitution)) {
      const value = token.value
      advance()
      return value
    }
    return fail(token.start, `${what} must be a literal string, found ${describe(token)}`)
  }

  const parseValue = (name: string): LiteralValue => {
    if (isPunct('(')) {
      advance()
      const inner = parseValue(name)
      if (!isPunct(')')) fail(token.start, `${name} is not a literal: unexpected ${describe(token)}`)
      advance()
      return inner
    }
    if (token.kind === Kind.String || (token.kind === Kind.Template && !token.substitution)) {
      return { kind: 'string', value: expectString(name) }
    }
    if (isWord('null', 'undefined')) {
      advance()
      return { kind: 'null' }
    }
    if (isPunct('[')) {
      advance()
      const values: string[] = []
      while (!isPunct(']')) {
        values.push(expectString(`each element of ${name}`))
        if (isPunct(',')) advance()
        else if (!isPunct(']')) fail(token.start, `${name} is not a literal array: unexpected ${describe(token)}`)
      }
      advance()
      return { kind: 'array', values }
    }
    return fail(token.start, `${name} is not a literal, found ${describe(token)}`)
  }

  /** After the literal: `as const`, `as T`, `satisfies T`, then the end of the declarator. */
  const finishDeclarator = (name: string): void => {
    for (;;) {
      if (isWord('as', 'satisfies') && !token.newlineBefore) {
        advance()
        skipType(false)
        continue
      }
      break
    }
    if (token.kind === Kind.End) return
    if (token.kind === Kind.Punctuator) {
      if (token.value === ';' || token.value === ',') return
      fail(token.start, `${name} is not a literal: unexpected ${describe(token)} after the value`)
    }
    if (token.newlineBefore) return // automatic semicolon insertion
    fail(token.start, `${name} is not a literal: unexpected ${describe(token)} after the value`)
  }

  const parseDeclarators = (): void => {
    for (;;) {
      const nameToken = token
      if (nameToken.kind !== Kind.Identifier || !CONSTANT_NAMES.has(nameToken.value)) return
      const name = nameToken.value
      const nameStart = nameToken.start
      if (found.has(name)) fail(nameStart, `${name} is declared twice`, 'duplicate_constant')
      advance()
      if (isPunct(':')) {
        advance()
        skipType(true)
      }
      if (!isPunct('=')) fail(isEnd() ? nameStart : token.start, `${name} has no literal value`)
      advance()
      found.set(name, { value: parseValue(name), start: nameStart })
      finishDeclarator(name)
      if (!isPunct(',')) return
      advance()
    }
  }

  while (token.kind !== Kind.End && found.size < CONSTANT_NAMES.size) {
    if (isWord('export') && !(previous?.kind === Kind.Punctuator && (previous.value === '.' || previous.value === '?.'))) {
      advance()
      if (isWord('const', 'let', 'var')) {
        advance()
        parseDeclarators()
        continue
      }
      continue
    }
    advance()
  }

  const revision = found.get('revision')
  if (revision === undefined) {
    throw new RevisionError('missing_revision', `${path}: no \`export const revision = '…'\` found`, { hint: LITERAL_HINT })
  }
  const revisionId = revision.value.kind === 'string' ? revision.value.value : ''
  if (revisionId.trim() === '') fail(revision.start, 'revision must be a non-empty literal string')
  const list = (name: ConstantName): string[] => {
    const entry = found.get(name)
    if (entry === undefined || entry.value.kind === 'null') return []
    const values = entry.value.kind === 'string' ? [entry.value.value] : entry.value.values
    if (values.some((v) => v.trim() === '')) fail(entry.start, `${name} contains an empty string`)
    return values
  }
  const { doc, longDoc, createDate } = parseDocComment(scanner.docComment)
  return {
    revision: revisionId,
    downRevisions: list('downRevision'),
    branchLabels: list('branchLabels'),
    dependsOn: list('dependsOn'),
    doc,
    longDoc,
    createDate,
    path,
  }
}
