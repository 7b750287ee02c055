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

/** `channels:` data files of a built-in ensemble. */
export const channelsSchema = z.strictObject({
  train: nonEmpty,
  validation: nonEmpty.optional(),
})

/** One entry of `members:`. `params` are kept raw: shared hyperparameters are bound to them later. */
export const memberSchema = z.strictObject({
  learner: nonEmpty,
  params: z.record(z.string(), z.unknown()).default({}),
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
