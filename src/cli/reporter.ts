import type { ChalkInstance } from 'chalk'
import { importEsm } from '../script/import-esm.js'
import { plainStyle, type Reporter, type Style } from '../commands/reporter.js'

export interface ReporterSettings {
  readonly json: boolean
  readonly quiet: boolean
  readonly color: boolean
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
}

/**
 * chalk at level 1 when `color` is on, else undefined. Loaded only then: loading it costs ~8 ms,
 * which a command run without colour (piped, NO_COLOR) need not pay.
 */
export async function loadChalk(color: boolean): Promise<ChalkInstance | undefined> {
  if (!color) return undefined
  const { Chalk } = await importEsm<typeof import('chalk')>('chalk')
  return new Chalk({ level: 1 })
}

/** The terminal reporter: results on stdout, progress on stderr, colour only when asked for. */
export class TerminalReporter implements Reporter {
  readonly json: boolean
  readonly style: Style

  /** `chalk`: from {@link loadChalk}; without it (or with `color` off) the text stays plain. */
  constructor(
    private readonly settings: ReporterSettings,
    chalk?: ChalkInstance,
  ) {
    this.json = settings.json
    this.style = !settings.color || chalk === undefined ? plainStyle : {
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
