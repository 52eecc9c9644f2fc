/**
 * Rule 1 of the architecture: src-main/lab never imports electron; src-renderer never imports
 * Node modules. Both speak only the contract.
 */
import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import { builtinModules } from 'node:module'

const root = path.resolve(__dirname, '../../..')

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(full)
    return /\.(ts|tsx|vue|js|mjs)$/.test(e.name) ? [full] : []
  })
}

/** Every module specifier a file imports, statically or dynamically. */
export function importsOf(source: string): string[] {
  const specifiers: string[] = []
  const patterns = [
    /\bimport\s+(?:type\s+)?(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]/g,
    /\bexport\s+(?:type\s+)?[\w*{}\s,$]+\s+from\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g
  ]
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) specifiers.push(m[1])
  return specifiers
}

const nodeModules = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)])
const nodeOnlyPackages = ['electron', 'better-sqlite3', 'ws', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu']

describe('architecture boundaries', () => {
  it('finds imports of every form (the checker itself)', () => {
    expect(
      importsOf(`import a from 'electron'\nimport type { B } from "node:fs"\nconst c = await import('os')\nexport * from 'path'`)
    ).toEqual(expect.arrayContaining(['electron', 'node:fs', 'os', 'path']))
  })

  it('src-main/lab never imports electron', () => {
    const offenders = sourceFiles(path.join(root, 'src-main/lab')).filter((file) =>
      importsOf(fs.readFileSync(file, 'utf8')).some((s) => s === 'electron' || s.startsWith('electron/'))
    )
    expect(offenders).toEqual([])
  })

  it('src-renderer never imports a Node module or a Node-only package', () => {
    const offenders: string[] = []
    for (const file of sourceFiles(path.join(root, 'src-renderer'))) {
      for (const spec of importsOf(fs.readFileSync(file, 'utf8'))) {
        if (nodeModules.has(spec) || nodeOnlyPackages.some((p) => spec === p || spec.startsWith(p + '/')))
          offenders.push(`${path.relative(root, file)} imports ${spec}`)
      }
    }
    expect(offenders).toEqual([])
  })

  it('the contract (src-main/api) is pure: no Node, no Electron, so both sides can import it', () => {
    const offenders = sourceFiles(path.join(root, 'src-main/api')).filter((file) =>
      importsOf(fs.readFileSync(file, 'utf8')).some((s) => nodeModules.has(s) || nodeOnlyPackages.includes(s))
    )
    expect(offenders).toEqual([])
  })
})
