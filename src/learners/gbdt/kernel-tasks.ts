/**
 * The shared-memory protocol between a {@link KernelExecutor} and its worker threads, and the one
 * task loop both run. A batch is a list of tasks (histogram part, partition of a node's shard,
 * leaf values) in a shared Int32Array; threads take tasks off it by lanes (batch-control.ts).
 * Every task writes only its own output (a histogram slot, a count cell, a disjoint range of
 * rows), so the results are the same whichever thread runs which task.
 *
 * A node's rows are a range of each shard of the row buffers (executor.ts): the `ranges` scratch
 * holds, for each node of a batch, its first positions then its end positions, shard by shard.
 */
import type { TrainingKernels } from '../kernel-choice.js'
import { type GrowingKernels, instantiateGrowingKernels } from './growing-kernels.js'
import { accumulateHistogram, accumulateQuantisedHistogram } from './histogram.js'
import { computeGradients, makeObjective, type Objective, type ObjectiveOptions } from './objectives.js'
import { addLeafPairValues, addLeafValue, gatherPairs, scatter, scatterQuantised } from './partition.js'
import { gatherQuantisedPairs, gradientRange } from './quantise.js'
import { emptySplit, findBestSplit, type SplitParams } from './split.js'

export const enum TaskKind {
  /** (buffer, shard a, shard b, node, slot): histogram of the node's rows in shards [a, b) into slot. */
  Histogram = 0,
  /**
   * (buffer, shard a, shard b, node, -): the node's rows in each shard of [a, b) moved to the
   * other buffer by the node's split (splits[node]); each shard's left count into
   * counts[node * MAX_SHARDS + shard].
   */
  Scatter = 2,
  /**
   * (buffer, shard a, shard b, node, output): add leaf values to the margins of the node's rows in
   * shards [a, b); under the node's split the left leaf's value is leafValues[2 node], the right's
   * leafValues[2 node + 1] (feature -1: no split, every row gets leafValues[2 node]).
   */
  LeafValues = 3,
  /**
   * (0, start, end, output, in order): sampled positions [start, end) into buffer 0: row ids,
   * codes, and output's gradient pairs. `in order`: 1 when every data row is sampled, in order.
   */
  Gather = 4,
  /** (buffer, shard a, shard b, node, slot): integer histogram (quantised training). */
  HistogramQuantised = 5,
  /**
   * (0, start, end, output, in order): as Gather, with output's gradient pairs discretised by
   * `quant` (quantised training).
   */
  GatherQuantised = 6,
  /** (0, start, end, output, cell): max |g|, max h and min h of output's rows into quantRange[3 cell..] (quantised training). */
  GradientRange = 7,
  /** (0, start, end): the objective's gradients and hessians of rows [start, end), every output, from their margins. */
  Gradients = 8,
  /**
   * (0, start, end): a tree's start when it takes every row of one output, in order: the
   * gradients of rows [start, end) straight into buffer 0's float32 pairs (no float64 arrays),
   * with the rows' ids and codes.
   */
  GradientPairs = 9,
  /**
   * (-, own slot, inherited slot, pair, flags): a split's two children after their histogram
   * build: the inherited histogram (the parent's) becomes parent - own, then each child flagged
   * has its best split found (see {@link EvalFlags}); children 2 pair and 2 pair + 1 of the
   * evaluation scratch.
   */
  EvaluatePair = 10,
  /** (0, start, end): the margins of rows [start, end) set to the base margins. */
  StartMargins = 11,
}

/** Flags of an {@link TaskKind.EvaluatePair} task. */
export const enum EvalFlags {
  /** The built (own) histogram is the left child's. */
  OwnIsLeft = 1,
  EvaluateLeft = 2,
  EvaluateRight = 4,
}

/** Float64s per child in the evaluation scratch's inputs (G, H) and outputs (gain, feature, bin, default left, left G, left H). */
export const EVAL_IN_WIDTH = 2
export const EVAL_OUT_WIDTH = 6

/** Rows a thread computes at once in a GradientPairs task, into its own float64 scratch. */
const PAIR_CHUNK = 4096
const chunkGrad = new Float64Array(PAIR_CHUNK)
const chunkHess = new Float64Array(PAIR_CHUNK)

