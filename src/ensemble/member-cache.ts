/**
 * What cross-validating a member produced, kept by what determines it: the learner, its
 * validated parameters, and the scope (data fingerprint, folds, task, final mode). A tuning job
 * whose trial changes one member trains only that member; a trial that changes only the blend
 * trains nothing. The job reports the hit rate.
 */
import { createHash } from 'node:crypto'
import type { MemberOof, MemberPlan } from './oof.js'

/**
 * A member cache for one process.
 * @example
 * const cache = new MemberCache()
 * await outOfFold(data, y, folds, members, { ...options, cache: { store: cache, scope: fingerprint } })
 * cache.hits / (cache.hits + cache.misses)
 */
export class MemberCache {
  private readonly entries = new Map<string, MemberOof>()
  hits = 0
  misses = 0

  /** The key of `member` within `scope`: its learner and parameters, whatever its name. */
  static key(scope: string, member: MemberPlan): string {
    return createHash('sha256')
      .update(JSON.stringify([scope, member.learner.kind, canonicalJson(member.params)]))
      .digest('hex')
  }

  /**
   * The key `outOfFold` files `member` under, for a scope and a final-model mode.
   * @example MemberCache.memberKey(prepared.scope, 'refit', plan)
   */
  static memberKey(scope: string, final: string, member: MemberPlan): string {
    return MemberCache.key(`${scope}/${final}`, member)
  }

  /** The cached result under `key`, without counting a hit or a miss. */
  peek(key: string): MemberOof | undefined {
    return this.entries.get(key)
  }

  /** The cached result under `key`, renamed to `name`, counting a hit or a miss. */
  get(key: string, name: string): MemberOof | undefined {
    const found = this.entries.get(key)
    if (found) this.hits++
    else this.misses++
    return found && { ...found, name }
  }

  set(key: string, value: MemberOof): void {
    this.entries.set(key, value)
  }

  get size(): number {
    return this.entries.size
  }

  /** Hits over look-ups; 0 before any. */
  get hitRate(): number {
    const total = this.hits + this.misses
    return total === 0 ? 0 : this.hits / total
  }
}

/** JSON with object keys sorted, so equal parameters give equal text whatever their order. */
function canonicalJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalJson)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonicalJson((value as Record<string, unknown>)[k])]),
    )
  }
  return value
}
