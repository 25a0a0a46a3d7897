/**
 * SQL expressions (check conditions, index expressions and `where` clauses, server defaults) in
 * one canonical text, so that what the models write compares equal to what the server re-prints:
 *
 * - PostgreSQL adds casts (`price > 0::numeric`, `name::text`, `'x'::character varying`), drops
 *   redundant parentheses but adds others (`(qty * price) > 0`), prints `IN (…)` as
 *   `= ANY (ARRAY[…])`, `LIKE` as `~~` and `BETWEEN` as two comparisons joined by AND;
 * - MariaDB lower-cases keywords, drops spaces after commas and quotes with backquotes;
 * - everyone spells `now()` / `CURRENT_TIMESTAMP` / `current_timestamp()` their own way.
 *
 * The text is tokenised, casts are dropped (a numeric string cast to a number type becomes the
 * number), keywords and unquoted names are lower-cased, quoted names that need no quotes lose
 * them, and the expression is parsed (PostgreSQL's precedence) and printed back with only the
 * parentheses the tree needs. Text the parser does not understand is compared token by token.
 * Two expressions with the same canonical text are taken as the same; the converse does not hold
 * (the server may rewrite more than this undoes), which only means a change is reported.
 */
import type { DialectName } from '../dialects/dialect.js'
import { loadedDialect } from '../dialects/registry.js'
import { renderSqlFragment, SqlFragment } from '../schema/sql.js'

type Token =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'num'; readonly v: string }
  | { readonly t: 'word'; readonly v: string }
  | { readonly t: 'ident'; readonly v: string }
  | { readonly t: 'op'; readonly v: string }
  | { readonly t: 'punct'; readonly v: string }

const OP_CHARS = '+-*/<>=~!@#%^&|?'

interface Lexicon {
  /** Characters opening a quoted identifier, with their closing character. */
  readonly identQuotes: Readonly<Record<string, string>>
  /** Characters opening a string literal. */
  readonly stringQuotes: string
  readonly backslashEscapes: boolean
  /** Quoted names compare without case (MySQL). */
  readonly foldQuoted: boolean
}

const LEXICONS: Readonly<Record<DialectName, Lexicon>> = {
  postgresql: { identQuotes: { '"': '"' }, stringQuotes: "'", backslashEscapes: false, foldQuoted: false },
  mysql: { identQuotes: { '`': '`' }, stringQuotes: `'"`, backslashEscapes: true, foldQuoted: true },
  sqlite: { identQuotes: { '"': '"', '`': '`', '[': ']' }, stringQuotes: "'", backslashEscapes: false, foldQuoted: true },
}

const BACKSLASH: Readonly<Record<string, string>> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' }

class LexError extends Error {}

