import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { gzipChecked } from './gzip.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BundleError } from '../../errors.js'
import { unpackTar } from '../../runtime/bundle/tar.js'
import { readArtifact, writeArtifact } from './file.js'
import { packTar, tarHeader, type RawTarHeader } from './tar.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'artifact-tar-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** A hand-built archive: each header followed by its data padded to 512 bytes, then the end marker. */
function rawTar(entries: readonly { header: RawTarHeader; data?: Buffer }[]): Buffer {
  const parts: Buffer[] = []
  for (const { header, data } of entries) {
    parts.push(tarHeader(header))
    if (data) parts.push(data, Buffer.alloc((512 - (data.length % 512)) % 512))
  }
  parts.push(Buffer.alloc(1024))
  return Buffer.concat(parts)
}

let count = 0
async function refused(gz: Buffer, pattern: RegExp, maxBytes?: number): Promise<void> {
  const path = join(dir, `hostile-${count++}.tar.gz`)
  await writeFile(path, gz)
  const before = await readdir(dir)
  const error = await readArtifact(path, maxBytes === undefined ? {} : { maxBytes }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(BundleError)
  expect((error as Error).message).toMatch(pattern)
  // The reader only reads: the folder holds exactly what it held before.
  expect(await readdir(dir)).toEqual(before)
}

const file = (name: string, text = 'x'): { header: RawTarHeader; data: Buffer } => ({ header: { name, size: Buffer.byteLength(text) }, data: Buffer.from(text) })

describe('ustar', () => {
  it('round-trips regular files, empty and multi-block ones included', async () => {
    const files = [
      { name: 'manifest.json', data: Buffer.from('{}') },
      { name: 'members/000-a.state', data: new Uint8Array(0) },
      { name: 'members/001-b.state', data: new Uint8Array(1500).map((_, i) => i % 251) },
    ]
    const path = join(dir, 'ok.tar.gz')
    await writeArtifact(path, files)
    const back = await readArtifact(path)
    expect(back.map((f) => f.name)).toEqual(files.map((f) => f.name))
    back.forEach((f, i) => expect(Buffer.from(f.data).equals(Buffer.from(files[i].data))).toBe(true))
  })

  it('refuses unsafe names with a BundleError naming the entry', async () => {
    const cases: [string, RegExp][] = [
      ['../x', /'\.\.\/x'.*'\.\.' segment/],
      ['/etc/x', /'\/etc\/x'.*absolute/],
      ['a/../../x', /'a\/\.\.\/\.\.\/x'.*'\.\.' segment/],
      ['..\\x', /backslash/],
      ['%2e%2e/x', /'%2e%2e\/x'.*percent/],
      ['a/%2F/x', /percent/],
      ['./x', /'\.' segment/],
      ['a//x', /empty path segment/],
      ['C:/x', /drive letter/],
      ['a\u0001b', /control character/],
    ]
    for (const [name, pattern] of cases) await refused(gzipChecked(rawTar([file(name)])), pattern)
  })

  it('refuses a name split over prefix and name that traverses', async () => {
    await refused(gzipChecked(rawTar([{ header: { name: 'x', prefix: '..', size: 1 }, data: Buffer.from('x') }])), /'\.\.\/x'/)
  })

  it('refuses every entry type but regular files', async () => {
    const cases: [RawTarHeader, RegExp][] = [
      [{ name: 'link', size: 0, type: '2', linkname: '/etc/passwd' }, /'link'.*symbolic link/],
      [{ name: 'hard', size: 0, type: '1', linkname: '../outside' }, /'hard'.*hard link/],
      [{ name: 'folder/', size: 0, type: '5' }, /directory/],
      [{ name: 'dev', size: 0, type: '3' }, /'dev'.*character device/],
      [{ name: 'fifo', size: 0, type: '6' }, /FIFO/],
      [{ name: 'pax', size: 0, type: 'x' }, /pax extended header/],
      [{ name: 'long', size: 0, type: 'L' }, /GNU long name/],
    ]
    for (const [header, pattern] of cases) await refused(gzipChecked(rawTar([file('ok'), { header }])), pattern)
  })

  it('refuses duplicate names, huge declared sizes, bad checksums and trailing data', async () => {
    await refused(gzipChecked(rawTar([file('a'), file('a', 'y')])), /'a'.*duplicate/)
    await refused(gzipChecked(rawTar([{ header: { name: 'big', size: 0o77777777777 }, data: Buffer.from('x') }])), /'big'.*exceeds the archive/)
    const bad = rawTar([file('a')])
    bad[0] ^= 1
    await refused(gzipChecked(bad), /checksum/)
    await refused(gzipChecked(Buffer.concat([rawTar([file('a')]), Buffer.from('smuggled')])), /after the end-of-archive/)
    await refused(gzipChecked(rawTar([file('a')]).subarray(0, 1024)), /truncated/)
  })

  it('stops a gzip bomb at the cap', async () => {
    const bomb = gzipChecked(Buffer.alloc(64 * 1024 * 1024))
    expect(bomb.length).toBeLessThan(100 * 1024)
    await refused(bomb, /decompressed size exceeds the limit of 1048576 bytes/, 1024 * 1024)
  })

  it('refuses what is not a checked gzip', async () => {
    await refused(rawTar([file('a')]), /integrity field/)
    await refused(gzipSync(rawTar([file('a')])), /integrity field/)
  })

  it('cannot write what the reader refuses', () => {
    expect(() => packTar([{ name: '../x', data: new Uint8Array(0) }])).toThrow(BundleError)
    expect(() => packTar([{ name: 'a', data: new Uint8Array(0) }, { name: 'a', data: new Uint8Array(0) }])).toThrow(/duplicate/)
    expect(unpackTar(packTar([]))).toEqual([])
  })
})
