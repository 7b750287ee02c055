import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { categoricalColumn, makeFrame, numericColumn } from '../data/frame.js'
import { DataError } from '../errors.js'
import { loadImports } from './imports.js'

const FIXTURES = join(import.meta.dirname, '../interop/xgboost/fixtures')
const IRIS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']
const frame = (names: readonly string[]) => makeFrame(names.map((n) => numericColumn(n, new Float64Array(3))))

async function refusal(run: Promise<unknown>): Promise<DataError> {
  const e = await run.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(DataError)
  return e as DataError
}

describe('loadImports', () => {
  const imports = { iris: { path: join(FIXTURES, 'multiclass.model.json') } }

  it('imports each member for the data it will predict', async () => {
    const [member] = await loadImports({ imports }, { task: 'multiclass', nClasses: 3, features: frame([...IRIS, 'extra']) })
    expect([member.name, member.model.kind, member.model.nOutputs]).toEqual(['iris', 'gbdt', 3])
  })

  it("refuses a model of another task or class count, naming the member and its file", async () => {
    let e = await refusal(loadImports({ imports }, { task: 'regression', nClasses: 1, features: frame(IRIS) }))
    expect(e.message).toContain("imported member 'iris' is a multiclass model; this ensemble's task is regression")
    expect(e.location).toEqual({ file: imports.iris.path, field: 'members.iris' })
    e = await refusal(loadImports({ imports }, { task: 'multiclass', nClasses: 4, features: frame(IRIS) }))
    expect(e.message).toContain('predicts 3 classes; the target has 4')
  })

  it('refuses a model reading a column the data lacks or holds as text', async () => {
    let e = await refusal(loadImports({ imports }, { task: 'multiclass', nClasses: 3, features: frame(IRIS.slice(1)) }))
    expect(e.message).toContain("reads column 'sepal_length', which the training data lacks")
    const text = makeFrame([categoricalColumn('sepal_length', new Int32Array(3), ['a']), ...IRIS.slice(1).map((n) => numericColumn(n, new Float64Array(3)))])
    e = await refusal(loadImports({ imports }, { task: 'multiclass', nClasses: 3, features: text }))
    expect(e.message).toContain('holds text there')
  })
})
