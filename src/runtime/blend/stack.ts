/**
 * The fitted `stack` blend (stacked generalisation; scikit-learn's StackingRegressor and
 * StackingClassifier): a meta-model, `linear` by default, predicting from the members'
 * predictions as features, plus the raw features it passes through. The meta-model's own state is
 * embedded in the blend's state and rebuilt by the model registry, so no learner code is needed.
 *
 * Meta-features are named `member<m>` (one column per member for regression and binary) or
 * `member<m>_class<c>` (one per member and class for multiclass).
 */
import { type Column, type Frame, makeFrame, numericColumn } from '../../data/frame.js'
import { DataError } from '../../errors.js'
import type { Task } from '../../task.js'
import { modelFromState } from '../models/registry.js'
import { StateReader } from '../models/state-reader.js'
import type { Model, ModelState } from '../models/types.js'
import { checkPredictions } from './check.js'
import type { BlendModel, BlendState } from './types.js'

export const STACK_STATE_VERSION = 1

/** Serialisable state of a stacked blend, the meta-model's state included. */
export interface StackState extends BlendState {
  readonly kind: 'stack'
  readonly task: Task
  readonly nMembers: number
  readonly nOutputs: number
  /** Raw feature columns the meta-model reads (empty without passthrough). */
  readonly passthrough: readonly string[]
  readonly meta: ModelState
}

/**
 * Name of the meta-feature for member `m` and class column `c` of `width`.
 * @example metaName(0, 0, 1) // 'member0'
 */
export function metaName(m: number, c: number, width: number): string {
  return width === 1 ? `member${m}` : `member${m}_class${c}`
}

/**
 * The meta-model's input: one numeric column per member (and class), followed by the raw
 * feature columns named in `passthrough`, taken from `features`.
 * @example const frame = metaFrame([predA, predB], 1, n, [])
 */
export function metaFrame(preds: readonly Float64Array[], width: number, n: number, passthrough: readonly string[], features?: Frame): Frame {
  const columns: Column[] = []
  for (let m = 0; m < preds.length; m++) {
    const p = preds[m]
    for (let c = 0; c < width; c++) {
      const v = new Float64Array(n)
      for (let i = 0; i < n; i++) v[i] = p[i * width + c]
      columns.push(numericColumn(metaName(m, c, width), v))
    }
  }
  if (passthrough.length > 0) {
    if (features === undefined) throw new DataError('this stacked blend passes features through; give the raw features', { field: 'features' })
    if (features.nRows !== n) throw new DataError(`features have ${features.nRows} rows, the members predict ${n}`, { field: 'features' })
    const byName = new Map(features.columns.map((c) => [c.name, c]))
    for (const name of passthrough) {
      const col = byName.get(name)
      if (col === undefined) throw new DataError(`feature '${name}' the stacked blend passes through is missing`, { field: 'features' })
      columns.push(col)
    }
  }
  return makeFrame(columns)
}

/**
 * A fitted stacked blend: the meta-model's prediction on the members' predictions.
 * @example new StackBlend('regression', 2, 1, [], meta).blend([a, b])
 */
export class StackBlend implements BlendModel {
  readonly kind = 'stack'
  constructor(
    readonly task: Task,
    readonly nMembers: number,
    readonly nOutputs: number,
    readonly passthrough: readonly string[],
    readonly meta: Model,
  ) {}

  blend(preds: readonly Float64Array[], features?: Frame): Float64Array {
    const n = checkPredictions(preds, this.nOutputs, this.nMembers)
    return this.meta.predict(metaFrame(preds, this.nOutputs, n, this.passthrough, features))
  }

  toState(): StackState {
    return {
      kind: 'stack',
      version: STACK_STATE_VERSION,
      task: this.task,
      nMembers: this.nMembers,
      nOutputs: this.nOutputs,
      passthrough: [...this.passthrough],
      meta: this.meta.toState(),
    }
  }

  /**
   * Rebuilds the blend and its meta-model; a state that is not a valid stack state is a BundleError.
   * @example const again = StackBlend.fromState(blend.toState())
   */
  static fromState(state: BlendState): StackBlend {
    const r = new StateReader(state, ['stack'], STACK_STATE_VERSION)
    const task = r.task()
    const nOutputs = r.count('nOutputs')
    const meta = modelFromState(r.record('meta') as unknown as ModelState)
    if (meta.task !== task || meta.nOutputs !== nOutputs) throw r.error('meta', `the meta-model predicts ${meta.nOutputs} values per row for a ${meta.task} task; the blend is ${task} with ${nOutputs}`)
    return new StackBlend(task, r.count('nMembers'), nOutputs, [...r.strings('passthrough')], meta)
  }
}
