/**
 * Parsers of numeric command-line option values, shared by the commands, so every command says
 * the same thing about the same mistake.
 */
import { InvalidArgumentError } from 'commander'

/**
 * A whole number, negative allowed (a seed).
 * @example .option('--seed <int>', 'seed of the fold assignment', parseInteger, 0)
 */
export function parseInteger(text: string): number {
  const value = Number(text)
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(value)) throw new InvalidArgumentError('expected an integer')
  return value
}

/**
 * A whole number of at least 1 (a count).
 * @example .option('--workers <n>', 'fits side by side', parsePositiveInteger)
 */
export function parsePositiveInteger(text: string): number {
  const value = parseInteger(text)
  if (value < 1) throw new InvalidArgumentError('expected a positive integer')
  return value
}
