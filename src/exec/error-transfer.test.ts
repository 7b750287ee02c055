import { describe, expect, it } from 'vitest'
import { ConsortError, DataError, ParamError } from '../errors.js'
import { errorFromData, errorToData } from './error-transfer.js'

/** What crossing a thread does to the plain form: a structured clone. */
const acrossThreads = (err: unknown) => errorFromData(structuredClone(errorToData(err)))

describe('error transfer', () => {
  it('rebuilds ConsortErrors with their class, message and location', () => {
    for (const err of [
      new DataError('target of row 3 is NaN', { file: 'train.csv', field: 'y' }),
      new ParamError('unknown parameter', { field: 'params.etaa' }),
      new ConsortError('bad'),
    ]) {
      const back = acrossThreads(err)
      expect(back.constructor).toBe(err.constructor)
      expect(back.message).toBe(err.message)
      expect((back as ConsortError).location).toEqual(err.location)
    }
  })

  it('keeps other errors as Errors with their name, message and stack, and turns thrown values into messages', () => {
    const back = acrossThreads(new RangeError('out of range'))
    expect(back).not.toBeInstanceOf(ConsortError)
    expect([back.name, back.message]).toEqual(['RangeError', 'out of range'])
    expect(back.stack).toContain('error-transfer.test')
    expect(acrossThreads('plain string').message).toBe('plain string')
  })
})
