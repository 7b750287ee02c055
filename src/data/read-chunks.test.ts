import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import { DataError } from '../errors.js'
import { CsvParser } from './csv.js'
import type { Frame } from './frame.js'
import { JsonlParser } from './jsonl.js'
import { readFrameChunks, type ChunkReadOptions } from './read-chunks.js'
import { readFrame } from './read.js'
import { encode, plain } from './testing/frames.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-chunks-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
function file(name: string, content: string): string {
  const path = join(dir, `${files++}-${name}`)
  writeFileSync(path, content)
  return path
}

async function frames(path: string, options: ChunkReadOptions): Promise<Frame[]> {
  const out: Frame[] = []
  for await (const f of readFrameChunks(path, options)) out.push(f)
  return out
}

async function failure(path: string, options: ChunkReadOptions): Promise<{ error: DataError; rowsBefore: number }> {
  let rowsBefore = 0
  try {
    for await (const f of readFrameChunks(path, options)) rowsBefore += f.nRows
  } catch (err) {
    if (err instanceof DataError) return { error: err, rowsBefore }
    throw err
  }
  throw new Error('expected a DataError')
}

/** Every cell of the frames by column, as numbers or category text (null when missing). */
function cells(list: readonly Frame[]): Record<string, (number | string | null)[]> {
  const out: Record<string, (number | string | null)[]> = {}
  for (const f of list) {
    for (const c of f.columns) {
      const column = (out[c.name] ??= [])
      if (c.type === 'numeric') column.push(...Array.from(c.values, (v) => (Number.isNaN(v) ? null : v)))
      else column.push(...Array.from(c.codes, (k) => (k < 0 ? null : c.categories[k])))
    }
  }
  return out
}

const QUOTED = 'id,note,x\n1,"two\nlines",1.5\n2,plain,NA\n3,"a ""quote"", and a comma",-2\n4,"",7\n5,"CR\r\nLF",8\n'

describe('readFrameChunks', () => {
  it('hands out CSV in frames of at most `rows` rows that add up to the whole file', async () => {
    const path = file('q.csv', QUOTED)
    const types = { id: 'numeric', note: 'categorical', x: 'numeric' } as const
    const whole = cells([await readFrame(path, { types })])
    for (const rows of [1, 2, 3, 100]) {
      for (const chunkSize of [1, 3, 7, 64]) {
        const list = await frames(path, { rows, chunkSize, types })
        expect(list.every((f) => f.nRows <= rows && f.nRows > 0)).toBe(true)
        expect(cells(list)).toEqual(whole)
      }
    }
    expect(whole.note).toEqual(['two\nlines', 'plain', 'a "quote", and a comma', null, 'CR\r\nLF'])
  })

  it('keeps a pinned type in every frame, where inference would change from frame to frame', async () => {
    const path = file('types.csv', 'code,v\n1,1\n2,2\nA7,3\n')
    // The first read holds exactly the header and two rows.
    const inferred = await frames(path, { rows: 2, chunkSize: 15 })
    expect(inferred.map((f) => f.columns[0].type)).toEqual(['numeric', 'categorical'])
    const pinned = await frames(path, { rows: 2, chunkSize: 15, types: { code: 'categorical' } })
    expect(pinned.map((f) => f.columns[0].type)).toEqual(['categorical', 'categorical'])
    expect(cells(pinned).code).toEqual(['1', '2', 'A7'])
  })

  it('reports the line of the whole file for an error in a later frame', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => (i === 40 ? '41,"multi\nline",oops' : i % 5 === 0 ? `${i + 1},"x\ny",${i}` : `${i + 1},n,${i}`))
    const path = file('bad.csv', 'id,note,x\n' + rows.join('\n') + '\n')
    // Line 1 is the header; rows 1..40 add 8 extra lines (rows 1, 6, ..., 36 span two); row 41 starts on line 50.
    const { error, rowsBefore } = await failure(path, { rows: 7, chunkSize: 16, types: { x: 'numeric' } })
    expect(rowsBefore).toBeGreaterThan(0)
    expect(error.location).toEqual({ file: path, line: 51, column: 3, field: 'x' })
    expect(error.message).toMatch(/'oops' is not a number/)
  })

  it('refuses a CSV header without a required column before any frame', async () => {
    const path = file('cols.csv', 'a,b\n1,2\n')
    const { error, rowsBefore } = await failure(path, { required: ['a', 'c'] })
    expect(rowsBefore).toBe(0)
    expect(error.location).toEqual({ file: path, field: 'c' })
    expect(error.message).toMatch(/no column 'c' \(columns: a, b\)/)
  })

  it('reads TSV by extension', async () => {
    expect(cells(await frames(file('t.tsv', 'a\tb\n1\tx\n'), {}))).toEqual({ a: [1], b: ['x'] })
  })

  it('reads JSON Lines: absent keys are missing, a key no line has is an error at the end', async () => {
    const path = file('r.jsonl', '{"a": 1}\n{"a": 2}\n{"a": 3, "b": "x"}\n{"b": "y"}')
    const list = await frames(path, { rows: 2, required: ['a', 'b'], types: { b: 'categorical' } })
    expect(list.every((f) => f.nRows <= 2)).toBe(true)
    expect(cells(list)).toEqual({ a: [1, 2, 3, null], b: [null, null, 'x', 'y'] })
    expect(list.every((f) => f.columns.find((c) => c.name === 'b')?.type === 'categorical')).toBe(true)
    const { error, rowsBefore } = await failure(path, { rows: 2, required: ['a', 'c'] })
    expect(rowsBefore).toBe(4)
    expect(error.location).toEqual({ file: path, field: 'c' })
  })

  it('reports the line of the whole file in JSON Lines', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => (i === 22 ? '{"a": "nope"}' : `{"a": ${i}}`))
    const { error } = await failure(file('bad.jsonl', lines.join('\n')), { rows: 4, chunkSize: 10, types: { a: 'numeric' } })
    expect(error.location).toMatchObject({ line: 23, field: 'a' })
  })

  it('reads Parquet whole, then in frames, with only the required columns', async () => {
    const path = fileURLToPath(new URL('./fixtures/small.parquet', import.meta.url))
    const list = await frames(path, { rows: 2, required: ['city', 'x'] })
    expect(list.map((f) => f.nRows)).toEqual([2, 2, 1])
    expect(cells(list)).toEqual({ city: ['Oslo', 'Zürich', null, 'Oslo', 'Lima'], x: [1.5, null, -0.25, 4, 5.5] })
  })

  it('turns file-system failures into DataErrors naming the file', async () => {
    const { error } = await failure(join(dir, 'absent.csv'), {})
    expect(error.message).toMatch(/absent\.csv: cannot read file: no such file/)
  })
})

