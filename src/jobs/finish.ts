/**
 * The last stage of a training job: fit the blender on the members' out-of-fold predictions,
 * score the members and the ensemble (`cv:<metric>`, `cv:<metric>:<member>`, `validation:...`),
 * and save one `model.tar.gz` plus `metrics.json`. A tuning job scores every trial with
 * {@link blendAndScore} and saves only the trials it keeps.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { getBlender } from '../ensemble/blenders/index.js'
import type { BlendModel } from '../ensemble/blenders/types.js'
import { crossFitBlend } from '../ensemble/blend-oof.js'
import type { MemberOof, MemberPlan } from '../ensemble/oof.js'
import { saveBundle } from '../store/artifact/index.js'
import { writeJsonAtomic } from '../store/atomic-write.js'
import type { PreparedData } from './prepare.js'
import type { Resources } from './resources.js'
import type { BlendSpec } from './spec/types.js'

/** A blended, scored ensemble, not yet saved. */
export interface ScoredEnsemble {
  readonly blend: BlendModel
  /** Flat map: `cv:<metric>`, `cv:<metric>:<member>`, `validation:<metric>[:<member>]`. */
  readonly metrics: Readonly<Record<string, number>>
  /** The ensemble's out-of-fold predictions, each row blended by a blender that never saw it. */
  readonly oof: Float64Array
  /** The job's metric on each fold's held-out rows: `ensemble` and each member by name, in fold order. */
  readonly folds: Readonly<Record<string, readonly number[]>>
}

/**
 * Fits `blend` on the members' out-of-fold predictions and scores members and ensemble. The
 * ensemble's `cv:` score comes from a blender cross-fitted on the same folds, never from rows it
 * was fitted on; validation scores need the members' final models.
 * @example const { metrics } = await blendAndScore(prepared, spec.blend, oofs)
 */
export async function blendAndScore(prepared: PreparedData, blend: BlendSpec, oofs: readonly MemberOof[]): Promise<ScoredEnsemble> {
  const { task, nClasses, metric, y, features, folds } = prepared
  const blender = getBlender(blend.method, blend.options)
  const context = { task, nClasses, metric: metric.name, features, seed: prepared.seed }
  const memberOofs = oofs.map((o) => o.oof)
  const fitted = await blender.fit(memberOofs, y, context)
  const scoreClasses = task === 'regression' ? 1 : nClasses
  const metrics: Record<string, number> = {}
  const honest = await crossFitBlend(blender, memberOofs, y, folds, oofs[0].nOutputs, context)
  metrics[`cv:${metric.name}`] = metric.compute(y, honest, scoreClasses)
  for (const o of oofs) metrics[`cv:${metric.name}:${o.name}`] = o.pooled[metric.name]
  if (prepared.validation) {
    const { features: aligned, y: vy } = prepared.validation
    const preds = oofs.map((o) => o.final!.predict(aligned))
    metrics[`validation:${metric.name}`] = metric.compute(vy, fitted.blend(preds, aligned), scoreClasses)
    oofs.forEach((o, i) => (metrics[`validation:${metric.name}:${o.name}`] = metric.compute(vy, preds[i], scoreClasses)))
  }
  const nOutputs = oofs[0].nOutputs
  const perFold: Record<string, number[]> = {
    ensemble: folds.map(({ test }) => {
      const pred = new Float64Array(test.length * nOutputs)
      test.forEach((row, r) => pred.set(honest.subarray(row * nOutputs, (row + 1) * nOutputs), r * nOutputs))
      return metric.compute(Float64Array.from(test, (row) => y[row]), pred, scoreClasses)
    }),
  }
  for (const o of oofs) perFold[o.name] = o.foldScores.map((s) => s[metric.name])
  return { blend: fitted, metrics, oof: honest, folds: perFold }
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
      members: members.map((p, i) => ({ name: p.name, state: oofs[i].final!.toState(), params: jsonParams(p.params) })),
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
