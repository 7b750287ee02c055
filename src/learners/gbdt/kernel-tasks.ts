/**
 * The shared-memory protocol between a {@link KernelExecutor} and its worker threads, and the one
 * task loop both run. A batch is a list of tasks (histogram part, partition count, partition
 * scatter) in a shared Int32Array; threads take tasks off it with an atomic counter. Every task
 * writes only its own output (a histogram slot, a count cell, a disjoint range of rows), so the
 * results are the same whichever thread runs which task.
 */
import type { TrainingKernels } from '../kernel-choice.js'
import { type GrowingKernels, instantiateGrowingKernels } from './growing-kernels.js'
import { accumulateHistogram, accumulateQuantisedHistogram } from './histogram.js'
import { computeGradients, makeObjective, type Objective, type ObjectiveOptions } from './objectives.js'
import { addLeafPairValues, addLeafValue, countLeft, gatherPairs, scatter, scatterQuantised } from './partition.js'
import { gatherQuantisedPairs, gradientRange } from './quantise.js'

export const enum TaskKind {
  /** (buffer, start, end, slot): histogram of rows[start..end) into slot. */
  Histogram = 0,
  /** (buffer, start, end, split, cell): left count of the rows into counts[cell]. */
  Count = 1,
  /** (buffer, start, end, split, cell): scatter to the other buffer at positions[2 cell], [2 cell + 1]. */
  Scatter = 2,
  /**
   * (buffer, start, end, split, output): add leaf values to the margins of the rows; under split
   * s the left leaf's value is leafValues[2s], the right's leafValues[2s + 1] (feature -1: no
   * split, every row gets leafValues[2s]).
   */
  LeafValues = 3,
  /** (0, start, end, output): sampled rows and output's gradient pairs into buffer 0, in node order. */
  Gather = 4,
  /** (buffer, start, end, slot): integer histogram of rows[start..end) into slot (quantised training). */
  HistogramQuantised = 5,
  /**
   * (0, start, end, output): sampled rows and output's discretised gradient pairs into buffer 0,
   * in node order, by the discretisation in `quant` (quantised training).
   */
  GatherQuantised = 6,
  /** (0, start, end, output, cell): max |g|, max h and min h of output's rows into quantRange[3 cell..] (quantised training). */
  GradientRange = 7,
  /** (0, start, end): the objective's gradients and hessians of rows [start, end), every output, from their margins. */
  Gradients = 8,
}

/** Int32s per task: kind plus five arguments. */
export const TASK_WIDTH = 6
/** Int32s per split descriptor: feature, bin, missing code, missing goes left. */
export const SPLIT_WIDTH = 4

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

/** Growable shared scratch: task list, split descriptors, counts, scatter positions, leaf values. */
export interface KernelScratch {
  tasks: Int32Array
  splits: Int32Array
  counts: Int32Array
  positions: Int32Array
  leafValues: Float64Array
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
}

export interface KernelState extends KernelInputs, KernelScratch, MarginTarget {
  gradients: GradientSource
  arenas: Float64Array[]
  /** This thread's instance of the WebAssembly kernels, when they were chosen. */
  wasm: GrowingKernels | null
}

export type KernelMessage =
  | { type: 'bind'; inputs: KernelInputs }
  | { type: 'arena'; index: number; arena: Float64Array }
  | { type: 'scratch'; scratch: KernelScratch }
  | { type: 'margin'; target: MarginTarget }
  | { type: 'gradients'; source: GradientSource }

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
  return { ...inputs, ...emptyScratch(), arenas: [], margin: new Float64Array(0), nOutputs: 1, gradients, wasm: inputs.kernels === 'wasm' ? instantiateGrowingKernels(inputs.memory) : null }
}

