/**
 * Runs the data-parallel kernels of tree growing (histogram builds and partitions) as batches of
 * tasks, on the calling thread alone or together with worker threads that share the data through
 * one shared WebAssembly memory (the WebAssembly kernels of every thread address it; the
 * JavaScript kernels see the same buffers as typed arrays).
 *
 * A tree's positions are cut into shards, and a partition keeps every row in its shard: a node
 * holds a range of each shard, and splitting it splits each range in place. Each thread works on
 * the same shards at every level (batch lanes), so the rows it reads are the ones it wrote, in its
 * own core's cache. Shards and histogram parts depend only on the number of rows, never on the
 * thread count; parts are summed from zero and added in order. So one thread and many threads
 * give bit-identical trees.
 */
import { availableParallelism } from 'node:os'
import { Batches, type BatchPools, processBatchPools } from '../../exec/batch-pool.js'
import { programModule } from '../../exec/batch-program.js'
import { SharedMemory } from '../../exec/shared-memory.js'
import { trainingKernels } from '../kernel-choice.js'
import type { Objective, ObjectiveOptions } from './objectives.js'
import type { SplitInfo, SplitParams } from './split.js'
import {
  bindState,
  type CodeSource,
  EVAL_IN_WIDTH,
  EVAL_OUT_WIDTH,
  EvalFlags,
  type EvalScratch,
  type KernelInputs,
  type KernelMessage,
  type KernelScratch,
  type GradientSource,
  type KernelState,
  MAX_SHARDS,
  RANGE_WIDTH,
  runKernelTask,
  slotView,
  slotViewQuantised,
  SPLIT_WIDTH,
  TASK_WIDTH,
  TaskKind,
} from './kernel-tasks.js'

/** Rows per part: large enough that a part is worth a thread, small enough to balance. */
export const PART_ROWS = 16384
/** Bytes per arena of histogram slots. */
const ARENA_BYTES = 4 << 20

/**
 * Shards of a tree on `m` rows: the largest power of two up to {@link MAX_SHARDS} that leaves
 * at least a part's rows in each.
 */
export function shardCount(m: number): number {
  let s = 1
  while (s < MAX_SHARDS && 2 * s * PART_ROWS <= m) s *= 2
  return s
}

/** First position of shard `s` of `shards` over `m` positions. */
export function shardStart(m: number, s: number, shards: number): number {
  return Math.floor((m * s) / shards)
}

/** The lane of shard `s` of `shards` among `lanes`: whole runs of shards a lane. */
function laneOfShard(s: number, shards: number, lanes: number): number {
  return Math.floor((s * lanes) / shards)
}

/** Histogram parts of a node with `m` rows over `shards` shards: a power of two, a run of whole shards each. */
export function histogramParts(m: number, shards: number): number {
  let p = 1
  while (2 * p <= shards && 2 * p * PART_ROWS <= m) p *= 2
  return p
}

/** Rows of a node: in one of the two row buffers, the positions [lo[s], hi[s]) of each shard s. */
export interface NodeRows {
  readonly buffer: number
  readonly lo: Int32Array
  readonly hi: Int32Array
}

/** Number of rows of a node. */
export function rowCount(rows: NodeRows): number {
  let m = 0
  for (let s = 0; s < rows.lo.length; s++) m += rows.hi[s] - rows.lo[s]
  return m
}

export interface PartitionRequest {
  readonly rows: NodeRows
  readonly feature: number
  readonly bin: number
  readonly defaultLeft: boolean
}

/** The rows of a split's two children, left rows and right rows. */
export interface PartitionResult {
  readonly left: NodeRows
  readonly right: NodeRows
}

/** Rows of a leaf (feature -1, value leftValue) or of a split into two leaves, to add to margins. */
export interface LeafUpdate {
  readonly rows: NodeRows
  readonly feature: number
  readonly bin: number
  readonly defaultLeft: boolean
  readonly leftValue: number
  readonly rightValue: number
}

/** A child whose best split is to be found: its sums, the features it may split on, and where the split goes. */
export interface ChildEvaluation {
  readonly G: number
  readonly H: number
  readonly features: Int32Array
  readonly out: SplitInfo
}

