/**
 * Writes a brotli (.br) and a gzip (.gz) copy beside each text file of the build, compressed once
 * at the strongest settings, for the server to send to browsers that accept them (@fastify/static
 * `preCompressed`): compressing on every request would cost the server CPU for a weaker result.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import type { Plugin } from 'vite'

const COMPRESSIBLE = ['.js', '.css', '.html', '.svg', '.json', '.txt']
export const COMPRESSED_SUFFIXES = ['.br', '.gz']
/** Below this a response fits in a packet or two anyway. */
const MIN_BYTES = 256

function textFiles(dir: string): string[] {
  const files: string[] = []
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) files.push(...textFiles(full))
    else if (COMPRESSIBLE.includes(path.extname(entry.name))) files.push(full)
  }
  return files
}

export function compressFile(file: string): void {
  const content = fs.readFileSync(file)
  if (content.length < MIN_BYTES) return
  const brotli = zlib.brotliCompressSync(content, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  })
  const gzip = zlib.gzipSync(content, { level: zlib.constants.Z_BEST_COMPRESSION })
  // A copy no smaller than the file is no use; the server then sends the file itself.
  if (brotli.length < content.length) fs.writeFileSync(`${file}.br`, brotli)
  if (gzip.length < content.length) fs.writeFileSync(`${file}.gz`, gzip)
}

/**
 * Compresses every text file in `outDir` once the build is complete: after every other plugin's
 * closeBundle (the service worker is built there), so that sw.js is compressed too.
 */
export function precompress(outDir: string): Plugin {
  return {
    name: 'kartu-precompress',
    apply: 'build',
    closeBundle: {
      order: 'post',
      sequential: true,
      handler() {
        for (const file of textFiles(outDir)) compressFile(file)
      },
    },
  }
}
