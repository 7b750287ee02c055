/**
 * The checked gunzip of a model artifact, with web-standard APIs only (`DecompressionStream`, Web
 * Crypto), stopping at a size cap. It reads what the artifact store's writer makes: a gzip member
 * whose header carries a sha256 of every byte after the header in an extra field ('CS') and its
 * own CRC (FHCRC). The gzip trailer's CRC covers only the decompressed data, and some deflate bits
 * (block padding, unused code lengths) do not change it, so a flipped byte there would pass
 * without the digest.
 */
import { BundleError, type Location } from '../../errors.js'
import { crc32 } from './crc32.js'
import { sha256 } from './sha256.js'

/** Default cap on the decompressed size of an artifact: 2 GiB. */
export const DEFAULT_MAX_BYTES = 2 * 1024 ** 3

const FEXTRA = 0x04
const FHCRC = 0x02
/** 10 fixed bytes, XLEN, the 'CS' subfield (id, length, 32-byte digest), the header CRC. */
const HEADER_BYTES = 10 + 2 + 4 + 32 + 2
/** Compressed bytes fed to the inflater at a time, so its output is counted as it is made. */
const SLICE = 16 * 1024

/** Options of {@link gunzipChecked}. */
export interface GunzipOptions {
  /** Largest decompressed size accepted, in bytes (default {@link DEFAULT_MAX_BYTES}). */
  readonly maxBytes?: number
  /** Name of the input (a path), reported in errors. */
  readonly file?: string
}

/**
 * Checks the header layout, the header CRC and the body digest, then inflates, refusing the
 * input as soon as the output passes `maxBytes` (a gzip bomb stops there, not after filling
 * memory). Any fault is a BundleError.
 * @example const tar = await gunzipChecked(bytes, { maxBytes: 512 * 1024 ** 2, file: 'model.tar.gz' })
 */
export async function gunzipChecked(gz: Uint8Array, options: GunzipOptions = {}): Promise<Uint8Array> {
  const where: Location = options.file === undefined ? {} : { file: options.file }
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const u16 = (at: number) => gz[at] | (gz[at + 1] << 8)
  if (gz.length >= 2 && gz.length < HEADER_BYTES && gz[0] === 0x1f && gz[1] === 0x8b) throw new BundleError('truncated gzip header', where)
  if (gz.length < HEADER_BYTES || gz[0] !== 0x1f || gz[1] !== 0x8b || gz[2] !== 8 || gz[3] !== (FEXTRA | FHCRC) || u16(10) !== 36 || gz[12] !== 0x43 || gz[13] !== 0x53 || u16(14) !== 32) {
    throw new BundleError('not a consort artifact: gzip header lacks its integrity field', where)
  }
  if ((crc32(gz, 0, HEADER_BYTES - 2) & 0xffff) !== u16(HEADER_BYTES - 2)) throw new BundleError('gzip header checksum mismatch: the file is corrupt', where)
  const digest = await sha256(gz.subarray(HEADER_BYTES))
  for (let i = 0; i < 32; i++) if (digest[i] !== gz[16 + i]) throw new BundleError('artifact digest mismatch: the file is corrupt', where)
  return inflate(gz, maxBytes, where)
}

async function inflate(gz: Uint8Array, maxBytes: number, where: Location): Promise<Uint8Array> {
  const stream = new DecompressionStream('gzip')
  const writer = stream.writable.getWriter()
  const reader = stream.readable.getReader()
  const feeding = (async () => {
    for (let p = 0; p < gz.length; p += SLICE) await writer.write(gz.subarray(p, Math.min(gz.length, p + SLICE)))
    await writer.close()
  })()
  // Its failure is the stream's failure, which the reader sees; awaited below for completion only.
  feeding.catch(() => undefined)
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) break
      total += value.length
      if (total > maxBytes) throw new BundleError(`decompressed size exceeds the limit of ${maxBytes} bytes`, where)
      chunks.push(value)
    }
    await feeding
  } catch (err) {
    reader.cancel().catch(() => undefined)
    if (err instanceof BundleError) throw err
    throw new BundleError(`corrupt gzip data: ${err instanceof Error ? err.message : String(err)}`, where)
  }
  const out = new Uint8Array(total)
  let p = 0
  for (const c of chunks) {
    out.set(c, p)
    p += c.length
  }
  return out
}
