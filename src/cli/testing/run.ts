/**
 * Running the `consort` CLI from source in a child process, as a user would, for end-to-end tests.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The repository root: the working directory of every run. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

/** What a run printed and how it ended. */
export interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `consort ARGS...` from the TypeScript sources and collects its output.
 * `onStderr` hears stderr as it comes (to act mid-run).
 * @example const run = await consort(['train', 'examples/diabetes/ensemble.yaml', '--json'])
 */
export function consort(args: readonly string[], env: Readonly<Record<string, string>> = {}, onStderr?: (chunk: string) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk
      onStderr?.(chunk)
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

/**
 * The non-empty lines of `text`.
 * @example lines(run.stdout).at(-1) // the --json object
 */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0)
}
