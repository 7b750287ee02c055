import { describe, expect, it } from 'vitest'
import { BundleError, ConsortError, DataError, ParamError } from '../errors.js'
import { errorFromData, errorToData } from './error-transfer.js'

/** What crossing a thread does to the plain form: a structured clone. */
const acrossThreads = (err: unknown) => errorFromData(structuredClone(errorToData(err)))

describe('error transfer', () => {
  it('rebuilds ConsortErrors with their class, message, location and code', () => {
    for (const err of [
      new DataError('target of row 3 is NaN', { file: 'train.csv', field: 'y' }),
      new DataError('cannot read file: no such file', { file: 'train.csv' }, 'not_found'),
      new ParamError('unknown parameter', { field: 'params.etaa' }),
      new BundleError('bundle format 2 is newer', { file: 'model.tar.gz' }, 'unsupported_bundle_version'),
      new BundleError('sha256 mismatch'),
      new ConsortError('bad'),
    ]) {
      const back = acrossThreads(err)
      expect(back.constructor).toBe(err.constructor)
      expect(back.message).toBe(err.message)
      expect((back as ConsortError).location).toEqual(err.location)
      expect((back as ConsortError).code).toBe(err.code)
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
