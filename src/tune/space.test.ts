import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ParamError } from '../errors.js'
import { Rng } from '../rng.js'
import {
  checkRanges,
  createSpace,
  decode,
  discreteSize,
  encode,
  inSpace,
  pointAt,
  pointKey,
  resolveScaling,
  sampleUniform,
  snap,
} from './space.js'
import type { ParameterRange } from './types.js'

const mixed: ParameterRange[] = [
  { name: 'eta', type: 'continuous', min: 0.01, max: 0.3, scaling: 'Logarithmic' },
  { name: 'subsample', type: 'continuous', min: 0.5, max: 1, scaling: 'Linear' },
  { name: 'momentum', type: 'continuous', min: 0.9, max: 0.9999, scaling: 'ReverseLogarithmic' },
  { name: 'max_depth', type: 'integer', min: 2, max: 8, scaling: 'Linear' },
  { name: 'num_round', type: 'integer', min: 10, max: 1000, scaling: 'Auto' },
  { name: 'grow_policy', type: 'categorical', values: ['depthwise', 'lossguide'] },
  { name: 'flag', type: 'categorical', values: [true, false, 1, '1'] },
]

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(ParamError)
    return (e as ParamError).location.field
  }
  throw new Error('expected a ParamError')
}

describe('checkRanges', () => {
  it('accepts valid ranges, including a one-value integer range', () => {
    expect(() => checkRanges(mixed)).not.toThrow()
    expect(() => checkRanges([{ name: 'k', type: 'integer', min: 3, max: 3, scaling: 'Linear' }])).not.toThrow()
  })

  it('names the range of each problem', () => {
    const c = (r: Partial<ParameterRange> & { name: string }): ParameterRange => ({ type: 'continuous', min: 0, max: 1, scaling: 'Linear', ...r }) as ParameterRange
    expect(fieldOf(() => checkRanges([]))).toBe('ranges')
    expect(fieldOf(() => checkRanges([c({ name: 'a' }), c({ name: 'a' })]))).toBe('ranges.a')
    expect(fieldOf(() => checkRanges([c({ name: '' })]))).toBe('ranges[0]')
    expect(fieldOf(() => checkRanges([c({ name: 'x', min: 1, max: 0 })]))).toBe('ranges.x')
    expect(fieldOf(() => checkRanges([c({ name: 'x', min: 1, max: 1 })]))).toBe('ranges.x')
    expect(fieldOf(() => checkRanges([c({ name: 'x', max: Infinity })]))).toBe('ranges.x')
    expect(fieldOf(() => checkRanges([c({ name: 'x', min: NaN })]))).toBe('ranges.x')
    expect(fieldOf(() => checkRanges([c({ name: 'x', scaling: 'Logarithmic' })]))).toBe('ranges.x')
    expect(fieldOf(() => checkRanges([c({ name: 'x', min: 0.5, max: 1, scaling: 'ReverseLogarithmic' })]))).toBe('ranges.x')
    expect(fieldOf(() => checkRanges([c({ name: 'x', min: -0.1, max: 0.5, scaling: 'ReverseLogarithmic' })]))).toBe('ranges.x')
    expect(fieldOf(() => checkRanges([{ name: 'n', type: 'integer', min: 0, max: 1, scaling: 'ReverseLogarithmic' }]))).toBe('ranges.n')
    expect(fieldOf(() => checkRanges([{ name: 'n', type: 'integer', min: 0.5, max: 3, scaling: 'Linear' }]))).toBe('ranges.n')
    expect(fieldOf(() => checkRanges([{ name: 'n', type: 'integer', min: 4, max: 3, scaling: 'Linear' }]))).toBe('ranges.n')
    expect(fieldOf(() => checkRanges([{ name: 'g', type: 'categorical', values: [] }]))).toBe('ranges.g')
    expect(fieldOf(() => checkRanges([{ name: 'g', type: 'categorical', values: ['a', 'b', 'a'] }]))).toBe('ranges.g')
    expect(fieldOf(() => checkRanges([{ name: 'g', type: 'categorical', values: [1, NaN] }]))).toBe('ranges.g')
    const many = Array.from({ length: 31 }, (_, i) => `v${i}`)
    expect(fieldOf(() => checkRanges([{ name: 'g', type: 'categorical', values: many }]))).toBe('ranges.g')
    expect(() => checkRanges([{ name: 'g', type: 'categorical', values: many.slice(0, 30) }])).not.toThrow()
  })

  it('suggests the closest type and scaling', () => {
    expect(() => checkRanges([{ name: 'x', type: 'continous', min: 0, max: 1, scaling: 'Linear' } as unknown as ParameterRange])).toThrow(
      /did you mean 'continuous'/,
    )
    expect(() => checkRanges([{ name: 'x', type: 'continuous', min: 1, max: 10, scaling: 'Logarithmc' } as unknown as ParameterRange])).toThrow(
      /did you mean 'Logarithmic'/,
    )
  })
})

