/**
 * What every CLI command receives: where to write, the environment, and the one way to print a
 * `--json` result. Results go to stdout, progress and logs to stderr, so `consort ... --json | jq`
 * always sees clean output.
 */
import type { Command } from 'commander'

/**
 * The CLI's streams and environment, injectable so commands can run in-process in tests.
 * @example
 * const io: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: process.env }
 */
export interface CliIo {
  /** Results: tables, the metric line, the `--json` object. */
  readonly stdout: (text: string) => void
  /** Progress and log lines, error messages. */
  readonly stderr: (text: string) => void
  /** Whether stderr is a terminal (progress bars) or not (JSON lines). */
  readonly stderrIsTTY?: boolean
  readonly env: Readonly<Record<string, string | undefined>>
}

/**
 * Adds one command to the program; each command lives in its own file under `commands/` and
 * exports one of these.
 * @example
 * export const registerDemo: RegisterCommand = (program, io) =>
 *   program.command('demo').description('...').action(async () => { io.stdout('done\n') })
 */
export type RegisterCommand = (program: Command, io: CliIo) => Command

/**
 * The process's own streams and environment.
 * @example
 * const code = await runCli(process.argv, processIo())
 */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY,
    env: process.env,
  }
}

/**
 * Writes `value` as one line of JSON: the last stdout line of a `--json` run.
 * @example
 * printJson(io, { rmse: 56.1 }) // stdout: {"rmse":56.1}
 */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(JSON.stringify(value) + '\n')
}
