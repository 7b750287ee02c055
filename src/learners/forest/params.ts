/**
 * Parameters of the `random_forest` and `extra_trees` learners: scikit-learn's names, defaults and
 * bounds, defined once. The two schemas differ only in the default of `bootstrap`.
 */
import { z } from 'zod'
import type { Aliases } from '../params.js'

export const CRITERIA = ['squared_error', 'gini', 'entropy'] as const
export type Criterion = (typeof CRITERIA)[number]

const maxFeatures = z
  .union([z.enum(['sqrt', 'log2']), z.number().gt(0)])
  .refine((v) => typeof v === 'string' || v <= 1 || Number.isInteger(v), 'max_features above 1 must be a whole number of features')
  .optional()
  .describe('Features drawn at each split: sqrt, log2, a fraction in (0, 1] (1 = all) or a count >= 2 (default: 1.0 for regression, sqrt for classification)')

function forestSchema(bootstrap: boolean) {
  return z.object({
    n_estimators: z.number().int().min(1).default(100).describe('Number of trees'),
    max_depth: z.number().int().min(1).optional().describe('Maximum tree depth (default: unlimited)'),
    min_samples_split: z.number().min(2).default(2).describe('Fewest samples a node needs to be split'),
    min_samples_leaf: z.number().min(1).default(1).describe('Fewest samples each child of a split must keep'),
    max_features: maxFeatures,
    bootstrap: z.boolean().default(bootstrap).describe('Train each tree on a bootstrap sample of the rows'),
    max_samples: z
      .number()
      .gt(0)
      .refine((v) => v <= 1 || Number.isInteger(v), 'max_samples above 1 must be a whole number of rows')
      .optional()
      .describe('Rows drawn per tree with bootstrap: a fraction in (0, 1] or a count (default: all rows)'),
    criterion: z.enum(CRITERIA).optional().describe('Split quality: squared_error (regression), gini or entropy (classification; default gini)'),
    random_state: z.number().int().optional().describe("Random seed (default: the job's seed, else 0)"),
    n_jobs: z.number().int().min(-1).optional().describe('Threads used to build trees (-1 or 0: all cores; default: the job\'s thread budget)'),
    oob_score: z.boolean().default(false).describe('Score each row with the trees that did not draw it (needs bootstrap)'),
  })
}

/** Schema of `random_forest` (bootstrap on by default). */
export const randomForestParams = forestSchema(true)
/** Schema of `extra_trees` (bootstrap off by default). */
export const extraTreesParams = forestSchema(false)

export type ForestParams = z.infer<typeof randomForestParams>

export const forestAliases: Aliases = {
  num_trees: 'n_estimators',
  seed: 'random_state',
  nthread: 'n_jobs',
}
