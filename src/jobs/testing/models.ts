/**
 * Small real ensembles for tests that need a `model.tar.gz`: each is trained by the training job
 * on a bundled data set in about a second.
 *
 * - `mixed`: regression on the diabetes data with two categorical features, `sex` (`F`/`M`) and
 *   `colour` (four levels that move the target a lot, so the trees split on their codes); members
 *   `gbdt`, `oblivious` and `linear` (three ways of reading categories), blended by `stack` with
 *   the raw features passed through.
 * - `binary`: breast cancer, `gbdt` + `linear`, mean blend.
 * - `multiclass`: iris, `gbdt` + `linear`, mean blend.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseSpec } from '../spec/index.js'
import { trainEnsemble } from '../train.js'

/** The bundled data folder. */
export const DATA_DIR = fileURLToPath(new URL('../../../data/', import.meta.url))

export type TestModelKind = 'mixed' | 'binary' | 'multiclass'

/** A trained test model: the artifact, and the CSV it was trained on (its target column is `target`). */
export interface TestModel {
  readonly model: string
  readonly data: string
}

/** Colours in the order their first rows come in `mixed.csv`, and what each adds to the target. */
export const COLOURS: readonly (readonly [string, number])[] = [
  ['red', 0],
  ['green', 80],
  ['blue', -80],
  ['amber', 40],
]

/**
 * Trains the test model `kind` into `dir` (which must exist).
 * @example
 * const { model, data } = await trainTestModel(mkdtempSync(join(tmpdir(), 'x-')), 'mixed')
 */
export async function trainTestModel(dir: string, kind: TestModelKind): Promise<TestModel> {
  const data = kind === 'mixed' ? writeMixedCsv(join(dir, 'mixed.csv')) : join(DATA_DIR, kind === 'binary' ? 'breast_cancer.csv' : 'iris.csv')
  const members =
    kind === 'mixed'
      ? {
          xgb: { learner: 'gbdt', params: { num_round: 20, max_depth: 3 } },
          cat: { learner: 'oblivious', params: { iterations: 20, depth: 3 } },
          lin: { learner: 'linear', params: {} },
        }
      : { xgb: { learner: 'gbdt', params: { num_round: 10, max_depth: 3 } }, lin: { learner: 'linear', params: {} } }
  const spec = parseSpec(
    {
      name: `test-${kind}`,
      target: 'target',
      channels: { train: data },
      cv: { folds: 3, seed: 7 },
      members,
      blend: kind === 'mixed' ? { method: 'stack', passthrough: true } : { method: 'mean' },
    },
    { baseDir: dir },
  )
  if (spec.kind !== 'ensemble') throw new Error('expected an ensemble spec')
  const outDir = join(dir, `model-${kind}`)
  const result = await trainEnsemble(spec, { outDir, threads: 1 })
  return { model: result.artifact, data }
}

/** The diabetes data with `sex` as text and a `colour` column, written to `path`. */
function writeMixedCsv(path: string): string {
  const lines = readFileSync(join(DATA_DIR, 'diabetes.csv'), 'utf8').trim().split('\n')
  const header = lines[0].split(',')
  const sex = header.indexOf('sex')
  const target = header.indexOf('target')
  const out = [[...header, 'colour'].join(',')]
  lines.slice(1).forEach((line, i) => {
    const cells = line.split(',')
    const [colour, shift] = COLOURS[i % COLOURS.length]
    cells[sex] = cells[sex] === '1.0' ? 'F' : 'M'
    cells[target] = String(Number(cells[target]) + shift)
    out.push([...cells, colour].join(','))
  })
  writeFileSync(path, out.join('\n') + '\n')
  return path
}
