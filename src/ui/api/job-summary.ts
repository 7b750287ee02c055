/**
 * A job as the dashboard's lists show it: status, the objective metric, duration and cost, in
 * the snake_case of the `/api/` JSON.
 */
import type { JobRecord } from '../../store/tracking/store.js'

/** One row of `GET /api/jobs`. */
export interface JobSummary {
  readonly id: string
  readonly kind: string
  readonly name: string
  readonly status: string
  readonly created_at: string
  readonly updated_at: string
  readonly parent_id: string | null
  /** The job's objective: a training job's ensemble `cv:` (or `validation:`) metric, a tuning job's best. */
  readonly objective: { readonly metric: string; readonly value: number } | null
  readonly duration_s: number | null
  readonly cpu_seconds: number | null
  readonly data_reads: number | null
  readonly bytes_read: number | null
  readonly failure_reason: string | null
}

/**
 * The objective of a job's metrics: for a tuning job its only metric (the best trial's
 * objective); for a training job the ensemble's (no `:member` suffix), `validation:` first.
 * @example objectiveOf({ 'cv:rmse': 54, 'cv:rmse:xgb': 56 }) // { metric: 'cv:rmse', value: 54 }
 */
export function objectiveOf(metrics: Readonly<Record<string, number>>): JobSummary['objective'] {
  const ensemble = Object.keys(metrics).filter((k) => k.split(':').length === 2)
  const name = ensemble.find((k) => k.startsWith('validation:')) ?? ensemble.find((k) => k.startsWith('cv:')) ?? ensemble[0] ?? Object.keys(metrics)[0]
  return name === undefined ? null : { metric: name, value: metrics[name] }
}

/**
 * The list row of a job.
 * @example jobSummary(store.getJob(id)!).objective?.value
 */
export function jobSummary(job: JobRecord): JobSummary {
  const r = job.resources
  const wall = r.wallSeconds ?? job.timings.total
  return {
    id: job.id,
    kind: job.kind,
    name: job.name,
    status: job.status,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    parent_id: job.parentId,
    objective: objectiveOf(job.metrics),
    // A running job has no measured wall time yet: its age so far.
    duration_s: wall ?? (job.status === 'InProgress' ? (Date.now() - Date.parse(job.createdAt)) / 1000 : null),
    cpu_seconds: r.cpuSeconds ?? null,
    data_reads: r.dataReads ?? null,
    bytes_read: r.bytesRead ?? null,
    failure_reason: job.failureReason,
  }
}
