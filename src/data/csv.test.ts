import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DataError, ParamError } from '../errors.js'
import type { Frame } from './frame.js'
import { CsvParser, parseCsv, type CsvOptions } from './csv.js'
import { encode, errorOf, plain } from './testing/frames.js'

describe('parseCsv: format', () => {
  it('infers numeric and categorical columns, categories in first-seen order', () => {
    const f = parseCsv('x,colour\n1.5,red\n-2,blue\n3e2,red\n')
    expect(f.nRows).toBe(3)
    expect(plain(f)).toEqual([
      { name: 'x', values: [1.5, -2, 300] },
      { name: 'colour', codes: [0, 1, 0], categories: ['red', 'blue'] },
    ])
    expect(f.schema.fields.map((s) => s.type)).toEqual(['numeric', 'categorical'])
  })

  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    const f = parseCsv('a,b\n"1,5","he said ""hi"""\n"2","two\nlines"\n')
    expect(plain(f)).toEqual([
      { name: 'a', codes: [0, 1], categories: ['1,5', '2'] },
      { name: 'b', codes: [0, 1], categories: ['he said "hi"', 'two\nlines'] },
    ])
  })

  it('treats a quoted number as a number and a quoted token as missing', () => {
    expect(plain(parseCsv('a\n"1.5"\n"NA"\n""\n'))).toEqual([{ name: 'a', values: [1.5, NaN, NaN] }])
  })

  it('accepts CRLF, a BOM, blank lines and a last line without a break', () => {
    const f = parseCsv('\ufeffa,b\r\n1,x\r\n\r\n\n2,"y\r\nz"\r\n3,w')
    expect(plain(f)).toEqual([
      { name: 'a', values: [1, 2, 3] },
      { name: 'b', codes: [0, 1, 2], categories: ['x', 'y\r\nz', 'w'] },
    ])
  })

  it('reads the missing tokens case-insensitively, blank fields too', () => {
    const f = parseCsv('a\n1\n""\nNA\nn/a\nNaN\nnull\nNULL\nNone\n#N/A\n<NA>\n-nan\n  \n"  "\n2\n')
    expect(Array.from((f.columns[0] as { values: Float64Array }).values)).toEqual([1, ...Array(12).fill(NaN), 2])
    // An empty line is a blank line, skipped, even with one column.
    expect(parseCsv('a\n1\n\n2\n').nRows).toBe(2)
    // Blanks around a token, even when they make the field longer than every token.
    const padded = parseCsv('a\n1\n   Na\n\tnull  \n"  None "\n  NAN2\n').columns[0]
    expect(padded.type === 'categorical' && padded.codes).toEqual(new Int32Array([0, -1, -1, -1, 1]))
  })

  it('takes custom missing tokens, numeric ones included', () => {
    const f = parseCsv('a,b\n-999,?\n1,x\n', { missing: ['-999', '?'] })
    expect(plain(f)).toEqual([
      { name: 'a', values: [NaN, 1] },
      { name: 'b', codes: [-1, 0], categories: ['x'] },
    ])
  })

  it('reads infinities and exponents, and leaves hex and separators as text', () => {
    expect(plain(parseCsv('a\ninf\n-Infinity\n+INF\n1E-3\n.5\n5.\n+7\n'))).toEqual([
      { name: 'a', values: [Infinity, -Infinity, Infinity, 0.001, 0.5, 5, 7] },
    ])
    expect(parseCsv('a\n0x10\n').columns[0].type).toBe('categorical')
    expect(parseCsv('a\n1_000\n').columns[0].type).toBe('categorical')
  })

  it('keeps the original spelling of numbers when a column turns categorical', () => {
    const values = ['1.50', '007', '1e3', '-0', ' 2', '9007199254740993', '0.1', '1.5', '-0.25', '12345678901234567890', 'x', '3']
    const f = parseCsv('a\n' + values.join('\n') + '\n')
    expect(plain(f)).toEqual([{ name: 'a', codes: values.map((_, i) => i), categories: values }])
  })

  it('reads a column that is missing throughout as numeric', () => {
    expect(plain(parseCsv('a,b\n,1\nNA,2\n'))).toEqual([
      { name: 'a', values: [NaN, NaN] },
      { name: 'b', values: [1, 2] },
    ])
  })

  it('reads a header with no rows as empty columns', () => {
    expect(plain(parseCsv('a,b\n'))).toEqual([
      { name: 'a', values: [] },
      { name: 'b', values: [] },
    ])
  })

  it('takes another delimiter', () => {
    expect(plain(parseCsv('a;b\n1,5;x\n', { delimiter: ';' }))).toEqual([
      { name: 'a', codes: [0], categories: ['1,5'] },
      { name: 'b', codes: [0], categories: ['x'] },
    ])
    expect(plain(parseCsv('a\tb\n1\t2\n', { delimiter: '\t' }))).toEqual([
      { name: 'a', values: [1] },
      { name: 'b', values: [2] },
    ])
    for (const d of ['', ';;', '"', '\n', 'é']) expect(() => parseCsv('a\n', { delimiter: d })).toThrow(ParamError)
  })

  it('reads input without a header when given the names', () => {
    expect(plain(parseCsv('1,x\n2,y\n', { names: ['n', 's'] }))).toEqual([
      { name: 'n', values: [1, 2] },
      { name: 's', codes: [0, 1], categories: ['x', 'y'] },
    ])
    expect(() => parseCsv('1\n', { names: ['a', 'a'] })).toThrow(ParamError)
  })

  it('treats __proto__, constructor and toString as plain names', () => {
    const types = JSON.parse('{"__proto__": "categorical", "toString": "numeric"}') as Record<string, 'numeric' | 'categorical'>
    const f = parseCsv('__proto__,constructor,toString\n1,2,3\n', { types })
    expect(plain(f)).toEqual([
      { name: '__proto__', codes: [0], categories: ['1'] },
      { name: 'constructor', values: [2] },
      { name: 'toString', values: [3] },
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('parseCsv: type overrides', () => {
  it('pins a column categorical, keeping numbers as written', () => {
    const f = parseCsv('zip,n\n01234,1\n1e3,2\nNA,3\n', { types: new Map([['zip', 'categorical']]) })
    expect(plain(f)[0]).toEqual({ name: 'zip', codes: [0, 1, -1], categories: ['01234', '1e3'] })
  })

  it('rejects text in a column pinned numeric, naming file, line, column and field', () => {
    const err = errorOf(() => parseCsv('a,b\n1,2\n"3\n3",x\n', { types: { b: 'numeric' }, file: 'in.csv' }))
    expect(err.location).toEqual({ file: 'in.csv', line: 4, column: 2, field: 'b' })
    expect(err.message).toBe("in.csv, line 4, column 2, field 'b': 'x' is not a number (the column is numeric)")
  })

  it('rejects an override for a column the input does not have', () => {
    expect(() => parseCsv('a\n1\n', { types: { A: 'numeric' } })).toThrow(ParamError)
    expect(() => parseCsv('a\n1\n', { types: { a: 'text' as 'numeric' } })).toThrow(ParamError)
  })
})

describe('parseCsv: malformed input', () => {
  const cases: [string, string | Uint8Array, Partial<DataError['location']>, RegExp][] = [
    ['too few fields', 'a,b,c\n1,2,3\n4,5\n', { line: 3, column: 3, field: 'c' }, /too few fields: expected 3, found 2/],
    ['too many fields', 'a,b\n1,2\n3,4,5\n', { line: 3, column: 3 }, /too many fields: expected 2/],
    ['ragged after a quoted line break', 'a,b\n"x\ny",1\n2\n', { line: 4, column: 2, field: 'b' }, /too few fields/],
    ['quote inside an unquoted field', 'a,b\n1,ab"c"\n', { line: 2, column: 2, field: 'b' }, /quote inside an unquoted field/],
    ['unterminated quote at the end', 'a,b\n1,2\n3,"abc\ndef\n', { line: 3, column: 2, field: 'b' }, /unterminated quoted field/],
    ['text after a closing quote', 'a,b\n1,"x"y\n', { line: 2, column: 2, field: 'b' }, /after closing quote/],
    ['invalid UTF-8 in a value', new Uint8Array([...encode('a,b\n1,'), 0xff, 0x0a]), { line: 2, column: 2, field: 'b' }, /invalid UTF-8/],
    ['invalid UTF-8 in a numeric value', new Uint8Array([...encode('a\n1\n'), 0x31, 0xc3, 0x0a]), { line: 3, column: 1, field: 'a' }, /invalid UTF-8/],
    ['invalid UTF-8 in the header', new Uint8Array([0x61, 0x2c, 0xed, 0xa0, 0x80, 0x0a]), { line: 1, column: 2 }, /invalid UTF-8/],
    ['empty input', '', { line: 1 }, /no header row/],
    ['only a BOM and blank lines', '\ufeff\n\r\n\n', { line: 1 }, /no header row/],
    ['duplicate header names', 'x,y,x\n1,2,3\n', { line: 1, column: 3, field: 'x' }, /duplicate column name 'x'/],
  ]
  for (const [what, input, location, message] of cases) {
    it(`reports ${what}`, () => {
      const err = errorOf(() => parseCsv(input, { file: 'data.csv' }))
      expect(err.location).toEqual({ file: 'data.csv', ...location })
      expect(err.message).toMatch(message)
    })
  }

  it('leaves file out of the location when no file is named', () => {
    expect(errorOf(() => parseCsv('a\n"x')).location).toEqual({ line: 2, column: 1, field: 'a' })
  })
})

describe('CsvParser', () => {
  it('refuses to be used after finish', () => {
    const p = new CsvParser()
    p.push(encode('a\n1\n'))
    p.finish()
    expect(() => p.push(encode('2\n'))).toThrow()
    expect(() => p.finish()).toThrow()
  })

  it('gives the same frame whatever the size hint', () => {
    const text = 'a,b\n' + Array.from({ length: 5000 }, (_, i) => `${i / 8},${i % 3}`).join('\n')
    const expected = plain(parseCsv(text))
    for (const sizeHint of [1, 100, text.length, text.length * 50]) {
      const p = new CsvParser({ sizeHint })
      for (let i = 0; i < text.length; i += 1000) p.push(encode(text.slice(i, i + 1000)))
      expect(plain(p.finish())).toEqual(expected)
    }
  })

  it('keeps large columns in shared memory (threads read them in place), small ones in ordinary memory', () => {
    const rows = 200_000
    const text = 'x,c\n' + Array.from({ length: rows }, (_, i) => `${i % 97},${i % 2 ? 'a' : 'b'}`).join('\n')
    const frame = parseCsv(text)
    const [x, c] = frame.columns
    expect(x.type === 'numeric' && x.values.buffer instanceof SharedArrayBuffer).toBe(true)
    expect(x.type === 'numeric' && x.values[rows - 1]).toBe((rows - 1) % 97)
    expect(c.type === 'categorical' && c.codes.length).toBe(rows)
    const small = parseCsv('x\n1\n2\n').columns[0]
    expect(small.type === 'numeric' && small.values.buffer instanceof SharedArrayBuffer).toBe(false)
  })
})

// ---- Properties -------------------------------------------------------------------------------

/** The spec, written independently of the parser: what a cell's text means. */
const MISSING = new Set(['', 'na', 'n/a', '#n/a', '<na>', 'nan', '-nan', 'null', 'none'])
const trim = (t: string): string => t.replace(/^[ \t]+|[ \t]+$/g, '')
const isMissing = (t: string): boolean => MISSING.has(trim(t).toLowerCase())
function numberOf(t: string): number | undefined {
  const s = trim(t)
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return Number(s)
  if (/^[+-]?(inf|infinity)$/i.test(s)) return s.startsWith('-') ? -Infinity : Infinity
  return undefined
}

/** The frame a table of cell texts should give. */
function expectedFrame(header: string[], rows: string[][]): unknown[] {
  return header.map((name, j) => {
    const cells = rows.map((r) => r[j])
    if (cells.every((t) => isMissing(t) || numberOf(t) !== undefined)) {
      return { name, values: cells.map((t) => (isMissing(t) ? NaN : numberOf(t)!)) }
    }
    const categories: string[] = []
    const codes = cells.map((t) => {
      if (isMissing(t)) return -1
      if (!categories.includes(t)) categories.push(t)
      return categories.indexOf(t)
    })
    return { name, codes, categories }
  })
}

/** A reference CSV writer: quotes what needs quoting, and some fields that do not. */
function writeCsv(header: string[], rows: string[][], eol: string, bom: boolean, finalEol: boolean, quoteAll: boolean): string {
  const field = (t: string, alone: boolean): string =>
    quoteAll || /[",\r\n]/.test(t) || (alone && t === '') ? '"' + t.replace(/"/g, '""') + '"' : t
  const line = (cells: string[]): string => cells.map((t) => field(t, cells.length === 1)).join(',')
  return (bom ? '\ufeff' : '') + [header, ...rows].map(line).join(eol) + (finalEol ? eol : '')
}

const numberText = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).chain((x) => fc.integer({ min: 0, max: 20 }).map((k) => x.toFixed(k))),
  fc.double({ noNaN: true, noDefaultInfinity: true }).chain((x) => fc.integer({ min: 0, max: 20 }).map((k) => x.toExponential(k))),
  fc.integer({ min: -1e9, max: 1e9 }).map(String),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.constantFrom('-0', '0.0', '-0.000', '+3', '007', '.5', '5.', '1E5', ' 42 ', '\t-1.5', 'inf', '-Infinity', '0.1', '1e-400', '1e400'),
)
const missingText = fc.constantFrom('', 'NA', 'nan', 'NULL', 'n/a', '  ', 'None')
const trickyText = fc.string({ unit: fc.constantFrom('a', 'é', '😀', ',', '"', '\n', '\r', ' ', '1', '.', '-', 'e', 'N', 'A'), maxLength: 8 })
const anyText = fc.oneof(trickyText, fc.string({ unit: 'grapheme', maxLength: 6 }), numberText, missingText)

const tableArb = fc
  .uniqueArray(fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 5 }), trickyText, fc.constantFrom('__proto__', 'constructor', 'toString')), {
    minLength: 1,
    maxLength: 5,
  })
  .chain((header) => {
    // Per column, a kind of content: numbers, numbers with missing values, or anything.
    const column = fc.constantFrom('numeric', 'numericMissing', 'any')
    return fc.tuple(fc.constant(header), fc.array(column, { minLength: header.length, maxLength: header.length }), fc.integer({ min: 0, max: 25 }))
  })
  .chain(([header, kinds, nRows]) => {
    const cell = (k: string): fc.Arbitrary<string> => (k === 'numeric' ? numberText : k === 'numericMissing' ? fc.oneof(numberText, missingText) : anyText)
    const row = fc.tuple(...kinds.map(cell))
    return fc.record({
      header: fc.constant(header),
      rows: fc.array(row, { minLength: nRows, maxLength: nRows }),
      eol: fc.constantFrom('\n', '\r\n'),
      bom: fc.boolean(),
      finalEol: fc.boolean(),
      quoteAll: fc.boolean(),
    })
  })

