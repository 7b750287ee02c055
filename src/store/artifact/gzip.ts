/**
 * Gzip with a checked header and a digest of the compressed bytes, and a gunzip that stops at a
 * size cap. The gzip trailer's CRC only covers the decompressed data, and some deflate bits (block
 * padding, unused code lengths) do not change it, so a flipped byte there would pass. The writer
 * therefore stores a sha256 of every byte after the header in a header extra field ('CS'), and
 * sets FHCRC so zlib checks the header itself; the reader requires both.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Transform, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { crc32, createGunzip, gzipSync } from 'node:zlib'
import { DataError, fileError } from '../../errors.js'

const FEXTRA = 0x04
const FHCRC = 0x02
/** 10 fixed bytes, XLEN, the 'CS' subfield (id, length, 32-byte digest), the header CRC. */
const HEADER_BYTES = 10 + 2 + 4 + 32 + 2

/**
 * Gzips `data` with the digest extra field and a header CRC (RFC 1952 FEXTRA and FHCRC).
 * @example const gz = gzipChecked(tarBytes)
 */
export function gzipChecked(data: Uint8Array): Buffer {
  const gz = gzipSync(data, { level: 6 })
  // Node writes a bare 10-byte header (no name, extra or comment), so the flags byte is 0 here.
  if (gz[3] !== 0) throw new Error('unexpected gzip header flags')
  const body = gz.subarray(10)
  const header = Buffer.alloc(HEADER_BYTES)
  gz.copy(header, 0, 0, 10)
  header[3] = FEXTRA | FHCRC
  header.writeUInt16LE(36, 10)
  header.write('CS', 12, 'latin1')
  header.writeUInt16LE(32, 14)
  // The digest covers what follows the whole header; the header CRC then covers the digest.
  createHash('sha256').update(body).digest().copy(header, 16)
  header.writeUInt16LE(crc32(header.subarray(0, HEADER_BYTES - 2)) & 0xffff, HEADER_BYTES - 2)
  return Buffer.concat([header, body])
}

/** Passes the stream through unchanged, checking the header layout and the digest of the rest. */
class DigestCheck extends Transform {
  private head = Buffer.alloc(0)
  private expected: Buffer | undefined
  private readonly hash = createHash('sha256')
  constructor(private readonly path: string) {
    super()
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.expected === undefined) {
      this.head = Buffer.concat([this.head, chunk])
      if (this.head.length < HEADER_BYTES) return done()
      const h = this.head
      if (h[0] !== 0x1f || h[1] !== 0x8b || h[2] !== 8 || h[3] !== (FEXTRA | FHCRC) || h.readUInt16LE(10) !== 36 || h.toString('latin1', 12, 14) !== 'CS' || h.readUInt16LE(14) !== 32) {
        return done(new DataError('not a consort artifact: gzip header lacks its integrity field', { file: this.path }))
      }
      this.expected = Buffer.from(h.subarray(16, 48))
      this.hash.update(h.subarray(HEADER_BYTES))
      this.push(h)
      return done()
    }
    this.hash.update(chunk)
    done(null, chunk)
  }
  override _flush(done: TransformCallback): void {
    if (this.expected === undefined) return done(new DataError('truncated gzip header', { file: this.path }))
    // The body digest excludes the header; the header's own bytes are checked by zlib's FHCRC.
    if (!this.hash.digest().equals(this.expected)) return done(new DataError('artifact digest mismatch: the file is corrupt', { file: this.path }))
    done()
  }
}

/**
 * Gunzips a file as a stream, refusing it as soon as the output passes `maxBytes` (a gzip bomb
 * stops there, not after filling memory) and on any corruption zlib detects.
 * @example const tar = await gunzipFile('model.tar.gz', 2 ** 31)
 */
export async function gunzipFile(path: string, maxBytes: number): Promise<Buffer> {
  const where = { file: path }
  const info = await stat(path).catch((err: unknown) => {
    throw fileError(path, err)
  })
  if (!info.isFile()) throw new DataError('not a regular file', where)
  if (info.size > maxBytes) throw new DataError(`compressed size ${info.size} exceeds the limit of ${maxBytes} bytes`, where)
  const chunks: Buffer[] = []
  let total = 0
  let tooLarge: DataError | undefined
  try {
    await pipeline(createReadStream(path), new DigestCheck(path), createGunzip({ chunkSize: 64 * 1024 }), async (gunzipped: AsyncIterable<Buffer>) => {
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
    if (e instanceof DataError) throw e
    const code = (e as { code?: unknown }).code
    // zlib reports bad headers, CRC and length mismatches and truncation with Z_* codes.
    if (typeof code === 'string' && code.startsWith('Z_')) throw new DataError(`corrupt gzip data: ${(e as Error).message}`, where)
    // A file that cannot be opened or read (permissions, say) is bad input too.
    if (typeof code === 'string' && code.startsWith('E')) throw fileError(path, e)
    throw e
  }
  return Buffer.concat(chunks, total)
}
