// `npm test`: typecheck → unit + integration (vitest) → build (electron-vite; the worker bundles started in plain Node) → end-to-end
// (Playwright in Debian's Chromium against serve mode). Ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureChromium } from './ensure-test-deps.mjs'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const results = path.join(root, 'test-results')
fs.mkdirSync(results, { recursive: true })
const only = process.argv[2] // optional: typecheck | lint | unit | build | e2e

const node = (script, ...args) => [process.execPath, path.join(root, script), ...args]
const stages = [
  { name: 'typecheck', cmd: node('node_modules/typescript/bin/tsc', '-p', 'tsconfig.node.json', '--noEmit') },
  { name: 'typecheck', cmd: node('node_modules/vue-tsc/bin/vue-tsc.js', '-p', 'tsconfig.web.json', '--noEmit') },
  { name: 'lint', cmd: node('node_modules/eslint/bin/eslint.js', '.') },
  { name: 'lint', cmd: node('node_modules/prettier/bin/prettier.cjs', '--check', '--log-level', 'warn', '.') },
  {
    name: 'unit',
    cmd: node(
      'node_modules/vitest/vitest.mjs',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${path.join(results, 'vitest.json')}`
    ),
    count: () => {
      const r = JSON.parse(fs.readFileSync(path.join(results, 'vitest.json'), 'utf8'))
      return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + (r.numTodoTests ?? 0) }
    }
  },
  { name: 'build', cmd: node('node_modules/electron-vite/bin/electron-vite.js', 'build') },
  { name: 'build', cmd: [process.execPath, '--check', path.join(root, 'out/main/index.js')] },
  { name: 'build', cmd: [process.execPath, path.join(root, 'scripts/bundle-smoke.mjs')] },
  {
    name: 'e2e',
    before: ensureChromium,
    cmd: node('node_modules/@playwright/test/cli.js', 'test'),
    count: () => {
      const r = JSON.parse(fs.readFileSync(path.join(results, 'e2e-report.json'), 'utf8'))
      return { passed: r.stats.expected + r.stats.flaky, failed: r.stats.unexpected, skipped: r.stats.skipped }
    }
  }
]

const total = { passed: 0, failed: 0, skipped: 0 }
let failedStage = null
for (const stage of stages) {
  if (only && stage.name !== only) continue
  process.stdout.write(
    `\n=== ${stage.name}: ${stage.cmd
      .slice(1)
      .map((a) => path.relative(root, a) || a)
      .join(' ')}\n`
  )
  const started = Date.now()
  if (stage.before && !stage.before()) {
    total.failed += 1
    failedStage = stage.name
    break
  }
  const run = spawnSync(stage.cmd[0], stage.cmd.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, FORCE_COLOR: '0' } })
  let counted = null
  try {
    counted = stage.count?.() ?? null
  } catch {
    // No report: the stage died before writing one; its exit code says enough.
  }
  if (counted) for (const k of Object.keys(total)) total[k] += counted[k]
  process.stdout.write(
    `=== ${stage.name} ${run.status === 0 ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`
  )
  if (run.status !== 0) {
    if (!counted) total.failed += 1
    failedStage = stage.name
    break
  }
}

if (failedStage) process.stdout.write(`\nnpm test stopped at the ${failedStage} stage.\n`)
process.stdout.write(`\n${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`)
process.exitCode = failedStage ? 1 : 0
