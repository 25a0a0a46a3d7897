import { Chalk } from 'chalk'
import type { Reporter, Style } from '../commands/reporter.js'

export interface ReporterSettings {
  readonly json: boolean
  readonly quiet: boolean
  readonly color: boolean
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
}

/** The terminal reporter: results on stdout, progress on stderr, colour only when asked for. */
export class TerminalReporter implements Reporter {
  readonly json: boolean
  readonly style: Style

  constructor(private readonly settings: ReporterSettings) {
    this.json = settings.json
    const chalk = new Chalk({ level: settings.color ? 1 : 0 })
    this.style = {
      revision: (t) => chalk.yellow(t),
      label: (t) => chalk.cyan(t),
      head: (t) => chalk.green(t),
      dim: (t) => chalk.dim(t),
      bold: (t) => chalk.bold(t),
      success: (t) => chalk.green(t),
      warning: (t) => chalk.yellow(t),
    }
  }

  result(line: string): void {
    if (!this.json) this.settings.stdout.write(`${line}\n`)
  }

  progress(line: string): void {
    if (!this.json && !this.settings.quiet) this.settings.stderr.write(`${line}\n`)
  }

  data(value: unknown): void {
    // bigint (a default beyond 2^53) has no JSON form: written as its decimal string.
    this.settings.stdout.write(`${JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`)
  }

  write(text: string): void {
    this.settings.stdout.write(text)
  }
}
