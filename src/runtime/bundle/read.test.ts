import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BundleError } from '../../errors.js'
import { saveBundle, type BundleInput } from '../../store/artifact/bundle.js'
import { gzipChecked } from '../../store/artifact/gzip.js'
import { packTar, tarHeader, type RawTarHeader } from '../../store/artifact/tar.js'
import { encodeManifest, MANIFEST_FILE, type Manifest } from './manifest.js'
import { readBundle } from './read.js'
import { sha256Hex } from './sha256.js'
import { encodeState } from './state-codec.js'
import type { TarFile } from './tar.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runtime-bundle-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

const input: BundleInput = {
  manifest: {
    task: 'regression',
    features: [{ name: 'x', type: 'numeric' }, { name: 'c', type: 'categorical', categories: ['a', 'b'] }],
    blender: { kind: 'mean' },
    metrics: { 'cv:rmse': 1.5, 'cv:r2': NaN },
    provenance: { dataFingerprint: 'sha256:abc', spec: { name: 't' }, timings: { fit: 0.25 } },
    createdAt: '2025-01-01T00:00:00.000Z',
  },
  members: [
    { name: 'a', state: { kind: 'blob', version: 1, values: Float64Array.of(1, -0, NaN) } as never, params: { eta: 0.1 } },
    { name: 'b/../c', state: { kind: 'blob', version: 1, values: new Float64Array(0) } as never },
  ],
  blenderState: { kind: 'mean', version: 1, nMembers: 2 },
}

/** The bundle the store writes, as bytes, and its files. */
async function written(): Promise<{ bytes: Uint8Array; files: TarFile[]; manifest: Manifest }> {
  const path = join(dir, `b-${Math.random().toString(36).slice(2)}.tar.gz`)
  const manifest = await saveBundle(path, input)
  const bytes = new Uint8Array(await readFile(path))
  const files = [{ name: MANIFEST_FILE, data: encodeManifest(manifest) }, ...manifest.members.map((m, i) => ({ name: m.file, data: encodeState(input.members[i].state) }))]
  files.push({ name: manifest.blender.file!, data: encodeState(input.blenderState) })
  return { bytes, files, manifest }
}

/** A bundle archive of `files` as the store would gzip it. */
const pack = (files: readonly TarFile[]) => new Uint8Array(gzipChecked(packTar(files)))

/** A hand-built archive: each header followed by its data padded to 512 bytes, then the end marker. */
function rawArchive(entries: readonly { header: RawTarHeader; data?: Uint8Array }[]): Uint8Array {
  const parts: Uint8Array[] = []
  for (const { header, data } of entries) {
    parts.push(tarHeader(header))
    if (data) parts.push(data, new Uint8Array((512 - (data.length % 512)) % 512))
  }
  parts.push(new Uint8Array(1024))
  return new Uint8Array(gzipChecked(Buffer.concat(parts)))
}

