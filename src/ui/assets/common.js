// Shared by every page: the header, the theme, API calls, small DOM and number helpers, sortable tables.

/** Fetches JSON from the dashboard's API; throws the API's message on an error status. */
export async function api(path, init) {
  const res = await fetch(path, init)
  const body = await res.json().catch(() => ({}))
  if (!res.ok) throw new Error(body.message ?? `${res.status} ${res.statusText}`)
  return body
}

/** Creates an element with attributes and children (strings become text, never HTML). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v)
    else node.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c))
  return node
}

/** A number for reading: 4 significant digits, or '—'. */
export function num(v, digits = 4) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—'
  if (typeof v !== 'number') return String(v)
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v)
  return Number(v.toPrecision(digits)).toString()
}

export function seconds(v) {
  if (v === null || v === undefined) return '—'
  return v < 60 ? `${num(v, 3)} s` : `${Math.floor(v / 60)} min ${Math.round(v % 60)} s`
}

export function bytes(v) {
  if (v === null || v === undefined) return '—'
  const units = ['B', 'KB', 'MB', 'GB']
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${num(v, 3)} ${units[i]}`
}

export function statusBadge(status) {
  return el('span', { class: `status-${status}` }, status)
}

export const query = new URLSearchParams(location.search)

/** One value card of a row of cards. */
export function card(label, value) {
  return el('div', { class: 'card' }, el('div', { class: 'label' }, label), el('div', { class: 'value' }, value))
}

/**
 * A table whose columns sort when their header button is pressed (Enter or Space from the keyboard).
 * columns: [{ key, label, num?, value?(row), render?(row) }]
 */
export function sortableTable(columns, rows, { id, rowClass } = {}) {
  let sortKey = null
  let dir = 1
  const tbody = el('tbody')
  const heads = columns.map((c) => {
    const th = el('th', { scope: 'col', class: c.num ? 'num' : undefined, 'aria-sort': 'none' })
    th.append(el('button', { type: 'button', onclick: () => sortBy(c, th) }, c.label))
    return th
  })
  const value = (c, r) => (c.value ? c.value(r) : r[c.key])
  function draw() {
    const sorted = [...rows]
    if (sortKey) {
      const c = columns.find((x) => x.key === sortKey)
      sorted.sort((a, b) => {
        const x = value(c, a)
        const y = value(c, b)
        if (x === y) return 0
        if (x === null || x === undefined) return 1
        if (y === null || y === undefined) return -1
        return (x < y ? -1 : 1) * dir
      })
    }
    tbody.replaceChildren(
      ...sorted.map((r) => el('tr', { class: rowClass?.(r) }, ...columns.map((c) => el('td', { class: c.num ? 'num' : undefined }, c.render ? c.render(r) : c.num ? num(value(c, r)) : (value(c, r) ?? '—'))))),
    )
  }
  function sortBy(c, th) {
    dir = sortKey === c.key ? -dir : 1
    sortKey = c.key
    for (const h of heads) h.setAttribute('aria-sort', 'none')
    th.setAttribute('aria-sort', dir === 1 ? 'ascending' : 'descending')
    draw()
  }
  draw()
  const table = el('table', { id }, el('thead', {}, el('tr', {}, heads)), tbody)
  table.update = (next) => {
    rows = next
    draw()
  }
  return el('div', { class: 'scroll' }, table)
}

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme
}

/** The saved theme, else the system's. */
export function currentTheme() {
  return document.documentElement.dataset.theme
}

/** Builds the header (brand, navigation, theme switch) and marks the current page. */
export function pageChrome(current) {
  applyTheme(localStorage.getItem('consort-theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'))
  const link = (href, label, key) => el('a', { href, 'aria-current': key === current ? 'page' : undefined }, label)
  const toggle = el('button', { type: 'button', id: 'theme', 'aria-label': 'switch light or dark theme' }, currentTheme() === 'dark' ? 'Light theme' : 'Dark theme')
  toggle.addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark'
    localStorage.setItem('consort-theme', next)
    applyTheme(next)
    toggle.textContent = next === 'dark' ? 'Light theme' : 'Dark theme'
    window.dispatchEvent(new Event('consort:theme'))
  })
  const header = el(
    'header',
    {},
    el('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    el('a', { class: 'brand', href: '/ui/' }, 'consort'),
    el('nav', { 'aria-label': 'pages' }, link('/ui/', 'Jobs', 'jobs'), link('/ui/endpoints.html', 'Endpoints', 'endpoints'), link('/ui/compare.html', 'Compare', 'compare')),
    el('span', { class: 'spacer' }),
    toggle,
  )
  document.body.prepend(header)
}

/** Shows an error in the page's main area. */
export function showError(err) {
  document.getElementById('main').append(el('p', { class: 'error', role: 'alert' }, String(err.message ?? err)))
}
