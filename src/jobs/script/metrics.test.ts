import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { MetricCapture } from './metrics.js'

function capture(definitions: { Name: string; Regex: string }[], lines: string[]): MetricCapture {
  const c = new MetricCapture(definitions)
  for (const line of lines) c.scan(line)
  return c
}

describe('MetricCapture', () => {
  it('keeps every value in order and reports the last one', () => {
    const c = capture([{ Name: 'validation:rmse', Regex: 'rmse=([-+0-9.eE]+)' }], ['rmse=60.5', 'noise', 'rmse=55', 'rmse=5.4e1'])
    expect(c.series()).toEqual({ 'validation:rmse': [60.5, 55, 54] })
    expect(c.metrics()).toEqual({ 'validation:rmse': 54 })
  })

  it('uses the whole match when the regex has no group', () => {
    const c = capture([{ Name: 'epoch', Regex: '(?<=epoch )\\d+' }], ['epoch 1', 'epoch 2'])
    expect(c.metrics()).toEqual({ epoch: 2 })
  })

  it('applies every definition to every line and ignores captures that are not numbers', () => {
    const c = capture(
      [
        { Name: 'loss', Regex: 'loss: (\\S+)' },
        { Name: 'acc', Regex: 'acc: (\\S+)' },
        { Name: 'never', Regex: 'never: (\\d+)' },
      ],
      ['loss: 0.5 acc: 0.9', 'loss: nan', 'loss: 0x10', 'loss: Infinity', 'acc: 1e999', 'loss: .25'],
    )
    expect(c.series()).toEqual({ loss: [0.5, 0.25], acc: [0.9] })
    expect(c.metrics()).toEqual({ loss: 0.25, acc: 0.9 })
  })

  it('takes metric names as given, even names of Object.prototype keys', () => {
    const c = capture([{ Name: '__proto__', Regex: 'v=(\\d)' }], ['v=1'])
    expect(Object.keys(c.metrics())).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(c.metrics())).toBe(Object.prototype)
  })

  it('refuses a regex that does not compile, naming its definition', () => {
    let error: unknown
    try {
      new MetricCapture([{ Name: 'a', Regex: 'ok' }, { Name: 'b', Regex: '(' }])
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ParamError)
    expect((error as ParamError).location.field).toBe('estimator.metric_definitions.1.Regex')
  })
})
