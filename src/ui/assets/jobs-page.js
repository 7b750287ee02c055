// The jobs list: training and tuning jobs with status, objective, duration and cost; pick two or more to compare.
import { api, bytes, el, num, pageChrome, seconds, showError, sortableTable, statusBadge } from './common.js'

pageChrome('jobs')
const main = document.getElementById('main')

/** The page of a job: a tuning job's own page, any other job's training page. */
export function jobHref(job) {
  return `/ui/${job.kind === 'tuning' ? 'tuning' : 'job'}.html?id=${encodeURIComponent(job.id)}`
}

try {
  const { jobs } = await api('/api/jobs')
  const picked = new Set()
  const compare = el('button', { type: 'button', class: 'primary', id: 'compare', disabled: true }, 'Compare selected')
  compare.addEventListener('click', () => (location.href = `/ui/compare.html?ids=${[...picked].map(encodeURIComponent).join(',')}`))
  const pick = (job) => {
    const box = el('input', { type: 'checkbox', 'aria-label': `select ${job.id} to compare` })
    box.addEventListener('change', () => {
      if (box.checked) picked.add(job.id)
      else picked.delete(job.id)
      compare.disabled = picked.size < 2
    })
    return box
  }
  const table = sortableTable(
    [
      { key: 'pick', label: 'Compare', render: pick, value: () => 0 },
      { key: 'id', label: 'Job', render: (j) => el('a', { href: jobHref(j) }, j.id) },
      { key: 'kind', label: 'Kind' },
      { key: 'status', label: 'Status', render: (j) => statusBadge(j.status) },
      { key: 'objective', label: 'Objective', num: true, value: (j) => j.objective?.value ?? null, render: (j) => (j.objective ? `${j.objective.metric} ${num(j.objective.value)}` : '—') },
      { key: 'duration_s', label: 'Duration', num: true, render: (j) => seconds(j.duration_s) },
      { key: 'cpu_seconds', label: 'CPU', num: true, render: (j) => seconds(j.cpu_seconds) },
      { key: 'data_reads', label: 'Data reads', num: true },
      { key: 'bytes_read', label: 'Read', num: true, render: (j) => bytes(j.bytes_read) },
      { key: 'created_at', label: 'Started', render: (j) => new Date(j.created_at).toLocaleString() },
    ],
    jobs,
    { id: 'jobs' },
  )
  main.append(
    jobs.length === 0 ? el('p', {}, 'No jobs yet: run consort train or consort tune in this folder.') : table,
    el('p', {}, compare, ' ', el('span', { class: 'muted' }, 'Pick two or more jobs to see their metrics and parameters side by side.')),
  )
} catch (err) {
  showError(err)
}
