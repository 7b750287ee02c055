/**
 * A fitted `linear` model: the stored preprocessing and coefficients (a {@link LinearPredictor})
 * plus the task, the parameters it was fitted with and how the solver finished. Its state is
 * plain data.
 */
import type { Frame } from '../../data/frame.js'
import { encodedWidth, linearMargins, predictLinear, predictLinearRows, type LinearInput, type LinearPredictor } from '../../runtime/linear.js'
import type { Link } from '../../runtime/link.js'
import type { Model, Task } from '../types.js'
import type { LinearParams } from './params.js'

export const LINEAR_STATE_VERSION = 1

/** How the solver finished: iterations, final gradient size, and whether it met `tol`. */
export interface LinearFitInfo {
  readonly solver: 'cholesky' | 'newton-cholesky' | 'lbfgs'
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
  readonly params: LinearParams
  readonly inputs: readonly LinearInput[]
  readonly coef: Float64Array
  readonly intercept: Float64Array
  readonly fit: LinearFitInfo
}

const LINK_OF: Record<Task, Link> = { regression: 'identity', binary: 'sigmoid', multiclass: 'softmax' }

export class LinearModel implements Model {
  readonly kind = 'linear'
  readonly nOutputs: number
  readonly featureNames: readonly string[]
  readonly predictor: LinearPredictor

  /** @example const model = new LinearModel('regression', inputs, coef, Float64Array.of(b), params, info) */
  constructor(
    readonly task: Task,
    inputs: readonly LinearInput[],
    coef: Float64Array,
    intercept: Float64Array,
    readonly params: LinearParams,
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

  static fromState(state: LinearState): LinearModel {
    if (state.kind !== 'linear') throw new Error(`not a linear state: kind '${state.kind}'`)
    if (state.version !== LINEAR_STATE_VERSION) throw new Error(`unsupported linear state version ${state.version}`)
    if (LINK_OF[state.task] !== state.link) throw new Error(`link '${state.link}' does not fit a ${state.task} task`)
    return new LinearModel(state.task, state.inputs, Float64Array.from(state.coef), Float64Array.from(state.intercept), state.params, state.fit)
  }
}
