/**
 * Atomic file writes: a unique temporary name in the target's folder, written, fsynced, renamed
 * over the target, then the folder fsynced. A reader sees the old file or the complete new one,
 * never half of it, whatever happens during the write (a crash, Ctrl-C, a full disk); two writers
 * never share a temporary name. Every file consort writes for a user goes through here: whole
 * (metrics.json, model.tar.gz) or streamed (batch transform output).
 */
import { randomBytes } from 'node:crypto'
import { type FileHandle, open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Stops the write before the rename; the target is left as it was. */
  readonly signal?: AbortSignal
}

const CHUNK = 1024 * 1024

/**
 * A file written under a temporary name in the target's folder, renamed into place on commit.
 * @example
 * const file = await AtomicFile.create('out/predictions.csv')
 * try { await file.write('a,b\n'); await file.commit() } catch (e) { await file.discard(); throw e }
 */
export class AtomicFile {
  private closed = false

  private constructor(
    readonly path: string,
    private readonly temp: string,
    private readonly handle: FileHandle,
  ) {}

  /** Opens the temporary file; fails with the file-system error (no such folder, permission). */
  static async create(path: string): Promise<AtomicFile> {
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
    return new AtomicFile(path, temp, await open(temp, 'wx', 0o644))
  }

  async write(data: string | Uint8Array, signal?: AbortSignal): Promise<void> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
    for (let at = 0; at < bytes.length; ) {
      checkAborted(signal, this.path)
      at += (await this.handle.write(bytes, at, Math.min(CHUNK, bytes.length - at))).bytesWritten
    }
  }

  /** Makes the content durable, then replaces the target with it (and makes the rename durable). */
  async commit(signal?: AbortSignal): Promise<void> {
    checkAborted(signal, this.path)
    await this.handle.sync()
    this.closed = true
    await this.handle.close()
    checkAborted(signal, this.path)
    await rename(this.temp, this.path)
    await syncDir(dirname(this.path))
  }

  /** Removes the temporary file; the target is untouched. */
  async discard(): Promise<void> {
    if (!this.closed) await this.handle.close().catch(() => undefined)
    this.closed = true
    await unlink(this.temp).catch(() => undefined)
  }
}

/**
 * Writes `data` to `path` atomically; the temporary file is removed on any error.
 * @example await writeFileAtomic('out/metrics.json', JSON.stringify(metrics) + '\n')
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  checkAborted(options.signal, path)
  const file = await AtomicFile.create(path)
  try {
    await file.write(data, options.signal)
    await file.commit(options.signal)
  } catch (e) {
    await file.discard()
    throw e
  }
}

/**
 * Writes `value` as indented JSON with a final newline, atomically.
 * @example await writeJsonAtomic('out/metrics.json', { metrics })
 */
export function writeJsonAtomic(path: string, value: unknown, options: AtomicWriteOptions = {}): Promise<void> {
  return writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', options)
}

function checkAborted(signal: AbortSignal | undefined, path: string): void {
  if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(`writing ${path} was aborted`)
}

/** Makes the rename durable; some platforms cannot open folders, which is not an error. */
async function syncDir(dir: string): Promise<void> {
  try {
    const h = await open(dir, 'r')
    try {
      await h.sync()
    } finally {
      await h.close()
    }
  } catch {
    return
  }
}
