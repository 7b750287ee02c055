/**
 * Grows one tree on gradient histograms, depth-wise (level by level) or loss-guided (best leaf
 * first). A node's rows sit in a range of each shard of one of two row buffers, with their
 * gradient pairs beside them in node order, so histograms stream through memory; splitting a node
 * moves its rows into the other buffer. Only the smaller child of a split is built, its sibling is the
 * parent's histogram minus it. Each step's partitions and histogram builds go to the
 * {@link KernelExecutor} as one batch, so its threads see a whole level at once.
 *
 * With quantised gradients (quantise.ts) the rows carry integer pairs, histograms are int32 sums
 * (subtraction exact) and a node's G and H are integers; the scales turn them into gradient units
 * for gains, covers and leaf values.
 */
import type { Rng } from '../../rng.js'
import { type ChildEvaluation, type KernelExecutor, type NodeRows, type PairEvaluation, rowCount } from './executor.js'
import { type SplitInfo, type SplitParams, emptySplit, findBestSplit, leafWeight, MIN_GAIN } from './split.js'
import { GrownTree } from './tree.js'

export interface GrowParams {
  readonly maxDepth: number
  readonly maxLeaves: number
  readonly lossguide: boolean
  readonly eta: number
  readonly split: SplitParams
  readonly colsampleBylevel: number
  readonly colsampleBynode: number
  /** Partition even splits into two leaves, so every leaf has its rows (to refit leaf values). */
  readonly partitionLeaves: boolean
}

/** What a tree is grown on besides the executor's buffers. */
export interface GrowData {
  readonly nBins: Int32Array
  readonly cuts: readonly Float64Array[]
}

export interface GrownResult {
  readonly tree: GrownTree
  /** For each leaf node id, its rows; null for split nodes and for the leaves of {@link GrownResult.leafPairs}. */
  readonly leafRows: readonly (NodeRows | null)[]
  /** Splits into two leaves left unpartitioned: their rows are still the parent's. */
  readonly leafPairs: readonly LeafPair[]
}

/** A split whose two leaves (ids `left`, `left + 1`) share the parent's unpartitioned rows. */
export interface LeafPair {
  readonly rows: NodeRows
  readonly feature: number
  readonly bin: number
  readonly defaultLeft: boolean
  readonly left: number
}

/** The scales of a tree grown on quantised gradients: a unit of the integer sums in gradient and hessian units. */
export interface QuantisedScales {
  readonly gScale: number
  readonly hScale: number
}

type Histogram = Float64Array | Int32Array

interface Node {
  id: number
  depth: number
  /** The node's rows; null for the leaves of a leaf pair. */
  rows: NodeRows | null
  size: number
  /** Sums of the node's gradients and hessians (integers when quantised). */
  G: number
  H: number
  hist: Histogram | null
  split: SplitInfo
}

/**
 * Grows a tree over the first `nRows` rows of the executor's buffer 0 (filled by the executor's
 * gather) using the features in `treeFeatures`; `quantised` when the pairs are the integer ones of
 * a quantised executor.
 * @example const { tree } = growTree(ex, data, n, features, params, rng)
 */
