/**
 * The vocabulary of tuning, shared by the search space, the strategies, the pruners and the
 * tuning job: ranges as SageMaker Automatic Model Tuning defines them, trials as plain data, and
 * the two plug-in points (a strategy proposes parameters; a pruner stops weak trials early).
 */

/** How a numeric range is searched, as SageMaker defines it. */
export type Scaling = 'Auto' | 'Linear' | 'Logarithmic' | 'ReverseLogarithmic'

/** A value a range can give a hyperparameter. */
export type ParamValue = number | string | boolean

/** One point of the search space: range name to value. */
export type Params = Readonly<Record<string, ParamValue>>

/** A continuous range: any real value in [min, max]. */
export interface ContinuousRange {
  readonly name: string
  readonly type: 'continuous'
  readonly min: number
  readonly max: number
  readonly scaling: Scaling
}

/** An integer range: every integer in [min, max]. */
export interface IntegerRange {
  readonly name: string
  readonly type: 'integer'
  readonly min: number
  readonly max: number
  readonly scaling: Scaling
}

/** A categorical range: one of a list of values. */
export interface CategoricalRange {
  readonly name: string
  readonly type: 'categorical'
  readonly values: readonly ParamValue[]
}

export type ParameterRange = ContinuousRange | IntegerRange | CategoricalRange

/** Which way the objective is better. */
export type Direction = 'minimize' | 'maximize'

/**
 * A trial's state, in SageMaker's words where they exist: Running (InProgress), Completed,
 * Failed, and Stopped (stopped early by a pruner; its last intermediate value still counts).
 */
export type TrialState = 'Running' | 'Completed' | 'Failed' | 'Stopped'

/** What a strategy or pruner may know of a trial. Plain data: it crosses threads and machines. */
export interface TrialView {
  /** 0, 1, 2, ... in the order trials were asked for. */
  readonly number: number
  readonly params: Params
  readonly state: TrialState
  /** The objective of a Completed trial (and of a Stopped one, its last reported value). */
  readonly value?: number
  /**
   * Intermediate values in report order: `[step, value]` (a boosting round, a fold, an epoch).
   * Steps increase; the resource a Hyperband rung counts is the step.
   */
  readonly intermediate: readonly (readonly [number, number])[]
}

/** Proposes the next points to evaluate, given every trial so far (running ones included). */
export interface Strategy {
  readonly name: string
  /**
   * Up to `n` new points, never one equal to a Running trial's or to another in the same answer.
   * Fewer than `n` (possibly none) when the space is exhausted (Grid).
   */
  ask(history: readonly TrialView[], n: number): Params[]
  /**
   * The strategy's own early-stopping rule (Hyperband's successive halving), used by a study that
   * sets no pruner of its own. Absent for strategies that do not stop trials.
   */
  readonly pruner?: Pruner
}

/** What a pruner is told about the study beyond its trials. */
export interface PruneContext {
  /** Which way the objective is better (a pruner shown no context assumes 'minimize'). */
  readonly direction: Direction
}

/** Decides, after each intermediate report, whether a running trial should stop now. */
export interface Pruner {
  readonly name: string
  /** `trial` is Running and has at least one intermediate value; `history` holds every trial. */
  shouldStop(trial: TrialView, history: readonly TrialView[], context?: PruneContext): boolean
}
