/**
 * A tuning job's trials as a table, with the columns of SageMaker's `tuner.analytics().dataframe()`:
 * one column per tuned range, then TrainingJobName, TrainingJobStatus, FinalObjectiveValue,
 * TrainingStartTime, TrainingEndTime and TrainingElapsedTimeSeconds.
 */
import type { TrialRecord } from '../../store/tracking/store.js'

/** One row per trial, in trial order; values as JSON scalars (null where there is none). */
export interface AnalyticsTable {
  readonly columns: readonly string[]
  readonly rows: readonly (readonly (string | number | boolean | null)[])[]
}

const FIXED = ['TrainingJobName', 'TrainingJobStatus', 'FinalObjectiveValue', 'TrainingStartTime', 'TrainingEndTime', 'TrainingElapsedTimeSeconds']

/**
 * The analytics table of `trials` over the ranges `rangeNames`.
 * @example analyticsTable(store.listTrials(job), ['eta', 'max_depth']).columns // ['eta', 'max_depth', 'TrainingJobName', ...]
 */
export function analyticsTable(trials: readonly TrialRecord[], rangeNames: readonly string[]): AnalyticsTable {
  const rows = trials.map((t) => {
    const elapsed = t.endedAt === null ? null : (Date.parse(t.endedAt) - Date.parse(t.startedAt)) / 1000
    return [
      ...rangeNames.map((name) => t.params[name] ?? null),
      t.trainingJob,
      t.state === 'Running' ? 'InProgress' : t.state,
      t.value,
      t.startedAt,
      t.endedAt,
      elapsed,
    ]
  })
  return { columns: [...rangeNames, ...FIXED], rows }
}

/**
 * The table as CSV (RFC 4180: fields with a comma, quote or line break are quoted).
 * @example toCsv({ columns: ['a'], rows: [[1], ['x,y']] }) // 'a\n1\n"x,y"\n'
 */
export function toCsv(table: AnalyticsTable): string {
  const field = (v: string | number | boolean | null): string => {
    const text = v === null ? '' : String(v)
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
  }
  return [table.columns, ...table.rows].map((row) => row.map(field).join(',')).join('\n') + '\n'
}