async function refused(bytes: Uint8Array, pattern: RegExp, code = 'invalid_bundle', maxBytes?: number): Promise<void> {
  const error = await readBundle(bytes, { file: 'model.tar.gz', ...(maxBytes === undefined ? {} : { maxBytes }) }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(BundleError)
  expect((error as Error).message).toMatch(/^model\.tar\.gz/)
  expect((error as Error).message).toMatch(pattern)
  expect((error as BundleError).code).toBe(code)
}

describe('runtime bundle reader', () => {
  it('reads what the store writes: the manifest and every state, exactly', async () => {
    const { bytes, manifest } = await written()
    const bundle = await readBundle(bytes)
    expect(bundle.manifest).toEqual(manifest)
    expect(bundle.manifest.metrics['cv:r2']).toBeNull()
    expect(bundle.members.map((m) => m.name)).toEqual(['a', 'b/../c'])
    const values = (bundle.members[0].state as unknown as { values: Float64Array }).values
    expect(values).toBeInstanceOf(Float64Array)
    expect(Object.is(values[1], -0) && Number.isNaN(values[2])).toBe(true)
    expect(bundle.blenderState).toEqual(input.blenderState)
  })

  it('refuses a tampered file whose hash no longer matches, even inside a valid archive', async () => {
    const { files } = await written()
    const member = files[1]
    const changed = member.data.slice()
    changed[changed.length - 1] ^= 1
    await refused(pack(files.map((f) => (f === member ? { name: f.name, data: changed } : f))), /sha256 mismatch for 'members\/000-a\.state'/)
  })

  it('refuses a missing file, an extra file and a missing manifest', async () => {
    const { files } = await written()
    await refused(pack(files.filter((f) => f !== files[2])), /missing file 'members\/001-b_c\.state'/)
    await refused(pack([...files, { name: 'run.js', data: new TextEncoder().encode('1') }]), /unexpected file 'run\.js'/)
    await refused(pack(files.slice(1)), /missing manifest\.json/)
  })

  it('refuses traversal and links before looking at the manifest', async () => {
    const x = { data: new Uint8Array([120]) }
    await refused(rawArchive([{ header: { name: '../x', size: 1 }, ...x }]), /'\.\.\/x' refused: '\.\.' segment/)
    await refused(rawArchive([{ header: { name: 'x', prefix: 'a/../..', size: 1 }, ...x }]), /'\.\.' segment/)
    await refused(rawArchive([{ header: { name: 'link', size: 0, type: '2', linkname: '/etc/passwd' } }]), /'link' refused: symbolic link/)
    await refused(rawArchive([{ header: { name: 'hard', size: 0, type: '1', linkname: '../outside' } }]), /'hard' refused: hard link/)
  })

  it('stops a decompression bomb at the cap', async () => {
    const bomb = pack([{ name: MANIFEST_FILE, data: new Uint8Array(64 * 1024 * 1024) }])
    expect(bomb.length).toBeLessThan(100 * 1024)
    await refused(bomb, /decompressed size exceeds the limit of 1048576 bytes/, 'invalid_bundle', 1024 * 1024)
  })

  it('names a bundle of a newer format version as unsupported', async () => {
    const { files, manifest } = await written()
    const newer = { ...manifest, formatVersion: 2, libraryVersion: '9.0.0', someNewField: { x: 1 } }
    const bytes = pack(files.map((f) => (f.name === MANIFEST_FILE ? { name: f.name, data: new TextEncoder().encode(JSON.stringify(newer)) } : f)))
    await refused(bytes, /bundle format version 2 was written by consort 9\.0\.0 and is newer than this version of consort reads \(1\); upgrade consort/, 'unsupported_bundle_version')
  })

  it('refuses a malformed manifest naming the field', async () => {
    const { files, manifest } = await written()
    const bad = { ...manifest, members: [{ ...manifest.members[0], sha256: 'ABC' }, manifest.members[1]] }
    const bytes = pack(files.map((f) => (f.name === MANIFEST_FILE ? { name: f.name, data: new TextEncoder().encode(JSON.stringify(bad)) } : f)))
    await refused(bytes, /field 'manifest\.json\.members\.0\.sha256': invalid manifest\.json: expected a lowercase hex sha256/)
  })

  it('refuses any flipped byte of the gzip header and body, and what is not a checked gzip', async () => {
    const { bytes } = await written()
    for (const i of [0, 3, 12, 20, 48, 49, 60, bytes.length - 1]) {
      const bad = bytes.slice()
      bad[i] ^= 4
      await refused(bad, /integrity field|checksum mismatch|digest mismatch/)
    }
    await refused(bytes.subarray(0, 30), /truncated gzip header/)
    await refused(new TextEncoder().encode('not a gzip at all, just some text here, long enough for a header'), /integrity field/)
  })

  it('refuses corrupt deflate data even when its digest was recomputed', async () => {
    const { bytes } = await written()
    const body = bytes.slice(50)
    body[body.length - 5] ^= 0xff
    const forged = new Uint8Array(50 + body.length)
    forged.set(bytes.subarray(0, 50))
    forged.set(body, 50)
    const digest = await sha256Hex(body)
    for (let i = 0; i < 32; i++) forged[16 + i] = parseInt(digest.slice(2 * i, 2 * i + 2), 16)
    // The header CRC covers the digest: recompute it too, so only the deflate data is wrong.
    const { crc32 } = await import('./crc32.js')
    const crc = crc32(forged, 0, 48) & 0xffff
    forged[48] = crc & 0xff
    forged[49] = crc >> 8
    await refused(forged, /corrupt gzip data/)
  })
})
