import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { categoricalColumn, dropColumns, getColumn, makeFrame, takeRows, type CategoricalColumn, type Frame } from '../data/frame.js'
import { readFrame } from '../data/read.js'
import { errorOf } from '../data/testing/frames.js'
import { DataError } from '../errors.js'
import { COLOURS, trainTestModel, type TestModel } from '../jobs/testing/models.js'
import { loadBundle } from '../store/artifact/index.js'
import { blenderFromState } from '../runtime/blend/registry.js'
import type { BlendState } from '../runtime/blend/types.js'
import { modelFromState } from '../runtime/models/registry.js'
import { LoadedEnsemble } from './loaded.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-loaded-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let mixed: TestModel
let model: LoadedEnsemble
let frame: Frame

beforeAll(async () => {
  mixed = await trainTestModel(dir, 'mixed')
  model = await LoadedEnsemble.load(mixed.model)
  frame = await readFrame(mixed.data)
})

describe('LoadedEnsemble', () => {
  it('exposes the manifest: task, features, members, blend and output columns', () => {
    expect(model.task).toBe('regression')
    expect(model.memberNames).toEqual(['xgb', 'cat', 'lin'])
    expect(model.blend.kind).toBe('stack')
    expect(model.nOutputs).toBe(1)
    expect(model.featureNames).toEqual(['age', 'sex', 'bmi', 'bp', 's1', 's2', 's3', 's4', 's5', 's6', 'colour'])
    expect(model.columnTypes.get('colour')).toBe('categorical')
    expect(model.columnTypes.get('bmi')).toBe('numeric')
    expect(model.outputColumns).toEqual(['prediction'])
  })

  it('predicts exactly what the members and the blend of the training job predict', async () => {
    const bundle = await loadBundle(mixed.model)
    const members = bundle.members.map((m) => modelFromState(m.state))
    const blend = blenderFromState(bundle.blenderState as BlendState)
    const x = dropColumns(frame, ['target'])
    const expected = blend.blend(
      members.map((m) => m.predict(x)),
      x,
    )
    // Columns shuffled, the target left in: matched by name, the rest ignored.
    const shuffled = makeFrame([...frame.columns].reverse())
    expect(Array.from(model.predict(shuffled, mixed.data))).toEqual(Array.from(expected))
  })

  it('remaps category codes, so a file whose categories come in another order predicts the same', async () => {
    const lines = readFileSync(mixed.data, 'utf8').trim().split('\n')
    const reversedFile = join(dir, 'reversed.csv')
    writeFileSync(reversedFile, [lines[0], ...lines.slice(1).reverse()].join('\n') + '\n')
    const other = await readFrame(reversedFile)
    const colour = (f: Frame) => getColumn(f, 'colour') as CategoricalColumn
    // The reader numbers categories as it meets them: another dictionary, other codes.
    expect(colour(frame).categories).toEqual(COLOURS.map(([c]) => c))
    expect(colour(other).categories).not.toEqual(colour(frame).categories)
    const expected = Array.from(model.predict(frame)).reverse()
    expect(Array.from(model.predict(other))).toEqual(expected)
    // Without the remap the trees would read the wrong categories: the gbdt member's raw output differs.
    const gbdt = model.members[0]
    const raw = Array.from(gbdt.predict(dropColumns(other, ['target']))).reverse()
    expect(raw).not.toEqual(Array.from(gbdt.predict(model.align(frame))))
  })

  it('reads an unseen category as a missing one', () => {
    const rows = takeRows(frame, [0, 0, 0])
    const col = getColumn(rows, 'colour') as CategoricalColumn
    const changed = makeFrame(
      rows.columns.map((c) => (c.name === 'colour' ? categoricalColumn('colour', Int32Array.of(0, 1, -1), ['purple', col.categories[0]]) : c)),
    )
    const [unseen, known, missing] = model.predict(changed)
    expect(unseen).toBe(missing)
    expect(known).toBe(model.predict(rows)[0])
    expect(known).not.toBe(missing)
  })

  it('refuses a missing feature column and text in a numeric feature, naming the column and the file', () => {
    const missing = errorOf(() => model.predict(dropColumns(frame, ['bmi']), 'new.csv'))
    expect(missing.location).toEqual({ file: 'new.csv', field: 'bmi' })
    expect(missing.message).toMatch(/no column 'bmi'/)
    const text = makeFrame(frame.columns.map((c) => (c.name === 'bp' ? categoricalColumn('bp', new Int32Array(frame.nRows), ['high']) : c)))
    expect(errorOf(() => model.predict(text, 'new.csv')).message).toMatch(/^new\.csv, field 'bp': column 'bp' holds text such as 'high'/)
  })

  it('predicts no rows as an empty array', () => {
    expect(model.predict(takeRows(frame, []))).toEqual(new Float64Array(0))
  })

  it('refuses a bundle whose blend and members disagree', async () => {
    const bundle = await loadBundle(mixed.model)
    const broken = { ...bundle, members: bundle.members.slice(1) }
    expect(() => LoadedEnsemble.fromBundle(broken, 'model.tar.gz')).toThrow(DataError)
    expect(() => LoadedEnsemble.fromBundle(broken, 'model.tar.gz')).toThrow(/model\.tar\.gz, field 'blender': the blend expects 3 members, the bundle has 2/)
    expect(() => LoadedEnsemble.fromBundle({ ...bundle, blenderState: undefined })).toThrow(/no blender state/)
  })

  it('names the classes of a multiclass model in its output columns', async () => {
    const trained = await trainTestModel(dir, 'multiclass')
    const iris = await LoadedEnsemble.load(trained.model)
    expect(iris.task).toBe('multiclass')
    expect(iris.outputColumns).toEqual(['probability_0', 'probability_1', 'probability_2', 'label'])
    const p = iris.predict(await readFrame(trained.data))
    expect(p.length).toBe(150 * 3)
    for (let i = 0; i < 150; i++) expect(p[i * 3] + p[i * 3 + 1] + p[i * 3 + 2]).toBeCloseTo(1, 9)
  })
})
