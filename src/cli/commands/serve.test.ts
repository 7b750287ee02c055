import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Run } from '../testing/run.js'
import { CONSORT_FROM_SOURCES, DIABETES_ROW, startServe, trainDiabetesModel } from '../testing/serving.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-serve-cli-'))
let modelA: string
let modelB: string

beforeAll(async () => {
  ;[modelA, modelB] = await Promise.all([trainDiabetesModel(dir, { rounds: 5, name: 'a' }), trainDiabetesModel(dir, { rounds: 30, name: 'b' })])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `consort ARGS...` from the sources in `cwd`. */
function consortIn(cwd: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...CONSORT_FROM_SOURCES, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c))
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const lastJson = (run: Run) => JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, unknown>

describe('consort serve', () => {
  it('serves one model as a real process, and drains a request in flight on SIGTERM before exiting 0', async () => {
    const t0 = performance.now()
    const server = await startServe(['--model', modelA])
    const res = await fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv', 'x-request-id': 'abc' }, body: DIABETES_ROW })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-request-id')).toBe('abc')
    const startMs = performance.now() - t0
    expect(startMs).toBeGreaterThan(0)
    // A client that has sent half its body when the server is told to stop.
    const socket = connect(new URL(server.url).port as unknown as number, '127.0.0.1')
    let reply = ''
    socket.setEncoding('utf8').on('data', (d: string) => (reply += d))
    await new Promise<void>((r) => socket.once('connect', () => r()))
    socket.write(`POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: text/csv\r\nContent-Length: ${DIABETES_ROW.length}\r\n\r\n${DIABETES_ROW.slice(0, 10)}`)
    await new Promise((r) => setTimeout(r, 100))
    server.child.kill('SIGTERM')
    await new Promise((r) => setTimeout(r, 200))
    socket.write(DIABETES_ROW.slice(10))
    expect(await server.exited).toBe(0)
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK/)
    expect(reply).toMatch(/connection: close/i)
    expect(reply).toMatch(/"predictions":\[/)
    const logs = server.stderr().trim().split('\n').map((l) => JSON.parse(l) as { msg: string })
    expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['cold start', 'listening', 'shutting down: draining requests in flight', 'drained and stopped']))
  })

  it('exits 2 for a model that is neither a file nor a job, or when there is no model to serve', async () => {
    const missing = await consortIn(dir, ['serve', '--model', 'no-such-model'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/'no-such-model' is neither a model file nor a job id/)
    const neither = await consortIn(dir, ['serve'], { SM_MODEL_DIR: join(dir, 'nothing') })
    expect(neither.code).toBe(2)
    expect(neither.stderr).toMatch(/give --model MODEL or --endpoints/)
  })
})

