/**
 * Grows one tree of a random forest or extra-trees ensemble on binned data, depth first.
 *
 * Large nodes find splits on histograms (weight and weighted target sum per bin for regression,
 * weighted class counts for classification); a child's histogram is the parent's minus its
 * sibling's when that is cheaper than a fresh build. Small nodes sort their few codes instead,
 * which beats clearing and scanning every bin. Both paths feed the same scan over the node's
 * non-empty bins, so they choose identical splits.
 *
 * Random forest takes the best threshold of each sampled feature; extra trees draw one threshold
 * per sampled feature, uniform between the node's lowest and highest bin. Missing values (the last
 * code of each feature) go to whichever side scores better.
 */
import type { Rng } from '../../rng.js'
import type { Criterion } from './params.js'
import { bootstrapCounts, treeRng } from './sampling.js'

/** The binned training data every tree reads (shared with worker threads). */
export interface ForestData {
  /** Row-major codes, `codes[row * stride + f]`; the missing code of feature f is nBins[f]. */
  readonly codes: Uint8Array
  readonly stride: number
  readonly nFeatures: number
  /** Value bins per feature. */
  readonly nBins: Int32Array
  /** Target of each data row: a value, or a class id in [0, nClasses). */
  readonly y: Float64Array
  /** Data rows to train on; every row when null. */
  readonly rows: Int32Array | null
}

/** What one forest's trees are grown with, resolved from the params and the fit context. */
export interface TreeConfig {
  /** 0 for regression, else the number of classes. */
  readonly nClasses: number
  readonly criterion: Criterion
  readonly maxDepth: number
  readonly minSamplesSplit: number
  readonly minSamplesLeaf: number
  /** Non-constant features examined per split. */
  readonly maxFeatures: number
  /** Extra trees: one random threshold per feature instead of the best one. */
  readonly extra: boolean
  readonly bootstrap: boolean
  /** Draws per bootstrap sample. */
  readonly draws: number
  readonly randomState: number
}

/**
 * One grown tree: nodes in creation order, children adjacent (left, left + 1) and after their
 * parent. Rows with code <= bin go left; the missing code goes left when defaultLeft is 1.
 * Leaves have left -1 and hold `width` values each (a mean, or class frequencies).
 */
export interface GrownForestTree {
  readonly feature: Int32Array
  readonly bin: Int32Array
  readonly left: Int32Array
  readonly defaultLeft: Uint8Array
  readonly value: Float64Array
}

/** Nodes with fewer rows than this sort their codes instead of building histograms. */
const SMALL_NODE = 32

/**
 * Grows trees for one forest; holds the scratch memory, so one grower per thread builds many
 * trees without allocating per node or row.
 * @example const tree = new ForestGrower(data, config).grow(0)
 */
export class ForestGrower {
  private readonly n: number
  private readonly nF: number
  private readonly stride: number
  /** Stats per bin: 2 (weight, weighted sum) for regression, else one weight per class. */
  private readonly S: number
  private readonly K: number
  private readonly offsets: Int32Array
  private readonly totalBins: number
  private readonly counts: Int32Array
  // In-bag rows of the current tree, gathered so the hot loops read one compact block.
  private readonly tcodes: Uint8Array
  private readonly tw: Float64Array
  private readonly twy: Float64Array
  private readonly ty: Float64Array
  private readonly tcls: Int32Array
  private readonly idx: Int32Array
  private readonly keys: Int32Array
  private readonly featureOrder: Int32Array
  // Compact view of one feature at one node: its non-empty bins, their stats, the missing stats.
  private readonly cBin: Int32Array
  private readonly cStat: Float64Array
  private readonly mStat: Float64Array
  private readonly leftStat: Float64Array
  private readonly rightStat: Float64Array
  private readonly candStat: Float64Array
  // The tree being grown: at most 2n - 1 nodes, since every leaf holds at least one row.
  private readonly nodeFeature: Int32Array
  private readonly nodeBin: Int32Array
  private readonly nodeLeft: Int32Array
  private readonly nodeDefaultLeft: Uint8Array
  private readonly nodeValue: Float64Array
  // The depth-first stack never holds more than depth + 2 nodes.
  private readonly stStart: Int32Array
  private readonly stEnd: Int32Array
  private readonly stDepth: Int32Array
  private readonly stNode: Int32Array
  private readonly stHist: Int32Array
  private readonly stTot: Float64Array
  private readonly stMin: Float64Array
  private readonly stMax: Float64Array
  private readonly tot: Float64Array
  private readonly leftTot: Float64Array
  private readonly hists: Float64Array[] = []
  private readonly freeHists: number[] = []
  // Best split of the current node.
  private bestProxy = -Infinity
  private bestFeature = -1
  private bestBin = -1
  private bestDefaultLeft = 0
  private readonly bestLeft: Float64Array
  private rng: Rng | null = null

