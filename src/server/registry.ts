/**
 * The named endpoints of a server in `--endpoints` mode: their settings kept in a store (the
 * tracking store's endpoints table), their models loaded on demand (see {@link Endpoint}).
 * Creating or updating an endpoint resolves its model, loads it once to verify it (every sha256,
 * a test prediction) and to measure it, and refuses a model that does not fit `memory_size_mb`
 * (see `estimateMemory`); only then is the change stored and traffic moved (blue/green).
 */
import type { EndpointRecord } from '../store/tracking/store.js'
import { Endpoint, type EndpointEvent, type EndpointStats } from './endpoint.js'
import { parseEndpointConfig, checkEndpointName, type EndpointConfig } from './endpoint-config.js'
import { HttpError } from './errors.js'
import { estimateMemory, type MemoryEstimate } from './memory.js'
import { ServedModel } from './served-model.js'

/** Where endpoint settings are kept: the tracking store, or anything with its four methods. */
export interface EndpointStore {
  putEndpoint(e: Omit<EndpointRecord, 'createdAt' | 'updatedAt'>): EndpointRecord
  listEndpoints(): EndpointRecord[]
  deleteEndpoint(name: string): boolean
}

/** How a registry resolves models and what it charges each invocation for memory. */
export interface RegistryOptions {
  /** The `model.tar.gz` a `model` setting names (a path or a job id). */
  readonly resolve: (ref: string) => string
  /** The largest body an invocation may send, in bytes (for the memory estimate). */
  readonly bodyLimitBytes: number
  readonly onEvent?: (event: EndpointEvent) => void
}

/** An endpoint as `GET /endpoints/NAME` shows it. */
export interface EndpointView {
  readonly name: string
  readonly model: string
  readonly artifact: string
  readonly memory_size_mb: number
  readonly max_concurrency: number
  readonly idle_timeout_s: number
  readonly memory_estimate_mb: number | null
  readonly created_at: string
  readonly updated_at: string
  readonly status: EndpointStats
}

interface Entry {
  record: EndpointRecord
  readonly endpoint: Endpoint
  estimate: MemoryEstimate | null
}

/**
 * The endpoints of one server.
 * @example
 * const registry = new EndpointRegistry(TrackingStore.open(), { resolve: (ref) => resolveModelRef(ref, store), bodyLimitBytes: 6 << 20 })
 * await registry.put('churn', { model: 'out/model.tar.gz', max_concurrency: 8 })
 */
export class EndpointRegistry {
  private readonly store: EndpointStore
  private readonly options: RegistryOptions
  private readonly entries = new Map<string, Entry>()
  /** One change at a time per endpoint name. */
  private readonly changes = new Map<string, Promise<unknown>>()

  constructor(store: EndpointStore, options: RegistryOptions) {
    this.store = store
    this.options = options
    for (const record of store.listEndpoints()) this.entries.set(record.name, this.entry(record, null))
  }

  /** The endpoint `name`, or undefined. */
  get(name: string): Endpoint | undefined {
    return this.entries.get(name)?.endpoint
  }

  /** Every endpoint's view, by name. */
  list(): EndpointView[] {
    return [...this.entries.values()].sort((a, b) => (a.record.name < b.record.name ? -1 : 1)).map(view)
  }

  /**
   * The view of endpoint `name`.
   * @throws HttpError `not_found`.
   */
  describe(name: string): EndpointView {
    const entry = this.entries.get(name)
    if (entry === undefined) throw new HttpError('not_found', `no endpoint '${name}'`)
    return view(entry)
  }