export function growTree(
  ex: KernelExecutor,
  data: GrowData,
  nRows: number,
  treeFeatures: Int32Array,
  params: GrowParams,
  rng: Rng,
  quantised: QuantisedScales | null = null,
): GrownResult {
  const tree = new GrownTree()
  ex.useSplitRules(params.split)
  const gScale = quantised ? quantised.gScale : 1
  const hScale = quantised ? quantised.hScale : 1
  const acquire = (): Histogram => (quantised ? ex.acquireQuantised() : ex.acquire())
  const release = (hist: Histogram): void => (quantised ? ex.releaseQuantised(hist as Int32Array) : ex.release(hist as Float64Array))
  const build = (nodes: readonly NodeRows[], outs: Histogram[]): void =>
    quantised ? ex.buildQuantisedHistograms(nodes, outs as Int32Array[]) : ex.buildHistograms(nodes, outs as Float64Array[])
  const canSplitAt = (depth: number, size: number): boolean => size >= 2 && (params.maxDepth === 0 || depth < params.maxDepth)

  const rootRows = ex.rootRows()
  let G = 0
  let H = 0
  let rootHist: Histogram | null = null
  if (!quantised) {
    const gh = ex.gh[0]
    for (let i = 0; i < nRows; i++) {
      G += gh[2 * i]
      H += gh[2 * i + 1]
    }
  } else if (canSplitAt(0, nRows) && data.nBins.length > 0) {
    // Every row is in one bin of each feature (its missing bin included): the first feature's
    // bins sum to the node's totals, exactly.
    rootHist = acquire()
    build([rootRows], [rootHist])
    for (let b = ex.offsets[0]; b <= ex.offsets[0] + data.nBins[0]; b++) {
      G += rootHist[2 * b]
      H += rootHist[2 * b + 1]
    }
  } else {
    const q = ex.qgh[0]
    for (let i = 0; i < nRows; i++) {
      G += q[2 * i]
      H += q[2 * i + 1]
    }
  }
  const root: Node = { id: tree.addLeaf(0, H * hScale), depth: 0, rows: rootRows, size: nRows, G, H, hist: null, split: emptySplit() }
  const nodes: Node[] = [root]
  const levelFeatures = new Map<number, Int32Array>()
  const nodeFeatures = new Int32Array(treeFeatures.length)

  /** The features `node` may split on (a view of a reused buffer); draws from `rng` in node order. */
  const chooseFeatures = (node: Node): Int32Array => {
    let level = levelFeatures.get(node.depth)
    if (!level) {
      level = sampleFeatures(treeFeatures, treeFeatures.length, params.colsampleBylevel, rng)
      levelFeatures.set(node.depth, level)
    }
    return nodeFeatures.subarray(0, sampleFeaturesInto(level, params.colsampleBynode, rng, nodeFeatures))
  }
  const worthSplitting = (node: Node): boolean => node.split.feature >= 0 && node.split.gain > MIN_GAIN && node.split.gain >= params.split.gamma
  const evaluate = (node: Node): boolean => {
    const features = chooseFeatures(node)
    findBestSplit(node.hist!, ex.offsets, data.nBins, features, features.length, node.G, node.H, params.split, node.split, gScale, hScale)
    return worthSplitting(node)
  }
  /** What the executor needs to find `node`'s split, or null when it cannot split. */
  const toEvaluate = (node: Node): ChildEvaluation | null =>
    canSplitAt(node.depth, node.size) ? { G: node.G, H: node.H, features: chooseFeatures(node).slice(), out: node.split } : null

  const leafPairs: LeafPair[] = []
  let candidates: Node[] = []
  if (canSplitAt(0, nRows)) {
    if (rootHist) root.hist = rootHist
    else {
      root.hist = acquire()
      build([rootRows], [root.hist])
    }
    if (evaluate(root)) candidates.push(root)
    else release(root.hist)
  }
  let nLeaves = 1
  while (candidates.length > 0) {
    let expand: Node[]
    if (params.lossguide) {
      let best = 0
      for (let i = 1; i < candidates.length; i++) if (candidates[i].split.gain > candidates[best].split.gain) best = i
      expand = [candidates[best]]
      candidates.splice(best, 1)
    } else {
      expand = candidates
      candidates = []
    }
    if (params.maxLeaves > 0) {
      const room = Math.max(0, params.maxLeaves - nLeaves)
      for (const node of expand.slice(room)) {
        release(node.hist!)
        node.hist = null
      }
      expand = expand.slice(0, room)
    }
    // A split whose children are leaves by depth needs no partition: the caller routes its rows
    // to the two leaves in one pass (unless leaves are refitted from their rows).
    const terminal = (node: Node) => !params.partitionLeaves && params.maxDepth > 0 && node.depth + 1 >= params.maxDepth
    for (const node of expand) {
      if (!terminal(node)) continue
      const s = node.split
      tree.setSplit(node.id, s.feature, s.bin, splitThreshold(data.cuts[s.feature], s.bin), s.defaultLeft, s.gain)
      const left = mkChild(tree, node, null, 0, s.leftG, s.leftH, hScale)
      const right = mkChild(tree, node, null, 0, node.G - s.leftG, node.H - s.leftH, hScale)
      nLeaves++
      release(node.hist!)
      node.hist = null
      nodes.push(left, right)
      leafPairs.push({ rows: node.rows!, feature: s.feature, bin: s.bin, defaultLeft: s.defaultLeft, left: left.id })
    }
    expand = expand.filter((node) => !terminal(node))
    const parts = ex.partition(expand.map((node) => ({ rows: node.rows!, feature: node.split.feature, bin: node.split.bin, defaultLeft: node.split.defaultLeft })))
    const built: Node[] = []
    const outs: Histogram[] = []
    const children: Node[] = []
    expand.forEach((node, i) => {
      const s = node.split
      const { left: leftRows, right: rightRows } = parts[i]
      tree.setSplit(node.id, s.feature, s.bin, splitThreshold(data.cuts[s.feature], s.bin), s.defaultLeft, s.gain)
      const left = mkChild(tree, node, leftRows, rowCount(leftRows), s.leftG, s.leftH, hScale)
      const right = mkChild(tree, node, rightRows, node.size - left.size, node.G - s.leftG, node.H - s.leftH, hScale)
      nLeaves++
      const depth = node.depth + 1
      if (canSplitAt(depth, left.size) || canSplitAt(depth, right.size)) {
        // Build the smaller child; the larger one reuses the parent's buffer after subtraction.
        const [small, large] = left.size <= right.size ? [left, right] : [right, left]
        small.hist = acquire()
        large.hist = node.hist
        built.push(small)
        outs.push(small.hist)
      } else release(node.hist!)
      node.hist = null
      children.push(left, right)
    })
    if (outs.length > 0) build(built.map((node) => node.rows!), outs)
    // One child of each pair holds the built histogram, the other the parent's: the executor's
    // threads turn that into parent - built and find both children's splits.
    const builtSet = new Set(built)
    const pairs: PairEvaluation<Histogram>[] = []
    for (let i = 0; i < children.length; i += 2) {
      const a = children[i]
      const b = children[i + 1]
      if (a.hist === null) continue
      const ownIsLeft = builtSet.has(a)
      pairs.push({ own: ownIsLeft ? a.hist : b.hist!, inherited: ownIsLeft ? b.hist! : a.hist, ownIsLeft, left: toEvaluate(a), right: toEvaluate(b) })
    }
    if (pairs.length > 0) ex.evaluatePairs(pairs, quantised)
    for (const child of children) {
      nodes.push(child)
      if (child.hist === null) continue
      if (canSplitAt(child.depth, child.size) && worthSplitting(child)) candidates.push(child)
      else {
        release(child.hist)
        child.hist = null
      }
    }
  }
  for (const c of candidates) if (c.hist) release(c.hist)

  const leafRows = new Array<NodeRows | null>(tree.size).fill(null)
  for (const node of nodes) {
    if (tree.left[node.id] >= 0) continue
    tree.value[node.id] = params.eta * leafWeight(params.split, node.G * gScale, node.H * hScale)
    leafRows[node.id] = node.rows
  }
  return { tree, leafRows, leafPairs }
}