  constructor(
    private readonly data: ForestData,
    private readonly config: TreeConfig,
  ) {
    this.n = data.rows ? data.rows.length : Math.floor(data.codes.length / data.stride)
    this.nF = data.nFeatures
    this.stride = data.stride
    this.K = config.nClasses
    this.S = config.nClasses > 0 ? config.nClasses : 2
    this.offsets = new Int32Array(this.nF)
    let total = 0
    for (let f = 0; f < this.nF; f++) {
      this.offsets[f] = total
      total += data.nBins[f] + 1
    }
    this.totalBins = total
    const n = this.n
    this.counts = new Int32Array(n)
    this.tcodes = new Uint8Array(n * this.stride)
    this.tw = new Float64Array(n)
    this.twy = new Float64Array(n)
    this.ty = new Float64Array(n)
    this.tcls = new Int32Array(n)
    this.idx = new Int32Array(n)
    this.keys = new Int32Array(SMALL_NODE)
    this.featureOrder = new Int32Array(this.nF)
    let maxBins = 1
    for (let f = 0; f < this.nF; f++) maxBins = Math.max(maxBins, data.nBins[f])
    this.cBin = new Int32Array(maxBins)
    this.cStat = new Float64Array(maxBins * this.S)
    this.mStat = new Float64Array(this.S)
    this.leftStat = new Float64Array(this.S)
    this.rightStat = new Float64Array(this.S)
    this.candStat = new Float64Array(this.S)
    this.bestLeft = new Float64Array(this.S)
    const cap = 2 * n + 1
    const width = this.K > 0 ? this.K : 1
    this.nodeFeature = new Int32Array(cap)
    this.nodeBin = new Int32Array(cap)
    this.nodeLeft = new Int32Array(cap)
    this.nodeDefaultLeft = new Uint8Array(cap)
    this.nodeValue = new Float64Array(cap * width)
    const depthCap = n + 2
    this.stStart = new Int32Array(depthCap)
    this.stEnd = new Int32Array(depthCap)
    this.stDepth = new Int32Array(depthCap)
    this.stNode = new Int32Array(depthCap)
    this.stHist = new Int32Array(depthCap)
    this.stTot = new Float64Array(depthCap * this.S)
    this.stMin = new Float64Array(depthCap)
    this.stMax = new Float64Array(depthCap)
    this.tot = new Float64Array(this.S)
    this.leftTot = new Float64Array(this.S)
  }

