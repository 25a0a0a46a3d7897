/**
 * The tiny template engine of `script.ts.tmpl`:
 *
 * - `${name}` is replaced by the variable's text; `${item.field}` reads a field of a loop item.
 * - `${for item in list}` … `${end}` repeats its body once per element of `list`.
 * - `$${` writes a literal `${` (for template literals in the generated code).
 *
 * A multi-line value placed after indentation (or after a comment prefix such as ` * `)
 * has that prefix repeated on each of its lines. A line holding nothing but a tag that
 * renders empty (an empty value, `for`, `end`) is removed entirely.
 * Any unknown variable is an error naming the template, the line and the variable.
 */
import { ConfigError } from '../errors.js'

/** A template variable: text, or a list of records for `${for … in …}`. */
export type TemplateValue = string | readonly TemplateRecord[]
export type TemplateRecord = Readonly<Record<string, string>>
export type TemplateVariables = Readonly<Record<string, TemplateValue>>

type Node =
  | { kind: 'text'; text: string }
  | { kind: 'value'; path: string; line: number; prefix: string; standalone: boolean }
  | { kind: 'for'; item: string; list: string; line: number; body: Node[] }

const TAG = /\$\$\{|\$\{([^}]*)\}/g

/**
 * Renders `template` with `variables`.
 * @param templateName shown in errors (usually the template file's path)
 * @throws ConfigError for an unknown variable, a malformed tag or an unbalanced `for`/`end`
 */
export function renderTemplate(template: string, variables: TemplateVariables, templateName: string): string {
  const nodes = parseTemplate(template, templateName)
  return renderNodes(nodes, variables, new Map(), templateName)
}

function templateError(templateName: string, line: number, message: string): ConfigError {
  return new ConfigError('template', `${templateName}:${line}: ${message}`, {
    hint: 'fix the template (variables are written ${name}; a literal ${ is written $${)',
  })
}

function parseTemplate(template: string, templateName: string): Node[] {
  const root: Node[] = []
  const stack: { nodes: Node[]; line: number }[] = [{ nodes: root, line: 0 }]
  let cursor = 0
  let line = 1
  const lineOf = (offset: number): number => {
    for (let i = template.indexOf('\n', cursor); i >= 0 && i < offset; i = template.indexOf('\n', i + 1)) line++
    cursor = offset
    return line
  }
  let last = 0
  let skipNewlineAt = -1
  const pushText = (text: string): void => {
    if (text) stack[stack.length - 1]!.nodes.push({ kind: 'text', text })
  }

  for (const match of template.matchAll(TAG)) {
    const start = match.index
    const end = start + match[0].length
    const tagLine = lineOf(start)
    let textBefore = template.slice(last, start)
    if (skipNewlineAt === last && textBefore.startsWith('\n')) textBefore = textBefore.slice(1)
    skipNewlineAt = -1
    if (match[0] === '$${') {
      pushText(textBefore + '${')
      last = end
      continue
    }
    const lineStart = template.lastIndexOf('\n', start - 1) + 1
    const lineEnd = template.indexOf('\n', end)
    const prefix = template.slice(lineStart, start)
    const suffix = template.slice(end, lineEnd < 0 ? template.length : lineEnd)
    const standalone = /^[ \t]*$/.test(prefix) && /^[ \t]*\r?$/.test(suffix) && lineStart >= last
    const body = match[1]!.trim()
    const forMatch = /^for\s+([A-Za-z_]\w*)\s+in\s+([A-Za-z_]\w*)$/.exec(body)

    if (forMatch || body === 'end') {
      // Control tags on a line of their own leave no trace of that line.
      if (standalone) {
        textBefore = textBefore.slice(0, textBefore.length - prefix.length)
        skipNewlineAt = end + suffix.length
      }
      pushText(textBefore)
      if (forMatch) {
        const node: Node = { kind: 'for', item: forMatch[1]!, list: forMatch[2]!, line: tagLine, body: [] }
        stack[stack.length - 1]!.nodes.push(node)
        stack.push({ nodes: node.body, line: tagLine })
      } else {
        if (stack.length === 1) throw templateError(templateName, tagLine, '${end} without a matching ${for … in …}')
        stack.pop()
      }
      last = standalone ? end + suffix.length : end
      continue
    }
    if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/.test(body)) {
      throw templateError(templateName, tagLine, `malformed tag \${${match[1]}}`)
    }
    pushText(textBefore)
    stack[stack.length - 1]!.nodes.push({ kind: 'value', path: body, line: tagLine, prefix, standalone })
    last = end
  }
  let rest = template.slice(last)
  if (skipNewlineAt === last && rest.startsWith('\n')) rest = rest.slice(1)
  pushText(rest)
  if (stack.length > 1) {
    throw templateError(templateName, stack[stack.length - 1]!.line, '${for …} without a matching ${end}')
  }
  return root
}

function renderNodes(nodes: readonly Node[], variables: TemplateVariables, items: Map<string, TemplateRecord>, templateName: string): string {
  let out = ''
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!
    if (node.kind === 'text') {
      out += node.text
    } else if (node.kind === 'for') {
      const list = variables[node.list]
      if (list === undefined || typeof list === 'string') {
        throw templateError(templateName, node.line, `\${for ${node.item} in ${node.list}}: ${list === undefined ? 'unknown' : 'not a'} list variable "${node.list}"${availability(variables)}`)
      }
      for (const item of list) {
        const scope = new Map(items)
        scope.set(node.item, item)
        out += renderNodes(node.body, variables, scope, templateName)
      }
    } else {
      const value = lookup(node, variables, items, templateName)
      if (value === '' && node.standalone) {
        // Drop the whole line: its indentation (already written) and its line break.
        out = out.slice(0, out.length - node.prefix.length)
        const next = nodes[i + 1]
        if (next?.kind === 'text' && /^\r?\n/.test(next.text)) {
          out += next.text.replace(/^\r?\n/, '')
          i++
        }
        continue
      }
      out += indentContinuation(value, node.prefix)
    }
  }
  return out
}

function lookup(node: { path: string; line: number }, variables: TemplateVariables, items: Map<string, TemplateRecord>, templateName: string): string {
  const [head, field] = node.path.split('.') as [string, string | undefined]
  const item = items.get(head)
  if (item !== undefined) {
    if (field === undefined) throw templateError(templateName, node.line, `\${${head}} is a loop item; use \${${head}.<field>} (fields: ${Object.keys(item).join(', ')})`)
    const value = item[field]
    if (value === undefined) throw templateError(templateName, node.line, `unknown variable \${${node.path}} (fields of ${head}: ${Object.keys(item).join(', ')})`)
    return value
  }
  const value = variables[head]
  if (value === undefined || field !== undefined) {
    throw templateError(templateName, node.line, `unknown variable \${${node.path}}${availability(variables)}`)
  }
  if (typeof value !== 'string') throw templateError(templateName, node.line, `\${${head}} is a list; use \${for item in ${head}} … \${end}`)
  return value
}

function availability(variables: TemplateVariables): string {
  return ` (available: ${Object.keys(variables).sort().join(', ')})`
}

/** Repeats the placeholder's line prefix (indentation or a comment marker) on the value's next lines. */
function indentContinuation(value: string, prefix: string): string {
  if (!value.includes('\n') || !/^[ \t]*(?:\*|\/\/|#)?[ \t]*$/.test(prefix)) return value
  return value
    .split('\n')
    .map((line, index) => (index === 0 ? line : line.trim() === '' ? prefix.trimEnd() : prefix + line))
    .join('\n')
}
