/**
 * The first stage of a training job, and the part a tuning job does once for all its trials:
 * read each channel once, check the target, infer the task, split the folds and fingerprint the
 * data. The fingerprint is known before any fit, since it is the member cache's key. Binning is
 * done once per bin count, when the members that read it are known ({@link binForMembers}).
 */
import { createHash } from 'node:crypto'
import type { DataCounters } from '../data/counters.js'
import { type Frame, dropColumns, getColumn } from '../data/frame.js'
import { readFrame } from '../data/read.js'
import { type Fold, kFold, stratifiedKFold } from '../data/splits.js'
import { FeatureAligner } from '../runtime/align.js'
import type { MemberPlan } from '../ensemble/oof.js'
import { DataError } from '../errors.js'
import { binningOf, prepareTrainingData, type PreparedTrainingData } from '../learners/training-data.js'
import type { Task } from '../learners/types.js'
import { defaultMetric, getMetric, type Metric } from '../metrics/registry.js'
import type { MembersSpec } from './spec/types.js'

/** The parts of a training spec that say which data, which target, which folds and which metric. */
export type DataSpec = Pick<MembersSpec, 'task' | 'target' | 'channels' | 'types' | 'cv' | 'metric'>

/** A job's data, read once and shared by every member, fold and trial. */
export interface PreparedData {
  readonly task: Task
  /** 2 for binary, k for multiclass, 1 for regression. */
  readonly nClasses: number
  readonly metric: Metric
  readonly y: Float64Array
  /** The training channel without its target column. */
  readonly features: Frame
  /** The features, binned on first use of each bin count. */
  readonly data: PreparedTrainingData
  readonly folds: readonly Fold[]
  /** The validation channel aligned to the training features by name and category, if any. */
  readonly validation: { readonly features: Frame; readonly y: Float64Array } | null
  /** The holdout channel, aligned the same way: the blender's rows when the spec has one. */
  readonly holdout: { readonly features: Frame; readonly y: Float64Array } | null
  /** sha256 of the training frame's content. */
  readonly dataFingerprint: string
  /**
   * What a member's out-of-fold result depends on besides its learner and parameters: the data,
   * the target, the task and the folds. The member cache's scope.
   */
  readonly scope: string
  /** The cross-validation seed, also every member's seed when it names none. */
  readonly seed: number
  /** Seconds spent reading. */
  readonly readSeconds: number
}

export interface PrepareOptions {
  /** The job's counters: each read (and later each binning) is counted there. */
  readonly counters?: DataCounters
}

/**
 * Reads and checks the data of `spec`.
 * @example
 * const prepared = await prepare(spec, { counters: meter.counters })
 * binForMembers(prepared, plans) // one binning per bin count the members read
 */
export async function prepare(spec: DataSpec, options: PrepareOptions = {}): Promise<PreparedData> {
  const t0 = performance.now()
  const { train: trainPath, validation: validationPath, holdout: holdoutPath } = spec.channels
  const train = await readFrame(trainPath, { types: spec.types, counters: options.counters })
  const validation = validationPath ? await readFrame(validationPath, { types: spec.types, counters: options.counters }) : null
  const holdout = holdoutPath ? await readFrame(holdoutPath, { types: spec.types, counters: options.counters }) : null
  const readSeconds = (performance.now() - t0) / 1000

  const y = targetOf(train, spec.target, trainPath)
  checkHasFeatures(train, spec.target, trainPath)
  const task = spec.task ?? inferTask(y)
  const nClasses = checkTask(task, y, trainPath)
  const features = dropColumns(train, [spec.target])
  const metric = spec.metric ? getMetric(spec.metric) : defaultMetric(task)
  const stratify = spec.cv.stratified === 'auto' ? task !== 'regression' : spec.cv.stratified
  if (spec.cv.folds > train.nRows) throw new DataError(`${spec.cv.folds} folds for ${train.nRows} rows`, { field: 'cv.folds' })
  const folds = stratify ? stratifiedKFold(y, spec.cv.folds, spec.cv.seed) : kFold(train.nRows, spec.cv.folds, spec.cv.seed)
  const dataFingerprint = fingerprint(train)
  const scope = createHash('sha256')
    .update(JSON.stringify([dataFingerprint, spec.target, task, nClasses, spec.cv.folds, spec.cv.seed, stratify]))
    .digest('hex')
  return {
    task,
    nClasses,
    metric,
    y,
    features,
    data: prepareTrainingData(features, { seed: spec.cv.seed, counters: options.counters }),
    folds,
    validation: validation && {
      // Its columns by name and its categories onto the training dictionaries, whatever their order.
      features: new FeatureAligner(features.schema.fields).align(validation, validationPath),
      y: targetOf(validation, spec.target, validationPath!),
    },
    holdout: holdout && {
      features: new FeatureAligner(features.schema.fields).align(holdout, holdoutPath),
      y: checkedTarget(holdout, spec.target, holdoutPath!, task, nClasses),
    },
    dataFingerprint,
    scope,
    seed: spec.cv.seed,
    readSeconds,
  }
}

