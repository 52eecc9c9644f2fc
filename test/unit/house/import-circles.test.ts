/**
 * No module imports itself through others — type-only imports included, since a type circle still
 * ties two modules' meanings together (a shared type belongs to the module it describes).
 * The graph is built from the sources' relative import specifiers; a circle is a strongly
 * connected component of more than one module (Tarjan).
 */
import { describe, expect, it } from 'vitest'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const root = path.resolve(__dirname, '../../..')

function sourcesUnder(dir: string): string[] {
  const out: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isDirectory()) out.push(...sourcesUnder(p))
    else if (/\.(ts|vue)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

const SPECIFIER = /(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g

function resolve(from: string, specifier: string): string | null {
  const base = path.resolve(path.dirname(from), specifier)
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')])
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate
  return null
}

export function importCircles(dir: string): string[][] {
  const files = sourcesUnder(dir)
  const graph = new Map(
    files.map((f) => [
      f,
      [...fs.readFileSync(f, 'utf8').matchAll(SPECIFIER)].map((m) => resolve(f, m[1])).filter((p): p is string => p !== null)
    ])
  )
  let counter = 0
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const circles: string[][] = []
  const visit = (v: string): void => {
    index.set(v, counter)
    low.set(v, counter++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!))
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(path.relative(root, w))
      } while (w !== v)
      if (component.length > 1 || graph.get(v)!.includes(v)) circles.push(component.sort())
    }
  }
  for (const f of files) if (!index.has(f)) visit(f)
  return circles
}

describe('imports', () => {
  it.each(['src-main', 'src-renderer'])('%s has no import circle', (dir) => {
    expect(importCircles(path.join(root, dir))).toEqual([])
  })

  it('finds a circle when there is one (the check itself can fail)', () => {
    const tmp = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'circles-'))
    fs.writeFileSync(path.join(tmp, 'a.ts'), "import type { B } from './b'\nexport type A = B")
    fs.writeFileSync(path.join(tmp, 'b.ts'), "import type { A } from './a'\nexport type B = A | 1")
    fs.writeFileSync(path.join(tmp, 'c.ts'), "import type { A } from './a'\nexport type C = A")
    expect(importCircles(tmp).map((c) => c.map((f) => path.basename(f)))).toEqual([['a.ts', 'b.ts']])
    fs.rmSync(tmp, { recursive: true })
  })
})
