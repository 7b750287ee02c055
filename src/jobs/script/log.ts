/**
 * The job's log file: every line of the script's stdout and stderr in the order they arrive,
 * plus the last lines in memory, which become the reason when the script fails.
 */
import { createWriteStream, type WriteStream } from 'node:fs'
import { finished } from 'node:stream/promises'

/** How many lines of the log a failure quotes. */
export const TAIL_LINES = 20

/**
 * Appends lines to a new log file and keeps its tail.
 * @example
 * const log = new JobLog('out/train.log')
 * log.write('epoch 1 loss=0.5')
 * await log.close()
 * log.tail() // ['epoch 1 loss=0.5']
 */
export class JobLog {
  private readonly stream: WriteStream
  private readonly last: string[] = []
  private error: Error | undefined
  private closing: Promise<void> | undefined

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'wx' })
    this.stream.on('error', (e) => (this.error ??= e))
  }

  /** Writes one line; throws the file's first write error, so a full disk stops the job. */
  write(line: string): void {
    if (this.error) throw this.error
    this.stream.write(line + '\n')
    this.last.push(line)
    if (this.last.length > TAIL_LINES) this.last.shift()
  }

  /** The last {@link TAIL_LINES} lines. */
  tail(): string[] {
    return [...this.last]
  }

  /** Flushes and closes the file (once, however often called); rejects with the first write error. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stream.end()
      await finished(this.stream).catch((e: Error) => (this.error ??= e))
      if (this.error) throw this.error
    })()
    return this.closing
  }
}
