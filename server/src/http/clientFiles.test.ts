/**
 * What the server answers from the built client's folder, in process: a source map left in the
 * folder is not served, and a missing build file is a 404 rather than the app page.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type BuiltApp, buildApp } from '../app.ts'
import { configFrom } from '../config.ts'
import {
  makeTempDir,
  openTempStorage,
  removeDir,
  type TempStorage,
} from '../testing/tempStorage.ts'
import { cacheControlFor, isAppRoute, isServedFile } from './clientFiles.ts'

describe('isServedFile and isAppRoute', () => {
  it('never serve a source map, and keep the app page to the client routes', () => {
    expect(isServedFile('/assets/index-1.js')).toBe(true)
    expect(isServedFile('/assets/index-1.js.map')).toBe(false)
    expect(isAppRoute('/cards/c1')).toBe(true)
    expect(isAppRoute('/decks/d1?tab=members')).toBe(true)
    for (const url of ['/api/x', '/collab/card:1', '/assets/gone.js', '/x.js.map', '/x.map?v=1']) {
      expect(isAppRoute(url)).toBe(false)
    }
  })
})

describe('cacheControlFor', () => {
  it('keeps hashed build files for a year and has everything else asked again', () => {
    const year = 'public, max-age=31536000, immutable'
    expect(cacheControlFor('assets/index-Ab12.js')).toBe(year)
    expect(cacheControlFor('assets/index-Ab12.js.br')).toBe(year)
    expect(cacheControlFor('assets\\index-Ab12.css.gz')).toBe(year)
    for (const file of ['index.html', 'index.html.br', 'sw.js', 'sw.js.gz']) {
      expect(cacheControlFor(file)).toBe('no-cache')
    }
  })
})

describe('the built client, served', () => {
  let temp: TempStorage
  let clientDir: string
  let built: BuiltApp
  beforeAll(async () => {
    temp = await openTempStorage()
    clientDir = makeTempDir()
    fs.mkdirSync(path.join(clientDir, 'assets'))
    fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Kartu</title>')
    fs.writeFileSync(path.join(clientDir, 'assets', 'app.js'), 'console.log(1)\n')
    // The build's precompressed copies (client/build/precompress.ts), marked to be told apart.
    fs.writeFileSync(path.join(clientDir, 'assets', 'app.js.br'), 'brotli bytes')
    fs.writeFileSync(path.join(clientDir, 'assets', 'app.js.gz'), 'gzip bytes')
    fs.writeFileSync(path.join(clientDir, 'index.html.br'), 'brotli page')
    // As a build with `sourcemap: 'hidden'` or an old build would leave it.
    fs.writeFileSync(path.join(clientDir, 'assets', 'app.js.map'), '{"sources":["secret.ts"]}')
    const config = configFrom({
      KARTU_LOG_LEVEL: 'silent',
      KARTU_DATA_DIR: temp.dir,
      KARTU_CLIENT_DIR: clientDir,
    })
    built = await buildApp(config, temp.storage)
  })
  afterAll(async () => {
    await built?.app.close()
    await temp?.cleanup()
    removeDir(clientDir)
  })

  it('serves the script but answers 404 for its source map, which is in the folder', async () => {
    const script = await built.app.inject({ url: '/assets/app.js' })
    expect(script.statusCode).toBe(200)
    for (const url of ['/assets/app.js.map', '/assets/app.js.map?x=1']) {
      const map = await built.app.inject({ url })
      expect(map.statusCode).toBe(404)
      expect(map.body).not.toContain('secret.ts')
      expect(map.headers['content-type']).toMatch(/application\/json/)
    }
  })

  it('answers the app page for client routes and 404 for a missing build file', async () => {
    const page = await built.app.inject({ url: '/cards/c1' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('<title>Kartu</title>')
    const missing = await built.app.inject({ url: '/assets/gone-123.js' })
    expect(missing.statusCode).toBe(404)
  })

  it('sends the precompressed copy a browser accepts, with the type of the file itself', async () => {
    const brotli = await built.app.inject({
      url: '/assets/app.js',
      headers: { 'accept-encoding': 'gzip, deflate, br, zstd' },
    })
    expect(brotli.statusCode).toBe(200)
    expect(brotli.headers['content-encoding']).toBe('br')
    expect(brotli.headers['content-type']).toMatch(/javascript/)
    expect(brotli.headers.vary).toMatch(/accept-encoding/i)
    expect(brotli.body).toBe('brotli bytes')
    const gzip = await built.app.inject({
      url: '/assets/app.js',
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(gzip.headers['content-encoding']).toBe('gzip')
    expect(gzip.body).toBe('gzip bytes')
    const plain = await built.app.inject({ url: '/assets/app.js' })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe('console.log(1)\n')
  })

  it('lets browsers keep hashed files for a year, and ask again for the app page', async () => {
    const script = await built.app.inject({
      url: '/assets/app.js',
      headers: { 'accept-encoding': 'br' },
    })
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    for (const url of ['/', '/cards/c1']) {
      const page = await built.app.inject({ url, headers: { 'accept-encoding': 'br' } })
      expect(page.statusCode, url).toBe(200)
      expect(page.headers['cache-control'], url).toBe('no-cache')
      expect(page.headers['content-encoding'], url).toBe('br')
      expect(page.headers['content-type'], url).toMatch(/text\/html/)
    }
  })
})