function tokenize(text: string, lexicon: Lexicon): Token[] {
  const tokens: Token[] = []
  let i = 0
  const readQuoted = (close: string, backslash: boolean): string => {
    let value = ''
    i++
    while (i < text.length) {
      const ch = text[i]!
      if (backslash && ch === '\\' && i + 1 < text.length) {
        const next = text[i + 1]!
        // MySQL keeps the backslash of \% and \_ (LIKE's escapes): 'a\_b' is not 'a_b'.
        value += next === '%' || next === '_' ? `\\${next}` : (BACKSLASH[next] ?? next)
        i += 2
        continue
      }
      if (ch === close) {
        if (text[i + 1] === close) {
          value += close
          i += 2
          continue
        }
        i++
        return value
      }
      value += ch
      i++
    }
    throw new LexError('unterminated quote')
  }
  while (i < text.length) {
    const ch = text[i]!
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '-' && text[i + 1] === '-') {
      const end = text.indexOf('\n', i)
      i = end === -1 ? text.length : end
    } else if (ch === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2)
      i = end === -1 ? text.length : end + 2
    } else if (lexicon.stringQuotes.includes(ch)) {
      tokens.push({ t: 'str', v: readQuoted(ch, lexicon.backslashEscapes) })
    } else if (Object.hasOwn(lexicon.identQuotes, ch)) {
      const name = readQuoted(lexicon.identQuotes[ch]!, false)
      tokens.push({ t: 'ident', v: lexicon.foldQuoted ? name.toLowerCase() : name })
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(text.slice(i))!
      tokens.push({ t: 'num', v: m[0] })
      i += m[0].length
    } else if (/[A-Za-z_\u0080-\uFFFF]/.test(ch)) {
      const m = /^[A-Za-z_\u0080-\uFFFF][A-Za-z0-9_$\u0080-\uFFFF]*/.exec(text.slice(i))!
      const word = m[0]
      i += word.length
      const next = text[i]
      if (next === "'" && /^[eE]$/.test(word)) {
        // PostgreSQL E'…' escape string.
        tokens.push({ t: 'str', v: readQuoted("'", true) })
      } else if (next !== undefined && lexicon.stringQuotes.includes(next) && /^_[A-Za-z0-9]+$/.test(word)) {
        // MySQL charset introducer: _utf8mb4'x'.
        tokens.push({ t: 'str', v: readQuoted(next, lexicon.backslashEscapes) })
      } else if (next === "'" && /^[nN]$/.test(word)) {
        tokens.push({ t: 'str', v: readQuoted("'", lexicon.backslashEscapes) })
      } else {
        tokens.push({ t: 'word', v: word.toLowerCase() })
      }
    } else if (ch === ':' && text[i + 1] === ':') {
      tokens.push({ t: 'op', v: '::' })
      i += 2
    } else if ('(),[].;:'.includes(ch)) {
      tokens.push({ t: 'punct', v: ch })
      i++
    } else if (OP_CHARS.includes(ch)) {
      let j = i
      while (j < text.length && OP_CHARS.includes(text[j]!)) {
        // `/*` and `--` inside an operator start a comment.
        if ((text[j] === '/' && text[j + 1] === '*') || (text[j] === '-' && text[j + 1] === '-')) break
        j++
      }
      let op = text.slice(i, Math.max(j, i + 1))
      // PostgreSQL: a multi-character operator ends in + or - only if it holds one of ~ ! @ # % ^ & | ` ?
      while (op.length > 1 && /[+-]$/.test(op) && !/[~!@#%^&|`?]/.test(op)) op = op.slice(0, -1)
      tokens.push({ t: 'op', v: op })
      i += op.length
    } else {
      throw new LexError(`unexpected character ${ch}`)
    }
  }
  return tokens
}

// ---------------------------------------------------------------------------------------------
// Token rewrites that need no parse

const NUMERIC_CAST_TYPES = new Set(['integer', 'int', 'int2', 'int4', 'int8', 'smallint', 'bigint', 'numeric', 'decimal', 'real', 'float4', 'float8', 'double', 'signed', 'unsigned'])
const TYPE_WORDS = new Set(['varying', 'precision', 'with', 'without', 'time', 'zone'])
const TYPED_LITERAL_WORDS = new Set(['date', 'time', 'timestamp', 'timestamptz', 'interval', 'json', 'jsonb', 'uuid'])

/** The end (exclusive) of a type name starting at `start`, or -1. */
function skipType(tokens: readonly Token[], start: number): number {
  let i = start
  const first = tokens[i]
  if (first === undefined || (first.t !== 'word' && first.t !== 'ident')) return -1
  i++
  if (tokens[i]?.v === '.' && (tokens[i + 1]?.t === 'word' || tokens[i + 1]?.t === 'ident')) i += 2
  while (tokens[i]?.t === 'word' && TYPE_WORDS.has(tokens[i]!.v)) i++
  if (tokens[i]?.v === '(') {
    let j = i + 1
    while (tokens[j] !== undefined && (tokens[j]!.t === 'num' || tokens[j]!.v === ',')) j++
    if (tokens[j]?.v === ')') i = j + 1
  }
  while (tokens[i]?.t === 'word' && TYPE_WORDS.has(tokens[i]!.v)) i++
  while (tokens[i]?.v === '[' && tokens[i + 1]?.v === ']') i += 2
  return i
}

function typeNameAt(tokens: readonly Token[], start: number): string {
  return tokens[start]?.v ?? ''
}

