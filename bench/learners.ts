/**
 * The learners the benchmark can run, one small runner per learner family. A new learner
 * (oblivious, random_forest, extra_trees, linear) plugs in by adding one entry to
 * {@link LEARNERS}; the harness does the reading, binning, timing and scoring for all of them.
 */
import type { BinnedFrame } from '../src/data/binning.js'
import { ParamError } from '../src/errors.js'
import type { Frame } from '../src/data/frame.js'
import { PredictPool } from '../src/exec/predict-pool.js'
import { fitGbdt, GbdtModel, prestartTrainingThreads } from '../src/learners/gbdt/index.js'
import { applyLink } from '../src/runtime/link.js'
import type { Model, Task } from '../src/learners/types.js'
import { closestName } from '../src/text/closest.js'

/** A parameter value as `--set name=value` gives it. */
export type ParamValue = number | string | boolean

/** Parameters by name, as given on the command line (the learner validates them). */
export type ParamMap = Readonly<Record<string, ParamValue>>

/** How the harness drives one learner family. */
export interface LearnerRunner {
  /** One line for usage texts. */
  readonly description: string
  /** The parameter `--threads N` sets, or undefined when the learner has no thread count. */
  readonly threadsParam?: string
  /**
   * Parameters that make the learner solve `task` (objective, number of classes); a value the
   * user gives with `--set` overrides them.
   */
  taskParams(task: Task, nClasses: number): ParamMap
  /**
   * Fits a model on binned data. `params` are the `--set` values merged over
   * {@link LearnerRunner.taskParams}; they include `max_bin` when the user gave it, which the
   * harness also used to bin the data.
   */
  fit(data: BinnedFrame, y: Float64Array, params: ParamMap): Promise<Model>
  /**
   * Predicts `frame` the fastest way a user can with `threads` threads (as the peers predict with
   * all their threads); `model.predict` when absent.
   */
  predict?(model: Model, frame: Frame, threads: number): Promise<Float64Array>
  /**
   * Starts the learner's worker threads for `threads` threads, as a job does before it reads its
   * data, so thread start-up overlaps reading instead of counting as training or prediction.
   */
  prepare?(threads: number): Promise<void>
}

const OBJECTIVE: Readonly<Record<Task, string>> = {
  regression: 'reg:squarederror',
  binary: 'binary:logistic',
  multiclass: 'multi:softprob',
}

const gbdt: LearnerRunner = {
  description: 'histogram gradient boosting with XGBoost parameter names (fitGbdt)',
  threadsParam: 'nthread',
  taskParams: (task, nClasses): ParamMap => {
    const objective = OBJECTIVE[task]
    return task === 'multiclass' ? { objective, num_class: nClasses } : { objective }
  },
  fit: (data, y, params) => fitGbdt(data, y, params),
  prepare: async (threads) => {
    prestartTrainingThreads(threads)
    await predictPool(threads).ready()
  },
  predict: async (model, frame, threads) => {
    if (!(model instanceof GbdtModel)) throw new TypeError('not a gbdt model')
    const margins = await predictPool(threads).predictFrameMargins(model.ensemble, model.featureNames, frame)
    return applyLink(model.link, margins, model.nOutputs)
  },
}

let pool: PredictPool | null = null

/** One prediction pool per benchmark process. */
function predictPool(threads: number): PredictPool {
  if (pool === null || pool.threads !== threads) pool = new PredictPool(threads)
  return pool
}

/**
 * Every runnable learner by name.
 * @example
 * const model = await LEARNERS.gbdt.fit(binned, y, { num_round: 100, max_depth: 6 })
 */
export const LEARNERS: Readonly<Record<string, LearnerRunner>> = { gbdt }

/**
 * The runner of the learner called `name`.
 *
 * @throws ParamError for an unknown name, suggesting the closest one and listing all of them.
 * @example
 * getLearner('gbdt').description
 * getLearner('gbtd') // throws: unknown learner 'gbtd'; did you mean 'gbdt'? (learners: gbdt)
 */
export function getLearner(name: string): LearnerRunner {
  if (Object.prototype.hasOwnProperty.call(LEARNERS, name)) return LEARNERS[name]
  const names = Object.keys(LEARNERS)
  const hint = closestName(name, names)
  throw new ParamError(
    `unknown learner '${name}'${hint === undefined ? '' : `; did you mean '${hint}'?`} (learners: ${names.join(', ')})`,
    { field: 'learner' },
  )
}

/**
 * The parameters a run passes to the learner: the task's parameters, overridden by the `--set`
 * values, plus the thread count from `--threads`.
 *
 * @throws ParamError when `--threads` is given for a learner without a thread count, or together
 *   with `--set` of the same parameter.
 * @example
 * learnerParams(LEARNERS.gbdt, 'binary', 2, { eta: 0.1 }, 2)
 * // { objective: 'binary:logistic', eta: 0.1, nthread: 2 }
 */
export function learnerParams(runner: LearnerRunner, task: Task, nClasses: number, sets: ParamMap, threads: number | undefined): ParamMap {
  const params: Record<string, ParamValue> = { ...runner.taskParams(task, nClasses), ...sets }
  if (threads === undefined) return params
  const name = runner.threadsParam
  if (name === undefined) throw new ParamError('this learner has no thread count', { field: '--threads' })
  if (Object.prototype.hasOwnProperty.call(sets, name)) {
    throw new ParamError(`--threads and --set ${name} both set the thread count; give one`, { field: '--threads' })
  }
  params[name] = threads
  return params
}
