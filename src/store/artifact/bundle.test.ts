import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BundleError, DataError } from '../../errors.js'
import { getLearner, modelFromState, parseLearnerParams, type Model } from '../../learners/index.js'
import { syntheticFrame } from '../../learners/testing/conformance.js'
import { prepareTrainingData } from '../../learners/training-data.js'
import { inspectBundle, loadBundle, saveBundle, type BundleInput } from './bundle.js'
import { readArtifact, writeArtifact } from './file.js'
import { MANIFEST_FILE } from '../../runtime/bundle/manifest.js'

let dir: string
let models: { name: string; model: Model; params: Record<string, unknown> }[]
const { frame, y } = syntheticFrame(200, 'regression')

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'artifact-bundle-'))
  const data = prepareTrainingData(frame)
  const members: [string, string, Record<string, unknown>][] = [
    ['xgb', 'gbdt', { num_round: 20, max_depth: 3 }],
    ['cat', 'oblivious', { iterations: 20, depth: 3 }],
    ['ridge', 'linear', {}],
  ]
  models = await Promise.all(
    members.map(async ([name, kind, raw]) => {
      const spec = getLearner(kind)
      const params = parseLearnerParams(spec, raw)
      const model = await spec.fit(data, y, params, { task: 'regression', nClasses: 1, seed: 7, threads: 1 })
      return { name, model, params }
    }),
  )
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function bundle(): BundleInput {
  return {
    manifest: {
      task: 'regression',
      features: frame.schema.fields.map((f) => ({ name: f.name, type: f.type, ...(f.categories ? { categories: [...f.categories] } : {}) })),
      blender: { kind: 'weighted', params: { method: 'nnls' } },
      metrics: { 'cv:rmse': 1.25, 'cv:rmse:xgb': 1.5, 'cv:r2': NaN },
      provenance: { dataFingerprint: 'sha256:abc', spec: { name: 'test', cv: { folds: 5 } }, timings: { fit: 0.5 } },
      createdAt: '2025-01-01T00:00:00.000Z',
    },
    members: models.map((m) => ({ name: m.name, state: m.model.toState(), params: m.params })),
    blenderState: { weights: Float64Array.of(0.5, 0.25, 0.25), intercept: -0 },
  }
}

const bits = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength)

async function expectError(promise: Promise<unknown>, Kind: typeof DataError, pattern: RegExp, code?: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(Kind)
  expect((error as Error).message).toMatch(pattern)
  if (code !== undefined) expect((error as DataError).code).toBe(code)
}
const expectDataError = (promise: Promise<unknown>, pattern: RegExp, code?: string) => expectError(promise, DataError, pattern, code)
const expectBundleError = (promise: Promise<unknown>, pattern: RegExp, code?: string) => expectError(promise, BundleError, pattern, code)

