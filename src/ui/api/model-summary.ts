/**
 * What a training job's files say beyond its record: `metrics.json` (the metric per fold) and
 * `model.tar.gz` (members with their kind and params, the blend's weights or the stack's
 * coefficients, each member's feature importance), and a training script's `train.log`. A job
 * whose files are gone (a tuning job keeps only its best trial's model) has none of these.
 */
import { existsSync, openSync, readFileSync, readSync, closeSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { loadBundle, MANIFEST_FILE, readArtifact } from '../../store/artifact/index.js'
import { featureImportance, type FeatureImportance } from '../importance.js'

/** A member of the saved model. */
export interface MemberSummary {
  readonly name: string
  readonly kind: string
  readonly params: Readonly<Record<string, unknown>>
  readonly importance: FeatureImportance | null
}

/** The blender as fitted: weights by member, or a stack's meta-model coefficients by input. */
export interface BlenderSummary {
  readonly kind: string
  readonly weights: Readonly<Record<string, number>> | null
  readonly coefficients: readonly { readonly input: string; readonly value: number }[] | null
  readonly intercept: readonly number[] | null
}

/** What the job's files hold; each part null when its file is missing. */
export interface ArtifactSummary {
  readonly folds: Readonly<Record<string, readonly number[]>> | null
  readonly members: readonly MemberSummary[] | null
  readonly blender: BlenderSummary | null
  readonly features: readonly string[] | null
  /** The last 64 KiB of a training script's log. */
  readonly log: string | null
}

const LOG_TAIL = 64 * 1024

/**
 * Reads the files next to `artifact` (see the file comment).
 * @example const { members, blender } = await summariseArtifact(job.artifact)
 */
export async function summariseArtifact(artifact: string | null): Promise<ArtifactSummary> {
  const none: ArtifactSummary = { folds: null, members: null, blender: null, features: null, log: null }
  if (artifact === null || artifact === '') return none
  const dir = dirname(artifact)
  const log = readTail(join(dir, 'train.log'))
  const metricsFile = join(dir, 'metrics.json')
  const folds = existsSync(metricsFile) ? ((JSON.parse(readFileSync(metricsFile, 'utf8')) as { folds?: Record<string, number[]> }).folds ?? null) : null
  if (!existsSync(artifact)) return { ...none, folds, log }
  // A training script's model folder has no manifest: there is nothing of ours to decode.
  if (!(await readArtifact(artifact)).some((f) => f.name === MANIFEST_FILE)) return { ...none, folds, log }
  const bundle = await loadBundle(artifact)
  const names = bundle.manifest.members.map((m) => m.name)
  const members = bundle.manifest.members.map((m, i) => ({
    name: m.name,
    kind: m.kind,
    params: m.params,
    importance: featureImportance(bundle.members[i].state as unknown as Parameters<typeof featureImportance>[0]),
  }))
  return { folds, members, blender: blenderSummary(bundle.blenderState as Record<string, unknown>, names), features: bundle.manifest.features.map((f) => f.name), log }
}

function blenderSummary(state: Record<string, unknown>, members: readonly string[]): BlenderSummary {
  const kind = String(state.kind)
  if (kind === 'weighted') {
    const weights = state.weights as readonly number[]
    return { kind, weights: Object.fromEntries(members.map((m, i) => [m, weights[i]])), coefficients: null, intercept: null }
  }
  if (kind === 'mean') return { kind, weights: Object.fromEntries(members.map((m) => [m, 1 / members.length])), coefficients: null, intercept: null }
  const meta = state.meta as Record<string, unknown> | undefined
  if (kind === 'stack' && meta?.kind === 'linear') {
    const inputs = meta.inputs as readonly { name: string }[]
    const coef = meta.coef as Float64Array
    // One coefficient per meta input and output; the meta inputs are the members' predictions (and passthrough columns).
    const coefficients = [...coef].map((value, i) => ({ input: inputs.length === coef.length ? inputs[i].name : `${inputs[i % inputs.length]?.name ?? i}[${Math.floor(i / inputs.length)}]`, value }))
    return { kind, weights: null, coefficients, intercept: [...(meta.intercept as Float64Array)] }
  }
  return { kind, weights: null, coefficients: null, intercept: null }
}

function readTail(file: string): string | null {
  if (!existsSync(file)) return null
  const size = statSync(file).size
  const length = Math.min(size, LOG_TAIL)
  const buf = Buffer.alloc(length)
  const fd = openSync(file, 'r')
  try {
    readSync(fd, buf, 0, length, size - length)
  } finally {
    closeSync(fd)
  }
  return buf.toString('utf8')
}
