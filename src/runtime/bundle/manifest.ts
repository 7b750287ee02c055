/**
 * `manifest.json` of a model bundle: what the bundle holds and where it came from. The parts other
 * code fills (blender params, metrics, provenance) are typed here and passed through unchanged.
 * Validated by hand rather than with a schema library, so the runtime needs no package at all.
 */
import { BundleError, type Location } from '../../errors.js'
import type { Task } from '../../task.js'

/** The manifest layout this code writes and reads. */
export const FORMAT_VERSION = 1

/** Name of the manifest entry in the archive. */
export const MANIFEST_FILE = 'manifest.json'

/** One feature column the bundle's models read. */
export interface FeatureEntry {
  name: string
  type: 'numeric' | 'categorical'
  categories?: string[]
}

/** One member model: its kind, the params it was trained with and its state file with sha256. */
export interface MemberEntry {
  name: string
  kind: string
  params: Record<string, unknown>
  file: string
  sha256: string
}

/** The blender: its kind and params, and its state file when it has fitted state. */
export interface BlenderEntry {
  kind: string
  params?: Record<string, unknown>
  file?: string
  sha256?: string
}

/** Where the bundle came from: the data's fingerprint, the job spec, timings in seconds. */
export interface Provenance {
  dataFingerprint: string
  spec: unknown
  timings: Record<string, number>
}

/**
 * The whole `manifest.json`. Metrics are final values by name; null for a value that is not finite.
 * @example
 * manifest.members.map((m) => `${m.name}: ${m.kind}`) // ['xgb: gbdt', 'cat: oblivious']
 */
export interface Manifest {
  formatVersion: number
  libraryVersion: string
  createdAt: string
  task: Task
  features: FeatureEntry[]
  members: MemberEntry[]
  blender: BlenderEntry
  metrics: Record<string, number | null>
  provenance: Provenance
}

/**
 * Serialises a manifest (stable two-space JSON; non-finite metrics become null as in JSON).
 * @example const bytes = encodeManifest(manifest)
 */
export function encodeManifest(manifest: Manifest): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(manifest, null, 2) + '\n')
}

/**
 * Parses and validates `manifest.json`. A newer format version is a BundleError with code
 * `unsupported_bundle_version`, checked before anything else (a newer layout may not parse);
 * anything malformed, unknown keys and a `__proto__` key included, is one with code
 * `invalid_bundle` naming the field.
 * @example const manifest = decodeManifest(bytes, 'model.tar.gz')
 */
export function decodeManifest(bytes: Uint8Array, file?: string): Manifest {
  const where = (field?: string): Location => ({ ...(file === undefined ? {} : { file }), ...(field === undefined ? {} : { field }) })
  let raw: unknown
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes), (key, value: unknown) => {
      if (key === '__proto__') throw new SyntaxError('__proto__ key')
      return value
    })
  } catch (e) {
    throw new BundleError(`${MANIFEST_FILE} is not valid JSON: ${(e as Error).message}`, where())
  }
  const version = isRecord(raw) ? raw.formatVersion : undefined
  if (typeof version === 'number' && Number.isInteger(version) && version > FORMAT_VERSION) {
    const by = typeof raw === 'object' && raw !== null && typeof (raw as { libraryVersion?: unknown }).libraryVersion === 'string' ? ` by consort ${(raw as { libraryVersion: string }).libraryVersion}` : ''
    throw new BundleError(
      `bundle format version ${version} was written${by} and is newer than this version of consort reads (${FORMAT_VERSION}); upgrade consort to load it`,
      where('formatVersion'),
      'unsupported_bundle_version',
    )
  }
  const manifest = new ManifestCheck((path, message) => {
    throw new BundleError(`invalid ${MANIFEST_FILE}: ${message}`, where([MANIFEST_FILE, ...path].join('.')))
  }).manifest(raw)
  if (manifest.formatVersion !== FORMAT_VERSION) {
    throw new BundleError(`unsupported bundle format version ${manifest.formatVersion} (this version reads ${FORMAT_VERSION})`, where('formatVersion'))
  }
  return manifest
}

type Path = readonly (string | number)[]
type Fail = (path: Path, message: string) => never

const SHA256 = /^[0-9a-f]{64}$/

/** The manifest's layout, checked field by field; each check returns the value with its type. */
class ManifestCheck {
  constructor(private readonly fail: Fail) {}

