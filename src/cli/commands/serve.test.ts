import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
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
