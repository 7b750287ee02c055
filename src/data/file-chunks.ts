/**
 * A data file's bytes as a stream of chunks, for the streaming readers, with file-system errors
 * turned into DataErrors that name the file.
 */
import { createReadStream } from 'node:fs'
import { DataError } from '../errors.js'

/**
 * The file's bytes in chunks of up to `chunkSize`; read errors become DataErrors, a consumer's own
 * errors pass through.
 * @example for await (const chunk of fileChunks('train.csv', 1 << 20)) parser.push(chunk)
 */
export async function* fileChunks(path: string, chunkSize: number): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: chunkSize })
  try {
    for await (const chunk of stream) yield chunk as Uint8Array
  } catch (err) {
    throw fileError(path, err)
  } finally {
    stream.destroy()
  }
}

/**
 * A file-system error as a DataError saying what went wrong with which file.
 * @example throw fileError('train.csv', err) // "train.csv: cannot read file: no such file"
 */
export function fileError(path: string, err: unknown): DataError {
  const code = (err as { code?: unknown }).code
  const reason =
    code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String((err as Error).message)
  return new DataError(`cannot read file: ${reason}`, { file: path })
}
