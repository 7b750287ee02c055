import { describe, expect, it } from 'vitest'
import { ParamError } from '../../errors.js'
import { checkHyperparameters, hyperparameterArgs, hyperparameterEnv, hyperparameterFile, hyperparameterText } from './hyperparameters.js'

describe('hyperparameters for scripts', () => {
  const hps = { lr: 0.1, epochs: 10, shuffle: true, objective: 'reg:squarederror', tiny: 1e-7 }

  it('passes sorted --name value arguments with Python spellings of booleans', () => {
    expect(hyperparameterArgs(hps)).toEqual(['--epochs', '10', '--lr', '0.1', '--objective', 'reg:squarederror', '--shuffle', 'True', '--tiny', '1e-7'])
    expect(hyperparameterText(false)).toBe('False')
  })

  it('writes hyperparameters.json values as that text and SM_HP_ values as JSON unless strings', () => {
    expect(hyperparameterFile(hps)).toEqual({ lr: '0.1', epochs: '10', shuffle: 'True', objective: 'reg:squarederror', tiny: '1e-7' })
    expect([hyperparameterEnv(true), hyperparameterEnv(3), hyperparameterEnv('a b')]).toEqual(['true', '3', 'a b'])
  })

  it('refuses names and values no environment can carry', () => {
    expect(() => checkHyperparameters(hps)).not.toThrow()
    const bad: Record<string, number | string>[] = [{ 'a=b': 1 }, { '': 1 }, { a: 'x\0y' }]
    for (const wrong of bad) expect(() => checkHyperparameters(wrong)).toThrow(ParamError)
  })
})
