// The CSV parser against Python's csv module, on random RFC 4180 files made by
// fixtures/python-csv-cases.py (quotes, CRLF and LF inside quotes, LF, CRLF and CR-only line
// endings, byte order marks, missing tokens, number forms). Every file is read whole and in chunks
// of sizes from 1 byte to 4 KiB; each cell must be what Python read, typed by consort's rules.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CsvParser, parseCsv } from './csv.js'
import type { Frame } from './frame.js'
import { MissingTokens } from './infer.js'

interface PythonCase {
  readonly text: string
  /** Header, then data rows, as Python's csv module reads them (blank lines dropped). */
  readonly rows: string[][]
  /** float(cell) for each data cell spelled as a number ("inf" and "-inf" as strings), else null. */
  readonly numbers: (number | string | null)[][]
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/python-csv-cases.json', import.meta.url), 'utf8')) as {
  peer: string
  cases: PythonCase[]
}
const missing = new MissingTokens()
const CHUNK_SIZES = [1, 2, 3, 5, 7, 16, 61, 256, 1000, 4096]

/** What differs between the frame and Python's reading of the file, one line per cell. */
function differences(frame: Frame, c: PythonCase): string[] {
  const [header, ...data] = c.rows
  const out: string[] = []
  const names = frame.columns.map((col) => col.name)
  if (JSON.stringify(names) !== JSON.stringify(header)) return [`columns ${JSON.stringify(names)} vs ${JSON.stringify(header)}`]
  if (frame.nRows !== data.length) return [`${frame.nRows} rows vs ${data.length}`]
  frame.columns.forEach((col, j) => {
    const numeric = data.every((row, i) => missing.has(row[j]) || c.numbers[i][j] !== null)
    if ((col.type === 'numeric') !== numeric) {
      out.push(`column ${j}: ${col.type}, expected ${numeric ? 'numeric' : 'categorical'}`)
      return
    }
    data.forEach((row, i) => {
      const cell = row[j]
      const where = `row ${i + 1}, column ${j} (${JSON.stringify(cell)})`
      if (col.type === 'numeric') {
        const expected = missing.has(cell) ? NaN : pythonFloat(c.numbers[i][j]!)
        if (!Object.is(col.values[i], expected)) out.push(`${where}: ${col.values[i]} vs ${expected}`)
      } else {
        const code = col.codes[i]
        const value = code < 0 ? null : col.categories[code]
        const expected = missing.has(cell) ? null : cell
        if (value !== expected) out.push(`${where}: ${JSON.stringify(value)} vs ${JSON.stringify(expected)}`)
      }
    })
  })
  return out
}

/** Python's float, from JSON: a number, or 'inf' / '-inf'. */
function pythonFloat(x: number | string): number {
  return x === 'inf' ? Infinity : x === '-inf' ? -Infinity : Number(x)
}

function inChunks(bytes: Uint8Array, size: number): Frame {
  const parser = new CsvParser()
  // Copies: the parser may keep a chunk until a later push.
  for (let i = 0; i < bytes.length; i += size) parser.push(bytes.slice(i, i + size))
  return parser.finish()
}

describe(`CSV against the ${fixture.peer}`, () => {
  it('covers BOMs, CR-only files, quoted line breaks and empty files', () => {
    const texts = fixture.cases.map((c) => c.text)
    expect(texts.some((t) => t.startsWith('\ufeff'))).toBe(true)
    expect(texts.some((t) => /,"\ufeff/.test(t))).toBe(true)
    expect(texts.some((t) => !t.includes('\n'))).toBe(true)
    expect(texts.some((t) => /"[^",]*\r\n[^",]*"/.test(t))).toBe(true)
    expect(fixture.cases.some((c) => c.rows.length === 1)).toBe(true)
  })

  it(`reads ${fixture.cases.length} random files as the peer does`, () => {
    const wrong: string[] = []
    fixture.cases.forEach((c, k) => {
      for (const d of differences(parseCsv(c.text), c)) wrong.push(`file ${k}: ${d}`)
    })
    expect(wrong).toEqual([])
  })

  it('reads them the same in chunks of every size, however the chunks cut records, fields and characters', () => {
    const wrong: string[] = []
    fixture.cases.forEach((c, k) => {
      const bytes = new TextEncoder().encode(c.text)
      const size = CHUNK_SIZES[k % CHUNK_SIZES.length]
      for (const d of differences(inChunks(bytes, size), c)) wrong.push(`file ${k}, chunks of ${size}: ${d}`)
    })
    expect(wrong).toEqual([])
  })
})

describe('the three misreads the peers found', () => {
  it('keeps a U+FEFF at the start of a field: it is data, not an encoding mark', () => {
    const frame = parseCsv('a,b\n1,\ufeffx\n2,x\n')
    const b = frame.columns[1]
    expect(b.type === 'categorical' && b.categories).toEqual(['\ufeffx', 'x'])
  })

  it('skips only the first of two byte order marks at the start of a file', () => {
    const frame = parseCsv('\ufeff\ufeffa,b\n1,2\n')
    expect(frame.columns.map((c) => c.name)).toEqual(['\ufeffa', 'b'])
  })

  it('reads CR-only line endings (old Mac files) as records, as Python and pandas do', () => {
    const frame = parseCsv('a,b\r1,2\r3,4\r')
    expect(frame.columns.map((c) => c.name)).toEqual(['a', 'b'])
    expect(frame.nRows).toBe(2)
    expect(frame.columns.map((c) => c.type === 'numeric' && [...c.values])).toEqual([
      [1, 3],
      [2, 4],
    ])
  })

  it('ends a record at a lone CR after a closing quote too', () => {
    const a = parseCsv('a\n"x"\rb\n').columns[0]
    expect(a.type === 'categorical' && a.categories).toEqual(['x', 'b'])
  })

  it('counts lone CRs as lines in error locations', () => {
    expect(() => parseCsv('a,b\r1,2\r3\r', { file: 'mac.csv' })).toThrow(/mac\.csv, line 3, column 2/)
  })
})
