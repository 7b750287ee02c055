/**
 * The `linear` learner's parameters: scikit-learn's names (Ridge's `alpha`, LogisticRegression's
 * `C`, `fit_intercept`, `max_iter`, `tol`, `penalty`, `class_weight`, `solver`), defined once.
 * Validation, CLI help and tuning ranges all read this schema.
 *
 * Regularisation: set `alpha` or `C`, not both; alpha = 1 / C whatever the task. Regression
 * minimises ||y - Xw - b||^2 + alpha ||w||^2 (Ridge); classification minimises
 * sum(log-loss) + alpha / 2 ||w||^2, which is LogisticRegression's C * sum(log-loss) + ||w||^2 / 2
 * divided by C. Both act on the standardised features, so alpha = 1 (C = 1) here equals
 * scikit-learn's `make_pipeline(StandardScaler(), Ridge())` and
 * `make_pipeline(StandardScaler(), LogisticRegression())`.
 */
import { z } from 'zod'
import type { Aliases } from '../params.js'

export const linearParams = z.object({
  alpha: z.number().min(0).optional().describe('L2 regularisation strength on the standardised features (Ridge\'s alpha; 1 / C). Default 1 when neither alpha nor C is set'),
  C: z.number().gt(0).optional().describe('Inverse regularisation strength (LogisticRegression\'s C): alpha = 1 / C. Set alpha or C, not both'),
  penalty: z.enum(['l2', 'none']).default('l2').describe('l2: ridge penalty of strength alpha; none: unpenalised (least squares, maximum likelihood)'),
  fit_intercept: z.boolean().default(true).describe('Fit an unpenalised intercept'),
  max_iter: z.number().int().min(1).default(1000).describe('Iterations of the classification solver (ridge is solved exactly)'),
  tol: z.number().gt(0).lte(1e-4).default(1e-6).describe('Classification converges when every gradient entry of the mean penalised log-loss is below tol'),
  solver: z.enum(['auto', 'newton-cholesky', 'lbfgs']).default('auto').describe('Classification solver: auto: Newton (exact Hessian) for up to 50 coefficients and intercepts, else L-BFGS'),
  class_weight: z.enum(['none', 'balanced']).default('none').describe('balanced: weight rows by n / (classes x rows of the class), as scikit-learn (classification only)'),
})

export type LinearParams = z.infer<typeof linearParams>

export const linearAliases: Aliases = {
  reg_lambda: 'alpha',
  max_iterations: 'max_iter',
}
