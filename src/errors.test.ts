import { describe, expect, it } from 'vitest'
import { BundleError, ConsortError, DataError, ERROR_CODES, fileError, ParamError, type ErrorCode } from './errors.js'

describe('error codes', () => {
  it('gives each class its default code and keeps the meaning of DataError and ParamError', () => {
    const cases: [ConsortError, ErrorCode, string][] = [
      [new ConsortError('bad'), 'invalid_input', 'ConsortError'],
      [new DataError('ragged row', { line: 3 }), 'invalid_input', 'DataError'],
      [new ParamError('unknown parameter', { field: 'eta' }), 'invalid_parameter', 'ParamError'],
      [new BundleError('sha256 mismatch'), 'invalid_bundle', 'BundleError'],
      [new BundleError('newer format', {}, 'unsupported_bundle_version'), 'unsupported_bundle_version', 'BundleError'],
    ]
    for (const [err, code, name] of cases) {
      expect(err).toBeInstanceOf(ConsortError)
      expect(err.code).toBe(code)
      expect(err.name).toBe(name)
      expect(ERROR_CODES).toContain(code)
    }
    expect(new BundleError('x')).toBeInstanceOf(DataError)
  })

  it('maps file-system errors: a missing file is not_found, others invalid_input, each naming the file', () => {
    const missing = fileError('a.csv', Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }))
    expect([missing.code, missing.message]).toEqual(['not_found', 'a.csv: cannot read file: no such file'])
    const denied = fileError('b.csv', Object.assign(new Error('EACCES'), { code: 'EACCES' }))
    expect([denied.code, denied.message]).toEqual(['invalid_input', 'b.csv: cannot read file: permission denied'])
  })

  it('prefixes the message with the location, rows included', () => {
    expect(new DataError("'abc' is not a number", { row: 3, field: 'bmi' }).message).toBe("row 3, field 'bmi': 'abc' is not a number")
    expect(new DataError('x', { file: 'f.csv', line: 2, column: 4 }).message).toBe('f.csv, line 2, column 4: x')
  })
})
