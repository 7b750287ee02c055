/**
 * The endpoints table of the tracking store: one row per named endpoint of `consort serve
 * --endpoints`, with the model it serves (as given, and the artifact it resolved to) and its
 * serverless settings, so endpoints outlive the server process.
 */

/** One endpoint as stored. */
export interface EndpointRecord {
  readonly name: string
  /** The model as the user gave it: a `model.tar.gz` path or a job id. */
  readonly model: string
  /** The `model.tar.gz` it resolved to. */
  readonly artifact: string
  readonly memorySizeMb: number
  readonly maxConcurrency: number
  readonly idleTimeoutS: number
  readonly createdAt: string
  readonly updatedAt: string
}

/** The row as SQLite returns it. */
export interface EndpointRow {
  name: string
  model: string
  artifact: string
  memory_size_mb: number
  max_concurrency: number
  idle_timeout_s: number
  created_at: string
  updated_at: string
}

/** The migration that adds the table (one self-contained entry of the store's migrations). */
export const ENDPOINTS_MIGRATION = `CREATE TABLE endpoints (
     name TEXT PRIMARY KEY,
     model TEXT NOT NULL,
     artifact TEXT NOT NULL,
     memory_size_mb INTEGER NOT NULL,
     max_concurrency INTEGER NOT NULL,
     idle_timeout_s REAL NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );`

/**
 * A stored row as a record.
 * @example const record = endpointFromRow(row)
 */
export function endpointFromRow(r: EndpointRow): EndpointRecord {
  return {
    name: r.name,
    model: r.model,
    artifact: r.artifact,
    memorySizeMb: r.memory_size_mb,
    maxConcurrency: r.max_concurrency,
    idleTimeoutS: r.idle_timeout_s,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }
}
