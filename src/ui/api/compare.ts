/**
 * Jobs side by side (`GET /api/compare?ids=A,B`): each job's metrics and parameters, and the union
 * of their names so a table lines them up. A training job's parameters are its members' params
 * (`xgb.eta`), the shared hyperparameters (`eta`) and the blend (`blend.method`); a tuning
 * trial's are its tuned values; a tuning job's are its best trial's.
 */
import type { JobRecord, TrackingStore } from '../../store/tracking/store.js'
import { HttpError } from './errors.js'
import { jobSummary, type JobSummary } from './job-summary.js'

/** One compared job. */
export interface ComparedJob extends JobSummary {
  readonly metrics: Readonly<Record<string, number>>
  readonly params: Readonly<Record<string, unknown>>
}

/** The comparison: the jobs in the order asked, and every metric and parameter name among them. */
export interface Comparison {
  readonly jobs: readonly ComparedJob[]
  readonly metric_names: readonly string[]
  readonly param_names: readonly string[]
}

/** The most jobs one comparison takes. */
export const MAX_COMPARED = 20

/**
 * Compares the jobs `ids` (two or more).
 * @throws HttpError `invalid_input` for fewer than two or more than {@link MAX_COMPARED} ids, `not_found` naming a missing one.
 * @example compareJobs(store, ['a', 'b']).metric_names
 */
export function compareJobs(store: TrackingStore, ids: readonly string[]): Comparison {
  const unique = [...new Set(ids.filter((id) => id !== ''))]
  if (unique.length < 2 || unique.length > MAX_COMPARED) throw new HttpError('invalid_input', `query parameter 'ids' must name 2 to ${MAX_COMPARED} jobs, comma-separated; got ${unique.length}`)
  const jobs = unique.map((id) => {
    const job = store.getJob(id)
    if (job === undefined) throw new HttpError('not_found', `no job '${id}'`)
    return { ...jobSummary(job), metrics: job.metrics, params: jobParams(job) }
  })
  const names = (f: (j: ComparedJob) => object): string[] => [...new Set(jobs.flatMap((j) => Object.keys(f(j))))].sort()
  return { jobs, metric_names: names((j) => j.metrics), param_names: names((j) => j.params) }
}

/**
 * The parameters of a job, flattened (see the file comment).
 * @example jobParams(job) // { 'xgb.num_round': 20, eta: 0.3, 'blend.method': 'mean' }
 */
export function jobParams(job: JobRecord): Record<string, unknown> {
  const spec = (job.spec ?? {}) as Record<string, unknown>
  if (job.kind === 'tuning') return { ...(((job.details.best as { params?: object } | null)?.params ?? {}) as Record<string, unknown>) }
  // A tuning trial's training job records the tuned values beside the spec it started from.
  if (spec.params !== undefined && spec.training !== undefined) return { ...trainingParams(spec.training as Record<string, unknown>), ...(spec.params as Record<string, unknown>) }
  return trainingParams(spec)
}

function trainingParams(spec: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, member] of Object.entries((spec.members ?? {}) as Record<string, { learner?: string; params?: Record<string, unknown> }>)) {
    if (member.learner !== undefined) out[`${name}.learner`] = member.learner
    for (const [k, v] of Object.entries(member.params ?? {})) out[`${name}.${k}`] = v
  }
  for (const [k, v] of Object.entries((spec.hyperparameters ?? {}) as Record<string, unknown>)) out[k] = v
  const blend = spec.blend as { method?: string } | undefined
  if (blend?.method !== undefined) out['blend.method'] = blend.method
  return out
}