/**
 * A split's two children after the build of one's histogram: `inherited` (the parent's
 * histogram) becomes parent - `own`, then each child given is evaluated (null: not split).
 */
export interface PairEvaluation<H> {
  readonly own: H
  readonly inherited: H
  readonly ownIsLeft: boolean
  readonly left: ChildEvaluation | null
  readonly right: ChildEvaluation | null
}

/** A view of the histogram slots, and the slot of each view lent. */
interface SlotKind<H> {
  readonly view: (state: KernelState, slot: number) => H
  readonly of: Map<H, number>
}

export interface ExecutorInputs {
  readonly nFeatures: number
  /** Bytes of codes per row (a multiple of 4). */
  readonly stride: number
  /** Value bins per feature; the missing code of feature f is nBins[f]. */
  readonly nBins: Int32Array
  readonly offsets: Int32Array
  readonly totalBins: number
  readonly nRows: number
  /** Quantised training: rows carry integer gradient pairs (two bytes) instead of float32 ones. */
  readonly quantised?: boolean
}

/** One tree's discretisation, as {@link KernelExecutor.gatherQuantised} applies it. */
export interface QuantisedGather {
  readonly gInv: number
  readonly hInv: number
  /** uint32 */
  readonly key: number
  readonly flags: number
}

const KERNEL_PROGRAM = programModule(import.meta.url, './kernel-program')

/**
 * Starts the worker threads training will use with `threads` threads, without waiting for them:
 * a job calls this first so the threads start while it reads its data.
 * @example prestartTrainingThreads(0) // all cores
 */
export function prestartTrainingThreads(threads: number, pools: BatchPools = processBatchPools()): void {
  const n = resolveThreads(threads)
  if (n > 1) pools.prestart(n - 1)
}

/** Threads to use for `nthread` (0: all cores). */
export function resolveThreads(nthread: number): number {
  return nthread > 0 ? nthread : availableParallelism()
}

export class KernelExecutor {
  readonly offsets: Int32Array
  /** Doubles per histogram. */
  readonly length: number
  readonly rows: [Int32Array, Int32Array]
  readonly gh: [Float32Array, Float32Array]
  /** Quantised training: integer gradient pairs (gradient, hessian; signed bytes) beside the rows; empty otherwise. */
  readonly qgh: [Int8Array, Int8Array]
  private readonly state: KernelState
  private readonly batches: Batches
  /** The caller's side of every batch (made once: batches run at every level of every tree). */
  private readonly runTask = (t: number): void => runKernelTask(this.state, t)
  /** Histogram slots lent as float64 histograms, and as int32 pair histograms (quantised training). */
  private readonly floatSlots: SlotKind<Float64Array> = { view: slotView, of: new Map() }
  private readonly intSlots: SlotKind<Int32Array> = { view: slotViewQuantised, of: new Map() }
  private readonly free: number[] = []
  private readonly nBins: Int32Array
  private readonly mem: SharedMemory
  /** The current tree's shards (set by its gather) and their first positions, then the end. */
  private shards = 1
  private readonly bounds = new Int32Array(MAX_SHARDS + 1)
  private readonly laneLists: number[][] = []
  private readonly laneEnds: number[] = []

