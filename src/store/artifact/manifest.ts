/**
 * `manifest.json` of a model bundle: what the bundle holds and where it came from. The parts other
 * code fills (blender params, metrics, provenance) are typed here and passed through unchanged.
 */
import { z } from 'zod'
import { DataError } from '../../errors.js'

/** The manifest layout this code writes and reads. */
export const FORMAT_VERSION = 1

/** Name of the manifest entry in the archive. */
export const MANIFEST_FILE = 'manifest.json'

const jsonValue: z.ZodType<unknown> = z.unknown()

const featureSchema = z.strictObject({
  name: z.string(),
  type: z.enum(['numeric', 'categorical']),
  categories: z.array(z.string()).optional(),
})

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256')

const memberSchema = z.strictObject({
  name: z.string().min(1),
  kind: z.string().min(1),
  params: z.record(z.string(), jsonValue),
  file: z.string(),
  sha256,
})

const blenderSchema = z.strictObject({
  kind: z.string().min(1),
  params: z.record(z.string(), jsonValue).optional(),
  file: z.string().optional(),
  sha256: sha256.optional(),
})

const provenanceSchema = z.strictObject({
  dataFingerprint: z.string(),
  spec: jsonValue,
  timings: z.record(z.string(), z.number()),
})

const manifestSchema = z.strictObject({
  formatVersion: z.number().int(),
  libraryVersion: z.string(),
  createdAt: z.string(),
  task: z.enum(['regression', 'binary', 'multiclass']),
  features: z.array(featureSchema),
  members: z.array(memberSchema),
  blender: blenderSchema,
  metrics: z.record(z.string(), z.number().nullable()),
  provenance: provenanceSchema,
})

/** One feature column the bundle's models read. */
export type FeatureEntry = z.infer<typeof featureSchema>
/** One member model: its kind, the params it was trained with and its state file with sha256. */
export type MemberEntry = z.infer<typeof memberSchema>
/** The blender: its kind and params, and its state file when it has fitted state. */
export type BlenderEntry = z.infer<typeof blenderSchema>
/** Where the bundle came from: the data's fingerprint, the job spec, timings in seconds. */
export type Provenance = z.infer<typeof provenanceSchema>
/** The whole `manifest.json`. Metrics are final values by name; null for a value that is not finite. */
export type Manifest = z.infer<typeof manifestSchema>

/**
 * Serialises a manifest (stable two-space JSON; non-finite metrics become null as in JSON).
 * @example const bytes = encodeManifest(manifest)
 */
export function encodeManifest(manifest: Manifest): Uint8Array {
  return Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8')
}

/**
 * Parses and validates `manifest.json`; anything malformed, an unsupported format version or a
 * `__proto__` key is a DataError naming the field.
 * @example const manifest = decodeManifest(bytes, 'model.tar.gz')
 */
export function decodeManifest(bytes: Uint8Array, file?: string): Manifest {
  const where = (field?: string) => ({ ...(file === undefined ? {} : { file }), ...(field === undefined ? {} : { field }) })
  let raw: unknown
  try {
    raw = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), (key, value: unknown) => {
      if (key === '__proto__') throw new SyntaxError('__proto__ key')
      return value
    })
  } catch (e) {
    throw new DataError(`${MANIFEST_FILE} is not valid JSON: ${(e as Error).message}`, where())
  }
  const parsed = manifestSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new DataError(`invalid ${MANIFEST_FILE}: ${issue.message}`, where([MANIFEST_FILE, ...issue.path.map(String)].join('.')))
  }
  if (parsed.data.formatVersion !== FORMAT_VERSION) {
    throw new DataError(`unsupported bundle format version ${parsed.data.formatVersion} (this version reads ${FORMAT_VERSION})`, where('formatVersion'))
  }
  return parsed.data
}