/** Int32s per task: kind plus five arguments. */
export const TASK_WIDTH = 6
/** Int32s per split descriptor: feature, bin, missing code, missing goes left. */
export const SPLIT_WIDTH = 4
/** The most shards a tree's rows are cut into (executor.ts). */
export const MAX_SHARDS = 16
/** Int32s per node in the `ranges` scratch: first positions, then end positions, one a shard. */
export const RANGE_WIDTH = 2 * MAX_SHARDS

export interface KernelInputs {
  /** The shared memory every buffer below lives in. */
  memory: WebAssembly.Memory
  /** The kernels histogram builds and partitions run. */
  kernels: TrainingKernels
  nFeatures: number
  /** Bytes of codes per position (a multiple of 4). */
  stride: number
  offsets: Int32Array
  /**
   * Two sets of buffers; a partition moves a node's positions from one set to the other. Each
   * position holds a row id, the row's codes (as bytes and, for moving, as 32-bit words) and its
   * gradient pair.
   */
  rows: [Int32Array, Int32Array]
  codes: [Uint8Array, Uint8Array]
  codeWords: [Int32Array, Int32Array]
  gh: [Float32Array, Float32Array]
  /**
   * Quantised training: each position's integer gradient pair (two signed bytes, as bytes and as
   * one 16-bit word for moving) instead of `gh`, and the current tree's discretisation: gInv,
   * hInv, key, flags (quantise.ts). Empty otherwise.
   */
  quantised: boolean
  qgh: [Int8Array, Int8Array]
  qghWords: [Int16Array, Int16Array]
  quant: Float64Array
  /** Quantised training: three float64s a part of the rows, the parts' gradient ranges. */
  quantRange: Float64Array
  /** Doubles per histogram slot (a quantised histogram uses as many int32s, the slot's first half). */
  length: number
  slotsPerArena: number
}

/** Growable shared scratch: task list, and per node of a batch its shard ranges, split, left counts and leaf values. */
export interface KernelScratch {
  tasks: Int32Array
  ranges: Int32Array
  splits: Int32Array
  counts: Int32Array
  leafValues: Float64Array
}

/**
 * Growable shared scratch of split evaluation, per child of a batch: its G and H, its allowed
 * features (a count, then the features; nFeatures + 1 int32s a child) and its best split; and
 * the tree's scales (gradient and hessian units of a quantised histogram's sums; 1 otherwise).
 */
export interface EvalScratch {
  evalIn: Float64Array
  evalFeatures: Int32Array
  evalOut: Float64Array
  evalScales: Float64Array
}

/** What split evaluation needs besides the histograms: the split rules and each feature's value bins. */
export interface SplitRules {
  params: SplitParams
  nBins: Int32Array
}

/**
 * Where a tree's codes come from: the binned data's codes (row-major, `words` int32 words a row,
 * shared memory) and the data row of each local index (null: the identity).
 */
export interface CodeSource {
  dataWords: Int32Array
  words: number
  ids: Int32Array | null
}

/**
 * A tree's starting rows: the sampled row ids and the gradients and hessians (output-major, n an
 * output), and what they are computed from (the targets, the objective and its options).
 */
export interface GradientSource {
  sampled: Int32Array
  grad: Float64Array
  hess: Float64Array
  n: number
  y: Float64Array
  objective: Objective
  objectiveOptions: ObjectiveOptions
}

/** The margins leaf values are added to: row-major n x nOutputs. */
export interface MarginTarget {
  margin: Float64Array
  nOutputs: number
  /** Every row's starting margin, one per output. */
  base: Float64Array
}

export interface KernelState extends KernelInputs, KernelScratch, EvalScratch, MarginTarget {
  gradients: GradientSource
  codeSource: CodeSource
  rules: SplitRules
  arenas: Float64Array[]
  /** This thread's instance of the WebAssembly kernels, when they were chosen. */
  wasm: GrowingKernels | null
}

export type KernelMessage =
  | { type: 'bind'; inputs: KernelInputs }
  | { type: 'arena'; index: number; arena: Float64Array }
  | { type: 'scratch'; scratch: KernelScratch }
  | { type: 'eval-scratch'; scratch: EvalScratch }
  | { type: 'rules'; rules: SplitRules }
  | { type: 'margin'; target: MarginTarget }
  | { type: 'gradients'; source: GradientSource; codes: CodeSource }