describe('resolveScaling', () => {
  it('picks Logarithmic for Auto on positive ranges spanning two orders of magnitude', () => {
    const r = (min: number, max: number, type: 'continuous' | 'integer' = 'continuous') => ({ name: 'x', type, min, max, scaling: 'Auto' as const })
    expect(resolveScaling(r(0.001, 0.1))).toBe('Logarithmic')
    expect(resolveScaling(r(0.001, 0.0999))).toBe('Linear')
    expect(resolveScaling(r(0, 1000))).toBe('Linear')
    expect(resolveScaling(r(10, 1000, 'integer'))).toBe('Logarithmic')
    expect(resolveScaling({ name: 'x', type: 'continuous', min: 1, max: 2, scaling: 'Logarithmic' })).toBe('Logarithmic')
    expect(createSpace(mixed).scalings).toEqual(['Logarithmic', 'Linear', 'ReverseLogarithmic', 'Linear', 'Logarithmic', null, null])
  })
})

describe('encode and decode', () => {
  const space = createSpace(mixed)
  const cube = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: space.dims, maxLength: space.dims })

  it('decodes any cube point into the space; encoding it back gives the same discrete values', () => {
    fc.assert(
      fc.property(cube, (u) => {
        const p = decode(space, u)
        expect(inSpace(space, p)).toBe(true)
        const again = decode(space, encode(space, p))
        for (const name of ['max_depth', 'num_round', 'grow_policy', 'flag']) expect(again[name]).toBe(p[name])
        const v = encode(space, p)
        for (const x of v) expect(x >= 0 && x <= 1).toBe(true)
      }),
    )
  })

  it('keeps continuous values through a round trip and hits the bounds exactly', () => {
    fc.assert(
      fc.property(cube, (u) => {
        const p = decode(space, u)
        const q = decode(space, encode(space, p))
        for (const name of ['eta', 'subsample', 'momentum']) expect(q[name] as number).toBeCloseTo(p[name] as number, 12)
      }),
    )
    const lo = decode(space, new Float64Array(space.dims))
    const hi = decode(space, new Float64Array(space.dims).fill(1))
    expect([lo.eta, lo.subsample, lo.momentum, lo.max_depth, lo.num_round, lo.grow_policy, lo.flag]).toEqual([0.01, 0.5, 0.9, 2, 10, 'depthwise', true])
    expect([hi.eta, hi.subsample, hi.momentum, hi.max_depth, hi.num_round, hi.grow_policy, hi.flag]).toEqual([0.3, 1, 0.9999, 8, 1000, 'lossguide', '1'])
  })

  it('encodes each scaling as documented', () => {
    const u = encode(space, { eta: Math.sqrt(0.01 * 0.3), subsample: 0.75, momentum: 1 - Math.sqrt(0.1 * 0.0001), max_depth: 5, num_round: 100, grow_policy: 'lossguide', flag: 1 })
    expect(u[0]).toBeCloseTo(0.5, 12) // the geometric mean is the middle in log space
    expect(u[1]).toBeCloseTo(0.5, 12)
    expect(u[2]).toBeCloseTo(0.5, 12) // 1 - x is the geometric mean of 0.1 and 0.0001
    expect(u[3]).toBeCloseTo(3.5 / 7, 12) // cells of width 1/7 over [1.5, 8.5]
    expect(u[4]).toBeCloseTo((Math.log(100) - Math.log(9.5)) / (Math.log(1000.5) - Math.log(9.5)), 12)
    expect(u[5]).toBe(0.75)
    expect(u[6]).toBe(2.5 / 4)
  })

  it('refuses values the space cannot encode', () => {
    const p = { eta: 0.1, subsample: 0.7, momentum: 0.95, max_depth: 3, num_round: 50, grow_policy: 'lossguide', flag: true }
    expect(() => encode(space, { ...p, grow_policy: 'other' })).toThrow(ParamError)
    expect(() => encode(space, { ...p, flag: 'true' })).toThrow(ParamError)
    expect(() => encode(space, { ...p, eta: 'fast' })).toThrow(ParamError)
    const { eta: _eta, ...missing } = p
    expect(() => encode(space, missing)).toThrow(ParamError)
  })

  it('snaps coordinates to the cell of the point they decode to', () => {
    fc.assert(
      fc.property(cube, (u) => {
        const s = snap(space, Float64Array.from(u))
        expect(pointKey(space, decode(space, s))).toBe(pointKey(space, decode(space, u)))
        expect(Array.from(snap(space, s.slice()))).toEqual(Array.from(s))
      }),
    )
  })
})

