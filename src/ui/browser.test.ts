/**
 * The dashboard end to end, in a real browser: headless Chromium (Debian's `chromium`, which
 * `.ci/run` installs) driven by playwright-core, against `consort ui` run from the sources over a
 * store with a real training job and tuning job. Screenshots go to test-output/dashboard/.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ROOT } from '../cli/testing/run.js'
import { CONSORT_FROM_SOURCES, DIABETES_FEATURES, DIABETES_ROW } from '../cli/testing/serving.js'
import { TrackingStore, type TrialRecord } from '../store/tracking/store.js'
import { runDashboardJobs, type DashboardFixture } from './testing/fixture.js'

const SHOTS = join(ROOT, 'test-output', 'dashboard')
let fx: DashboardFixture
let trials: TrialRecord[]
let ui: ChildProcess
let url: string
let browser: Browser
let page: Page
const pageErrors: string[] = []
const offMachine: string[] = []

/** The system browser: Debian's chromium. */
function chromiumPath(): string {
  return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim()
}

function startUi(cwd: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...CONSORT_FROM_SOURCES, 'ui', '--port', '0', '--json', '--token', 'T'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()))
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line !== undefined) resolve({ child, url: (JSON.parse(line) as { url: string }).url })
    })
    child.on('exit', (code) => reject(new Error(`consort ui exited ${code}: ${err}`)))
  })
}

beforeAll(async () => {
  fx = await runDashboardJobs()
  const store = TrackingStore.open(fx.tracking)
  trials = store.listTrials(fx.tuning.job)
  store.putEndpoint({ name: 'diabetes', model: fx.training.job, artifact: fx.training.artifact, memorySizeMb: 1024, maxConcurrency: 4, idleTimeoutS: 300 })
  // Usage an earlier serving process recorded, for the endpoint's charts.
  store.recordEndpointUsage(
    [0, 5, 10].map((s, i) => ({ endpoint: 'diabetes', at: new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString(), server: 'earlier', invocations: 4 + i, errors: 0, throttled: 0, coldStarts: i === 0 ? 1 : 0, loaded: true, inFlight: 0, maxConcurrency: 4, p50Ms: 1 + i, p99Ms: 3 + i })),
  )
  store.close()
  ;({ child: ui, url } = await startUi(fx.dir))
  browser = await chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] })
  page = await browser.newPage({ viewport: { width: 1366, height: 800 } })
  page.on('pageerror', (e) => pageErrors.push(e.message))
  page.on('request', (r) => {
    if (!r.url().startsWith(new URL(url).origin)) offMachine.push(r.url())
  })
  mkdirSync(SHOTS, { recursive: true })
}, 180_000)

afterAll(async () => {
  await browser?.close()
  ui?.kill('SIGTERM')
  if (fx) rmSync(fx.dir, { recursive: true, force: true })
})

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })
}

/** Whether the chart's canvas has drawn pixels (not all transparent). */
function canvasDrawn(selector: string): Promise<boolean> {
  // The project compiles without the DOM's types: the canvas is described by what is used of it.
  type Canvas = { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }
  return page.$eval(`${selector} canvas`, (c) => {
    const canvas = c as unknown as Canvas
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) return canvas.width > 0
    return false
  })
}

const chartData = (id: string): Promise<number[][]> => page.evaluate((key) => (globalThis as unknown as { consortCharts: Record<string, { data: number[][] }> }).consortCharts[key].data, id)

