import { describe, expect, it } from 'vitest'
import type { CategoricalColumn, Field, Frame, NumericColumn } from '../data/frame.js'
import { DataError } from '../errors.js'
import { InputMapper } from './input.js'

const FEATURES: readonly Field[] = [
  { name: 'x', type: 'numeric' },
  { name: 'colour', type: 'categorical', categories: ['red', 'green', '3'] },
  { name: 'y', type: 'numeric' },
]
const mapper = new InputMapper(FEATURES)

const numbers = (f: Frame, name: string) => Array.from((f.columns.find((c) => c.name === name) as NumericColumn).values)
const codes = (f: Frame, name: string) => Array.from((f.columns.find((c) => c.name === name) as CategoricalColumn).codes)

function errorOf(run: () => unknown): DataError {
  try {
    run()
  } catch (e) {
    expect(e).toBeInstanceOf(DataError)
    return e as DataError
  }
  throw new Error('expected a DataError')
}

describe('InputMapper', () => {
  it('maps array rows by position, in the training order, with training codes', () => {
    const f = mapper.frame([
      [1.5, 'green', -2],
      ['2.5', 'red', '1e3'],
    ])
    expect(f.columns.map((c) => c.name)).toEqual(['x', 'colour', 'y'])
    expect(numbers(f, 'x')).toEqual([1.5, 2.5])
    expect(codes(f, 'colour')).toEqual([1, 0])
    expect(numbers(f, 'y')).toEqual([-2, 1000])
    expect((f.columns[1] as CategoricalColumn).categories).toEqual(['red', 'green', '3'])
  })

  it('maps array rows by name when the names are given, in any order, extra columns ignored', () => {
    const f = mapper.frame([['a', 'red', 4, 5]], { names: ['id', 'colour', 'y', 'x'] })
    expect([numbers(f, 'x'), codes(f, 'colour'), numbers(f, 'y')]).toEqual([[5], [0], [4]])
    expect(errorOf(() => mapper.frame([[1, 2]], { names: ['x', 'y'] })).message).toMatch(/field 'colour': no column 'colour' \(the model needs: x, colour, y\)/)
    expect(errorOf(() => mapper.frame([[1, 2, 3]], { names: ['x', 'x', 'colour'] })).message).toMatch(/column 'x' is named twice/)
  })

  it('maps records by key: an absent key is missing, extra keys are ignored, a key no row has is an error', () => {
    const rows = JSON.parse('[{"y": 1, "colour": "green", "x": 0.5, "id": 7}, {"colour": 3, "__proto__": 1}]') as Record<string, unknown>[]
    const f = mapper.frame(rows)
    expect(numbers(f, 'x')).toEqual([0.5, NaN])
    expect(codes(f, 'colour')).toEqual([1, 2])
    expect(numbers(f, 'y')).toEqual([1, NaN])
    expect(errorOf(() => mapper.frame([{ x: 1, y: 2 }])).location).toEqual({ field: 'colour' })
  })

  it('reads missing values and unseen categories by the training rules', () => {
    const f = mapper.frame([
      [null, null, 'NA'],
      ['', 'purple', ' nan '],
      [true, true, false],
      [NaN, 3, Infinity],
    ])
    expect(numbers(f, 'x')).toEqual([NaN, NaN, 1, NaN])
    // Unseen ('purple', 'true') and missing are both -1, as in training; the number 3 is the category '3'.
    expect(codes(f, 'colour')).toEqual([-1, -1, -1, 2])
    expect(numbers(f, 'y')).toEqual([NaN, NaN, 0, Infinity])
  })

  it('refuses a wrong value count and text in a numeric column, naming the row and the column', () => {
    const ragged = errorOf(() => mapper.frame([[1, 'red', 2], [1, 'red']]))
    expect(ragged.message).toBe("row 2: 2 values where 3 are expected: the model's 3 features (x, colour, y)")
    expect(ragged.location).toEqual({ row: 2 })
    const text = errorOf(() => mapper.frame([[1, 'red', 2], [1, 'red', 2], [1, 'red', 'abc']]))
    expect(text.message).toBe(`row 3, field 'y': "abc" is not a number (the column is numeric)`)
    expect(text.location).toEqual({ row: 3, field: 'y' })
    expect(text.code).toBe('invalid_input')
    const line = errorOf(() => mapper.frame([['x', 'red', 1]], { firstRow: 2, unit: 'line' }))
    expect(line.location).toEqual({ line: 2, field: 'x' })
    expect(errorOf(() => mapper.frame([[1, { a: 1 }, 2]])).message).toMatch(/row 1, field 'colour': an object is not a category/)
  })

  it('refuses rows of mixed or unknown shapes', () => {
    expect(errorOf(() => mapper.frame([[1, 'red', 2], { x: 1 }])).message).toMatch(/^row 2: not an array like the rows before it/)
    expect(errorOf(() => mapper.frame([{ x: 1 }, [1, 'red', 2]])).message).toMatch(/^row 2: not an object like the rows before it/)
    expect(errorOf(() => mapper.frame([{ x: 1, colour: 'red', y: 1 }, 5 as never])).message).toMatch(/^row 2: not an object/)
  })

  it('makes an empty frame of no rows', () => {
    const f = mapper.frame([])
    expect(f.nRows).toBe(0)
    expect(f.columns.map((c) => c.name)).toEqual(['x', 'colour', 'y'])
  })
})