/** Casts dropped, PostgreSQL operator spellings mapped back, `= ANY (ARRAY[…])` as `IN (…)`. */
function rewriteTokens(input: readonly Token[]): Token[] {
  const out: Token[] = []
  let i = 0
  while (i < input.length) {
    const token = input[i]!
    if (token.t === 'op' && token.v === '::') {
      const end = skipType(input, i + 1)
      if (end === -1) throw new LexError('cast without a type')
      const previous = out[out.length - 1]
      if (previous?.t === 'str' && NUMERIC_CAST_TYPES.has(typeNameAt(input, i + 1)) && /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(previous.v.trim())) {
        out.pop()
        const text = previous.v.trim().replace(/^\+/, '')
        if (text.startsWith('-')) {
          out.push({ t: 'op', v: '-' }, { t: 'num', v: text.slice(1) })
        } else {
          out.push({ t: 'num', v: text })
        }
      }
      i = end
      continue
    }
    // `DATE '2020-01-01'`: the type word of a typed literal goes, as a cast would.
    if (token.t === 'word' && TYPED_LITERAL_WORDS.has(token.v) && input[i + 1]?.t === 'str' && !(out[out.length - 1]?.t === 'op' && out[out.length - 1]?.v === '::')) {
      i++
      continue
    }
    // `current_timestamp()` and `now()` (MariaDB prints them so; the same in PostgreSQL) are
    // `current_timestamp`; `curdate()`/`current_date()` are `current_date`. A precision stays.
    if (token.t === 'word' && NILADIC.has(token.v) && input[i + 1]?.v === '(' && input[i + 2]?.v === ')' && !(out[out.length - 1]?.t === 'op' && out[out.length - 1]?.v === '::')) {
      out.push({ t: 'word', v: NILADIC.get(token.v)! })
      i += 3
      continue
    }
    // `now(6)` is `current_timestamp(6)` (MariaDB prints it so).
    if (token.t === 'word' && token.v === 'now' && input[i + 1]?.v === '(') {
      out.push({ t: 'word', v: 'current_timestamp' })
      i++
      continue
    }
    // PostgreSQL prints `x SIMILAR TO p` as `x ~ similar_to_escape(p)` (`similar_to_escape(p, e)` with ESCAPE e).
    if (token.t === 'op' && (token.v === '~' || token.v === '!~') && input[i + 1]?.t === 'word' && input[i + 1]!.v === 'similar_to_escape' && input[i + 2]?.v === '(') {
      const close = matching(input, i + 2, '(', ')')
      if (close !== -1) {
        const args = input.slice(i + 3, close)
        const comma = args.findIndex((t, j) => t.v === ',' && depthAt(args, j) === 0)
        if (token.v === '!~') out.push({ t: 'word', v: 'not' })
        out.push({ t: 'word', v: 'similar' }, { t: 'word', v: 'to' }, ...rewriteTokens(comma === -1 ? args : args.slice(0, comma)))
        if (comma !== -1) out.push({ t: 'word', v: 'escape' }, ...rewriteTokens(args.slice(comma + 1)))
        i = close + 1
        continue
      }
    }
    if (token.t === 'op') {
      const mapped: Readonly<Record<string, readonly Token[]>> = {
        '~~': [{ t: 'word', v: 'like' }],
        '~~*': [{ t: 'word', v: 'ilike' }],
        '!~~': [{ t: 'word', v: 'not' }, { t: 'word', v: 'like' }],
        '!~~*': [{ t: 'word', v: 'not' }, { t: 'word', v: 'ilike' }],
        '!=': [{ t: 'op', v: '<>' }],
        '==': [{ t: 'op', v: '=' }],
      }
      const replacement = mapped[token.v]
      if (replacement) {
        out.push(...replacement)
        i++
        continue
      }
      // x = ANY (ARRAY[a, b]) → x IN (a, b); x <> ALL (ARRAY[…]) → x NOT IN (…)
      const quantifier = input[i + 1]
      if ((token.v === '=' || token.v === '<>') && quantifier?.t === 'word' && quantifier.v === (token.v === '=' ? 'any' : 'all') && input[i + 2]?.v === '(') {
        const close = matching(input, i + 2, '(', ')')
        const inner = close === -1 ? [] : stripParens(rewriteTokens(input.slice(i + 3, close)))
        if (inner.length >= 3 && inner[0]!.t === 'word' && inner[0]!.v === 'array' && inner[1]!.v === '[' && matching(inner, 1, '[', ']') === inner.length - 1) {
          if (token.v === '<>') out.push({ t: 'word', v: 'not' })
          out.push({ t: 'word', v: 'in' }, { t: 'punct', v: '(' }, ...inner.slice(2, -1), { t: 'punct', v: ')' })
          i = close + 1
          continue
        }
      }
    }
    out.push(token)
    i++
  }
  return out
}