  /**
   * @param threads total threads including the caller's; 1 runs everything on the caller.
   * Worker threads are borrowed from `pools` and held until {@link close}.
   * @example const ex = new KernelExecutor(inputs, 2)
   */
  constructor(inputs: ExecutorInputs, threads: number, pools?: BatchPools) {
    const n = inputs.nRows
    this.length = 2 * inputs.totalBins
    this.nBins = inputs.nBins
    const slotsPerArena = Math.max(4, Math.floor(ARENA_BYTES / (8 * this.length)))
    const quantised = inputs.quantised === true
    // Two sets of (codes, rows, gradient pairs), the offsets, and one arena of histograms.
    this.mem = new SharedMemory(2 * n * (inputs.stride + (quantised ? 6 : 12)) + 4 * inputs.nFeatures + 8 * this.length * slotsPerArena + 4096)
    this.offsets = this.mem.alloc(Int32Array, inputs.nFeatures)
    this.offsets.set(inputs.offsets)
    const codes = [this.mem.alloc(Int32Array, (n * inputs.stride) / 4), this.mem.alloc(Int32Array, (n * inputs.stride) / 4)]
    const codeWords: [Int32Array, Int32Array] = [codes[0], codes[1]]
    const codeBytes: [Uint8Array, Uint8Array] = [new Uint8Array(codes[0].buffer, codes[0].byteOffset, codes[0].byteLength), new Uint8Array(codes[1].buffer, codes[1].byteOffset, codes[1].byteLength)]
    this.rows = [this.mem.alloc(Int32Array, n), this.mem.alloc(Int32Array, n)]
    // Gradient pairs in float32, as XGBoost keeps them: half the bytes to move; sums are float64.
    const floatPairs = quantised ? 0 : 2 * n
    this.gh = [this.mem.alloc(Float32Array, floatPairs), this.mem.alloc(Float32Array, floatPairs)]
    // Quantised: two signed bytes a row, a quarter of the float32 pairs' traffic in builds and moves.
    const qPairs = [this.mem.alloc(Int16Array, quantised ? n : 0), this.mem.alloc(Int16Array, quantised ? n : 0)]
    this.qgh = [new Int8Array(qPairs[0].buffer, qPairs[0].byteOffset, 2 * qPairs[0].length), new Int8Array(qPairs[1].buffer, qPairs[1].byteOffset, 2 * qPairs[1].length)]
    const bind: KernelInputs = {
      memory: this.mem.memory,
      kernels: trainingKernels(),
      nFeatures: inputs.nFeatures,
      stride: inputs.stride,
      offsets: this.offsets,
      rows: this.rows,
      codes: codeBytes,
      codeWords,
      gh: this.gh,
      quantised,
      qgh: this.qgh,
      qghWords: [qPairs[0], qPairs[1]],
      quant: this.mem.alloc(Float64Array, 4),
      quantRange: this.mem.alloc(Float64Array, quantised ? 3 * MAX_SHARDS : 0),
      length: this.length,
      slotsPerArena,
    }
    this.state = bindState(bind)
    this.batches = new Batches(KERNEL_PROGRAM, n >= 2 * PART_ROWS ? threads : 1, pools)
    this.post({ type: 'bind', inputs: bind })
  }

  /** Gives the worker threads back for the next fit; call once, when the fit ends however it ends. */
  close(): void {
    this.batches.close()
  }

  /** A histogram buffer (contents undefined). */
  acquire(): Float64Array {
    return this.takeSlot(this.floatSlots)
  }

  release(hist: Float64Array): void {
    this.giveSlot(this.floatSlots, hist)
  }

  /** Fills outs[i] with the gradient histogram of nodes[i]. */
  buildHistograms(nodes: readonly NodeRows[], outs: readonly Float64Array[]): void {
    this.histogramBatch(TaskKind.Histogram, this.floatSlots, nodes, outs)
  }

  /** A histogram buffer of int32 pairs for quantised training (contents undefined). */
  acquireQuantised(): Int32Array {
    return this.takeSlot(this.intSlots)
  }

  releaseQuantised(hist: Int32Array): void {
    this.giveSlot(this.intSlots, hist)
  }

  /** Fills outs[i] with the integer gradient histogram of nodes[i] (quantised training); sums are exact. */
  buildQuantisedHistograms(nodes: readonly NodeRows[], outs: readonly Int32Array[]): void {
    this.histogramBatch(TaskKind.HistogramQuantised, this.intSlots, nodes, outs)
  }

  /**
   * Histograms of `nodes` into `outs`, each node cut into parts (runs of whole shards, on their
   * shards' lane) summed into its output in order.
   */
  private histogramBatch<H extends Float64Array | Int32Array>(kind: TaskKind, slots: SlotKind<H>, nodes: readonly NodeRows[], outs: readonly H[]): void {
    const lanes = this.laneTasks()
    const partials: H[][] = []
    this.ensureScratch(nodes.length, 0)
    nodes.forEach((node, i) => {
      this.writeRanges(i, node)
      const parts = histogramParts(rowCount(node), this.shards)
      const width = this.shards / parts
      const extra: H[] = []
      for (let p = 0; p < parts; p++) {
        const dest = p === 0 ? outs[i] : this.takeSlot(slots)
        if (p > 0) extra.push(dest)
        // A node in one part has no shard of its own: spread such nodes over the lanes.
        const lane = parts === 1 ? i % lanes.length : this.laneOf(p * width, lanes.length)
        lanes[lane].push(kind, node.buffer, p * width, (p + 1) * width, i, slots.of.get(dest)!)
      }
      partials.push(extra)
    })
    this.runLanes(lanes)
    nodes.forEach((_, i) => {
      const out = outs[i]
      for (const part of partials[i]) {
        for (let k = 0; k < out.length; k++) out[k] += part[k]
        this.giveSlot(slots, part)
      }
    })
  }