/**
 * Raw threshold of a split at `bin` (x < threshold goes left): the bin's upper cut, or an infinity
 * for the splits that separate missing values from all others.
 */
export function splitThreshold(cuts: Float64Array, bin: number): number {
  return bin < 0 ? -Infinity : bin >= cuts.length ? Infinity : cuts[bin]
}

function mkChild(tree: GrownTree, parent: Node, rows: NodeRows | null, size: number, G: number, H: number, hScale: number): Node {
  return { id: tree.addLeaf(0, H * hScale), depth: parent.depth + 1, rows, size, G, H, hist: null, split: emptySplit() }
}

/** A sorted random subset of `from[0..n)` of size max(1, round(fraction * n)). */
export function sampleFeatures(from: Int32Array, n: number, fraction: number, rng: Rng): Int32Array {
  const out = new Int32Array(n)
  const k = sampleFeaturesInto(from.subarray(0, n), fraction, rng, out)
  return out.subarray(0, k)
}

function sampleFeaturesInto(from: Int32Array, fraction: number, rng: Rng, out: Int32Array): number {
  const n = from.length
  out.set(from)
  if (fraction >= 1) return n
  const k = Math.max(1, Math.round(fraction * n))
  // Partial Fisher-Yates: the first k entries become a uniform sample.
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i)
    const t = out[i]
    out[i] = out[j]
    out[j] = t
  }
  out.subarray(0, k).sort()
  return k
}
