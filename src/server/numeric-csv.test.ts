import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseCsv } from '../data/csv.js'
import type { NumericColumn } from '../data/frame.js'
import { plainNumericCsv } from './numeric-csv.js'

const names = ['a', 'b', 'c']
const encode = (s: string) => new TextEncoder().encode(s)

describe('plainNumericCsv', () => {
  it('reads exactly what the general CSV reader reads, or leaves the body to it', () => {
    const number = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }).map(String),
      fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toFixed(fc.sample(fc.integer({ min: 0, max: 8 }), 1)[0])),
      fc.constantFrom('0', '-0', '007', '1e3', '.5', '5.', '', 'NA', '"1"', ' 1', '123456789012345678', '0.1234567890123456789'),
    )
    const body = fc
      .tuple(fc.array(fc.array(number, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
      .map(([rows, eol, last]) => rows.map((r) => r.join(',')).join(eol) + (last ? eol : ''))
    fc.assert(
      fc.property(body, (text) => {
        const fast = plainNumericCsv(encode(text), names)
        if (fast === null) return
        const general = parseCsv(text, { names, types: { a: 'numeric', b: 'numeric', c: 'numeric' } })
        expect(fast.nRows).toBe(general.nRows)
        fast.columns.forEach((c, j) => expect(Array.from((c as NumericColumn).values)).toEqual(Array.from((general.columns[j] as NumericColumn).values)))
      }),
      { numRuns: 2000 },
    )
  })

  it('takes the common bodies and leaves the rest', () => {
    expect(plainNumericCsv(encode('1.5,-2,3\n4,5.25,6'), names)?.columns.map((c) => Array.from((c as NumericColumn).values))).toEqual([
      [1.5, 4],
      [-2, 5.25],
      [3, 6],
    ])
    for (const text of ['1,2\n', '1,2,3,4\n', '1,,3\n', 'a,b,c\n1,2,3\n', '1,2,3\n\n', '"1",2,3\n', '1,2,3\r4,5,6']) expect(plainNumericCsv(encode(text), names)).toBeNull()
  })
})
