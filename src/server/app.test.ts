import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIABETES_FEATURES, DIABETES_ROW, trainDiabetesModel } from '../cli/testing/serving.js'
import type { Frame } from '../data/frame.js'
import { DataError } from '../errors.js'
import { trainTestModel } from '../jobs/testing/models.js'
import { createApp, type ServingApp } from './app.js'
import { csvFrame } from './csv-input.js'
import { silentLogger } from './logger.js'
import type { Prediction } from './served-model.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-app-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let app: ServingApp
let binary: ServingApp
let multiclass: ServingApp
let mixed: ServingApp
let binaryRow: string
let mixedHeader: string
let mixedRow: string

beforeAll(async () => {
  const [model, bin, multi, mix] = await Promise.all([
    trainDiabetesModel(dir),
    trainTestModel(dir, 'binary'),
    trainTestModel(dir, 'multiclass'),
    trainTestModel(dir, 'mixed'),
  ])
  app = createApp({ model, logger: silentLogger() })
  binary = createApp({ model: bin.model, logger: silentLogger() })
  multiclass = createApp({ model: multi.model, logger: silentLogger() })
  mixed = createApp({ model: mix.model, logger: silentLogger() })
  await Promise.all([app.ready(), binary.ready(), multiclass.ready(), mixed.ready()])
  binaryRow = featuresOf(readFileSync(bin.data, 'utf8'), 1)
  const lines = readFileSync(mix.data, 'utf8').split('\n')
  mixedHeader = lines[0]
  mixedRow = lines[1]
})

/** Data row `i` of a CSV text without its `target` column. */
function featuresOf(csv: string, i: number): string {
  const lines = csv.split('\n')
  const t = lines[0].split(',').indexOf('target')
  return lines[i]
    .split(',')
    .filter((_, j) => j !== t)
    .join(',')
}

async function post(a: ServingApp, body: string, headers: Record<string, string> = { 'content-type': 'text/csv' }, path = '/invocations'): Promise<Response> {
  return a.hono.request(path, { method: 'POST', headers, body })
}

async function predictions(res: Response): Promise<unknown[]> {
  expect(res.status).toBe(200)
  return ((await res.json()) as { predictions: unknown[] }).predictions
}

