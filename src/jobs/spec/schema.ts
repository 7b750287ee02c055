/**
 * The zod schemas of the two spec shapes: a built-in ensemble (`members`) and a training script
 * (`estimator`). Every object is strict, so a mistyped field is an error, not silently ignored.
 * Cross-field rules that need the learner registry (learner kinds, member params, shared
 * hyperparameters) are checked after these schemas, in parse.ts.
 */
import { z } from 'zod'
import { METRIC_NAMES } from '../../metrics/registry.js'

/** Member and channel names end up in metric names and environment variables: keep them plain. */
const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/
const plainName = z.string().regex(NAME, 'must start with a letter or _ and hold only letters, digits, _ and -')

const nonEmpty = z.string().min(1, 'must not be empty')

/** A value a hyperparameter can take in a spec. */
export const hyperValueSchema = z.union([z.number(), z.string(), z.boolean()], { error: 'expected a number, string or boolean' })

const hyperparameters = z.record(z.string(), hyperValueSchema)

/** `cv:` k-fold cross-validation. Defaults: 5 folds, stratified when the task is classification, seed 0. */
export const cvSchema = z.strictObject({
  folds: z.number().int().min(2).default(5),
  stratified: z.union([z.literal('auto'), z.boolean()], { error: 'expected auto, true or false' }).default('auto'),
  seed: z.number().int().min(0).default(0),
})

/**
 * `channels:` data files of a built-in ensemble. `holdout` rows are never trained on: members
 * predict them, the blender is fitted on them, and the ensemble is scored on them.
 */
export const channelsSchema = z.strictObject({
  train: nonEmpty,
  validation: nonEmpty.optional(),
  holdout: nonEmpty.optional(),
})

/** The learner name of a member that is a model file, imported rather than trained. */
export const IMPORT_LEARNER = 'import'

/**
 * One entry of `members:`: a learner with raw `params` (shared hyperparameters are bound to them
 * later), or `learner: import` with the model file's `path` and, for a model that names no
 * features, its `features` in column order.
 */
export const memberSchema = z
  .strictObject({
    learner: nonEmpty,
    params: z.record(z.string(), z.unknown()).optional(),
    path: nonEmpty.optional(),
    features: z.array(nonEmpty).min(1, 'must name at least one feature').optional(),
  })
  .superRefine((m, ctx) => {
    if (m.learner === IMPORT_LEARNER) {
      if (m.path === undefined) ctx.addIssue({ code: 'custom', message: 'an imported member needs the path of its model file', path: ['path'] })
      if (m.params !== undefined) ctx.addIssue({ code: 'custom', message: 'an imported member is not trained: it takes no params', path: ['params'] })
      return
    }
    for (const key of ['path', 'features'] as const) {
      if (m[key] !== undefined) ctx.addIssue({ code: 'custom', message: `'${key}' belongs to an imported member (learner: import), not to a '${m.learner}' member`, path: [key] })
    }
  })

/** `blend:` the method is checked here; its other options go to the blender as they are. */
export const blendSchema = z
  .object({ method: z.enum(['mean', 'weighted', 'stack', 'vote']) })
  .catchall(z.unknown())
  .transform(({ method, ...options }) => ({ method, options }))

/** The built-in ensemble spec (the `members` form). */
export const membersSpecSchema = z.strictObject({
  name: nonEmpty,
  task: z.enum(['regression', 'binary', 'multiclass']).optional(),
  target: nonEmpty,
  channels: channelsSchema,
  types: z.record(z.string(), z.enum(['numeric', 'categorical'])).default({}),
  cv: cvSchema.default({ folds: 5, stratified: 'auto', seed: 0 }),
  metric: z.enum(METRIC_NAMES).optional(),
  members: z
    .record(plainName, memberSchema)
    .refine((members) => Object.keys(members).length > 0, 'needs at least one member'),
  hyperparameters: hyperparameters.default({}),
  blend: blendSchema.default({ method: 'mean', options: {} }),
  final: z.enum(['refit', 'bag']).default('refit'),
})

/** One `metric_definitions` entry, SageMaker's spelling: a name and a regex with one capture group. */
export const metricDefinitionSchema = z.strictObject({
  Name: nonEmpty,
  Regex: nonEmpty.refine(compiles, 'is not a valid regular expression'),
})

/** The script-mode estimator: a program run with SageMaker's training contract. */
export const estimatorSchema = z.strictObject({
  entry_point: nonEmpty,
  source_dir: nonEmpty.optional(),
  command: z.union([nonEmpty, z.array(nonEmpty).min(1)], { error: 'expected a command or a list of its words' }).optional(),
  hyperparameters: hyperparameters.default({}),
  metric_definitions: z.array(metricDefinitionSchema).default([]),
  channels: z.record(plainName, nonEmpty),
})

/** The training-script spec (the `estimator` form). */
export const scriptSpecSchema = z.strictObject({
  name: nonEmpty,
  estimator: estimatorSchema,
})

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern)
    return true
  } catch {
    return false
  }
}
