/**
 * How commands talk to the user. The CLI implements it (colour, --json, -q); commands
 * never print directly, so they run the same in tests and in-process.
 */
export interface Reporter {
  /** True with `--json`: commands emit one `data()` value and no text results. */
  readonly json: boolean
  /** A line of the command's result, on stdout. */
  result(line: string): void
  /** A progress line (`Running upgrade …`), on stderr; silenced by `-q` and `--json`. */
  progress(line: string): void
  /** The machine-readable result for `--json`, on stdout. */
  data(value: unknown): void
  /** Raw text on stdout (offline `--sql` scripts). */
  write(text: string): void
  readonly style: Style
}

/** Text styles; identity functions when colour is off. */
export interface Style {
  revision(text: string): string
  label(text: string): string
  head(text: string): string
  dim(text: string): string
  bold(text: string): string
  success(text: string): string
  warning(text: string): string
}

export const plainStyle: Style = {
  revision: (t) => t,
  label: (t) => t,
  head: (t) => t,
  dim: (t) => t,
  bold: (t) => t,
  success: (t) => t,
  warning: (t) => t,
}
