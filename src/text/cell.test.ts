import { describe, expect, it } from 'vitest'
import { DEFAULT_MISSING, MissingTokens, parseNumericText } from './cell.js'

describe('cell text', () => {
  it('reads decimals and infinities as numbers, and nothing else', () => {
    expect([' 1.5e3 ', '-0', '.5', '+7', '-inf', 'Infinity'].map(parseNumericText)).toEqual([1500, -0, 0.5, 7, -Infinity, Infinity])
    expect(['0x10', '1_000', 'NaN', '', 'abc', '1.2.3'].map(parseNumericText)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined])
  })

  it('treats the missing tokens case-insensitively, with blanks around them, and blank text as missing', () => {
    const m = new MissingTokens(DEFAULT_MISSING)
    expect([' NA ', 'n/a', 'NULL', '', '  ', 'None', '#N/A'].every((t) => m.has(t))).toBe(true)
    expect(['nab', '0', 'missing'].some((t) => m.has(t))).toBe(false)
    expect(new MissingTokens(['-999']).hasNumericToken).toBe(true)
  })
})
