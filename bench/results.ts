/**
 * The JSON a benchmark run prints, one schema per mode. The child process builds these objects;
 * the suite parses them back with the same schemas, so both sides agree on every field.
 */
import { z } from 'zod'

/** Test metrics by name; which ones are present depends on the task. */
export const metricValuesSchema = z.object({
  rmse: z.number().optional(),
  auc: z.number().optional(),
  logloss: z.number().optional(),
  accuracy: z.number().optional(),
  mlogloss: z.number().optional(),
})

const paramsSchema = z.record(z.string(), z.union([z.number(), z.string(), z.boolean()]))
const taskSchema = z.enum(['regression', 'binary', 'multiclass'])

/** What `train_s` covers, stated in every result so a reader need not guess. */
export const TRAIN_S_INCLUDES = 'quantile cut points + binning + fit; not CSV reading'

/**
 * `LEARNER --train FILE --test FILE`: train on one file, score the other. Times in seconds, memory
 * in MiB (2^20 bytes). With `nrepeat` > 1, `train_s` and `predict_s` are the minimum over the
 * repeats and the `_all` arrays hold every run.
 */
export const holdoutResultSchema = metricValuesSchema.extend({
  mode: z.literal('holdout'),
  learner: z.string(),
  task: taskSchema,
  n_classes: z.number(),
  params: paramsSchema,
  train_file: z.string(),
  test_file: z.string(),
  rows: z.number(),
  features: z.number(),
  test_rows: z.number(),
  read_s: z.number(),
  read_train_s: z.number(),
  read_test_s: z.number(),
  train_s: z.number(),
  train_s_includes: z.string(),
  bin_s: z.number(),
  fit_s: z.number(),
  train_cpu_s: z.number(),
  train_s_all: z.array(z.number()),
  predict_s: z.number(),
  predict_s_all: z.array(z.number()),
  nrepeat: z.number(),
  binned_mb: z.number(),
  peak_rss_read_mb: z.number(),
  peak_rss_mb: z.number(),
})

/** A holdout run's JSON line. */
export type HoldoutResult = z.infer<typeof holdoutResultSchema>

/**
 * `LEARNER --data FILE --folds K --repeats R`: k-fold cross-validation repeated with fold seeds
 * `seed, seed + 1, ...`. `mean` and `std` summarise the metric over all K x R held-out folds;
 * `oof` is the pooled out-of-fold metric of each repeat, averaged over the repeats. Each fold
 * bins its own training rows, as each fold of the XGBoost peer builds its own DMatrix.
 */
export const cvResultSchema = z.object({
  mode: z.literal('cv'),
  learner: z.string(),
  task: taskSchema,
  n_classes: z.number(),
  params: paramsSchema,
  data_file: z.string(),
  rows: z.number(),
  features: z.number(),
  folds: z.number(),
  repeats: z.number(),
  seed: z.number(),
  read_s: z.number(),
  train_s: z.number(),
  train_s_includes: z.string(),
  predict_s: z.number(),
  mean: metricValuesSchema,
  std: metricValuesSchema,
  oof: metricValuesSchema,
  per_fold: z.array(metricValuesSchema.extend({ repeat: z.number(), fold: z.number() })),
  peak_rss_mb: z.number(),
})

/** A cross-validation run's JSON line. */
export type CvResult = z.infer<typeof cvResultSchema>

/** `read --file FILE --runs N`: the file read `runs` times with `readFrame`; `read_s` is the fastest. */
export const readResultSchema = z.object({
  mode: z.literal('read'),
  file: z.string(),
  mb: z.number(),
  rows: z.number(),
  columns: z.number(),
  runs: z.number(),
  read_s: z.number(),
  read_s_all: z.array(z.number()),
  peak_rss_mb: z.number(),
})

/** A read run's JSON line. */
export type ReadResult = z.infer<typeof readResultSchema>