/** A thread's state for `inputs`, before any scratch or arena. */
export function bindState(inputs: KernelInputs): KernelState {
  const gradients: GradientSource = {
    sampled: new Int32Array(0),
    grad: new Float64Array(0),
    hess: new Float64Array(0),
    n: 0,
    y: new Float64Array(0),
    objective: makeObjective('reg:squarederror'),
    objectiveOptions: { scalePosWeight: 1, huberSlope: 1, maxDeltaStep: 0 },
  }
  const codeSource: CodeSource = { dataWords: new Int32Array(0), words: 0, ids: null }
  const evalScratch: EvalScratch = { evalIn: new Float64Array(0), evalFeatures: new Int32Array(0), evalOut: new Float64Array(0), evalScales: new Float64Array(0) }
  const rules: SplitRules = { params: { lambda: 1, alpha: 0, gamma: 0, minChildWeight: 1, maxDeltaStep: 0 }, nBins: new Int32Array(0) }
  return { ...inputs, ...emptyScratch(), ...evalScratch, rules, arenas: [], margin: new Float64Array(0), nOutputs: 1, base: new Float64Array(1), gradients, codeSource, wasm: inputs.kernels === 'wasm' ? instantiateGrowingKernels(inputs.memory) : null }
}

/** Scratch before the first batch grows it. */
export function emptyScratch(): KernelScratch {
  return { tasks: new Int32Array(0), ranges: new Int32Array(0), splits: new Int32Array(0), counts: new Int32Array(0), leafValues: new Float64Array(0) }
}

/** View of histogram slot `slot`. */
export function slotView(state: Pick<KernelState, 'arenas' | 'length' | 'slotsPerArena'>, slot: number): Float64Array {
  const arena = state.arenas[Math.floor(slot / state.slotsPerArena)]
  const start = (slot % state.slotsPerArena) * state.length
  return arena.subarray(start, start + state.length)
}

/** View of histogram slot `slot` as the int32 pairs of a quantised histogram. */
export function slotViewQuantised(state: Pick<KernelState, 'arenas' | 'length' | 'slotsPerArena'>, slot: number): Int32Array {
  const arena = state.arenas[Math.floor(slot / state.slotsPerArena)]
  const start = (slot % state.slotsPerArena) * state.length
  return new Int32Array(arena.buffer, arena.byteOffset + 8 * start, state.length)
}

/** Runs task `t` of the shared list. */
export function runKernelTask(state: KernelState, t: number): void {
  const { tasks, nFeatures, stride, wasm, ranges } = state
  const o = t * TASK_WIDTH
  const kind = tasks[o]
  const buffer = tasks[o + 1]
  const codes = state.codes[buffer]
  if (kind === TaskKind.Histogram || kind === TaskKind.HistogramQuantised) {
    const r = tasks[o + 4] * RANGE_WIDTH
    const quantised = kind === TaskKind.HistogramQuantised
    const hist = quantised ? slotViewQuantised(state, tasks[o + 5]) : slotView(state, tasks[o + 5])
    hist.fill(0)
    for (let shard = tasks[o + 2]; shard < tasks[o + 3]; shard++) {
      const start = ranges[r + shard]
      const end = ranges[r + MAX_SHARDS + shard]
      if (start >= end) continue
      if (quantised) {
        if (wasm) wasm.histogramQuantised(codes.byteOffset, stride, nFeatures, state.offsets.byteOffset, state.qgh[buffer].byteOffset, start, end, hist.byteOffset)
        else accumulateQuantisedHistogram(codes, stride, nFeatures, state.offsets, state.qgh[buffer], start, end, hist as Int32Array)
      } else if (wasm) wasm.histogram(codes.byteOffset, stride, nFeatures, state.offsets.byteOffset, state.gh[buffer].byteOffset, start, end, hist.byteOffset)
      else accumulateHistogram(codes, stride, nFeatures, state.offsets, state.gh[buffer], start, end, hist as Float64Array)
    }
    return
  }
  if (kind === TaskKind.Scatter || kind === TaskKind.LeafValues) {
    const node = tasks[o + 4]
    for (let shard = tasks[o + 2]; shard < tasks[o + 3]; shard++) {
      const start = ranges[node * RANGE_WIDTH + shard]
      const end = ranges[node * RANGE_WIDTH + MAX_SHARDS + shard]
      if (kind === TaskKind.Scatter) state.counts[node * MAX_SHARDS + shard] = scatterRange(state, buffer, start, end, node * SPLIT_WIDTH)
      else addLeafValues(state, buffer, start, end, node, tasks[o + 5])
    }
    return
  }
  const start = tasks[o + 2]
  const end = tasks[o + 3]
  if (kind === TaskKind.Gradients) {
    const g = state.gradients
    computeGradients(g.objective, g.objectiveOptions, state.margin, g.y, g.grad, g.hess, start, end)
    return
  }
  if (kind === TaskKind.GradientPairs) {
    gradientPairs(state, start, end)
    return
  }
  if (kind === TaskKind.StartMargins) {
    const { margin, nOutputs, base } = state
    for (let i = start; i < end; i++) for (let k = 0; k < nOutputs; k++) margin[i * nOutputs + k] = base[k]
    return
  }
  if (kind === TaskKind.EvaluatePair) {
    evaluatePair(state, tasks[o + 2], tasks[o + 3], tasks[o + 4], tasks[o + 5])
    return
  }
  if (kind === TaskKind.GradientRange) {
    const { grad, hess, n } = state.gradients
    const k = tasks[o + 4]
    const cell = tasks[o + 5]
    if (wasm) wasm.gradientRange(grad.byteOffset + 8 * k * n, hess.byteOffset + 8 * k * n, start, end, state.quantRange.byteOffset + 24 * cell)
    else gradientRange(grad.subarray(k * n), hess.subarray(k * n), start, end, state.quantRange, 3 * cell)
    return
  }
  const { sampled, grad, hess, n } = state.gradients
  const k = tasks[o + 4]
  if (kind === TaskKind.GatherQuantised) {
    const { quant } = state
    if (wasm) {
      wasm.gatherQuantised(sampled.byteOffset, grad.byteOffset + 8 * k * n, hess.byteOffset + 8 * k * n, start, end,
        state.rows[0].byteOffset, state.qgh[0].byteOffset, quant[0], quant[1], quant[2], quant[3])
    } else gatherQuantisedPairs(sampled, grad.subarray(k * n), hess.subarray(k * n), start, end, state.rows[0], state.qgh[0], quant[0], quant[1], quant[2], quant[3])
  } else if (wasm) wasm.gatherPairs(sampled.byteOffset, grad.byteOffset + 8 * k * n, hess.byteOffset + 8 * k * n, start, end, state.rows[0].byteOffset, state.gh[0].byteOffset)
  else gatherPairs(sampled, grad.subarray(k * n), hess.subarray(k * n), start, end, state.rows[0], state.gh[0])
  gatherCodes(state.codeSource, sampled, start, end, tasks[o + 5] === 1, state.codeWords[0])
}

