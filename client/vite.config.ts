import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

/** The Kartu server in development (it serves client/dist itself in production). */
const server = process.env.KARTU_DEV_SERVER ?? 'http://localhost:8080'

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    // The entry holds React, the router, zod and Yjs, which every page needs (~190 kB gzip);
    // the editor is split off into the card page's chunk.
    chunkSizeWarningLimit: 700,
  },
  resolve: {
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
