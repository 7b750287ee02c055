/**
 * Standard exponential variates (density e^-x) by Marsaglia and Tsang's ziggurat, as NumPy and
 * most statistics libraries draw them: 256 layers of equal area, so 99% of draws are one 32-bit
 * integer, a table lookup, a comparison and a multiplication; the rest (the layer edges and the
 * tail) take the exact slow path. About four times faster than -log(u), and exactly the same
 * distribution. The layer is the integer's low 8 bits and the position its high 24, so the two
 * are independent. Tables are built once from Math.exp and Math.log, so draws are the same on
 * every machine running the same engine.
 */

const LAYERS = 256
/** Right edge of the base layer, and its area (Marsaglia and Tsang's constants for 256 layers). */
const R = 7.69711747013105
const AREA = 3.949659822581572e-3
const SCALE = 2 ** 24

/** A draw with 24-bit position p in layer i is accepted at once when p < K[i]; it is then p W[i]. */
const K = new Uint32Array(LAYERS)
const W = new Float64Array(LAYERS)
/** e^-x at each layer's right edge (F[0] = 1 at x = 0 ... as the layers go). */
const F = new Float64Array(LAYERS)
{
  let de = R
  let te = R
  const q = AREA / Math.exp(-de)
  K[0] = Math.floor((de / q) * SCALE)
  K[1] = 0
  W[0] = q / SCALE
  W[LAYERS - 1] = de / SCALE
  F[0] = 1
  F[LAYERS - 1] = Math.exp(-de)
  for (let i = LAYERS - 2; i >= 1; i--) {
    de = -Math.log(AREA / de + Math.exp(-de))
    K[i + 1] = Math.floor((de / te) * SCALE)
    te = de
    F[i] = Math.exp(-de)
    W[i] = de / SCALE
  }
}

/** A source of uniform 32-bit integers (an Rng). */
export interface Uint32Source {
  nextUint32(): number
}

/**
 * One standard exponential variate.
 * @example const w = exponential(new Rng(1)) // mean 1
 */
export function exponential(rng: Uint32Source): number {
  const j = rng.nextUint32()
  const i = j & (LAYERS - 1)
  const p = j >>> 8
  if (p < K[i]) return p * W[i]
  return exponentialSlow(rng, i, p)
}

/** The rare draws: the tail beyond R, or a point near a layer's edge tested against e^-x. */
function exponentialSlow(rng: Uint32Source, i: number, p: number): number {
  for (;;) {
    // Uniform in (0, 1): the tail is R plus an exponential (memorylessness).
    if (i === 0) return R - Math.log((rng.nextUint32() + 0.5) / 4294967296)
    const x = p * W[i]
    if (F[i] + ((rng.nextUint32() + 0.5) / 4294967296) * (F[i - 1] - F[i]) < Math.exp(-x)) return x
    const j = rng.nextUint32()
    i = j & (LAYERS - 1)
    p = j >>> 8
    if (p < K[i]) return p * W[i]
  }
}