/**
 * Bins the features once for each bin count `members` read, before any fit: every member and fold
 * then shares the binnings, and the job times binning as its own stage. Returns the seconds spent.
 * @example const seconds = binForMembers(prepared, plans)
 */
export function binForMembers(prepared: PreparedData, members: readonly MemberPlan[]): number {
  const t0 = performance.now()
  for (const m of members) {
    const maxBin = binningOf(m.learner, m.params)
    if (maxBin !== null) prepared.data.binnedAt(maxBin)
  }
  return (performance.now() - t0) / 1000
}

/**
 * The target column as numbers; a channel with no data rows, and text, missing or non-finite
 * targets, are refused (the latter with their row).
 */
function targetOf(frame: Frame, target: string, file: string): Float64Array {
  if (!frame.columns.some((c) => c.name === target)) {
    throw new DataError(`no target column '${target}' (columns: ${frame.columns.map((c) => c.name).join(', ')})`, { file, field: 'target' })
  }
  if (frame.nRows === 0) throw new DataError('the file has no data rows, only a header', { file })
  const column = getColumn(frame, target)
  if (column.type === 'categorical') {
    // Text in the column: name the first value that is not a number.
    const row = column.codes.findIndex((code) => code >= 0 && !Number.isFinite(Number(column.categories[code])))
    const shown = row >= 0 ? `'${column.categories[column.codes[row]]}' on data row ${row + 1}` : 'text values'
    throw new DataError(`the target must be numbers (class ids 0, 1, ... for a classifier); found ${shown}`, { file, field: target })
  }
  const y = Float64Array.from(column.values)
  for (let i = 0; i < y.length; i++) {
    if (!Number.isFinite(y[i])) throw new DataError(`target is missing or not finite on data row ${i + 1}`, { file, field: target })
  }
  return y
}

/** A holdout's target, whose classes must be the training data's (a blender fitted there predicts them). */
function checkedTarget(frame: Frame, target: string, file: string, task: Task, nClasses: number): Float64Array {
  const y = targetOf(frame, target, file)
  if (task === 'regression') return y
  const bad = y.findIndex((v) => !Number.isInteger(v) || v < 0 || v >= nClasses)
  if (bad >= 0) throw new DataError(`a ${task} target needs class ids 0..${nClasses - 1} as in the training data; found ${y[bad]} on data row ${bad + 1}`, { file, field: target })
  return y
}

/** A model needs something to learn from besides the target. */
function checkHasFeatures(frame: Frame, target: string, file: string): void {
  if (frame.columns.length < 2) throw new DataError(`no feature columns: the target '${target}' is the file's only column`, { file })
}

/** 0/1 targets are binary, small non-negative integers multiclass, anything else regression. */
function inferTask(y: Float64Array): Task {
  const values = new Set<number>()
  for (const v of y) {
    if (!Number.isInteger(v) || v < 0) return 'regression'
    values.add(v)
    if (values.size > 20) return 'regression'
  }
  return values.size <= 2 && [...values].every((v) => v === 0 || v === 1) ? 'binary' : values.size <= 20 ? 'multiclass' : 'regression'
}

/** Number of classes (1 for regression); a classifier needs class ids 0..k-1 and two classes at least. */
function checkTask(task: Task, y: Float64Array, file: string): number {
  if (task === 'regression') return 1
  let max = 0
  const seen = new Set<number>()
  for (const v of y) {
    if (!Number.isInteger(v) || v < 0) throw new DataError(`a ${task} target needs class ids 0, 1, ...; found ${v}`, { file, field: 'target' })
    seen.add(v)
    if (v > max) max = v
  }
  if (seen.size < 2) throw new DataError(`a ${task} target needs at least two classes; found only ${[...seen].join(', ')}`, { file, field: 'target' })
  if (task === 'binary' && max > 1) throw new DataError(`a binary target needs classes 0 and 1; found ${max}`, { file, field: 'target' })
  return task === 'binary' ? 2 : max + 1
}

/** A content hash of the training frame, so a model records exactly which data made it. */
function fingerprint(frame: Frame): string {
  const h = createHash('sha256')
  for (const c of frame.columns) {
    h.update(c.name)
    const a = c.type === 'numeric' ? c.values : c.codes
    h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength))
    if (c.type === 'categorical') h.update(c.categories.join('\u0000'))
  }
  return h.digest('hex')
}
