import path from 'node:path'
import { initProject, listTemplates } from './init.js'
import { templatesDirectory } from '../script/paths.js'
import type { CommandContext } from './context.js'

/** `migrator init DIR`. */
export function initCommand(ctx: CommandContext, directory: string, template: string): void {
  const { created } = initProject({ directory, template, cwd: ctx.cwd, templatesDir: templatesDirectory() })
  if (ctx.reporter.json) {
    ctx.reporter.data({ created })
    return
  }
  for (const file of created) ctx.reporter.progress(`Creating ${file} ... done`)
  ctx.reporter.progress(
    `Edit ${path.relative(ctx.cwd, path.join(ctx.cwd, 'migrator.ini')) || 'migrator.ini'} to set database_url, then run \`migrator revision -m "first"\``,
  )
}

/** `migrator list-templates`. */
export function listTemplatesCommand(ctx: CommandContext): void {
  const templates = listTemplates(templatesDirectory())
  if (ctx.reporter.json) {
    ctx.reporter.data(templates)
    return
  }
  ctx.reporter.result('Available templates:\n')
  for (const t of templates) ctx.reporter.result(`  ${t.name} - ${t.description}`)
  ctx.reporter.result('\nTemplates are used via the init command, e.g.:\n\n  migrator init --template generic ./migrations')
}
