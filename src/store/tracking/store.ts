/**
 * The tracking store: one SQLite database (WAL) in `.consort/` under the working directory that
 * records every job — spec, status, metrics, timings, artifact, failure reason, the tuning job it
 * belongs to — and every tuning job's trials, so `consort jobs` can list and describe them and a
 * tuning job killed mid-way can resume. Nothing else to install.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { ENDPOINT_USAGE_MIGRATION, type EndpointUsageRow, type EndpointUsageSample, usageFromRow } from './endpoint-usage.js'
import { ENDPOINTS_MIGRATION, endpointFromRow, type EndpointRecord, type EndpointRow } from './endpoints.js'
import { type TrialOutcome, type TrialRecord, type TrialRow, trialFromRow } from './trials.js'

export type { EndpointRecord } from './endpoints.js'
export type { EndpointUsageSample } from './endpoint-usage.js'
export type { TrialOutcome, TrialRecord } from './trials.js'

export type JobStatus = 'InProgress' | 'Completed' | 'Failed' | 'Stopped'

export interface JobRecord {
  readonly id: string
  readonly kind: string
  readonly name: string
  readonly status: JobStatus
  readonly createdAt: string
  readonly updatedAt: string
  readonly spec: unknown
  readonly metrics: Readonly<Record<string, number>>
  readonly timings: Readonly<Record<string, number>>
  /** What the job cost: wall and CPU seconds, peak memory, bytes and number of data reads. */
  readonly resources: Readonly<Record<string, number>>
  readonly artifact: string | null
  readonly dataFingerprint: string | null
  readonly failureReason: string | null
  /** The tuning job a trial's training job belongs to. */
  readonly parentId: string | null
  /** What a job kind records beyond the common fields (a tuning job's counters and best trial). */
  readonly details: Readonly<Record<string, unknown>>
}

/** What a finished job adds to its record. */
export interface JobOutcome {
  readonly metrics: Readonly<Record<string, number>>
  readonly timings: Readonly<Record<string, number>>
  readonly resources?: Readonly<Record<string, number>>
  readonly artifact: string
  readonly dataFingerprint?: string
}

interface JobRow {
  id: string
  kind: string
  name: string
  status: JobStatus
  created_at: string
  updated_at: string
  spec: string
  metrics: string
  timings: string
  resources: string
  artifact: string | null
  data_fingerprint: string | null
  failure_reason: string | null
  parent_id: string | null
  details: string
}

/** Schema migrations, applied in order; the database's user_version counts those applied. */
const MIGRATIONS = [
  `CREATE TABLE jobs (
     id TEXT PRIMARY KEY,
     kind TEXT NOT NULL,
     name TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('InProgress', 'Completed', 'Failed', 'Stopped')),
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     spec TEXT NOT NULL,
     metrics TEXT NOT NULL DEFAULT '{}',
     timings TEXT NOT NULL DEFAULT '{}',
     artifact TEXT,
     data_fingerprint TEXT,
     failure_reason TEXT
   );
   CREATE INDEX jobs_created ON jobs (created_at);`,
  `ALTER TABLE jobs ADD COLUMN resources TEXT NOT NULL DEFAULT '{}';`,
  `ALTER TABLE jobs ADD COLUMN parent_id TEXT REFERENCES jobs (id);
   ALTER TABLE jobs ADD COLUMN details TEXT NOT NULL DEFAULT '{}';
   CREATE INDEX jobs_parent ON jobs (parent_id);
   CREATE TABLE trials (
     tuning_job TEXT NOT NULL REFERENCES jobs (id),
     number INTEGER NOT NULL,
     params TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('Running', 'Completed', 'Failed', 'Stopped')),
     value REAL,
     intermediate TEXT NOT NULL DEFAULT '[]',
     training_job TEXT REFERENCES jobs (id),
     failure_kind TEXT CHECK (failure_kind IN ('RetryableError', 'NonRetryableError')),
     reason TEXT,
     started_at TEXT NOT NULL,
     ended_at TEXT,
     PRIMARY KEY (tuning_job, number)
   );`,
  ENDPOINTS_MIGRATION,
  ENDPOINT_USAGE_MIGRATION,
]

export class TrackingStore {
  private constructor(private readonly db: Database.Database) {}

