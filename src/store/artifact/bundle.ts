/**
 * Model bundles: a manifest plus one state file per member (and the blender's, when it has state),
 * each hashed in the manifest. Saving is atomic; loading verifies every hash and that the archive
 * holds exactly the files the manifest names, and only parses data.
 */
import { createHash } from 'node:crypto'
import { DataError } from '../../errors.js'
import type { ModelState } from '../../learners/types.js'
import { packageVersion } from '../../package.js'
import { readArtifact, writeArtifact, type ReadArtifactOptions, type WriteArtifactOptions } from './file.js'
import { decodeManifest, encodeManifest, FORMAT_VERSION, MANIFEST_FILE, type BlenderEntry, type Manifest } from './manifest.js'
import { decodeState, encodeState } from './state-codec.js'
import type { TarFile } from './tar.js'

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

/** What {@link loadBundle} returns: the verified manifest and every state, decoded. */
export interface LoadedBundle {
  readonly manifest: Manifest
  readonly members: readonly { readonly name: string; readonly state: ModelState }[]
  readonly blenderState: unknown
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
 * Reads and verifies a bundle: safe archive, valid manifest, exactly the files it names, every
 * sha256 matching, every state decodable and of the kind the manifest says. Any failure is a
 * DataError; nothing is written and no code from the bundle runs.
 * @example
 * const { manifest, members } = await loadBundle('model.tar.gz')
 * const models = members.map((m) => modelFromState(m.state))
 */
export async function loadBundle(path: string, options: ReadArtifactOptions = {}): Promise<LoadedBundle> {
  const fail = (message: string, field?: string): never => {
    throw new DataError(message, field === undefined ? { file: path } : { file: path, field })
  }
  const entries = new Map((await readArtifact(path, options)).map((e) => [e.name, e.data]))
  const manifestBytes = entries.get(MANIFEST_FILE)
  if (manifestBytes === undefined) return fail(`missing ${MANIFEST_FILE}`)
  const manifest = decodeManifest(manifestBytes, path)
  const claimed = new Set<string>([MANIFEST_FILE])
  const take = (file: string, hash: string | undefined, field: string): Uint8Array => {
    if (claimed.has(file)) fail(`file '${file}' is named twice`, field)
    claimed.add(file)
    const data = entries.get(file)
    if (data === undefined) return fail(`missing file '${file}'`, field)
    if (hash === undefined) return fail(`no sha256 for '${file}'`, field)
    if (sha256(data) !== hash) fail(`sha256 mismatch for '${file}'`, field)
    return data
  }
  const seen = new Set<string>()
  const members = manifest.members.map((m, i) => {
    const field = `members.${i}`
    if (seen.has(m.name)) fail(`duplicate member name '${m.name}'`, field)
    seen.add(m.name)
    const state = decodeState(take(m.file, m.sha256, field), path)
    if (!isModelState(state)) return fail(`state of member '${m.name}' lacks kind or version`, field)
    if (state.kind !== m.kind) fail(`member '${m.name}' is declared '${m.kind}' but its state is '${state.kind}'`, field)
    return { name: m.name, state }
  })
  let blenderState: unknown = undefined
  if (manifest.blender.file !== undefined) blenderState = decodeState(take(manifest.blender.file, manifest.blender.sha256, 'blender'), path)
  else if (manifest.blender.sha256 !== undefined) fail('blender sha256 without a file', 'blender')
  for (const name of entries.keys()) if (!claimed.has(name)) fail(`unexpected file '${name}' not named in ${MANIFEST_FILE}`)
  return { manifest, members, blenderState }
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

function isModelState(v: unknown): v is ModelState {
  return typeof v === 'object' && v !== null && typeof (v as { kind?: unknown }).kind === 'string' && typeof (v as { version?: unknown }).version === 'number'
}