  /** Grows tree `t` of the forest: its sample and every random choice come from (random_state, t). */
  grow(t: number): GrownForestTree {
    const rng = treeRng(this.config.randomState, t)
    this.rng = rng
    const m = this.gather(rng)
    const { S, K, nodeFeature, nodeBin, nodeLeft, nodeDefaultLeft, nodeValue } = this
    const width = K > 0 ? K : 1
    // Depth-first stack: rows range, depth, node id, histogram slot, totals, target range.
    const { stStart, stEnd, stDepth, stNode, stHist, stTot, stMin, stMax } = this
    const tot = this.tot
    const leftTot = this.leftTot
    let nNodes = 1
    let sp = 0
    stTot.fill(0, 0, S)
    let lo = Infinity
    let hi = -Infinity
    for (let i = 0; i < m; i++) {
      if (K > 0) stTot[this.tcls[i]] += this.tw[i]
      else {
        stTot[0] += this.tw[i]
        stTot[1] += this.twy[i]
        if (this.ty[i] < lo) lo = this.ty[i]
        if (this.ty[i] > hi) hi = this.ty[i]
      }
    }
    stStart[0] = 0
    stEnd[0] = m
    stDepth[0] = 0
    stNode[0] = 0
    stHist[0] = -1
    stMin[0] = lo
    stMax[0] = hi
    sp = 1
    const { maxDepth, minSamplesSplit, minSamplesLeaf } = this.config

    while (sp > 0) {
      sp--
      const start = stStart[sp]
      const end = stEnd[sp]
      const depth = stDepth[sp]
      const node = stNode[sp]
      let hist = stHist[sp]
      for (let s = 0; s < S; s++) tot[s] = stTot[sp * S + s]
      const w = this.weightOf(tot)
      let split = depth < maxDepth && w >= minSamplesSplit && w >= 2 * minSamplesLeaf && !this.isPure(tot, w, stMin[sp], stMax[sp])
      if (split) {
        if (hist < 0 && end - start >= SMALL_NODE) {
          hist = this.acquire()
          this.buildHistogram(this.hists[hist], start, end)
        }
        this.findSplit(start, end, hist, tot)
        split = this.bestFeature >= 0
      }
      if (!split) {
        nodeFeature[node] = -1
        nodeBin[node] = -1
        nodeLeft[node] = -1
        nodeDefaultLeft[node] = 0
        if (K === 0) nodeValue[node] = tot[1] / w
        else for (let k = 0; k < K; k++) nodeValue[node * K + k] = tot[k] / w
        if (hist >= 0) this.release(hist)
        continue
      }
      const f = this.bestFeature
      const b = this.bestBin
      const dl = this.bestDefaultLeft
      const lChild = nNodes
      nNodes += 2
      nodeFeature[node] = f
      nodeBin[node] = b
      nodeLeft[node] = lChild
      nodeDefaultLeft[node] = dl
      for (let k = 0; k < width; k++) nodeValue[node * width + k] = 0
      const mid = this.partition(start, end, f, b, dl)
      for (let s = 0; s < S; s++) leftTot[s] = this.bestLeft[s]
      // Histograms for the children: build the smaller, subtract for the larger, when that beats
      // the larger child building its own.
      let lHist = -1
      let rHist = -1
      if (hist >= 0) {
        const nL = mid - start
        const nR = end - mid
        const nLarge = Math.max(nL, nR)
        const nSmall = Math.min(nL, nR)
        if (nLarge >= SMALL_NODE && (nLarge - nSmall) * this.nF > this.totalBins * S) {
          const small = this.acquire()
          if (nL <= nR) this.buildHistogram(this.hists[small], start, mid)
          else this.buildHistogram(this.hists[small], mid, end)
          const parent = this.hists[hist]
          const child = this.hists[small]
          for (let i = 0, len = this.totalBins * S; i < len; i++) parent[i] -= child[i]
          const keepSmall = nSmall >= SMALL_NODE
          if (nL <= nR) {
            lHist = keepSmall ? small : -1
            rHist = hist
          } else {
            lHist = hist
            rHist = keepSmall ? small : -1
          }
          if (!keepSmall) this.release(small)
        } else this.release(hist)
      }
      let lMin = Infinity
      let lMax = -Infinity
      let rMin = Infinity
      let rMax = -Infinity
      if (K === 0) {
        const { idx, ty } = this
        for (let p = start; p < mid; p++) {
          const v = ty[idx[p]]
          if (v < lMin) lMin = v
          if (v > lMax) lMax = v
        }
        for (let p = mid; p < end; p++) {
          const v = ty[idx[p]]
          if (v < rMin) rMin = v
          if (v > rMax) rMax = v
        }
      }
      // Right child below, left on top: the left subtree is grown first.
      for (let s = 0; s < S; s++) {
        stTot[sp * S + s] = tot[s] - leftTot[s]
        stTot[(sp + 1) * S + s] = leftTot[s]
      }
      stStart[sp] = mid
      stEnd[sp] = end
      stDepth[sp] = depth + 1
      stNode[sp] = lChild + 1
      stHist[sp] = rHist
      stMin[sp] = rMin
      stMax[sp] = rMax
      sp++
      stStart[sp] = start
      stEnd[sp] = mid
      stDepth[sp] = depth + 1
      stNode[sp] = lChild
      stHist[sp] = lHist
      stMin[sp] = lMin
      stMax[sp] = lMax
      sp++
    }
    this.rng = null
    return {
      feature: nodeFeature.slice(0, nNodes),
      bin: nodeBin.slice(0, nNodes),
      left: nodeLeft.slice(0, nNodes),
      defaultLeft: nodeDefaultLeft.slice(0, nNodes),
      value: nodeValue.slice(0, nNodes * width),
    }
  }