  manifest(v: unknown): Manifest {
    const o = this.object(v, [], ['formatVersion', 'libraryVersion', 'createdAt', 'task', 'features', 'members', 'blender', 'metrics', 'provenance'], [])
    return {
      formatVersion: this.integer(o.formatVersion, ['formatVersion']),
      libraryVersion: this.string(o.libraryVersion, ['libraryVersion']),
      createdAt: this.string(o.createdAt, ['createdAt']),
      task: this.oneOf(o.task, ['task'], ['regression', 'binary', 'multiclass'] as const),
      features: this.array(o.features, ['features']).map((f, i) => this.feature(f, ['features', i])),
      members: this.array(o.members, ['members']).map((m, i) => this.member(m, ['members', i])),
      blender: this.blender(o.blender, ['blender']),
      metrics: this.record(o.metrics, ['metrics'], (x, p) => (x === null ? null : this.number(x, p))),
      provenance: this.provenance(o.provenance, ['provenance']),
    }
  }

  private feature(v: unknown, path: Path): FeatureEntry {
    const o = this.object(v, path, ['name', 'type'], ['categories'])
    const entry: FeatureEntry = { name: this.string(o.name, [...path, 'name']), type: this.oneOf(o.type, [...path, 'type'], ['numeric', 'categorical'] as const) }
    if (o.categories !== undefined) entry.categories = this.array(o.categories, [...path, 'categories']).map((c, i) => this.string(c, [...path, 'categories', i]))
    return entry
  }

  private member(v: unknown, path: Path): MemberEntry {
    const o = this.object(v, path, ['name', 'kind', 'params', 'file', 'sha256'], [])
    return {
      name: this.string(o.name, [...path, 'name'], 1),
      kind: this.string(o.kind, [...path, 'kind'], 1),
      params: this.record(o.params, [...path, 'params'], (x) => x),
      file: this.string(o.file, [...path, 'file']),
      sha256: this.sha256(o.sha256, [...path, 'sha256']),
    }
  }

  private blender(v: unknown, path: Path): BlenderEntry {
    const o = this.object(v, path, ['kind'], ['params', 'file', 'sha256'])
    const entry: BlenderEntry = { kind: this.string(o.kind, [...path, 'kind'], 1) }
    if (o.params !== undefined) entry.params = this.record(o.params, [...path, 'params'], (x) => x)
    if (o.file !== undefined) entry.file = this.string(o.file, [...path, 'file'])
    if (o.sha256 !== undefined) entry.sha256 = this.sha256(o.sha256, [...path, 'sha256'])
    return entry
  }

  private provenance(v: unknown, path: Path): Provenance {
    const o = this.object(v, path, ['dataFingerprint', 'spec', 'timings'], [])
    return {
      dataFingerprint: this.string(o.dataFingerprint, [...path, 'dataFingerprint']),
      spec: o.spec,
      timings: this.record(o.timings, [...path, 'timings'], (x, p) => this.number(x, p)),
    }
  }

  /** A plain object with every `required` key and no key outside `required` and `optional`. */
  private object(v: unknown, path: Path, required: readonly string[], optional: readonly string[]): Record<string, unknown> {
    if (!isRecord(v)) return this.fail(path, `expected an object, got ${kindOf(v)}`)
    for (const key of required) if (!Object.hasOwn(v, key)) this.fail([...path, key], 'missing')
    for (const key of Object.keys(v)) if (!required.includes(key) && !optional.includes(key)) this.fail([...path, key], `unrecognized key '${key}'`)
    return v
  }

  private record<T>(v: unknown, path: Path, item: (x: unknown, path: Path) => T): Record<string, T> {
    if (!isRecord(v)) return this.fail(path, `expected an object, got ${kindOf(v)}`)
    const out: Record<string, T> = {}
    for (const [key, x] of Object.entries(v)) out[key] = item(x, [...path, key])
    return out
  }

  private array(v: unknown, path: Path): unknown[] {
    return Array.isArray(v) ? v : this.fail(path, `expected an array, got ${kindOf(v)}`)
  }

  private string(v: unknown, path: Path, minLength = 0): string {
    if (typeof v !== 'string') return this.fail(path, `expected a string, got ${kindOf(v)}`)
    return v.length >= minLength ? v : this.fail(path, 'expected a non-empty string')
  }

  private number(v: unknown, path: Path): number {
    return typeof v === 'number' ? v : this.fail(path, `expected a number, got ${kindOf(v)}`)
  }

  private integer(v: unknown, path: Path): number {
    return Number.isInteger(v) ? (v as number) : this.fail(path, `expected an integer, got ${kindOf(v)}`)
  }

  private sha256(v: unknown, path: Path): string {
    const s = this.string(v, path)
    return SHA256.test(s) ? s : this.fail(path, 'expected a lowercase hex sha256')
  }

  private oneOf<const T extends readonly string[]>(v: unknown, path: Path, values: T): T[number] {
    return typeof v === 'string' && values.includes(v) ? v : this.fail(path, `expected one of ${values.map((x) => `'${x}'`).join(', ')}, got ${kindOf(v)}`)
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** How a JSON value is named in messages. */
function kindOf(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 37) + '...' : v)
  return typeof v === 'object' ? 'an object' : typeof v === 'undefined' ? 'nothing' : String(v)
}
