/** `--kernels`: accepted for the learners that run the WebAssembly kernels, refused elsewhere and for unknown values. */
import { describe, expect, it } from 'vitest'
import { ParamError } from '../src/errors.js'
import { parseLearnerArgs } from './args.js'

const base = ['--train', 'a.csv', '--test', 'b.csv', '--target', 'y']

describe('--kernels', () => {
  it('defaults to wasm and takes js for the boosters and forests', () => {
    expect(parseLearnerArgs('gbdt', base).kernels).toBe('wasm')
    expect(parseLearnerArgs('oblivious', [...base, '--kernels', 'js']).kernels).toBe('js')
    expect(parseLearnerArgs('random_forest', [...base, '--kernels', 'js']).kernels).toBe('js')
  })

  it('is refused where it would change nothing, and for an unknown value', () => {
    expect(() => parseLearnerArgs('linear', [...base, '--kernels', 'js'])).toThrow(/--kernels does nothing for linear/)
    expect(() => parseLearnerArgs('gbdt', [...base, '--kernels', 'simd'])).toThrow(ParamError)
  })
})
