/**
 * The `stack` blender (stacked generalisation, Wolpert 1992; scikit-learn's StackingRegressor and
 * StackingClassifier): a meta-learner from the learner registry, `linear` by default with its
 * default regularisation, trained on the members' OOF predictions as features, plus the raw
 * features with `passthrough`. The fitted blend is the runtime's {@link StackBlend}, with the
 * meta-model's own state embedded in the blend's state.
 */
import { z } from 'zod'
import { DataError, ParamError } from '../../errors.js'
import { getLearner, parseLearnerParams, type LearnerSpec } from '../../learners/index.js'
import { prepareTrainingData } from '../../learners/training-data.js'
import { metaFrame, metaName, StackBlend } from '../../runtime/blend/stack.js'
import { checkContext, checkFitInputs } from './check.js'
import type { BlenderSpec, Task } from './types.js'

export const stackOptions = z.object({
  learner: z.string().default('linear').describe('Meta-learner kind from the learner registry'),
  params: z.record(z.string(), z.unknown()).default({}).describe('Parameters of the meta-learner (its own names and defaults)'),
  passthrough: z.boolean().default(false).describe('Also train the meta-learner on the raw features (scikit-learn\'s passthrough)'),
})

export type StackOptions = z.infer<typeof stackOptions>

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
