/**
 * An in-process study with Optuna's ask/tell API: the study asks its strategy for points, hands
 * them out as trials, takes intermediate reports (and answers whether a trial should stop early),
 * and records how each trial ended. It keeps no clock and does no I/O, so the tuning job's loop,
 * {@link optimize} and a library user's own loop all drive the same object; a study can start from
 * the trials of an earlier one (a resume, or a warm start with other ranges).
 *
 * The best trial is the best Completed one (a Stopped trial only did part of the work); only when
 * no trial has completed is it the best Stopped one.
 */
import { ParamError } from '../errors.js'
import { checkCompletion, completionCheck, type CompletionCriteria } from './completion.js'
import type { HyperbandOptions } from './pruners/hyperband.js'
import { bestTrial } from './pruners/reports.js'
import { getStrategy } from './strategies/index.js'
import { nextTrialNumber } from './strategies/fresh.js'
import { strategySetup } from './strategies/options.js'
import type { Direction, ParameterRange, Params, Pruner, Strategy, TrialState, TrialView } from './types.js'

export interface StudyOptions {
  readonly ranges: readonly ParameterRange[]
  readonly direction: Direction
  /** A strategy name (Random, Grid, Bayesian, Hyperband) or a strategy object; 'Bayesian' by default. */
  readonly strategy?: string | Strategy
  /** Seed of every random choice (default 0). */
  readonly seed?: number
  /** The most trials the study runs, those it resumes from included. */
  readonly maxJobs: number
  /** Early stopping; by default the strategy's own (Hyperband's), null for none. */
  readonly pruner?: Pruner | null
  /** SageMaker's completion criteria. */
  readonly completion?: CompletionCriteria
  /** Hyperband's rungs, when the strategy is 'Hyperband'. */
  readonly hyperband?: HyperbandOptions
  /** Trials of an earlier study to go on from (their numbers are kept; new ones follow). */
  readonly trials?: readonly TrialView[]
}

/** How a trial ended: a value (Completed, or Failed when not finite), or an explicit state. */
export type TrialOutcome =
  | number
  | { readonly state: 'Completed'; readonly value: number }
  | { readonly state: 'Failed'; readonly reason?: string }
  | { readonly state: 'Stopped'; readonly value?: number }

const STATES: readonly TrialState[] = ['Running', 'Completed', 'Failed', 'Stopped']

/**
 * One trial of a study: its point, its reports, and how it ended.
 * @example
 * const trial = study.ask()
 * for (let round = 10; round <= 100; round += 10) { trial.report(round, score(round)); if (trial.shouldStop()) break }
 */
export class Trial {
  readonly number: number
  readonly params: Params
  private readonly study: Study
  private readonly reports: (readonly [number, number])[]
  private currentState: TrialState
  private finalValue: number | undefined
  private failure: string | undefined
  private stopAnswered = false
  private snapshot: TrialView | undefined

  /** @internal trials are made by {@link Study.ask} or from a resumed view */
  constructor(study: Study, view: TrialView) {
    this.study = study
    this.number = view.number
    this.params = Object.freeze({ ...view.params })
    this.reports = view.intermediate.map(([s, v]) => [s, v] as const)
    this.currentState = view.state
    this.finalValue = view.value
  }

  get state(): TrialState {
    return this.currentState
  }

  /** The objective (Completed), or the value a Stopped trial ended with. */
  get value(): number | undefined {
    return this.finalValue
  }

  /** Why a Failed trial failed, when told. */
  get reason(): string | undefined {
    return this.failure
  }

  /** `[step, value]` reports so far. */
  get intermediate(): readonly (readonly [number, number])[] {
    return this.reports
  }

  /** Whether the pruner has asked this trial to stop. */
  get pruned(): boolean {
    return this.stopAnswered
  }

  /**
   * Records an intermediate value at `step` (a boosting round, an epoch, a fold index). Steps
   * must increase.
   * @throws Error if the trial is not Running; ParamError for a step that does not increase.
   * @example trial.report(10, 0.412)
   */
  report(step: number, value: number): void {
    if (this.currentState !== 'Running') throw new Error(`trial ${this.number} is ${this.currentState}; it takes no more reports`)
    if (typeof step !== 'number' || !Number.isFinite(step)) throw new ParamError(`a step must be a finite number, got ${String(step)}`, { field: 'step' })
    if (typeof value !== 'number') throw new ParamError(`a reported value must be a number, got ${String(value)}`, { field: 'value' })
    const last = this.reports[this.reports.length - 1]
    if (last && step <= last[0]) throw new ParamError(`steps must increase: ${step} after ${last[0]}`, { field: 'step' })
    this.reports.push([step, value])
    this.snapshot = undefined
  }