describe('the SageMaker container contract', () => {
  it('answers /ping once the model is loaded', async () => {
    expect((await app.hono.request('/ping')).status).toBe(200)
  })

  it('predicts a CSV row without a header, and the same row with a header in another column order', async () => {
    const [plain] = (await predictions(await post(app, DIABETES_ROW + '\n'))) as number[]
    expect(plain).toBeGreaterThan(0)
    const cells = DIABETES_ROW.split(',')
    const order = [9, 3, 0, 1, 2, 4, 5, 6, 7, 8]
    const shuffled = `${order.map((j) => DIABETES_FEATURES[j]).join(',')},extra\n${order.map((j) => cells[j]).join(',')},zzz\n`
    expect(await predictions(await post(app, shuffled))).toEqual([plain])
    // The same with the header declared by the media type, CRLF line ends and no final line break.
    const declared = await post(app, shuffled.replace(/\n/g, '\r\n').trimEnd(), { 'content-type': 'text/csv; header=present' })
    expect(await predictions(declared)).toEqual([plain])
  })

  it('reads application/json rows, single rows, records, columns and split frames, and JSON Lines, all alike', async () => {
    const [expected] = (await predictions(await post(app, DIABETES_ROW))) as number[]
    const row = DIABETES_ROW.split(',').map(Number)
    const record = Object.fromEntries(DIABETES_FEATURES.map((f, j) => [f, row[j]]))
    const json = { 'content-type': 'application/json' }
    const bodies = [
      { instances: [row, row] },
      { inputs: [row, row] },
      [row, row],
      [record, { ...record, unused: 'x' }],
      { instances: [record, record] },
      { dataframe_records: [record, record] },
      { inputs: Object.fromEntries(DIABETES_FEATURES.map((f, j) => [f, [row[j], row[j]]])) },
      { dataframe_split: { columns: [...DIABETES_FEATURES].reverse(), data: [[...row].reverse(), [...row].reverse()] } },
    ]
    for (const body of bodies) expect(await predictions(await post(app, JSON.stringify(body), json))).toEqual([expected, expected])
    expect(await predictions(await post(app, JSON.stringify(row), json))).toEqual([expected])
    expect(await predictions(await post(app, JSON.stringify(record), json))).toEqual([expected])
    const jsonl = `${JSON.stringify(record)}\n\n${JSON.stringify(record)}\n`
    expect(await predictions(await post(app, jsonl, { 'content-type': 'application/jsonlines' }))).toEqual([expected, expected])
    const rows = `${JSON.stringify(row)}\n${JSON.stringify(row)}`
    expect(await predictions(await post(app, rows, { 'content-type': 'application/x-ndjson' }))).toEqual([expected, expected])
  })

  it('answers in the format Accept asks for, JSON by default', async () => {
    const [v] = (await predictions(await post(app, DIABETES_ROW))) as number[]
    const csv = await post(app, DIABETES_ROW, { 'content-type': 'text/csv', accept: 'text/csv' })
    expect(csv.headers.get('content-type')).toBe('text/csv')
    expect(await csv.text()).toBe(`${v}\n`)
    const jsonl = await post(app, DIABETES_ROW, { 'content-type': 'text/csv', accept: 'application/jsonlines;q=0.9, text/html' })
    expect(await jsonl.text()).toBe(`{"prediction":${v}}\n`)
    const any = await post(app, DIABETES_ROW, { 'content-type': 'text/csv', accept: 'text/html, */*;q=0.1' })
    expect(any.headers.get('content-type')).toBe('application/json')
    const none = await post(app, DIABETES_ROW, { 'content-type': 'text/csv', accept: 'image/png' })
    expect(none.status).toBe(406)
    expect(await none.json()).toMatchObject({ error: 'not_acceptable' })
  })

  it('adds each member prediction with ?members=true, and their mean is the blend', async () => {
    const res = await post(app, DIABETES_ROW, { 'content-type': 'text/csv' }, '/invocations?members=true')
    const body = (await res.json()) as { predictions: number[]; members: Record<string, number[]> }
    expect(Object.keys(body.members)).toEqual(['xgb', 'lin'])
    expect(body.predictions[0]).toBeCloseTo((body.members.xgb[0] + body.members.lin[0]) / 2, 9)
    const csv = await post(app, DIABETES_ROW, { 'content-type': 'text/csv', accept: 'text/csv' }, '/invocations?members=true')
    expect((await csv.text()).trim().split(',').map(Number)).toEqual([body.predictions[0], body.members.xgb[0], body.members.lin[0]])
  })

  it('returns probabilities and labels for classifiers', async () => {
    const [b] = (await predictions(await post(binary, binaryRow))) as { probability: number; label: number }[]
    expect(b.probability).toBeGreaterThanOrEqual(0)
    expect(b.probability).toBeLessThanOrEqual(1)
    expect(b.label).toBe(b.probability > 0.5 ? 1 : 0)
    const csv = await (await post(binary, binaryRow, { 'content-type': 'text/csv', accept: 'text/csv' })).text()
    expect(csv).toBe(`${b.probability},${b.label}\n`)
    const [m] = (await predictions(await post(multiclass, '5.1,3.5,1.4,0.2'))) as { probabilities: number[]; label: number }[]
    expect(m.probabilities).toHaveLength(3)
    expect(m.probabilities.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 9)
    expect(m.label).toBe(0)
  })

  it('maps categorical columns by name or position, unseen categories as missing', async () => {
    const header = mixedHeader.split(',')
    const t = header.indexOf('target')
    const cells = mixedRow.split(',')
    const byName = `${mixedHeader}\n${mixedRow}\n`
    const byPosition = cells.filter((_, j) => j !== t).join(',')
    const [a] = (await predictions(await post(mixed, byName))) as number[]
    expect(await predictions(await post(mixed, byPosition))).toEqual([a])
    const record = Object.fromEntries(header.map((h, j) => [h, Number.isNaN(Number(cells[j])) ? cells[j] : Number(cells[j])]))
    expect(await predictions(await post(mixed, JSON.stringify([record]), { 'content-type': 'application/json' }))).toEqual([a])
    const unseen = await predictions(await post(mixed, byPosition.replace(/,[a-z]+$/, ',purple')))
    expect(typeof unseen[0]).toBe('number')
  })
})

