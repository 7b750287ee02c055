/**
 * The tracking store: one SQLite database (WAL) in `.consort/` under the working directory that
 * records every job — spec, status, metrics, timings, artifact, failure reason — so `consort jobs`
 * can list and describe them. Nothing else to install.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

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

  /** Records a new job as InProgress. */
  createJob(job: { id: string; kind: string; name: string; spec: unknown }): JobRecord {
    const now = new Date().toISOString()
    this.db
      .prepare('INSERT INTO jobs (id, kind, name, status, created_at, updated_at, spec) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(job.id, job.kind, job.name, 'InProgress', now, now, JSON.stringify(job.spec))
    return this.getJob(job.id)!
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

  /** Jobs, newest first. */
  listJobs(limit = 100): JobRecord[] {
    return (this.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, id DESC LIMIT ?').all(limit) as JobRow[]).map(fromRow)
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
  }
}
