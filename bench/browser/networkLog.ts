/**
 * Every request of the throttled pages and service workers, from their CDP Network events: when it
 * started and finished, what it was and how many bytes crossed the (emulated) wire for it
 * (loadingFinished's encodedDataLength: compressed body and headers).
 */
import type { Cdp, CdpEvent } from './cdp.ts'
import type { AttachedTarget, TargetKind } from './throttling.ts'

export type LoggedRequest = {
  target: TargetKind
  url: string
  /** The resource type Chromium gave (Script, Fetch, XHR, Document, ...). */
  type: string
  mimeType: string
  /** A page's request that its service worker answered: its bytes are the worker's to count. */
  fromServiceWorker: boolean
  /** Epoch milliseconds (the page's clock: performance.timeOrigin + now()). */
  startedAt: number
  finishedAt: number | null
  failed: boolean
  encodedBytes: number
}

/** A websocket's handshake and frames (the card's sync), for the timeline. */
export type SocketEvent = { at: number; what: string; bytes: number; url: string }

export type BytesSummary = { bytes: number; requests: number }

const isScript = (request: LoggedRequest): boolean =>
  request.type === 'Script' || request.mimeType.includes('javascript')

export class NetworkLog {
  readonly #targets = new Map<string, TargetKind>()
  readonly #requests = new Map<string, LoggedRequest>()
  readonly #socketUrls = new Map<string, string>()
  readonly sockets: SocketEvent[] = []
  /** Epoch ms minus CDP's monotonic ms, from requestWillBeSent's pair of clocks. */
  #clockOffsetMs: number | null = null
  #lastActivity = Date.now()

  constructor(cdp: Cdp) {
    cdp.onEvent((event) => this.#onEvent(event))
  }

  addTarget(target: AttachedTarget): void {
    this.#targets.set(target.sessionId, target.kind)
  }

  get requests(): LoggedRequest[] {
    return [...this.#requests.values()]
  }

  /** Requests in flight now, in pages and service workers. */
  get inFlight(): number {
    let count = 0
    for (const request of this.#requests.values()) {
      if (request.finishedAt === null && !request.failed) count++
    }
    return count
  }

  /**
   * Resolves once nothing has been in flight for `quietMs` (a person reading the page, or typing,
   * leaves the link to whatever the app loads in the background), or after `maxMs`. Returns how
   * long it waited.
   */
  async settle(quietMs: number, maxMs: number): Promise<number> {
    const start = Date.now()
    while (Date.now() - start < maxMs) {
      if (this.inFlight === 0 && Date.now() - this.#lastActivity >= quietMs) break
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    return Date.now() - start
  }

  /**
   * JavaScript that crossed the wire and finished loading by `at` (epoch ms): fetched by a page
   * itself, or by a service worker (its precache). Answers a worker gave a page from its cache
   * are not counted again.
   */
  scriptBytesBefore(at: number, target: TargetKind): BytesSummary {
    return this.#bytesBefore(at, (r) => r.target === target && isScript(r))
  }

  /** Every resource type, pages and workers together. */
  allBytesBefore(at: number): BytesSummary {
    return this.#bytesBefore(at, () => true)
  }

  #bytesBefore(at: number, wanted: (request: LoggedRequest) => boolean): BytesSummary {
    let bytes = 0
    let requests = 0
    for (const request of this.#requests.values()) {
      if (request.fromServiceWorker || request.finishedAt === null || request.finishedAt > at) {
        continue
      }
      if (!wanted(request)) continue
      bytes += request.encodedBytes
      requests++
    }
    return { bytes, requests }
  }

  #epochMs(monotonicSeconds: number): number {
    return monotonicSeconds * 1000 + (this.#clockOffsetMs ?? 0)
  }

  #onEvent(event: CdpEvent): void {
    const target = event.sessionId ? this.#targets.get(event.sessionId) : undefined
    if (!target || !event.method.startsWith('Network.')) return
    const p = event.params
    const key = `${event.sessionId}/${String(p.requestId)}`
    switch (event.method) {
      case 'Network.webSocketCreated':
        this.#socketUrls.set(key, p.url as string)
        return
      case 'Network.webSocketWillSendHandshakeRequest':
      case 'Network.webSocketHandshakeResponseReceived':
      case 'Network.webSocketFrameSent':
      case 'Network.webSocketFrameReceived':
      case 'Network.webSocketClosed': {
        const frame = p.response as { payloadData?: string } | undefined
        this.sockets.push({
          at: this.#epochMs(p.timestamp as number),
          what: event.method.slice('Network.webSocket'.length),
          bytes: frame?.payloadData?.length ?? 0,
          url: this.#socketUrls.get(key) ?? '',
        })
        return
      }
      case 'Network.requestWillBeSent': {
        const timestamp = p.timestamp as number
        if (this.#clockOffsetMs === null) {
          this.#clockOffsetMs = (p.wallTime as number) * 1000 - timestamp * 1000
        }
        // A redirect is sent again under the same id: one request, first start.
        if (this.#requests.has(key)) return
        this.#lastActivity = Date.now()
        this.#requests.set(key, {
          target,
          url: (p.request as { url: string }).url,
          type: typeof p.type === 'string' ? p.type : '',
          mimeType: '',
          fromServiceWorker: false,
          startedAt: this.#epochMs(timestamp),
          finishedAt: null,
          failed: false,
          encodedBytes: 0,
        })
        return
      }
      case 'Network.responseReceived': {
        const request = this.#requests.get(key)
        if (!request) return
        const response = p.response as { mimeType?: string; fromServiceWorker?: boolean }
        request.type = typeof p.type === 'string' ? p.type : request.type
        request.mimeType = response.mimeType ?? ''
        request.fromServiceWorker = response.fromServiceWorker === true
        return
      }
      case 'Network.loadingFinished': {
        const request = this.#requests.get(key)
        if (!request) return
        this.#lastActivity = Date.now()
        request.finishedAt = this.#epochMs(p.timestamp as number)
        request.encodedBytes = p.encodedDataLength as number
        return
      }
      case 'Network.loadingFailed': {
        const request = this.#requests.get(key)
        if (!request) return
        this.#lastActivity = Date.now()
        request.failed = true
        return
      }
    }
  }
}