describe('the dashboard in a browser', () => {
  it('lists the jobs and opens the training job page with its charts', async () => {
    await page.goto(url)
    await page.waitForSelector('#jobs tbody tr')
    expect(await page.$$eval('#jobs tbody tr', (rows) => rows.length)).toBe(2)
    await shot('jobs')
    await page.click(`a[href*="job.html?id=${fx.training.job}"]`)
    await page.waitForSelector('#folds-chart canvas')
    expect(await canvasDrawn('#folds-chart')).toBe(true)
    const folds = await chartData('folds')
    const api = (await (await fetch(`${new URL(url).origin}/api/jobs/${fx.training.job}`)).json()) as { folds: Record<string, number[]> }
    expect(folds.slice(1)).toEqual(Object.values(api.folds))
    for (const m of ['xgb', 'cat', 'lin']) expect(Number(await page.getAttribute(`#importance-${m}`, 'data-points'))).toBeGreaterThan(0)
    expect(Number(await page.getAttribute('#blend-chart', 'data-points'))).toBe(3)
    expect(await page.textContent('#member-metrics')).toContain('ensemble')
    await shot('training-job')
  })

  it('draws the tuning job from the store’s trials and clicks through to a trial', async () => {
    await page.goto(`${new URL(url).origin}/ui/tuning.html?id=${fx.tuning.job}`)
    await page.waitForSelector('body[data-live="ended"]')
    expect(await canvasDrawn('#history-chart')).toBe(true)
    const history = await chartData('history')
    expect(history[0]).toEqual(trials.map((t) => t.number))
    expect(history[1]).toEqual(trials.map((t) => t.value))
    const eta = await chartData('scatter-eta')
    expect(eta[0]).toEqual(trials.map((t) => t.params.eta as number).sort((a, b) => a - b))
    expect(await canvasDrawn('#scatter-eta')).toBe(true)
    expect(await page.$$eval('#parallel-chart polyline', (l) => l.length)).toBe(trials.length)
    expect(await page.$$eval('#trials tbody tr', (r) => r.length)).toBe(trials.length)
    await shot('tuning-job')
    // Sort the trial table from the keyboard, then follow the best trial's link.
    await page.focus('#trials thead th:nth-child(3) button')
    await page.keyboard.press('Enter')
    const best = [...trials].sort((a, b) => a.value! - b.value!)[0]
    expect(await page.textContent('#trials tbody tr:first-child td:first-child')).toBe(String(best.number))
    await page.click('#trials tbody tr:first-child a.trial-link')
    await page.waitForSelector('#member-metrics')
    expect(page.url()).toContain(`job.html?id=${best.trainingJob}`)
    expect(await page.textContent('h1')).toContain(best.trainingJob!)
    await shot('trial')
  })

  it('sends a prediction from the endpoint form and gets what consort predict gives', async () => {
    await page.goto(`${new URL(url).origin}/ui/endpoints.html?name=diabetes`)
    await page.waitForSelector('#invocations-chart canvas')
    expect(await canvasDrawn('#latency-chart')).toBe(true)
    expect((await chartData('latency'))[1]).toEqual([1, 2, 3])
    await page.fill('#predict-input', DIABETES_ROW)
    await page.click('#predict-form button[type=submit]')
    await page.waitForSelector('#predictions')
    const shown = await page.$$eval('#predictions tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-model'), JSON.parse(r.querySelector('td')!.getAttribute('data-value')!)]))
    expect(shown.map(([m]) => m)).toEqual(['blend', 'xgb', 'cat', 'lin'])
    const input = join(fx.dir, 'row.csv')
    writeFileSync(input, `${DIABETES_FEATURES.join(',')}\n${DIABETES_ROW}\n`)
    const cli = execFileSync(process.execPath, [...CONSORT_FROM_SOURCES, 'predict', '--model', fx.training.artifact, '--input', input], { cwd: fx.dir, encoding: 'utf8' })
    const predicted = Number(cli.trim().split('\n').at(-1))
    expect((shown[0][1] as number[])[0]).toBeCloseTo(predicted, 9)
    await shot('endpoint')
  })

  it('compares two jobs, switches to the dark theme, and loads nothing from elsewhere', async () => {
    const trial = trials[0].trainingJob!
    await page.goto(`${new URL(url).origin}/ui/compare.html?ids=${fx.training.job},${trial}`)
    await page.waitForSelector('#compare-params')
    expect(await page.$$eval('#compare-metrics thead th', (h) => h.length)).toBe(3)
    expect(await page.textContent('#compare-params')).toContain('blend.method')
    await page.click('#theme')
    expect(await page.getAttribute('html', 'data-theme')).toBe('dark')
    await shot('compare-dark')
    await page.goto(`${new URL(url).origin}/ui/tuning.html?id=${fx.tuning.job}`)
    await page.waitForSelector('body[data-live="ended"]')
    await shot('tuning-job-dark')
    expect(pageErrors).toEqual([])
    expect(offMachine).toEqual([])
  })
})
