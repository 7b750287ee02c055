/**
 * A training script that failed: it exited with a non-zero code or was killed by a signal. This
 * is a failed job (exit code 1 on the CLI), not bad input, so it is not a ConsortError. The
 * message carries the reason: SageMaker's `output/failure` file when the script wrote one, and
 * the last lines of the log.
 */
import { open } from 'node:fs/promises'

/** SageMaker keeps the first 1024 characters of a failure file as the job's failure reason. */
export const MAX_FAILURE_CHARS = 1024

/** What the failed script left behind. */
export interface ScriptFailure {
  /** The entry point as the spec gives it. */
  readonly entryPoint: string
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  /** The script's own reason from `output/failure`, if it wrote one. */
  readonly reason?: string
  readonly tail: readonly string[]
  readonly log: string
}

/**
 * Thrown by runScript when the script fails.
 * @example
 * try { await runScript(spec, { outDir }) } catch (e) { if (e instanceof ScriptFailedError) console.error(e.tail.join('\n')) }
 */
export class ScriptFailedError extends Error {
  /** The exit code, or null when a signal killed the script. */
  readonly exitCode: number | null
  readonly signal: NodeJS.Signals | null
  readonly reason: string | undefined
  readonly tail: readonly string[]
  /** Path of the kept log file. */
  readonly log: string

  constructor(failure: ScriptFailure) {
    const how = failure.signal !== null ? `was killed by signal ${failure.signal}` : `exited with code ${failure.exitCode}`
    const reason = failure.reason === undefined ? '' : `: ${failure.reason}`
    const tail = failure.tail.length === 0 ? `; ${failure.log} is empty` : `\nlast ${failure.tail.length} lines of ${failure.log}:\n${failure.tail.join('\n')}`
    super(`training script ${failure.entryPoint} ${how}${reason}${tail}`)
    this.name = 'ScriptFailedError'
    this.exitCode = failure.exitCode
    this.signal = failure.signal
    this.reason = failure.reason
    this.tail = failure.tail
    this.log = failure.log
  }
}

/**
 * The script's failure reason from SageMaker's `output/failure` file: trimmed, at most
 * {@link MAX_FAILURE_CHARS} characters; undefined when the file is absent or blank.
 * @example const reason = await readFailureFile('out/output/failure')
 */
export async function readFailureFile(path: string): Promise<string | undefined> {
  let text: string
  try {
    const handle = await open(path, 'r')
    try {
      // Enough bytes for MAX_FAILURE_CHARS characters of UTF-8; a huge file is not read whole.
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(4 * MAX_FAILURE_CHARS), 0, 4 * MAX_FAILURE_CHARS, 0)
      text = buffer.subarray(0, bytesRead).toString('utf8')
    } finally {
      await handle.close()
    }
  } catch {
    return undefined
  }
  const reason = text.trim().slice(0, MAX_FAILURE_CHARS)
  return reason === '' ? undefined : reason
}
