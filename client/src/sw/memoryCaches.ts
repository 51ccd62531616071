/**
 * An in-memory CacheStorage for unit tests of the worker's cache rules (Node has none). Entries
 * are keyed by URL, as the worker's caches are used; a relative URL is taken relative to the
 * origin given, as a worker's is to its own location; responses are cloned in and out, as the
 * browser's would be.
 */
class MemoryCache implements Cache {
  constructor(private readonly origin: string) {}

  readonly entries = new Map<string, { request: Request; response: Response }>()

  private keyOf(request: RequestInfo | URL): string {
    return request instanceof Request ? request.url : new URL(String(request), this.origin).href
  }

  async add(request: RequestInfo | URL): Promise<void> {
    await this.put(request, await fetch(request))
  }
  async addAll(requests: Iterable<RequestInfo>): Promise<void> {
    for (const request of requests) await this.add(request)
  }
  async delete(request: RequestInfo | URL): Promise<boolean> {
    return this.entries.delete(this.keyOf(request))
  }
  async keys(): Promise<ReadonlyArray<Request>> {
    return [...this.entries.values()].map((entry) => entry.request)
  }
  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    return this.entries.get(this.keyOf(request))?.response.clone()
  }
  async matchAll(request?: RequestInfo | URL): Promise<ReadonlyArray<Response>> {
    const found = request === undefined ? [...this.entries.values()] : []
    const one = request === undefined ? undefined : this.entries.get(this.keyOf(request))
    return [...found, ...(one ? [one] : [])].map((entry) => entry.response.clone())
  }
  async put(request: RequestInfo | URL, response: Response): Promise<void> {
    const key = this.keyOf(request)
    this.entries.set(key, { request: new Request(key), response: response.clone() })
  }
}

export class MemoryCacheStorage implements CacheStorage {
  constructor(private readonly origin: string) {}

  readonly caches = new Map<string, MemoryCache>()

  async delete(name: string): Promise<boolean> {
    return this.caches.delete(name)
  }
  async has(name: string): Promise<boolean> {
    return this.caches.has(name)
  }
  async keys(): Promise<string[]> {
    return [...this.caches.keys()]
  }
  async match(request: RequestInfo | URL): Promise<Response | undefined> {
    for (const cache of this.caches.values()) {
      const found = await cache.match(request)
      if (found) return found
    }
    return undefined
  }
  async open(name: string): Promise<Cache> {
    const existing = this.caches.get(name)
    if (existing) return existing
    const created = new MemoryCache(this.origin)
    this.caches.set(name, created)
    return created
  }

  /** The paths a cache holds, sorted; none when the cache does not exist. */
  paths(name: string): string[] {
    const cache = this.caches.get(name)
    if (!cache) return []
    return [...cache.entries.keys()].map((url) => new URL(url).pathname).sort()
  }
}
