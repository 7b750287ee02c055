/**
 * Memory figures in MiB (2^20 bytes), the unit the peer scripts report `peak_rss_mb` in.
 */

/**
 * The process's peak resident set size so far, in MiB, rounded to 0.1 (all threads, so worker
 * threads' memory counts).
 * @example
 * peakRssMb() // 212.4
 */
export function peakRssMb(): number {
  return round1(process.resourceUsage().maxRSS / 1024)
}

/**
 * Bytes as MiB, rounded to 0.01.
 * @example
 * mib(8_000_000) // 7.63
 */
export function mib(bytes: number): number {
  return Math.round((bytes / 2 ** 20) * 100) / 100
}

function round1(x: number): number {
  return Math.round(x * 10) / 10
}