/** Splits bytes at random cut points into chunks. */
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

/** The frame, or the DataError's message: what must not depend on chunking. */
function outcome(run: () => Frame): unknown {
  try {
    return plain(run())
  } catch (err) {
    if (err instanceof DataError) return err.message
    throw err
  }
}

describe('parseCsv: properties', () => {
  it('reads back any table a reference writer wrote', () => {
    fc.assert(
      fc.property(tableArb, ({ header, rows, eol, bom, finalEol, quoteAll }) => {
        // A table whose rows are all-empty single cells writes blank lines only if unquoted; the writer quotes them.
        const text = writeCsv(header, rows, eol, bom, finalEol, quoteAll)
        expect(plain(parseCsv(text))).toEqual(expectedFrame(header, rows))
      }),
      { numRuns: 300 },
    )
  })

  it('parses numbers exactly as Number() does, and keeps their spelling if the column turns categorical', () => {
    const decimal = fc
      .tuple(
        fc.constantFrom('', '-', '+'),
        fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength: 20 }),
        fc.option(fc.string({ unit: fc.constantFrom('0', '3', '7', '9'), maxLength: 25 })),
        fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.integer({ min: 0, max: 330 }))),
      )
      .map(([sign, int, frac, exp]) => sign + int + (frac === null ? '' : '.' + frac) + (exp === null ? '' : exp[0] + exp[1] + exp[2]))
      .filter((t) => /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t))
    fc.assert(
      fc.property(fc.array(decimal, { minLength: 1, maxLength: 60 }), (texts) => {
        const numeric = parseCsv('a\n' + texts.join('\n') + '\n').columns[0]
        expect(numeric.type).toBe('numeric')
        const values = numeric.type === 'numeric' ? Array.from(numeric.values) : []
        expect(values).toEqual(texts.map((t) => Number(t)))
        const mixed = parseCsv('a\n' + texts.join('\n') + '\nx\n').columns[0]
        const spelled = mixed.type === 'categorical' ? Array.from(mixed.codes, (c) => mixed.categories[c]) : []
        expect(spelled).toEqual([...texts, 'x'])
      }),
      { numRuns: 500 },
    )
  })

  it('accepts input only when it is valid UTF-8, and throws nothing but DataError', () => {
    const soup = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.array(fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0x31, 0x2e, 0x2d, 0x61, 0x20, 0xef, 0xbb, 0xbf, 0xc3, 0xa9, 0xff, 0x80), { maxLength: 300 }).map((a) => Uint8Array.from(a)),
    )
    fc.assert(
      fc.property(soup, fc.constantFrom<CsvOptions>({}, { types: {} }, { delimiter: '\t' }), (bytes, options) => {
        try {
          parseCsv(bytes, options)
        } catch (err) {
          expect(err).toBeInstanceOf(DataError)
          return
        }
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow()
      }),
      { numRuns: 3000 },
    )
  })

  it('gives the same frame, or the same error, however the input is split into chunks', () => {
    const input = fc.oneof(
      tableArb.map(({ header, rows, eol, bom, finalEol, quoteAll }) => encode(writeCsv(header, rows, eol, bom, finalEol, quoteAll))),
      fc.array(fc.constantFrom(0x22, 0x2c, 0x0a, 0x0d, 0x31, 0x2e, 0x61, 0xef, 0xbb, 0xbf, 0xc3, 0xa9), { maxLength: 120 }).map((a) => Uint8Array.from(a)),
    )
    fc.assert(
      fc.property(input, fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
        expect(outcome(() => parseCsv(chunked(bytes, cuts)))).toEqual(outcome(() => parseCsv(bytes)))
      }),
      { numRuns: 500 },
    )
  })

  it('gives the same frame when fed one byte at a time', () => {
    fc.assert(
      fc.property(tableArb, ({ header, rows, eol, bom, finalEol, quoteAll }) => {
        const bytes = encode(writeCsv(header, rows, eol, bom, finalEol, quoteAll))
        const p = new CsvParser()
        for (let i = 0; i < bytes.length; i++) p.push(bytes.subarray(i, i + 1))
        expect(plain(p.finish())).toEqual(plain(parseCsv(bytes)))
      }),
      { numRuns: 100 },
    )
  })
})