describe('bad input is a 400 naming the row and column, never a 500', () => {
  const cases: [string, string, string, RegExp][] = [
    ['too many columns', 'text/csv', DIABETES_ROW + ',1\n', /line 1, column 11: too many fields: expected 10/],
    ['too few columns', 'text/csv', `${DIABETES_ROW}\n1,2,3\n`, /line 2, column 4, field 'bp': too few fields: expected 10, found 3/],
    ['text in a numeric column', 'text/csv', `${DIABETES_ROW}\n${DIABETES_ROW.replace('32.1', 'fat')}\n`, /line 2, column 3, field 'bmi': 'fat' is not a number/],
    ['a header without a feature', 'text/csv', 'age,sex\n1,2\n', /the header has no column 'bmi'/],
    ['an empty body', 'text/csv', '', /no rows/],
    ['JSON rows of the wrong length', 'application/json', '{"instances": [[1, 2]]}', /row 1: 2 values, the model has 10 features/],
    ['JSON text in a numeric column', 'application/json', `{"instances": [[${DIABETES_ROW}], [${DIABETES_ROW.replace('4.0', '"x"')}]]}`, /row 2, column 8 \('s4'\): "x" is not a number/],
    ['nested JSON values', 'application/json', `[{"age": [1], "sex": 1, "bmi": 1, "bp": 1, "s1": 1, "s2": 1, "s3": 1, "s4": 1, "s5": 1, "s6": 1}]`, /row 1, column 1 \('age'\): an array is not a number/],
    ['invalid JSON', 'application/json', '{"instances": [[1,', /invalid JSON/],
    ['an unknown JSON shape', 'application/json', '"hello"', /expected a JSON object or array/],
    ['a bad JSON line', 'application/jsonlines', '[1,2,3,4,5,6,7,8,9,10]\n{"age": 1}\n', /line 2: expected an array/],
    ['invalid UTF-8', 'application/json', '\uFFFD', /./],
  ]
  for (const [what, type, body, message] of cases) {
    it(what, async () => {
      const res = await post(app, body, { 'content-type': type })
      expect(res.status).toBe(400)
      const json = (await res.json()) as { error: string; message: string }
      expect(json.error).toBe('invalid_input')
      expect(json.message).toMatch(message)
    })
  }

  it('415 for a content type it cannot read, 404 for an unknown route, with the request id echoed', async () => {
    const res = await post(app, 'x', { 'content-type': 'application/x-www-form-urlencoded', 'x-request-id': 'req-42' })
    expect(res.status).toBe(415)
    expect(res.headers.get('x-request-id')).toBe('req-42')
    const missing = await app.hono.request('/nope')
    expect(missing.status).toBe(404)
    expect(await missing.json()).toMatchObject({ error: 'not_found' })
    expect(missing.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('maps the codes of library errors thrown by a handler to their statuses', async () => {
    const codeApp = createApp({
      model: app.endpoint!.current!,
      logger: silentLogger(),
      handlers: {
        input: (body) => {
          const code = new TextDecoder().decode(body)
          throw Object.assign(new DataError(`failed with ${code}`), { code })
        },
      },
    })
    await codeApp.ready()
    const status = async (code: string) => (await post(codeApp, code)).status
    expect(await status('invalid_bundle')).toBe(422)
    expect(await status('not_found')).toBe(404)
    expect(await status('invalid_input')).toBe(400)
  })
})

describe('limits and handlers', () => {
  it('answers 413 past the body limit and 504 past the invocation timeout', async () => {
    const small = createApp({ model: app.endpoint!.current!, logger: silentLogger(), bodyLimitBytes: 100 })
    await small.ready()
    expect((await post(small, DIABETES_ROW)).status).toBe(200)
    const big = await post(small, `${DIABETES_ROW}\n`.repeat(3))
    expect(big.status).toBe(413)
    expect(await big.json()).toMatchObject({ error: 'payload_too_large' })
    const slow = createApp({
      model: app.endpoint!.current!,
      logger: silentLogger(),
      timeoutMs: 50,
      handlers: { predict: async (x, model) => new Promise((resolve) => setTimeout(() => resolve(model.predict(x as Frame)), 300)) },
    })
    await slow.ready()
    const late = await post(slow, DIABETES_ROW)
    expect(late.status).toBe(504)
    expect(await late.json()).toMatchObject({ error: 'timeout' })
  })

  it('runs custom input, predict and output handlers (input_fn, predict_fn, output_fn)', async () => {
    const custom = createApp({
      model: app.endpoint!.current!,
      logger: silentLogger(),
      handlers: {
        input: (body) => JSON.parse(new TextDecoder().decode(body)).rows as number[][],
        predict: (rows, model) => {
          const csv = (rows as number[][]).map((r) => r.join(',')).join('\n')
          return model.predict(csvFrame(new TextEncoder().encode(csv), model))
        },
        output: (p) => ({ body: JSON.stringify({ scores: Array.from((p as Prediction).values, (v) => Math.round(v)) }), contentType: 'application/vnd.scores+json' }),
      },
    })
    await custom.ready()
    const row = DIABETES_ROW.split(',').map(Number)
    const res = await post(custom, JSON.stringify({ rows: [row] }), { 'content-type': 'application/whatever' })
    expect(res.headers.get('content-type')).toBe('application/vnd.scores+json')
    const [expected] = (await predictions(await post(app, DIABETES_ROW))) as number[]
    expect(await res.json()).toEqual({ scores: [Math.round(expected)] })
  })

  it('counts invocations, errors by code and latency in /metrics', async () => {
    await post(app, DIABETES_ROW)
    await post(app, 'bad')
    const text = await (await app.hono.request('/metrics')).text()
    expect(text).toMatch(/consort_invocations_total\{endpoint="model"\} \d+/)
    expect(text).toMatch(/consort_errors_total\{endpoint="model",code="invalid_input"\} \d+/)
    expect(text).toMatch(/consort_invocation_duration_seconds_bucket\{le="0.001",endpoint="model"\} \d+/)
    expect(text).toMatch(/consort_cold_starts_total\{endpoint="model"\} 1/)
    expect(text).toMatch(/consort_models_loaded 1/)
  })
})

describe('the Open Inference Protocol', () => {
  it('answers health, metadata and readiness', async () => {
    expect(await (await app.hono.request('/v2/health/live')).json()).toEqual({ live: true })
    expect((await app.hono.request('/v2/health/ready')).status).toBe(200)
    expect((await app.hono.request('/v2/models/model/ready')).status).toBe(200)
    const meta = (await (await app.hono.request('/v2/models/model')).json()) as { inputs: { name: string }[]; outputs: { name: string }[] }
    expect(meta.inputs.map((i) => i.name)).toEqual([...DIABETES_FEATURES])
    expect(meta.outputs.map((o) => o.name)).toEqual(['predict'])
    expect((await app.hono.request('/v2/models/other')).status).toBe(404)
  })

  it('infers a [rows, features] tensor and per-feature tensors alike', async () => {
    const row = DIABETES_ROW.split(',').map(Number)
    const [expected] = (await predictions(await post(app, DIABETES_ROW))) as number[]
    const infer = async (body: unknown) => {
      const res = await post(app, JSON.stringify(body), { 'content-type': 'application/json' }, '/v2/models/model/infer')
      expect(res.status).toBe(200)
      return (await res.json()) as { model_name: string; id: string; outputs: { name: string; shape: number[]; data: number[] }[] }
    }
    const a = await infer({ id: 'r1', inputs: [{ name: 'input-0', shape: [2, 10], datatype: 'FP32', data: [...row, ...row] }] })
    expect(a).toMatchObject({ model_name: 'model', id: 'r1' })
    expect(a.outputs).toEqual([{ name: 'predict', datatype: 'FP64', shape: [2], data: [expected, expected] }])
    const b = await infer({ inputs: DIABETES_FEATURES.map((f, j) => ({ name: f, shape: [1, 1], datatype: 'FP64', data: [[row[j]]] })) })
    expect(b.outputs[0].data).toEqual([expected])
    const bad = await post(app, JSON.stringify({ inputs: [{ name: 'x', shape: [1, 3], datatype: 'FP32', data: [1, 2, 3] }] }), {}, '/v2/models/model/infer')
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { message: string }).message).toMatch(/shape \[1, 3\]; expected \[rows, 10\]/)
  })

  it('gives classifiers a label output', async () => {
    const res = await post(multiclass, JSON.stringify({ inputs: [{ name: 'x', shape: [1, 4], datatype: 'FP64', data: [5.1, 3.5, 1.4, 0.2] }] }), {}, '/v2/models/model/infer')
    const out = ((await res.json()) as { outputs: { name: string; shape: number[]; data: number[] }[] }).outputs
    expect(out.map((o) => [o.name, o.shape])).toEqual([
      ['predict', [1, 3]],
      ['label', [1]],
    ])
    expect(out[1].data).toEqual([0])
  })
})