  /**
   * Opens (creating when needed) the store in `dir`, `.consort` under the working directory by default.
   * @example const store = TrackingStore.open(); store.listJobs()
   */
  static open(dir = '.consort'): TrackingStore {
    mkdirSync(dir, { recursive: true })
    const db = new Database(join(dir, 'tracking.db'))
    db.pragma('journal_mode = WAL')
    db.pragma('busy_timeout = 5000')
    const version = db.pragma('user_version', { simple: true }) as number
    for (let v = version; v < MIGRATIONS.length; v++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v])
        db.pragma(`user_version = ${v + 1}`)
      })()
    }
    return new TrackingStore(db)
  }

  /** Records a new job as InProgress; a trial's training job names its tuning job as `parentId`. */
  createJob(job: { id: string; kind: string; name: string; spec: unknown; parentId?: string }): JobRecord {
    const now = new Date().toISOString()
    this.db
      .prepare('INSERT INTO jobs (id, kind, name, status, created_at, updated_at, spec, parent_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(job.id, job.kind, job.name, 'InProgress', now, now, JSON.stringify(job.spec), job.parentId ?? null)
    return this.getJob(job.id)!
  }

  /** Replaces a job's details (a tuning job's counters, best trial, cost), keeping it InProgress. */
  setDetails(id: string, details: Readonly<Record<string, unknown>>): void {
    this.db.prepare('UPDATE jobs SET details = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(details), new Date().toISOString(), id)
  }

  /** Forgets a job's artifact (a tuning job keeps only its best trial's model). */
  clearArtifact(id: string): void {
    this.db.prepare('UPDATE jobs SET artifact = NULL, updated_at = ? WHERE id = ?').run(new Date().toISOString(), id)
  }

  /** Records that a job runs again (a resumed tuning job): InProgress, its failure reason cleared. */
  reopenJob(id: string): JobRecord {
    this.db.prepare("UPDATE jobs SET status = 'InProgress', failure_reason = NULL, updated_at = ? WHERE id = ?").run(new Date().toISOString(), id)
    return this.getJob(id)!
  }

  /** Marks a job Completed with its metrics, timings and artifact. */
  completeJob(id: string, outcome: JobOutcome): JobRecord {
    this.db
      .prepare("UPDATE jobs SET status = 'Completed', updated_at = ?, metrics = ?, timings = ?, resources = ?, artifact = ?, data_fingerprint = ? WHERE id = ?")
      .run(
        new Date().toISOString(),
        JSON.stringify(outcome.metrics),
        JSON.stringify(outcome.timings),
        JSON.stringify(outcome.resources ?? {}),
        outcome.artifact,
        outcome.dataFingerprint ?? null,
        id,
      )
    return this.getJob(id)!
  }

  /** Marks a job Failed or Stopped with the reason and, when measured, what it cost until then. */
  endJob(id: string, status: 'Failed' | 'Stopped', reason: string, resources: Readonly<Record<string, number>> = {}): JobRecord {
    this.db
      .prepare('UPDATE jobs SET status = ?, updated_at = ?, failure_reason = ?, resources = ? WHERE id = ?')
      .run(status, new Date().toISOString(), reason, JSON.stringify(resources), id)
    return this.getJob(id)!
  }

  getJob(id: string): JobRecord | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
    return row ? fromRow(row) : undefined
  }

  /** Jobs, newest first; the training jobs of one tuning job with `parentId`. */
  listJobs(limit = 100, parentId?: string): JobRecord[] {
    const rows =
      parentId === undefined
        ? this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?').all(limit)
        : this.db.prepare('SELECT * FROM jobs WHERE parent_id = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(parentId, limit)
    return (rows as JobRow[]).map(fromRow)
  }

  /** Records trial `number` of a tuning job as Running (again, with its values cleared, when it exists). */
  startTrial(tuningJob: string, number: number, params: Readonly<Record<string, unknown>>): void {
    this.db
      .prepare(
        `INSERT INTO trials (tuning_job, number, params, state, started_at) VALUES (?, ?, ?, 'Running', ?)
         ON CONFLICT (tuning_job, number) DO UPDATE SET params = excluded.params, state = 'Running', value = NULL,
           intermediate = '[]', training_job = NULL, failure_kind = NULL, reason = NULL, started_at = excluded.started_at, ended_at = NULL`,
      )
      .run(tuningJob, number, JSON.stringify(params), new Date().toISOString())
  }

  /** Sets a running trial's training job and intermediate values so far. */
  updateTrial(tuningJob: string, number: number, update: { trainingJob?: string; intermediate?: readonly (readonly [number, number])[] }): void {
    if (update.trainingJob !== undefined) this.db.prepare('UPDATE trials SET training_job = ? WHERE tuning_job = ? AND number = ?').run(update.trainingJob, tuningJob, number)
    if (update.intermediate !== undefined) {
      this.db.prepare('UPDATE trials SET intermediate = ? WHERE tuning_job = ? AND number = ?').run(JSON.stringify(update.intermediate), tuningJob, number)
    }
  }

  /**
   * Ends a trial. Idempotent by trial: a trial already ended keeps its first outcome (a late
   * duplicate result is ignored); returns whether this call ended it.
   */
  endTrial(tuningJob: string, number: number, outcome: TrialOutcome): boolean {
    const result = this.db
      .prepare(
        `UPDATE trials SET state = ?, value = ?, intermediate = ?, training_job = COALESCE(?, training_job), failure_kind = ?, reason = ?, ended_at = ?
         WHERE tuning_job = ? AND number = ? AND state = 'Running'`,
      )
      .run(
        outcome.state,
        outcome.value ?? null,
        JSON.stringify(outcome.intermediate ?? []),
        outcome.trainingJob ?? null,
        outcome.failureKind ?? null,
        outcome.reason ?? null,
        new Date().toISOString(),
        tuningJob,
        number,
      )
    return result.changes === 1
  }

  /** A tuning job's trials in number order. */
  listTrials(tuningJob: string): TrialRecord[] {
    return (this.db.prepare('SELECT * FROM trials WHERE tuning_job = ? ORDER BY number').all(tuningJob) as TrialRow[]).map(trialFromRow)
  }

  /**
   * Creates or replaces endpoint `name` (its creation time is kept on replace) and returns it.
   * @example store.putEndpoint({ name: 'churn', model: 'job-1', artifact: 'out/model.tar.gz', memorySizeMb: 2048, maxConcurrency: 5, idleTimeoutS: 300 })
   */
  putEndpoint(e: Omit<EndpointRecord, 'createdAt' | 'updatedAt'>): EndpointRecord {
    const now = new Date().toISOString()
    this.db
      .prepare(
        `INSERT INTO endpoints (name, model, artifact, memory_size_mb, max_concurrency, idle_timeout_s, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET model = excluded.model, artifact = excluded.artifact, memory_size_mb = excluded.memory_size_mb,
           max_concurrency = excluded.max_concurrency, idle_timeout_s = excluded.idle_timeout_s, updated_at = excluded.updated_at`,
      )
      .run(e.name, e.model, e.artifact, e.memorySizeMb, e.maxConcurrency, e.idleTimeoutS, now, now)
    return this.getEndpoint(e.name)!
  }

  getEndpoint(name: string): EndpointRecord | undefined {
    const row = this.db.prepare('SELECT * FROM endpoints WHERE name = ?').get(name) as EndpointRow | undefined
    return row ? endpointFromRow(row) : undefined
  }

  /** Every endpoint, by name. */
  listEndpoints(): EndpointRecord[] {
    return (this.db.prepare('SELECT * FROM endpoints ORDER BY name').all() as EndpointRow[]).map(endpointFromRow)
  }

  /** Deletes endpoint `name`; returns whether it existed. */
  deleteEndpoint(name: string): boolean {
    return this.db.prepare('DELETE FROM endpoints WHERE name = ?').run(name).changes === 1
  }

  /**
   * Records usage samples of endpoints (one transaction).
   * @example store.recordEndpointUsage([{ endpoint: 'churn', at: new Date().toISOString(), server: 'a1', invocations: 3, errors: 0, throttled: 0, coldStarts: 1, loaded: true, inFlight: 0, maxConcurrency: 5, p50Ms: 1.2, p99Ms: 4 }])
   */
  recordEndpointUsage(samples: readonly EndpointUsageSample[]): void {
    const insert = this.db.prepare(
      `INSERT INTO endpoint_usage (endpoint, at, server, invocations, errors, throttled, cold_starts, loaded, in_flight, max_concurrency, p50_ms, p99_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.db.transaction(() => {
      for (const s of samples) {
        const max = Number.isFinite(s.maxConcurrency) ? s.maxConcurrency : -1
        insert.run(s.endpoint, s.at, s.server, s.invocations, s.errors, s.throttled, s.coldStarts, s.loaded ? 1 : 0, s.inFlight, max, s.p50Ms, s.p99Ms)
      }
    })()
  }

  /** Usage samples of endpoint `name` taken at or after `since` (ISO time), oldest first, at most `limit` (the newest kept). */
  listEndpointUsage(name: string, since = '', limit = 5000): EndpointUsageSample[] {
    const rows = this.db
      .prepare('SELECT * FROM (SELECT * FROM endpoint_usage WHERE endpoint = ? AND at >= ? ORDER BY at DESC, rowid DESC LIMIT ?) ORDER BY at, server')
      .all(name, since, limit) as EndpointUsageRow[]
    return rows.map(usageFromRow)
  }

  close(): void {
    this.db.close()
  }
}

function fromRow(r: JobRow): JobRecord {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    status: r.status,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    spec: JSON.parse(r.spec) as unknown,
    metrics: JSON.parse(r.metrics) as Record<string, number>,
    timings: JSON.parse(r.timings) as Record<string, number>,
    resources: JSON.parse(r.resources) as Record<string, number>,
    artifact: r.artifact,
    dataFingerprint: r.data_fingerprint,
    failureReason: r.failure_reason,
    parentId: r.parent_id,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }
}
