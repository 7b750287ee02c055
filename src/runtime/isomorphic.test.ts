/**
 * The runtime runs with web-standard globals only. Its modules are transpiled one by one and run
 * in a fresh V8 context (node:vm) whose globals are the web-standard ones a browser or an edge
 * runtime has (TextEncoder, DecompressionStream, Web Crypto...) and nothing of Node's: no
 * process, Buffer, require or global. Imports are resolved inside the runtime's own module graph
 * only, so a Node built-in or a package import fails the load, and any use of a Node global fails
 * the run. There, it reads a real bundle from bytes and predicts bit for bit what Node predicts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LoadedEnsemble } from '../ensemble/loaded.js'
import { trainTestModel, type TestModel } from '../jobs/testing/models.js'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const ENTRY = join(SRC, 'runtime', 'index.ts')

/** The globals of the context: web-standard APIs present in Node 20, browsers and edge runtimes alike. */
const WEB_GLOBALS = [
  'TextEncoder',
  'TextDecoder',
  'DecompressionStream',
  'CompressionStream',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'crypto',
  'structuredClone',
  'queueMicrotask',
  'setTimeout',
  'clearTimeout',
  'URL',
  'atob',
  'btoa',
  'console',
] as const

interface Loaded {
  readonly context: vm.Context
  readonly runtime: Record<string, unknown>
  /** Every source file the runtime loaded, relative to src/. */
  readonly files: readonly string[]
}

/** Loads src/runtime/index.ts and what it imports as CommonJS modules inside a web-only context. */
function loadRuntime(): Loaded {
  const context = vm.createContext(Object.fromEntries(WEB_GLOBALS.map((name) => [name, (globalThis as Record<string, unknown>)[name]])))
  const cache = new Map<string, { exports: Record<string, unknown> }>()
  const load = (file: string): Record<string, unknown> => {
    const cached = cache.get(file)
    if (cached) return cached.exports
    const module = { exports: {} as Record<string, unknown> }
    cache.set(file, module)
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, isolatedModules: true },
    })
    const wrapper = vm.runInContext(`(function (exports, require, module) {${outputText}\n})`, context, { filename: file }) as (e: object, r: (s: string) => object, m: object) => void
    const requireFrom = (specifier: string): object => {
      if (!specifier.startsWith('.')) throw new Error(`${relative(SRC, file)} imports '${specifier}', which a browser does not have`)
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts')
      if (!target.startsWith(SRC)) throw new Error(`${relative(SRC, file)} imports '${specifier}' from outside src/`)
      return load(target)
    }
    wrapper(module.exports, requireFrom, module)
    return module.exports
  }
  const runtime = load(ENTRY)
  return { context, runtime, files: [...cache.keys()].map((f) => relative(SRC, f)).sort() }
}

const dir = mkdtempSync(join(tmpdir(), 'consort-isomorphic-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let trained: TestModel
let loaded: Loaded

beforeAll(async () => {
  trained = await trainTestModel(dir, 'mixed')
  loaded = loadRuntime()
})

/** A copy of `bytes` made in the context's realm, as a browser's fetch would hand them over. */
function contextBytes(bytes: Uint8Array): Uint8Array {
  const copy = vm.runInContext('(n) => new Uint8Array(n)', loaded.context)(bytes.length) as Uint8Array
  copy.set(bytes)
  return copy
}

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2))

describe('the runtime in a context with web-standard globals only', () => {
  it('has no Node global to lean on, and loads only runtime files and the leaves it may use', () => {
    expect(vm.runInContext('[typeof process, typeof Buffer, typeof require, typeof global, typeof module, typeof setImmediate]', loaded.context)).toEqual(
      Array(6).fill('undefined'),
    )
    for (const file of loaded.files) expect(file).toMatch(/^(runtime\/|errors\.ts$|task\.ts$|text\/|data\/frame\.ts$|metrics\/labels\.ts$)/)
    expect(loaded.files).toContain('runtime/bundle/gunzip.ts')
  })

  it('reads a real bundle from bytes and predicts bit for bit what Node predicts', async () => {
    const Predictor = loaded.runtime.EnsemblePredictor as { fromBytes(b: Uint8Array): Promise<{ predict(f: unknown): Float64Array; frameFromRows(rows: unknown[], o?: object): unknown; memberNames: string[] }> }
    const model = await Predictor.fromBytes(contextBytes(new Uint8Array(readFileSync(trained.model))))
    expect(Array.from(model.memberNames)).toEqual(['xgb', 'cat', 'lin'])
    const lines = readFileSync(trained.data, 'utf8').trim().split('\n').slice(0, 51)
    const header = lines[0].split(',')
    const rows = lines.slice(1).map((l) => l.split(','))
    const inContext = model.predict(model.frameFromRows(rows, { names: header }))
    const node = await LoadedEnsemble.load(trained.model)
    expect(bits(inContext)).toEqual(bits(node.predict(node.frameFromRows(rows, { names: header }))))
  })

  it('reads the same bundle as JSON (consort export --format json) and predicts bit for bit the same', async () => {
    const runtime = loaded.runtime as { gunzipChecked(b: Uint8Array): Promise<Uint8Array>; unpackTar(b: Uint8Array): unknown[]; encodeJsonBundle(files: unknown[]): string }
    const text = runtime.encodeJsonBundle(runtime.unpackTar(await runtime.gunzipChecked(contextBytes(new Uint8Array(readFileSync(trained.model))))))
    const Predictor = loaded.runtime.EnsemblePredictor as { fromJson(t: string): Promise<{ predict(f: unknown): Float64Array; frameFromRows(rows: unknown[], o?: object): unknown }> }
    const model = await Predictor.fromJson(text)
    const lines = readFileSync(trained.data, 'utf8').trim().split('\n').slice(0, 51)
    const header = lines[0].split(',')
    const rows = lines.slice(1).map((l) => l.split(','))
    const node = await LoadedEnsemble.load(trained.model)
    expect(bits(model.predict(model.frameFromRows(rows, { names: header })))).toEqual(bits(node.predict(node.frameFromRows(rows, { names: header }))))
  })

  it('refuses a tampered bundle with its typed error and code', async () => {
    const bytes = new Uint8Array(readFileSync(trained.model))
    bytes[bytes.length - 20] ^= 1
    const Predictor = loaded.runtime.EnsemblePredictor as { fromBytes(b: Uint8Array): Promise<unknown> }
    const error = (await Predictor.fromBytes(contextBytes(bytes)).then(
      () => undefined,
      (e: unknown) => e,
    )) as { name: string; code: string; message: string }
    expect([error.name, error.code]).toEqual(['BundleError', 'invalid_bundle'])
    expect(error).toBeInstanceOf(loaded.runtime.BundleError as new () => unknown)
    expect(error.message).toMatch(/digest mismatch/)
  })
})
