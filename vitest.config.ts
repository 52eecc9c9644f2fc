import { defineConfig } from 'vitest/config'
import { fileURLToPath } from 'node:url'

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url))

export default defineConfig({
  resolve: {
    alias: {
      '@api': r('./src-main/api'),
      '@lab': r('./src-main/lab'),
      '@renderer': r('./src-renderer/src')
    }
  },
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/corpus/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Engine tests load wasm and train small models: keep them in separate processes.
    pool: 'forks'
  }
})
