/**
 * XGBoost objectives a gbdt model can stand for: the output link its `predict` applies, and how
 * the stored `base_score` becomes a margin (XGBoost's `ProbToMargin`, the same in 1.x and 2.x).
 */
import type { Link } from '../../runtime/link.js'

/** What an objective means for prediction. */
export interface ObjectiveInfo {
  readonly link: Link
  /** The margin of a stored base score, in float32 as XGBoost computes it; NaN when out of range. */
  readonly baseMargin: (baseScore: number) => number
}

const identity = (b: number) => b
const logit = (b: number) => (b > 0 && b < 1 ? Math.fround(-Math.log(1 / b - 1)) : NaN)
const log = (b: number) => (b > 0 ? Math.fround(Math.log(b)) : NaN)

/**
 * The objectives that import. `binary:logitraw` predicts raw margins in XGBoost; a binary member
 * of an ensemble predicts probabilities, so it imports with the sigmoid link (its margins are
 * XGBoost's predictions).
 */
export const XGBOOST_OBJECTIVES: Readonly<Record<string, ObjectiveInfo>> = {
  'reg:squarederror': { link: 'identity', baseMargin: identity },
  'reg:linear': { link: 'identity', baseMargin: identity },
  'reg:squaredlogerror': { link: 'identity', baseMargin: identity },
  'reg:pseudohubererror': { link: 'identity', baseMargin: identity },
  'reg:absoluteerror': { link: 'identity', baseMargin: identity },
  'reg:logistic': { link: 'sigmoid', baseMargin: logit },
  'binary:logistic': { link: 'sigmoid', baseMargin: logit },
  'binary:logitraw': { link: 'sigmoid', baseMargin: identity },
  'count:poisson': { link: 'exp', baseMargin: log },
  'reg:gamma': { link: 'exp', baseMargin: log },
  'reg:tweedie': { link: 'exp', baseMargin: log },
  'multi:softprob': { link: 'softmax', baseMargin: identity },
  'multi:softmax': { link: 'softmax', baseMargin: identity },
}

/**
 * The import rules of an objective, or undefined for one that does not import.
 * @example xgboostObjective('binary:logistic')?.baseMargin(0.5) // 0
 */
export function xgboostObjective(name: string): ObjectiveInfo | undefined {
  return Object.prototype.hasOwnProperty.call(XGBOOST_OBJECTIVES, name) ? XGBOOST_OBJECTIVES[name] : undefined
}
