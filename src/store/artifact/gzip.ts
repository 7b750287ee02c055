/**
 * Gzip with a checked header and a digest of the compressed bytes, the writer's half of the
 * artifact format (the runtime's `gunzipChecked` is the reader). The gzip trailer's CRC only
 * covers the decompressed data, and some deflate bits (block padding, unused code lengths) do not
 * change it, so a flipped byte there would pass. The writer therefore stores a sha256 of every
 * byte after the header in a header extra field ('CS'), and sets FHCRC so the header itself is
 * checked; the reader requires both.
 */
import { createHash } from 'node:crypto'
import { crc32, gzipSync } from 'node:zlib'

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
