import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { DataError, ParamError } from '../errors.js'
import { formatOf, parseCsv, readFrame } from './read.js'
import { plain } from './testing/frames.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-read-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, content: string | Uint8Array): string => {
  const path = join(dir, name)
  writeFileSync(path, content)
  return path
}
// fixtures/small.parquet: 5 rows in row groups of 3 and 2; x DOUBLE (optional), n INT64, city UTF8
// (optional). Written once with the minimal writer in parquet.test.ts.
const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

describe('formatOf', () => {
  it('maps extensions case-insensitively', () => {
    expect(formatOf('a/b.csv')).toBe('csv')
    expect(formatOf('b.TSV')).toBe('tsv')
    expect(formatOf('b.tab')).toBe('tsv')
    expect(formatOf('b.jsonl')).toBe('jsonl')
    expect(formatOf('b.ndjson')).toBe('jsonl')
    expect(formatOf('b.Parquet')).toBe('parquet')
  })

  it('refuses an unknown extension, listing the known ones', () => {
    expect(() => formatOf('data.xlsx')).toThrow(ParamError)
    expect(() => formatOf('data')).toThrow(/\.csv, \.tsv/)
  })
})

describe('readFrame', () => {
  const csv = 'a,b\n1,x\n"2\n",y\n3.5,"z,z"\n'

  it('reads CSV the same as parseCsv, whatever the read size', async () => {
    const path = file('t.csv', csv)
    const expected = plain(parseCsv(csv))
    for (const chunkSize of [1, 3, 7, 1 << 20]) expect(plain(await readFrame(path, { chunkSize }))).toEqual(expected)
  })

  it('reads TSV by extension and passes the CSV options on', async () => {
    const path = file('t.tsv', 'a\tb\n1\t-999\n2\t3\n')
    expect(plain(await readFrame(path, { missing: ['-999'], types: { a: 'categorical' } }))).toEqual([
      { name: 'a', codes: [0, 1], categories: ['1', '2'] },
      { name: 'b', values: [NaN, 3] },
    ])
  })

  it('reads JSON Lines by either extension', async () => {
    for (const name of ['r.jsonl', 'r.ndjson']) {
      const path = file(name, '{"a": 1}\n{"a": 2, "b": "x"}\n')
      expect(plain(await readFrame(path, { chunkSize: 5 }))).toEqual([
        { name: 'a', values: [1, 2] },
        { name: 'b', codes: [-1, 0], categories: ['x'] },
      ])
    }
  })

  it('reads Parquet', async () => {
    expect(plain(await readFrame(fixture('small.parquet')))).toEqual([
      { name: 'x', values: [1.5, NaN, -0.25, 4, 5.5] },
      { name: 'n', values: [1, 2, 3, 4, 5] },
      { name: 'city', codes: [0, 1, -1, 0, 2], categories: ['Oslo', 'Zürich', 'Lima'] },
    ])
  })

  it('reads the bundled diabetes data', async () => {
    const f = await readFrame(fileURLToPath(new URL('../../data/diabetes.csv', import.meta.url)))
    expect(f.nRows).toBe(442)
    expect(f.columns.map((c) => c.name)).toEqual(['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6', 'target'])
    expect(f.columns.every((c) => c.type === 'numeric')).toBe(true)
  })

  it('takes an explicit format over the extension', async () => {
    const path = file('t.txt', csv)
    await expect(readFrame(path)).rejects.toThrow(ParamError)
    expect((await readFrame(path, { format: 'csv' })).nRows).toBe(3)
  })

  it('names the file in every error', async () => {
    const bad = file('bad.csv', 'a,b\n1,2\n3\n')
    await expect(readFrame(bad, { chunkSize: 2 })).rejects.toMatchObject({ location: { file: bad, line: 3, column: 2, field: 'b' } })
    const badJson = file('bad.jsonl', '{"a": 1}\n{oops}\n')
    await expect(readFrame(badJson)).rejects.toMatchObject({ location: { file: badJson, line: 2 } })
    const badParquet = file('bad.parquet', 'not parquet at all')
    await expect(readFrame(badParquet)).rejects.toMatchObject({ location: { file: badParquet } })
  })

  it('turns file-system failures into DataErrors naming the file', async () => {
    const missing = join(dir, 'nope.csv')
    await expect(readFrame(missing)).rejects.toThrow(DataError)
    await expect(readFrame(missing)).rejects.toMatchObject({ location: { file: missing }, message: expect.stringMatching(/no such file/) })
    await expect(readFrame(join(dir, 'nope.parquet'))).rejects.toThrow(DataError)
    await expect(readFrame(dir, { format: 'csv' })).rejects.toThrow(/not a regular file/)
  })
})
