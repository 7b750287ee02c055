import { describe, expect, it } from 'vitest'
import { poissonNloglik } from './count.js'

const f = (...v: number[]): Float64Array => Float64Array.from(v)

describe('poissonNloglik', () => {
  it("matches hand-computed values (checked against XGBoost's poisson-nloglik)", () => {
    // per row mu - y ln mu + ln y!:
    //   y 0, mu 1:   1 - 0 + 0                 = 1
    //   y 3, mu 2:   2 - 3 ln 2 + ln 6         = 1.712318
    //   y 1, mu 0.5: 0.5 - ln 0.5 + 0          = 1.193147
    //   y 5, mu 4:   4 - 5 ln 4 + ln 120       = 1.856020
    // mean 5.761485 / 4 = 1.440371 (XGBoost 1.7 prints 1.44037)
    const rows = [
      1,
      2 - 3 * Math.log(2) + Math.log(6),
      0.5 - Math.log(0.5),
      4 - 5 * Math.log(4) + Math.log(120),
    ]
    const y = f(0, 3, 1, 5)
    const mu = f(1, 2, 0.5, 4)
    expect(poissonNloglik(y, mu)).toBeCloseTo((rows[0] + rows[1] + rows[2] + rows[3]) / 4, 13)
    // weights [1, 2, 3, 4]: XGBoost prints 1.54282
    const weighted = (rows[0] + 2 * rows[1] + 3 * rows[2] + 4 * rows[3]) / 10
    expect(poissonNloglik(y, mu, f(1, 2, 3, 4))).toBeCloseTo(weighted, 13)
    expect(weighted).toBeCloseTo(1.54282, 5)
  })

  it('floors the predicted mean at 1e-16 instead of taking log 0', () => {
    // y 2, mu 0 -> 1e-16 - 2 ln 1e-16 + ln 2
    expect(poissonNloglik(f(2), f(0))).toBeCloseTo(1e-16 - 2 * Math.log(1e-16) + Math.LN2, 12)
    expect(poissonNloglik(f(0), f(0))).toBeCloseTo(1e-16, 20)
  })
})
