/**
 * The CLI's arguments: Node's parseArgs splits them, and every refusal names the option and says
 * what to write instead — a typo must never silently change an experiment.
 */
import { describe, expect, it } from 'vitest'
import { parseArgs, takeOption, UsageError } from '../../../src-main/cli/args'

const spec = { values: ['eps', 'out'], flags: ['pdf'] }

function refusal(argv: string[], s = spec): string {
  try {
    parseArgs(argv, s)
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError)
    return (error as Error).message
  }
  throw new Error(`${argv.join(' ')} was accepted`)
}

describe('parseArgs', () => {
  it('reads --key value, --key=value, flags and positionals in any order', () => {
    expect(parseArgs(['3', '--eps', '8/255', '4', '--out=r.html', '--pdf', '--json'], spec)).toEqual({
      positionals: ['3', '4'],
      options: { eps: '8/255', out: 'r.html', pdf: true, json: true }
    })
  })
  it('keeps a value that starts with one dash, and the last of a repeated option', () => {
    expect(parseArgs(['--eps', '-1', '--eps', '4/255'], spec).options.eps).toBe('4/255')
    expect(parseArgs(['--eps', '-1'], spec).options.eps).toBe('-1')
  })
  it('takes everything after -- as positionals', () => {
    expect(parseArgs(['--', '--pdf', '-x'], spec)).toEqual({ positionals: ['--pdf', '-x'], options: {} })
  })
  it('gives every command --json and --help', () => {
    expect(parseArgs(['--help'], {}).options).toEqual({ help: true })
  })
  it('refuses an unknown option by name and lists the options the command takes', () => {
    expect(refusal(['--epsilon', '8/255'])).toBe(
      'Unknown option --epsilon; this command takes --eps VALUE, --out VALUE, --pdf, --json, --help.'
    )
  })
  it('refuses a value option without a value, also when an option follows in its place', () => {
    expect(refusal(['--eps'])).toBe('Option --eps needs a value, e.g. --eps VALUE (or --eps=VALUE when the value starts with "--").')
    expect(refusal(['--eps', '--pdf'])).toContain('Option --eps needs a value')
    expect(parseArgs(['--eps=--odd'], spec).options.eps).toBe('--odd')
  })
  it('refuses a value given to a flag', () => {
    expect(refusal(['--pdf=yes'])).toBe('Option --pdf takes no value; write just --pdf.')
  })
  it('refuses single-dash options, saying options have two dashes', () => {
    expect(refusal(['-e', '8/255'])).toBe(
      'Unknown option -e: options are written with two dashes (--eps VALUE, --out VALUE, --pdf, --json, --help).'
    )
  })
})

describe('takeOption (the global --data-dir)', () => {
  it('takes it from anywhere, in both spellings, and leaves the rest in order', () => {
    expect(takeOption(['study', '--data-dir', '/d', 'list', '--json'], 'data-dir')).toEqual({
      value: '/d',
      rest: ['study', 'list', '--json']
    })
    expect(takeOption(['status', '--data-dir=/e'], 'data-dir')).toEqual({ value: '/e', rest: ['status'] })
    expect(takeOption(['status'], 'data-dir')).toEqual({ value: undefined, rest: ['status'] })
  })
  it('leaves a --data-dir after -- to the command', () => {
    expect(takeOption(['x', '--', '--data-dir', '/d'], 'data-dir')).toEqual({ value: undefined, rest: ['x', '--', '--data-dir', '/d'] })
  })
  it('refuses a --data-dir without a folder instead of using the default log', () => {
    expect(() => takeOption(['status', '--data-dir'], 'data-dir')).toThrow('Option --data-dir needs a value, e.g. --data-dir DIR.')
    expect(() => takeOption(['status', '--data-dir', '--json'], 'data-dir')).toThrow('Option --data-dir needs a value')
  })
})