describe('model bundle', () => {
  it('round-trips real models: predictions equal bit for bit', async () => {
    const path = join(dir, 'model.tar.gz')
    const saved = await saveBundle(path, bundle())
    const loaded = await loadBundle(path)
    expect(loaded.manifest).toEqual(saved)
    expect(loaded.manifest.members.map((m) => [m.name, m.kind])).toEqual([['xgb', 'gbdt'], ['cat', 'oblivious'], ['ridge', 'linear']])
    expect(loaded.manifest.metrics['cv:r2']).toBeNull()
    expect(loaded.manifest.libraryVersion).toMatch(/^\d+\.\d+\.\d+/)
    loaded.members.forEach((m, i) => {
      expect(m.name).toBe(models[i].name)
      expect(bits(modelFromState(m.state).predict(frame)).equals(bits(models[i].model.predict(frame)))).toBe(true)
    })
    const blender = loaded.blenderState as { weights: Float64Array; intercept: number }
    expect([...blender.weights]).toEqual([0.5, 0.25, 0.25])
    expect(Object.is(blender.intercept, -0)).toBe(true)
    expect(await inspectBundle(path)).toEqual(saved)
  })

  it('refuses an artifact with any one byte flipped', async () => {
    const path = join(dir, 'flip-source.tar.gz')
    await saveBundle(path, bundle())
    const good = await readFile(path)
    const target = join(dir, 'flipped.tar.gz')
    let accepted = 0
    // Every header and trailer byte, and a spread of positions through the compressed body.
    const positions = new Set<number>()
    for (let i = 0; i < 64; i++) positions.add(i)
    for (let i = good.length - 16; i < good.length; i++) positions.add(i)
    for (let i = 0; i < 300; i++) positions.add(Math.floor((i * good.length) / 300))
    for (const i of positions) {
      const bad = Buffer.from(good)
      bad[i] ^= 1 << (i % 8)
      await writeFile(target, bad)
      const ok = await loadBundle(target).then(
        () => true,
        (e: unknown) => {
          expect(e).toBeInstanceOf(BundleError)
          return false
        },
      )
      if (ok) accepted++
    }
    expect(accepted).toBe(0)
  })

  it('refuses a bundle that is not there, or a folder, naming the file', async () => {
    await expectDataError(loadBundle(join(dir, 'nowhere.tar.gz')), /nowhere\.tar\.gz: cannot read file: no such file/, 'not_found')
    await expectDataError(loadBundle(dir), /not a regular file/, 'invalid_input')
  })

  it('refuses a hash mismatch, a missing file and an extra file', async () => {
    const path = join(dir, 'tamper.tar.gz')
    await saveBundle(path, bundle())
    const files = await readArtifact(path)
    const manifest = files.find((f) => f.name === MANIFEST_FILE)!
    const member = files.find((f) => f.name.startsWith('members/'))!
    const changed = Buffer.from(member.data)
    changed[changed.length - 1] ^= 1
    const rewrite = async (list: typeof files) => {
      const p = join(dir, `tampered-${Math.random().toString(36).slice(2)}.tar.gz`)
      await writeArtifact(p, list)
      return p
    }
    await expectBundleError(loadBundle(await rewrite(files.map((f) => (f === member ? { name: f.name, data: changed } : f)))), /sha256 mismatch/)
    await expectBundleError(loadBundle(await rewrite(files.filter((f) => f !== member))), /missing file/)
    await expectBundleError(loadBundle(await rewrite([...files, { name: 'extra.js', data: Buffer.from('process.exit(1)') }])), /unexpected file 'extra\.js'/)
    await expectBundleError(loadBundle(await rewrite(files.filter((f) => f !== manifest))), /missing manifest\.json/)
    const forged = JSON.parse(Buffer.from(manifest.data).toString('utf8')) as { formatVersion: number }
    forged.formatVersion = 99
    await expectBundleError(loadBundle(await rewrite(files.map((f) => (f === manifest ? { name: f.name, data: Buffer.from(JSON.stringify(forged)) } : f)))), /bundle format version 99 was written by consort .* and is newer than this version of consort reads \(1\); upgrade consort/, 'unsupported_bundle_version')
  })

  it('an aborted write at any step leaves the target as it was and no temp file', async () => {
    const path = join(dir, 'abort', 'model.tar.gz')
    await rm(join(dir, 'abort'), { recursive: true, force: true })
    await import('node:fs/promises').then((fs) => fs.mkdir(join(dir, 'abort')))
    const big = (seed: number): BundleInput => ({ ...bundle(), members: [{ name: 'blob', state: { kind: 'blob', version: seed, data: randomBytes(3 * 1024 * 1024, seed) } as never }] })
    let previous: Buffer | undefined
    for (let round = 0; round < 2; round++) {
      let completed = false
      for (let k = 0; !completed; k++) {
        const controller = new AbortController()
        let checks = 0
        Object.defineProperty(controller.signal, 'aborted', { get: () => checks++ >= k })
        completed = await saveBundle(path, big(round), { signal: controller.signal }).then(
          () => true,
          () => false,
        )
        const names = await readdir(join(dir, 'abort'))
        expect(names).toEqual(completed || previous ? ['model.tar.gz'] : [])
        if (!completed && previous) expect((await readFile(path)).equals(previous)).toBe(true)
      }
      previous = await readFile(path)
      expect((await loadBundle(path)).members[0].state.version).toBe(round)
    }
  })

  it('killing the writing process at random points never leaves a partial artifact', async () => {
    // The child imports only the file layer, so it starts fast; the parent checks with loadBundle.
    const fileUrl = pathToFileURL(fileURLToPath(new URL('./file.js', import.meta.url)).replace(/\.js$/, '.ts')).href
    const source = join(dir, 'kill-source.tar.gz')
    const state = { kind: 'blob', version: 1, data: randomBytes(4 * 1024 * 1024, 9) }
    await saveBundle(source, { ...bundle(), members: [{ name: 'blob', state: state as never }] })
    const expected = await readFile(source)
    const child = (target: string) => `
      import { readArtifact, writeArtifact } from ${JSON.stringify(fileUrl)}
      const files = await readArtifact(${JSON.stringify(source)})
      process.stdout.write('ready\\n')
      for (;;) await writeArtifact(${JSON.stringify(target)}, files)
    `
    const runOnce = async (i: number): Promise<void> => {
      const folder = join(dir, `kill-${i}`)
      await import('node:fs/promises').then((fs) => fs.mkdir(folder))
      const target = join(folder, 'model.tar.gz')
      const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child(target)], { stdio: ['ignore', 'pipe', 'inherit'] })
      await new Promise<void>((resolve, reject) => {
        proc.stdout.once('data', () => resolve())
        proc.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)))
      })
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400)))
      const exited = new Promise((r) => proc.once('exit', r))
      proc.kill('SIGKILL')
      await exited
      const names = await readdir(folder)
      if (names.includes('model.tar.gz')) {
        expect((await readFile(target)).equals(expected)).toBe(true)
        expect((await loadBundle(target)).members[0].state.kind).toBe('blob')
      }
    }
    const ids = Array.from({ length: 20 }, (_, i) => i)
    for (let batch = 0; batch < ids.length; batch += 10) await Promise.all(ids.slice(batch, batch + 10).map(runOnce))
  }, 30_000)

  it('refuses duplicate member names when saving', async () => {
    const b = bundle()
    await expect(saveBundle(join(dir, 'dup.tar.gz'), { ...b, members: [b.members[0], b.members[0]] })).rejects.toThrow(/duplicate member name/)
  })
})

function randomBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let s = seed + 1
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0
    out[i] = s >>> 24
  }
  return out
}
