/**
 * Text output: markdown tables for the suite and aligned name/value lines for a single run.
 */

/**
 * A markdown table with columns padded to equal width, readable as plain text too.
 * @example
 * markdownTable(['a', 'b'], [['1', '22']])
 * // | a | b  |
 * // |---|----|
 * // | 1 | 22 |
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(3, h.length, ...rows.map((r) => (r[j] ?? '').length)))
  const line = (cells: readonly string[]): string => `| ${widths.map((w, j) => (cells[j] ?? '').padEnd(w)).join(' | ')} |`
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}

/**
 * One `name  value` line per field of a run's result, nested objects flattened to `a.b`, arrays
 * joined with commas; arrays of objects (per-fold details) are left to the JSON output.
 * @example
 * nameValueLines({ train_s: 1.2, mean: { rmse: 56.9 } })
 * // train_s    1.2
 * // mean.rmse  56.9
 */
export function nameValueLines(result: object): string {
  const pairs: [string, string][] = []
  const visit = (prefix: string, value: unknown): void => {
    if (Array.isArray(value)) {
      if (value.every((v) => typeof v !== 'object' || v === null)) pairs.push([prefix, value.map(String).join(', ')])
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(prefix === '' ? k : `${prefix}.${k}`, v)
    } else {
      pairs.push([prefix, String(value)])
    }
  }
  visit('', result)
  const width = Math.max(...pairs.map(([k]) => k.length))
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n')
}
