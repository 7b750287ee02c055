/**
 * Runs the data-parallel kernels of tree growing (histogram builds and partitions) as batches of
 * tasks, on the calling thread alone or together with worker threads that share the data through
 * one shared WebAssembly memory (the WebAssembly kernels of every thread address it; the
 * JavaScript kernels see the same buffers as typed arrays).
 *
 * A node's rows are cut into parts whose number depends only on the node's size, never on the
 * thread count; histogram parts are summed from zero and added in order, partitions are stable.
 * So one thread and many threads give bit-identical trees.
 */
import { availableParallelism } from 'node:os'
import { Batches, type BatchPools, processBatchPools } from '../../exec/batch-pool.js'
import { programModule } from '../../exec/batch-program.js'
import { SharedMemory } from '../../exec/shared-memory.js'
import { trainingKernels } from '../kernel-choice.js'
import type { Objective, ObjectiveOptions } from './objectives.js'
import {
  bindState,
  type KernelInputs,
  type KernelMessage,
  type KernelScratch,
  type GradientSource,
  type KernelState,
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

/** Number of parts of a node with `m` rows. */
export function partCount(m: number): number {
  return Math.max(1, Math.floor(m / PART_ROWS))
}

/** Start of part `p` of `parts` in the range [start, end). */
export function partStart(start: number, end: number, p: number, parts: number): number {
  return start + Math.floor(((end - start) * p) / parts)
}

/** Rows of a node: a range of one of the two row buffers. */
export interface RowRange {
  readonly buffer: number
  readonly start: number
  readonly end: number
}

export interface PartitionRequest extends RowRange {
  readonly feature: number
  readonly bin: number
  readonly defaultLeft: boolean
}

/** Rows of a leaf (feature -1, value leftValue) or of a split into two leaves, to add to margins. */
export interface LeafUpdate extends RowRange {
  readonly feature: number
  readonly bin: number
  readonly defaultLeft: boolean
  readonly leftValue: number
  readonly rightValue: number
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
  readonly codes: [Uint8Array, Uint8Array]
  readonly codeWords: [Int32Array, Int32Array]
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
    this.codeWords = [codes[0], codes[1]]
    this.codes = [new Uint8Array(codes[0].buffer, codes[0].byteOffset, codes[0].byteLength), new Uint8Array(codes[1].buffer, codes[1].byteOffset, codes[1].byteLength)]
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
      codes: this.codes,
      codeWords: this.codeWords,
      gh: this.gh,
      quantised,
      qgh: this.qgh,
      qghWords: [qPairs[0], qPairs[1]],
      quant: this.mem.alloc(Float64Array, 4),
      quantRange: this.mem.alloc(Float64Array, quantised ? 3 * partCount(n) : 0),
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

  /** Fills outs[i] with the gradient histogram of ranges[i]. */
  buildHistograms(ranges: readonly RowRange[], outs: readonly Float64Array[]): void {
    this.histogramBatch(TaskKind.Histogram, this.floatSlots, ranges, outs)
  }

  /** A histogram buffer of int32 pairs for quantised training (contents undefined). */
  acquireQuantised(): Int32Array {
    return this.takeSlot(this.intSlots)
  }

  releaseQuantised(hist: Int32Array): void {
    this.giveSlot(this.intSlots, hist)
  }

  /** Fills outs[i] with the integer gradient histogram of ranges[i] (quantised training); sums are exact. */
  buildQuantisedHistograms(ranges: readonly RowRange[], outs: readonly Int32Array[]): void {
    this.histogramBatch(TaskKind.HistogramQuantised, this.intSlots, ranges, outs)
  }

  /** Histograms of `ranges` into `outs`, each range cut into parts summed into its output in order. */
  private histogramBatch<H extends Float64Array | Int32Array>(kind: TaskKind, slots: SlotKind<H>, ranges: readonly RowRange[], outs: readonly H[]): void {
    const tasks: number[] = []
    const partials: H[][] = []
    ranges.forEach((r, i) => {
      const parts = partCount(r.end - r.start)
      const extra: H[] = []
      for (let p = 0; p < parts; p++) {
        const dest = p === 0 ? outs[i] : this.takeSlot(slots)
        if (p > 0) extra.push(dest)
        tasks.push(kind, r.buffer, partStart(r.start, r.end, p, parts), partStart(r.start, r.end, p + 1, parts), slots.of.get(dest)!, 0)
      }
      partials.push(extra)
    })
    this.runBatch(tasks)
    ranges.forEach((_, i) => {
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

  /**
   * Partitions each request's rows into the other buffer (same positions), left rows first;
   * returns the first position of each right child.
   */
  partition(requests: readonly PartitionRequest[]): number[] {
    const cells: number[] = []
    let nCells = 0
    for (const r of requests) {
      cells.push(nCells)
      nCells += partCount(r.end - r.start)
    }
    this.ensureScratch(requests.length, nCells, 0)
    const { splits } = this.state
    const tasks: number[] = []
    requests.forEach((r, i) => {
      splits[i * SPLIT_WIDTH] = r.feature
      splits[i * SPLIT_WIDTH + 1] = r.bin
      splits[i * SPLIT_WIDTH + 2] = this.nBins[r.feature]
      splits[i * SPLIT_WIDTH + 3] = r.defaultLeft ? 1 : 0
      const parts = partCount(r.end - r.start)
      for (let p = 0; p < parts; p++) {
        tasks.push(TaskKind.Count, r.buffer, partStart(r.start, r.end, p, parts), partStart(r.start, r.end, p + 1, parts), i, cells[i] + p)
      }
    })
    this.runBatch(tasks)
    const { counts, positions } = this.state
    const mids = requests.map((r, i) => {
      const parts = partCount(r.end - r.start)
      let totalLeft = 0
      for (let p = 0; p < parts; p++) totalLeft += counts[cells[i] + p]
      let left = r.start
      let right = r.start + totalLeft
      for (let p = 0; p < parts; p++) {
        const c = cells[i] + p
        positions[2 * c] = left
        positions[2 * c + 1] = right
        left += counts[c]
        right += partStart(r.start, r.end, p + 1, parts) - partStart(r.start, r.end, p, parts) - counts[c]
      }
      return r.start + totalLeft
    })
    for (let t = 0; t < tasks.length; t += TASK_WIDTH) tasks[t] = TaskKind.Scatter
    this.runBatch(tasks)
    return mids
  }

  /**
   * New margins (row-major `nRows x nOutputs`, zeros) in the executor's memory, the ones
   * {@link addLeafValues} updates; call once.
   */
  bindMargins(nRows: number, nOutputs: number): Float64Array {
    const margin = this.mem.alloc(Float64Array, nRows * nOutputs)
    this.state.margin = margin
    this.state.nOutputs = nOutputs
    this.post({ type: 'margin', target: { margin, nOutputs } })
    return margin
  }

  /**
   * New arrays for each tree's starting rows in the executor's memory: `sampled` (row ids) and
   * `grad`, `hess` (output-major, `y.length` an output), which {@link computeGradients} fills from
   * the bound margins and {@link gatherPairs} reads; call once, after {@link bindMargins}.
   */
  bindGradients(y: Float64Array, objective: Objective, objectiveOptions: ObjectiveOptions): GradientSource {
    const n = y.length
    const K = objective.nOutputs
    const targets = this.mem.alloc(Float64Array, n)
    targets.set(y)
    const source: GradientSource = {
      sampled: this.mem.alloc(Int32Array, n),
      grad: this.mem.alloc(Float64Array, n * K),
      hess: this.mem.alloc(Float64Array, n * K),
      n,
      y: targets,
      objective,
      objectiveOptions,
    }
    this.state.gradients = source
    this.post({ type: 'gradients', source })
    return source
  }

  /** The gradients and hessians of every bound row from its margins, computed in parts by the threads. */
  computeGradients(): void {
    const { n } = this.state.gradients
    const tasks: number[] = []
    const parts = partCount(n)
    for (let p = 0; p < parts; p++) tasks.push(TaskKind.Gradients, 0, partStart(0, n, p, parts), partStart(0, n, p + 1, parts), 0, 0)
    this.runBatch(tasks)
  }

  /** Fills row buffer 0 with the first `m` sampled rows and their gradient pairs of output `k`, in node order. */
  gatherPairs(m: number, k: number): void {
    const tasks: number[] = []
    const parts = partCount(m)
    for (let p = 0; p < parts; p++) tasks.push(TaskKind.Gather, 0, partStart(0, m, p, parts), partStart(0, m, p + 1, parts), k, 0)
    this.runBatch(tasks)
  }

  /**
   * Quantised training: the range of output `k`'s gradients and hessians over all bound rows
   * (max |g|, max h, min h), ranged in parts by the threads.
   */
  gradientRange(k: number): { maxG: number; maxH: number; minH: number } {
    const { n } = this.state.gradients
    const tasks: number[] = []
    const parts = partCount(n)
    for (let p = 0; p < parts; p++) tasks.push(TaskKind.GradientRange, 0, partStart(0, n, p, parts), partStart(0, n, p + 1, parts), k, p)
    this.runBatch(tasks)
    const r = this.state.quantRange
    let maxG = -Infinity
    let maxH = -Infinity
    let minH = Infinity
    for (let p = 0; p < parts; p++) {
      maxG = Math.max(maxG, r[3 * p])
      maxH = Math.max(maxH, r[3 * p + 1])
      minH = Math.min(minH, r[3 * p + 2])
    }
    return { maxG, maxH, minH }
  }

  /**
   * Quantised training: fills row buffer 0 with the first `m` sampled rows and their gradient
   * pairs of output `k` discretised by `q`, in node order.
   */
  gatherQuantised(m: number, k: number, q: QuantisedGather): void {
    const { quant } = this.state
    quant[0] = q.gInv
    quant[1] = q.hInv
    quant[2] = q.key >>> 0
    quant[3] = q.flags
    const tasks: number[] = []
    const parts = partCount(m)
    for (let p = 0; p < parts; p++) tasks.push(TaskKind.GatherQuantised, 0, partStart(0, m, p, parts), partStart(0, m, p + 1, parts), k, 0)
    this.runBatch(tasks)
  }

  /**
   * Adds each leaf's value to output `output` of the bound margins for the rows it holds: a plain
   * leaf's range, or a split's range routed to its two leaves. Leaves hold disjoint rows, so
   * threads never write the same margin.
   */
  addLeafValues(leaves: readonly LeafUpdate[], output: number): void {
    this.ensureScratch(leaves.length, 0, 0)
    const { splits, leafValues } = this.state
    const tasks: number[] = []
    leaves.forEach((leaf, i) => {
      splits[i * SPLIT_WIDTH] = leaf.feature
      splits[i * SPLIT_WIDTH + 1] = leaf.bin
      splits[i * SPLIT_WIDTH + 2] = leaf.feature >= 0 ? this.nBins[leaf.feature] : 0
      splits[i * SPLIT_WIDTH + 3] = leaf.defaultLeft ? 1 : 0
      leafValues[2 * i] = leaf.leftValue
      leafValues[2 * i + 1] = leaf.rightValue
      const parts = partCount(leaf.end - leaf.start)
      for (let p = 0; p < parts; p++) {
        tasks.push(TaskKind.LeafValues, leaf.buffer, partStart(leaf.start, leaf.end, p, parts), partStart(leaf.start, leaf.end, p + 1, parts), i, output)
      }
    })
    this.runBatch(tasks)
  }

  private runBatch(tasks: number[]): void {
    const count = tasks.length / TASK_WIDTH
    if (count === 0) return
    this.ensureScratch(0, 0, tasks.length)
    this.state.tasks.set(tasks)
    this.batches.run(count, this.runTask)
  }

  /** Tells the worker threads of a change to the state (new buffers). */
  private post(msg: KernelMessage): void {
    if (this.batches.shared) this.batches.setup(msg)
  }

  /** Grows the shared scratch arrays to hold the given sizes, telling the workers. */
  private ensureScratch(nSplits: number, nCells: number, taskInts: number): void {
    const s = this.state
    if (s.splits.length >= nSplits * SPLIT_WIDTH && s.counts.length >= nCells && s.tasks.length >= taskInts) return
    const grow = (have: number, need: number) => Math.max(need, 2 * have, 64)
    const splits = grow(s.splits.length / SPLIT_WIDTH, nSplits)
    const cells = grow(s.counts.length, nCells)
    const scratch: KernelScratch = {
      tasks: s.tasks.length >= taskInts ? s.tasks : this.mem.alloc(Int32Array, grow(s.tasks.length, taskInts)),
      splits: s.splits.length >= nSplits * SPLIT_WIDTH ? s.splits : this.mem.alloc(Int32Array, SPLIT_WIDTH * splits),
      leafValues: s.splits.length >= nSplits * SPLIT_WIDTH ? s.leafValues : this.mem.alloc(Float64Array, 2 * splits),
      counts: s.counts.length >= nCells ? s.counts : this.mem.alloc(Int32Array, cells),
      positions: s.counts.length >= nCells ? s.positions : this.mem.alloc(Int32Array, 2 * cells),
    }
    Object.assign(s, scratch)
    this.post({ type: 'scratch', scratch })
  }

  private grow(): void {
    const index = this.state.arenas.length
    const arena = this.mem.alloc(Float64Array, this.length * this.state.slotsPerArena)
    this.state.arenas.push(arena)
    this.post({ type: 'arena', index, arena })
    for (let s = this.state.slotsPerArena - 1; s >= 0; s--) this.free.push(index * this.state.slotsPerArena + s)
  }
}
