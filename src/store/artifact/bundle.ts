/**
 * Model bundles on disk: a manifest plus one state file per member (and the blender's, when it
 * has state), each hashed in the manifest. Saving is atomic; loading reads the file into bytes
 * and leaves every check and all decoding to the runtime's bundle reader, the one path serving
 * uses too.
 */
import { createHash } from 'node:crypto'
import { packageVersion } from '../../package.js'
import { decodeManifest, encodeManifest, FORMAT_VERSION, MANIFEST_FILE, type BlenderEntry, type Manifest } from '../../runtime/bundle/manifest.js'
import { readBundle, type LoadedBundle } from '../../runtime/bundle/read.js'
import { encodeState } from '../../runtime/bundle/state-codec.js'
import type { TarFile } from '../../runtime/bundle/tar.js'
import type { ModelState } from '../../runtime/models/types.js'
import { readArtifactBytes, writeArtifact, type ReadArtifactOptions, type WriteArtifactOptions } from './file.js'

export type { LoadedBundle } from '../../runtime/bundle/read.js'

/** The manifest fields a caller provides; format, library version, files and hashes are filled in. */
export interface ManifestInput {
  readonly task: Manifest['task']
  readonly features: Manifest['features']
  readonly blender: Omit<BlenderEntry, 'file' | 'sha256'>
  readonly metrics: Manifest['metrics']
  readonly provenance: Manifest['provenance']
  /** ISO time; now when absent. */
  readonly createdAt?: string
}

/** A member to save: its name in the ensemble, fitted state and training params. */
export interface MemberInput {
  readonly name: string
  readonly state: ModelState
  readonly params?: Readonly<Record<string, unknown>>
}

/** What {@link saveBundle} writes. */
export interface BundleInput {
  readonly manifest: ManifestInput
  readonly members: readonly MemberInput[]
  /** The fitted blender's state (plain data and typed arrays), when it has any. */
  readonly blenderState?: unknown
}

const BLENDER_FILE = 'blender.state'

/**
 * Writes a bundle to `path` atomically (see {@link writeArtifact}) and returns its manifest.
 * @example
 * await saveBundle('out/model.tar.gz', {
 *   manifest: { task: 'regression', features, blender: { kind: 'mean' }, metrics: { 'cv:rmse': 54.2 },
 *     provenance: { dataFingerprint, spec, timings: { fit: 1.4 } } },
 *   members: [{ name: 'xgb', state: model.toState(), params }],
 * })
 */
export async function saveBundle(path: string, bundle: BundleInput, options: WriteArtifactOptions = {}): Promise<Manifest> {
  const files: TarFile[] = []
  const names = new Set<string>()
  const members = bundle.members.map((m, i) => {
    if (names.has(m.name)) throw new RangeError(`duplicate member name '${m.name}'`)
    names.add(m.name)
    const file = `members/${String(i).padStart(3, '0')}-${slug(m.name)}.state`
    const data = encodeState(m.state)
    files.push({ name: file, data })
    return { name: m.name, kind: m.state.kind, params: { ...(m.params ?? {}) }, file, sha256: sha256(data) }
  })
  const blender: BlenderEntry = { ...bundle.manifest.blender }
  if (bundle.blenderState !== undefined) {
    const data = encodeState(bundle.blenderState)
    files.push({ name: BLENDER_FILE, data })
    blender.file = BLENDER_FILE
    blender.sha256 = sha256(data)
  }
  const { createdAt, ...rest } = bundle.manifest
  const manifest: Manifest = {
    formatVersion: FORMAT_VERSION,
    libraryVersion: packageVersion(),
    createdAt: createdAt ?? new Date().toISOString(),
    ...rest,
    members,
    blender,
  }
  // Check before writing that the manifest reads back as written (JSON drops what it cannot hold).
  const manifestBytes = encodeManifest(manifest)
  const written = decodeManifest(manifestBytes)
  await writeArtifact(path, [{ name: MANIFEST_FILE, data: manifestBytes }, ...files], options)
  return written
}

/**
 * Reads and verifies a bundle file with the runtime's reader (`readBundle`): safe archive, valid
 * manifest, exactly the files it names, every sha256 matching, every state decodable and of the
 * kind the manifest says. A file that cannot be read is a DataError (code `not_found` when it is
 * not there); a bundle that fails a check is a BundleError. Nothing is written and no code from
 * the bundle runs.
 * @example
 * const { manifest, members } = await loadBundle('model.tar.gz')
 * const models = members.map((m) => modelFromState(m.state))
 */
export async function loadBundle(path: string, options: ReadArtifactOptions = {}): Promise<LoadedBundle> {
  return readBundle(await readArtifactBytes(path, options), { maxBytes: options.maxBytes, file: path })
}

/**
 * The manifest of a bundle after full verification (hashes, files, states), for `consort inspect`.
 * @example const manifest = await inspectBundle('model.tar.gz')
 */
export async function inspectBundle(path: string, options: ReadArtifactOptions = {}): Promise<Manifest> {
  return (await loadBundle(path, options)).manifest
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** A file-name-safe form of a member name; uniqueness comes from the index prefix. */
function slug(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'member'
}

