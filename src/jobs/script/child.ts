/**
 * Running the script as a child process in its own process group, streaming its output as lines.
 * The group is what gets stopped: a shell script's python, or a script's own workers, go with it.
 * When the script exits, whatever it left running in its group is killed, as a SageMaker
 * container's teardown would; otherwise a stray background process could hold the output pipes
 * open and the job would never end.
 */
import { spawn } from 'node:child_process'
import { LineSplitter } from './lines.js'
import { abortReason } from '../../exec/abort-point.js'

/** Which stream a line came from. */
export type LogStream = 'stdout' | 'stderr'

/** How the child ended: an exit code, or the signal that killed it. */
export interface ChildExit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

/** What {@link runChild} runs and where its lines go. */
export interface ChildOptions {
  /** An absolute program path. */
  readonly program: string
  readonly args: readonly string[]
  readonly cwd: string
  readonly env: Readonly<Record<string, string>>
  /** Aborting stops the group: SIGTERM, then SIGKILL after `graceMs`. */
  readonly signal?: AbortSignal
  readonly graceMs: number
  /** Called for every line; if it throws, the child is stopped and runChild rejects with that error. */
  readonly onLine: (line: string, stream: LogStream) => void
}

/**
 * Runs the child to its end and resolves with how it ended, after its last line was delivered.
 * Rejects with the abort reason when `signal` aborts (once the child is gone), or with the error
 * of a failed start (ENOENT, EACCES).
 * @example
 * const exit = await runChild({ program: process.execPath, args: ['train.mjs'], cwd: dir, env, graceMs: 5000, onLine: console.log })
 */
export function runChild(options: ChildOptions): Promise<ChildExit> {
  const { signal } = options
  return new Promise((resolve, reject) => {
    const child = spawn(options.program, options.args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the whole group can be signalled at once.
      detached: true,
    })
    let failure: { readonly error: unknown } | undefined
    let exit: ChildExit | undefined
    let killTimer: NodeJS.Timeout | undefined
    let settled = false

    const signalGroup = (name: NodeJS.Signals): void => {
      if (child.pid === undefined) return
      try {
        process.kill(-child.pid, name)
      } catch {
        // ESRCH: the group is gone already.
      }
    }
    const stop = (error: unknown): void => {
      if (failure !== undefined) return
      failure = { error }
      signalGroup('SIGTERM')
      killTimer = setTimeout(() => signalGroup('SIGKILL'), options.graceMs)
    }
    const onAbort = (): void => stop(abortReason(signal!))
    // Should this process exit while the job runs, its script does not outlive it.
    const onProcessExit = (): void => signalGroup('SIGKILL')

    const splitter = (stream: LogStream) =>
      new LineSplitter((line) => {
        if (failure !== undefined) return
        try {
          options.onLine(line, stream)
        } catch (e) {
          stop(e)
        }
      })
    const out = splitter('stdout')
    const err = splitter('stderr')
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))

    const finish = (): void => {
      settled = true
      clearTimeout(killTimer)
      signal?.removeEventListener('abort', onAbort)
      process.off('exit', onProcessExit)
    }
    child.on('error', (e) => {
      // Only a failed start reaches here (the group is signalled with process.kill, not child.kill).
      if (settled || child.pid !== undefined) return
      finish()
      reject(e)
    })
    child.on('exit', (code, name) => {
      exit = { code, signal: name }
      signalGroup('SIGKILL')
    })
    child.on('close', () => {
      if (settled) return
      out.end()
      err.end()
      finish()
      if (failure !== undefined) reject(failure.error)
      else resolve(exit ?? { code: null, signal: null })
    })

    if (child.pid !== undefined) {
      process.on('exit', onProcessExit)
      if (signal?.aborted) onAbort()
      else signal?.addEventListener('abort', onAbort, { once: true })
    }
  })
}