/** MySQL functions that are the same function under two names, by the name compared. */
const MYSQL_FUNCTION_SYNONYMS: ReadonlyMap<string, string> = new Map([
  ['lcase', 'lower'],
  ['ucase', 'upper'],
  ['octet_length', 'length'],
  ['ceiling', 'ceil'],
  ['pow', 'power'],
  ['substring', 'substr'],
  ['mid', 'substr'],
  ['character_length', 'char_length'],
])

/** Functions of no argument that name a SQL keyword: what each is written as. */
const NILADIC: ReadonlyMap<string, string> = new Map([
  ['current_timestamp', 'current_timestamp'],
  ['now', 'current_timestamp'],
  ['localtimestamp', 'localtimestamp'],
  ['current_date', 'current_date'],
  ['curdate', 'current_date'],
  ['current_time', 'current_time'],
  ['curtime', 'current_time'],
])

/** How deep in parentheses token `at` of `tokens` is. */
function depthAt(tokens: readonly Token[], at: number): number {
  let depth = 0
  for (let i = 0; i < at; i++) {
    if (tokens[i]!.v === '(') depth++
    else if (tokens[i]!.v === ')') depth--
  }
  return depth
}

function matching(tokens: readonly Token[], open: number, openText: string, closeText: string): number {
  let depth = 0
  for (let i = open; i < tokens.length; i++) {
    const v = tokens[i]!
    if (v.t !== 'punct') continue
    if (v.v === openText) depth++
    else if (v.v === closeText && --depth === 0) return i
  }
  return -1
}

// ---------------------------------------------------------------------------------------------
// Parse and print

type Node =
  | { readonly k: 'atom'; readonly text: string }
  | { readonly k: 'call'; readonly name: string; readonly args: string }
  | { readonly k: 'nary'; readonly op: 'and' | 'or'; readonly items: readonly Node[] }
  | { readonly k: 'bin'; readonly op: string; readonly prec: number; readonly left: Node; readonly right: Node }
  | { readonly k: 'prefix'; readonly op: string; readonly prec: number; readonly operand: Node }
  | { readonly k: 'postfix'; readonly op: string; readonly operand: Node }
  | { readonly k: 'in'; readonly negated: boolean; readonly operand: Node; readonly items: readonly Node[] }

const PREC = {
  or: 1,
  and: 2,
  not: 3,
  is: 4,
  compare: 5,
  like: 6,
  other: 7,
  additive: 8,
  multiplicative: 9,
  power: 10,
  unary: 11,
  atom: 20,
} as const

const COMPARISONS = new Set(['=', '<>', '<', '>', '<=', '>=', '<=>'])

/** `now()`, `current_timestamp()` and friends: one spelling. */
const CALL_SYNONYMS: Readonly<Record<string, string>> = {
  'now()': 'current_timestamp',
  'current_timestamp()': 'current_timestamp',
  'localtimestamp()': 'localtimestamp',
  'localtime()': 'localtime',
  'current_date()': 'current_date',
  'curdate()': 'current_date',
  'current_time()': 'current_time',
  'curtime()': 'current_time',
}

class ParseError extends Error {}

class Parser {
  private pos = 0
  constructor(private readonly tokens: readonly Token[]) {}

