import { resolve } from 'node:path'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

const alias = {
  '@api': resolve(__dirname, 'src-main/api'),
  '@renderer': resolve(__dirname, 'src-renderer/src')
}

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src-main/main/index.ts'),
          // Job worker threads load this file (see src-main/lab/jobs/worker-url.ts).
          'worker-entry': resolve(__dirname, 'src-main/lab/jobs/worker-entry.ts'),
          'probe-entry': resolve(__dirname, 'src-main/lab/jobs/probe-entry.ts'),
          'shard-worker': resolve(__dirname, 'src-main/lab/eval/shard-worker.ts'),
          'replica-worker': resolve(__dirname, 'src-main/lab/train/parallel/replica-worker.ts')
        }
      }
    }
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    resolve: { alias },
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: 'src-renderer',
    plugins: [vue()],
    resolve: { alias },
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: { input: { index: resolve(__dirname, 'src-renderer/index.html') } }
    }
  }
})
