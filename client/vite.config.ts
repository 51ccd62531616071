import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { build, defaultClientConditions, defineConfig, type Plugin } from 'vite'
import { COMPRESSED_SUFFIXES, precompress } from './build/precompress.ts'

/** The Kartu server in development (it serves client/dist itself in production). */
const server = process.env.KARTU_DEV_SERVER ?? 'http://localhost:8080'

const clientRoot = path.dirname(fileURLToPath(import.meta.url))
const outDir = path.join(clientRoot, 'dist')
const SERVICE_WORKER_FILE = 'sw.js'

function listFiles(dir: string, base = dir): string[] {
  const files: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) files.push(...listFiles(full, base))
    else files.push(path.relative(base, full).split(path.sep).join('/'))
  }
  return files.sort()
}

/**
 * Builds the service worker (client/src/sw/serviceWorker.ts) to dist/sw.js once the app is
 * built: one classic script (IIFE, no imports), carrying the list of files to precache and a
 * version hashed from their contents, so that every build that changes a file gets new caches.
 */
function serviceWorker(): Plugin {
  return {
    name: 'kartu-service-worker',
    apply: 'build',
    async closeBundle() {
      // Not the compressed copies (build/precompress.ts): the browser caches what it decoded.
      const files = listFiles(outDir).filter(
        (file) =>
          !file.endsWith('.map') &&
          file !== SERVICE_WORKER_FILE &&
          !COMPRESSED_SUFFIXES.some((suffix) => file.endsWith(suffix)),
      )
      const hash = createHash('sha256')
      for (const file of files) {
        hash.update(file)
        hash.update(fs.readFileSync(path.join(outDir, file)))
      }
      hash.update(fs.readFileSync(path.join(clientRoot, 'src/sw/serviceWorker.ts')))
      const version = hash.digest('hex').slice(0, 12)
      const precache = files.map((file) => `/${file}`)
      await build({
        configFile: false,
        root: clientRoot,
        logLevel: 'warn',
        publicDir: false,
        define: { __KARTU_SW_BUILD__: JSON.stringify({ version, precache }) },
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          sourcemap: false,
          lib: {
            entry: path.join(clientRoot, 'src/sw/serviceWorker.ts'),
            formats: ['iife'],
            name: 'kartuServiceWorker',
            fileName: () => SERVICE_WORKER_FILE,
          },
        },
      })
      const script = fs.readFileSync(path.join(outDir, SERVICE_WORKER_FILE), 'utf8')
      if (!script.includes(version) || /^\s*(import|export)\b/m.test(script)) {
        throw new Error(`${SERVICE_WORKER_FILE}: not a self-contained classic script`)
      }
    },
  }
}

export default defineConfig({
  plugins: [react(), serviceWorker(), precompress(outDir)],
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
