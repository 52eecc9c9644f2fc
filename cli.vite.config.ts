import { resolve } from 'node:path'
import { defineConfig } from 'vite'
import { WORKER_ENTRIES } from './worker-entries'

/**
 * The `lab` CLI and serve mode as plain JavaScript, so a start costs Node's own start
 * and not a TypeScript compile (bin/lab.mjs and scripts/serve.mjs rebuild it when the sources are
 * newer; see scripts/ensure-built.mjs). An SSR build keeps every package external: better-sqlite3,
 * tfjs-node(-gpu) and the wasm backend's files load from node_modules as they do from the sources.
 * The worker entries sit beside the bundles, where worker-url.ts looks for them.
 */
export default defineConfig({
  resolve: { alias: { '@api': resolve(import.meta.dirname, 'src-main/api'), '@lab': resolve(import.meta.dirname, 'src-main/lab') } },
  logLevel: 'warn',
  build: {
    ssr: true,
    target: 'node20',
    // scripts/ensure-built.mjs gives each build a folder of its own (out/cli-<id>) instead.
    outDir: 'out/cli',
    emptyOutDir: true,
    minify: false,
    reportCompressedSize: false,
    rollupOptions: {
      input: {
        cli: resolve(import.meta.dirname, 'src-main/cli/main.ts'),
        serve: resolve(import.meta.dirname, 'src-main/server/main.ts'),
        ...WORKER_ENTRIES
      },
      // Chunks stay in the same folder as the entries: serve mode finds out/renderer two levels up.
      output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' }
    }
  }
})
