/**
 * A trained ensemble ready to predict: the members and the fitted blend of a model bundle, plus
 * the manifest's feature list, so any frame with the right columns (a file, a chunk of one, the
 * body of a request) predicts the same as the training job's final models. Nothing here reads
 * files except {@link LoadedEnsemble.load}; batch transform and the endpoint share this class.
 */
import type { ColumnType, Frame } from '../data/frame.js'
import { DataError } from '../errors.js'
import type { Model } from '../learners/types.js'
import { loadBundle, type LoadedBundle, type Manifest, type ReadArtifactOptions } from '../store/artifact/index.js'
import type { Task } from '../task.js'
import { FeatureAligner } from './align.js'
import { memberFromState } from './bagged.js'
import { blenderFromState, type BlendModel, type BlendState } from './blenders/index.js'
import { predictionColumns } from './prediction-text.js'

/**
 * A loaded model bundle: predicts frames with every member and blends their predictions.
 * @example
 * const model = await LoadedEnsemble.load('model.tar.gz')
 * const pred = model.predict(await readFrame('new.csv', { types: model.columnTypes }), 'new.csv')
 * model.outputColumns // ['prediction'] for regression
 */
export class LoadedEnsemble {
  readonly manifest: Manifest
  readonly task: Task
  /** Member names, in blend order. */
  readonly memberNames: readonly string[]
  readonly members: readonly Model[]
  readonly blend: BlendModel
  /** Values per prediction row: 1 (regression value, or binary P(class 1)) or the number of classes. */
  readonly nOutputs: number
  /** The type of every feature column, for readers' `types` option: a file is then read as the model reads it. */
  readonly columnTypes: ReadonlyMap<string, ColumnType>
  private readonly aligner: FeatureAligner

  private constructor(manifest: Manifest, memberNames: readonly string[], members: readonly Model[], blend: BlendModel) {
    this.manifest = manifest
    this.task = manifest.task
    this.memberNames = memberNames
    this.members = members
    this.blend = blend
    this.nOutputs = blend.nOutputs
    this.columnTypes = new Map(manifest.features.map((f) => [f.name, f.type]))
    this.aligner = new FeatureAligner(manifest.features)
  }

  /**
   * Builds the ensemble from a bundle already read and verified by `loadBundle`. A bundle whose
   * parts disagree (member count, task, outputs) is a DataError naming `file` when given.
   * @example
   * const model = LoadedEnsemble.fromBundle(await loadBundle('model.tar.gz'), 'model.tar.gz')
   */
  static fromBundle(bundle: LoadedBundle, file?: string): LoadedEnsemble {
    const fail = (message: string, field: string): never => {
      throw new DataError(message, file === undefined ? { field } : { file, field })
    }
    const { manifest } = bundle
    if (bundle.blenderState === undefined) fail('the bundle has no blender state', 'blender')
    const blend = blenderFromState(bundle.blenderState as BlendState)
    const members = bundle.members.map((m) => memberFromState(m.state))
    if (members.length === 0) fail('the bundle has no members', 'members')
    if (blend.nMembers !== members.length) fail(`the blend expects ${blend.nMembers} members, the bundle has ${members.length}`, 'blender')
    if (blend.task !== manifest.task) fail(`the blend is for a ${blend.task} task, the manifest says ${manifest.task}`, 'blender')
    members.forEach((m, i) => {
      if (m.nOutputs !== blend.nOutputs) fail(`member '${bundle.members[i].name}' predicts ${m.nOutputs} values per row, the blend expects ${blend.nOutputs}`, `members.${i}`)
    })
    return new LoadedEnsemble(manifest, bundle.members.map((m) => m.name), members, blend)
  }

  /**
   * Reads, verifies and loads a `model.tar.gz` (see `loadBundle`; any fault is a DataError).
   * @example
   * const model = await LoadedEnsemble.load('out/model.tar.gz')
   */
  static async load(path: string, options: ReadArtifactOptions = {}): Promise<LoadedEnsemble> {
    return LoadedEnsemble.fromBundle(await loadBundle(path, options), path)
  }

  /** Feature names in training order. */
  get featureNames(): string[] {
    return this.manifest.features.map((f) => f.name)
  }

  /** Names of the prediction's columns when written out (see `predictionColumns`). */
  get outputColumns(): string[] {
    return predictionColumns(this.task, this.nOutputs)
  }

  /**
   * The frame's feature columns in training order, with training category codes (see
   * `FeatureAligner`); `file` names the input in errors.
   * @example
   * const x = model.align(frame, 'new.csv')
   */
  align(frame: Frame, file?: string): Frame {
    return this.aligner.align(frame, file)
  }

  /**
   * The ensemble's predictions for `frame`, row-major `n x nOutputs` on the response scale
   * (values, P(class 1), or class probabilities): every member predicts the aligned frame and the
   * blend combines them. Columns are matched by name, in any order; extra columns are ignored.
   * @example
   * const pred = model.predict(frame, 'new.csv') // Float64Array of frame.nRows * model.nOutputs
   */
  predict(frame: Frame, file?: string): Float64Array {
    const x = this.align(frame, file)
    if (x.nRows === 0) return new Float64Array(0)
    return this.blend.blend(
      this.members.map((m) => m.predict(x)),
      x,
    )
  }
}
