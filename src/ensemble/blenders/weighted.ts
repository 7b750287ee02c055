/**
 * The `weighted` blender: a non-negative weight per member, learnt from the OOF predictions.
 *
 * - `nnls`: non-negative least squares of the targets on the members' predictions (no intercept).
 *   Regression keeps the exact NNLS weights. Classification regresses the one-hot targets on the
 *   probabilities (multiclass stacks the class columns into one long column per member) and
 *   normalises the weights to sum to 1, so the blend is still a probability.
 * - `caruana`: greedy ensemble selection with replacement by the job metric, `iterations` picks;
 *   the weights are the pick frequencies (summing to 1).
 * - a mapping of member names to weights (`weights: { a: 0.7, b: 0.3 }`): given, not learnt, so
 *   the fit reads no predictions. Every member needs one; classification normalises them to sum to 1.
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
  weights: z
    .union([z.enum(['nnls', 'caruana']), z.record(z.string(), z.number().min(0))], { error: 'expected nnls, caruana, or a weight per member name' })
    .default('nnls')
    .describe('nnls: non-negative least squares on the OOF predictions; caruana: greedy ensemble selection with replacement by the job metric; or a mapping of member names to fixed weights'),
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

/**
 * The given weights in member order: every member needs one, every name must be a member, and
 * they must not all be zero; classification normalises them so the blend stays a probability.
 * @example weightsFromNames({ a: 0.7, b: 0.3 }, ['b', 'a'], 'regression') // [0.3, 0.7]
 */
export function weightsFromNames(given: Readonly<Record<string, number>>, members: readonly string[], task: Task): number[] {
  const unknown = Object.keys(given).find((name) => !members.includes(name))
  if (unknown !== undefined) throw new ParamError(`no member '${unknown}' (members: ${members.join(', ')})`, { field: `blend.weights.${unknown}` })
  const missing = members.find((name) => !Object.prototype.hasOwnProperty.call(given, name))
  if (missing !== undefined) throw new ParamError(`member '${missing}' has no weight: give every member one (0 leaves it out)`, { field: 'blend.weights' })
  const w = members.map((name) => given[name])
  const total = w.reduce((a, b) => a + b, 0)
  if (!(total > 0)) throw new ParamError('the weights are all zero', { field: 'blend.weights' })
  return task === 'regression' ? w : w.map((v) => v / total)
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
        if (typeof options.weights === 'object') {
          if (ctx.members === undefined || ctx.members.length !== oof.length) throw new ParamError('weights given by member name need the members\' names', { field: 'blend.weights' })
          return new WeightedBlend(ctx.task, width, 'given', weightsFromNames(options.weights, ctx.members, ctx.task))
        }
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