/**
 * Rows [start, end) of one output (K = 1) into positions [start, end) of buffer 0: ids, codes,
 * and gradient pairs computed a chunk at a time and stored as float32, the values
 * {@link TaskKind.Gather} would store from float64 arrays.
 */
function gradientPairs(state: KernelState, start: number, end: number): void {
  const g = state.gradients
  const rows = state.rows[0]
  const gh = state.gh[0]
  for (let c = start; c < end; c += PAIR_CHUNK) {
    const m = Math.min(PAIR_CHUNK, end - c)
    computeGradients(g.objective, g.objectiveOptions, state.margin.subarray(c, c + m), g.y.subarray(c, c + m), chunkGrad, chunkHess, 0, m)
    for (let i = 0; i < m; i++) {
      rows[c + i] = c + i
      gh[2 * (c + i)] = chunkGrad[i]
      gh[2 * (c + i) + 1] = chunkHess[i]
    }
  }
  gatherCodes(state.codeSource, null, start, end, state.codeSource.ids === null, state.codeWords[0])
}

/**
 * Copies the codes of positions [start, end) into `out` in that order: the data rows
 * ids[sampled[j]] (sampled null: position j is local row j); every row in order is one block copy.
 */
function gatherCodes(source: CodeSource, sampled: Int32Array | null, start: number, end: number, inOrder: boolean, out: Int32Array): void {
  const { dataWords, words, ids } = source
  if (inOrder) {
    out.set(dataWords.subarray(start * words, end * words), start * words)
    return
  }
  for (let j = start; j < end; j++) {
    const local = sampled ? sampled[j] : j
    const src = (ids ? ids[local] : local) * words
    for (let w = 0; w < words; w++) out[j * words + w] = dataWords[src + w]
  }
}

/** A thread's split found by {@link evaluatePair}, before it is written out. */
const found = emptySplit()

