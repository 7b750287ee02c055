/**
 * The member cache across processes: workers on many machines share cross-validated members
 * through the shared store, under the same content key a process's own cache uses (learner,
 * parameters, data fingerprint, folds, final mode). Before a trial a worker pulls the members it
 * lacks; after it, it pushes the ones the store lacks. A member is stored as its out-of-fold
 * predictions, scores and models' states, and rebuilt with the runtime's model loaders, so a
 * pulled member predicts exactly as the one that was pushed.
 */
import { decodeState, encodeState } from '../runtime/bundle/state-codec.js'
import { modelFromState } from '../runtime/models/registry.js'
import type { ModelState } from '../runtime/models/types.js'
import type { SharedStore } from '../store/shared/shared-store.js'
import type { MemberCache } from './member-cache.js'
import type { MemberOof } from './oof.js'

/** A member as stored: plain data with typed arrays. */
interface StoredMember {
  readonly name: string
  readonly oof: Float64Array
  readonly nOutputs: number
  readonly models: readonly ModelState[]
  readonly final: ModelState | null
  readonly foldScores: readonly Readonly<Record<string, number>>[]
  readonly pooled: Readonly<Record<string, number>>
}

/**
 * A process's member cache, backed by a shared store.
 * @example
 * const shared = new SharedMemberCache(store, cache)
 * await shared.pull(keys)
 * await crossValidate(prepared, plans, { cache, ... })
 * await shared.push(keys)
 */
export class SharedMemberCache {
  constructor(
    private readonly store: SharedStore,
    readonly cache: MemberCache,
  ) {}

  /** Loads into the cache the members of `keys` it lacks and the store has. */
  async pull(keys: readonly string[]): Promise<void> {
    for (const key of new Set(keys)) {
      if (this.cache.peek(key)) continue
      const bytes = await this.store.read(storeKey(key))
      if (bytes) this.cache.set(key, decodeMember(bytes, storeKey(key)))
    }
  }

  /** Writes to the store the cached members of `keys` it lacks. */
  async push(keys: readonly string[]): Promise<void> {
    for (const key of new Set(keys)) {
      const member = this.cache.peek(key)
      if (member && !(await this.store.has(storeKey(key)))) await this.store.write(storeKey(key), encodeMember(member))
    }
  }
}

function storeKey(key: string): string {
  return `members/${key}`
}

/**
 * A cross-validated member as bytes.
 * @example const bytes = encodeMember(oofs[0])
 */
export function encodeMember(member: MemberOof): Uint8Array {
  const stored: StoredMember = {
    name: member.name,
    oof: member.oof,
    nOutputs: member.nOutputs,
    models: member.models.map((m) => m.toState()),
    final: member.final?.toState() ?? null,
    foldScores: member.foldScores,
    pooled: member.pooled,
  }
  return encodeState(stored)
}

/**
 * A member from {@link encodeMember}'s bytes, its models rebuilt; it costs no fits.
 * @example const member = decodeMember(bytes, 'members/ab12')
 */
export function decodeMember(bytes: Uint8Array, file?: string): MemberOof {
  const stored = decodeState(bytes, file) as StoredMember
  return {
    name: stored.name,
    oof: stored.oof,
    nOutputs: stored.nOutputs,
    models: stored.models.map(modelFromState),
    final: stored.final && modelFromState(stored.final),
    foldScores: stored.foldScores,
    pooled: stored.pooled,
    fits: 0,
  }
}
