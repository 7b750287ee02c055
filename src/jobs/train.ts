/**
 * The training job of a built-in ensemble: read each channel once, bin once, train every member
 * on every fold for out-of-fold predictions, fit the blender on them, score members and ensemble
 * (`cv:<metric>`, `cv:<metric>:<member>`, `validation:...`), finish the members (refit on all rows
 * or keep the fold models) and save one `model.tar.gz` plus `metrics.json`.
 */
import { createHash } from 'node:crypto'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { type Frame, dropColumns, getColumn } from '../data/frame.js'
import { readFrame } from '../data/read.js'
import { type Fold, kFold, stratifiedKFold } from '../data/splits.js'
import { getBlender } from '../ensemble/blenders/index.js'
import { FeatureAligner } from '../ensemble/align.js'
import { crossFitBlend } from '../ensemble/blend-oof.js'
import { outOfFold, type FitEvent, type FitProgressEvent, type MemberPlan } from '../ensemble/oof.js'
import { DataError } from '../errors.js'
import { getLearner, parseLearnerParams } from '../learners/index.js'
import { prepareTrainingData } from '../learners/training-data.js'
import type { Task } from '../learners/types.js'
import { defaultMetric, getMetric } from '../metrics/registry.js'
import { saveBundle } from '../store/artifact/index.js'
import { ResourceMeter, type Resources } from './resources.js'
import { bindHyperparameters } from './spec/index.js'
import type { MembersSpec } from './spec/types.js'

export interface TrainOptions {
  /** Folder for model.tar.gz and metrics.json (created if missing). */
  readonly outDir: string
  readonly signal?: AbortSignal
  /**
   * Fits running side by side, each single-threaded (this thread and `workers - 1` worker threads). 1 runs them one after
   * another in this thread, each learner using `threads`. 0 or absent: one per core, when the
   * job has more than a few thousand rows (below that, starting threads costs more than it saves).
   */
  readonly workers?: number
  /** Threads of a fit run in this thread (0 or absent: all cores). */
  readonly threads?: number
  /** Progress events: the job's stages, each fit's progress, each finished fit. */
  readonly onEvent?: (event: TrainEvent) => void
}

export type TrainEvent =
  | ({ readonly type: 'fit' } & FitEvent)
  | ({ readonly type: 'progress' } & FitProgressEvent)
  | { readonly type: 'plan'; readonly members: readonly string[]; readonly folds: number; readonly refit: boolean; readonly workers: number }
  | { readonly type: 'stage'; readonly stage: 'read' | 'bin' | 'cv' | 'blend' | 'save' }

export interface TrainResult {
  readonly task: Task
  /** Flat map: `cv:<metric>`, `cv:<metric>:<member>`, `validation:<metric>[:<member>]`. */
  readonly metrics: Readonly<Record<string, number>>
  readonly artifact: string
  readonly seconds: number
  /** sha256 of the training frame's content. */
  readonly dataFingerprint: string
  /** What the job cost, with its data reads (one per channel) and binnings (one). */
  readonly resources: Resources
  /** Seconds per stage: read, bin, fits, blend, total. */
  readonly timings: Readonly<Record<string, number>>
}

/** Below this many rows, fits are too short for worker threads to pay for their start. */
const MIN_ROWS_FOR_WORKERS = 2000

/**
 * Runs the training job of `spec`.
 * @example
 * const result = await trainEnsemble(await loadSpec('ensemble.yaml'), { outDir: 'out' })
 * result.metrics['cv:rmse']
 */
