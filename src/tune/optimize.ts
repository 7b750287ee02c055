/**
 * The whole tuning loop in one call, as Optuna's `study.optimize`: up to `maxParallel` objectives
 * run at once, each new trial asked for as a slot frees (so the strategy sees the running trials),
 * until the study stops (maxJobs, a completion criterion, an exhausted space, or the caller's
 * abort signal). An objective that throws fails its trial and the study goes on; one that the
 * pruner stopped ends Stopped, with the value it returns or else its last report.
 */
import { ParamError } from '../errors.js'
import type { Study, StudyOptions, Trial } from './study.js'
import { createStudy } from './study.js'
import type { Params, TrialView } from './types.js'

/** The function tuned: the objective of a point, reporting along the way through `trial`. */
export type Objective = (params: Params, trial: Trial) => number | undefined | Promise<number | undefined>

export interface OptimizeOptions extends StudyOptions {
  readonly objective: Objective
  /** Objectives running at once (default 1). */
  readonly maxParallel?: number
  /** Once aborted, no new trial starts; running ones finish. */
  readonly signal?: AbortSignal
  /** Called as each trial ends. */
  readonly onTrialEnd?: (trial: TrialView, study: Study) => void
}

export interface OptimizeResult {
  readonly study: Study
  readonly best: TrialView | undefined
  readonly trials: TrialView[]
  /** Why the study stopped. */
  readonly stopReason: string | null
}

/**
 * Runs a study to its end.
 * @example
 * const { best } = await optimize({
 *   ranges: [{ name: 'x', type: 'continuous', min: -5, max: 5, scaling: 'Linear' }],
 *   direction: 'minimize', strategy: 'Bayesian', seed: 1, maxJobs: 20, maxParallel: 2,
 *   objective: async ({ x }) => ((x as number) - 1) ** 2,
 * })
 * best?.params.x // close to 1
 */
export async function optimize(options: OptimizeOptions): Promise<OptimizeResult> {
  const maxParallel = options.maxParallel ?? 1
  if (!Number.isInteger(maxParallel) || maxParallel < 1) throw new ParamError(`maxParallel must be a positive integer, got ${maxParallel}`, { field: 'maxParallel' })
  const study = createStudy(options)
  const running = new Set<Promise<void>>()

  const run = async (trial: Trial): Promise<void> => {
    let view: TrialView
    try {
      const value = await options.objective(trial.params, trial)
      if (trial.pruned) view = study.tell(trial, { state: 'Stopped', value: typeof value === 'number' && Number.isFinite(value) ? value : undefined })
      else if (typeof value !== 'number') view = study.tell(trial, { state: 'Failed', reason: `the objective returned ${String(value)}, not a number` })
      else view = study.tell(trial, value)
    } catch (err) {
      view = trial.pruned ? study.tell(trial, { state: 'Stopped' }) : study.tell(trial, { state: 'Failed', reason: err instanceof Error ? err.message : String(err) })
    }
    options.onTrialEnd?.(view, study)
  }

  while (true) {
    if (options.signal?.aborted) study.stop('aborted')
    const free = maxParallel - running.size
    if (free > 0 && study.stopReason() === null) {
      for (const trial of study.askMany(free)) {
        const p: Promise<void> = run(trial).finally(() => running.delete(p))
        running.add(p)
      }
    }
    if (running.size === 0) break
    await Promise.race(running)
  }
  return { study, best: study.best, trials: study.trials, stopReason: study.stopReason() }
}
