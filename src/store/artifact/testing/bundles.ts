/**
 * Broken copies of a good `model.tar.gz`, for tests of everything that loads bundles (the CLI,
 * the server): one tampered with after it was written, one written by a newer format version.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { MANIFEST_FILE } from '../../../runtime/bundle/manifest.js'
import { readArtifact, writeArtifact } from '../file.js'

/**
 * Copies the bundle at `source` to `target` with one member's state changed after its sha256 was
 * recorded (a valid archive whose manifest no longer matches), or, with `flipByte`, with one byte
 * of the compressed file flipped.
 * @example await tamperedCopy('model.tar.gz', 'tampered.tar.gz')
 */
export async function tamperedCopy(source: string, target: string, options: { flipByte?: boolean } = {}): Promise<string> {
  if (options.flipByte) {
    const bytes = await readFile(source)
    bytes[bytes.length - 20] ^= 1
    await writeFile(target, bytes)
    return target
  }
  const files = await readArtifact(source)
  const member = files.find((f) => f.name.startsWith('members/'))!
  const changed = member.data.slice()
  changed[changed.length - 1] ^= 1
  await writeArtifact(target, files.map((f) => (f === member ? { name: f.name, data: changed } : f)))
  return target
}

/**
 * Copies the bundle at `source` to `target` as a newer consort would write it: a higher format
 * version, a newer library version and a field this version does not know.
 * @example await newerFormatCopy('model.tar.gz', 'future.tar.gz')
 */
export async function newerFormatCopy(source: string, target: string, formatVersion = 2): Promise<string> {
  const files = await readArtifact(source)
  const rewritten = files.map((f) => {
    if (f.name !== MANIFEST_FILE) return f
    const manifest = JSON.parse(new TextDecoder().decode(f.data)) as Record<string, unknown>
    const newer = { ...manifest, formatVersion, libraryVersion: '99.0.0', signature: 'a field of the newer format' }
    return { name: f.name, data: new TextEncoder().encode(JSON.stringify(newer)) }
  })
  await writeArtifact(target, rewritten)
  return target
}
