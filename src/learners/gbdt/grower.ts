/**
 * Grows one tree on gradient histograms, depth-wise (level by level) or loss-guided (best leaf
 * first). Rows of each node sit in a contiguous range of `rows`, partitioned in place together
 * with their gradient pairs (so histograms read them in order); only the smaller child of a split is built, its sibling is the parent's
 * histogram minus it. All histogram builds of one step go to the {@link HistogramBuilder} as one
 * batch, so a parallel builder sees a whole level at once.
 */
import type { Rng } from '../../rng.js'
import type { HistogramBuilder } from './histogram-builder.js'
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
}

/** The shared buffers a tree is grown on; `gh` holds (grad, hess) of rows[i] at 2i, 2i + 1. */
export interface GrowBuffers {
  readonly codes: Uint8Array
  readonly nFeatures: number
  readonly nBins: Int32Array
  readonly cuts: readonly Float64Array[]
  readonly rows: Int32Array
  readonly gh: Float64Array
  /** Scratch of the same length as rows and gh for stable partitioning. */
  readonly scratchRows: Int32Array
  readonly scratchGh: Float64Array
}

export interface GrownResult {
  readonly tree: GrownTree
  /** For each leaf node id, its [start, end) range in `rows` (-1 for split nodes). */
  readonly leafStart: Int32Array
  readonly leafEnd: Int32Array
}

interface Node {
  id: number
  depth: number
  start: number
  end: number
  G: number
  H: number
  hist: Float64Array | null
  split: SplitInfo
}

/**
 * Grows a tree over rows[0..nRows) using the features in `treeFeatures`.
 * @example const { tree } = growTree(buffers, n, features, params, builder, rng)
 */
export function growTree(
  buf: GrowBuffers,
  nRows: number,
  treeFeatures: Int32Array,
  params: GrowParams,
  builder: HistogramBuilder,
  rng: Rng,
): GrownResult {
  const tree = new GrownTree()
  let G = 0
  let H = 0
  for (let i = 0; i < nRows; i++) {
    G += buf.gh[2 * i]
    H += buf.gh[2 * i + 1]
  }
  const root: Node = { id: tree.addLeaf(0, H), depth: 0, start: 0, end: nRows, G, H, hist: null, split: emptySplit() }
  const nodes: Node[] = [root]
  const levelFeatures = new Map<number, Int32Array>()
  const nodeFeatures = new Int32Array(treeFeatures.length)

  const canSplitAt = (depth: number, size: number): boolean => size >= 2 && (params.maxDepth === 0 || depth < params.maxDepth)

  const evaluate = (node: Node): boolean => {
    let level = levelFeatures.get(node.depth)
    if (!level) {
      level = sampleFeatures(treeFeatures, treeFeatures.length, params.colsampleBylevel, rng)
      levelFeatures.set(node.depth, level)
    }
    const chosen = sampleFeaturesInto(level, params.colsampleBynode, rng, nodeFeatures)
    findBestSplit(node.hist!, builder.offsets, buf.nBins, nodeFeatures, chosen, node.G, node.H, params.split, node.split)
    return node.split.feature >= 0 && node.split.gain > MIN_GAIN && node.split.gain >= params.split.gamma
  }

  let candidates: Node[] = []
  if (canSplitAt(0, nRows)) {
    root.hist = builder.acquire()
    builder.build([root.start, root.end], [root.hist])
    if (evaluate(root)) candidates.push(root)
    else builder.release(root.hist)
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
    const ranges: number[] = []
    const outs: Float64Array[] = []
    const children: Node[] = []
    for (const node of expand) {
      if (params.maxLeaves > 0 && nLeaves >= params.maxLeaves) {
        builder.release(node.hist!)
        node.hist = null
        continue
      }
      const s = node.split
      const mid = partition(buf, node.start, node.end, s.feature, s.bin, s.defaultLeft)
      const threshold = buf.cuts[s.feature][s.bin]
      tree.setSplit(node.id, s.feature, s.bin, threshold, s.defaultLeft, s.gain)
      const left: Node = mkChild(tree, node, node.start, mid, s.leftG, s.leftH)
      const right: Node = mkChild(tree, node, mid, node.end, node.G - s.leftG, node.H - s.leftH)
      nLeaves++
      const depth = node.depth + 1
      if (canSplitAt(depth, left.end - left.start) || canSplitAt(depth, right.end - right.start)) {
        // Build the smaller child; the larger one reuses the parent's buffer after subtraction.
        const [small, large] = left.end - left.start <= right.end - right.start ? [left, right] : [right, left]
        small.hist = builder.acquire()
        large.hist = node.hist
        ranges.push(small.start, small.end)
        outs.push(small.hist)
      } else builder.release(node.hist!)
      node.hist = null
      children.push(left, right)
    }
    if (outs.length > 0) builder.build(ranges, outs)
    for (let i = 0; i < children.length; i += 2) {
      const a = children[i]
      const b = children[i + 1]
      if (a.hist === null) continue
      // One child holds the built histogram, the other the parent's: turn that into parent - built.
      const [built, inherited] = isBuilt(a, outs) ? [a, b] : [b, a]
      const ph = inherited.hist!
      const bh = built.hist!
      for (let k = 0; k < ph.length; k++) ph[k] -= bh[k]
    }
    for (const child of children) {
      nodes.push(child)
      if (child.hist === null) continue
      if (canSplitAt(child.depth, child.end - child.start) && evaluate(child)) candidates.push(child)
      else {
        builder.release(child.hist)
        child.hist = null
      }
    }
  }
  for (const c of candidates) if (c.hist) builder.release(c.hist)

  const leafStart = new Int32Array(tree.size).fill(-1)
  const leafEnd = new Int32Array(tree.size).fill(-1)
  for (const node of nodes) {
    if (tree.left[node.id] >= 0) continue
    tree.value[node.id] = params.eta * leafWeight(params.split, node.G, node.H)
    leafStart[node.id] = node.start
    leafEnd[node.id] = node.end
  }
  return { tree, leafStart, leafEnd }
}

