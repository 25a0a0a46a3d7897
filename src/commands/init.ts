/**
 * `migrator init` and `migrator list-templates`: a new project from one of the
 * folders of `templates/` (each holding migrator.ini, env.ts, script.ts.tmpl, README
 * and template.json).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { CommandError, ConfigError, UsageError } from '../errors.js'
import { createFolder, makeDirectories } from '../script/directories.js'
import { renderTemplate } from '../script/template.js'

export interface InitOptions {
  /** The folder to create for env.ts, script.ts.tmpl and versions/ (relative to `cwd`). */
  directory: string
  /** The template name (`generic`, `multidb`). */
  template: string
  /** Where migrator.ini is written. */
  cwd: string
  /** The folder of the templates (see `templatesDirectory()`). */
  templatesDir: string
}

export interface TemplateInfo {
  name: string
  description: string
}

const CONFIG_FILE = 'migrator.ini'
/** Files of a template folder that are not copied into the script directory. */
const NOT_COPIED = new Set([CONFIG_FILE, 'template.json'])

/** The templates `init` can use, sorted by name, with their one-line description. */
export function listTemplates(templatesDir: string): TemplateInfo[] {
  let entries: string[]
  try {
    entries = readdirSync(templatesDir)
  } catch (err) {
    throw new CommandError('templates_missing', `Cannot read the templates folder ${templatesDir}: ${(err as Error).message}`, {
      hint: 'the migrator installation is incomplete; reinstall it',
      cause: err,
    })
  }
  const templates: TemplateInfo[] = []
  for (const name of entries.sort()) {
    const dir = path.join(templatesDir, name)
    if (name.startsWith('.') || !isDirectory(dir) || !existsSync(path.join(dir, CONFIG_FILE))) continue
    templates.push({ name, description: describe(dir) })
  }
  return templates
}

function describe(dir: string): string {
  try {
    const info = JSON.parse(readFileSync(path.join(dir, 'template.json'), 'utf8')) as { description?: unknown }
    if (typeof info.description === 'string') return info.description
  } catch {
    // fall back to the README's first line
  }
  try {
    return readFileSync(path.join(dir, 'README'), 'utf8').split('\n')[0]!.trim()
  } catch {
    return ''
  }
}

/**
 * Creates `directory` from the template and writes `migrator.ini` into `cwd`, its
 * `script_location` pointing at the directory. Checks everything before writing anything.
 * @returns the folders and files created, absolute, in creation order
 * @throws UsageError for an unknown template
 * @throws CommandError when the directory exists and is not empty, or migrator.ini exists
 */
export function initProject(options: InitOptions): { created: string[] } {
  const templates = listTemplates(options.templatesDir)
  const template = templates.find((candidate) => candidate.name === options.template)
  if (template === undefined) {
    throw new UsageError(`No such template '${options.template}'`, {
      hint: `use one of: ${templates.map((t) => t.name).join(', ')} (see \`migrator list-templates\`)`,
    })
  }
  const templateDir = path.join(options.templatesDir, template.name)
  const target = path.resolve(options.cwd, options.directory)
  const configFile = path.join(options.cwd, CONFIG_FILE)

  if (existsSync(target)) {
    if (!isDirectory(target)) {
      throw new CommandError('init_target', `${target} exists and is not a directory`, { hint: 'choose another directory name for `migrator init`' })
    }
    if (readdirSync(target).length > 0) {
      throw new CommandError('directory_not_empty', `Directory ${target} already exists and is not empty`, {
        hint: 'choose a new directory name, or empty that one first',
      })
    }
  }
  if (existsSync(configFile)) {
    throw new CommandError('config_exists', `${configFile} already exists; migrator init never overwrites it`, {
      hint: 'run init in another folder, or move the existing migrator.ini away first',
    })
  }

  const iniTemplatePath = path.join(templateDir, CONFIG_FILE)
  const ini = renderTemplate(readFileSync(iniTemplatePath, 'utf8'), { script_location: scriptLocationValue(options.cwd, target) }, iniTemplatePath)

  const created: string[] = []
  if (!existsSync(target)) {
    createFolder(target, 'init_folder', 'give init a folder whose parent exists and is writable')
    created.push(target)
  }
  copyTree(templateDir, target, created, true)
  const versions = path.join(target, 'versions')
  if (!existsSync(versions)) {
    mkdirSync(versions)
    created.push(versions)
  }
  try {
    writeFileSync(configFile, ini, { flag: 'wx' })
  } catch (err) {
    throw new CommandError('config_exists', `Cannot write ${configFile}: ${(err as Error).message}`, { cause: err })
  }
  created.push(configFile)
  return { created }
}

function copyTree(from: string, to: string, created: string[], top: boolean): void {
  for (const name of readdirSync(from).sort()) {
    if (name.startsWith('.') || (top && NOT_COPIED.has(name))) continue
    const source = path.join(from, name)
    const destination = path.join(to, name)
    if (isDirectory(source)) {
      makeDirectories(destination)
      created.push(destination)
      copyTree(source, destination, created, false)
    } else {
      copyFileSync(source, destination)
      created.push(destination)
    }
  }
}

/** `%(here)s/<dir>` when the directory is below the ini's folder, else the absolute path; `%` doubled for the ini. */
function scriptLocationValue(cwd: string, target: string): string {
  if (/[\r\n]/.test(target)) throw new ConfigError('invalid_value', `The directory name ${JSON.stringify(target)} cannot be written to migrator.ini`)
  const escape = (text: string): string => text.replaceAll('%', '%%')
  const relative = path.relative(path.resolve(cwd), target)
  if (relative === '') return '%(here)s'
  const inside = !relative.startsWith('..') && !path.isAbsolute(relative)
  return inside ? `%(here)s/${escape(relative.split(path.sep).join('/'))}` : escape(target)
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory()
  } catch {
    return false
  }
}
