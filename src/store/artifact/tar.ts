/**
 * A minimal POSIX ustar writer and reader for regular files only. Hand-rolled so the reader can
 * refuse links, devices, folders and extended headers by construction instead of trusting a
 * general-purpose extractor to skip them.
 */
import { DataError } from '../../errors.js'
import { checkEntryName, MAX_NAME_BYTES } from './names.js'

/** One regular file of an archive, held in memory. */
export interface TarFile {
  readonly name: string
  readonly data: Uint8Array
}

/** Every field of a ustar header, for writing headers by hand (tests craft hostile archives). */
export interface RawTarHeader {
  readonly name: string
  /** Declared size; may differ from the data that follows. */
  readonly size: number
  /** Type flag: '0' regular, '1' hardlink, '2' symlink, '5' directory, 'x' pax... */
  readonly type?: string
  readonly linkname?: string
  readonly prefix?: string
  readonly mode?: number
  readonly mtime?: number
}

const BLOCK = 512
const MAGIC = 'ustar\u000000'

/**
 * One 512-byte ustar header with a valid checksum. No validation: this is the raw layer.
 * @example const block = tarHeader({ name: 'a.txt', size: 3 })
 */
export function tarHeader(h: RawTarHeader): Buffer {
  const b = Buffer.alloc(BLOCK)
  b.write(h.name, 0, 100, 'utf8')
  writeOctal(b, 100, 8, h.mode ?? 0o644)
  writeOctal(b, 108, 8, 0)
  writeOctal(b, 116, 8, 0)
  writeOctal(b, 124, 12, h.size)
  writeOctal(b, 136, 12, h.mtime ?? 0)
  b.write(h.type ?? '0', 156, 1, 'latin1')
  b.write(h.linkname ?? '', 157, 100, 'utf8')
  b.write(MAGIC, 257, 8, 'latin1')
  b.write(h.prefix ?? '', 345, 155, 'utf8')
  b.fill(0x20, 148, 156)
  writeOctal(b, 148, 7, checksum(b))
  return b
}

/**
 * A complete ustar archive of regular files (header, data padded to 512 bytes, two zero blocks).
 * Names are checked as the reader checks them, so the writer cannot produce what the reader refuses.
 * @example const tar = packTar([{ name: 'manifest.json', data: Buffer.from('{}') }])
 */
export function packTar(files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = []
  const seen = new Set<string>()
  for (const f of files) {
    checkEntryName(f.name)
    if (Buffer.byteLength(f.name) > MAX_NAME_BYTES) throw new RangeError(`entry name longer than ${MAX_NAME_BYTES} bytes: '${f.name}'`)
    if (seen.has(f.name)) throw new RangeError(`duplicate entry name '${f.name}'`)
    seen.add(f.name)
    parts.push(tarHeader({ name: f.name, size: f.data.length }), Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength))
    const pad = (BLOCK - (f.data.length % BLOCK)) % BLOCK
    if (pad > 0) parts.push(Buffer.alloc(pad))
  }
  parts.push(Buffer.alloc(2 * BLOCK))
  return Buffer.concat(parts)
}

/**
 * Reads a ustar archive held in memory. Refuses, with a DataError naming the entry: a bad
 * checksum or magic, any entry that is not a regular file, an unsafe or duplicate name, a size
 * beyond the archive, and non-zero bytes after the end marker.
 * @example const files = unpackTar(tarBytes, 'model.tar.gz')
 */
export function unpackTar(tar: Uint8Array, file?: string): TarFile[] {
  const where = file === undefined ? {} : { file }
  const buf = Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength)
  const out: TarFile[] = []
  const seen = new Set<string>()
  let pos = 0
  while (true) {
    if (pos + BLOCK > buf.length) throw new DataError('archive truncated: no end-of-archive marker', where)
    const header = buf.subarray(pos, pos + BLOCK)
    if (isZero(header)) {
      // The end marker is zero blocks; anything after it is smuggled or corrupt data.
      if (!isZero(buf.subarray(pos))) throw new DataError('data after the end-of-archive marker', where)
      return out
    }
    const name = joinName(readString(header, 345, 155), readString(header, 0, 100))
    const label = `archive entry '${name.replace(/[^\x20-\x7e]/g, '?')}'`
    if (header.toString('latin1', 257, 263) !== 'ustar\u0000' || header.toString('latin1', 263, 265) !== '00') {
      throw new DataError(`${label}: not a ustar header`, where)
    }
    const stored = readOctal(header, 148, 8)
    if (stored === undefined || stored !== checksum(header)) throw new DataError(`${label}: header checksum mismatch`, where)
    const type = header.toString('latin1', 156, 157)
    if (type !== '0' && type !== '\u0000') throw new DataError(`${label} refused: ${describeType(type)}, only regular files are allowed`, where)
    checkEntryName(name, file)
    if (seen.has(name)) throw new DataError(`${label} refused: duplicate name`, where)
    seen.add(name)
    const size = readOctal(header, 124, 12)
    if (size === undefined) throw new DataError(`${label}: invalid size field`, where)
    const start = pos + BLOCK
    if (size > buf.length - start) throw new DataError(`${label}: declared size ${size} exceeds the archive`, where)
    out.push({ name, data: new Uint8Array(buf.subarray(start, start + size)) })
    pos = start + Math.ceil(size / BLOCK) * BLOCK
  }
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

function joinName(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}/${name}`
}

function readString(b: Buffer, offset: number, length: number): string {
  const field = b.subarray(offset, offset + length)
  const end = field.indexOf(0)
  return field.toString('utf8', 0, end < 0 ? length : end)
}

/** Octal number terminated by NUL or space; undefined when malformed (base-256 sizes included). */
function readOctal(b: Buffer, offset: number, length: number): number | undefined {
  // eslint-disable-next-line no-control-regex
  const text = b.toString('latin1', offset, offset + length).replace(/[\u0000 ]+$/, '').replace(/^ +/, '')
  if (!/^[0-7]{1,12}$/.test(text)) return undefined
  return parseInt(text, 8)
}

function writeOctal(b: Buffer, offset: number, length: number, value: number): void {
  const text = value.toString(8).padStart(length - 1, '0')
  if (text.length > length - 1) throw new RangeError(`value ${value} does not fit a ${length}-byte tar field`)
  b.write(text + '\u0000', offset, length, 'latin1')
}

/** Unsigned sum of the header bytes with the checksum field read as spaces. */
function checksum(header: Buffer): number {
  let sum = 0
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]
  return sum
}

function isZero(b: Buffer): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false
  return true
}
