/**
 * An `onnx` member: any ONNX graph consort cannot convert to a native model, kept as its bytes and
 * run by onnxruntime-node ({@link SyncSession}). Node-only, so it lives here, not in runtime/; the
 * kind is registered by {@link registerOnnxModelKind}, which the CLI and the server call at start.
 */
import type { Frame } from '../../data/frame.js'
import { BundleError, DataError } from '../../errors.js'
import type { Task } from '../../task.js'
import { featureColumns, writeRowMajor } from '../../runtime/predict-frame.js'
import { StateReader } from '../../runtime/models/state-reader.js'
import type { Model } from '../../runtime/models/types.js'
import type { FeatureInputs } from './graph.js'
import { SyncSession, type WireTensor } from './sync-session.js'

export const ONNX_STATE_VERSION = 1

/** Serialisable state of an onnx member. */
export interface OnnxState {
  readonly version: number
  readonly kind: 'onnx'
  readonly task: Task
  readonly featureNames: readonly string[]
  /** `matrix`: one [N, F] input; `columns`: one [N, 1] input per feature, named after it. */
  readonly inputMode: 'matrix' | 'columns'
  readonly inputNames: readonly string[]
  readonly elemType: 'float32' | 'float64'
  /** The graph output read, and which of its columns: all, or column 1 alone (P(class 1) of a binary classifier). */
  readonly outputName: string
  readonly outputColumn: number | null
  readonly nOutputs: number
  /** Why the graph was not converted to a native model, for a reader of the manifest. */
  readonly reason: string
  /** The ONNX model file. */
  readonly model: Uint8Array
}

/**
 * An ONNX graph run by onnxruntime.
 * @example
 * const model = OnnxModel.fromState(state)
 * model.predict(frame) // row-major n x nOutputs
 */
export class OnnxModel implements Model {
  readonly kind = 'onnx'
  readonly task: Task
  readonly nOutputs: number
  readonly featureNames: readonly string[]
  private readonly session: SyncSession

  private constructor(
    readonly state: OnnxState,
    file: string,
  ) {
    this.task = state.task
    this.nOutputs = state.nOutputs
    this.featureNames = state.featureNames
    this.session = SyncSession.create(state.model, file)
    const missing = [...state.inputNames, state.outputName].filter((n) => !this.session.inputNames.includes(n) && !this.session.outputNames.includes(n))
    if (missing.length > 0) throw new BundleError(`onnx state: the graph has no input or output ${missing.map((m) => `'${m}'`).join(', ')}`, { file })
  }

  /**
   * Opens a graph whose inputs are known, and finds its prediction: the one float tensor output
   * (the probabilities beside a classifier's label output); its width, from a probe run, gives the
   * task (1 column: regression; 2: binary, column 1 kept; more: multiclass).
   * @example const model = OnnxModel.open(bytes, inputs, 'model.onnx', 'an MLP graph')
   */
  static open(bytes: Uint8Array, inputs: FeatureInputs, file: string, reason: string): OnnxModel {
    const session = SyncSession.create(bytes, file)
    const probe = run(session, inputs, new Float64Array(inputs.featureNames.length), 1, session.outputNames)
    const floats = session.outputNames.filter((n) => probe[n]!.type === 'float32' || probe[n]!.type === 'float64')
    if (floats.length !== 1) {
      throw new BundleError(`the ONNX graph has ${floats.length} float tensor outputs (${session.outputNames.join(', ')}); consort needs exactly one, the prediction`, { file, field: 'graph.output' })
    }
    const out = probe[floats[0]!]!
    const width = out.dims.length === 1 ? 1 : out.dims.length === 2 ? out.dims[1]! : -1
    if (width < 1 || out.dims[0] !== 1) throw new BundleError(`the ONNX graph's output '${floats[0]}' has shape [${out.dims.join(', ')}] for one row; consort needs [N] or [N, K]`, { file, field: 'graph.output' })
    const task: Task = width === 1 ? 'regression' : width === 2 ? 'binary' : 'multiclass'
    return new OnnxModel(
      {
        version: ONNX_STATE_VERSION,
        kind: 'onnx',
        task,
        featureNames: [...inputs.featureNames],
        inputMode: inputs.mode,
        inputNames: [...inputs.inputNames],
        elemType: inputs.elemType,
        outputName: floats[0]!,
        outputColumn: width === 2 ? 1 : null,
        nOutputs: width === 2 ? 1 : width,
        reason,
        model: bytes,
      },
      file,
    )
  }

