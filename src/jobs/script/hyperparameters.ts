/**
 * How hyperparameters reach a script, as SageMaker's training toolkit passes them:
 * - command-line arguments `--name value`, names sorted, each value as text (below);
 * - `input/config/hyperparameters.json`: every value as that same text;
 * - `SM_HPS`: one JSON object with the values' own types;
 * - `SM_HP_<NAME>`: a string as is, any other value as JSON (so `true`, not `True`).
 * The text of a value: a string as is, a number in its shortest decimal form, a boolean as
 * `True`/`False` (Python's spelling, which scripts ported from SageMaker parse).
 */
import { ParamError } from '../../errors.js'
import type { HyperValue } from '../spec/types.js'

/**
 * The text of a value on the command line and in hyperparameters.json.
 * @example hyperparameterText(true) // 'True'
 */
export function hyperparameterText(value: HyperValue): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  return String(value)
}

/**
 * The value of a `SM_HP_<NAME>` variable.
 * @example hyperparameterEnv(true) // 'true'
 */
export function hyperparameterEnv(value: HyperValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}

/**
 * The `--name value` arguments, names sorted.
 * @example hyperparameterArgs({ lr: 0.1, epochs: 3 }) // ['--epochs', '3', '--lr', '0.1']
 */
export function hyperparameterArgs(hyperparameters: Readonly<Record<string, HyperValue>>): string[] {
  return Object.keys(hyperparameters)
    .sort()
    .flatMap((name) => [`--${name}`, hyperparameterText(hyperparameters[name])])
}

/**
 * hyperparameters.json's content: every value as its text.
 * @example hyperparameterFile({ epochs: 3 }) // { epochs: '3' }
 */
export function hyperparameterFile(hyperparameters: Readonly<Record<string, HyperValue>>): Record<string, string> {
  return Object.fromEntries(Object.entries(hyperparameters).map(([name, value]) => [name, hyperparameterText(value)]))
}

/**
 * Refuses what no environment or argument list can carry: an empty name, `=` in a name, a NUL
 * character anywhere. Raises a ParamError naming the hyperparameter.
 * @example checkHyperparameters({ 'a=b': 1 }) // throws ParamError
 */
export function checkHyperparameters(hyperparameters: Readonly<Record<string, HyperValue>>): void {
  for (const [name, value] of Object.entries(hyperparameters)) {
    const field = `estimator.hyperparameters.${name}`
    if (name === '' || name.includes('=') || name.includes('\0')) {
      throw new ParamError(`hyperparameter name '${name.replaceAll('\0', '\\0')}' cannot be passed to a script (empty, '=' or NUL)`, { field })
    }
    if (typeof value === 'string' && value.includes('\0')) throw new ParamError('hyperparameter value holds a NUL character', { field })
  }
}
