/**
 * Artifact files on disk: a gzipped ustar of regular files, written atomically (temp name in the
 * same folder, fsync, rename) and read with a size cap into memory. The reader never writes.
 */
import { randomBytes } from 'node:crypto'
import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { gunzipFile, gzipChecked } from './gzip.js'
import { packTar, unpackTar, type TarFile } from './tar.js'

/** Default cap on the decompressed size of an artifact: 2 GiB. */
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3

/** Options of {@link writeArtifact}. */
export interface WriteArtifactOptions {
  /** Stops the write before the rename; the target path is left as it was. */
  readonly signal?: AbortSignal
}

/** Options of {@link readArtifact}. */
export interface ReadArtifactOptions {
  /** Largest decompressed size accepted, in bytes (default {@link DEFAULT_MAX_BYTES}). */
  readonly maxBytes?: number
}

const CHUNK = 1024 * 1024

/**
 * Writes `files` as a gzipped tar at `path`, atomically: the target either keeps its old content
 * or holds the complete new archive, whatever happens during the write. The temp file is removed
 * on any error.
 * @example await writeArtifact('out/model.tar.gz', [{ name: 'manifest.json', data: bytes }])
 */
export async function writeArtifact(path: string, files: readonly TarFile[], options: WriteArtifactOptions = {}): Promise<void> {
  const { signal } = options
  const check = (): void => {
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('artifact write aborted')
  }
  check()
  const bytes = gzipChecked(packTar(files))
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
 * Reads the regular files of an artifact into memory, refusing unsafe archives with a DataError
 * (see {@link unpackTar}) and decompressed sizes beyond `maxBytes`.
 * @example const files = await readArtifact('model.tar.gz', { maxBytes: 512 * 1024 ** 2 })
 */
export async function readArtifact(path: string, options: ReadArtifactOptions = {}): Promise<TarFile[]> {
  const tar = await gunzipFile(path, options.maxBytes ?? DEFAULT_MAX_BYTES)
  return unpackTar(tar, path)
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