  /**
   * Creates endpoint `name` or updates it (blue/green) from settings in SageMaker's snake_case
   * (see `parseEndpointConfig`). Returns its view and whether it was created.
   * @throws ParamError for bad settings, HttpError `insufficient_memory` for a model that does not
   * fit, and the load's error (a library error with its code, or `model_invalid`) for a model that
   * cannot be loaded; the endpoint is then unchanged.
   * @example
   * const { created } = await registry.put('churn', { model: 'tune-diabetes-1', memory_size_mb: 2048 })
   */
  put(name: string, body: unknown): Promise<{ created: boolean; view: EndpointView }> {
    return this.serialise(name, async () => {
      checkEndpointName(name)
      const existing = this.entries.get(name)
      const config = parseEndpointConfig(body, existing === undefined ? undefined : configOf(existing.record))
      const artifact = this.options.resolve(config.model)
      const model = await ServedModel.load(artifact)
      const estimate = estimateMemory({ stateBytes: model.stateBytes, maxConcurrency: config.maxConcurrency, bodyLimitBytes: this.options.bodyLimitBytes })
      if (estimate.totalMb > config.memorySizeMb) {
        throw new HttpError(
          'insufficient_memory',
          `endpoint '${name}' needs about ${estimate.totalMb} MB (${estimate.runtimeMb} runtime + ${estimate.modelMb} model + ${estimate.invocationsMb} for ${config.maxConcurrency} concurrent invocations of up to ${mb(this.options.bodyLimitBytes)} MB), more than its memory_size_mb of ${config.memorySizeMb}: raise memory_size_mb or lower max_concurrency`,
        )
      }
      const settings = { load: () => ServedModel.load(artifact), maxConcurrency: config.maxConcurrency, idleTimeoutS: config.idleTimeoutS }
      const record = this.store.putEndpoint({ name, model: config.model, artifact, memorySizeMb: config.memorySizeMb, maxConcurrency: config.maxConcurrency, idleTimeoutS: config.idleTimeoutS })
      if (existing === undefined) {
        const entry = this.entry(record, estimate)
        this.entries.set(name, entry)
        return { created: true, view: view(entry) }
      }
      await existing.endpoint.update(settings, model)
      existing.record = record
      existing.estimate = estimate
      return { created: false, view: view(existing) }
    })
  }

  /**
   * Deletes endpoint `name`: later invocations get 404; running ones finish.
   * @throws HttpError `not_found`.
   */
  delete(name: string): Promise<void> {
    return this.serialise(name, async () => {
      const entry = this.entries.get(name)
      if (entry === undefined) throw new HttpError('not_found', `no endpoint '${name}'`)
      this.store.deleteEndpoint(name)
      this.entries.delete(name)
      entry.endpoint.close()
    })
  }

  /** Unloads every endpoint's model (at shutdown). */
  closeAll(): void {
    for (const e of this.entries.values()) e.endpoint.unload()
  }

  private entry(record: EndpointRecord, estimate: MemoryEstimate | null): Entry {
    const endpoint = new Endpoint(
      record.name,
      { load: () => ServedModel.load(record.artifact), maxConcurrency: record.maxConcurrency, idleTimeoutS: record.idleTimeoutS },
      this.options.onEvent,
    )
    return { record, endpoint, estimate }
  }

  private serialise<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.changes.get(name) ?? Promise.resolve()
    const next = previous.then(fn, fn)
    const settled = next.catch(() => undefined)
    this.changes.set(name, settled)
    void settled.then(() => {
      if (this.changes.get(name) === settled) this.changes.delete(name)
    })
    return next
  }
}

function configOf(r: EndpointRecord): EndpointConfig {
  return { model: r.model, memorySizeMb: r.memorySizeMb, maxConcurrency: r.maxConcurrency, idleTimeoutS: r.idleTimeoutS }
}

function view(e: Entry): EndpointView {
  const r = e.record
  return {
    name: r.name,
    model: r.model,
    artifact: r.artifact,
    memory_size_mb: r.memorySizeMb,
    max_concurrency: r.maxConcurrency,
    idle_timeout_s: r.idleTimeoutS,
    memory_estimate_mb: e.estimate?.totalMb ?? null,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    status: e.endpoint.stats(),
  }
}

function mb(bytes: number): string {
  return (bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)
}