  private takeSlot<H>(slots: SlotKind<H>): H {
    if (this.free.length === 0) this.grow()
    const slot = this.free.pop()!
    const view = slots.view(this.state, slot)
    slots.of.set(view, slot)
    return view
  }

  private giveSlot<H>(slots: SlotKind<H>, hist: H): void {
    const slot = slots.of.get(hist)
    if (slot === undefined) throw new Error('histogram does not belong to this executor')
    slots.of.delete(hist)
    this.free.push(slot)
  }

  /** The split rules (with each feature's value bins) {@link evaluatePairs} applies from now on; the workers hear of a change only. */
  useSplitRules(params: SplitParams): void {
    if (this.state.rules.params === params) return
    this.state.rules = { params, nBins: this.nBins }
    this.post({ type: 'rules', rules: this.state.rules })
  }

  /**
   * Subtracts and evaluates each pair of children on the threads (a task a pair); histograms are
   * this executor's (float, or integer with `scales` when quantised: gradient and hessian units).
   * Each child's split is written to its `out`, as findBestSplit would on this thread.
   */
  evaluatePairs<H extends Float64Array | Int32Array>(pairs: readonly PairEvaluation<H>[], scales: { gScale: number; hScale: number } | null): void {
    const slots = (scales ? this.intSlots : this.floatSlots) as unknown as SlotKind<H>
    this.ensureEvalScratch(2 * pairs.length)
    const { evalIn, evalFeatures, evalOut, evalScales } = this.state
    evalScales[0] = scales ? scales.gScale : 1
    evalScales[1] = scales ? scales.hScale : 1
    const width = this.state.nFeatures + 1
    const lanes = this.laneTasks()
    pairs.forEach((pair, p) => {
      let flags = pair.ownIsLeft ? EvalFlags.OwnIsLeft : 0
      ;[pair.left, pair.right].forEach((child, side) => {
        if (child === null) return
        const c = 2 * p + side
        evalIn[EVAL_IN_WIDTH * c] = child.G
        evalIn[EVAL_IN_WIDTH * c + 1] = child.H
        evalFeatures[c * width] = child.features.length
        evalFeatures.set(child.features, c * width + 1)
        flags |= side === 0 ? EvalFlags.EvaluateLeft : EvalFlags.EvaluateRight
      })
      lanes[p % lanes.length].push(TaskKind.EvaluatePair, 0, slots.of.get(pair.own)!, slots.of.get(pair.inherited)!, p, flags)
    })
    this.runLanes(lanes)
    pairs.forEach((pair, p) => {
      ;[pair.left, pair.right].forEach((child, side) => {
        if (child === null) return
        const o = EVAL_OUT_WIDTH * (2 * p + side)
        const out = child.out
        out.gain = evalOut[o]
        out.feature = evalOut[o + 1]
        out.bin = evalOut[o + 2]
        out.defaultLeft = evalOut[o + 3] === 1
        out.leftG = evalOut[o + 4]
        out.leftH = evalOut[o + 5]
      })
    })
  }

  /**
   * Partitions each request's rows into the other buffer, each shard's range in place: left rows
   * at its start, right rows after them. Returns the children's rows.
   */
  partition(requests: readonly PartitionRequest[]): PartitionResult[] {
    const lanes = this.laneTasks()
    this.ensureScratch(requests.length, 0)
    requests.forEach((r, i) => {
      this.writeSplit(i, r.feature, r.bin, r.defaultLeft)
      this.writeRanges(i, r.rows)
      this.pushShardRuns(lanes, r.rows, TaskKind.Scatter, i, 0)
    })
    this.runLanes(lanes)
    const { counts } = this.state
    return requests.map(({ rows }, i) => {
      const buffer = 1 - rows.buffer
      const mid = new Int32Array(this.shards)
      for (let s = 0; s < this.shards; s++) mid[s] = rows.lo[s] + (rows.hi[s] > rows.lo[s] ? counts[i * MAX_SHARDS + s] : 0)
      return { left: { buffer, lo: rows.lo, hi: mid }, right: { buffer, lo: mid, hi: rows.hi } }
    })
  }