  /** Draws the tree's sample and gathers its in-bag rows; returns how many there are. */
  private gather(rng: Rng): number {
    const { data, config, counts, stride, tcodes } = this
    if (config.bootstrap) bootstrapCounts(this.n, config.draws, rng, counts)
    else counts.fill(1)
    const codes = data.codes
    const rows = data.rows
    let m = 0
    for (let i = 0; i < this.n; i++) {
      const c = counts[i]
      if (c === 0) continue
      const r = rows ? rows[i] : i
      const src = r * stride
      const dst = m * stride
      for (let j = 0; j < stride; j++) tcodes[dst + j] = codes[src + j]
      const y = data.y[r]
      this.tw[m] = c
      this.ty[m] = y
      this.twy[m] = c * y
      this.tcls[m] = this.K > 0 ? y : 0
      this.idx[m] = m
      m++
    }
    return m
  }

  private weightOf(tot: Float64Array): number {
    if (this.K === 0) return tot[0]
    let w = 0
    for (let k = 0; k < this.K; k++) w += tot[k]
    return w
  }

  private isPure(tot: Float64Array, w: number, yMin: number, yMax: number): boolean {
    if (this.K === 0) return yMin === yMax
    for (let k = 0; k < this.K; k++) if (tot[k] === w) return true
    return false
  }

  private acquire(): number {
    const free = this.freeHists.pop()
    if (free !== undefined) {
      this.hists[free].fill(0)
      return free
    }
    this.hists.push(new Float64Array(this.totalBins * this.S))
    return this.hists.length - 1
  }

  private release(slot: number): void {
    this.freeHists.push(slot)
  }

  /** Adds the rows idx[start, end) into `hist` (zeroed). */
  private buildHistogram(hist: Float64Array, start: number, end: number): void {
    const { idx, tcodes, tw, stride, offsets, nF, K } = this
    if (K === 0) {
      const twy = this.twy
      for (let p = start; p < end; p++) {
        const i = idx[p]
        const w = tw[i]
        const wy = twy[i]
        const base = i * stride
        for (let f = 0; f < nF; f++) {
          const h = (offsets[f] + tcodes[base + f]) << 1
          hist[h] += w
          hist[h + 1] += wy
        }
      }
    } else {
      const tcls = this.tcls
      for (let p = start; p < end; p++) {
        const i = idx[p]
        const w = tw[i]
        const c = tcls[i]
        const base = i * stride
        for (let f = 0; f < nF; f++) hist[(offsets[f] + tcodes[base + f]) * K + c] += w
      }
    }
  }

  /** Samples features until maxFeatures non-constant ones were examined (scikit-learn's rule). */
  private findSplit(start: number, end: number, hist: number, tot: Float64Array): void {
    this.bestProxy = -Infinity
    this.bestFeature = -1
    const order = this.featureOrder
    const nF = this.nF
    const rng = this.rng!
    for (let f = 0; f < nF; f++) order[f] = f
    let examined = 0
    for (let drawn = 0; drawn < nF && examined < this.config.maxFeatures; drawn++) {
      const j = drawn + rng.int(nF - drawn)
      const f = order[j]
      order[j] = order[drawn]
      order[drawn] = f
      const m = hist >= 0 ? this.compactFromHistogram(this.hists[hist], f) : this.compactBySorting(start, end, f)
      const hasMissing = this.weightOf(this.mStat) > 0
      if (m + (hasMissing ? 1 : 0) < 2) continue
      examined++
      this.scanFeature(f, m, hasMissing, tot)
    }
  }

  /** Non-empty value bins of feature f from a histogram; returns their number. */
  private compactFromHistogram(hist: Float64Array, f: number): number {
    const { S, cBin, cStat, mStat } = this
    const first = this.offsets[f]
    const nb = this.data.nBins[f]
    let m = 0
    for (let b = 0; b < nb; b++) {
      const h = (first + b) * S
      // Regression's second stat is a sum, not a weight: its first alone says whether rows are here.
      let w = hist[h]
      for (let s = 1; s < this.K; s++) w += hist[h + s]
      if (w <= 0) continue
      cBin[m] = b
      for (let s = 0; s < S; s++) cStat[m * S + s] = hist[h + s]
      m++
    }
    const h = (first + nb) * S
    for (let s = 0; s < S; s++) mStat[s] = hist[h + s]
    return m
  }

