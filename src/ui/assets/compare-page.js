// Jobs side by side: each one's metrics and parameters, one column per job, differences marked.
import { api, el, num, pageChrome, query, showError } from './common.js'

pageChrome('compare')
const main = document.getElementById('main')

function table(id, label, names, valueOf, jobs) {
  return el('div', { class: 'scroll' }, el('table', { id },
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, label), ...jobs.map((j) => el('th', { scope: 'col', class: 'num' }, el('a', { href: `/ui/${j.kind === 'tuning' ? 'tuning' : 'job'}.html?id=${encodeURIComponent(j.id)}` }, j.id))))),
    el('tbody', {}, ...names.map((n) => {
      const values = jobs.map((j) => valueOf(j, n))
      const differ = new Set(values.map((v) => JSON.stringify(v ?? null))).size > 1
      return el('tr', { class: differ ? 'differs' : undefined }, el('th', { scope: 'row' }, differ ? el('strong', {}, n) : n), ...values.map((v) => el('td', { class: 'num' }, v === undefined ? '—' : typeof v === 'number' ? num(v) : String(v))))
    })),
  ))
}

try {
  const ids = (query.get('ids') ?? '').split(',').filter(Boolean)
  if (ids.length < 2) {
    main.append(el('p', {}, 'Pick two or more jobs on the ', el('a', { href: '/ui/' }, 'jobs page'), ' to compare them.'))
  } else {
    const c = await api(`/api/compare?ids=${ids.map(encodeURIComponent).join(',')}`)
    main.append(
      el('p', { class: 'muted' }, 'Rows in bold differ between the jobs.'),
      table('compare-status', 'Job', ['kind', 'status', 'objective'], (j, n) => (n === 'objective' ? (j.objective ? `${j.objective.metric} ${num(j.objective.value)}` : undefined) : j[n]), c.jobs),
      el('h2', {}, 'Metrics'),
      table('compare-metrics', 'Metric', c.metric_names, (j, n) => j.metrics[n], c.jobs),
      el('h2', {}, 'Parameters'),
      table('compare-params', 'Parameter', c.param_names, (j, n) => j.params[n], c.jobs),
    )
  }
} catch (err) {
  showError(err)
}
