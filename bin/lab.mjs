#!/usr/bin/env node
// The headless `lab` command. It runs the TypeScript sources through tsx so that the CLI, serve
// mode and the tests all execute the very same code the desktop app bundles.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src-main/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
