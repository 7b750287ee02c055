/**
 * The natural log of the gamma function, for the Poisson likelihood's `log(y!) = lgamma(y + 1)`.
 */

// Lanczos approximation, g = 7, nine coefficients: relative error around 1e-15 for x > 0.
const G = 7
const COEFFICIENTS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
]
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI)

// ln((n - 1)!) for whole n in [1, 171]: counts are usually small integers, and this makes
// lgamma(1) = lgamma(2) = 0 exactly (the factorials are exact in float64 up to 22!).
const MAX_TABLE = 171
const LOG_FACTORIAL = new Float64Array(MAX_TABLE)
{
  let factorial = 1
  for (let n = 1; n < MAX_TABLE; n++) {
    factorial *= n
    LOG_FACTORIAL[n] = Math.log(factorial)
  }
}

/**
 * `ln |Γ(x)|` (a table of log-factorials for whole numbers up to 171, else the Lanczos
 * approximation with the reflection formula below 0.5). Infinity at 0 and the negative integers,
 * NaN for NaN.
 *
 * @example
 * lgamma(5)   // ln 24 = 3.1780...
 * lgamma(0.5) // ln sqrt(pi) = 0.5723...
 */
export function lgamma(x: number): number {
  if (Number.isInteger(x)) {
    if (x <= 0) return Infinity
    if (x <= MAX_TABLE) return LOG_FACTORIAL[x - 1]
  }
  if (Number.isNaN(x)) return NaN
  if (x === Infinity) return Infinity
  if (x < 0.5) {
    // Γ(x) Γ(1 - x) = π / sin(πx)
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x)
  }
  const z = x - 1
  let sum = COEFFICIENTS[0]
  for (let i = 1; i < G + 2; i++) sum += COEFFICIENTS[i] / (z + i)
  const t = z + G + 0.5
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}
