/**
 * A tuning job's trials as the tracking store keeps them: one row per trial number, Running until
 * its outcome arrives. Rows are plain data, so a trial run on another machine reports the same way.
 */

/** A trial's state: Running, or how it ended (Stopped: stopped early by a pruner). */
export type TrialStateName = 'Running' | 'Completed' | 'Failed' | 'Stopped'

/** How a trial ended, as {@link TrackingStore.endTrial} records it. */
export interface TrialOutcome {
  readonly state: 'Completed' | 'Failed' | 'Stopped'
  /** The objective (the last intermediate value for a Stopped trial). */
  readonly value?: number
  readonly intermediate?: readonly (readonly [number, number])[]
  readonly trainingJob?: string
  /** SageMaker's split of failures: RetryableError (the machine) or NonRetryableError (the input). */
  readonly failureKind?: 'RetryableError' | 'NonRetryableError'
  readonly reason?: string
}

/** One trial of a tuning job. */
export interface TrialRecord {
  readonly tuningJob: string
  readonly number: number
  readonly params: Readonly<Record<string, number | string | boolean>>
  readonly state: TrialStateName
  readonly value: number | null
  readonly intermediate: readonly (readonly [number, number])[]
  readonly trainingJob: string | null
  readonly failureKind: 'RetryableError' | 'NonRetryableError' | null
  readonly reason: string | null
  readonly startedAt: string
  readonly endedAt: string | null
}

/** A row of the `trials` table. */
export interface TrialRow {
  tuning_job: string
  number: number
  params: string
  state: TrialStateName
  value: number | null
  intermediate: string
  training_job: string | null
  failure_kind: 'RetryableError' | 'NonRetryableError' | null
  reason: string | null
  started_at: string
  ended_at: string | null
}

/** The record of a `trials` row. */
export function trialFromRow(r: TrialRow): TrialRecord {
  return {
    tuningJob: r.tuning_job,
    number: r.number,
    params: JSON.parse(r.params) as TrialRecord['params'],
    state: r.state,
    value: r.value,
    intermediate: JSON.parse(r.intermediate) as TrialRecord['intermediate'],
    trainingJob: r.training_job,
    failureKind: r.failure_kind,
    reason: r.reason,
    startedAt: r.started_at,
    endedAt: r.ended_at,
  }
}
