import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { kFold } from '../data/splits.js'
import { getLearner, parseLearnerParams } from '../learners/index.js'
import { syntheticFrame } from '../learners/testing/conformance.js'
import { prepareTrainingData } from '../learners/training-data.js'
import { DirStore } from '../store/shared/dir-store.js'
import { MemberCache } from './member-cache.js'
import { outOfFold, type MemberPlan } from './oof.js'
import { SharedMemberCache } from './shared-member-cache.js'

const dir = mkdtempSync(join(tmpdir(), 'consort-shared-cache-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const member = (name: string, kind: string, params: Record<string, unknown>): MemberPlan => {
  const learner = getLearner(kind)
  return { name, learner, params: parseLearnerParams(learner, params) }
}

describe('SharedMemberCache', () => {
  it("gives a second process the members the first trained: no fits, the same predictions and scores, refit and bag", async () => {
    const { frame, y } = syntheticFrame(150, 'regression')
    const data = prepareTrainingData(frame)
    const folds = kFold(150, 3, 1)
    const members = [member('xgb', 'gbdt', { num_round: 10, max_depth: 3 }), member('lin', 'linear', {})]
    const store = new DirStore(join(dir, 'store'))
    for (const final of ['refit', 'bag'] as const) {
      const options = { task: 'regression' as const, nClasses: 1, metrics: ['rmse'], final }
      const keys = members.map((m) => MemberCache.memberKey('scope', final, m))
      const first = new SharedMemberCache(store, new MemberCache())
      await first.pull(keys)
      const trained = await outOfFold(data, y, folds, members, { ...options, cache: { store: first.cache, scope: 'scope' } })
      await first.push(keys)
      const second = new SharedMemberCache(store, new MemberCache())
      await second.pull(keys)
      // Another name for the same learner and parameters is the same member.
      const renamed = [{ ...members[0], name: 'booster' }, members[1]]
      const cached = await outOfFold(data, y, folds, renamed, { ...options, cache: { store: second.cache, scope: 'scope' } })
      expect(second.cache.hits).toBe(2)
      expect(cached.map((c) => c.fits)).toEqual([0, 0])
      expect(cached[0].name).toBe('booster')
      for (const [i, c] of cached.entries()) {
        expect(c.oof).toEqual(trained[i].oof)
        expect(c.pooled).toEqual(trained[i].pooled)
        expect(c.final!.predict(frame)).toEqual(trained[i].final!.predict(frame))
      }
      // A different scope (other data or folds) finds nothing.
      const other = new SharedMemberCache(store, new MemberCache())
      await other.pull(members.map((m) => MemberCache.memberKey('other', final, m)))
      expect(other.cache.size).toBe(0)
    }
  })
})