/** Scratch before the first batch grows it. */
export function emptyScratch(): KernelScratch {
  return { tasks: new Int32Array(0), splits: new Int32Array(0), counts: new Int32Array(0), positions: new Int32Array(0), leafValues: new Float64Array(0) }
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
  const { tasks, nFeatures, stride, wasm } = state
  const o = t * TASK_WIDTH
  const buffer = tasks[o + 1]
  const start = tasks[o + 2]
  const end = tasks[o + 3]
  const codes = state.codes[buffer]
  if (tasks[o] === TaskKind.Histogram) {
    const hist = slotView(state, tasks[o + 4])
    hist.fill(0)
    if (wasm) wasm.histogram(codes.byteOffset, stride, nFeatures, state.offsets.byteOffset, state.gh[buffer].byteOffset, start, end, hist.byteOffset)
    else accumulateHistogram(codes, stride, nFeatures, state.offsets, state.gh[buffer], start, end, hist)
    return
  }
  if (tasks[o] === TaskKind.HistogramQuantised) {
    const hist = slotViewQuantised(state, tasks[o + 4])
    hist.fill(0)
    if (wasm) wasm.histogramQuantised(codes.byteOffset, stride, nFeatures, state.offsets.byteOffset, state.qgh[buffer].byteOffset, start, end, hist.byteOffset)
    else accumulateQuantisedHistogram(codes, stride, nFeatures, state.offsets, state.qgh[buffer], start, end, hist)
    return
  }
  if (tasks[o] === TaskKind.GatherQuantised) {
    const { sampled, grad, hess, n } = state.gradients
    const k = tasks[o + 4]
    const { quant } = state
    if (wasm) {
      wasm.gatherQuantised(sampled.byteOffset, grad.byteOffset + 8 * k * n, hess.byteOffset + 8 * k * n, start, end,
        state.rows[0].byteOffset, state.qgh[0].byteOffset, quant[0], quant[1], quant[2], quant[3])
    } else gatherQuantisedPairs(sampled, grad.subarray(k * n), hess.subarray(k * n), start, end, state.rows[0], state.qgh[0], quant[0], quant[1], quant[2], quant[3])
    return
  }
  if (tasks[o] === TaskKind.GradientRange) {
    const { grad, hess, n } = state.gradients
    const k = tasks[o + 4]
    const cell = tasks[o + 5]
    if (wasm) wasm.gradientRange(grad.byteOffset + 8 * k * n, hess.byteOffset + 8 * k * n, start, end, state.quantRange.byteOffset + 24 * cell)
    else gradientRange(grad.subarray(k * n), hess.subarray(k * n), start, end, state.quantRange, 3 * cell)
    return
  }
  if (tasks[o] === TaskKind.Gradients) {
    const g = state.gradients
    computeGradients(g.objective, g.objectiveOptions, state.margin, g.y, g.grad, g.hess, start, end)
    return
  }
  if (tasks[o] === TaskKind.Gather) {
    const { sampled, grad, hess, n } = state.gradients
    const k = tasks[o + 4]
    if (wasm) wasm.gatherPairs(sampled.byteOffset, grad.byteOffset + 8 * k * n, hess.byteOffset + 8 * k * n, start, end, state.rows[0].byteOffset, state.gh[0].byteOffset)
    else gatherPairs(sampled, grad.subarray(k * n), hess.subarray(k * n), start, end, state.rows[0], state.gh[0])
    return
  }
  const s = tasks[o + 4] * SPLIT_WIDTH
  const { splits } = state
  const cell = tasks[o + 5]
  if (tasks[o] === TaskKind.LeafValues) {
    const leftValue = state.leafValues[2 * tasks[o + 4]]
    const rows = state.rows[buffer]
    if (splits[s] < 0) {
      if (wasm) wasm.addLeafValue(rows.byteOffset, start, end, leftValue, state.margin.byteOffset, state.nOutputs, cell)
      else addLeafValue(rows, start, end, leftValue, state.margin, state.nOutputs, cell)
    } else {
      const rightValue = state.leafValues[2 * tasks[o + 4] + 1]
      if (wasm) {
        wasm.addLeafPairValues(codes.byteOffset, stride, rows.byteOffset, start, end, splits[s], splits[s + 1], splits[s + 2], splits[s + 3],
          leftValue, rightValue, state.margin.byteOffset, state.nOutputs, cell)
      } else {
        addLeafPairValues(codes, stride, rows, start, end, splits[s], splits[s + 1], splits[s + 2], splits[s + 3],
          leftValue, rightValue, state.margin, state.nOutputs, cell)
      }
    }
    return
  }
  if (tasks[o] === TaskKind.Count) {
    state.counts[cell] = wasm
      ? wasm.countLeft(codes.byteOffset, stride, start, end, splits[s], splits[s + 1], splits[s + 2], splits[s + 3])
      : countLeft(codes, stride, start, end, splits[s], splits[s + 1], splits[s + 2], splits[s + 3])
  } else {
    const other = 1 - buffer
    if (state.quantised) {
      if (wasm) {
        wasm.scatterQuantised(codes.byteOffset, stride >> 2, state.rows[buffer].byteOffset, state.qgh[buffer].byteOffset, start, end,
          splits[s], splits[s + 1], splits[s + 2], splits[s + 3],
          state.codes[other].byteOffset, state.rows[other].byteOffset, state.qgh[other].byteOffset, state.positions[2 * cell], state.positions[2 * cell + 1])
      } else {
        scatterQuantised(codes, state.codeWords[buffer], stride >> 2, state.rows[buffer], state.qghWords[buffer], start, end,
          splits[s], splits[s + 1], splits[s + 2], splits[s + 3],
          state.codeWords[other], state.rows[other], state.qghWords[other], state.positions[2 * cell], state.positions[2 * cell + 1])
      }
    } else if (wasm) {
      wasm.scatter(codes.byteOffset, stride >> 2, state.rows[buffer].byteOffset, state.gh[buffer].byteOffset, start, end,
        splits[s], splits[s + 1], splits[s + 2], splits[s + 3],
        state.codes[other].byteOffset, state.rows[other].byteOffset, state.gh[other].byteOffset, state.positions[2 * cell], state.positions[2 * cell + 1])
    } else {
      scatter(codes, state.codeWords[buffer], stride >> 2, state.rows[buffer], state.gh[buffer], start, end,
        splits[s], splits[s + 1], splits[s + 2], splits[s + 3],
        state.codeWords[other], state.rows[other], state.gh[other], state.positions[2 * cell], state.positions[2 * cell + 1])
    }
  }
}