  predict(frame: Frame): Float64Array {
    const s = this.state
    const n = frame.nRows
    const out = new Float64Array(n * s.nOutputs)
    if (n === 0) return out
    const x = new Float64Array(n * s.featureNames.length)
    writeRowMajor(featureColumns(s.featureNames, frame), 0, n, x)
    const result = run(this.session, { mode: s.inputMode, inputNames: s.inputNames, featureNames: s.featureNames, elemType: s.elemType }, x, n, [s.outputName])[s.outputName]!
    const data = result.data as Float32Array | Float64Array
    const width = data.length / n
    if (!Number.isInteger(width) || width !== (s.outputColumn === null ? s.nOutputs : 2)) {
      throw new DataError(`the ONNX graph's output '${s.outputName}' has shape [${result.dims.join(', ')}] for ${n} rows`)
    }
    if (s.outputColumn === null) out.set(data)
    else for (let i = 0; i < n; i++) out[i] = data[i * 2 + s.outputColumn]!
    return out
  }

  toState(): OnnxState {
    return { ...this.state, featureNames: [...this.state.featureNames], inputNames: [...this.state.inputNames], model: this.state.model.slice() }
  }

  /**
   * Rebuilds the member from its state (opening an onnxruntime session); a bad state is a BundleError.
   * @example const again = OnnxModel.fromState(structuredClone(model.toState()))
   */
  static fromState(state: OnnxState): OnnxModel {
    const r = new StateReader(state, ['onnx'], ONNX_STATE_VERSION)
    const featureNames = r.strings('featureNames')
    const inputMode = r.oneOf('inputMode', ['matrix', 'columns'] as const)
    const inputNames = r.strings('inputNames')
    if (inputMode === 'matrix' ? inputNames.length !== 1 : inputNames.length !== featureNames.length) throw r.error('inputNames', `${inputNames.length} input names do not fit the ${inputMode} input of ${featureNames.length} features`)
    const column = r.nullableNumber('outputColumn')
    const nOutputs = r.count('nOutputs')
    return new OnnxModel(
      {
        version: ONNX_STATE_VERSION,
        kind: 'onnx',
        task: r.task(),
        featureNames,
        inputMode,
        inputNames,
        elemType: r.oneOf('elemType', ['float32', 'float64'] as const),
        outputName: r.string('outputName'),
        outputColumn: column,
        nOutputs,
        reason: r.string('reason'),
        model: r.bytes('model'),
      },
      'onnx member',
    )
  }
}

/** Runs `session` on `n` rows given row-major in `x` (the features in order), fed as the inputs say. */
function run(session: SyncSession, inputs: FeatureInputs, x: Float64Array, n: number, fetch: readonly string[]): Record<string, WireTensor> {
  const mode = inputs.mode
  const F = x.length / n
  const typed = (v: Float64Array) => (inputs.elemType === 'float32' ? Float32Array.from(v) : v)
  const feeds: Record<string, WireTensor> = {}
  if (mode === 'matrix') feeds[inputs.inputNames[0]!] = { type: inputs.elemType, data: typed(x), dims: [n, F] }
  else {
    inputs.inputNames.forEach((name, f) => {
      const col = new Float64Array(n)
      for (let i = 0; i < n; i++) col[i] = x[i * F + f]!
      feeds[name] = { type: inputs.elemType, data: typed(col), dims: [n, 1] }
    })
  }
  // The feeds are fresh copies made above: move them to the worker rather than copy them again.
  return session.run(feeds, fetch, true)
}
