#!/usr/bin/env node
/**
 * The `consort-serve` executable: `consort serve` without the rest of the command line, so a
 * serving container starts in a fraction of the time (no training, tuning or batch code is
 * imported). It takes the same options; a leading `serve` is accepted and skipped, so an image
 * whose entry point is `consort-serve` runs as SageMaker starts it (`docker run IMAGE serve`).
 * Exit codes as `consort`: 0, 1 failed, 2 bad input or usage.
 */
import { Command, CommanderError } from 'commander'
import { processIo } from './context.js'
import { registerServe } from './commands/serve.js'
import { ConsortError } from '../errors.js'

const io = processIo()
const argv = process.argv.slice(2)
if (argv[0] === 'serve') argv.shift()
const program = new Command('consort-serve').exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
registerServe(program, io)
try {
  await program.parseAsync(['serve', ...argv], { from: 'user' })
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.code === 'commander.helpDisplayed' || err.code === 'commander.version' ? 0 : 2
  } else {
    io.stderr(`consort-serve: error: ${(err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ')}\n`)
    process.exitCode = err instanceof ConsortError ? 2 : 1
  }
}
