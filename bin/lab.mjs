#!/usr/bin/env node
// The headless `lab` command, started from its JavaScript build (out/cli-*, see cli.vite.config.ts)
// so that a start costs Node's own start; the build is redone first when the sources are newer.
import { pathToFileURL } from 'node:url'
import path from 'node:path'
import { ensureCliBuilt } from '../scripts/ensure-built.mjs'

let built
try {
  built = await ensureCliBuilt()
} catch (error) {
  process.stderr.write(`lab: ${error.message}\n`)
  process.exit(1)
}
const { main } = await import(pathToFileURL(path.join(built, 'cli.js')).href)
process.exitCode = await main(process.argv.slice(2))
