/**
 * Atomic file writes: a unique temporary name in the target's folder, written, fsynced, renamed
 * over the target, then the folder fsynced. A reader sees the old file or the complete new one,
 * never half of it, whatever happens during the write (a crash, Ctrl-C, a full disk); two writers
 * never share a temporary name. Every file consort writes for a user goes through here.
 */
import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** Options of {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Stops the write before the rename; the target is left as it was. */
  readonly signal?: AbortSignal
}

const CHUNK = 1024 * 1024

/**
 * Writes `data` to `path` atomically; the temporary file is removed on any error.
 * @example await writeFileAtomic('out/metrics.json', JSON.stringify(metrics) + '\n')
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const { signal } = options
  const check = (): void => {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error(`writing ${path} was aborted`)
  }
  check()
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  const handle = await open(temp, 'wx', 0o644)
  let closed = false
  try {
    for (let at = 0; at < bytes.length; at += CHUNK) {
      check()
      await handle.write(bytes, at, Math.min(CHUNK, bytes.length - at))
    }
    check()
    await handle.sync()
    closed = true
    await handle.close()
    check()
    await rename(temp, path)
  } catch (e) {
    if (!closed) await handle.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw e
  }
  await syncDir(dir)
}

/**
 * Writes `value` as indented JSON with a final newline, atomically.
 * @example await writeJsonAtomic('out/metrics.json', { metrics })
 */
export function writeJsonAtomic(path: string, value: unknown, options: AtomicWriteOptions = {}): Promise<void> {
  return writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', options)
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