describe('takeRows', () => {
  it('CsvParser: frames taken at any points add up to the frame of one parse, line numbers kept', () => {
    const table = fc.array(fc.tuple(fc.integer({ min: -99, max: 99 }), fc.constantFrom('a', 'b,c', 'd\ne', '')), { maxLength: 30 })
    fc.assert(
      fc.property(table, fc.array(fc.nat(), { maxLength: 5 }), (rows, cuts) => {
        const text = 'n,s\n' + rows.map(([n, s]) => `${n},"${s}"`).join('\n') + '\n'
        const bytes = encode(text)
        const p = new CsvParser({ types: { s: 'categorical' } })
        const taken: Frame[] = []
        let at = 0
        for (const cut of [...cuts.map((c) => c % (bytes.length + 1))].sort((a, b) => a - b)) {
          p.push(bytes.slice(at, cut))
          at = Math.max(at, cut)
          const f = p.takeRows()
          if (f !== null) taken.push(f)
        }
        p.push(bytes.slice(at))
        taken.push(p.finish())
        const one = new CsvParser({ types: { s: 'categorical' } })
        one.push(bytes)
        expect(cells(taken)).toEqual(cells([one.finish()]))
      }),
    )
    const p = new CsvParser()
    expect(p.takeRows()).toBeNull()
    p.push(encode('a\n1\n"x\ny"\n'))
    expect(p.bufferedRows).toBe(2)
    expect(plain(p.takeRows()!)).toEqual([{ name: 'a', codes: [0, 1], categories: ['1', 'x\ny'] }])
    expect(p.bufferedRows).toBe(0)
    expect(() => p.push(encode('2\n"bad"x\n'))).toThrow(/^line 6, column 1, field 'a': unexpected character after closing quote/)
  })

  it('JsonlParser: every key seen so far is a column of later frames', () => {
    const p = new JsonlParser()
    p.push(encode('{"a": 1, "b": "x"}\n{}\n'))
    expect(p.bufferedRows).toBe(2)
    expect(plain(p.takeRows())).toEqual([
      { name: 'a', values: [1, NaN] },
      { name: 'b', codes: [0, -1], categories: ['x'] },
    ])
    p.push(encode('{"b": "y"}\n'))
    expect(plain(p.takeRows())).toEqual([
      { name: 'a', values: [NaN] },
      { name: 'b', codes: [0], categories: ['y'] },
    ])
    expect(p.finish().nRows).toBe(0)
  })
})
