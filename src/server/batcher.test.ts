import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DIABETES_ROW, trainDiabetesModel } from '../cli/testing/serving.js'
import { MicroBatcher } from './batcher.js'
import { csvFrame } from './csv-input.js'
import { LatencyWindow } from './latency.js'
import { ServedModel } from './served-model.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-batcher-'))
let model: ServedModel
beforeAll(async () => {
  model = await ServedModel.load(await trainDiabetesModel(dir))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const frameOf = (text: string) => csvFrame(new TextEncoder().encode(text), model)

describe('MicroBatcher', () => {
  it('predicts concurrent frames in one batch, each caller getting exactly its own rows', async () => {
    const rows = Array.from({ length: 12 }, (_, i) => DIABETES_ROW.replace(/^59\.0/, String(20 + i * 5)))
    const frames = [frameOf(rows.slice(0, 1).join('\n')), frameOf(rows.slice(1, 4).join('\n')), frameOf(rows.slice(4, 12).join('\n'))]
    const batcher = new MicroBatcher({ maxBatchRows: 64, maxWaitUs: 200 })
    const batched = await Promise.all(frames.map((f) => batcher.predict(model, f)))
    frames.forEach((f, i) => expect(Array.from(batched[i])).toEqual(Array.from(model.predict(f).values)))
  })

  it('cuts batches at the row limit, and a bad frame fails alone', async () => {
    const batcher = new MicroBatcher({ maxBatchRows: 2, maxWaitUs: 5000 })
    const one = frameOf(DIABETES_ROW)
    const t0 = performance.now()
    const out = await Promise.all([batcher.predict(model, one), batcher.predict(model, one)])
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(out[0][0]).toBe(out[1][0])
    const wrong = csvFrame(new TextEncoder().encode('a\nx\n'), { ...model, featureNames: ['a'], columnTypes: new Map([['a', 'categorical']]), featureIndex: new Map([['a', 0]]) } as unknown as ServedModel)
    expect(() => batcher.predict(model, wrong)).toThrow(/no column 'age'/)
  })
})

describe('LatencyWindow', () => {
  it('keeps the last samples and reports nearest-rank percentiles', () => {
    const w = new LatencyWindow(100)
    expect(w.percentile(0.5)).toBeNaN()
    for (let i = 1; i <= 300; i++) w.record(i)
    expect(w.size).toBe(100)
    expect(w.percentile(0.5)).toBe(250)
    expect(w.percentile(0.99)).toBe(299)
  })
})