  /** The rows of a tree's root: every position of buffer 0 its gather filled. */
  rootRows(): NodeRows {
    return { buffer: 0, lo: this.bounds.slice(0, this.shards), hi: this.bounds.slice(1, this.shards + 1) }
  }

  /**
   * New margins (row-major `nRows x nOutputs`, each row `baseMargin`) in the executor's memory,
   * the ones {@link addLeafValues} updates; call once.
   */
  bindMargins(nRows: number, nOutputs: number, baseMargin: Float64Array): Float64Array {
    const margin = this.mem.alloc(Float64Array, nRows * nOutputs)
    const base = this.mem.alloc(Float64Array, nOutputs)
    base.set(baseMargin)
    Object.assign(this.state, { margin, nOutputs, base })
    this.post({ type: 'margin', target: { margin, nOutputs, base } })
    // Written by the threads, each its own shards' rows: the first touch of fresh memory is a page
    // fault, and on a virtual machine a costly one.
    this.runOverShards(nRows, (start, end) => [TaskKind.StartMargins, 0, start, end, 0, 0])
    return margin
  }

  /**
   * New arrays for each tree's starting rows in the executor's memory: `sampled` (row ids) and
   * `grad`, `hess` (output-major, `y.length` an output), which {@link computeGradients} fills from
   * the bound margins and the gathers read, and where the rows' codes come from; call once, after
   * {@link bindMargins}. With `derivatives` false (a single output, every row in every tree, and no
   * use of the derivatives after a tree), no such arrays are made: trees start with
   * {@link gradientsIntoRows}.
   */
  bindGradients(y: Float64Array, objective: Objective, objectiveOptions: ObjectiveOptions, codes: CodeSource, derivatives = true): GradientSource {
    const n = y.length
    const K = objective.nOutputs
    // The threads read the targets where they are when shared; a copy otherwise.
    const targets = y.buffer instanceof SharedArrayBuffer ? y : this.mem.alloc(Float64Array, n)
    if (targets !== y) targets.set(y)
    const rows = derivatives ? n : 0
    const source: GradientSource = {
      sampled: this.mem.alloc(Int32Array, rows),
      grad: this.mem.alloc(Float64Array, rows * K),
      hess: this.mem.alloc(Float64Array, rows * K),
      n,
      y: targets,
      objective,
      objectiveOptions,
    }
    this.state.gradients = source
    this.state.codeSource = codes
    this.post({ type: 'gradients', source, codes })
    return source
  }

  /**
   * The gradients and hessians of every bound row from its margins, computed by the threads, each
   * on the rows its shards hold when every row is sampled.
   */
  computeGradients(): void {
    const { n } = this.state.gradients
    this.runOverShards(n, (start, end) => [TaskKind.Gradients, 0, start, end, 0, 0])
  }

  /**
   * Starts a tree on every bound row, in order: their gradients and hessians, computed by the
   * threads from the margins, go straight into row buffer 0's float32 pairs with the rows' ids and
   * codes. The tree is the one {@link computeGradients} and {@link gatherPairs} would start.
   */
  gradientsIntoRows(): void {
    const { n } = this.state.gradients
    this.startTree(n)
    this.runOverShards(n, (start, end) => [TaskKind.GradientPairs, 0, start, end, 0, 0])
  }

  /**
   * Starts a tree on the first `m` sampled rows: fills row buffer 0 with them in order, their
   * codes and their gradient pairs of output `k`. `inOrder`: every data row is sampled, in order.
   */
  gatherPairs(m: number, k: number, inOrder: boolean): void {
    this.startTree(m)
    this.runOverShards(m, (start, end) => [TaskKind.Gather, 0, start, end, k, inOrder ? 1 : 0])
  }

