// A tuning job: the optimisation history, each hyperparameter against the objective, parallel
// coordinates, parameter importance, the trial table (linked to each trial's job page), the
// member cache's hit rate and the ensemble selection against the best trial. Live while the job
// runs: status and new trials arrive by server-sent events.
import { bars, lineChart, parallelCoordinates, scatterChart } from './charts.js'
import { api, card, el, num, pageChrome, query, seconds, showError, sortableTable, statusBadge } from './common.js'

pageChrome('jobs')
const main = document.getElementById('main')
const id = query.get('id')
let detail = null
const trials = new Map()
let status = null
let counters = null

const sections = {
  cards: el('div', { class: 'cards', id: 'counters', 'aria-live': 'polite' }),
  history: el('div', { class: 'chart', id: 'history-chart' }),
  scatters: el('div', { class: 'grid', id: 'scatters' }),
  parallel: el('div', { id: 'parallel-chart' }),
  importance: el('div', { id: 'importance-chart' }),
  selection: el('div', { id: 'selection' }),
  table: el('div', { id: 'trial-table' }),
}

function paramNames() {
  const ranges = detail.tuning.ranges.map((r) => r.name)
  const seen = new Set([...trials.values()].flatMap((t) => Object.keys(t.params)))
  return [...ranges, ...[...seen].filter((p) => !ranges.includes(p)).sort()]
}

function render() {
  const t = detail.tuning
  const list = [...trials.values()].sort((a, b) => a.number - b.number)
  const scored = list.filter((x) => x.state === 'Completed' && x.value !== null)
  const minimize = t.objective.direction === 'minimize'
  const best = scored.length ? scored.reduce((a, b) => ((minimize ? b.value < a.value : b.value > a.value) ? b : a)) : null
  const c = counters ?? t.counters
  sections.cards.replaceChildren(
    card('Status', statusBadge(status ?? detail.job.status)),
    card('Trials', String(list.length)),
    ...['Completed', 'InProgress', 'Failed', 'Stopped'].map((k) => card(k, String(c[k] ?? 0))),
    card(`Best ${t.objective.metric}`, best ? num(best.value) : '—'),
    card('Member cache hit rate', t.cache_hit_rate === null ? '—' : `${(t.cache_hit_rate * 100).toFixed(0)}%`),
  )
  lineChart(sections.history, {
    id: 'history',
    x: scored.map((x) => x.number),
    series: [
      { label: t.objective.metric, values: scored.map((x) => x.value) },
      { label: 'best so far', values: scored.map((x) => x.best_so_far), points: false },
    ],
    xLabel: 'trial',
    yLabel: t.objective.metric,
  })
  // Every panel is placed before any chart measures its width: the grid's columns depend on how many there are.
  const holders = paramNames().map((p) => [p, el('div', { class: 'chart', id: `scatter-${p}` })])
  sections.scatters.replaceChildren(...holders.map(([p, holder]) => el('section', { class: 'panel' }, el('h3', {}, `${p} against ${t.objective.metric}`), holder)))
  for (const [p, holder] of holders) {
    scatterChart(holder, { id: `scatter-${p}`, points: scored.filter((x) => x.params[p] !== undefined).map((x) => ({ x: x.params[p], y: x.value })), xLabel: p, yLabel: t.objective.metric })
  }
  parallelCoordinates(sections.parallel, {
    id: 'parallel',
    dims: [...paramNames().map((p) => ({ key: p, label: p })), { key: '__objective', label: t.objective.metric }],
    rows: scored.map((x) => ({ values: { ...x.params, __objective: x.value }, objective: x.value, label: `trial ${x.number}: ${num(x.value)}` })),
    minimize,
  })
  const imp = detail.tuning.parameter_importance
  if (imp.length) bars(sections.importance, { id: 'importance', items: imp.map((r) => ({ label: r.param, value: r.share })), format: (v) => `${(v * 100).toFixed(0)}%` })
  else sections.importance.replaceChildren(el('p', { class: 'muted' }, 'Needs two or more completed trials.'))
  const sel = t.ensemble_selection
  sections.selection.replaceChildren(
    sel
      ? el('div', {},
          el('div', { class: 'cards' }, card('Selection objective', num(sel.objective)), card('Best trial objective', num(sel.bestTrialObjective)), card('Kept', sel.kept ? 'yes' : 'no: the best trial is better')),
          el('table', { id: 'selection-members' }, el('thead', {}, el('tr', {}, el('th', {}, 'Trial'), el('th', {}, 'Job'), el('th', { class: 'num' }, 'Weight'))),
            el('tbody', {}, ...sel.members.map((m) => el('tr', {}, el('td', {}, String(m.trial)), el('td', {}, el('a', { href: `/ui/job.html?id=${encodeURIComponent(m.job)}` }, m.job)), el('td', { class: 'num' }, num(m.weight)))))),
        )
      : el('p', { class: 'muted' }, 'No ensemble selection across trials (it needs two or more completed trials on the same folds).'),
  )
  const columns = [
    { key: 'number', label: 'Trial', num: true },
    { key: 'state', label: 'State', render: (x) => statusBadge(x.state) },
    { key: 'value', label: t.objective.metric, num: true },
    { key: 'best_so_far', label: 'Best so far', num: true },
    ...paramNames().map((p) => ({ key: `param:${p}`, label: p, num: true, value: (x) => x.params[p] ?? null })),
    { key: 'seconds', label: 'Time', num: true, render: (x) => seconds(x.seconds) },
    { key: 'training_job', label: 'Training job', render: (x) => (x.training_job ? el('a', { href: `/ui/job.html?id=${encodeURIComponent(x.training_job)}`, class: 'trial-link' }, x.training_job) : '—') },
  ]
  sections.table.replaceChildren(sortableTable(columns, list, { id: 'trials', rowClass: (x) => (best && x.number === best.number ? 'best' : undefined) }))
}

