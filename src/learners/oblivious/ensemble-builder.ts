/**
 * Turns trees grown on training codes into the predictor's {@link ObliviousEnsemble}: every split
 * names a model feature (a numeric input, a one-hot indicator or a CTR statistic of a table), and
 * the CTR tables hold the statistics of every training row for the combinations the trees use.
 */
import { FeatureKind, type ObliviousEnsemble, type ObliviousInput } from '../../runtime/oblivious.js'
import type { CategoricalCandidates } from './categorical.js'
import type { Combination } from './ctr.js'
import type { TreeSplit } from './grower.js'

interface FeatureRecipe {
  readonly kind: FeatureKind
  readonly input: number
  readonly arg: number
  readonly prior: number
}

interface Tables {
  readonly inputStart: Int32Array
  readonly inputs: Int32Array
  readonly start: Int32Array
  readonly keys: Float64Array
  readonly counts: Float64Array
  readonly sums: Float64Array
}

export class EnsembleBuilder {
  readonly features: FeatureRecipe[] = []
  private readonly featureIds = new Map<string, number>()
  private readonly tables: Combination[] = []
  private readonly tableIds = new Map<string, number>()
  private builtTables: Tables | null = null
  readonly depths: number[] = []
  readonly splitFeatures: number[] = []
  readonly thresholds: number[] = []
  readonly leafValues: number[] = []

  /**
   * @param inputs the model's input columns
   * @param numericInput input index of each numeric block feature
   * @param catInput input index of each categorical input
   */
  constructor(
    readonly inputs: readonly ObliviousInput[],
    private readonly numericInput: Int32Array,
    private readonly catInput: Int32Array,
    private readonly cats: CategoricalCandidates,
    readonly nOutputs: number,
    readonly baseMargin: Float64Array,
  ) {}

  /** Appends a tree: its splits (level order) and 2^depth x K leaf values. */
  addTree(splits: readonly TreeSplit[], leafValues: Float64Array): void {
    this.depths.push(splits.length)
    for (const s of splits) {
      this.splitFeatures.push(this.featureOf(s))
      this.thresholds.push(s.threshold)
    }
    for (const v of leafValues) this.leafValues.push(v)
  }

  /** The ensemble of the first `nTrees` trees. */
  build(nTrees = this.depths.length): ObliviousEnsemble {
    const t = this.tableArrays()
    let nSplits = 0
    let nLeaves = 0
    for (let i = 0; i < nTrees; i++) {
      nSplits += this.depths[i]
      nLeaves += (1 << this.depths[i]) * this.nOutputs
    }
    return {
      inputs: this.inputs.map((i) => (i.categories ? { name: i.name, categories: [...i.categories] } : { name: i.name })),
      featureKind: Uint8Array.from(this.features, (f) => f.kind),
      featureInput: Int32Array.from(this.features, (f) => f.input),
      featureArg: Int32Array.from(this.features, (f) => f.arg),
      featurePrior: Float64Array.from(this.features, (f) => f.prior),
      tableInputStart: t.inputStart,
      tableInputs: t.inputs,
      tableStart: t.start,
      tableKeys: t.keys,
      tableCounts: t.counts,
      tableSums: t.sums,
      nStats: this.cats.targets.length,
      nOutputs: this.nOutputs,
      baseMargin: Float64Array.from(this.baseMargin),
      treeDepth: Int32Array.from(this.depths.slice(0, nTrees)),
      splitFeature: Int32Array.from(this.splitFeatures.slice(0, nSplits)),
      splitThreshold: Float64Array.from(this.thresholds.slice(0, nSplits)),
      leafValues: Float64Array.from(this.leafValues.slice(0, nLeaves)),
    }
  }

  private featureOf(s: TreeSplit): number {
    let recipe: FeatureRecipe
    let key: string
    if (!s.column) {
      recipe = { kind: FeatureKind.Numeric, input: this.numericInput[s.numeric], arg: 0, prior: 0 }
      key = `n${s.numeric}`
    } else {
      const d = this.cats.descs[s.column.ref]
      if (d.kind === 'onehot') {
        recipe = { kind: FeatureKind.OneHot, input: this.catInput[d.cat], arg: d.code, prior: 0 }
        key = `o${d.cat}|${d.code}`
      } else {
        recipe = { kind: FeatureKind.Ctr, input: this.tableOf(d.comb), arg: d.stat, prior: this.cats.priors[d.stat] }
        key = `c${d.comb.key}|${d.stat}`
      }
    }
    let id = this.featureIds.get(key)
    if (id === undefined) {
      id = this.features.push(recipe) - 1
      this.featureIds.set(key, id)
    }
    return id
  }

  private tableOf(comb: Combination): number {
    let id = this.tableIds.get(comb.key)
    if (id === undefined) {
      id = this.tables.push(comb) - 1
      this.tableIds.set(comb.key, id)
      this.builtTables = null
    }
    return id
  }

  /** Tables with keys ascending, rebuilt only when a table was added. */
  private tableArrays(): Tables {
    if (this.builtTables) return this.builtTables
    const T = this.cats.targets.length
    const inputStart = new Int32Array(this.tables.length + 1)
    const start = new Int32Array(this.tables.length + 1)
    const inputs: number[] = []
    let nKeys = 0
    this.tables.forEach((c, t) => {
      for (const m of c.members) inputs.push(this.catInput[m])
      inputStart[t + 1] = inputs.length
      nKeys += c.nIds
      start[t + 1] = nKeys
    })
    const keys = new Float64Array(nKeys)
    const counts = new Float64Array(nKeys)
    const sums = new Float64Array(nKeys * T)
    this.tables.forEach((c, t) => {
      const stats = this.cats.tableStats(c)
      const order = Int32Array.from({ length: c.nIds }, (_, i) => i).sort((a, b) => c.keyOfId[a] - c.keyOfId[b])
      for (let j = 0; j < c.nIds; j++) {
        const id = order[j]
        const p = start[t] + j
        keys[p] = c.keyOfId[id]
        counts[p] = stats.counts[id]
        for (let s = 0; s < T; s++) sums[p * T + s] = stats.sums[id * T + s]
      }
    })
    this.builtTables = { inputStart, inputs: Int32Array.from(inputs), start, keys, counts, sums }
    return this.builtTables
  }
}
