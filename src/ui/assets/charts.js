// Charts: uPlot for lines and scatters, small SVG views for parallel coordinates and bars.
// Every chart records what it plotted in window.consortCharts[id], so tests and users can check it.
import uPlot from './vendor/uPlot.esm.js'
import { el, num } from './common.js'

window.consortCharts = window.consortCharts ?? {}

const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim()
const palette = () => ['--s1', '--s2', '--s3', '--s4', '--s5', '--s6'].map(css)

function axes(xLabel, yLabel) {
  const stroke = css('--fg')
  const grid = { stroke: css('--line'), width: 1 }
  return [
    { label: xLabel, stroke, grid, ticks: grid },
    { label: yLabel, stroke, grid, ticks: grid, size: 60 },
  ]
}

/** Whole-number steps for an axis whose values are all integers (trial numbers, depths). */
const INTEGER_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]

function width(container) {
  return Math.max(280, container.clientWidth || 480)
}

/**
 * A line chart. x: numbers (seconds since epoch when time is true); series: [{ label, values, points? }].
 */
export function lineChart(container, { id, x, series, xLabel, yLabel, time = false, height = 240 }) {
  container.replaceChildren()
  const colors = palette()
  const opts = {
    width: width(container),
    height,
    scales: { x: { time } },
    axes: axes(xLabel, yLabel),
    series: [{ label: xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: colors[i % colors.length], width: 2, points: { show: s.points ?? true, size: 6 }, spanGaps: true }))],
  }
  if (!time && x.every(Number.isInteger)) opts.axes[0].incrs = INTEGER_STEPS
  const data = [x, ...series.map((s) => s.values)]
  const chart = new uPlot(opts, data, container)
  window.consortCharts[id] = { kind: 'line', data, chart }
  container.dataset.points = String(x.length)
  return chart
}

/** A scatter of (x, y) points; categorical x values are placed at their index, labelled on the axis. */
export function scatterChart(container, { id, points, xLabel, yLabel, height = 220 }) {
  container.replaceChildren()
  const categorical = points.some((p) => typeof p.x !== 'number')
  const cats = categorical ? [...new Set(points.map((p) => String(p.x)))].sort() : []
  const xs = points.map((p) => (categorical ? cats.indexOf(String(p.x)) : p.x))
  // uPlot draws x in ascending order: sort the pairs, keep them paired.
  const order = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b])
  const data = [order.map((i) => xs[i]), order.map((i) => points[i].y)]
  const color = palette()[0]
  const a = axes(xLabel, yLabel)
  if (categorical) a[0].values = (_, ticks) => ticks.map((t) => cats[t] ?? '')
  if (xs.every(Number.isInteger)) a[0].incrs = INTEGER_STEPS
  const chart = new uPlot(
    {
      width: width(container),
      height,
      mode: 1,
      scales: { x: { time: false, range: (_, min, max) => (min === max ? [min - 1, max + 1] : [min - (max - min) * 0.05, max + (max - min) * 0.05]) } },
      axes: a,
      series: [{ label: xLabel }, { label: yLabel, stroke: color, fill: color, paths: () => null, points: { show: true, size: 9, fill: color } }],
      cursor: { drag: { x: false, y: false } },
    },
    data,
    container,
  )
  window.consortCharts[id] = { kind: 'scatter', data, chart }
  container.dataset.points = String(points.length)
  return chart
}

const SVG = 'http://www.w3.org/2000/svg'
function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG, tag)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
  return node
}

/**
 * Parallel coordinates: one vertical axis per dimension, one line per row, coloured from best
 * (first palette colour) to worst objective. dims: [{ key, label }], rows: [{ values: {key: v}, objective, label }].
 */
export function parallelCoordinates(container, { id, dims, rows, minimize = true, height = 260 }) {
  container.replaceChildren()
  const w = width(container)
  const pad = { l: 40, r: 40, t: 24, b: 24 }
  const root = svg('svg', { width: w, height, viewBox: `0 0 ${w} ${height}`, role: 'img', 'aria-label': `parallel coordinates of ${rows.length} trials over ${dims.map((d) => d.label).join(', ')}` })
  const xAt = (i) => pad.l + (dims.length === 1 ? 0 : (i * (w - pad.l - pad.r)) / (dims.length - 1))
  const scales = dims.map((d) => {
    const vals = rows.map((r) => r.values[d.key]).filter((v) => v !== null && v !== undefined)
    if (vals.some((v) => typeof v !== 'number')) {
      const cats = [...new Set(vals.map(String))].sort()
      return { at: (v) => (cats.length === 1 ? 0.5 : cats.indexOf(String(v)) / (cats.length - 1)), lo: cats[0], hi: cats.at(-1) }
    }
    const lo = Math.min(...vals)
    const hi = Math.max(...vals)
    return { at: (v) => (hi === lo ? 0.5 : (v - lo) / (hi - lo)), lo: num(lo), hi: num(hi) }
  })
  const yAt = (s, v) => height - pad.b - s.at(v) * (height - pad.t - pad.b)
  dims.forEach((d, i) => {
    root.append(svg('line', { class: 'axis', x1: xAt(i), x2: xAt(i), y1: pad.t, y2: height - pad.b }))
    const label = svg('text', { x: xAt(i), y: 14, 'text-anchor': 'middle' })
    label.textContent = d.label
    const lo = svg('text', { x: xAt(i) + 4, y: height - pad.b + 14 })
    lo.textContent = scales[i].lo
    const hi = svg('text', { x: xAt(i) + 4, y: pad.t + 10 })
    hi.textContent = scales[i].hi
    root.append(label, lo, hi)
  })
  const objs = rows.map((r) => r.objective).filter((v) => typeof v === 'number')
  const best = minimize ? Math.min(...objs) : Math.max(...objs)
  const worst = minimize ? Math.max(...objs) : Math.min(...objs)
  const [good, bad] = [palette()[0], palette()[1]]
  for (const r of rows) {
    const pts = dims.map((d, i) => (r.values[d.key] === null || r.values[d.key] === undefined ? null : `${xAt(i)},${yAt(scales[i], r.values[d.key])}`))
    if (pts.includes(null)) continue
    const t = best === worst ? 0 : (r.objective - best) / (worst - best)
    const line = svg('polyline', { points: pts.join(' '), fill: 'none', stroke: t < 0.5 ? good : bad, 'stroke-width': 2, 'stroke-opacity': 1 - t * 0.6 })
    const title = svg('title')
    title.textContent = r.label
    line.append(title)
    root.append(line)
  }
  container.append(root)
  window.consortCharts[id] = { kind: 'parallel', lines: root.querySelectorAll('polyline').length }
  container.dataset.points = String(root.querySelectorAll('polyline').length)
}

/** Horizontal bars of shares or values: items [{ label, value }], largest first as given. */
export function bars(container, { id, items, format = (v) => num(v, 3) }) {
  container.replaceChildren()
  const max = Math.max(...items.map((i) => Math.abs(i.value)), 1e-300)
  const grid = el('div', { class: 'bars', role: 'list' })
  for (const item of items) {
    grid.append(
      el('span', { role: 'listitem' }, item.label),
      el('div', { 'aria-hidden': 'true' }, el('div', { class: 'bar', style: `width: ${(100 * Math.abs(item.value)) / max}%` })),
      el('span', { class: 'num' }, format(item.value)),
    )
  }
  container.append(grid)
  window.consortCharts[id] = { kind: 'bars', items }
  container.dataset.points = String(items.length)
}
