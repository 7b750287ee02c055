/**
 * Worker thread of {@link growForest}: takes tree indices from the shared counter until none are
 * left, grows each over the shared binned data, and posts every tree it grew at the end.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { ForestGrower, type ForestData, type GrownForestTree, type TreeConfig } from './grower.js'

const { data, config, counter, nTrees } = workerData as { data: ForestData; config: TreeConfig; counter: Int32Array; nTrees: number }
const grower = new ForestGrower(data, config)
const ids: number[] = []
const trees: GrownForestTree[] = []
for (let t = Atomics.add(counter, 0, 1); t < nTrees; t = Atomics.add(counter, 0, 1)) {
  ids.push(t)
  trees.push(grower.grow(t))
}
const transfer = trees.flatMap((t) => [t.feature.buffer, t.bin.buffer, t.left.buffer, t.defaultLeft.buffer, t.value.buffer])
parentPort!.postMessage({ ids, trees }, transfer as ArrayBuffer[])