  parseAll(): Node {
    const node = this.expression(0)
    if (this.pos !== this.tokens.length) throw new ParseError('trailing tokens')
    return node
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.pos + offset]
  }

  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset)
    return t?.t === 'word' && t.v === word
  }

  private isPunct(p: string, offset = 0): boolean {
    const t = this.peek(offset)
    return t?.t === 'punct' && t.v === p
  }

  private expect(p: string): void {
    if (!this.isPunct(p)) throw new ParseError(`expected ${p}`)
    this.pos++
  }

  expression(minPrec: number): Node {
    let left = this.prefix()
    for (;;) {
      const t = this.peek()
      if (t === undefined) break
      if (t.t === 'word') {
        if (t.v === 'or' || t.v === 'and') {
          const prec = t.v === 'or' ? PREC.or : PREC.and
          if (prec < minPrec) break
          this.pos++
          const right = this.expression(prec + 1)
          left = nary(t.v, left, right)
          continue
        }
        if (t.v === 'is') {
          if (PREC.is < minPrec) break
          this.pos++
          let negated = false
          if (this.isWord('not')) {
            negated = true
            this.pos++
          }
          const what = this.peek()
          if (what?.t === 'word' && ['null', 'true', 'false', 'unknown'].includes(what.v)) {
            this.pos++
            left = { k: 'postfix', op: `is ${negated ? 'not ' : ''}${what.v}`, operand: left }
            continue
          }
          if (this.isWord('distinct') && this.isWord('from', 1)) {
            this.pos += 2
            const right = this.expression(PREC.is + 1)
            left = { k: 'bin', op: `is ${negated ? 'not ' : ''}distinct from`, prec: PREC.is, left, right }
            continue
          }
          throw new ParseError('unsupported IS')
        }
        if (t.v === 'isnull' || t.v === 'notnull') {
          if (PREC.is < minPrec) break
          this.pos++
          left = { k: 'postfix', op: t.v === 'isnull' ? 'is null' : 'is not null', operand: left }
          continue
        }
        const negated = t.v === 'not' && ['like', 'ilike', 'in', 'between', 'similar', 'regexp', 'rlike'].includes(this.peek(1)?.v ?? '')
        const keyword = negated ? this.peek(1)!.v : t.v
        if (['like', 'ilike', 'in', 'between', 'similar', 'regexp', 'rlike'].includes(keyword)) {
          if (PREC.like < minPrec) break
          this.pos += negated ? 2 : 1
          left = this.likeFamily(keyword, negated, left)
          continue
        }
        if (t.v === 'collate') {
          this.pos++
          const name = this.peek()
          if (name === undefined || (name.t !== 'word' && name.t !== 'ident')) throw new ParseError('collate')
          this.pos++
          left = { k: 'postfix', op: `collate ${printName(name)}`, operand: left }
          continue
        }
        break
      }
      if (t.t === 'op') {
        const prec = binaryPrec(t.v)
        if (prec < minPrec) break
        this.pos++
        const right = this.expression(prec + 1)
        left = { k: 'bin', op: t.v, prec, left, right }
        continue
      }
      if (t.t === 'punct' && t.v === '[') {
        const close = matching(this.tokens, this.pos, '[', ']')
        if (close === -1) throw new ParseError('subscript')
        const inner = printTokens(this.tokens.slice(this.pos + 1, close))
        this.pos = close + 1
        left = { k: 'atom', text: `${print(left, PREC.atom)}[${inner}]` }
        continue
      }
      break
    }
    return left
  }

  private likeFamily(keyword: string, negated: boolean, left: Node): Node {
    const not = negated ? 'not ' : ''
    if (keyword === 'in') {
      this.expect('(')
      const items: Node[] = []
      if (!this.isPunct(')')) {
        for (;;) {
          items.push(this.expression(0))
          if (this.isPunct(',')) {
            this.pos++
            continue
          }
          break
        }
      }
      this.expect(')')
      return { k: 'in', negated, operand: left, items }
    }
    if (keyword === 'between') {
      if (this.isWord('symmetric')) throw new ParseError('between symmetric')
      const low = this.expression(PREC.like + 1)
      if (!this.isWord('and')) throw new ParseError('between without and')
      this.pos++
      const high = this.expression(PREC.like + 1)
      // PostgreSQL stores BETWEEN as two comparisons.
      return negated
        ? nary('or', { k: 'bin', op: '<', prec: PREC.compare, left, right: low }, { k: 'bin', op: '>', prec: PREC.compare, left, right: high })
        : nary('and', { k: 'bin', op: '>=', prec: PREC.compare, left, right: low }, { k: 'bin', op: '<=', prec: PREC.compare, left, right: high })
    }
    if (keyword === 'similar') {
      if (!this.isWord('to')) throw new ParseError('similar without to')
      this.pos++
      const right = this.expression(PREC.like + 1)
      return { k: 'bin', op: `${not}similar to`, prec: PREC.like, left, right }
    }
    const right = this.expression(PREC.like + 1)
    let node: Node = { k: 'bin', op: `${not}${keyword === 'rlike' ? 'regexp' : keyword}`, prec: PREC.like, left, right }
    if (this.isWord('escape')) {
      this.pos++
      const escape = this.expression(PREC.like + 1)
      node = { k: 'bin', op: 'escape', prec: PREC.like, left: node, right: escape }
    }
    return node
  }

  private prefix(): Node {
    const t = this.peek()
    if (t === undefined) throw new ParseError('unexpected end')
    if (t.t === 'word' && t.v === 'not') {
      this.pos++
      return { k: 'prefix', op: 'not', prec: PREC.not, operand: this.expression(PREC.not) }
    }
    if (t.t === 'op' && (t.v === '-' || t.v === '+')) {
      this.pos++
      const operand = this.expression(PREC.unary)
      if (t.v === '+') return operand
      return { k: 'prefix', op: '-', prec: PREC.unary, operand }
    }
    if (t.t === 'op' && (t.v === '~' || t.v === '!')) {
      this.pos++
      return { k: 'prefix', op: t.v, prec: PREC.unary, operand: this.expression(PREC.unary) }
    }
    return this.primary()
  }

  private primary(): Node {
    const t = this.peek()!
    if (t.t === 'punct' && t.v === '(') {
      this.pos++
      const inner = this.expression(0)
      if (this.isPunct(',')) throw new ParseError('row constructor')
      this.expect(')')
      return inner
    }
    if (t.t === 'str') {
      this.pos++
      return { k: 'atom', text: quoteString(t.v) }
    }
    if (t.t === 'num') {
      this.pos++
      return { k: 'atom', text: canonicalNumber(t.v) }
    }
    if (t.t === 'word' && t.v === 'case') return this.caseExpression()
    if (t.t === 'word' && t.v === 'array' && this.isPunct('[', 1)) {
      const close = matching(this.tokens, this.pos + 1, '[', ']')
      if (close === -1) throw new ParseError('array')
      const items = splitTopLevel(this.tokens.slice(this.pos + 2, close)).map(normalizeTokens)
      this.pos = close + 1
      return { k: 'atom', text: `array[${items.join(', ')}]` }
    }
    if (t.t === 'word' && t.v === 'cast' && this.isPunct('(', 1)) {
      // CAST(x AS type): the cast goes, as `::type` does.
      const close = matching(this.tokens, this.pos + 1, '(', ')')
      const body = this.tokens.slice(this.pos + 2, close)
      const as = body.findLastIndex((b) => b.t === 'word' && b.v === 'as')
      if (close === -1 || as === -1) throw new ParseError('cast')
      this.pos = close + 1
      return new Parser(body.slice(0, as)).parseAll()
    }
    if (t.t === 'word' || t.t === 'ident') {
      this.pos++
      const parts = [printName(t)]
      while (this.isPunct('.') && (this.peek(1)?.t === 'word' || this.peek(1)?.t === 'ident' || this.peek(1)?.v === '*')) {
        parts.push(this.peek(1)!.t === 'op' ? '*' : printName(this.peek(1)!))
        this.pos += 2
      }
      if (this.isPunct('(')) {
        const close = matching(this.tokens, this.pos, '(', ')')
        if (close === -1) throw new ParseError('call')
        const argTokens = this.tokens.slice(this.pos + 1, close)
        this.pos = close + 1
        const name = parts.join('.')
        const args = argTokens.length === 0 ? '' : callArguments(argTokens)
        const call = `${name}(${args})`
        const synonym = CALL_SYNONYMS[call]
        return synonym === undefined ? { k: 'call', name, args } : { k: 'atom', text: synonym }
      }
      const text = parts.join('.')
      return { k: 'atom', text }
    }
    if (t.t === 'op' && t.v === '*') {
      this.pos++
      return { k: 'atom', text: '*' }
    }
    throw new ParseError(`unexpected ${t.v}`)
  }

  private caseExpression(): Node {
    this.pos++
    const parts: string[] = ['case']
    if (!this.isWord('when')) parts.push(print(this.expression(0), 0))
    while (this.isWord('when')) {
      this.pos++
      parts.push('when', print(this.expression(0), 0))
      if (!this.isWord('then')) throw new ParseError('case without then')
      this.pos++
      parts.push('then', print(this.expression(0), 0))
    }
    if (this.isWord('else')) {
      this.pos++
      parts.push('else', print(this.expression(0), 0))
    }
    if (!this.isWord('end')) throw new ParseError('case without end')
    this.pos++
    parts.push('end')
    return { k: 'atom', text: parts.join(' ') }
  }
}

