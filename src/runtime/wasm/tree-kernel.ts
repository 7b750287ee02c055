/**
 * The WebAssembly tree kernel (wasm/tree-predict.ts): one module instance per thread, its memory
 * managed by an `Arena`. A model's trees are laid out in that memory once, on first use, and
 * released when the model is garbage-collected; each call copies its rows in and the margins out.
 * Where WebAssembly is unavailable, `treeKernel()` is null and the JavaScript kernel predicts.
 */
import type { TreeEnsemble } from '../tree-ensemble.js'
import { Arena } from './arena.js'
import { TREE_PREDICT_WASM } from './tree-predict.wasm.js'

type PredictTrees = (x: number, nRows: number, nFeatures: number, nOutputs: number, trees: number, nTrees: number, records: number, missingRight: number, values: number, out: number) => void

interface Kernel {
  readonly arena: Arena
  readonly predictTrees: PredictTrees
}

/** A model's trees in the kernel's memory: offsets of its four tables. */
interface Layout {
  readonly trees: number
  readonly records: number
  readonly missingRight: number
  readonly values: number
}

let kernel: Kernel | null | undefined
const layouts = new WeakMap<TreeEnsemble, Layout>()
const release = new FinalizationRegistry<Layout>((layout) => {
  for (const offset of [layout.trees, layout.records, layout.missingRight, layout.values]) kernel?.arena.release(offset)
})

/** The kernel, instantiated on first use; null where WebAssembly is missing or refuses the module. */
export function treeKernel(): Kernel | null {
  if (kernel !== undefined) return kernel
  try {
    const bytes = Uint8Array.from(atob(TREE_PREDICT_WASM), (c) => c.charCodeAt(0))
    const memory = new WebAssembly.Memory({ initial: 16 })
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } })
    kernel = { arena: new Arena(memory), predictTrees: instance.exports.predictTrees as PredictTrees }
  } catch {
    kernel = null
  }
  return kernel
}

/**
 * Adds trees [0, treeLimit) of `model` for `nRows` rows of `x` (row-major) to `out`, which
 * already holds the base margins; `depth` is each tree's depth.
 */
export function addTreesWasm(k: Kernel, model: TreeEnsemble, depth: Int32Array, x: Float64Array, nRows: number, out: Float64Array, treeLimit: number): void {
  const layout = layoutOf(k, model, depth)
  const nIn = nRows * model.nFeatures
  const nOut = nRows * model.nOutputs
  const xPtr = k.arena.alloc(nIn * 8)
  const outPtr = k.arena.alloc(nOut * 8)
  try {
    const buffer = k.arena.memory.buffer
    new Float64Array(buffer, xPtr, nIn).set(x.subarray(0, nIn))
    const margins = new Float64Array(buffer, outPtr, nOut)
    margins.set(out.subarray(0, nOut))
    k.predictTrees(xPtr, nRows, model.nFeatures, model.nOutputs, layout.trees, treeLimit, layout.records, layout.missingRight, layout.values, outPtr)
    out.set(margins)
  } finally {
    k.arena.release(xPtr)
    k.arena.release(outPtr)
  }
}

/** The model's tables in the kernel's memory, written on first use. */
function layoutOf(k: Kernel, model: TreeEnsemble, depth: Int32Array): Layout {
  const cached = layouts.get(model)
  if (cached) return cached
  const nTrees = model.treeStart.length
  const nNodes = model.feature.length
  const layout: Layout = {
    trees: k.arena.alloc(nTrees * 16),
    records: k.arena.alloc(nNodes * 16),
    missingRight: k.arena.alloc(nNodes),
    values: k.arena.alloc(nNodes * 8),
  }
  const buffer = k.arena.memory.buffer
  const trees = new Uint32Array(buffer, layout.trees, nTrees * 4)
  for (let t = 0; t < nTrees; t++) {
    trees[t * 4] = model.treeStart[t]
    trees[t * 4 + 1] = depth[t]
    trees[t * 4 + 2] = model.treeOutput[t]
  }
  const view = new DataView(buffer, layout.records, nNodes * 16)
  const missingRight = new Uint8Array(buffer, layout.missingRight, nNodes)
  for (let t = 0; t < nTrees; t++) {
    const root = model.treeStart[t]
    const end = t + 1 < nTrees ? model.treeStart[t + 1] : nNodes
    for (let n = root; n < end; n++) {
      const leaf = model.left[n] < 0
      view.setFloat64(n * 16, leaf ? NaN : model.threshold[n], true)
      view.setUint32(n * 16 + 8, leaf ? 0 : model.feature[n] * 8, true)
      view.setUint32(n * 16 + 12, ((leaf ? n : model.left[n]) - root) * 16, true)
      missingRight[n] = leaf ? 0 : 1 - model.defaultLeft[n]
    }
  }
  new Float64Array(buffer, layout.values, nNodes).set(model.value)
  layouts.set(model, layout)
  release.register(model, layout)
  return layout
}
