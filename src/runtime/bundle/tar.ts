/**
 * A POSIX ustar reader for regular files only, over a Uint8Array (no Buffer), so bundles unpack
 * in browsers and serverless runtimes. Hand-rolled so it refuses links, devices, folders and
 * extended headers by construction instead of trusting a general-purpose extractor to skip them.
 * The writer (Node-side, in the artifact store) shares its name check and checksum.
 */
import { BundleError } from '../../errors.js'
import { checkEntryName } from './names.js'

/** One regular file of an archive, held in memory. */
export interface TarFile {
  readonly name: string
  readonly data: Uint8Array
}

/** Size of a ustar header and of the blocks data is padded to. */
export const TAR_BLOCK = 512

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads a ustar archive held in memory. Refuses, with a BundleError naming the entry: a bad
 * checksum or magic, any entry that is not a regular file, an unsafe, undecodable or duplicate
 * name, a size beyond the archive, and non-zero bytes after the end marker. The files' data are
 * views into `tar`, not copies.
 * @example const files = unpackTar(tarBytes, 'model.tar.gz')
 */
export function unpackTar(tar: Uint8Array, file?: string): TarFile[] {
  const where = file === undefined ? {} : { file }
  const out: TarFile[] = []
  const seen = new Set<string>()
  let pos = 0
  while (true) {
    if (pos + TAR_BLOCK > tar.length) throw new BundleError('archive truncated: no end-of-archive marker', where)
    const header = tar.subarray(pos, pos + TAR_BLOCK)
    if (isZero(header)) {
      // The end marker is zero blocks; anything after it is smuggled or corrupt data.
      if (!isZero(tar.subarray(pos))) throw new BundleError('data after the end-of-archive marker', where)
      return out
    }
    const rawName = readName(header, where)
    const name = rawName.replace(/[^\x20-\x7e]/g, '?')
    const label = `archive entry '${name}'`
    if (latin1(header, 257, 263) !== 'ustar\u0000' || latin1(header, 263, 265) !== '00') throw new BundleError(`${label}: not a ustar header`, where)
    const stored = readOctal(header, 148, 8)
    if (stored === undefined || stored !== tarChecksum(header)) throw new BundleError(`${label}: header checksum mismatch`, where)
    const type = latin1(header, 156, 157)
    if (type !== '0' && type !== '\u0000') throw new BundleError(`${label} refused: ${describeType(type)}, only regular files are allowed`, where)
    checkEntryName(rawName, file)
    if (seen.has(rawName)) throw new BundleError(`${label} refused: duplicate name`, where)
    seen.add(rawName)
    const size = readOctal(header, 124, 12)
    if (size === undefined) throw new BundleError(`${label}: invalid size field`, where)
    const start = pos + TAR_BLOCK
    if (size > tar.length - start) throw new BundleError(`${label}: declared size ${size} exceeds the archive`, where)
    out.push({ name: rawName, data: tar.subarray(start, start + size) })
    pos = start + Math.ceil(size / TAR_BLOCK) * TAR_BLOCK
  }
}

/**
 * Unsigned sum of a header's bytes with the checksum field read as spaces (ustar's checksum).
 * @example writeOctal(header, 148, 7, tarChecksum(header))
 */
export function tarChecksum(header: Uint8Array): number {
  let sum = 0
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]
  return sum
}

function describeType(type: string): string {
  const known: Record<string, string> = {
    '1': 'hard link',
    '2': 'symbolic link',
    '3': 'character device',
    '4': 'block device',
    '5': 'directory',
    '6': 'FIFO',
    '7': 'contiguous file',
    x: 'pax extended header',
    g: 'pax global header',
    L: 'GNU long name',
    K: 'GNU long link name',
  }
  return known[type] ?? `entry type '${type.replace(/[^\x20-\x7e]/g, '?')}'`
}

/** The entry's name: `prefix/name` when the prefix field is set. */
function readName(header: Uint8Array, where: { file?: string }): string {
  const prefix = readString(header, 345, 155, where)
  const name = readString(header, 0, 100, where)
  return prefix === '' ? name : `${prefix}/${name}`
}

/** A NUL-terminated UTF-8 field; undecodable bytes are refused, not replaced. */
function readString(b: Uint8Array, offset: number, length: number, where: { file?: string }): string {
  const field = b.subarray(offset, offset + length)
  const end = field.indexOf(0)
  try {
    return UTF8.decode(field.subarray(0, end < 0 ? length : end))
  } catch {
    throw new BundleError('archive entry name is not valid UTF-8', where)
  }
}

function latin1(b: Uint8Array, start: number, end: number): string {
  let s = ''
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i])
  return s
}

/** Octal number terminated by NUL or space; undefined when malformed (base-256 sizes included). */
function readOctal(b: Uint8Array, offset: number, length: number): number | undefined {
  // eslint-disable-next-line no-control-regex
  const text = latin1(b, offset, offset + length).replace(/[\u0000 ]+$/, '').replace(/^ +/, '')
  if (!/^[0-7]{1,12}$/.test(text)) return undefined
  return parseInt(text, 8)
}

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false
  return true
}