function binaryPrec(op: string): number {
  if (COMPARISONS.has(op)) return PREC.compare
  if (op === '+' || op === '-') return PREC.additive
  if (op === '*' || op === '/' || op === '%') return PREC.multiplicative
  if (op === '^') return PREC.power
  return PREC.other
}

function nary(op: 'and' | 'or', left: Node, right: Node): Node {
  const items = (n: Node): readonly Node[] => (n.k === 'nary' && n.op === op ? n.items : [n])
  return { k: 'nary', op, items: [...items(left), ...items(right)] }
}

function precOf(node: Node): number {
  switch (node.k) {
    case 'atom':
    case 'call':
      return PREC.atom
    case 'nary':
      return node.op === 'or' ? PREC.or : PREC.and
    case 'bin':
    case 'prefix':
      return node.prec
    case 'postfix':
      return node.op.startsWith('collate') ? PREC.unary : PREC.is
    case 'in':
      return PREC.like
  }
}

/** `node` as text, parenthesised when it binds less tightly than `context`. */
function print(node: Node, context: number): string {
  const text = printBare(node)
  return precOf(node) < context ? `(${text})` : text
}

function printBare(node: Node): string {
  switch (node.k) {
    case 'atom':
      return node.text
    case 'call':
      return `${node.name}(${node.args})`
    case 'nary':
      return node.items.map((item) => print(item, (node.op === 'or' ? PREC.or : PREC.and) + 1)).join(` ${node.op} `)
    case 'bin':
      // Left-associative: the right operand needs parentheses at the same precedence.
      return `${print(node.left, node.prec)} ${node.op} ${print(node.right, node.prec + 1)}`
    case 'prefix':
      return node.op === 'not' ? `not ${print(node.operand, node.prec)}` : `${node.op}${print(node.operand, node.prec)}`
    case 'postfix':
      return `${print(node.operand, precOf(node) + 1)} ${node.op}`
    case 'in':
      return `${print(node.operand, PREC.like + 1)} ${node.negated ? 'not in' : 'in'} (${node.items.map((i) => print(i, 0)).join(', ')})`
  }
}

