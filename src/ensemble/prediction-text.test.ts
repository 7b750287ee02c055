import { describe, expect, it } from 'vitest'
import { parseCsv } from '../data/csv.js'
import { parseJsonl } from '../data/jsonl.js'
import { plain } from '../data/testing/frames.js'
import { predictionColumns, PredictionText } from './prediction-text.js'

describe('predictionColumns', () => {
  it('names one column per value plus the label for classifiers', () => {
    expect(predictionColumns('regression', 1)).toEqual(['prediction'])
    expect(predictionColumns('binary', 1)).toEqual(['probability', 'label'])
    expect(predictionColumns('multiclass', 3)).toEqual(['probability_0', 'probability_1', 'probability_2', 'label'])
  })
})

describe('PredictionText', () => {
  it('writes regression values in their shortest exact form', () => {
    const text = new PredictionText('regression', 1, 'csv')
    const values = Float64Array.of(0.1 + 0.2, -1e-7, 1 / 3, 3)
    expect(text.header() + text.rows(values)).toBe('prediction\n0.30000000000000004\n-1e-7\n0.3333333333333333\n3\n')
    expect(plain(parseCsv(text.header() + text.rows(values)))).toEqual([{ name: 'prediction', values: Array.from(values) }])
  })

  it('labels binary rows 1 above 0.5, and writes the same columns as CSV and JSON Lines', () => {
    const p = Float64Array.of(0.9, 0.5, 0.2)
    const csv = new PredictionText('binary', 1, 'csv')
    expect(csv.header() + csv.rows(p)).toBe('probability,label\n0.9,1\n0.5,0\n0.2,0\n')
    const jsonl = new PredictionText('binary', 1, 'jsonl')
    expect(jsonl.header()).toBe('')
    expect(jsonl.rows(p)).toBe('{"probability":0.9,"label":1}\n{"probability":0.5,"label":0}\n{"probability":0.2,"label":0}\n')
    expect(plain(parseJsonl(jsonl.rows(p)))).toEqual(plain(parseCsv(csv.header() + csv.rows(p))))
  })

  it('labels multiclass rows with the most probable class, the lowest on ties', () => {
    const p = Float64Array.of(0.2, 0.5, 0.3, 0.4, 0.2, 0.4)
    const csv = new PredictionText('multiclass', 3, 'csv')
    expect(csv.header() + csv.rows(p)).toBe('probability_0,probability_1,probability_2,label\n0.2,0.5,0.3,1\n0.4,0.2,0.4,0\n')
    const jsonl = new PredictionText('multiclass', 3, 'jsonl')
    expect(jsonl.rows(p.subarray(0, 3))).toBe('{"probability_0":0.2,"probability_1":0.5,"probability_2":0.3,"label":1}\n')
  })

  it('writes missing values as empty CSV fields and JSON nulls, infinities as null in JSON', () => {
    expect(new PredictionText('binary', 1, 'csv').rows(Float64Array.of(NaN))).toBe(',\n')
    expect(new PredictionText('binary', 1, 'jsonl').rows(Float64Array.of(NaN))).toBe('{"probability":null,"label":null}\n')
    expect(new PredictionText('multiclass', 2, 'csv').rows(Float64Array.of(NaN, 1))).toBe(',1,\n')
    expect(new PredictionText('regression', 1, 'csv').rows(Float64Array.of(Infinity))).toBe('Infinity\n')
    expect(new PredictionText('regression', 1, 'jsonl').rows(Float64Array.of(-Infinity))).toBe('{"prediction":null}\n')
  })

  it('refuses arrays that do not make whole rows', () => {
    expect(() => new PredictionText('multiclass', 3, 'csv').rows(new Float64Array(4))).toThrow(RangeError)
    expect(() => new PredictionText('binary', 2, 'csv')).toThrow(RangeError)
  })
})
