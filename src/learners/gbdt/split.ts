/**
 * XGBoost's split gain and leaf weight, with L1 (alpha), L2 (lambda), min_child_weight and
 * max_delta_step, and the best-split search over a node's gradient histogram.
 *
 * Gain of a split = gain(left) + gain(right) - gain(parent), where gain(G, H) = G^2 / (H + lambda)
 * without L1 or a step clip (XGBoost's loss_chg, twice the textbook 1/2 [...] form); a split is
 * kept when that exceeds both a small epsilon and gamma.
 */

export interface SplitParams {
  readonly lambda: number
  readonly alpha: number
  readonly gamma: number
  readonly minChildWeight: number
  readonly maxDeltaStep: number
}

/** Smallest gain that counts as an improvement (XGBoost's kRtEps). */
export const MIN_GAIN = 1e-6

function thresholdL1(g: number, alpha: number): number {
  return g > alpha ? g - alpha : g < -alpha ? g + alpha : 0
}

/** Optimal leaf weight -T_alpha(G) / (H + lambda), clipped to max_delta_step (unscaled by eta). */
export function leafWeight(p: SplitParams, g: number, h: number): number {
  if (h < p.minChildWeight || h <= 0) return 0
  let w = -thresholdL1(g, p.alpha) / (h + p.lambda)
  if (p.maxDeltaStep !== 0 && Math.abs(w) > p.maxDeltaStep) w = w > 0 ? p.maxDeltaStep : -p.maxDeltaStep
  return w
}

/** Structure score of a node with gradient sum `g` and hessian sum `h` (XGBoost's CalcGain). */
export function nodeGain(p: SplitParams, g: number, h: number): number {
  if (h < p.minChildWeight || h <= 0) return 0
  if (p.maxDeltaStep === 0) {
    const t = p.alpha === 0 ? g : thresholdL1(g, p.alpha)
    return (t * t) / (h + p.lambda)
  }
  const w = leafWeight(p, g, h)
  const ret = g * w + 0.5 * (h + p.lambda) * w * w
  return -2 * (ret + p.alpha * Math.abs(w))
}

/** The best split of one node; `gain` is -Infinity when none is valid. */
export interface SplitInfo {
  gain: number
  feature: number
  /**
   * Rows with bin <= `bin` go left. -1 sends every value right (only missing values go left) and
   * nBins - 1 sends every value left (only missing values go right).
   */
  bin: number
  defaultLeft: boolean
  leftG: number
  leftH: number
}

export function emptySplit(): SplitInfo {
  return { gain: -Infinity, feature: -1, bin: -1, defaultLeft: false, leftG: 0, leftH: 0 }
}

/**
 * Scans every allowed feature's histogram (interleaved grad, hess per bin; feature f's value bins
 * start at `offsets[f]`, followed by its missing bin) for the split of largest gain, trying missing
 * values on each side. Writes the result into `out`.
 *
 * A quantised histogram holds integer sums: `gScale` and `hScale` turn them into gradient and
 * hessian units for the gains and the min_child_weight test, while `G`, `H` and the sums written to
 * `out` stay integers (exact). Float histograms use the default scales of 1 (x * 1 is x exactly).
 */
export function findBestSplit(
  hist: Float64Array | Int32Array,
  offsets: Int32Array,
  nBins: Int32Array,
  features: Int32Array,
  nAllowed: number,
  G: number,
  H: number,
  p: SplitParams,
  out: SplitInfo,
  gScale = 1,
  hScale = 1,
): SplitInfo {
  out.gain = -Infinity
  out.feature = -1
  const parent = nodeGain(p, G * gScale, H * hScale)
  const mcw = Math.max(p.minChildWeight, 0)
  for (let j = 0; j < nAllowed; j++) {
    const f = features[j]
    const base = offsets[f]
    const nb = nBins[f]
    const missG = hist[2 * (base + nb)]
    const missH = hist[2 * (base + nb) + 1]
    const hasMissing = missH > 0
    let lg = 0
    let lh = 0
    // b = -1 and b = nb - 1 separate the missing values from all the others; they are only
    // worth trying when there are missing values, and they are tried with missing on the
    // opposite side of the values.
    for (let b = hasMissing ? -1 : 0; b < (hasMissing ? nb : nb - 1); b++) {
      if (b >= 0) {
        lg += hist[2 * (base + b)]
        lh += hist[2 * (base + b) + 1]
      }
      // Missing values go right.
      let rh = H - lh
      if (lh * hScale >= mcw && rh * hScale >= mcw && lh > 0 && rh > 0) {
        const gain = nodeGain(p, lg * gScale, lh * hScale) + nodeGain(p, (G - lg) * gScale, rh * hScale) - parent
        if (gain > out.gain) {
          out.gain = gain
          out.feature = f
          out.bin = b
          // With no missing values seen, send future ones to the heavier child.
          out.defaultLeft = !hasMissing && lh > rh
          out.leftG = lg
          out.leftH = lh
        }
      }
      if (!hasMissing) continue
      // Missing values go left.
      const mlh = lh + missH
      rh = H - mlh
      if (mlh * hScale >= mcw && rh * hScale >= mcw && rh > 0) {
        const mlg = lg + missG
        const gain = nodeGain(p, mlg * gScale, mlh * hScale) + nodeGain(p, (G - mlg) * gScale, rh * hScale) - parent
        if (gain > out.gain) {
          out.gain = gain
          out.feature = f
          out.bin = b
          out.defaultLeft = true
          out.leftG = mlg
          out.leftH = mlh
        }
      }
    }
  }
  return out
}