/** Runs an {@link TaskKind.EvaluatePair} task. */
function evaluatePair(state: KernelState, ownSlot: number, inheritedSlot: number, pair: number, flags: number): void {
  const view = state.quantised ? slotViewQuantised : slotView
  const own = view(state, ownSlot)
  const inherited = view(state, inheritedSlot)
  for (let k = 0; k < inherited.length; k++) inherited[k] -= own[k]
  const ownIsLeft = (flags & EvalFlags.OwnIsLeft) !== 0
  if (flags & EvalFlags.EvaluateLeft) evaluateChild(state, ownIsLeft ? own : inherited, 2 * pair)
  if (flags & EvalFlags.EvaluateRight) evaluateChild(state, ownIsLeft ? inherited : own, 2 * pair + 1)
}

/** The best split of child `c` of the evaluation scratch, from its histogram. */
function evaluateChild(state: KernelState, hist: Float64Array | Int32Array, c: number): void {
  const { evalIn, evalFeatures, evalOut, evalScales, nFeatures, rules } = state
  const f = c * (nFeatures + 1)
  findBestSplit(hist, state.offsets, rules.nBins, evalFeatures.subarray(f + 1, f + 1 + nFeatures), evalFeatures[f],
    evalIn[EVAL_IN_WIDTH * c], evalIn[EVAL_IN_WIDTH * c + 1], rules.params, found, evalScales[0], evalScales[1])
  const o = EVAL_OUT_WIDTH * c
  evalOut[o] = found.gain
  evalOut[o + 1] = found.feature
  evalOut[o + 2] = found.bin
  evalOut[o + 3] = found.defaultLeft ? 1 : 0
  evalOut[o + 4] = found.leftG
  evalOut[o + 5] = found.leftH
}

/** Moves positions [start, end) of `buffer` by the split at splits[s..]; returns the left count. */
function scatterRange(state: KernelState, buffer: number, start: number, end: number, s: number): number {
  if (start >= end) return 0
  const { splits, wasm, codes, stride } = state
  const other = 1 - buffer
  const feature = splits[s]
  const bin = splits[s + 1]
  const missing = splits[s + 2]
  const missingLeft = splits[s + 3]
  if (state.quantised) {
    if (wasm) {
      return wasm.scatterQuantised(codes[buffer].byteOffset, stride >> 2, state.rows[buffer].byteOffset, state.qgh[buffer].byteOffset, start, end,
        feature, bin, missing, missingLeft, codes[other].byteOffset, state.rows[other].byteOffset, state.qgh[other].byteOffset)
    }
    return scatterQuantised(codes[buffer], state.codeWords[buffer], stride >> 2, state.rows[buffer], state.qghWords[buffer], start, end,
      feature, bin, missing, missingLeft, state.codeWords[other], state.rows[other], state.qghWords[other])
  }
  if (wasm) {
    return wasm.scatter(codes[buffer].byteOffset, stride >> 2, state.rows[buffer].byteOffset, state.gh[buffer].byteOffset, start, end,
      feature, bin, missing, missingLeft, codes[other].byteOffset, state.rows[other].byteOffset, state.gh[other].byteOffset)
  }
  return scatter(codes[buffer], state.codeWords[buffer], stride >> 2, state.rows[buffer], state.gh[buffer], start, end,
    feature, bin, missing, missingLeft, state.codeWords[other], state.rows[other], state.gh[other])
}

/** Adds node `node`'s leaf values to output `k` of the margins of positions [start, end) of `buffer`. */
function addLeafValues(state: KernelState, buffer: number, start: number, end: number, node: number, k: number): void {
  if (start >= end) return
  const { splits, wasm, stride } = state
  const s = node * SPLIT_WIDTH
  const rows = state.rows[buffer]
  const leftValue = state.leafValues[2 * node]
  if (splits[s] < 0) {
    if (wasm) wasm.addLeafValue(rows.byteOffset, start, end, leftValue, state.margin.byteOffset, state.nOutputs, k)
    else addLeafValue(rows, start, end, leftValue, state.margin, state.nOutputs, k)
    return
  }
  const rightValue = state.leafValues[2 * node + 1]
  const codes = state.codes[buffer]
  if (wasm) {
    wasm.addLeafPairValues(codes.byteOffset, stride, rows.byteOffset, start, end, splits[s], splits[s + 1], splits[s + 2], splits[s + 3],
      leftValue, rightValue, state.margin.byteOffset, state.nOutputs, k)
  } else {
    addLeafPairValues(codes, stride, rows, start, end, splits[s], splits[s + 1], splits[s + 2], splits[s + 3], leftValue, rightValue, state.margin, state.nOutputs, k)
  }
}
