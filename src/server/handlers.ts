/**
 * The three steps of an invocation, replaceable one by one as SageMaker's `input_fn`,
 * `predict_fn` and `output_fn` are: a library user who builds the app in code can read another
 * body format, post-process predictions or answer in another shape. Artifacts never carry code:
 * handlers exist only in the program that creates the app.
 */
import type { Frame } from '../data/frame.js'
import { csvFrame } from './csv-input.js'
import { HttpError } from './errors.js'
import { jsonFrame, jsonlFrame } from './json-input.js'
import { acceptFormat, bodyType } from './media-type.js'
import { encodePrediction, type Encoded } from './output.js'
import type { Prediction, ServedModel } from './served-model.js'

/** What a handler knows about the invocation besides the body. */
export interface InvocationContext {
  /** The request's `Content-Type` (empty when absent). */
  readonly contentType: string
  /** The request's `Accept` (empty when absent). */
  readonly accept: string
  /** Whether `?members=true` asked for each member's prediction. */
  readonly members: boolean
  readonly requestId: string
  /** The endpoint's name (`model` for a single-model server). */
  readonly endpoint: string
}

/**
 * The invocation's steps. `input` turns the body into what `predict` takes, `predict` runs the
 * model, `output` turns its result into a body (or a whole `Response`). Each may be async.
 * @example
 * const handlers: Partial<Handlers> = {
 *   output: (p, ctx, model) => ({ body: JSON.stringify({ score: Array.from((p as Prediction).values) }), contentType: 'application/json' }),
 * }
 */
export interface Handlers {
  input(body: Uint8Array, ctx: InvocationContext, model: ServedModel): unknown
  predict(input: unknown, model: ServedModel, ctx: InvocationContext): unknown
  output(prediction: unknown, ctx: InvocationContext, model: ServedModel): Encoded | Response | Promise<Encoded | Response>
}

/**
 * The default input step: CSV, JSON or JSON Lines by `Content-Type` (see `csvFrame`, `jsonFrame`).
 * @example
 * const frame = defaultInput(body, ctx, model)
 */
export function defaultInput(body: Uint8Array, ctx: InvocationContext, model: ServedModel): Frame {
  const type = bodyType(ctx.contentType)
  if (type.format === 'csv') return csvFrame(body, model, type.header)
  if (type.format === 'json') return jsonFrame(body, model)
  return jsonlFrame(body, model)
}

/**
 * The default predict step: the ensemble's blend, and each member's with `?members=true`.
 * @example
 * const prediction = defaultPredict(frame, model, ctx)
 */
export function defaultPredict(input: unknown, model: ServedModel, ctx: InvocationContext): Prediction {
  return model.predict(input as Frame, ctx.members)
}

/**
 * The default output step: JSON, CSV or JSON Lines by `Accept` (see `encodePrediction`).
 * @example
 * const { body, contentType } = defaultOutput(prediction, ctx, model)
 */
export function defaultOutput(prediction: unknown, ctx: InvocationContext, model: ServedModel): Encoded {
  const p = prediction as Prediction
  if (!(p?.values instanceof Float64Array)) throw new HttpError('internal', 'the predict handler returned no Prediction for the default output handler')
  return encodePrediction(p, model.task, model.nOutputs, acceptFormat(ctx.accept))
}

/**
 * The default handlers, and the custom ones merged over them.
 * @example
 * const handlers = resolveHandlers({ predict: (x, model) => model.predict(x as Frame) })
 */
export function resolveHandlers(custom: Partial<Handlers> = {}): Handlers {
  return { input: custom.input ?? defaultInput, predict: custom.predict ?? defaultPredict, output: custom.output ?? defaultOutput }
}
