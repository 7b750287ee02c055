/**
 * The learners the benchmark can run: every learner in the registry, by kind, validated by its
 * own parameter schema. The harness does the reading, binning, timing and scoring for all of them;
 * learners with faster prediction or early thread start-up get a {@link SPECIAL} runner.
 */
import type { Frame } from '../src/data/frame.js'
import { ParamError } from '../src/errors.js'
import { PredictPool } from '../src/exec/predict-pool.js'
import { GbdtModel, prestartTrainingThreads } from '../src/learners/gbdt/index.js'
import { getLearner as getLearnerSpec, learnerKinds, parseLearnerParams } from '../src/learners/index.js'
import type { Model, Task, TrainingData } from '../src/learners/types.js'
import { applyLink } from '../src/runtime/link.js'
import { closestName } from '../src/text/closest.js'

/** A parameter value as `--set name=value` gives it. */
export type ParamValue = number | string | boolean

/** Parameters by name, as given on the command line (the learner validates them). */
export type ParamMap = Readonly<Record<string, ParamValue>>

/** What a fit needs besides the data and the parameters. */
export interface RunContext {
  readonly task: Task
  /** 2 for binary, k for multiclass, 1 for regression. */
  readonly nClasses: number
  /** `--threads`; every core when absent. */
  readonly threads?: number
}

/** How the harness drives one learner family: through the learner registry, plus speed-ups. */
export interface LearnerRunner {
  /** One line for usage texts. */
  readonly description: string
  /** Fits a model on the job's training data (features read and binned once). */
  fit(data: TrainingData, y: Float64Array, params: ParamMap, ctx: RunContext): Promise<Model>
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

/** A runner for any registered learner: validates `params` with its schema and fits it. */
function registryRunner(kind: string): LearnerRunner {
  const spec = getLearnerSpec(kind)
  return {
    description: spec.description,
    fit: (data, y, params, ctx) => spec.fit(data, y, parseLearnerParams(spec, params), { task: ctx.task, nClasses: ctx.nClasses, threads: ctx.threads }),
  }
}

const gbdt: LearnerRunner = {
  ...registryRunner('gbdt'),
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

/** Runners with speed-ups beyond the registry's fit; every other registered learner runs plainly. */
export const SPECIAL: Readonly<Record<string, LearnerRunner>> = { gbdt }

/**
 * The runner of the learner called `name`: any learner in the registry.
 *
 * @throws ParamError for an unknown name, suggesting the closest one and listing all of them.
 * @example
 * getLearner('gbdt').description
 * getLearner('gbtd') // throws: unknown learner 'gbtd'; did you mean 'gbdt'? (learners: gbdt)
 */
export function getLearner(name: string): LearnerRunner {
  if (Object.prototype.hasOwnProperty.call(SPECIAL, name)) return SPECIAL[name]
  const names = learnerKinds()
  if (names.includes(name)) return registryRunner(name)
  const hint = closestName(name, names)
  throw new ParamError(
    `unknown learner '${name}'${hint === undefined ? '' : `; did you mean '${hint}'?`} (learners: ${names.join(', ')})`,
    { field: 'learner' },
  )
}

/**
 * The parameters the fitted model actually used (defaults resolved from the task, seed and
 * threads) when its state records them, else the ones given.
 * @example fittedParams(model, { eta: 0.1 }) // { objective: 'reg:squarederror', eta: 0.1, ... }
 */
export function fittedParams(model: Model, given: ParamMap): ParamMap {
  const state = model.toState() as { params?: Record<string, unknown> }
  if (!state.params) return given
  const out: Record<string, ParamValue> = {}
  for (const [k, v] of Object.entries(state.params)) {
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') out[k] = v
  }
  return out
}
