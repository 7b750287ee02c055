/**
 * The last stage of a training job: fit the blender on the members' out-of-fold predictions,
 * score the members and the ensemble (`cv:<metric>`, `cv:<metric>:<member>`, `validation:...`),
 * and save one `model.tar.gz` plus `metrics.json`. A tuning job scores every trial with
 * {@link blendAndScore} and saves only the trials it keeps.
 */
import { mkdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Frame } from '../data/frame.js'
import { kFold, stratifiedKFold } from '../data/splits.js'
import { DataError } from '../errors.js'
import { getBlender } from '../ensemble/blenders/index.js'
import type { BlendModel } from '../ensemble/blenders/types.js'
import { crossFitBlend } from '../ensemble/blend-oof.js'
import type { MemberOof, MemberPlan } from '../ensemble/oof.js'
import { saveBundle } from '../store/artifact/index.js'
import { writeJsonAtomic } from '../store/atomic-write.js'
import type { ImportedMember } from './imports.js'
import type { PreparedData } from './prepare.js'
import type { Resources } from './resources.js'
import type { BlendSpec } from './spec/types.js'

/** A blended, scored ensemble, not yet saved. */
export interface ScoredEnsemble {
  readonly blend: BlendModel
  /**
   * Flat map: `cv:<metric>`, `cv:<metric>:<member>`, `validation:<metric>[:<member>]`; with
   * imported members and no holdout, `train:<metric>:<member>` for each; with a holdout,
   * `holdout:<metric>[:<member>]` and no ensemble `cv:` score.
   */
  readonly metrics: Readonly<Record<string, number>>
  /**
   * The ensemble's out-of-fold predictions of the training rows, each row blended by a blender
   * that never saw it; absent when the blender was fitted on a holdout.
   */
  readonly oof?: Float64Array
  /** The job's metric on each fold's held-out rows: `ensemble` and each member by name, in fold order. */
  readonly folds: Readonly<Record<string, readonly number[]>>
}

/**
 * Fits `blend` and scores members and ensemble. Without a holdout channel the blender is fitted
 * on the members' out-of-fold predictions (an imported member, never fitted here, gives its
 * predictions of the training rows), and the ensemble's `cv:` score comes from a blender
 * cross-fitted on the same folds, never from rows it was fitted on. With a holdout channel every
 * member predicts the holdout (trained ones with their final model), the blender is fitted there,
 * and the ensemble is scored there by a blender cross-fitted on the holdout's folds. Validation
 * scores need the members' final models.
 * @example const { metrics } = await blendAndScore(prepared, spec.blend, oofs, imports)
 */
export async function blendAndScore(prepared: PreparedData, blend: BlendSpec, oofs: readonly MemberOof[], imports: readonly ImportedMember[] = []): Promise<ScoredEnsemble> {
  if (prepared.holdout) return blendOnHoldout(prepared, prepared.holdout, blend, oofs, imports)
  const { task, nClasses, metric, y, features, folds } = prepared
  const blender = getBlender(blend.method, blend.options)
  const members = [...oofs.map((o) => o.name), ...imports.map((i) => i.name)]
  const context = { task, nClasses, metric: metric.name, features, seed: prepared.seed, members }
  const imported = imports.map((i) => i.model.predict(features))
  const memberOofs = [...oofs.map((o) => o.oof), ...imported]
  const fitted = await blender.fit(memberOofs, y, context)
  const scoreClasses = task === 'regression' ? 1 : nClasses
  const nOutputs = outputsOf(oofs, imports)
  const metrics: Record<string, number> = {}
  const honest = await crossFitBlend(blender, memberOofs, y, folds, nOutputs, context)
  metrics[`cv:${metric.name}`] = metric.compute(y, honest, scoreClasses)
  for (const o of oofs) metrics[`cv:${metric.name}:${o.name}`] = o.pooled[metric.name]
  imports.forEach((m, i) => (metrics[`train:${metric.name}:${m.name}`] = metric.compute(y, imported[i], scoreClasses)))
  if (prepared.validation) scoreValidation(prepared.validation, prepared, fitted, oofs, imports, metrics)
  const onFold = (preds: Float64Array) =>
    folds.map(({ test }) => metric.compute(Float64Array.from(test, (row) => y[row]), rowsOf(preds, test, nOutputs), scoreClasses))
  const perFold: Record<string, number[]> = { ensemble: onFold(honest) }
  for (const o of oofs) perFold[o.name] = o.foldScores.map((s) => s[metric.name])
  imports.forEach((m, i) => (perFold[m.name] = onFold(imported[i])))
  return { blend: fitted, metrics, oof: honest, folds: perFold }
}

type Labelled = { readonly features: Frame; readonly y: Float64Array }

