/**
 * Child processes that print one JSON line: a benchmark run in a fresh Node process (so its peak
 * memory is its own) or a Python peer script.
 *
 * A consort measurement runs the benchmark compiled to JavaScript once {@link compileBench} has
 * built it, as the `consort` command runs compiled code: from TypeScript sources through a loader,
 * the process (and each worker thread) also holds a TypeScript compiler, about 100 MiB more.
 */
import { Buffer } from 'node:buffer'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The nearest folder up from `dir` holding the bench's sources (bench/main.ts). */
function repositoryRoot(dir: string): string {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'bench', 'main.ts'))) return d
    if (dirname(d) === d) throw new Error(`no bench/main.ts above ${dir}`)
  }
}

/** The repository root, the working directory of every child (also from the compiled bench). */
export const REPO_ROOT = repositoryRoot(dirname(fileURLToPath(import.meta.url)))

const MAIN = join(REPO_ROOT, 'bench', 'main.ts')
/** Where {@link compileBench} puts the compiled bench and sources (git-ignored). */
const BUILD = join(REPO_ROOT, 'bench', '.build')
const COMPILED_MAIN = join(BUILD, 'bench', 'main.js')
let compiled = false

/**
 * Compiles the bench and the sources to JavaScript (bench/.build), so that later
 * {@link benchCommand}s run compiled code.
 * @throws Error with the compiler's output when the build fails.
 */
export async function compileBench(): Promise<void> {
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
  const { code, stdout, stderr } = await runChild(process.execPath, [tsc, '-p', join(REPO_ROOT, 'bench', 'tsconfig.build.json')])
  if (code !== 0) throw new Error(`compiling the bench failed:\n${tail(stdout + stderr)}`)
  // The sources find the package's manifest (its version, for bundles) beside their folder.
  await copyFile(join(REPO_ROOT, 'package.json'), join(BUILD, 'package.json'))
  compiled = true
}

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
 * The arguments that run `bench/main.ts` with `args` in a fresh Node process: compiled after
 * {@link compileBench}, from sources before.
 * @example
 * runChild(process.execPath, benchCommand(['gbdt', '--train', 'a.csv', '--test', 'b.csv', '--target', 'y', '--json']))
 */
export function benchCommand(args: readonly string[]): string[] {
  return compiled ? [COMPILED_MAIN, ...args] : ['--import', 'tsx', MAIN, ...args]
}

/**
 * The arguments that run the bench script `file` (in bench/): compiled after {@link compileBench}
 * when `compiledOk` (the script spawns no TypeScript file itself), from sources otherwise.
 * @example
 * runChild(process.execPath, scriptCommand('oblivious-speed.ts', true))
 */
export function scriptCommand(file: string, compiledOk: boolean): string[] {
  return compiled && compiledOk ? [join(BUILD, 'bench', file.replace(/\.ts$/, '.js'))] : ['--import', 'tsx', join(REPO_ROOT, 'bench', file)]
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
