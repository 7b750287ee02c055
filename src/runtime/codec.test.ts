/**
 * The tree-ensemble codec: exact round-trips (NaN and -0 included), and hostile bytes (truncated,
 * bad magic, wrong version, out-of-range indices, random corruption) rejected with an Error or
 * decoded into an ensemble the predictor can run, never a hang or a crash.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeTreeEnsemble, encodeTreeEnsemble, TREE_ENSEMBLE_FORMAT_VERSION } from './codec.js'
import { arbEnsemble, buildEnsemble, firstDifference, type NestedTree } from './testing/ensembles.js'
import { predictMargins, type TreeEnsemble } from './tree-ensemble.js'

const leaf = (v: number): NestedTree => ({ leaf: v })

// Two trees over 3 features, 2 outputs: nodes 0-4 (root, its children 1-2, children of 2 at 3-4)
// and 5-7.
const sample = buildEnsemble(3, [0.5, -0], [
  {
    output: 0,
    tree: { feature: 2, threshold: 1.5, defaultLeft: true, left: leaf(-0), right: { feature: 0, threshold: NaN, defaultLeft: false, left: leaf(NaN), right: leaf(2) } },
  },
  { output: 1, tree: { feature: 1, threshold: -Infinity, defaultLeft: false, left: leaf(Number.MIN_VALUE), right: leaf(-1e308) } },
])

/** Byte offsets of each section for an ensemble of this shape (see the layout in codec.ts). */
function layout(m: TreeEnsemble) {
  const nTrees = m.treeStart.length
  const nNodes = m.feature.length
  const baseMargin = 24
  const treeStart = baseMargin + 8 * m.nOutputs
  const treeOutput = treeStart + 4 * nTrees
  const feature = treeOutput + 4 * nTrees
  const threshold = feature + 4 * nNodes
  const left = threshold + 8 * nNodes
  const defaultLeft = left + 4 * nNodes
  const value = defaultLeft + nNodes
  return { treeStart, treeOutput, feature, threshold, left, defaultLeft, value, end: value + 8 * nNodes }
}

/** A copy of the sample's bytes with `patch` applied through a DataView. */
function hostile(patch: (view: DataView, at: ReturnType<typeof layout>) => void): Uint8Array {
  const bytes = encodeTreeEnsemble(sample)
  patch(new DataView(bytes.buffer), layout(sample))
  return bytes
}

/** Every field, typed arrays compared bit for bit. */
function expectSameEnsemble(a: TreeEnsemble, b: TreeEnsemble): void {
  expect([a.nFeatures, a.nOutputs]).toEqual([b.nFeatures, b.nOutputs])
  for (const key of ['baseMargin', 'treeStart', 'treeOutput', 'feature', 'threshold', 'left', 'defaultLeft', 'value'] as const) {
    expect(firstDifference(a[key], b[key]), key).toBe(-1)
    expect(a[key].constructor).toBe(b[key].constructor)
  }
}

describe('encodeTreeEnsemble / decodeTreeEnsemble', () => {
  it('round-trips exactly, NaN, -0, infinities and subnormals included', () => {
    const bytes = encodeTreeEnsemble(sample)
    expect(bytes.length).toBe(layout(sample).end)
    const back = decodeTreeEnsemble(bytes)
    expectSameEnsemble(back, sample)
    expect(Object.is(back.value[1], -0)).toBe(true)
    expect(Object.is(back.baseMargin[1], -0)).toBe(true)
    // Re-encoding gives the same bytes.
    expect(encodeTreeEnsemble(back)).toEqual(bytes)
  })

  it('round-trips random ensembles exactly', () => {
    fc.assert(
      fc.property(arbEnsemble({ specialValues: true }), (m) => {
        const bytes = encodeTreeEnsemble(m)
        expectSameEnsemble(decodeTreeEnsemble(bytes), m)
        expect(firstDifference(encodeTreeEnsemble(decodeTreeEnsemble(bytes)), bytes)).toBe(-1)
      }),
      { numRuns: 200 },
    )
  })

  it('decodes from a view at any offset of a larger buffer', () => {
    const bytes = encodeTreeEnsemble(sample)
    const big = new Uint8Array(bytes.length + 10)
    big.set(bytes, 3)
    expectSameEnsemble(decodeTreeEnsemble(big.subarray(3, 3 + bytes.length)), sample)
  })

  it('starts with the magic "CTE1" and the format version', () => {
    const bytes = encodeTreeEnsemble(sample)
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('CTE1')
    expect(new DataView(bytes.buffer).getUint32(4, true)).toBe(TREE_ENSEMBLE_FORMAT_VERSION)
  })
})

