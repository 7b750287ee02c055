/**
 * A fitted `linear` model: the stored preprocessing and coefficients (a {@link LinearPredictor})
 * plus the task, the parameters it was fitted with and how the solver finished. Its state is
 * plain data. The learner builds it from a solver's result; serving rebuilds it from its state.
 */
import type { Frame } from '../../data/frame.js'
import { BundleError } from '../../errors.js'
import type { Task } from '../../task.js'
import { encodedWidth, linearMargins, predictLinear, predictLinearRows, type LinearInput, type LinearPredictor } from '../linear.js'
import type { Link } from '../link.js'
import { StateReader } from './state-reader.js'
import type { Model } from './types.js'

export const LINEAR_STATE_VERSION = 1

/**
 * How the solver finished: iterations, final gradient size, and whether it met `tol`; `imported`
 * for coefficients brought in from another format (no solver ran).
 */
export interface LinearFitInfo {
  readonly solver: 'cholesky' | 'newton-cholesky' | 'lbfgs' | 'imported'
  readonly nIter: number
  readonly gradNorm: number
  readonly converged: boolean
}

/** Serialisable state of a linear model. */
export interface LinearState {
  readonly version: number
  readonly kind: 'linear'
  readonly task: Task
  readonly link: Link
  /** Parameters as fitted, with `alpha` resolved from `C` or `penalty`. */
  readonly params: Readonly<Record<string, unknown>>
  readonly inputs: readonly LinearInput[]
  readonly coef: Float64Array
  readonly intercept: Float64Array
  readonly fit: LinearFitInfo
}

const LINK_OF: Record<Task, Link> = { regression: 'identity', binary: 'sigmoid', multiclass: 'softmax' }

/**
 * A fitted linear model.
 * @example
 * const model = new LinearModel('regression', inputs, coef, Float64Array.of(b), params, info)
 * model.predict(frame)
 */
export class LinearModel implements Model {
  readonly kind = 'linear'
  readonly nOutputs: number
  readonly featureNames: readonly string[]
  readonly predictor: LinearPredictor

  constructor(
    readonly task: Task,
    inputs: readonly LinearInput[],
    coef: Float64Array,
    intercept: Float64Array,
    readonly params: Readonly<Record<string, unknown>>,
    readonly fitInfo: LinearFitInfo,
  ) {
    this.nOutputs = intercept.length
    if (coef.length !== this.nOutputs * encodedWidth(inputs)) throw new RangeError('coefficients do not match the inputs')
    this.featureNames = inputs.map((i) => i.name)
    this.predictor = { inputs, nOutputs: this.nOutputs, coef, intercept, link: LINK_OF[task] }
  }

  /** Predictions on the response scale: values, probabilities of class 1, or class probabilities. */
  predict(frame: Frame): Float64Array {
    return predictLinear(this.predictor, frame)
  }

  /** Raw margins before the output link. */
  predictMargin(frame: Frame): Float64Array {
    return linearMargins(this.predictor, frame)
  }

  /** Predictions for row-major values in the model's feature order (categories as indices). */
  predictRows(x: Float64Array, nRows: number): Float64Array {
    return predictLinearRows(this.predictor, x, nRows)
  }

  toState(): LinearState {
    const p = this.predictor
    return {
      version: LINEAR_STATE_VERSION,
      kind: 'linear',
      task: this.task,
      link: p.link,
      params: { ...this.params },
      inputs: p.inputs.map((i) => (i.type === 'numeric' ? { ...i } : { ...i, categories: [...i.categories] })),
      coef: Float64Array.from(p.coef),
      intercept: Float64Array.from(p.intercept),
      fit: { ...this.fitInfo },
    }
  }

  /**
   * Rebuilds the model from its state; a state that is not a valid linear state is a BundleError.
   * @example const again = LinearModel.fromState(structuredClone(model.toState()))
   */
  static fromState(state: LinearState): LinearModel {
    const r = new StateReader(state, ['linear'], LINEAR_STATE_VERSION)
    const task = r.task()
    if (LINK_OF[task] !== r.string('link')) throw r.error('link', `link '${r.string('link')}' does not fit a ${task} task`)
    const inputs = r.list('inputs').map((input, i) => linearInput(input, i))
    const coef = r.float64('coef')
    const intercept = r.float64('intercept')
    if (intercept.length === 0 || coef.length !== intercept.length * encodedWidth(inputs)) throw r.error('coef', 'coefficients do not match the inputs')
    const fit = r.record('fit')
    const fitInfo: LinearFitInfo = {
      solver: fit.solver as LinearFitInfo['solver'],
      nIter: Number(fit.nIter),
      gradNorm: Number(fit.gradNorm),
      converged: fit.converged === true,
    }
    return new LinearModel(task, inputs, Float64Array.from(coef), Float64Array.from(intercept), r.record('params'), fitInfo)
  }
}

/** One input of a linear state, checked: a numeric one with its mean and scale, or a categorical one with its categories. */
function linearInput(v: unknown, i: number): LinearInput {
  const bad = (why: string): never => {
    throw new BundleError(`linear state: input ${i} ${why}`, { field: `inputs.${i}` })
  }
  if (typeof v !== 'object' || v === null) return bad('is not an object')
  const o = v as Record<string, unknown>
  if (typeof o.name !== 'string') return bad('has no name')
  if (o.type === 'numeric') {
    if (typeof o.mean !== 'number' || typeof o.scale !== 'number') return bad('lacks its mean or scale')
    return { name: o.name, type: 'numeric', mean: o.mean, scale: o.scale }
  }
  if (o.type === 'categorical') {
    if (!Array.isArray(o.categories) || o.categories.some((c) => typeof c !== 'string')) return bad('has bad categories')
    return { name: o.name, type: 'categorical', categories: o.categories as string[] }
  }
  return bad(`has type ${JSON.stringify(o.type)}`)
}
