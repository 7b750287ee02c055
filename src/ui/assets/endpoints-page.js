// Endpoints: status (loaded, cold starts, concurrency in use), invocations and p50/p99 latency
// over time from the stored usage samples, and a form that sends a CSV row or a JSON record and
// shows the blended and per-member predictions.
import { lineChart } from './charts.js'
import { api, card, el, num, pageChrome, query, showError, sortableTable } from './common.js'

pageChrome('endpoints')
const main = document.getElementById('main')

function statusCards(e) {
  const s = e.status
  return el('div', { class: 'cards', id: 'endpoint-status' },
    card('Model', s.loaded ? 'loaded' : 'not loaded'),
    card('Cold starts', String(s.cold_starts)),
    card('Concurrency in use', `${s.in_flight} of ${e.max_concurrency}`),
    card('Invocations', String(s.invocations)),
    card('Errors', String(s.errors)),
    card('Throttled', String(s.throttled)),
    card('p50', s.p50_ms === null ? '—' : `${num(s.p50_ms, 3)} ms`),
    card('p99', s.p99_ms === null ? '—' : `${num(s.p99_ms, 3)} ms`),
  )
}

function charts(samples, holders) {
  const x = samples.map((s) => Date.parse(s.at) / 1000)
  lineChart(holders.invocations, { id: 'invocations', x, series: [{ label: 'invocations', values: samples.map((s) => s.invocations) }, { label: 'errors', values: samples.map((s) => s.errors) }], xLabel: 'time', yLabel: 'per sample', time: true })
  lineChart(holders.latency, { id: 'latency', x, series: [{ label: 'p50 ms', values: samples.map((s) => s.p50_ms) }, { label: 'p99 ms', values: samples.map((s) => s.p99_ms) }], xLabel: 'time', yLabel: 'ms', time: true })
}

function predictForm(name, info) {
  const format = el('select', { id: 'predict-format', 'aria-label': 'input format' }, el('option', { value: 'text/csv' }, 'CSV row'), el('option', { value: 'application/json' }, 'JSON record'))
  const input = el('textarea', { id: 'predict-input', 'aria-label': 'input row', placeholder: 'a CSV row (features in the model’s order) or a JSON record {"feature": value}' })
  const out = el('div', { id: 'predict-output', 'aria-live': 'polite' })
  const form = el('form', { class: 'predict', id: 'predict-form' }, el('label', {}, 'Format ', format), input, el('div', {}, el('button', { type: 'submit', class: 'primary', disabled: !info.predictions }, 'Predict')), out)
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    out.replaceChildren()
    try {
      const json = format.value === 'application/json'
      // A single JSON record is sent as records, the form the invocation contract reads.
      const body = json ? JSON.stringify([].concat(JSON.parse(input.value))) : input.value
      const res = await api(`/api/endpoints/${encodeURIComponent(name)}/invocations`, { method: 'POST', headers: { 'content-type': format.value, accept: 'application/json' }, body })
      const rows = [['blend', res.predictions], ...Object.entries(res.members ?? {})]
      out.append(el('table', { id: 'predictions' },
        el('thead', {}, el('tr', {}, el('th', {}, 'Model'), el('th', { class: 'num' }, 'Prediction'))),
        el('tbody', {}, ...rows.map(([model, values]) => el('tr', { 'data-model': model }, el('th', { scope: 'row' }, model), el('td', { class: 'num', 'data-value': JSON.stringify(values) }, values.map((v) => (typeof v === 'number' ? num(v, 6) : JSON.stringify(v))).join(', ')))))))
    } catch (err) {
      out.append(el('p', { class: 'error', role: 'alert' }, err.message))
    }
  })
  if (!info.predictions) out.append(el('p', { class: 'muted' }, 'Predictions need the endpoints served: run consort ui or consort serve --endpoints.'))
  return form
}

function deleteForm(name) {
  const token = el('input', { type: 'password', id: 'token', 'aria-label': 'management token', placeholder: 'management token' })
  const msg = el('span', { role: 'status' })
  const form = el('form', {}, token, ' ', el('button', { type: 'submit', class: 'danger' }, `Delete endpoint ${name}`), ' ', msg)
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!confirm(`Delete endpoint ${name}?`)) return
    try {
      await api(`/api/endpoints/${encodeURIComponent(name)}`, { method: 'DELETE', headers: { authorization: `Bearer ${token.value}` } })
      location.href = '/ui/endpoints.html'
    } catch (err) {
      msg.textContent = err.message
      msg.className = 'error'
    }
  })
  return form
}

try {
  const [{ endpoints }, info] = await Promise.all([api('/api/endpoints'), api('/api/info')])
  const name = query.get('name') ?? endpoints[0]?.name
  main.append(
    endpoints.length === 0
      ? el('p', {}, 'No endpoints: create one with consort endpoints create.')
      : sortableTable(
          [
            { key: 'name', label: 'Endpoint', render: (e) => el('a', { href: `/ui/endpoints.html?name=${encodeURIComponent(e.name)}` }, e.name) },
            { key: 'model', label: 'Model' },
            { key: 'loaded', label: 'Loaded', value: (e) => e.status.loaded, render: (e) => (e.status.loaded ? 'yes' : 'no') },
            { key: 'cold', label: 'Cold starts', num: true, value: (e) => e.status.cold_starts },
            { key: 'inflight', label: 'In use', num: true, value: (e) => e.status.in_flight, render: (e) => `${e.status.in_flight} / ${e.max_concurrency}` },
            { key: 'inv', label: 'Invocations', num: true, value: (e) => e.status.invocations },
            { key: 'p50', label: 'p50 ms', num: true, value: (e) => e.status.p50_ms },
            { key: 'p99', label: 'p99 ms', num: true, value: (e) => e.status.p99_ms },
          ],
          endpoints,
          { id: 'endpoints' },
        ),
  )
  const e = endpoints.find((x) => x.name === name)
  if (e) {
    const { samples } = await api(`/api/endpoints/${encodeURIComponent(e.name)}/usage`)
    const holders = { invocations: el('div', { class: 'chart', id: 'invocations-chart' }), latency: el('div', { class: 'chart', id: 'latency-chart' }) }
    main.append(
      el('h2', {}, `Endpoint ${e.name}`),
      el('p', { class: 'muted' }, `model ${e.model} · ${e.memory_size_mb} MB · idle timeout ${e.idle_timeout_s} s`),
      statusCards(e),
      el('div', { class: 'grid' },
        el('section', { class: 'panel' }, el('h2', {}, 'Invocations over time'), samples.length ? holders.invocations : el('p', { class: 'muted' }, 'No invocations recorded yet.')),
        el('section', { class: 'panel' }, el('h2', {}, 'Latency over time'), samples.length ? holders.latency : el('p', { class: 'muted' }, 'No invocations recorded yet.')),
        el('section', { class: 'panel' }, el('h2', {}, 'Try a prediction'), predictForm(e.name, info)),
      ),
      info.actions ? el('section', {}, el('h2', {}, 'Actions'), deleteForm(e.name)) : null,
    )
    const draw = () => samples.length && charts(samples, holders)
    draw()
    window.addEventListener('consort:theme', draw)
  }
} catch (err) {
  showError(err)
}
