import { svelte } from '@sveltejs/vite-plugin-svelte'
import { defineConfig } from 'electron-vite'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(fileURLToPath(import.meta.url))

// Custom roots, one per runtime: src-main, src-preload, src-renderer. The main build has five entries:
// the Electron entry, the job worker thread, the sampling thread, the training thread and the
// imported models' forward thread, which the engine starts from the bundle.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve(root, 'src-main/index.ts'),
          worker: resolve(root, 'src-main/core/jobs/worker-entry.ts'),
          sampler: resolve(root, 'src-main/core/model/sampler-worker.ts'),
          trainer: resolve(root, 'src-main/core/train/train-worker.ts'),
          'hf-forward': resolve(root, 'src-main/core/model/hf/forward-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(root, 'src-preload/index.ts') },
        // A sandboxed preload must be CommonJS.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    base: './',
    plugins: [svelte()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
  },
})