export async function trainEnsemble(spec: MembersSpec, options: TrainOptions): Promise<TrainResult> {
  const meter = new ResourceMeter()
  const started = performance.now()
  const timings: Record<string, number> = {}
  const lap = (name: string, t0: number) => (timings[name] = (performance.now() - t0) / 1000)

  options.onEvent?.({ type: 'stage', stage: 'read' })
  let t0 = performance.now()
  const { train: trainPath, validation: validationPath } = spec.channels
  const train = await readFrame(trainPath, { types: spec.types })
  const validation = validationPath ? await readFrame(validationPath, { types: spec.types }) : null
  lap('read', t0)

  const y = targetOf(train, spec.target, spec.channels.train)
  checkHasFeatures(train, spec.target, spec.channels.train)
  const task = spec.task ?? inferTask(y)
  const nClasses = checkTask(task, y, spec.channels.train)
  const features = dropColumns(train, [spec.target])
  const metric = spec.metric ? getMetric(spec.metric) : defaultMetric(task)

  options.onEvent?.({ type: 'stage', stage: 'bin' })
  t0 = performance.now()
  const data = prepareTrainingData(features, 256, spec.cv.seed)
  // Binned here, once, for every member and fold (and timed as its own stage).
  void data.binned
  lap('bin', t0)

  const stratify = spec.cv.stratified === 'auto' ? task !== 'regression' : spec.cv.stratified
  if (spec.cv.folds > train.nRows) throw new DataError(`${spec.cv.folds} folds for ${train.nRows} rows`, { field: 'cv.folds' })
  const folds: Fold[] = stratify ? stratifiedKFold(y, spec.cv.folds, spec.cv.seed) : kFold(train.nRows, spec.cv.folds, spec.cv.seed)
  const bound = bindHyperparameters(spec)
  const plans: MemberPlan[] = Object.entries(spec.members).map(([name, m]) => {
    const learner = getLearner(m.learner, `members.${name}.learner`)
    return { name, learner, params: parseLearnerParams(learner, bound[name], `members.${name}.params`) }
  })

  const fits = plans.length * (folds.length + (spec.final === 'refit' ? 1 : 0))
  const workers = Math.min(fits, options.workers || (train.nRows < MIN_ROWS_FOR_WORKERS ? 1 : availableParallelism()))
  options.onEvent?.({ type: 'plan', members: plans.map((p) => p.name), folds: folds.length, refit: spec.final === 'refit', workers })
  options.onEvent?.({ type: 'stage', stage: 'cv' })
  t0 = performance.now()
  const oofs = await outOfFold(data, y, folds, plans, {
    task,
    nClasses,
    metrics: [metric.name],
    seed: spec.cv.seed,
    workers,
    threads: options.threads,
    signal: options.signal,
    final: spec.final,
    onFit: (e) => options.onEvent?.({ type: 'fit', ...e }),
    onProgress: (e) => options.onEvent?.({ type: 'progress', ...e }),
  })
  const finals = oofs.map((o) => o.final!)
  lap('fits', t0)

  options.onEvent?.({ type: 'stage', stage: 'blend' })
  t0 = performance.now()
  const blender = getBlender(spec.blend.method, spec.blend.options)
  const blendContext = { task, nClasses, metric: metric.name, features, seed: spec.cv.seed }
  const memberOofs = oofs.map((o) => o.oof)
  const blend = await blender.fit(memberOofs, y, blendContext)
  const scoreClasses = task === 'regression' ? 1 : nClasses
  const metrics: Record<string, number> = {}
  // Scored on rows the blender did not fit on, like every member's score.
  const honest = await crossFitBlend(blender, memberOofs, y, folds, oofs[0].nOutputs, blendContext)
  metrics[`cv:${metric.name}`] = metric.compute(y, honest, scoreClasses)
  for (const o of oofs) metrics[`cv:${metric.name}:${o.name}`] = o.pooled[metric.name]

  if (validation) {
    const vy = targetOf(validation, spec.target, validationPath!)
    // Its columns by name and its categories onto the training dictionaries, whatever their order.
    const aligned = new FeatureAligner(features.schema.fields).align(validation, validationPath)
    const preds = finals.map((m) => m.predict(aligned))
    metrics[`validation:${metric.name}`] = metric.compute(vy, blend.blend(preds, aligned), scoreClasses)
    plans.forEach((p, i) => (metrics[`validation:${metric.name}:${p.name}`] = metric.compute(vy, preds[i], scoreClasses)))
  }

  lap('blend', t0)

  options.onEvent?.({ type: 'stage', stage: 'save' })
  lap('total', started)
  await mkdir(options.outDir, { recursive: true })
  const artifact = join(options.outDir, 'model.tar.gz')
  const dataFingerprint = fingerprint(train)
  await saveBundle(
    artifact,
    {
      manifest: {
        task,
        features: features.schema.fields.map((f) => ({ name: f.name, type: f.type, ...(f.categories ? { categories: [...f.categories] } : {}) })),
        blender: { kind: blend.kind },
        metrics,
        provenance: { dataFingerprint, spec: JSON.parse(JSON.stringify(spec)), timings },
      },
      members: plans.map((p, i) => ({ name: p.name, state: finals[i].toState(), params: jsonParams(p.params) })),
      blenderState: blend.toState(),
    },
    { signal: options.signal },
  )
  // metrics.json also goes through a temporary name, so it is never seen half-written.
  const metricsFile = join(options.outDir, 'metrics.json')
  const resources = meter.finish()
  await writeFile(metricsFile + '.tmp', JSON.stringify({ task, metrics, seconds: resources.wallSeconds, timings, resources }, null, 2) + '\n')
  await rename(metricsFile + '.tmp', metricsFile)
  return { task, metrics, artifact, seconds: resources.wallSeconds, dataFingerprint, resources, timings }
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

/** Params as JSON values (the manifest stores them as data). */
function jsonParams(params: Readonly<Record<string, unknown>>): Record<string, never> {
  return JSON.parse(JSON.stringify(params)) as Record<string, never>
}
