import { describe, expect, it } from 'vitest'
import { ParamError } from '../errors.js'
import { BUNDLED_NAMES, bundledDataset } from './bundled.js'
import { readFrame } from './read.js'

describe('bundledDataset', () => {
  it('finds every bundled file with its target column', async () => {
    const rows: Record<string, number> = { diabetes: 442, breast_cancer: 569, wine: 178, iris: 150 }
    expect([...BUNDLED_NAMES].sort()).toEqual(Object.keys(rows).sort())
    for (const name of BUNDLED_NAMES) {
      const data = bundledDataset(name)
      const frame = await readFrame(data.path)
      expect(frame.nRows).toBe(rows[name])
      expect(frame.columns.map((c) => c.name)).toContain(data.target)
    }
  })

  it('suggests the closest name for a typo', () => {
    expect(() => bundledDataset('diabetis')).toThrow(ParamError)
    expect(() => bundledDataset('diabetis')).toThrow(/field 'data': unknown bundled data set 'diabetis'; did you mean 'diabetes'\?/)
    expect(() => bundledDataset('__proto__')).toThrow(/unknown bundled data set/)
  })
})