function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

function canonicalNumber(text: string): string {
  if (/^\d+$/.test(text)) return text.replace(/^0+(?=\d)/, '')
  const n = Number(text)
  return Number.isFinite(n) ? String(n) : text
}

/** A name bare when it can be (lower-case letters, digits, `_`), else double-quoted. */
function printName(token: Token): string {
  if (token.t === 'word') return token.v
  return /^[a-z_][a-z0-9_$]*$/.test(token.v) ? token.v : `"${token.v.replaceAll('"', '""')}"`
}

function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]]
  let depth = 0
  for (const token of tokens) {
    if (token.t === 'punct' && (token.v === '(' || token.v === '[')) depth++
    if (token.t === 'punct' && (token.v === ')' || token.v === ']')) depth--
    if (depth === 0 && token.t === 'punct' && token.v === ',') parts.push([])
    else parts[parts.length - 1]!.push(token)
  }
  return parts
}

function callArguments(tokens: readonly Token[]): string {
  if (tokens.length === 1 && tokens[0]!.t === 'op' && tokens[0]!.v === '*') return '*'
  return splitTopLevel(tokens).map(normalizeTokens).join(', ')
}

/** Tokens as canonical text: parsed when possible, else each token printed, separated by spaces. */
function normalizeTokens(tokens: readonly Token[]): string {
  try {
    return print(new Parser(tokens).parseAll(), 0)
  } catch (error) {
    if (!(error instanceof ParseError)) throw error
    return printTokens(stripParens(tokens))
  }
}

function stripParens(tokens: readonly Token[]): readonly Token[] {
  let out = tokens
  while (out.length >= 2 && out[0]!.t === 'punct' && out[0]!.v === '(' && matching(out, 0, '(', ')') === out.length - 1) out = out.slice(1, -1)
  return out
}