function mkChild(tree: GrownTree, parent: Node, start: number, end: number, G: number, H: number): Node {
  return { id: tree.addLeaf(0, H), depth: parent.depth + 1, start, end, G, H, hist: null, split: emptySplit() }
}

function isBuilt(node: Node, outs: Float64Array[]): boolean {
  for (const o of outs) if (o === node.hist) return true
  return false
}

/**
 * Stable partition of rows[start..end), with their gradient pairs, by the split; returns the
 * first position of the right child. Branch-free: every row is written to both sides and only the
 * matching cursor advances, because a data-dependent branch here is mispredicted half the time.
 */
function partition(buf: GrowBuffers, start: number, end: number, f: number, bin: number, defaultLeft: boolean): number {
  const { codes, nFeatures, rows, gh, scratchRows, scratchGh } = buf
  const missing = buf.nBins[f]
  const missingLeft = defaultLeft ? 1 : 0
  let l = start
  let r = 0
  for (let i = start; i < end; i++) {
    const row = rows[i]
    const c = codes[row * nFeatures + f]
    const g = gh[2 * i]
    const h = gh[2 * i + 1]
    // 1 when c > bin; missing codes exceed every bin, so undo that when missing values go left.
    const isMissing = ((c ^ missing) - 1) >>> 31
    const right = ((bin - c) >>> 31) & ~(isMissing & missingLeft)
    rows[l] = row
    gh[2 * l] = g
    gh[2 * l + 1] = h
    scratchRows[r] = row
    scratchGh[2 * r] = g
    scratchGh[2 * r + 1] = h
    l += 1 - right
    r += right
  }
  rows.set(scratchRows.subarray(0, r), l)
  gh.set(scratchGh.subarray(0, 2 * r), 2 * l)
  return l
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
