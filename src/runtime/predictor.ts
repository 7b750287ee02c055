/**
 * A verified model bundle ready to predict: the members rebuilt from their states, the fitted
 * blend, and the manifest's feature list, so any frame with the right columns (a file, a chunk of
 * one, the body of a request) predicts the same as the training job's final models. This is the
 * one prediction path: batch transform, the endpoint and a browser all predict through it, and it
 * holds nothing of the training code.
 */
import type { ColumnType, Frame } from '../data/frame.js'
import { BundleError, type Location } from '../errors.js'
import type { Task } from '../task.js'
import { FeatureAligner } from './align.js'
import { blenderFromState } from './blend/registry.js'
import type { BlendModel, BlendState } from './blend/types.js'
import type { Manifest } from './bundle/manifest.js'
import { readJsonBundle } from './bundle/json.js'
import { readBundle, type LoadedBundle, type ReadBundleOptions } from './bundle/read.js'
import { InputMapper, type InputRow, type RowsOptions } from './input.js'
import { modelFromState } from './models/registry.js'
import type { Model } from './models/types.js'

/** The ensemble's prediction with each member's, for debugging a blend. */
export interface MemberPredictions {
  /** Row-major `n x nOutputs`, the blend. */
  readonly prediction: Float64Array
  /** One array per member, in {@link EnsemblePredictor.memberNames} order, same layout. */
  readonly members: readonly Float64Array[]
}

/**
 * Members and blend of a bundle, predicting frames.
 * @example
 * const model = await EnsemblePredictor.fromBytes(new Uint8Array(await (await fetch(url)).arrayBuffer()))
 * const p = model.predict(model.frameFromRows([[0.03, 1, 0.06]]))
 */
export class EnsemblePredictor {
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
  /** Feature names in training order. */
  readonly featureNames: readonly string[]
  private readonly aligner: FeatureAligner
  private mapper: InputMapper | undefined

  /**
   * Builds the ensemble from a bundle already read and verified (see `readBundle`). A bundle whose
   * parts disagree (member count, task, outputs) or whose states do not rebuild is a BundleError
   * naming `file` when given.
   * @example const model = new EnsemblePredictor(await readBundle(bytes), 'model.tar.gz')
   */
  constructor(bundle: LoadedBundle, file?: string) {
    const at = (field: string): Location => (file === undefined ? { field } : { file, field })
    const fail = (message: string, field: string): never => {
      throw new BundleError(message, at(field))
    }
    const { manifest } = bundle
    if (bundle.blenderState === undefined) fail('the bundle has no blender state', 'blender')
    const blend = located(() => blenderFromState(bundle.blenderState as BlendState), at('blender'))
    const members = bundle.members.map((m, i) => located(() => modelFromState(m.state), at(`members.${i}`)))
    if (members.length === 0) fail('the bundle has no members', 'members')
    if (blend.nMembers !== members.length) fail(`the blend expects ${blend.nMembers} members, the bundle has ${members.length}`, 'blender')
    if (blend.task !== manifest.task) fail(`the blend is for a ${blend.task} task, the manifest says ${manifest.task}`, 'blender')
    members.forEach((m, i) => {
      if (m.nOutputs !== blend.nOutputs) fail(`member '${bundle.members[i].name}' predicts ${m.nOutputs} values per row, the blend expects ${blend.nOutputs}`, `members.${i}`)
    })
    this.manifest = manifest
    this.task = manifest.task
    this.memberNames = bundle.members.map((m) => m.name)
    this.members = members
    this.blend = blend
    this.nOutputs = blend.nOutputs
    this.columnTypes = new Map(manifest.features.map((f) => [f.name, f.type]))
    this.featureNames = manifest.features.map((f) => f.name)
    this.aligner = new FeatureAligner(manifest.features)
  }

  /**
   * Reads, verifies and builds a `model.tar.gz` held in memory (any fault is a BundleError).
   * @example const model = await EnsemblePredictor.fromBytes(bytes, { file: 'model.tar.gz' })
   */
  static async fromBytes(bytes: Uint8Array, options: ReadBundleOptions = {}): Promise<EnsemblePredictor> {
    return new EnsemblePredictor(await readBundle(bytes, options), options.file)
  }

  /**
   * Reads, verifies and builds a JSON bundle (`consort export --format json`): the same checks
   * and the same predictions as the `model.tar.gz` it came from (any fault is a BundleError).
   * @example const model = await EnsemblePredictor.fromJson(await (await fetch('/model.json')).text())
   */
  static async fromJson(text: string, options: { readonly file?: string } = {}): Promise<EnsemblePredictor> {
    return new EnsemblePredictor(await readJsonBundle(text, options.file), options.file)
  }

  /**
   * The frame's feature columns in training order, with training category codes (see
   * `FeatureAligner`); `file` names the input in errors.
   * @example const x = model.align(frame, 'new.csv')
   */
  align(frame: Frame, file?: string): Frame {
    return this.aligner.align(frame, file)
  }

  /**
   * A frame of the model's features from rows given as arrays (by position, or by the column
   * names in `options.names`, a CSV header say) or as records keyed by column name (see
   * `InputMapper`). Bad cells and ragged rows are DataErrors naming the row and the column.
   * @example const frame = model.frameFromRows([{ age: 0.03, sex: 1 }])
   */
  frameFromRows(rows: readonly InputRow[], options: RowsOptions = {}): Frame {
    this.mapper ??= new InputMapper(this.manifest.features)
    return this.mapper.frame(rows, options)
  }

  /**
   * The ensemble's predictions for `frame`, row-major `n x nOutputs` on the response scale
   * (values, P(class 1), or class probabilities): every member predicts the aligned frame and the
   * blend combines them. Columns are matched by name, in any order; extra columns are ignored.
   * @example const pred = model.predict(frame, 'new.csv') // Float64Array of frame.nRows * model.nOutputs
   */
  predict(frame: Frame, file?: string): Float64Array {
    return this.predictMembers(frame, file).prediction
  }

  /**
   * The blend's prediction and each member's (same layout), for debugging a blend.
   * @example const { prediction, members } = model.predictMembers(frame)
   */
  predictMembers(frame: Frame, file?: string): MemberPredictions {
    const x = this.align(frame, file)
    if (x.nRows === 0) return { prediction: new Float64Array(0), members: this.members.map(() => new Float64Array(0)) }
    const members = this.members.map((m) => m.predict(x))
    return { prediction: this.blend.blend(members, x), members }
  }
}

/** Runs `build`, giving a BundleError from a state the location of that state in the bundle. */
function located<T>(build: () => T, where: Location): T {
  try {
    return build()
  } catch (err) {
    if (err instanceof BundleError) {
      const field = err.location.field === undefined ? where.field : `${where.field}.${err.location.field}`
      throw new BundleError(err.detail, { ...err.location, ...where, field }, err.code === 'unsupported_bundle_version' ? err.code : 'invalid_bundle')
    }
    throw err
  }
}
