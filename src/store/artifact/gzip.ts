/**
 * Gzip with a checked header, and a gunzip that stops at a size cap. The gzip trailer's CRC only
 * covers the data, so the writer also sets FHCRC: a flipped byte in the header (mtime, OS) is then
 * refused as well instead of passing silently.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { crc32, createGunzip, gzipSync } from 'node:zlib'
import { DataError } from '../../errors.js'

const FHCRC = 0x02

/**
 * Gzips `data` and adds a header CRC (RFC 1952 FHCRC), which zlib verifies on inflate.
 * @example const gz = gzipWithHeaderCrc(tarBytes)
 */
export function gzipWithHeaderCrc(data: Uint8Array): Buffer {
  const gz = gzipSync(data, { level: 6 })
  // Node writes a bare 10-byte header (no name, extra or comment), so the flags byte is 0 here.
  if (gz[3] !== 0) throw new Error('unexpected gzip header flags')
  const header = Buffer.from(gz.subarray(0, 10))
  header[3] = FHCRC
  const crc = Buffer.alloc(2)
  crc.writeUInt16LE(crc32(header) & 0xffff)
  return Buffer.concat([header, crc, gz.subarray(10)])
}

/**
 * Gunzips a file as a stream, refusing it as soon as the output passes `maxBytes` (a gzip bomb
 * stops there, not after filling memory) and on any corruption zlib detects.
 * @example const tar = await gunzipFile('model.tar.gz', 2 ** 31)
 */
export async function gunzipFile(path: string, maxBytes: number): Promise<Buffer> {
  const where = { file: path }
  const info = await stat(path)
  if (!info.isFile()) throw new DataError('not a regular file', where)
  if (info.size > maxBytes) throw new DataError(`compressed size ${info.size} exceeds the limit of ${maxBytes} bytes`, where)
  const chunks: Buffer[] = []
  let total = 0
  let tooLarge: DataError | undefined
  try {
    await pipeline(createReadStream(path), createGunzip({ chunkSize: 64 * 1024 }), async (gunzipped: AsyncIterable<Buffer>) => {
      for await (const chunk of gunzipped) {
        total += chunk.length
        if (total > maxBytes) {
          // Kept aside because pipeline reports its own abort error, not the one thrown here.
          tooLarge = new DataError(`decompressed size exceeds the limit of ${maxBytes} bytes`, where)
          throw tooLarge
        }
        chunks.push(chunk)
      }
    })
  } catch (e) {
    if (tooLarge !== undefined) throw tooLarge
    const code = (e as { code?: unknown }).code
    // zlib reports bad headers, CRC and length mismatches and truncation with Z_* codes.
    if (typeof code === 'string' && code.startsWith('Z_')) throw new DataError(`corrupt gzip data: ${(e as Error).message}`, where)
    throw e
  }
  return Buffer.concat(chunks, total)
}
