/**
 * Plain-text tables for the terminal: columns padded to their widest cell, numbers that are not
 * integers to six decimals, missing values as '-'.
 */

/** A table cell: what the stores hold. */
export type Cell = string | number | boolean | null

/**
 * The rows under their column names, one line each.
 * @example alignedTable(['a', 'bb'], [[1, 0.5]]) // 'a  bb\n1  0.500000\n'
 */
export function alignedTable(columns: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const text = (v: Cell): string => (v === null ? '-' : typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(6) : String(v))
  const cells = [columns, ...rows.map((r) => r.map(text))]
  const widths = columns.map((_, j) => Math.max(...cells.map((r) => r[j].length)))
  return cells.map((r) => r.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd() + '\n').join('')
}