  /**
   * Quantised training: the range of output `k`'s gradients and hessians over all bound rows
   * (max |g|, max h, min h), ranged by the threads.
   */
  gradientRange(k: number): { maxG: number; maxH: number; minH: number } {
    const { n } = this.state.gradients
    const shards = this.runOverShards(n, (start, end, s) => [TaskKind.GradientRange, 0, start, end, k, s])
    const r = this.state.quantRange
    let maxG = -Infinity
    let maxH = -Infinity
    let minH = Infinity
    for (let p = 0; p < shards; p++) {
      maxG = Math.max(maxG, r[3 * p])
      maxH = Math.max(maxH, r[3 * p + 1])
      minH = Math.min(minH, r[3 * p + 2])
    }
    return { maxG, maxH, minH }
  }

  /** Quantised training: {@link gatherPairs} with the gradient pairs discretised by `q`. */
  gatherQuantised(m: number, k: number, inOrder: boolean, q: QuantisedGather): void {
    const { quant } = this.state
    quant[0] = q.gInv
    quant[1] = q.hInv
    quant[2] = q.key >>> 0
    quant[3] = q.flags
    this.startTree(m)
    this.runOverShards(m, (start, end) => [TaskKind.GatherQuantised, 0, start, end, k, inOrder ? 1 : 0])
  }

  /**
   * Adds each leaf's value to output `output` of the bound margins for the rows it holds: a plain
   * leaf's rows, or a split's rows routed to its two leaves. Leaves hold disjoint rows, so
   * threads never write the same margin.
   */
  addLeafValues(leaves: readonly LeafUpdate[], output: number): void {
    const lanes = this.laneTasks()
    this.ensureScratch(leaves.length, 0)
    const { leafValues } = this.state
    leaves.forEach((leaf, i) => {
      this.writeSplit(i, leaf.feature, leaf.bin, leaf.defaultLeft)
      this.writeRanges(i, leaf.rows)
      leafValues[2 * i] = leaf.leftValue
      leafValues[2 * i + 1] = leaf.rightValue
      this.pushShardRuns(lanes, leaf.rows, TaskKind.LeafValues, i, output)
    })
    this.runLanes(lanes)
  }

  private startTree(m: number): void {
    this.shards = shardCount(m)
    for (let s = 0; s <= this.shards; s++) this.bounds[s] = shardStart(m, s, this.shards)
  }

  /** One task per shard of `m` positions, made by `task(start, end, shard)`, on the shard's lane; returns the shard count. */
  private runOverShards(m: number, task: (start: number, end: number, shard: number) => number[]): number {
    const lanes = this.laneTasks()
    const shards = shardCount(m)
    for (let s = 0; s < shards; s++) lanes[laneOfShard(s, shards, lanes.length)].push(...task(shardStart(m, s, shards), shardStart(m, s + 1, shards), s))
    this.runLanes(lanes)
    return shards
  }

  /**
   * Tasks (kind, rows' buffer, a, b, node, arg) over runs [a, b) of a node's shards of one lane
   * with rows: a run closes once it holds a part's rows, so a small node is one task a lane and a
   * large one a task a shard. (How shards are grouped never changes a result: each shard is
   * partitioned and updated on its own.)
   */
  private pushShardRuns(lanes: number[][], rows: NodeRows, kind: TaskKind, node: number, arg: number): void {
    let a = -1
    let held = 0
    for (let s = 0; s < this.shards; s++) {
      const m = rows.hi[s] - rows.lo[s]
      if (m > 0 && a < 0) a = s
      held += m
      const last = s + 1 === this.shards || this.laneOf(s + 1, lanes.length) !== this.laneOf(s, lanes.length)
      if (a >= 0 && (held >= PART_ROWS || last)) {
        lanes[this.laneOf(a, lanes.length)].push(kind, rows.buffer, a, s + 1, node, arg)
        a = -1
        held = 0
      }
    }
  }

  /** The lane of shard `s` of the current tree among `lanes`. */
  private laneOf(s: number, lanes: number): number {
    return laneOfShard(s, this.shards, lanes)
  }

  /** Empty task lists, one a lane (the same lists every batch: batches run by the thousand). */
  private laneTasks(): number[][] {
    const n = this.batches.lanes
    while (this.laneLists.length < n) this.laneLists.push([])
    for (const list of this.laneLists) list.length = 0
    return this.laneLists.length === n ? this.laneLists : this.laneLists.slice(0, n)
  }