function listen() {
  const source = new EventSource(`/api/jobs/${encodeURIComponent(id)}/events`)
  source.addEventListener('status', (e) => {
    const s = JSON.parse(e.data)
    status = s.status
    counters = s.counters ?? counters
    render()
  })
  source.addEventListener('trial', (e) => {
    const trial = JSON.parse(e.data)
    trials.set(trial.number, trial)
    render()
  })
  source.addEventListener('end', async () => {
    source.close()
    // The finished job has its analysis (importance, selection, cache hit rate) in its record now.
    detail = await api(`/api/jobs/${encodeURIComponent(id)}`)
    for (const trial of detail.tuning.trials) trials.set(trial.number, trial)
    render()
    document.body.dataset.live = 'ended'
  })
}

try {
  if (!id) throw new Error('no job id: open this page from the jobs list')
  document.title = `consort · ${id}`
  main.querySelector('h1').textContent = `Tuning job ${id}`
  detail = await api(`/api/jobs/${encodeURIComponent(id)}`)
  for (const trial of detail.tuning.trials) trials.set(trial.number, trial)
  const panel = (title, body, note) => el('section', { class: 'panel' }, el('h2', {}, title), note ? el('p', { class: 'legend-note' }, note) : null, body)
  main.append(
    sections.cards,
    el('div', { class: 'grid' },
      panel('Optimisation history', sections.history),
      panel('Parallel coordinates', sections.parallel, 'One line per completed trial; the best trials in the first colour.'),
      panel('Parameter importance', sections.importance, 'Share of the objective’s variance each parameter explains on its own (first-order, binned), normalised to 100%.'),
      panel('Ensemble selection across trials', sections.selection),
    ),
    el('h2', {}, 'Each hyperparameter against the objective'),
    sections.scatters,
    el('h2', {}, 'Trials'),
    sections.table,
  )
  render()
  window.addEventListener('consort:theme', render)
  listen()
} catch (err) {
  showError(err)
}
