// A training job: status and cost, metrics per fold and per member against the ensemble, the
// blend, feature importance, the spec, a script's log and the resources.
import { bars, lineChart } from './charts.js'
import { api, bytes, card, el, num, pageChrome, query, seconds, showError, statusBadge } from './common.js'

pageChrome('jobs')
const main = document.getElementById('main')
const id = query.get('id')

function render(d) {
  const j = d.job
  const content = []
  content.push(
    el('div', { class: 'cards' },
      card('Status', statusBadge(j.status)),
      card('Objective', j.objective ? `${j.objective.metric} ${num(j.objective.value)}` : '—'),
      card('Duration', seconds(j.duration_s)),
      card('CPU', seconds(j.cpu_seconds)),
      card('Data reads', num(j.data_reads)),
      card('Read', bytes(j.bytes_read)),
    ),
  )
  if (j.parent_id) content.push(el('p', {}, 'A trial of tuning job ', el('a', { href: `/ui/tuning.html?id=${encodeURIComponent(j.parent_id)}` }, j.parent_id), '.'))
  if (j.failure_reason) content.push(el('p', { class: 'error' }, j.failure_reason))

  const grid = el('div', { class: 'grid' })
  const metricNames = Object.keys(d.member_metrics)
  if (metricNames.length > 0) {
    const names = [...new Set(metricNames.flatMap((m) => Object.keys(d.member_metrics[m])))].sort((a, b) => (a === 'ensemble' ? -1 : b === 'ensemble' ? 1 : 0))
    grid.append(
      el('section', { class: 'panel' }, el('h2', {}, 'Ensemble and members'),
        el('div', { class: 'scroll' }, el('table', { id: 'member-metrics' },
          el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, 'Metric'), ...names.map((n) => el('th', { scope: 'col', class: 'num' }, n)))),
          el('tbody', {}, ...metricNames.map((m) => el('tr', {}, el('th', { scope: 'row' }, m), ...names.map((n) => el('td', { class: 'num' }, num(d.member_metrics[m][n])))))),
        )),
      ),
    )
  }
  if (d.folds) {
    const chart = el('div', { class: 'chart', id: 'folds-chart' })
    grid.append(el('section', { class: 'panel' }, el('h2', {}, `${j.objective?.metric.split(':')[1] ?? 'metric'} per fold`), chart))
    const keys = Object.keys(d.folds)
    queueMicrotask(() => lineChart(chart, { id: 'folds', x: d.folds[keys[0]].map((_, i) => i + 1), series: keys.map((k) => ({ label: k, values: d.folds[k] })), xLabel: 'fold', yLabel: j.objective?.metric ?? '' }))
  }
  if (d.blender) {
    const holder = el('div', { id: 'blend-chart' })
    const b = d.blender
    const items = b.weights ? Object.entries(b.weights).map(([label, value]) => ({ label, value })) : (b.coefficients ?? []).map((c) => ({ label: c.input, value: c.value }))
    grid.append(el('section', { class: 'panel' }, el('h2', {}, b.weights ? `Blend weights (${b.kind})` : `Stack coefficients (${b.kind})`), items.length ? holder : el('p', { class: 'muted' }, `The ${b.kind} blender has no weights to show.`), b.intercept ? el('p', { class: 'muted' }, `intercept ${b.intercept.map((v) => num(v)).join(', ')}`) : null))
    queueMicrotask(() => items.length && bars(holder, { id: 'blend', items }))
  }
  for (const m of d.members ?? []) {
    if (!m.importance) continue
    const holder = el('div', { id: `importance-${m.name}` })
    grid.append(el('section', { class: 'panel' }, el('h2', {}, `Feature importance: ${m.name} (${m.kind})`), el('p', { class: 'legend-note' }, `measure: ${m.importance.measure.replace('_', ' ')}, as a share of the member's total`), holder))
    queueMicrotask(() => bars(holder, { id: `importance-${m.name}`, items: m.importance.values.map((v) => ({ label: v.feature, value: v.share })), format: (v) => `${(v * 100).toFixed(1)}%` }))
  }
  if (!d.members && j.kind === 'training' && j.status === 'Completed') grid.append(el('section', { class: 'panel' }, el('h2', {}, 'Model'), el('p', { class: 'muted' }, 'The model file is not kept (a tuning job keeps only its best trial’s model); metrics come from the tracking store.')))
  content.push(grid)
  content.push(el('h2', {}, 'Resources'), el('table', { id: 'resources' }, el('tbody', {}, ...Object.entries({ ...j.resources, ...Object.fromEntries(Object.entries(j.timings).map(([k, v]) => [`time: ${k} (s)`, v])) }).map(([k, v]) => el('tr', {}, el('th', { scope: 'row' }, k), el('td', { class: 'num' }, k.toLowerCase().includes('bytes') ? bytes(v) : num(v)))))))
  content.push(el('h2', {}, 'Spec'), el('pre', { id: 'spec' }, JSON.stringify(j.spec, null, 2)))
  if (d.log !== null) content.push(el('h2', {}, 'Log'), el('pre', { id: 'log' }, d.log))
  main.append(...content)
}

try {
  if (!id) throw new Error('no job id: open this page from the jobs list')
  document.title = `consort · ${id}`
  main.querySelector('h1').textContent = `Training job ${id}`
  const detail = await api(`/api/jobs/${encodeURIComponent(id)}`)
  render(detail)
  window.addEventListener('consort:theme', () => {
    main.replaceChildren(el('h1', {}, `Training job ${id}`))
    render(detail)
  })
} catch (err) {
  showError(err)
}
