/**
 * The `consort` command line: the program, its commands and the mapping of every outcome to an
 * exit code. Exit codes are a contract with scripts: 0 success, 1 the job failed, 2 bad input or
 * usage. Every failure prints one line on stderr that says what went wrong and where.
 */
import { Command, CommanderError } from 'commander'
import { ConsortError } from '../errors.js'
import { registerOnnxModelKind } from '../interop/onnx/register.js'
import { packageVersion } from '../package.js'
import { registerDemo } from './commands/demo.js'
import { registerEndpoints } from './commands/endpoints.js'
import { registerExport } from './commands/export.js'
import { registerInspect } from './commands/inspect.js'
import { registerJobs } from './commands/jobs.js'
import { registerLearners } from './commands/learners.js'
import { registerPredict } from './commands/predict.js'
import { registerServe } from './commands/serve.js'
import { registerTrain } from './commands/train.js'
import { registerTune } from './commands/tune.js'
import { registerUi } from './commands/ui.js'
import { registerWorker } from './commands/worker.js'
import { type CliIo, processIo, type RegisterCommand } from './context.js'

/**
 * Exit codes of the `consort` command.
 * @example
 * process.exitCode = EXIT.usage
 */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

/**
 * Every command, in the order `consort --help` lists them; a new command is one file under
 * `commands/` plus one entry here.
 * @example
 * COMMANDS.length // 12: train, tune, worker, predict, export, serve, endpoints, ui, jobs, inspect, demo, learners
 */
export const COMMANDS: readonly RegisterCommand[] = [
  registerTrain,
  registerTune,
  registerWorker,
  registerPredict,
  registerExport,
  registerServe,
  registerEndpoints,
  registerUi,
  registerJobs,
  registerInspect,
  registerDemo,
  registerLearners,
]

/**
 * Builds the `consort` program with every command, writing through `io` and throwing (not
 * exiting) on usage errors and on `--help`/`--version`.
 * @example
 * const program = buildProgram(processIo())
 * program.commands.map((c) => c.name()) // ['demo']
 */
export function buildProgram(io: CliIo, commands: readonly RegisterCommand[] = COMMANDS): Command {
  const program = new Command('consort')
    .description('Train, tune and deploy ensembles of machine-learning models.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .addHelpText('after', '\nExit codes: 0 success, 1 job failed, 2 bad input or usage.\nSet CONSORT_DEBUG=1 to print stack traces.')
  for (const register of commands) register(program, io)
  for (const command of withDescendants(program)) {
    command.configureOutput({
      outputError: (text, write) => write(`${commandPath(command)}: ${oneLine(text).replace(/\.$/, '')}; see '${commandPath(command)} --help'\n`),
    })
  }
  return program
}

// Bundles may hold `onnx` members, a Node-only model kind: teach the registry before any command loads one.
registerOnnxModelKind()

/**
 * Runs the command line `argv` (as `process.argv`: node, script, then the arguments) and returns
 * the exit code; never throws and never exits the process. Usage errors and {@link ConsortError}s
 * give 2, any other failure 1 (with the stack when `CONSORT_DEBUG=1`).
 * @param commands the commands to offer; every command by default
 * @example
 * process.exitCode = await runCli(process.argv)
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo(), commands: readonly RegisterCommand[] = COMMANDS): Promise<number> {
  let running = 'consort'
  try {
    const program = buildProgram(io, commands)
    program.hook('preAction', (_program, action) => {
      running = commandPath(action)
    })
    await program.parseAsync([...argv], { from: 'node' })
    return EXIT.ok
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander has printed the message (or the help) already.
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? EXIT.ok : EXIT.usage
    }
    const debug = io.env.CONSORT_DEBUG === '1'
    const message = err instanceof Error ? err.message : String(err)
    io.stderr(`${running}: error: ${oneLine(message)}\n`)
    if (debug && err instanceof Error && err.stack !== undefined) io.stderr(err.stack + '\n')
    return err instanceof ConsortError ? EXIT.usage : EXIT.failed
  }
}

/** 'consort' or 'consort demo': the command as the user typed it. */
function commandPath(command: Command): string {
  const names: string[] = []
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name())
  return names.join(' ')
}

function withDescendants(command: Command): Command[] {
  return [command, ...command.commands.flatMap(withDescendants)]
}

/** Collapses a possibly multi-line message onto one line. */
function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, ' ')
}