describe('sampleUniform', () => {
  const space = createSpace(mixed)
  const rng = new Rng(3)
  const samples = Array.from({ length: 4000 }, () => sampleUniform(space, rng))

  it('is uniform in the scaled space', () => {
    const below = (name: string, x: number): number => samples.filter((p) => (p[name] as number) < x).length / samples.length
    expect(below('eta', Math.sqrt(0.01 * 0.3))).toBeCloseTo(0.5, 1) // log-uniform: half below the geometric mean
    expect(below('subsample', 0.75)).toBeCloseTo(0.5, 1)
    expect(below('momentum', 1 - Math.sqrt(1e-5))).toBeCloseTo(0.5, 1) // reverse-log: half of the mass above 0.9968
    expect(below('num_round', 100)).toBeCloseTo(0.5, 1)
    for (let d = 2; d <= 8; d++) {
      const share = samples.filter((p) => p.max_depth === d).length / samples.length
      expect(Math.abs(share - 1 / 7)).toBeLessThan(0.025)
    }
    for (const v of [true, false, 1, '1']) expect(Math.abs(samples.filter((p) => p.flag === v).length / samples.length - 0.25)).toBeLessThan(0.03)
  })

  it('is deterministic for a seed', () => {
    const a = new Rng(9)
    const b = new Rng(9)
    for (let i = 0; i < 20; i++) expect(sampleUniform(space, a)).toEqual(sampleUniform(space, b))
  })
})

describe('keys and enumeration', () => {
  it('tells points apart by value and type, in range order', () => {
    const space = createSpace(mixed)
    const p = { eta: 0.1, subsample: 0.7, momentum: 0.95, max_depth: 3, num_round: 50, grow_policy: 'lossguide', flag: 1 }
    expect(pointKey(space, p)).toBe('[0.1,0.7,0.95,3,50,"lossguide",1]')
    expect(pointKey(space, { ...p, flag: '1' })).not.toBe(pointKey(space, p))
    expect(pointKey(space, { ...p, extra: 4 })).toBe(pointKey(space, p))
    expect(pointKey(space, { ...p, max_depth: -0 })).toBe(pointKey(space, { ...p, max_depth: 0 }))
  })

  it('enumerates a discrete space in itertools.product order', () => {
    const space = createSpace([
      { name: 'a', type: 'integer', min: 1, max: 2, scaling: 'Linear' },
      { name: 'b', type: 'categorical', values: ['x', 'y', 'z'] },
    ])
    expect(discreteSize(space)).toBe(6)
    expect(Array.from({ length: 6 }, (_, i) => pointAt(space, i))).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 1, b: 'z' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
      { a: 2, b: 'z' },
    ])
    expect(discreteSize(createSpace(mixed))).toBe(Infinity)
  })
})