  /** Non-empty value bins of feature f for a small node, by sorting its codes. */
  private compactBySorting(start: number, end: number, f: number): number {
    const { S, K, cBin, cStat, mStat, keys, idx, tcodes, stride, tw, twy, tcls } = this
    const n = end - start
    for (let p = 0; p < n; p++) keys[p] = (tcodes[idx[start + p] * stride + f] << 16) | p
    for (let p = 1; p < n; p++) {
      const key = keys[p]
      let q = p - 1
      while (q >= 0 && keys[q] > key) {
        keys[q + 1] = keys[q]
        q--
      }
      keys[q + 1] = key
    }
    const missing = this.data.nBins[f]
    if (K === 0) return this.groupSortedRegression(start, n, missing)
    mStat.fill(0)
    let m = 0
    let last = -1
    for (let p = 0; p < n; p++) {
      const code = keys[p] >>> 16
      const i = idx[start + (keys[p] & 0xffff)]
      let at: Float64Array
      let o: number
      if (code === missing) {
        at = mStat
        o = 0
      } else {
        if (code !== last) {
          cBin[m] = code
          for (let s = 0; s < S; s++) cStat[m * S + s] = 0
          last = code
          m++
        }
        at = cStat
        o = (m - 1) * S
      }
      if (K === 0) {
        at[o] += tw[i]
        at[o + 1] += twy[i]
      } else at[o + tcls[i]] += tw[i]
    }
    return m
  }

  /** Groups the sorted keys of a small regression node into bins: weights and sums as scalars. */
  private groupSortedRegression(start: number, n: number, missing: number): number {
    const { cBin, cStat, keys, idx, tw, twy } = this
    let wM = 0
    let sM = 0
    let m = 0
    let last = -1
    for (let p = 0; p < n; p++) {
      const key = keys[p]
      const code = key >>> 16
      const i = idx[start + (key & 0xffff)]
      if (code === missing) {
        wM += tw[i]
        sM += twy[i]
      } else if (code !== last) {
        cBin[m] = code
        cStat[2 * m] = tw[i]
        cStat[2 * m + 1] = twy[i]
        last = code
        m++
      } else {
        cStat[2 * m - 2] += tw[i]
        cStat[2 * m - 1] += twy[i]
      }
    }
    this.mStat[0] = wM
    this.mStat[1] = sM
    return m
  }

  /**
   * Scores the thresholds of feature f (every one, or one random one for extra trees), missing
   * rows on either side.
   */
  private scanFeature(f: number, m: number, hasMissing: boolean, tot: Float64Array): void {
    if (this.K === 0) {
      this.scanRegression(f, m, tot)
      return
    }
    const { S, cBin, cStat, leftStat } = this
    leftStat.fill(0)
    if (this.config.extra) {
      // One threshold, uniform over the bins between the node's lowest and highest.
      let b = cBin[m - 1]
      if (m >= 2) b = cBin[0] + this.rng!.int(cBin[m - 1] - cBin[0])
      for (let j = 0; j < m && cBin[j] <= b; j++) for (let s = 0; s < S; s++) leftStat[s] += cStat[j * S + s]
      this.consider(f, b, hasMissing, tot, b < cBin[m - 1])
      return
    }
    for (let j = 0; j < m; j++) {
      for (let s = 0; s < S; s++) leftStat[s] += cStat[j * S + s]
      // The last bin can only split off the missing rows.
      if (j < m - 1 || hasMissing) this.consider(f, cBin[j], hasMissing, tot, j < m - 1)
    }
  }