async function blendOnHoldout(prepared: PreparedData, holdout: Labelled, blend: BlendSpec, oofs: readonly MemberOof[], imports: readonly ImportedMember[]): Promise<ScoredEnsemble> {
  const { task, nClasses, metric } = prepared
  const blender = getBlender(blend.method, blend.options)
  const members = [...oofs.map((o) => o.name), ...imports.map((i) => i.name)]
  const context = { task, nClasses, metric: metric.name, features: holdout.features, seed: prepared.seed, members }
  const preds = predictAll(holdout.features, oofs, imports)
  const fitted = await blender.fit(preds, holdout.y, context)
  const scoreClasses = task === 'regression' ? 1 : nClasses
  const nOutputs = outputsOf(oofs, imports)
  const n = holdout.y.length
  const k = Math.min(prepared.folds.length, n)
  if (k < 2) throw new DataError(`the holdout has ${n} row(s): fitting and scoring a blender there needs at least 2`, { field: 'channels.holdout' })
  const folds = task === 'regression' ? kFold(n, k, prepared.seed) : stratifiedKFold(holdout.y, k, prepared.seed)
  const honest = await crossFitBlend(blender, preds, holdout.y, folds, nOutputs, context)
  const metrics: Record<string, number> = {}
  metrics[`holdout:${metric.name}`] = metric.compute(holdout.y, honest, scoreClasses)
  for (const o of oofs) metrics[`cv:${metric.name}:${o.name}`] = o.pooled[metric.name]
  members.forEach((name, i) => (metrics[`holdout:${metric.name}:${name}`] = metric.compute(holdout.y, preds[i], scoreClasses)))
  if (prepared.validation) scoreValidation(prepared.validation, prepared, fitted, oofs, imports, metrics)
  const onFold = (p: Float64Array) =>
    folds.map(({ test }) => metric.compute(Float64Array.from(test, (row) => holdout.y[row]), rowsOf(p, test, nOutputs), scoreClasses))
  // Folds of the holdout for the ensemble and the imports; the trained members' own CV folds.
  const perFold: Record<string, number[]> = { ensemble: onFold(honest) }
  for (const o of oofs) perFold[o.name] = o.foldScores.map((s) => s[metric.name])
  imports.forEach((m, i) => (perFold[m.name] = onFold(preds[oofs.length + i])))
  return { blend: fitted, metrics, folds: perFold }
}

/** Every member's predictions of `features`: trained members with their final model, then the imports. */
function predictAll(features: Frame, oofs: readonly MemberOof[], imports: readonly ImportedMember[]): Float64Array[] {
  return [...oofs.map((o) => o.final!.predict(features)), ...imports.map((i) => i.model.predict(features))]
}

function scoreValidation(validation: Labelled, prepared: PreparedData, fitted: BlendModel, oofs: readonly MemberOof[], imports: readonly ImportedMember[], metrics: Record<string, number>): void {
  const { metric, task, nClasses } = prepared
  const scoreClasses = task === 'regression' ? 1 : nClasses
  const preds = predictAll(validation.features, oofs, imports)
  metrics[`validation:${metric.name}`] = metric.compute(validation.y, fitted.blend(preds, validation.features), scoreClasses)
  const names = [...oofs.map((o) => o.name), ...imports.map((i) => i.name)]
  names.forEach((name, i) => (metrics[`validation:${metric.name}:${name}`] = metric.compute(validation.y, preds[i], scoreClasses)))
}

function outputsOf(oofs: readonly MemberOof[], imports: readonly ImportedMember[]): number {
  return oofs.length > 0 ? oofs[0].nOutputs : imports[0].model.nOutputs
}

/** The rows `rows` of row-major predictions with `k` outputs each. */
function rowsOf(preds: Float64Array, rows: ArrayLike<number>, k: number): Float64Array {
  const out = new Float64Array(rows.length * k)
  for (let r = 0; r < rows.length; r++) out.set(preds.subarray(rows[r] * k, (rows[r] + 1) * k), r * k)
  return out
}

/** What {@link saveEnsemble} writes besides the models. */
export interface SaveOptions {
  readonly outDir: string
  /** The spec to record in the manifest's provenance. */
  readonly spec: unknown
  readonly timings: Readonly<Record<string, number>>
  /** What the job cost, measured once the model is written (metrics.json records it). */
  readonly resources: () => Resources
  readonly signal?: AbortSignal
  /** Imported members, saved after the trained ones like any other member. */
  readonly imports?: readonly ImportedMember[]
}

/**
 * Saves the members' final models and the blend as `model.tar.gz`, and `metrics.json`, in
 * `outDir` (created when missing), each written atomically. Returns the artifact's path and the
 * resources recorded.
 * @example const { artifact } = await saveEnsemble(prepared, plans, oofs, scored, { outDir, spec, timings, resources: () => meter.finish() })
 */
export async function saveEnsemble(
  prepared: PreparedData,
  members: readonly MemberPlan[],
  oofs: readonly MemberOof[],
  scored: ScoredEnsemble,
  options: SaveOptions,
): Promise<{ artifact: string; resources: Resources }> {
  await mkdir(options.outDir, { recursive: true })
  const artifact = join(options.outDir, 'model.tar.gz')
  const { task, features } = prepared
  await saveBundle(
    artifact,
    {
      manifest: {
        task,
        features: features.schema.fields.map((f) => ({ name: f.name, type: f.type, ...(f.categories ? { categories: [...f.categories] } : {}) })),
        blender: { kind: scored.blend.kind },
        metrics: scored.metrics,
        provenance: { dataFingerprint: prepared.dataFingerprint, spec: JSON.parse(JSON.stringify(options.spec)), timings: options.timings },
      },
      members: [
        ...members.map((p, i) => ({ name: p.name, state: oofs[i].final!.toState(), params: jsonParams(p.params) })),
        ...(options.imports ?? []).map((m) => ({ name: m.name, state: m.model.toState(), params: jsonParams({ learner: 'import', file: basename(m.path) }) })),
      ],
      blenderState: scored.blend.toState(),
    },
    { signal: options.signal },
  )
  const resources = options.resources()
  const { timings } = options
  await writeJsonAtomic(join(options.outDir, 'metrics.json'), { task, metrics: scored.metrics, folds: scored.folds, seconds: resources.wallSeconds, timings, resources }, { signal: options.signal })
  return { artifact, resources }
}

/** Params as JSON values (the manifest stores them as data). */
function jsonParams(params: Readonly<Record<string, unknown>>): Record<string, never> {
  return JSON.parse(JSON.stringify(params)) as Record<string, never>
}
