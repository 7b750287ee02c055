import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DataError, ParamError } from '../errors.js'
import { JsonlParser, parseJsonl } from './jsonl.js'
import { encode, errorOf, plain } from './testing/frames.js'

describe('parseJsonl', () => {
  it('makes one column per key, absent keys and null missing', () => {
    const f = parseJsonl('{"x": 1, "s": "a"}\n{"s": "b", "x": null}\n{"y": 2.5}\n')
    expect(f.nRows).toBe(3)
    expect(plain(f)).toEqual([
      { name: 'x', values: [1, NaN, NaN] },
      { name: 's', codes: [0, 1, -1], categories: ['a', 'b'] },
      { name: 'y', values: [NaN, NaN, 2.5] },
    ])
  })

  it('makes a column with numbers and strings categorical, numbers spelled by String()', () => {
    expect(plain(parseJsonl('{"a": 1.50}\n{"a": "x"}\n{"a": 1e21}\n{"a": true}\n'))).toEqual([
      { name: 'a', codes: [0, 1, 2, 3], categories: ['1.5', 'x', '1e+21', 'true'] },
    ])
  })

  it('takes strings literally: "NA" and "" are categories', () => {
    expect(plain(parseJsonl('{"a": "NA"}\n{"a": ""}\n'))).toEqual([{ name: 'a', codes: [0, 1], categories: ['NA', ''] }])
  })

  it('skips blank lines and accepts CRLF, a BOM and a last line without a break', () => {
    const f = parseJsonl('\ufeff{"a": 1}\r\n\r\n   \n{"a": 2}')
    expect(plain(f)).toEqual([{ name: 'a', values: [1, 2] }])
  })

  it('applies type overrides', () => {
    const f = parseJsonl('{"n": "1.5", "c": 1, "b": true}\n{"n": 2, "c": "x", "b": false}\n', {
      types: { n: 'numeric', c: 'categorical', b: 'numeric' },
    })
    expect(plain(f)).toEqual([
      { name: 'n', values: [1.5, 2] },
      { name: 'c', codes: [0, 1], categories: ['1', 'x'] },
      { name: 'b', values: [1, 0] },
    ])
    const err = errorOf(() => parseJsonl('{"n": 1}\n{"n": "abc"}\n', { types: { n: 'numeric' }, file: 'r.jsonl' }))
    expect(err.location).toEqual({ file: 'r.jsonl', line: 2, field: 'n' })
    expect(() => parseJsonl('{"n": 1}\n', { types: { m: 'numeric' } })).toThrow(ParamError)
  })

  it('treats __proto__ and constructor as plain keys', () => {
    const f = parseJsonl('{"__proto__": 1, "constructor": "x", "toString": 2}\n')
    expect(plain(f).map((c) => (c as { name: string }).name)).toEqual(['__proto__', 'constructor', 'toString'])
    expect(({} as Record<string, unknown>).constructor).toBe(Object)
  })

  const cases: [string, string | Uint8Array, { line?: number; field?: string }, RegExp][] = [
    ['invalid JSON', '{"a": 1}\n{"a": }\n', { line: 2 }, /invalid JSON/],
    ['a line that is not an object', '{"a": 1}\n\n[1, 2]\n', { line: 3 }, /expected a JSON object, found array/],
    ['a null line', 'null\n', { line: 1 }, /found null/],
    ['a nested object', '{"a": 1}\n{"a": {"b": 2}}\n', { line: 2, field: 'a' }, /nested object/],
    ['a nested array', '{"a": [1]}\n', { line: 1, field: 'a' }, /nested array/],
    ['invalid UTF-8', new Uint8Array([...encode('{"a": 1}\n{"a": "'), 0xc3, 0x28, ...encode('"}\n')]), { line: 2 }, /invalid UTF-8/],
    ['empty input', '\n\n', {}, /empty input/],
  ]
  for (const [what, input, location, message] of cases) {
    it(`reports ${what}`, () => {
      const err = errorOf(() => parseJsonl(input, { file: 'rows.jsonl' }))
      expect(err.location).toEqual({ file: 'rows.jsonl', ...location })
      expect(err.message).toMatch(message)
    })
  }

  it('refuses to be used after finish', () => {
    const p = new JsonlParser()
    p.push(encode('{"a": 1}\n'))
    p.finish()
    expect(() => p.push(encode('{"a": 1}\n'))).toThrow()
  })
})

// ---- Properties -------------------------------------------------------------------------------

type Cell = number | string | boolean | null | undefined
const key = fc.constantFrom('a', 'b', 'é', '__proto__', 'constructor', 'x y', '')
const cell: fc.Arbitrary<Cell> = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.string({ unit: 'grapheme', maxLength: 5 }),
  fc.boolean(),
  fc.constant(null),
)
const records = fc.array(fc.dictionary(key, cell, { maxKeys: 5 }), { minLength: 1, maxLength: 20 })

/** The frame a list of records should give, written from the spec. */
function expected(rows: Record<string, Cell>[]): unknown[] {
  const names: string[] = []
  for (const r of rows) for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k)
  return names.map((name) => {
    const cells = rows.map((r) => (Object.prototype.hasOwnProperty.call(r, name) ? r[name] : null))
    if (cells.every((v) => v === null || typeof v === 'number')) return { name, values: cells.map((v) => (v === null ? NaN : v)) }
    const categories: string[] = []
    const codes = cells.map((v) => {
      if (v === null || v === undefined) return -1
      const t = String(v)
      if (!categories.includes(t)) categories.push(t)
      return categories.indexOf(t)
    })
    return { name, codes, categories }
  })
}

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let prev = 0
  for (const p of [...points, bytes.length]) {
    out.push(bytes.slice(prev, p))
    prev = p
  }
  return out
}

describe('parseJsonl: properties', () => {
  it('reads back records written with JSON.stringify, however the bytes are chunked', () => {
    fc.assert(
      fc.property(records, fc.array(fc.nat(), { maxLength: 10 }), fc.constantFrom('\n', '\r\n'), (rows, cuts, eol) => {
        // JSON.stringify writes -0 as 0; the expected frame must see what the text says.
        const written = rows.map((r) => JSON.stringify(r))
        const reread = written.map((line) => JSON.parse(line) as Record<string, Cell>)
        const bytes = encode(written.join(eol) + eol)
        const want = expected(reread)
        if (want.length === 0) return
        expect(plain(parseJsonl(bytes))).toEqual(want)
        expect(plain(parseJsonl(chunked(bytes, cuts)))).toEqual(want)
      }),
      { numRuns: 300 },
    )
  })

  it('throws nothing but DataError on byte soup', () => {
    const soup = fc.oneof(
      fc.uint8Array({ maxLength: 200 }),
      fc
        .array(fc.constantFrom(...encode('{}[]":,\n\r 1.enul\\'), 0xc3, 0xff), { maxLength: 200 })
        .map((a) => Uint8Array.from(a)),
    )
    fc.assert(
      fc.property(soup, (bytes) => {
        try {
          parseJsonl(bytes)
        } catch (err) {
          expect(err).toBeInstanceOf(DataError)
          return
        }
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow()
      }),
      { numRuns: 2000 },
    )
  })
})
