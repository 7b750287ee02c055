import { describe, expect, it } from 'vitest'
import { DataError, ParamError } from '../errors.js'
import { defaultMetric, getMetric, isBetter, METRIC_NAMES } from './registry.js'

const f = (...v: number[]): Float64Array => Float64Array.from(v)

describe('getMetric', () => {
  it('knows every listed name, with a direction and at least one task', () => {
    for (const name of METRIC_NAMES) {
      const m = getMetric(name)
      expect(m.name).toBe(name)
      expect(['minimize', 'maximize']).toContain(m.direction)
      expect(m.tasks.length).toBeGreaterThan(0)
    }
    expect(METRIC_NAMES).toEqual(
      expect.arrayContaining(['rmse', 'mae', 'r2', 'mape', 'logloss', 'auc', 'accuracy', 'f1', 'mlogloss', 'merror', 'poisson-nloglik']),
    )
  })

  it('says which way is better', () => {
    const maximized = METRIC_NAMES.filter((n) => getMetric(n).direction === 'maximize')
    expect(maximized.sort()).toEqual(['accuracy', 'auc', 'f1', 'r2'])
  })

  it('computes from model output: values, probabilities of class 1, or row-major probabilities', () => {
    expect(getMetric('rmse').compute(f(1, 2, 3), f(1, 2, 5), 1)).toBeCloseTo(Math.sqrt(4 / 3), 15)
    expect(getMetric('poisson-nloglik').compute(f(0), f(1), 1)).toBe(1)
    expect(getMetric('auc').compute(f(0, 1), f(0.2, 0.9), 2)).toBe(1)
    // binary probabilities [0.7, 0.4, 0.6] -> labels [1, 0, 1] vs y [1, 1, 1]: 2 / 3
    expect(getMetric('accuracy').compute(f(1, 1, 1), f(0.7, 0.4, 0.6), 2)).toBeCloseTo(2 / 3, 15)
    // multiclass rows argmax [1, 0] vs y [1, 2]: accuracy 1/2, merror 1/2
    const probs = f(0.2, 0.5, 0.3, 0.6, 0.1, 0.3)
    expect(getMetric('accuracy').compute(f(1, 2), probs, 3)).toBe(0.5)
    expect(getMetric('merror').compute(f(1, 2), probs, 3)).toBe(0.5)
    // f1 on labels [1, 0] vs y [1, 2]: class 0: 0, class 1: 1, class 2: 0 -> 1/3
    expect(getMetric('f1').compute(f(1, 2), probs, 3)).toBeCloseTo(1 / 3, 15)
    expect(getMetric('mlogloss').compute(f(1, 2), probs, 3)).toBeCloseTo(-(Math.log(0.5) + Math.log(0.3)) / 2, 15)
  })

  it('checks every classification metric\'s labels the same way: a class id of the task', () => {
    const binary = ['logloss', 'auc', 'accuracy', 'f1'].map((name) => getMetric(name))
    for (const metric of binary) {
      for (const bad of [2, -1, 0.5]) {
        expect(() => metric.compute(f(0, 1, bad), f(0.2, 0.8, 0.9), 2)).toThrow(`${metric.name}: class id of row 2 is ${bad}; expected 0 or 1`)
      }
    }
    const probs = f(0.2, 0.5, 0.3, 0.6, 0.1, 0.3)
    for (const metric of ['mlogloss', 'merror', 'accuracy', 'f1'].map((name) => getMetric(name))) {
      expect(() => metric.compute(f(1, 3), probs, 3)).toThrow(`${metric.name}: class id of row 1 is 3; expected an integer in [0, 3)`)
      expect(() => metric.compute(f(1.5, 0), probs, 3)).toThrow(DataError)
    }
  })

  it('passes weights through', () => {
    expect(getMetric('mae').compute(f(0, 0), f(1, 3), 1, f(3, 1))).toBe(1.5) // (3 * 1 + 1 * 3) / 4
  })

  it('throws a ParamError for an unknown name, suggesting the closest valid one', () => {
    expect(() => getMetric('rmes')).toThrow(ParamError)
    expect(() => getMetric('rmes')).toThrow(/unknown metric 'rmes'; did you mean 'rmse'\?/)
    expect(() => getMetric('poisson_nloglik')).toThrow(/did you mean 'poisson-nloglik'/)
    expect(() => getMetric('something-else')).toThrow(/valid: rmse, mae/)
    expect(() => getMetric('toString')).toThrow(ParamError)
    let caught: unknown
    try {
      getMetric('aucc', 'tuning.objective')
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(ParamError)
    expect((caught as ParamError).location.field).toBe('tuning.objective')
    expect((caught as ParamError).message).toMatch(/^field 'tuning.objective': unknown metric 'aucc'; did you mean 'auc'/)
  })
})

describe('defaultMetric', () => {
  it("follows XGBoost's defaults", () => {
    expect(defaultMetric('regression').name).toBe('rmse')
    expect(defaultMetric('binary').name).toBe('logloss')
    expect(defaultMetric('multiclass').name).toBe('mlogloss')
  })
})

describe('isBetter', () => {
  it('compares in the metric direction; NaN is worse than any number', () => {
    expect(isBetter(getMetric('rmse'), 1, 2)).toBe(true)
    expect(isBetter(getMetric('auc'), 1, 2)).toBe(false)
    expect(isBetter(getMetric('auc'), 0.5, 0.5)).toBe(false)
    expect(isBetter(getMetric('rmse'), NaN, 2)).toBe(false)
    expect(isBetter(getMetric('rmse'), 2, NaN)).toBe(true)
  })
})
