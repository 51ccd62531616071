import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'
import { VitePWA } from 'vite-plugin-pwa'
import { COMPRESSED_SUFFIXES, precompress } from './build/precompress.ts'

/** The Kartu server in development (it serves client/dist itself in production). */
const server = process.env.KARTU_DEV_SERVER ?? 'http://localhost:8080'

const clientRoot = path.dirname(fileURLToPath(import.meta.url))
const outDir = path.join(clientRoot, 'dist')
/**
 * The service worker (src/sw/sw.ts) built to dist/sw.js once the app is built, with the build's
 * files to precache written in: every file but the compressed copies (build/precompress.ts, which
 * runs after this, so that sw.js gets its own): the browser caches what it decoded. A file that
 * changes changes its revision or its hashed name in the list, so every such build gives a new
 * sw.js, which browsers find at once (the server sends it with no-cache).
 */
const serviceWorker = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'src/sw',
  filename: 'sw.ts',
  // Registered by src/app/serviceWorker.ts; no web app manifest.
  injectRegister: false,
  manifest: false,
  injectManifest: {
    // A classic script (no imports), as registered.
    rollupFormat: 'iife',
    globPatterns: ['**/*'],
    globIgnores: ['**/*.map', ...COMPRESSED_SUFFIXES.map((suffix) => `**/*${suffix}`)],
  },
})

export default defineConfig({
  plugins: [react(), serviceWorker, precompress(outDir)],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // No source maps in the build: the server would serve them to anyone, and the built files
    // would point at them. Debug with `pnpm dev`, which has maps of its own.
    sourcemap: false,
    // The entry holds React, the router, zod and Yjs, which every page needs (~190 kB gzip);
    // the editor is split off into the card page's chunk.
    chunkSizeWarningLimit: 700,
  },
  resolve: {
    // The workspace packages' TypeScript sources (their package.json exports under
    // `kartu-source`), bundled like the client's own; their dist/ is for Node in production.
    conditions: ['kartu-source', ...defaultClientConditions],
    // One copy of each: two copies of yjs break constructor checks between documents and types.
    dedupe: ['yjs', 'y-protocols', 'lib0', '@tiptap/pm', '@tiptap/core'],
  },
  server: {
    proxy: {
      // The Host header stays the dev server's, so the server's origin check sees one origin.
      '/api': { target: server },
      '/collab': { target: server, ws: true },
    },
  },
})
