/**
 * A model bundle as one self-contained JSON text, for a browser or an edge function that would
 * rather fetch JSON than unpack a `model.tar.gz`: the manifest as a JSON object, and every state
 * file (the same bytes the archive holds: plain fields plus typed arrays in binary) in base64.
 * Reading it runs the archive's checks (manifest, exactly the files named, every sha256, every
 * state decodable), so a JSON bundle predicts bit for bit what its `model.tar.gz` predicts.
 */
import { BundleError, type Location } from '../../errors.js'
import { encodeManifest, MANIFEST_FILE, type Manifest } from './manifest.js'
import { verifyBundle, type LoadedBundle } from './read.js'
import type { TarFile } from './tar.js'

/** The `format` field every JSON bundle carries. */
export const JSON_BUNDLE_FORMAT = 'consort-model+json'

/** The layout of a JSON bundle this code writes and reads. */
export const JSON_BUNDLE_VERSION = 1

/**
 * The parsed layout of a JSON bundle.
 * @example const doc: JsonBundle = { format: JSON_BUNDLE_FORMAT, version: 1, manifest, files: { 'xgb.state': 'Q1NUUw...' } }
 */
export interface JsonBundle {
  readonly format: typeof JSON_BUNDLE_FORMAT
  readonly version: number
  readonly manifest: Manifest
  /** Every file of the bundle but the manifest, by name, its bytes in base64. */
  readonly files: Readonly<Record<string, string>>
}

/**
 * The JSON text of a bundle given as its files (the archive's entries, manifest included).
 * @example const text = encodeJsonBundle(unpackTar(await gunzipChecked(bytes)))
 */
export function encodeJsonBundle(files: readonly TarFile[]): string {
  const manifest = files.find((f) => f.name === MANIFEST_FILE)
  if (manifest === undefined) throw new BundleError(`missing ${MANIFEST_FILE}`)
  const doc: JsonBundle = {
    format: JSON_BUNDLE_FORMAT,
    version: JSON_BUNDLE_VERSION,
    manifest: JSON.parse(new TextDecoder().decode(manifest.data)) as Manifest,
    files: Object.fromEntries(files.filter((f) => f.name !== MANIFEST_FILE).map((f) => [f.name, toBase64(f.data)])),
  }
  return JSON.stringify(doc) + '\n'
}

/**
 * Reads and verifies a JSON bundle: the same checks as `readBundle` (format versions, exactly the
 * files the manifest names, every sha256, every state). Any fault is a BundleError naming `file`
 * and the field.
 * @example const bundle = await readJsonBundle(await (await fetch('/model.json')).text())
 */
export async function readJsonBundle(text: string, file?: string): Promise<LoadedBundle> {
  const fail = (message: string, field?: string): never => {
    const where: Location = { ...(file === undefined ? {} : { file }), ...(field === undefined ? {} : { field }) }
    throw new BundleError(message, where)
  }
  let doc: unknown
  try {
    doc = JSON.parse(text, (key, value: unknown) => {
      if (key === '__proto__') throw new SyntaxError('__proto__ key')
      return value
    })
  } catch (e) {
    return fail(`not a JSON bundle: ${(e as Error).message}`)
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('a JSON bundle must be an object')
  const o = doc as Record<string, unknown>
  if (o.format !== JSON_BUNDLE_FORMAT) fail(`expected format '${JSON_BUNDLE_FORMAT}', got ${JSON.stringify(o.format)}`, 'format')
  if (typeof o.version !== 'number' || !Number.isInteger(o.version)) return fail('expected an integer version', 'version')
  if (o.version > JSON_BUNDLE_VERSION) {
    throw new BundleError(`JSON bundle version ${o.version} is newer than this version of consort reads (${JSON_BUNDLE_VERSION}); upgrade consort`, { ...(file === undefined ? {} : { file }), field: 'version' }, 'unsupported_bundle_version')
  }
  if (o.version !== JSON_BUNDLE_VERSION) fail(`unsupported JSON bundle version ${o.version}`, 'version')
  for (const key of Object.keys(o)) if (!['format', 'version', 'manifest', 'files'].includes(key)) fail(`unrecognized key '${key}'`, key)
  if (typeof o.manifest !== 'object' || o.manifest === null) return fail('expected the manifest object', 'manifest')
  if (typeof o.files !== 'object' || o.files === null || Array.isArray(o.files)) return fail('expected an object of files', 'files')
  const files: TarFile[] = [{ name: MANIFEST_FILE, data: encodeManifest(o.manifest as Manifest) }]
  for (const [name, data] of Object.entries(o.files as Record<string, unknown>)) {
    if (name === MANIFEST_FILE) fail(`'${MANIFEST_FILE}' belongs in 'manifest'`, `files.${name}`)
    if (typeof data !== 'string') return fail('expected base64 text', `files.${name}`)
    files.push({ name, data: fromBase64(data, () => fail('is not valid base64', `files.${name}`)) })
  }
  return verifyBundle(files, file)
}

/** Base64 of `bytes` with the web-standard `btoa`, a chunk at a time (no argument-count limit). */
function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

function fromBase64(text: string, bad: () => never): Uint8Array {
  let binary: string
  try {
    binary = atob(text)
  } catch {
    return bad()
  }
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}