/** The pids of `pid`'s children (Linux). */
function childrenOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number)
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  for (const t0 = Date.now(); !check(); ) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('consort serve --workers', () => {
  it('serves from N processes on one port, sums their metrics, replaces a worker that dies, and drains them all on SIGTERM', async () => {
    const server = await startServe(['--model', modelA, '--workers', '2'])
    try {
      const primary = server.child.pid!
      await until(() => childrenOf(primary).length === 2)
      // Both workers serve once the summed metrics count both loaded models.
      for (let loaded = ''; !/^consort_models_loaded 2$/m.test(loaded); ) loaded = await (await fetch(`${server.url}/metrics`)).text()
      // Several keep-alive-less requests reach both workers (the primary hands connections round-robin).
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv', connection: 'close' }, body: DIABETES_ROW }).then((r) => r.text())),
      )
      expect(new Set(answers).size).toBe(1)
      const metrics = await (await fetch(`${server.url}/metrics`)).text()
      expect(metrics).toMatch(/^consort_invocations_total\{endpoint="model"\} 20$/m)
      expect(metrics).toMatch(/^consort_models_loaded 2$/m)
      // A worker killed outright is replaced, and the port keeps answering.
      const [victim] = childrenOf(primary)
      process.kill(victim, 'SIGKILL')
      await until(() => !childrenOf(primary).includes(victim) && childrenOf(primary).length === 2)
      expect((await fetch(`${server.url}/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: DIABETES_ROW })).status).toBe(200)
      const workers = childrenOf(primary)
      server.child.kill('SIGTERM')
      expect(await server.exited).toBe(0)
      expect(workers.filter(alive)).toEqual([])
    } finally {
      // Never leave a primary and its workers behind when an expectation fails.
      if (server.child.exitCode === null) server.child.kill('SIGTERM')
    }
    expect(server.stderr()).toMatch(/a worker exited \(SIGKILL\); starting another/)
  })

  it('exits 2 once for a model its workers cannot serve, and refuses --workers with --endpoints', async () => {
    const missing = await consortIn(dir, ['serve', '--model', 'no-such-model', '--workers', '2'])
    expect(missing.code).toBe(2)
    expect(missing.stderr.match(/is neither a model file nor a job id/g)).toHaveLength(1)
    const endpoints = await consortIn(dir, ['serve', '--endpoints', '--workers', '2'])
    expect(endpoints.code).toBe(2)
    expect(endpoints.stderr).toMatch(/--workers serves one model/)
    const badEnv = await consortIn(dir, ['serve', '--model', modelA], { SAGEMAKER_MODEL_SERVER_WORKERS: 'two' })
    expect(badEnv.code).toBe(2)
    expect(badEnv.stderr).toMatch(/SAGEMAKER_MODEL_SERVER_WORKERS must be a positive integer, got 'two'/)
  })
})

describe('consort endpoints', () => {
  it('creates, lists and describes endpoints in the tracking store, refusing bad settings with exit 2', async () => {
    const cwd = mkdtempSync(join(dir, 'store-'))
    const created = await consortIn(cwd, ['endpoints', 'create', 'churn', '--model', modelA, '--max-concurrency', '4', '--json'])
    expect(created.code, created.stderr).toBe(0)
    expect(lastJson(created)).toMatchObject({ name: 'churn', max_concurrency: 4, memory_size_mb: 2048, status: { loaded: false } })
    const again = await consortIn(cwd, ['endpoints', 'create', 'churn', '--model', modelA])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/exists already/)
    const tooBig = await consortIn(cwd, ['endpoints', 'create', 'big', '--model', modelA, '--memory-size-mb', '1024', '--max-concurrency', '150'])
    expect(tooBig.code).toBe(2)
    expect(tooBig.stderr).toMatch(/needs about \d+ MB/)
    const list = await consortIn(cwd, ['endpoints', 'list'])
    expect(list.stdout).toMatch(/^name\s+model\s+memory_mb/)
    expect(list.stdout).toMatch(/churn/)
    const described = await consortIn(cwd, ['endpoints', 'describe', 'churn'])
    expect(described.stdout).toMatch(/max_concurrency\s+4/)

    // A server started afterwards serves it; updates through --url swap the model at once.
    const server = await startServe(['--endpoints', '--token', 'T'], { cwd })
    const invoke = async () => (await fetch(`${server.url}/endpoints/churn/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: DIABETES_ROW })).text()
    const before = await invoke()
    // The dashboard beside the endpoints: its pages, and its prediction form's route with each member's prediction.
    expect((await fetch(`${server.url}/ui/`)).headers.get('content-type')).toMatch(/^text\/html/)
    const fromForm = (await (await fetch(`${server.url}/api/endpoints/churn/invocations`, { method: 'POST', headers: { 'content-type': 'text/csv', accept: 'application/json' }, body: DIABETES_ROW })).json()) as { predictions: number[]; members: Record<string, number[]> }
    expect(fromForm.predictions).toEqual((JSON.parse(before) as { predictions: number[] }).predictions)
    expect(Object.keys(fromForm.members).length).toBeGreaterThan(0)
    const noToken = await consortIn(cwd, ['endpoints', 'update', 'churn', '--model', modelB, '--url', server.url])
    expect(noToken.code).toBe(2)
    expect(noToken.stderr).toMatch(/Authorization: Bearer/)
    const updated = await consortIn(cwd, ['endpoints', 'update', 'churn', '--model', modelB, '--url', server.url, '--json'], { CONSORT_TOKEN: 'T' })
    expect(updated.code, updated.stderr).toBe(0)
    expect(lastJson(updated)).toMatchObject({ artifact: modelB, status: { loaded: true, source: modelB } })
    expect(await invoke()).not.toBe(before)
    const deleted = await consortIn(cwd, ['endpoints', 'delete', 'churn', '--url', server.url, '--token', 'T'])
    expect(deleted.code).toBe(0)
    expect((await fetch(`${server.url}/endpoints/churn/invocations`, { method: 'POST', body: DIABETES_ROW })).status).toBe(404)
    server.child.kill('SIGTERM')
    expect(await server.exited).toBe(0)
    const empty = await consortIn(cwd, ['endpoints', 'list', '--json'])
    expect(lastJson(empty)).toEqual({ endpoints: [] })
  })
})
