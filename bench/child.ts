/**
 * Child processes that print one JSON line: a benchmark run in a fresh Node process (so its peak
 * memory is its own) or a Python peer script.
 */
import { Buffer } from 'node:buffer'
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root, the working directory of every child. */
export const REPO_ROOT = dirname(dirname(fileURLToPath(import.meta.url)))

const MAIN = join(REPO_ROOT, 'bench', 'main.ts')

/** What a finished child left behind. */
export interface ChildOutput {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs a command to completion in the repository root, collecting its output.
 * @example
 * const { code, stdout } = await runChild('/usr/bin/python3', ['-c', 'print(1)'])
 */
export function runChild(command: string, args: readonly string[]): Promise<ChildOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (b: Buffer) => out.push(b))
    child.stderr.on('data', (b: Buffer) => err.push(b))
    child.on('error', reject)
    child.on('close', (code, signal) => {
      resolve({
        code: code ?? (signal === null ? 1 : 128),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      })
    })
  })
}

/**
 * The arguments that run `bench/main.ts` with `args` in a fresh Node process.
 * @example
 * runChild(process.execPath, benchCommand(['gbdt', '--train', 'a.csv', '--test', 'b.csv', '--target', 'y', '--json']))
 */
export function benchCommand(args: readonly string[]): string[] {
  return ['--import', 'tsx', MAIN, ...args]
}

/**
 * Runs a command and parses the last non-empty line of its stdout as JSON.
 *
 * @throws Error with the exit code and the end of stderr when the command fails or prints no JSON.
 * @example
 * const result = await runJsonChild(process.execPath, benchCommand(['read', '--file', 'a.csv', '--json']))
 */
export async function runJsonChild(command: string, args: readonly string[]): Promise<unknown> {
  const { code, stdout, stderr } = await runChild(command, args)
  const what = `${command} ${args.join(' ')}`
  if (code !== 0) throw new Error(`${what} exited with code ${code}:\n${tail(stderr)}`)
  const last = stdout.trimEnd().split('\n').pop() ?? ''
  try {
    return JSON.parse(last) as unknown
  } catch {
    throw new Error(`${what} printed no JSON line; stdout ends:\n${tail(stdout)}\nstderr:\n${tail(stderr)}`)
  }
}

function tail(text: string): string {
  return text.trimEnd().split('\n').slice(-20).join('\n')
}
