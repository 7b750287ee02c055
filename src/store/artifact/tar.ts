/**
 * A minimal POSIX ustar writer for regular files only: the writer's half of the artifact format
 * (the runtime's `unpackTar` is the reader). It checks names with the reader's own check, so it
 * cannot produce what the reader refuses, and it can write raw headers for tests that craft
 * hostile archives.
 */
import { checkEntryName, MAX_NAME_BYTES } from '../../runtime/bundle/names.js'
import { TAR_BLOCK, tarChecksum, type TarFile } from '../../runtime/bundle/tar.js'

export type { TarFile } from '../../runtime/bundle/tar.js'

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

const MAGIC = 'ustar\u000000'

/**
 * One 512-byte ustar header with a valid checksum. No validation: this is the raw layer.
 * @example const block = tarHeader({ name: 'a.txt', size: 3 })
 */
export function tarHeader(h: RawTarHeader): Buffer {
  const b = Buffer.alloc(TAR_BLOCK)
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
  writeOctal(b, 148, 7, tarChecksum(b))
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
    const pad = (TAR_BLOCK - (f.data.length % TAR_BLOCK)) % TAR_BLOCK
    if (pad > 0) parts.push(Buffer.alloc(pad))
  }
  parts.push(Buffer.alloc(2 * TAR_BLOCK))
  return Buffer.concat(parts)
}

function writeOctal(b: Buffer, offset: number, length: number, value: number): void {
  const text = value.toString(8).padStart(length - 1, '0')
  if (text.length > length - 1) throw new RangeError(`value ${value} does not fit a ${length}-byte tar field`)
  b.write(text + '\u0000', offset, length, 'latin1')
}