  /** Runs the lanes' tasks as one batch, each lane's first on its own thread. */
  private runLanes(lanes: number[][]): void {
    let ints = 0
    for (const list of lanes) ints += list.length
    if (ints === 0) return
    this.ensureScratch(0, ints)
    const { tasks } = this.state
    this.laneEnds.length = lanes.length
    let at = 0
    lanes.forEach((list, l) => {
      for (let j = 0; j < list.length; j++) tasks[at + j] = list[j]
      at += list.length
      this.laneEnds[l] = at / TASK_WIDTH
    })
    this.batches.run(ints / TASK_WIDTH, this.runTask, lanes.length > 1 ? this.laneEnds : undefined)
  }

  /** Node `i` of the next batch: its rows' ranges. */
  private writeRanges(i: number, rows: NodeRows): void {
    const o = i * RANGE_WIDTH
    this.state.ranges.set(rows.lo, o)
    this.state.ranges.set(rows.hi, o + MAX_SHARDS)
  }

  /** Node `i` of the next batch: its split (feature -1: none). */
  private writeSplit(i: number, feature: number, bin: number, defaultLeft: boolean): void {
    const { splits } = this.state
    splits[i * SPLIT_WIDTH] = feature
    splits[i * SPLIT_WIDTH + 1] = bin
    splits[i * SPLIT_WIDTH + 2] = feature >= 0 ? this.nBins[feature] : 0
    splits[i * SPLIT_WIDTH + 3] = defaultLeft ? 1 : 0
  }

  /** Tells the worker threads of a change to the state (new buffers). */
  private post(msg: KernelMessage): void {
    if (this.batches.shared) this.batches.setup(msg)
  }

  /** Grows the shared scratch arrays to hold `nodes` nodes and `taskInts` task words, telling the workers. */
  private ensureScratch(nodes: number, taskInts: number): void {
    const s = this.state
    const nodesFit = s.splits.length >= nodes * SPLIT_WIDTH
    if (nodesFit && s.tasks.length >= taskInts) return
    const grow = (have: number, need: number) => Math.max(need, 2 * have, 64)
    const room = nodesFit ? 0 : grow(s.splits.length / SPLIT_WIDTH, nodes)
    const scratch: KernelScratch = {
      tasks: s.tasks.length >= taskInts ? s.tasks : this.mem.alloc(Int32Array, grow(s.tasks.length, taskInts)),
      ranges: nodesFit ? s.ranges : this.mem.alloc(Int32Array, RANGE_WIDTH * room),
      splits: nodesFit ? s.splits : this.mem.alloc(Int32Array, SPLIT_WIDTH * room),
      counts: nodesFit ? s.counts : this.mem.alloc(Int32Array, MAX_SHARDS * room),
      leafValues: nodesFit ? s.leafValues : this.mem.alloc(Float64Array, 2 * room),
    }
    Object.assign(s, scratch)
    this.post({ type: 'scratch', scratch })
  }

  /** Grows the evaluation scratch to hold `children` children, telling the workers. */
  private ensureEvalScratch(children: number): void {
    const s = this.state
    if (s.evalOut.length >= EVAL_OUT_WIDTH * children) return
    const room = Math.max(children, 2 * (s.evalOut.length / EVAL_OUT_WIDTH), 64)
    const scratch: EvalScratch = {
      evalIn: this.mem.alloc(Float64Array, EVAL_IN_WIDTH * room),
      evalFeatures: this.mem.alloc(Int32Array, (s.nFeatures + 1) * room),
      evalOut: this.mem.alloc(Float64Array, EVAL_OUT_WIDTH * room),
      evalScales: s.evalScales.length > 0 ? s.evalScales : this.mem.alloc(Float64Array, 2),
    }
    Object.assign(s, scratch)
    this.post({ type: 'eval-scratch', scratch })
  }

  private grow(): void {
    const index = this.state.arenas.length
    const arena = this.mem.alloc(Float64Array, this.length * this.state.slotsPerArena)
    this.state.arenas.push(arena)
    this.post({ type: 'arena', index, arena })
    for (let s = this.state.slotsPerArena - 1; s >= 0; s--) this.free.push(index * this.state.slotsPerArena + s)
  }
}
