/**
 * Predictions to a response body, in the format the request's `Accept` asked for:
 *
 * | task | `application/json` | `text/csv` (no header), `application/jsonlines` |
 * |---|---|---|
 * | regression | `{"predictions": [v, ...]}` | `v` / `{"prediction": v}` |
 * | binary | `{"predictions": [{"probability": p, "label": 0 or 1}, ...]}` | `p,label` / `{"probability": p, "label": l}` |
 * | multiclass | `{"predictions": [{"probabilities": [p0, ...], "label": k}, ...]}` | `p0,...,label` / `{"probability_0": p0, ..., "label": k}` |
 *
 * The CSV and JSON Lines rows are batch transform's (see `PredictionText`): the label is 1 above
 * probability 0.5, or the most probable class. With `?members=true`, JSON adds `"members": {name:
 * [...]}` in the same shape, CSV appends each member's columns after the blend's (members in blend
 * order), and JSON Lines adds `"members": {name: ...}` to each line. A missing value is `null` in
 * JSON and an empty CSV field.
 */
import { PredictionText } from '../ensemble/prediction-text.js'
import type { MediaFormat } from './media-type.js'
import { MEDIA_TYPE } from './media-type.js'
import type { Prediction } from './served-model.js'
import type { Task } from '../task.js'

/** A response body and its media type. */
export interface Encoded {
  readonly body: string | Uint8Array
  readonly contentType: string
}

const texts = new Map<string, PredictionText>()

function textOf(task: Task, nOutputs: number, format: 'csv' | 'jsonl'): PredictionText {
  const key = `${task}/${nOutputs}/${format}`
  let t = texts.get(key)
  if (t === undefined) {
    t = new PredictionText(task, nOutputs, format)
    texts.set(key, t)
  }
  return t
}

/**
 * Encodes a prediction of a `task` model with `nOutputs` values per row (see the table above).
 * @example
 * encodePrediction({ values: Float64Array.of(151.2), rows: 1 }, 'regression', 1, 'json').body // '{"predictions":[151.2]}'
 */
export function encodePrediction(prediction: Prediction, task: Task, nOutputs: number, format: MediaFormat): Encoded {
  const contentType = MEDIA_TYPE[format]
  const { values, members } = prediction
  if (format === 'json') {
    let body = '{"predictions":' + jsonValues(values, task, nOutputs)
    if (members !== undefined) {
      let first = true
      body += ',"members":{'
      for (const [name, v] of members) {
        body += (first ? '' : ',') + JSON.stringify(name) + ':' + jsonValues(v, task, nOutputs)
        first = false
      }
      body += '}'
    }
    return { body: body + '}', contentType }
  }
  const text = textOf(task, nOutputs, format)
  if (members === undefined) return { body: text.rows(values), contentType }
  const blend = text.rows(values).split('\n')
  const each = [...members].map(([name, v]) => [name, text.rows(v).split('\n')] as const)
  const rows = prediction.rows
  let body = ''
  for (let i = 0; i < rows; i++) {
    if (format === 'csv') {
      body += blend[i]
      for (const [, lines] of each) body += ',' + lines[i]
    } else {
      body += blend[i].slice(0, -1) + ',"members":{' + each.map(([name, lines]) => JSON.stringify(name) + ':' + lines[i]).join(',') + '}}'
    }
    body += '\n'
  }
  return { body, contentType }
}

/** The `predictions` array of a JSON answer. */
function jsonValues(values: Float64Array, task: Task, nOutputs: number): string {
  let s = '['
  if (task === 'regression') {
    for (let i = 0; i < values.length; i++) s += (i === 0 ? '' : ',') + num(values[i])
    return s + ']'
  }
  if (task === 'binary') {
    for (let i = 0; i < values.length; i++) {
      const p = values[i]
      s += (i === 0 ? '' : ',') + '{"probability":' + num(p) + ',"label":' + (Number.isNaN(p) ? 'null' : p > 0.5 ? '1' : '0') + '}'
    }
    return s + ']'
  }
  const n = values.length / nOutputs
  for (let i = 0; i < n; i++) {
    let best = 0
    let missing = false
    s += (i === 0 ? '' : ',') + '{"probabilities":['
    for (let k = 0; k < nOutputs; k++) {
      const p = values[i * nOutputs + k]
      if (Number.isNaN(p)) missing = true
      else if (p > values[i * nOutputs + best]) best = k
      s += (k === 0 ? '' : ',') + num(p)
    }
    s += '],"label":' + (missing ? 'null' : String(best)) + '}'
  }
  return s + ']'
}

function num(x: number): string {
  return Number.isFinite(x) ? String(x) : 'null'
}
