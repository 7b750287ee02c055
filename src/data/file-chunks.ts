/**
 * A data file's bytes as a stream of chunks, for the streaming readers, with file-system errors
 * turned into DataErrors that name the file ({@link fileError}).
 */
import { createReadStream } from 'node:fs'
import { fileError } from '../errors.js'

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
