/**
 * Artifact files on disk: a gzipped ustar of regular files, written atomically (temp name in the
 * same folder, fsync, rename) and read with a size cap into memory. The reader never writes.
 */
import { writeFileAtomic } from '../atomic-write.js'
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
 * Reads the regular files of an artifact into memory, refusing unsafe archives with a DataError
 * (see {@link unpackTar}) and decompressed sizes beyond `maxBytes`.
 * @example const files = await readArtifact('model.tar.gz', { maxBytes: 512 * 1024 ** 2 })
 */
export async function readArtifact(path: string, options: ReadArtifactOptions = {}): Promise<TarFile[]> {
  const tar = await gunzipFile(path, options.maxBytes ?? DEFAULT_MAX_BYTES)
  return unpackTar(tar, path)
}