  /** {@link scanFeature} for regression, on scalars: the hottest loop of a deep forest. */
  private scanRegression(f: number, m: number, tot: Float64Array): void {
    const { cBin, cStat } = this
    const wT = tot[0]
    const sT = tot[1]
    const wM = this.mStat[0]
    const sM = this.mStat[1]
    let wL = 0
    let sL = 0
    if (this.config.extra) {
      let b = cBin[m - 1]
      if (m >= 2) b = cBin[0] + this.rng!.int(cBin[m - 1] - cBin[0])
      for (let j = 0; j < m && cBin[j] <= b; j++) {
        wL += cStat[2 * j]
        sL += cStat[2 * j + 1]
      }
      this.tryRegression(f, b, wM > 0 ? 0 : -1, wL, sL, wT - wL, sT - sL)
      if (wM > 0 && b < cBin[m - 1]) this.tryRegression(f, b, 1, wL + wM, sL + sM, wT - wL - wM, sT - sL - sM)
      return
    }
    const last = wM > 0 ? m : m - 1
    for (let j = 0; j < last; j++) {
      wL += cStat[2 * j]
      sL += cStat[2 * j + 1]
      const b = cBin[j]
      this.tryRegression(f, b, wM > 0 ? 0 : -1, wL, sL, wT - wL, sT - sL)
      if (wM > 0 && j < m - 1) this.tryRegression(f, b, 1, wL + wM, sL + sM, wT - wL - wM, sT - sL - sM)
    }
  }

  private tryRegression(f: number, bin: number, missingLeft: number, wL: number, sL: number, wR: number, sR: number): void {
    const minLeaf = this.config.minSamplesLeaf
    if (wL < minLeaf || wR < minLeaf || wL <= 0 || wR <= 0) return
    const proxy = (sL * sL) / wL + (sR * sR) / wR
    if (proxy > this.bestProxy) {
      this.bestProxy = proxy
      this.bestFeature = f
      this.bestBin = bin
      this.bestDefaultLeft = missingLeft === -1 ? (wL >= wR ? 1 : 0) : missingLeft
      this.bestLeft[0] = wL
      this.bestLeft[1] = sL
    }
  }

  /**
   * Scores "code <= bin goes left" with the values in leftStat, missing rows right and, when there
   * are any, left; keeps the best valid split.
   */
  private consider(f: number, bin: number, hasMissing: boolean, tot: Float64Array, valuesOnBothSides: boolean): void {
    const { S, leftStat, rightStat, candStat, mStat } = this
    if (valuesOnBothSides || hasMissing) {
      for (let s = 0; s < S; s++) rightStat[s] = tot[s] - leftStat[s]
      this.score(f, bin, hasMissing ? 0 : -1, leftStat, rightStat)
    }
    if (hasMissing && valuesOnBothSides) {
      for (let s = 0; s < S; s++) {
        candStat[s] = leftStat[s] + mStat[s]
        rightStat[s] = tot[s] - candStat[s]
      }
      this.score(f, bin, 1, candStat, rightStat)
    }
  }

  /** Proxy of one candidate; `missingLeft` -1 means no missing rows (they follow the larger side). */
  private score(f: number, bin: number, missingLeft: number, l: Float64Array, r: Float64Array): void {
    const wL = this.weightOf(l)
    const wR = this.weightOf(r)
    const minLeaf = this.config.minSamplesLeaf
    if (wL < minLeaf || wR < minLeaf || wL <= 0 || wR <= 0) return
    let proxy: number
    if (this.K === 0) proxy = (l[1] * l[1]) / wL + (r[1] * r[1]) / wR
    else if (this.config.criterion === 'entropy') {
      proxy = -wL * Math.log(wL) - wR * Math.log(wR)
      for (let k = 0; k < this.K; k++) {
        if (l[k] > 0) proxy += l[k] * Math.log(l[k])
        if (r[k] > 0) proxy += r[k] * Math.log(r[k])
      }
    } else {
      let sqL = 0
      let sqR = 0
      for (let k = 0; k < this.K; k++) {
        sqL += l[k] * l[k]
        sqR += r[k] * r[k]
      }
      proxy = sqL / wL + sqR / wR
    }
    if (proxy > this.bestProxy) {
      this.bestProxy = proxy
      this.bestFeature = f
      this.bestBin = bin
      this.bestDefaultLeft = missingLeft === -1 ? (wL >= wR ? 1 : 0) : missingLeft
      this.bestLeft.set(l)
    }
  }

  /** Moves the rows going left to the front of idx[start, end); returns where the right rows start. */
  private partition(start: number, end: number, f: number, bin: number, defaultLeft: number): number {
    const { idx, tcodes, stride } = this
    const missing = this.data.nBins[f]
    let i = start
    let j = end - 1
    while (i <= j) {
      const r = idx[i]
      const c = tcodes[r * stride + f]
      if (c === missing ? defaultLeft === 1 : c <= bin) i++
      else {
        idx[i] = idx[j]
        idx[j] = r
        j--
      }
    }
    return i
  }
}