function printTokens(tokens: readonly Token[]): string {
  let out = ''
  for (const token of tokens) {
    const text = token.t === 'str' ? quoteString(token.v) : token.t === 'num' ? canonicalNumber(token.v) : token.t === 'ident' || token.t === 'word' ? printName(token) : token.v
    const glue = out === '' || token.v === ')' || token.v === ']' || token.v === ',' || token.v === '.' || out.endsWith('(') || out.endsWith('[') || out.endsWith('.') ? '' : ' '
    out += glue + text
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// API

/** SQL text of a fragment as `dialect` writes it (identifiers quoted, values as literals). */
export function fragmentText(fragment: SqlFragment, dialect: DialectName): string {
  return fragment.isPlainText ? fragment.strings[0]! : renderSqlFragment(fragment, loadedDialect(dialect))
}

/** The canonical text of an expression (see the top of this file). */
export function normalizeExpression(expression: string | SqlFragment, dialect: DialectName): string {
  const text = typeof expression === 'string' ? expression : fragmentText(expression, dialect)
  let tokens: Token[]
  try {
    tokens = rewriteTokens(tokenize(text, LEXICONS[dialect]))
  } catch (error) {
    if (!(error instanceof LexError)) throw error
    return text.trim().replace(/\s+/g, ' ').toLowerCase()
  }
  tokens = tokens.map((token, i) => {
    // MySQL's synonymous functions, by one name (MariaDB stores `lower` as `lcase`, `length` as `octet_length`…).
    if (dialect === 'mysql' && token.t === 'word' && tokens[i + 1]?.v === '(') {
      const name = MYSQL_FUNCTION_SYNONYMS.get(token.v)
      if (name !== undefined) return { ...token, v: name }
    }
    // A date or time as text, one spelling (`'2020-01-01 00:00:00'::timestamp` as PostgreSQL prints `'2020-01-01'`).
    if (token.t === 'str') {
      const temporal = temporalText(token.v)
      return temporal === undefined ? token : { ...token, v: temporal }
    }
    // MySQL's TRUE and FALSE are 1 and 0 (MariaDB prints them so).
    if (dialect === 'mysql' && token.t === 'word' && (token.v === 'true' || token.v === 'false')) return { t: 'num', v: token.v === 'true' ? '1' : '0' }
    // MySQL's LOCALTIMESTAMP and LOCALTIME are NOW() (MariaDB stores them as `current_timestamp()`).
    if (dialect === 'mysql' && token.t === 'word' && (token.v === 'localtimestamp' || token.v === 'localtime')) return { t: 'word', v: 'current_timestamp' }
    return token
  })
  return normalizeTokens(tokens)
}

/**
 * `2020-1-2`, `2020-01-02 00:00`, `2020-01-02 00:00:00.000` all as `2020-01-02`; a time keeps its
 * minutes and drops zero seconds and fractions (`10:00:00` → `10:00`). Undefined for other text.
 */
export function temporalText(text: string): string | undefined {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?$/.exec(text.trim())
  if (m === null) return undefined
  const pad = (v: string): string => v.padStart(2, '0')
  const date = `${m[1]}-${pad(m[2]!)}-${pad(m[3]!)}`
  if (m[4] === undefined) return date
  const fraction = (m[7] ?? '').replace(/0+$/, '').replace(/^\.$/, '')
  const seconds = m[6] === undefined || (m[6] === '00' && fraction === '') ? '' : `:${m[6]}${fraction}`
  const time = `${pad(m[4])}:${m[5]}${seconds}`
  return time === '00:00' ? date : `${date} ${time}`
}

/** Whether two expressions are the same once normalised. */
export function sameExpression(a: string | SqlFragment, b: string | SqlFragment, dialect: DialectName): boolean {
  return normalizeExpression(a, dialect) === normalizeExpression(b, dialect)
}

/** What a normalised expression is when it is a single literal: a string, a number or a boolean. */
export type LiteralValue = { readonly kind: 'string'; readonly value: string } | { readonly kind: 'number'; readonly value: string } | { readonly kind: 'boolean'; readonly value: boolean } | { readonly kind: 'null' }

/** The literal an expression is (`'x'::text`, `-1`, `(0)`, `TRUE`, `NULL::integer`), or undefined. */
export function expressionLiteral(expression: string | SqlFragment, dialect: DialectName): LiteralValue | undefined {
  const text = typeof expression === 'string' ? expression : fragmentText(expression, dialect)
  let tokens: readonly Token[]
  try {
    tokens = stripParens(rewriteTokens(tokenize(text, LEXICONS[dialect])))
  } catch (error) {
    if (!(error instanceof LexError)) throw error
    return undefined
  }
  let negative = false
  if (tokens.length === 2 && tokens[0]!.t === 'op' && (tokens[0]!.v === '-' || tokens[0]!.v === '+')) {
    negative = tokens[0]!.v === '-'
    tokens = tokens.slice(1)
  }
  if (tokens.length !== 1) return undefined
  const token = tokens[0]!
  if (token.t === 'num') return { kind: 'number', value: `${negative ? '-' : ''}${token.v}` }
  if (negative) return undefined
  if (token.t === 'str') return { kind: 'string', value: token.v }
  if (token.t === 'word' && (token.v === 'true' || token.v === 'false')) return { kind: 'boolean', value: token.v === 'true' }
  if (token.t === 'word' && token.v === 'null') return { kind: 'null' }
  return undefined
}
