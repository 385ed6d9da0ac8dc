import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Two entries: the site page's launcher (hashed, immutable) and the embed's `widget.js` (stable
 * name, short cache). `base: './'` makes every chunk resolve relative to the script that loads
 * it, so the embed works from any origin. The chat chunk's React is preact/compat unless
 * CHAT_RUNTIME=react (kept for the size comparison; docs/decisions/0012-widget-chat-chunk.md).
 */
const preact = process.env.CHAT_RUNTIME !== 'react';
const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  base: './',
  publicDir: false,
  resolve: {
    alias: preact
      ? [
          { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
          { find: /^react-dom$/, replacement: 'preact/compat' },
          { find: /^react\/jsx-runtime$/, replacement: 'preact/jsx-runtime' },
          { find: /^react$/, replacement: 'preact/compat' },
        ]
      : [],
  },
  build: {
    outDir: process.env.WEB_OUT_DIR ?? 'dist',
    emptyOutDir: true,
    manifest: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { site: src('./src/entries/site.ts'), widget: src('./src/entries/widget.ts') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'widget' ? 'widget.js' : 'assets/[name]-[hash].js'),
        chunkFileNames: 'assets/[name]-[hash].js',
        assetFileNames: 'assets/[name]-[hash][extname]',
      },
    },
  },
});
