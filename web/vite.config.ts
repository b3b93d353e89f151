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
    // The privacy notice is a page of its own at /app/privacy.html, without script, at a stable
    // URL that SMS and email registrations can point at.
    rollupOptions: {
      input: {
        main: fileURLToPath(new URL('index.html', import.meta.url)),
        privacy: fileURLToPath(new URL('privacy.html', import.meta.url)),
      },
    },
  },
  logLevel: 'warn',
});
