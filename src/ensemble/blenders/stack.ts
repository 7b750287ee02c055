/**
 * The `stack` blender (stacked generalisation, Wolpert 1992; scikit-learn's StackingRegressor and
 * StackingClassifier): a meta-learner from the learner registry, `linear` by default with its
 * default regularisation, trained on the members' OOF predictions as features, plus the raw
 * features with `passthrough`. The meta-model's own state is embedded in the blend's state.
 *
 * Meta-features are named `member<m>` (one column per member for regression and binary) or
 * `member<m>_class<c>` (one per member and class for multiclass).
 */
import { z } from 'zod'
import { type Column, type Frame, makeFrame, numericColumn } from '../../data/frame.js'
import { DataError, ParamError } from '../../errors.js'
import { getLearner, modelFromState, parseLearnerParams, type LearnerSpec, type Model, type ModelState } from '../../learners/index.js'
import { prepareTrainingData } from '../../learners/training-data.js'
import { checkContext, checkFitInputs, checkPredictions, checkState } from './check.js'
import type { BlendModel, BlendState, BlenderSpec, Task } from './types.js'

export const STACK_STATE_VERSION = 1

export const stackOptions = z.object({
  learner: z.string().default('linear').describe('Meta-learner kind from the learner registry'),
  params: z.record(z.string(), z.unknown()).default({}).describe('Parameters of the meta-learner (its own names and defaults)'),
  passthrough: z.boolean().default(false).describe('Also train the meta-learner on the raw features (scikit-learn\'s passthrough)'),
})

export type StackOptions = z.infer<typeof stackOptions>

export interface StackState extends BlendState {
  readonly kind: 'stack'
  readonly task: Task
  readonly nMembers: number
  readonly nOutputs: number
  /** Raw feature columns the meta-model reads (empty without passthrough). */
  readonly passthrough: readonly string[]
  readonly meta: ModelState
}

/** Name of the meta-feature for member `m` and class column `c`. */
function metaName(m: number, c: number, width: number): string {
  return width === 1 ? `member${m}` : `member${m}_class${c}`
}

/**
 * The meta-learner's input: one numeric column per member (and class), followed by the raw
 * feature columns named in `passthrough`, taken from `features`.
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

/** A fitted stacked blend: the meta-model's prediction on the members' predictions. */
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

  static fromState(state: BlendState): StackBlend {
    checkState(state, 'stack', STACK_STATE_VERSION)
    const s = state as StackState
    return new StackBlend(s.task, s.nMembers, s.nOutputs, [...s.passthrough], modelFromState(s.meta))
  }
}

const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass']

/** Looks the meta-learner up and validates its params now, so a bad spec fails before any training. */
function resolveMeta(options: StackOptions): { spec: LearnerSpec; params: Record<string, unknown> } {
  const spec = getLearner(options.learner, 'blend.learner')
  return { spec, params: parseLearnerParams(spec, options.params, 'blend.params') }
}

/**
 * @example
 * const blender = getBlender('stack', { params: { alpha: 0.1 }, passthrough: true })
 * const model = await blender.fit([oofA, oofB], y, { task: 'regression', nClasses: 1, features, seed: 42 })
 * model.blend([predA, predB], newFeatures)
 */
export const stackBlender: BlenderSpec<typeof stackOptions> = {
  kind: 'stack',
  description: 'A meta-learner (linear by default) trained on the OOF predictions, optionally with the raw features',
  options: stackOptions,
  tasks: TASKS,
  create(options) {
    const { spec, params } = resolveMeta(options)
    return {
      kind: 'stack',
      options,
      usesFeatures: options.passthrough,
      async fit(oof, y, ctx) {
        const width = checkContext(ctx, TASKS, 'stack')
        if (!spec.tasks.includes(ctx.task)) {
          throw new ParamError(`meta-learner '${spec.kind}' does not support ${ctx.task} tasks`, { field: 'blend.learner' })
        }
        const n = checkFitInputs(oof, y, width, ctx)
        let passthrough: string[] = []
        if (options.passthrough) {
          if (ctx.features === undefined) throw new DataError('passthrough needs the raw features of the OOF rows', { field: 'features' })
          passthrough = ctx.features.columns.map((c) => c.name)
          const reserved = new Set(oof.flatMap((_, m) => Array.from({ length: width }, (_c, c) => metaName(m, c, width))))
          const clash = passthrough.find((name) => reserved.has(name))
          if (clash !== undefined) throw new ParamError(`feature '${clash}' has the name of a member's meta-feature; rename it to pass it through`, { field: 'features' })
        }
        const frame = metaFrame(oof, width, n, passthrough, ctx.features)
        const meta = await spec.fit(prepareTrainingData(frame), y, params, { task: ctx.task, nClasses: ctx.nClasses, seed: ctx.seed ?? 0, threads: 1 })
        return new StackBlend(ctx.task, oof.length, width, passthrough, meta)
      },
    }
  },
  fromState: (state) => StackBlend.fromState(state),
}
