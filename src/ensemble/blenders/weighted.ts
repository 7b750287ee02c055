/**
 * The `weighted` blender: a non-negative weight per member, learnt from the OOF predictions.
 *
 * - `nnls`: non-negative least squares of the targets on the members' predictions (no intercept).
 *   Regression keeps the exact NNLS weights. Classification regresses the one-hot targets on the
 *   probabilities (multiclass stacks the class columns into one long column per member) and
 *   normalises the weights to sum to 1, so the blend is still a probability.
 * - `caruana`: greedy ensemble selection with replacement by the job metric, `iterations` picks;
 *   the weights are the pick frequencies (summing to 1).
 *
 * The fitted blend is the runtime's {@link WeightedBlend}.
 */
import { z } from 'zod'
import { ParamError } from '../../errors.js'
import { defaultMetric, getMetric, type Metric } from '../../metrics/registry.js'
import { WeightedBlend } from '../../runtime/blend/weighted.js'
import { caruanaSelect } from './caruana.js'
import { checkContext, checkFitInputs } from './check.js'
import { nnls, normalEquations } from './nnls.js'
import type { BlendContext, BlenderSpec, Task } from './types.js'

export const weightedOptions = z.object({
  // Not `method`: in a spec, `blend.method` names the blender itself.
  weights: z.enum(['nnls', 'caruana']).default('nnls').describe('nnls: non-negative least squares on the OOF predictions; caruana: greedy ensemble selection with replacement by the job metric'),
  iterations: z.number().int().min(1).max(10_000).default(50).describe('Picks of Caruana\'s ensemble selection (the weights are multiples of 1 / iterations)'),
})

export type WeightedOptions = z.infer<typeof weightedOptions>

/** The NNLS target: y itself for regression and binary, the flattened one-hot matrix for multiclass. */
function nnlsTarget(y: Float64Array, ctx: BlendContext, width: number): Float64Array {
  if (ctx.task !== 'multiclass') return y
  const b = new Float64Array(y.length * width)
  for (let i = 0; i < y.length; i++) b[i * width + y[i]] = 1
  return b
}

function nnlsWeights(oof: readonly Float64Array[], y: Float64Array, ctx: BlendContext, width: number): number[] {
  const x = nnls(normalEquations(oof, nnlsTarget(y, ctx, width)))
  const w = Array.from(x)
  if (ctx.task === 'regression') return w
  const total = w.reduce((a, b) => a + b, 0)
  // All-zero weights mean no member correlates positively with the targets: fall back to the mean.
  return total > 0 ? w.map((v) => v / total) : w.map(() => 1 / w.length)
}

function jobMetric(ctx: BlendContext): Metric {
  const metric = ctx.metric === undefined ? defaultMetric(ctx.task) : getMetric(ctx.metric)
  if (!metric.tasks.includes(ctx.task)) {
    throw new ParamError(`metric '${metric.name}' does not apply to ${ctx.task} tasks (it fits ${metric.tasks.join(', ')})`, { field: 'metric' })
  }
  return metric
}

const TASKS: readonly Task[] = ['regression', 'binary', 'multiclass']

/**
 * @example
 * const blender = getBlender('weighted', { weights: 'caruana', iterations: 100 })
 * const model = await blender.fit([oofA, oofB, oofC], y, { task: 'binary', nClasses: 2, metric: 'auc' })
 * (model.toState() as WeightedState).weights // e.g. [0.55, 0.45, 0]
 */
export const weightedBlender: BlenderSpec<typeof weightedOptions> = {
  kind: 'weighted',
  description: 'Non-negative member weights learnt on the OOF predictions (NNLS or Caruana\'s ensemble selection)',
  options: weightedOptions,
  tasks: TASKS,
  create(options) {
    return {
      kind: 'weighted',
      options,
      async fit(oof, y, ctx) {
        const width = checkContext(ctx, TASKS, 'weighted')
        checkFitInputs(oof, y, width, ctx)
        const weights = options.weights === 'nnls'
          ? nnlsWeights(oof, y, ctx, width)
          : Array.from(caruanaSelect(oof, y, ctx.nClasses, jobMetric(ctx), options.iterations).weights)
        return new WeightedBlend(ctx.task, width, options.weights, weights)
      },
    }
  },
  fromState: (state) => WeightedBlend.fromState(state),
}