  /**
   * Whether the study's pruner says this trial should stop now (judged on its latest report;
   * once yes, always yes). False without a pruner, before any report, or once the trial ended.
   * @example if (trial.shouldStop()) return // optimize records the trial as Stopped
   */
  shouldStop(): boolean {
    if (this.stopAnswered) return true
    if (this.currentState !== 'Running' || this.reports.length === 0) return false
    this.stopAnswered = this.study.pruneCheck(this.view())
    return this.stopAnswered
  }

  /**
   * The trial as plain data.
   * @example store.saveTrial(trial.view())
   */
  view(): TrialView {
    this.snapshot ??= Object.freeze({
      number: this.number,
      params: this.params,
      state: this.currentState,
      ...(this.finalValue !== undefined && { value: this.finalValue }),
      intermediate: Object.freeze(this.reports.slice()),
    })
    return this.snapshot
  }

  /** @internal */
  finish(state: Exclude<TrialState, 'Running'>, value: number | undefined, reason?: string): void {
    this.currentState = state
    this.finalValue = value
    this.failure = reason
    this.snapshot = undefined
  }
}

/**
 * A study: ask for trials, report on them, tell how they ended. Make one with {@link createStudy}.
 * @example
 * const study = createStudy({ ranges, direction: 'maximize', strategy: 'Random', maxJobs: 20 })
 * const trial = study.ask(); study.tell(trial, accuracy(trial.params)); study.best
 */
export class Study {
  readonly direction: Direction
  readonly strategy: Strategy
  readonly pruner: Pruner | undefined
  readonly maxJobs: number
  private readonly completion: CompletionCriteria | undefined
  private readonly all = new Map<number, Trial>()
  private nextNumber: number
  private exhausted = false
  private stoppedBecause: string | null = null

  /** @internal use {@link createStudy} */
  constructor(options: StudyOptions) {
    const { direction, maxJobs } = options
    const seed = options.seed ?? 0
    const strategy = options.strategy ?? 'Bayesian'
    this.strategy = typeof strategy === 'string' ? getStrategy(strategy, { ranges: options.ranges, direction, seed, maxJobs, hyperband: options.hyperband }) : strategy
    if (typeof strategy !== 'string') strategySetup({ ranges: options.ranges, direction, seed, maxJobs }) // the options are checked all the same
    this.direction = direction
    this.maxJobs = maxJobs
    this.pruner = options.pruner === null ? undefined : (options.pruner ?? this.strategy.pruner)
    if (options.completion) checkCompletion(options.completion)
    this.completion = options.completion
    for (const view of options.trials ?? []) {
      checkView(view, this.all)
      this.all.set(view.number, new Trial(this, view))
    }
    this.nextNumber = nextTrialNumber([...this.all.values()])
  }

  /** Every trial as plain data, in number order. */
  get trials(): TrialView[] {
    return [...this.all.values()].sort((a, b) => a.number - b.number).map((t) => t.view())
  }

  /** The best Completed trial (the best Stopped one if none completed), or undefined. */
  get best(): TrialView | undefined {
    const trials = this.trials
    return bestTrial(trials, this.direction, false) ?? bestTrial(trials, this.direction, true)
  }

  /**
   * A trial by number (a resumed Running trial can be reported on and told about this way).
   * @example study.trial(3)?.state
   */
  trial(number: number): Trial | undefined {
    return this.all.get(number)
  }

  /**
   * Why the study takes no new trials, or null while it does: stopped by the caller, a completion
   * criterion met, maxJobs trials asked, or the space exhausted (Grid).
   * @example study.stopReason() // 'max_jobs (40) reached'
   */
  stopReason(): string | null {
    if (this.stoppedBecause !== null) return this.stoppedBecause
    if (this.completion) {
      const reason = completionCheck(this.trials, { ...this.completion, direction: this.direction })
      if (reason !== null) return reason
    }
    if (this.all.size >= this.maxJobs) return `max_jobs (${this.maxJobs}) reached`
    if (this.exhausted) return 'the search space is exhausted'
    return null
  }

  /**
   * Stops handing out trials (running ones can still report and be told about).
   * @example study.stop('interrupted')
   */
  stop(reason = 'stopped'): void {
    this.stoppedBecause ??= reason
  }

