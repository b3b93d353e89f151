/**
 * The coach dashboard's build: Preact through Vite's own JSX transform (no plugin, no Babel),
 * served under `/app/` both locally and on CloudFront.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Small bundles are a requirement: the build fails loudly rather than silently growing.
    chunkSizeWarningLimit: 120,
    reportCompressedSize: false,
  },
  logLevel: 'warn',
});
