/**
 * The Open Inference Protocol (KServe V2, REST) on top of an endpoint, so KServe and Triton
 * clients can call the model: tensors in, tensors out, data flattened row-major.
 *
 * Inputs are either one tensor of shape `[rows, features]` (features in training order, any
 * name that is not a feature name), or one tensor per feature named by the feature, of shape
 * `[rows]` or `[rows, 1]`; strings of categorical features as `BYTES`. Outputs: `predict`
 * (`FP64`, `[rows]` for regression and binary P(class 1), `[rows, classes]` for multiclass) and,
 * for classifiers, `label` (`INT64`, `[rows]`); a request's `outputs` list picks among them.
 */
import type { Frame } from '../data/frame.js'
import { DataError } from '../errors.js'
import type { ServedModel, Prediction } from './served-model.js'
import { describe, ValueFrame } from './value-frame.js'

const DATATYPES = new Set(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'])

/** One tensor of a request or response. */
export interface OipTensor {
  readonly name: string
  readonly shape: readonly number[]
  readonly datatype: string
  readonly data: readonly unknown[]
}

/**
 * The model metadata of `GET /v2/models/NAME`.
 * @example
 * oipMetadata('churn', model) // { name: 'churn', versions: [], platform: 'consort', inputs: [...], outputs: [...] }
 */
export function oipMetadata(name: string, model: ServedModel): Record<string, unknown> {
  const outputs: Record<string, unknown>[] = [{ name: 'predict', datatype: 'FP64', shape: model.task === 'multiclass' ? [-1, model.nOutputs] : [-1] }]
  if (model.task !== 'regression') outputs.push({ name: 'label', datatype: 'INT64', shape: [-1] })
  return {
    name,
    versions: [],
    platform: 'consort',
    inputs: model.featureNames.map((f) => ({ name: f, datatype: model.columnTypes.get(f) === 'categorical' ? 'BYTES' : 'FP64', shape: [-1] })),
    outputs,
    parameters: { task: model.task, members: model.memberNames },
  }
}

/**
 * The frame of an inference request's `inputs` (see the file comment), and the outputs it asks for.
 * @throws DataError (a 400) naming the tensor for a bad shape, datatype or value.
 * @example
 * const { frame } = oipInput({ inputs: [{ name: 'input-0', shape: [1, 10], datatype: 'FP64', data: [...] }] }, model)
 */
export function oipInput(request: unknown, model: ServedModel): { frame: Frame; id: string | undefined; outputs: readonly string[] | undefined } {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) throw new DataError('the inference request must be a JSON object with "inputs"')
  const r = request as { id?: unknown; inputs?: unknown; outputs?: unknown }
  if (!Array.isArray(r.inputs) || r.inputs.length === 0) throw new DataError('"inputs" must be a non-empty array of tensors')
  const tensors = r.inputs.map((t, i) => tensor(t, i))
  const id = typeof r.id === 'string' ? r.id : undefined
  let outputs: string[] | undefined
  if (r.outputs !== undefined) {
    if (!Array.isArray(r.outputs)) throw new DataError('"outputs" must be an array of {"name": ...}')
    outputs = r.outputs.map((o, i) => {
      const name = (o as { name?: unknown } | null)?.name
      if (typeof name !== 'string') throw new DataError(`outputs[${i}] has no "name"`)
      if (name !== 'predict' && !(name === 'label' && model.task !== 'regression')) throw new DataError(`unknown output '${name}' (the model's outputs: predict${model.task === 'regression' ? '' : ', label'})`)
      return name
    })
  }
  const nF = model.featureNames.length
  if (tensors.length === 1 && !model.featureIndex.has(tensors[0].name)) {
    const t = tensors[0]
    const rows = t.shape.length === 2 ? t.shape[0] : t.shape.length === 1 && t.shape[0] === nF ? 1 : -1
    const width = t.shape.length === 2 ? t.shape[1] : nF
    if (rows < 0 || width !== nF) throw new DataError(`input '${t.name}' has shape [${t.shape.join(', ')}]; expected [rows, ${nF}] (one column per feature: ${model.featureNames.join(', ')})`)
    const b = new ValueFrame(model, rows, 'row')
    for (let i = 0; i < rows; i++) for (let j = 0; j < nF; j++) b.set(i, j, t.data[i * nF + j])
    return { frame: b.build(), id, outputs }
  }
  const byName = new Map(tensors.map((t) => [t.name, t]))
  let rows = -1
  for (const t of tensors) {
    if (!model.featureIndex.has(t.name)) throw new DataError(`input '${t.name}' is not a feature of the model (features: ${model.featureNames.join(', ')})`)
    if (!(t.shape.length === 1 || (t.shape.length === 2 && t.shape[1] === 1))) throw new DataError(`input '${t.name}' has shape [${t.shape.join(', ')}]; a feature's tensor is [rows] or [rows, 1]`)
    if (rows >= 0 && t.shape[0] !== rows) throw new DataError(`input '${t.name}' has ${t.shape[0]} rows, '${tensors[0].name}' has ${rows}`)
    rows = t.shape[0]
  }
  const b = new ValueFrame(model, rows, 'row')
  model.featureNames.forEach((name, j) => {
    const t = byName.get(name)
    if (t === undefined) throw new DataError(`no input '${name}' (the model needs one tensor per feature: ${model.featureNames.join(', ')})`)
    for (let i = 0; i < rows; i++) b.set(i, j, t.data[i])
  })
  return { frame: b.build(), id, outputs }
}

