/**
 * A job's page data (`GET /api/jobs/ID`): its record, its metrics per member against the
 * ensemble, what its files hold (per-fold metrics, members, blend, feature importance, a script's
 * log) and, for a tuning job, its trials and analysis.
 */
import type { JobRecord, TrackingStore } from '../../store/tracking/store.js'
import { jobSummary, type JobSummary } from './job-summary.js'
import { summariseArtifact, type ArtifactSummary } from './model-summary.js'
import { tuningView, type TuningView } from './tuning.js'

/** The whole of `GET /api/jobs/ID`. */
export interface JobDetail extends ArtifactSummary {
  readonly job: JobSummary & {
    readonly spec: unknown
    readonly metrics: Readonly<Record<string, number>>
    readonly timings: Readonly<Record<string, number>>
    readonly resources: Readonly<Record<string, number>>
    readonly artifact: string | null
    readonly data_fingerprint: string | null
    readonly details: Readonly<Record<string, unknown>>
  }
  /** Metric (`cv:rmse`) to `{ensemble: v, <member>: v}`. */
  readonly member_metrics: Readonly<Record<string, Readonly<Record<string, number>>>>
  readonly tuning: TuningView | null
}

/**
 * The page data of `job`.
 * @example (await jobDetail(store, store.getJob(id)!)).member_metrics['cv:rmse'].ensemble
 */
export async function jobDetail(store: TrackingStore, job: JobRecord): Promise<JobDetail> {
  const files = job.kind === 'training' ? await summariseArtifact(job.artifact) : { folds: null, members: null, blender: null, features: null, log: null }
  return {
    job: {
      ...jobSummary(job),
      spec: job.spec,
      metrics: job.metrics,
      timings: job.timings,
      resources: job.resources,
      artifact: job.artifact,
      data_fingerprint: job.dataFingerprint,
      details: job.details,
    },
    member_metrics: memberMetrics(job.metrics),
    ...files,
    tuning: job.kind === 'tuning' ? tuningView(store, job) : null,
  }
}

/**
 * Groups `cv:rmse`, `cv:rmse:xgb`, ... by metric, the ensemble's value under `ensemble`.
 * @example memberMetrics({ 'cv:rmse': 54, 'cv:rmse:xgb': 56 }) // { 'cv:rmse': { ensemble: 54, xgb: 56 } }
 */
export function memberMetrics(metrics: Readonly<Record<string, number>>): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {}
  for (const [key, value] of Object.entries(metrics)) {
    const [split, name, member] = key.split(':')
    const metric = name === undefined ? split : `${split}:${name}`
    out[metric] ??= {}
    out[metric][member ?? 'ensemble'] = value
  }
  return out
}
