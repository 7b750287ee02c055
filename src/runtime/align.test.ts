import { describe, expect, it } from 'vitest'
import { parseCsv } from '../data/csv.js'
import { categoricalColumn, makeFrame, numericColumn, type Field } from '../data/frame.js'
import { errorOf, plain } from '../data/testing/frames.js'
import { FeatureAligner } from './align.js'

const FEATURES: readonly Field[] = [
  { name: 'x', type: 'numeric' },
  { name: 'colour', type: 'categorical', categories: ['red', 'green', 'blue'] },
]

describe('FeatureAligner', () => {
  const aligner = new FeatureAligner(FEATURES)

  it('picks the features by name, in training order, and ignores other columns', () => {
    const frame = parseCsv('target,colour,id,x\n1,green,a,0.5\n2,red,b,1.5\n')
    expect(plain(aligner.align(frame))).toEqual([
      { name: 'x', values: [0.5, 1.5] },
      { name: 'colour', codes: [1, 0], categories: ['red', 'green', 'blue'] },
    ])
  })

  it('moves codes onto the training dictionary; unseen categories become missing', () => {
    // The frame's own dictionary is [blue, purple, red]: every code means something else in training.
    const frame = parseCsv('x,colour\n1,blue\n2,purple\n3,red\n4,NA\n5,blue\n')
    expect(frame.columns[1]).toMatchObject({ categories: ['blue', 'purple', 'red'] })
    expect(plain(aligner.align(frame))[1]).toEqual({ name: 'colour', codes: [2, -1, 0, -1, 2], categories: ['red', 'green', 'blue'] })
  })

  it('keeps the codes array when the dictionaries already agree', () => {
    const codes = Int32Array.of(0, 1, -1, 1)
    const frame = makeFrame([numericColumn('x', new Float64Array(4)), categoricalColumn('colour', codes, ['red', 'green'])])
    const col = aligner.align(frame).columns[1]
    expect(col.type === 'categorical' && col.codes).toBe(codes)
  })

  it('matches numbers against categories by their shortest spelling', () => {
    const a = new FeatureAligner([{ name: 'zip', type: 'categorical', categories: ['1.5', '3', '10'] }])
    const frame = makeFrame([numericColumn('zip', Float64Array.of(3, NaN, 1.5, 10, 7, 3))])
    expect(plain(a.align(frame))).toEqual([{ name: 'zip', codes: [1, -1, 0, 2, -1, 1], categories: ['1.5', '3', '10'] }])
  })

  it('refuses a missing feature column, naming the column and the file', () => {
    const err = errorOf(() => aligner.align(parseCsv('colour,y\nred,1\n'), 'new.csv'))
    expect(err.location).toEqual({ file: 'new.csv', field: 'x' })
    expect(err.message).toBe("new.csv, field 'x': no column 'x' (the model needs: x, colour)")
  })

  it('refuses text in a numeric feature, naming the column', () => {
    const err = errorOf(() => aligner.align(parseCsv('x,colour\nabc,red\n'), 'new.csv'))
    expect(err.location).toEqual({ file: 'new.csv', field: 'x' })
    expect(err.message).toMatch(/column 'x' holds text such as 'abc', but the model reads it as numeric/)
  })

  it('aligns an empty frame to empty feature columns', () => {
    const x = aligner.align(parseCsv('colour,x\n'))
    expect(x.nRows).toBe(0)
    expect(x.columns.map((c) => c.name)).toEqual(['x', 'colour'])
  })
})
