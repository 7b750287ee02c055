#!/usr/bin/env node
/**
 * The `consort` executable: runs the command line and exits with its code (0 success, 1 job
 * failed, 2 bad input or usage). The program itself is in `program.ts`.
 */
import { runCli } from './program.js'

// A closed pipe (`consort demo | head -1`) is not an error of the job.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0)
  throw err
})

process.exitCode = await runCli(process.argv)