  /**
   * Up to `n` new Running trials: fewer when the study nears maxJobs or the space runs out, none
   * once it has stopped. Points of one call never repeat each other or a Running trial's.
   * @example for (const trial of study.askMany(freeSlots)) launch(trial)
   */
  askMany(n: number): Trial[] {
    if (this.stopReason() !== null) return []
    const k = Math.min(n, this.maxJobs - this.all.size)
    if (k <= 0) return []
    const points = this.strategy.ask(this.trials, k)
    if (points.length < k) this.exhausted = true
    return points.map((params) => {
      const trial = new Trial(this, { number: this.nextNumber++, params, state: 'Running', intermediate: [] })
      this.all.set(trial.number, trial)
      return trial
    })
  }

  /**
   * One new Running trial.
   * @throws Error when the study takes no new trials ({@link stopReason} says why).
   * @example const trial = study.ask(); const value = train(trial.params); study.tell(trial, value)
   */
  ask(): Trial {
    const [trial] = this.askMany(1)
    if (!trial) throw new Error(`the study takes no more trials: ${this.stopReason() ?? 'the strategy proposed nothing'}`)
    return trial
  }

  /**
   * Records how a Running trial ended: a finite number completes it (anything else fails it),
   * `{ state: 'Failed', reason }` fails it, `{ state: 'Stopped', value? }` stops it with `value`
   * or, by default, its last reported value.
   * @throws Error for a trial of another study or one that has already ended.
   * @example study.tell(trial, 0.231); study.tell(other, { state: 'Failed', reason: 'out of memory' })
   */
  tell(trial: Trial | number, outcome: TrialOutcome): TrialView {
    const t = typeof trial === 'number' ? this.all.get(trial) : trial
    if (!t || this.all.get(t.number) !== t) throw new Error(`trial ${typeof trial === 'number' ? trial : trial.number} is not a trial of this study`)
    if (t.state !== 'Running') throw new Error(`trial ${t.number} has already ended (${t.state})`)
    const o = typeof outcome === 'number' ? { state: 'Completed' as const, value: outcome } : outcome
    if (o.state === 'Completed') {
      if (typeof o.value === 'number' && Number.isFinite(o.value)) t.finish('Completed', o.value)
      else t.finish('Failed', undefined, `the objective was ${String(o.value)}, not a finite number`)
    } else if (o.state === 'Failed') {
      t.finish('Failed', undefined, o.reason)
    } else if (o.state === 'Stopped') {
      const last = t.intermediate[t.intermediate.length - 1]
      const value = o.value ?? last?.[1]
      t.finish('Stopped', value !== undefined && Number.isFinite(value) ? value : undefined)
    } else {
      throw new Error(`unknown trial outcome ${JSON.stringify(outcome)}`)
    }
    return t.view()
  }

  /** @internal asks the pruner about a Running trial's latest report */
  pruneCheck(view: TrialView): boolean {
    return this.pruner?.shouldStop(view, this.trials, { direction: this.direction }) ?? false
  }
}

/**
 * A study over `ranges` (checked, as are the strategy's options: ParamErrors name the field).
 * @example
 * const study = createStudy({ ranges, direction: 'minimize', strategy: 'Bayesian', seed: 1, maxJobs: 30 })
 * while (study.stopReason() === null) {
 *   const trial = study.ask()
 *   study.tell(trial, objective(trial.params))
 * }
 * study.best // { number, params, state: 'Completed', value, ... }
 */
export function createStudy(options: StudyOptions): Study {
  return new Study(options)
}

function checkView(view: TrialView, seen: ReadonlyMap<number, Trial>): void {
  const at = { field: `trials[${String(view?.number)}]` }
  if (!Number.isInteger(view?.number) || view.number < 0) throw new ParamError(`a trial number must be a non-negative integer, got ${String(view?.number)}`, at)
  if (seen.has(view.number)) throw new ParamError(`trial ${view.number} is listed twice`, at)
  if (!STATES.includes(view.state)) throw new ParamError(`unknown trial state '${String(view.state)}' (known: ${STATES.join(', ')})`, at)
  if (typeof view.params !== 'object' || view.params === null) throw new ParamError('a trial needs its params', at)
  if (!Array.isArray(view.intermediate)) throw new ParamError('a trial needs its intermediate values (possibly none)', at)
  if (view.value !== undefined && typeof view.value !== 'number') throw new ParamError(`a trial's value must be a number, got ${String(view.value)}`, at)
}
