/**
 * A tuning job as its dashboard page shows it: every trial with its objective and the best so far
 * (in trial-number order, the optimisation history), the tuned ranges, parameter importance, the
 * status counters, the member cache's hit rate and the ensemble selection across trials against
 * the best trial, all from the tracking store.
 */
import type { JobRecord, TrackingStore, TrialRecord } from '../../store/tracking/store.js'
import { paramImportance, type ParamImportance } from '../param-importance.js'

/** One trial of `GET /api/jobs/ID` (tuning) and of the live events. */
export interface TrialView {
  readonly number: number
  readonly state: string
  readonly value: number | null
  /** The best objective among trials up to this one (by number), null before the first. */
  readonly best_so_far: number | null
  readonly params: Readonly<Record<string, number | string | boolean>>
  readonly training_job: string | null
  readonly started_at: string
  readonly ended_at: string | null
  readonly seconds: number | null
  readonly reason: string | null
}

/** The tuning part of a tuning job's view. */
export interface TuningView {
  readonly objective: { readonly metric: string; readonly direction: 'minimize' | 'maximize' }
  readonly ranges: readonly { readonly name: string; readonly type: string; readonly min?: number; readonly max?: number; readonly values?: readonly unknown[] }[]
  readonly trials: readonly TrialView[]
  readonly counters: Readonly<Record<string, number>>
  readonly best: unknown
  readonly parameter_importance: ParamImportance
  readonly cache_hit_rate: number | null
  readonly ensemble_selection: unknown
  readonly completion: string | null
}

interface TuningSpecShape {
  objective?: { metric?: string; direction?: string }
  ranges?: { name: string; type: string; min?: number; max?: number; values?: unknown[] }[]
}

/**
 * The tuning view of `job` (a tuning job) and its trials.
 * @example tuningView(store, store.getJob(id)!).trials.map((t) => t.value)
 */
export function tuningView(store: TrackingStore, job: JobRecord): TuningView {
  const spec = (job.spec ?? {}) as TuningSpecShape
  const direction = spec.objective?.direction === 'maximize' ? 'maximize' : 'minimize'
  const details = job.details as { counters?: Record<string, number>; best?: unknown; cost?: { cacheHitRate?: number }; ensembleSelection?: unknown; completion?: string | null }
  const trials = trialViews(store.listTrials(job.id), direction)
  return {
    objective: { metric: spec.objective?.metric ?? Object.keys(job.metrics)[0] ?? 'objective', direction },
    ranges: (spec.ranges ?? []).map((r) => ({ name: r.name, type: r.type, min: r.min, max: r.max, values: r.values })),
    trials,
    counters: details.counters ?? countStates(trials),
    best: details.best ?? null,
    parameter_importance: paramImportance(trials.filter((t) => t.value !== null && t.state === 'Completed').map((t) => ({ params: t.params, value: t.value! }))),
    cache_hit_rate: details.cost?.cacheHitRate ?? null,
    ensemble_selection: details.ensembleSelection ?? null,
    completion: details.completion ?? null,
  }
}

/**
 * Trials as the API shows them, with the best objective so far in number order.
 * @example trialViews(store.listTrials(id), 'minimize').at(-1)?.best_so_far
 */
export function trialViews(trials: readonly TrialRecord[], direction: 'minimize' | 'maximize'): TrialView[] {
  let best: number | null = null
  return [...trials]
    .sort((a, b) => a.number - b.number)
    .map((t) => {
      if (t.state === 'Completed' && t.value !== null && Number.isFinite(t.value)) {
        if (best === null || (direction === 'minimize' ? t.value < best : t.value > best)) best = t.value
      }
      return {
        number: t.number,
        state: t.state,
        value: t.value,
        best_so_far: best,
        params: t.params,
        training_job: t.trainingJob,
        started_at: t.startedAt,
        ended_at: t.endedAt,
        seconds: t.endedAt === null ? null : (Date.parse(t.endedAt) - Date.parse(t.startedAt)) / 1000,
        reason: t.reason,
      }
    })
}

/** Counters from the trials, for a job that has not recorded its own yet. */
function countStates(trials: readonly TrialView[]): Record<string, number> {
  const c: Record<string, number> = { Completed: 0, InProgress: 0, Failed: 0, Stopped: 0 }
  for (const t of trials) c[t.state === 'Running' ? 'InProgress' : t.state] = (c[t.state === 'Running' ? 'InProgress' : t.state] ?? 0) + 1
  return c
}
