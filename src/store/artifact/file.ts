/**
 * Artifact files on disk: a gzipped ustar of regular files, written atomically (temp name in the
 * same folder, fsync, rename), and read into bytes with a size cap and file errors that name the
 * path. Unpacking and checking the bytes is the runtime's (`gunzipChecked`, `unpackTar`), so a
 * server and a browser read artifacts the same way. The reader never writes.
 */
import { readFile, stat } from 'node:fs/promises'
import { DataError, fileError } from '../../errors.js'
import { DEFAULT_MAX_BYTES, gunzipChecked } from '../../runtime/bundle/gunzip.js'
import { unpackTar, type TarFile } from '../../runtime/bundle/tar.js'
import { writeFileAtomic } from '../atomic-write.js'
import { gzipChecked } from './gzip.js'
import { packTar } from './tar.js'

export { DEFAULT_MAX_BYTES } from '../../runtime/bundle/gunzip.js'

/** Options of {@link writeArtifact}. */
export interface WriteArtifactOptions {
  /** Stops the write before the rename; the target path is left as it was. */
  readonly signal?: AbortSignal
}

/** Options of {@link readArtifact}. */
export interface ReadArtifactOptions {
  /** Largest size accepted, compressed or decompressed, in bytes (default {@link DEFAULT_MAX_BYTES}). */
  readonly maxBytes?: number
}

/**
 * Writes `files` as a gzipped tar at `path`, atomically: the target either keeps its old content
 * or holds the complete new archive, whatever happens during the write.
 * @example await writeArtifact('out/model.tar.gz', [{ name: 'manifest.json', data: bytes }])
 */
export async function writeArtifact(path: string, files: readonly TarFile[], options: WriteArtifactOptions = {}): Promise<void> {
  if (options.signal?.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new Error('artifact write aborted')
  await writeFileAtomic(path, gzipChecked(packTar(files)), options)
}

/**
 * The bytes of an artifact file, unchecked. A path that is not there (code `not_found`), not a
 * regular file, unreadable or larger than `maxBytes` is a DataError naming it.
 * @example const bytes = await readArtifactBytes('model.tar.gz')
 */
export async function readArtifactBytes(path: string, options: ReadArtifactOptions = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const where = { file: path }
  const info = await stat(path).catch((err: unknown) => {
    throw fileError(path, err)
  })
  if (!info.isFile()) throw new DataError('not a regular file', where)
  if (info.size > maxBytes) throw new DataError(`compressed size ${info.size} exceeds the limit of ${maxBytes} bytes`, where)
  const data = await readFile(path).catch((err: unknown) => {
    throw fileError(path, err)
  })
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

/**
 * Reads the regular files of an artifact into memory, refusing unsafe or corrupt archives and
 * decompressed sizes beyond `maxBytes` with a BundleError (see the runtime's `unpackTar`).
 * @example const files = await readArtifact('model.tar.gz', { maxBytes: 512 * 1024 ** 2 })
 */
export async function readArtifact(path: string, options: ReadArtifactOptions = {}): Promise<TarFile[]> {
  const tar = await gunzipChecked(await readArtifactBytes(path, options), { maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES, file: path })
  return unpackTar(tar, path)
}