describe('decodeTreeEnsemble on hostile bytes', () => {
  it('rejects every truncation and any trailing bytes', () => {
    const bytes = encodeTreeEnsemble(sample)
    for (let n = 0; n < bytes.length; n++) expect(() => decodeTreeEnsemble(bytes.subarray(0, n)), `${n} bytes`).toThrow(Error)
    const longer = new Uint8Array(bytes.length + 1)
    longer.set(bytes)
    expect(() => decodeTreeEnsemble(longer)).toThrow(/bytes, expected/)
  })

  it('rejects a bad magic and an unknown version', () => {
    expect(() => decodeTreeEnsemble(hostile((v) => v.setUint8(0, 0x58)))).toThrow(/bad magic/)
    expect(() => decodeTreeEnsemble(hostile((v) => v.setUint8(3, 0x32)))).toThrow(/bad magic/)
    expect(() => decodeTreeEnsemble(hostile((v) => v.setUint32(4, 2, true)))).toThrow(/version 2/)
    expect(() => decodeTreeEnsemble(hostile((v) => v.setUint32(4, 0, true)))).toThrow(/version 0/)
  })

  it('rejects a header whose counts do not match the length, without allocating them', () => {
    // nOutputs, nTrees, nNodes (nFeatures sizes nothing in the file).
    for (const offset of [12, 16, 20]) {
      expect(() => decodeTreeEnsemble(hostile((v) => v.setUint32(offset, 0xffffffff, true)))).toThrow(/expected/)
    }
  })

  it('rejects children out of range or not after their parent', () => {
    // Node 2's children are 3 and 4; point them past the end, at itself, backwards, at the last node.
    for (const child of [8, 1000, 2, 1, 0, 7]) {
      expect(() => decodeTreeEnsemble(hostile((v, at) => v.setInt32(at.left + 4 * 2, child, true))), `child ${child}`).toThrow(/children/)
    }
    // The same on a tree root.
    expect(() => decodeTreeEnsemble(hostile((v, at) => v.setInt32(at.left + 4 * 5, 5, true)))).toThrow(/children/)
  })

  it('rejects split features outside 0..nFeatures-1 and bad default directions', () => {
    for (const f of [3, -1, 0x7fffffff, -0x80000000]) {
      expect(() => decodeTreeEnsemble(hostile((v, at) => v.setInt32(at.feature + 4 * 0, f, true))), `feature ${f}`).toThrow(/feature/)
    }
    expect(() => decodeTreeEnsemble(hostile((v, at) => v.setUint8(at.defaultLeft + 2, 2)))).toThrow(/default direction/)
  })

  it('rejects trees starting outside the nodes or writing to a missing output', () => {
    expect(() => decodeTreeEnsemble(hostile((v, at) => v.setInt32(at.treeStart + 4, 8, true)))).toThrow(/starts at node/)
    expect(() => decodeTreeEnsemble(hostile((v, at) => v.setInt32(at.treeStart, -1, true)))).toThrow(/starts at node/)
    expect(() => decodeTreeEnsemble(hostile((v, at) => v.setInt32(at.treeOutput + 4, 2, true)))).toThrow(/output/)
    expect(() => decodeTreeEnsemble(hostile((v, at) => v.setInt32(at.treeOutput, -1, true)))).toThrow(/output/)
  })

  it('either throws an Error or yields an ensemble the predictor runs, on random corruption', () => {
    const base = encodeTreeEnsemble(sample)
    const pattern = [0, 1, 2, NaN, -5, 1e9, 1.5, -0, Infinity]
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const bytes = base.slice()
        for (const [at, byte] of edits) bytes[at] = byte
        let model: TreeEnsemble
        try {
          model = decodeTreeEnsemble(bytes)
        } catch (err) {
          expect(err).toBeInstanceOf(Error)
          return
        }
        if (model.nFeatures > 1000) {
          // A corrupted feature count: the predictor asks for that many values per row.
          expect(() => predictMargins(model, new Float64Array(9), 3)).toThrow(RangeError)
          return
        }
        const x = Float64Array.from({ length: 3 * model.nFeatures }, (_, i) => pattern[i % pattern.length])
        const out = predictMargins(model, x, 3)
        expect(out.length).toBe(3 * model.nOutputs)
      }),
      { numRuns: 2000 },
    )
  })

  it('throws an Error on random byte strings, with or without a valid prefix', () => {
    const prefix = encodeTreeEnsemble(sample).subarray(0, 24)
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (tail, withPrefix) => {
        const bytes = withPrefix ? Uint8Array.from([...prefix, ...tail]) : tail
        expect(() => decodeTreeEnsemble(bytes)).toThrow(Error)
      }),
    )
  })
})
