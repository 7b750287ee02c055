/**
 * A model as the server holds it: the loaded ensemble plus what every request needs precomputed
 * (feature names, the column types the request parsers pin, the size of its state for memory
 * accounting), so the hot path does no per-request set-up.
 */
import { makeFrame, numericColumn, categoricalColumn, type ColumnType, type Frame } from '../data/frame.js'
import { LoadedEnsemble } from '../ensemble/loaded.js'
import type { EnsemblePredictor } from '../runtime/predictor.js'
import { ConsortError } from '../errors.js'
import { loadBundle, type LoadedBundle, type ReadArtifactOptions } from '../store/artifact/index.js'
import { HttpError } from './errors.js'
import { registerOnnxModelKind } from '../interop/onnx/register.js'

// Served bundles may hold `onnx` members, a Node-only model kind the registry learns here.
registerOnnxModelKind()

/** What one prediction call returns: the blend, and each member's prediction when asked for. */
export interface Prediction {
  /** Row-major `rows x nOutputs`, on the response scale. */
  readonly values: Float64Array
  readonly rows: number
  /** Each member's prediction by member name, when `members` was asked for. */
  readonly members?: ReadonlyMap<string, Float64Array>
}

/**
 * A loaded model ready to serve.
 * @example
 * const model = await ServedModel.load('model.tar.gz')
 * model.predict(frame).values // Float64Array of frame.nRows * model.nOutputs
 */
export class ServedModel {
  readonly ensemble: EnsemblePredictor
  /** Where the model came from (a path), for status and logs. */
  readonly source: string
  readonly featureNames: readonly string[]
  /** Feature name to its position. */
  readonly featureIndex: ReadonlyMap<string, number>
  /** Feature name to its type: what the request parsers pin, so a file is read as the model reads it. */
  readonly columnTypes: ReadonlyMap<string, ColumnType>
  /** Whether every feature is numeric (the common case: JSON rows are then read without lookups). */
  readonly allNumeric: boolean
  readonly nOutputs: number
  /** Bytes of the decoded member and blender states (typed arrays), for memory accounting. */
  readonly stateBytes: number
  /** Seconds the load took (read, verify, decode, build). */
  readonly loadSeconds: number

  private constructor(ensemble: EnsemblePredictor, source: string, stateBytes: number, loadSeconds: number) {
    this.ensemble = ensemble
    this.source = source
    this.featureNames = ensemble.featureNames
    this.featureIndex = new Map(this.featureNames.map((n, j) => [n, j]))
    this.columnTypes = ensemble.columnTypes
    this.allNumeric = [...ensemble.columnTypes.values()].every((t) => t === 'numeric')
    this.nOutputs = ensemble.nOutputs
    this.stateBytes = stateBytes
    this.loadSeconds = loadSeconds
  }

  /**
   * Reads, verifies (every sha256), decodes and checks a `model.tar.gz` (see {@link ServedModel.check}).
   * A bundle that fails any of it is refused: the library's error (a `ConsortError` with its code)
   * or an HttpError `model_invalid` (422), naming the file.
   * @example
   * const model = await ServedModel.load('out/model.tar.gz')
   */
  static async load(path: string, options: ReadArtifactOptions = {}): Promise<ServedModel> {
    const t0 = performance.now()
    let bundle: LoadedBundle
    let ensemble: LoadedEnsemble
    try {
      bundle = await loadBundle(path, options)
      ensemble = LoadedEnsemble.fromBundle(bundle, path)
    } catch (err) {
      // The library's own errors keep their code (a missing file, a corrupt or newer bundle).
      if (err instanceof ConsortError) throw err
      throw new HttpError('model_invalid', `cannot load ${path}: ${err instanceof Error ? err.message : String(err)}`)
    }
    const bytes = typedBytes(bundle.members) + typedBytes(bundle.blenderState)
    const model = new ServedModel(ensemble, path, bytes, (performance.now() - t0) / 1000)
    model.check()
    return model
  }

  /**
   * Wraps an ensemble already in memory: a library user's, one read from bytes in a runtime
   * without a file system, or a test's.
   * @example
   * const model = ServedModel.fromEnsemble(await EnsemblePredictor.fromBytes(bytes))
   */
  static fromEnsemble(ensemble: EnsemblePredictor, source = 'memory'): ServedModel {
    const model = new ServedModel(ensemble, source, 0, 0)
    model.check()
    return model
  }

  get task(): EnsemblePredictor['task'] {
    return this.ensemble.task
  }

  get memberNames(): readonly string[] {
    return this.ensemble.memberNames
  }

  /**
   * Predicts one row of missing values and checks the answer's shape: a model that loads but
   * cannot predict is refused before it takes traffic. Throws HttpError `model_invalid`.
   * @example
   * model.check()
   */
  check(): void {
    const frame = makeFrame(
      this.featureNames.map((name) =>
        this.columnTypes.get(name) === 'categorical' ? categoricalColumn(name, Int32Array.of(-1), []) : numericColumn(name, Float64Array.of(NaN)),
      ),
    )
    let out: Float64Array
    try {
      out = this.ensemble.predict(frame)
    } catch (err) {
      throw new HttpError('model_invalid', `${this.source}: the model fails to predict: ${err instanceof Error ? err.message : String(err)}`)
    }
    if (out.length !== this.nOutputs) throw new HttpError('model_invalid', `${this.source}: the model predicts ${out.length} values for one row, expected ${this.nOutputs}`)
  }

  /**
   * The ensemble's prediction for `frame` (columns matched by name), with each member's when
   * `members` is true.
   * @example
   * const { values, members } = model.predict(frame, true)
   */
  predict(frame: Frame, members = false): Prediction {
    const ensemble = this.ensemble
    if (!members) return { values: ensemble.predict(frame), rows: frame.nRows }
    const x = ensemble.align(frame)
    if (x.nRows === 0) return { values: new Float64Array(0), rows: 0, members: new Map(ensemble.memberNames.map((n) => [n, new Float64Array(0)])) }
    const each = ensemble.members.map((m) => m.predict(x))
    const values = ensemble.blend.blend(each, x)
    return { values, rows: x.nRows, members: new Map(ensemble.memberNames.map((n, i) => [n, each[i]])) }
  }
}

/** Bytes of every typed array reachable from `value` (a decoded state: plain objects, arrays, typed arrays). */
function typedBytes(value: unknown, depth = 0): number {
  if (value === null || typeof value !== 'object' || depth > 64) return 0
  if (ArrayBuffer.isView(value)) return value.byteLength
  let total = 0
  for (const v of Array.isArray(value) ? value : Object.values(value)) total += typedBytes(v, depth + 1)
  return total
}
