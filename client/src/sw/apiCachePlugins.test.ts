import { describe, expect, it } from 'vitest'
import { answerToKeep, forgetApiAnswersOnAuth, keepApiAnswers } from './apiCachePlugins.ts'
import { API_CACHE, API_OWNER_KEY } from './cacheNames.ts'
import { MemoryCacheStorage } from './memoryCaches.ts'

const origin = 'https://kartu.example'
const get = (path: string) => new Request(`${origin}${path}`)
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8' },
  })
const me = (id: string) => json({ user: { id, name: id } })
// Workbox hands each callback the fetch event; these callbacks do not read it.
const event = new Event('fetch') as ExtendableEvent

/** What the network-first route does with an answer: keeps it if the plugin says so. */
async function offer(storage: MemoryCacheStorage, path: string, response: Response) {
  const request = get(path)
  const kept = await keepApiAnswers(storage).cacheWillUpdate?.({ request, response, event })
  if (kept) await (await storage.open(API_CACHE)).put(request, kept)
}

async function owner(storage: MemoryCacheStorage): Promise<string | null> {
  const noted = await (await storage.open(API_CACHE)).match(`${origin}${API_OWNER_KEY}`)
  return noted ? noted.text() : null
}

describe('what the API cache keeps', () => {
  it('keeps 2xx JSON answers only', async () => {
    const storage = new MemoryCacheStorage(origin)
    await offer(storage, '/api/cards/CC-01', json({ id: 'CC-01' }))
    await offer(storage, '/api/decks/d1', json({ id: 'd1' }, 201))
    await offer(
      storage,
      '/api/export',
      new Response('a,b', { headers: { 'Content-Type': 'text/csv' } }),
    )
    await offer(storage, '/api/cards/CC-02', json({ error: 'boom' }, 500))
    expect(storage.paths(API_CACHE)).toEqual(['/api/cards/CC-01', '/api/decks/d1'])
  })

  it('drops the cached copy of an answer that is now an error', async () => {
    const storage = new MemoryCacheStorage(origin)
    await offer(storage, '/api/cards/CC-01', json({ id: 'CC-01' }))
    await offer(storage, '/api/cards/CC-02', json({ id: 'CC-02' }))
    await offer(storage, '/api/cards/CC-01', json({ error: 'not found' }, 404))
    expect(storage.paths(API_CACHE)).toEqual(['/api/cards/CC-02'])
  })

  it('empties the cache on a 401, whatever asked', async () => {
    const storage = new MemoryCacheStorage(origin)
    await offer(storage, '/api/me', me('u1'))
    await offer(storage, '/api/cards/CC-01', json({ id: 'CC-01' }))
    await offer(storage, '/api/decks/d1', json({ error: 'signed out' }, 401))
    expect(storage.paths(API_CACHE)).toEqual([])
    expect(await owner(storage)).toBeNull()
  })

  it('empties the cache when /api/me names someone other than its owner', async () => {
    const storage = new MemoryCacheStorage(origin)
    await offer(storage, '/api/me', me('u1'))
    await offer(storage, '/api/cards/CC-01', json({ id: 'CC-01', answer: 'u1 sees this' }))
    expect(await owner(storage)).toBe('u1')

    // The same person again: nothing is dropped.
    await offer(storage, '/api/me', me('u1'))
    expect(storage.paths(API_CACHE)).toContain('/api/cards/CC-01')

    // Someone else signed in without the worker seeing it (a page it did not control).
    await offer(storage, '/api/me', me('u2'))
    expect(await owner(storage)).toBe('u2')
    expect(storage.paths(API_CACHE)).toEqual(['/__kartu/api-cache-owner', '/api/me'])
    const cachedMe = await (await storage.open(API_CACHE)).match(`${origin}/api/me`)
    expect(await cachedMe?.json()).toEqual({ user: { id: 'u2', name: 'u2' } })
  })

  it('does not keep an answer of /api/me that names nobody', async () => {
    const storage = new MemoryCacheStorage(origin)
    expect(await answerToKeep(storage, get('/api/me'), json({ user: null }))).toBeNull()
    expect(await answerToKeep(storage, get('/api/me'), json({ user: { id: 7 } }))).toBeNull()
    expect(storage.paths(API_CACHE)).toEqual([])
  })
})

describe('signing in and out', () => {
  const post = (path: string) => new Request(`${origin}${path}`, { method: 'POST', body: '{}' })

  it('drops the previous person’s answers before the request goes out', async () => {
    const storage = new MemoryCacheStorage(origin)
    await offer(storage, '/api/me', me('u1'))
    await offer(storage, '/api/cards/CC-01', json({ id: 'CC-01' }))
    const plugin = forgetApiAnswersOnAuth(storage)
    const request = post('/api/auth/sign-out')
    expect(await plugin.requestWillFetch?.({ request, event })).toBe(request)
    expect(await storage.has(API_CACHE)).toBe(false)
    await plugin.fetchDidSucceed?.({
      request,
      response: new Response(null, { status: 204 }),
      event,
    })
    expect(await storage.has(API_CACHE)).toBe(false)
  })

  it('keeps a successful sign-in’s answer as /api/me, with its person as the owner', async () => {
    const storage = new MemoryCacheStorage(origin)
    const plugin = forgetApiAnswersOnAuth(storage)
    const request = post('/api/auth/sign-in')
    await plugin.requestWillFetch?.({ request, event })
    const response = me('u2')
    expect(await plugin.fetchDidSucceed?.({ request, response, event })).toBe(response)
    expect(await response.json()).toEqual({ user: { id: 'u2', name: 'u2' } })
    expect(storage.paths(API_CACHE)).toEqual(['/__kartu/api-cache-owner', '/api/me'])
    expect(await owner(storage)).toBe('u2')

    // A refused sign-in keeps nothing.
    const other = new MemoryCacheStorage(origin)
    const refused = json({ error: 'wrong password' }, 401)
    await forgetApiAnswersOnAuth(other).fetchDidSucceed?.({ request, response: refused, event })
    expect(other.paths(API_CACHE)).toEqual([])
  })
})