/**
 * The inference response for `prediction`.
 * @example
 * oipResponse('churn', prediction, model, 'req-1') // { model_name: 'churn', id: 'req-1', outputs: [{ name: 'predict', ... }] }
 */
export function oipResponse(name: string, prediction: Prediction, model: ServedModel, id: string, outputs?: readonly string[]): Record<string, unknown> {
  const { values, rows } = prediction
  const want = (n: string) => outputs === undefined || outputs.includes(n)
  const out: OipTensor[] = []
  const data = Array.from(values, (v) => (Number.isFinite(v) ? v : null))
  if (want('predict')) out.push({ name: 'predict', datatype: 'FP64', shape: model.task === 'multiclass' ? [rows, model.nOutputs] : [rows], data })
  if (model.task !== 'regression' && want('label')) {
    const k = model.nOutputs
    const labels: (number | null)[] = []
    for (let i = 0; i < rows; i++) {
      if (model.task === 'binary') labels.push(Number.isNaN(values[i]) ? null : values[i] > 0.5 ? 1 : 0)
      else {
        let best = 0
        for (let c = 1; c < k; c++) if (values[i * k + c] > values[i * k + best]) best = c
        labels.push(best)
      }
    }
    out.push({ name: 'label', datatype: 'INT64', shape: [rows], data: labels })
  }
  return { model_name: name, id, outputs: out }
}

function tensor(t: unknown, i: number): OipTensor {
  if (t === null || typeof t !== 'object' || Array.isArray(t)) throw new DataError(`inputs[${i}] must be a tensor object, found ${describe(t)}`)
  const { name, shape, datatype, data } = t as Record<string, unknown>
  if (typeof name !== 'string') throw new DataError(`inputs[${i}] has no "name"`)
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new DataError(`input '${name}': "shape" must be a list of sizes`)
  if (typeof datatype !== 'string' || !DATATYPES.has(datatype)) throw new DataError(`input '${name}': unknown datatype ${describe(datatype)}`)
  if (!Array.isArray(data)) throw new DataError(`input '${name}': "data" must be an array`)
  const flat = (data as unknown[]).flat(Infinity)
  const size = (shape as number[]).reduce((a, b) => a * b, 1)
  if (flat.length !== size) throw new DataError(`input '${name}': shape [${shape.join(', ')}] needs ${size} values, "data" has ${flat.length}`)
  return { name, shape: shape as number[], datatype, data: flat }
}

const jsonDecoder = new TextDecoder('utf-8', { fatal: true })

/**
 * The invocation handlers of `POST /v2/models/NAME/infer`: tensor JSON in, tensor JSON out, the
 * same slots, limits, timeout and metrics as any invocation.
 * @example
 * invoke(endpoint, request, false, id, { ...deps, handlers: OIP_HANDLERS })
 */
export const OIP_HANDLERS = {
  input(body: Uint8Array, _ctx: unknown, model: ServedModel) {
    let parsed: unknown
    try {
      parsed = JSON.parse(jsonDecoder.decode(body))
    } catch (err) {
      throw new DataError(`invalid JSON: ${(err as Error).message}`)
    }
    return oipInput(parsed, model)
  },
  predict(input: unknown, model: ServedModel) {
    const { frame, id, outputs } = input as ReturnType<typeof oipInput>
    return { prediction: model.predict(frame), id, outputs }
  },
  output(result: unknown, ctx: { requestId: string; endpoint: string }, model: ServedModel) {
    const { prediction, id, outputs } = result as { prediction: Prediction; id: string | undefined; outputs: readonly string[] | undefined }
    return { body: JSON.stringify(oipResponse(ctx.endpoint, prediction, model, id ?? ctx.requestId, outputs)), contentType: 'application/json' }
  },
}
