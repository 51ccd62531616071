/**
 * Forwarding a websocket to the node that holds its document (decision 0018). The person's
 * connection stays on the node that took it; that node opens an internal websocket to the holder
 * (`/collab-internal/<document>`, with the identity it checked, signed) and relays the
 * y-websocket messages both ways, bytes as they are: the holder judges them, as it does those of
 * its own connections.
 */
import type { FastifyBaseLogger } from 'fastify'
import WebSocket from 'ws'
import type { DocumentPlacement } from '../cluster/documentPlacement.ts'
import {
  FORWARDED_IDENTITY_HEADER,
  type ForwardedIdentity,
  signForwardedIdentity,
} from '../cluster/forwardedIdentity.ts'
import type { LeaseHolder } from '../store/postgres/DocumentLeases.ts'

/** What the cluster gives the transport. */
export type ClusterRouting = {
  placement: DocumentPlacement
  secret: string
  /** How long to wait for the holder to answer an internal upgrade. */
  connectTimeoutMs: number
  /** What operators measure of forwarding (metrics/); unset, nothing is measured. */
  observer?: ForwardObserver
}

/** Forwarding's measurements, as callbacks: this file knows no metrics library. */
export type ForwardObserver = {
  /** The internal websocket to the holder opened, `ms` after it was asked for. */
  connected(ms: number): void
  /** A relay started; and ended (once per relay). */
  relayOpened(): void
  relayClosed(): void
}

/**
 * The observer of each connection to a holder, from `routeConnection` to `relayForwarded`: the
 * transport between them passes the socket, not the routing.
 */
const observers = new WeakMap<WebSocket, ForwardObserver>()

/**
 * What the holder sent before the relay started. ORDER MATTERS: the holder greets a connection
 * (SyncStep1, the role, presence) as soon as it opens, which is before the person's upgrade here
 * completes; ws drops messages no listener takes, so they are kept from the moment it opens and
 * handed on first.
 */
const early = new WeakMap<WebSocket, { messages: Buffer[]; listener: (data: Buffer) => void }>()

type Attempt = WebSocket | 'unreachable' | 'not_holder'

/** Opens the internal websocket to `holder`, or says why not. */
function connectToHolder(
  routing: ClusterRouting,
  holder: LeaseHolder,
  identity: ForwardedIdentity,
): Promise<Attempt> {
  const url = `${holder.nodeUrl.replace(/^http/, 'ws')}/collab-internal/${encodeURIComponent(identity.documentName)}`
  const startedAt = routing.observer ? performance.now() : 0
  return new Promise((resolve, reject) => {
    const upstream = new WebSocket(url, {
      headers: { [FORWARDED_IDENTITY_HEADER]: signForwardedIdentity(routing.secret, identity) },
      handshakeTimeout: routing.connectTimeoutMs,
      perMessageDeflate: false,
    })
    upstream.binaryType = 'nodebuffer'
    const settle = (result: Attempt | Error) => {
      upstream.removeAllListeners('open')
      upstream.removeAllListeners('unexpected-response')
      if (result instanceof Error) reject(result)
      else resolve(result)
    }
    upstream.once('open', () => {
      routing.observer?.connected(performance.now() - startedAt)
      const messages: Buffer[] = []
      const listener = (data: Buffer) => {
        messages.push(data)
      }
      upstream.on('message', listener)
      early.set(upstream, { messages, listener })
      settle(upstream)
    })
    upstream.once('unexpected-response', (_request, response) => {
      upstream.removeAllListeners('error')
      upstream.on('error', () => {})
      response.resume()
      // 409: that node no longer holds it (it let it go, or lost it): ask again who does.
      if (response.statusCode === 409) settle('not_holder')
      else settle(new Error(`the holder refused the forwarded connection: ${response.statusCode}`))
    })
    upstream.once('error', () => {
      // Refused, reset, unreachable or too slow: the holder is gone (or cut off from here).
      settle('unreachable')
    })
  })
}

/**
 * Where this connection goes: null to serve it here, or the open websocket to the node that
 * holds the document. A holder that does not answer is taken over (the fence makes that safe).
 */
export async function routeConnection(
  routing: ClusterRouting,
  identity: ForwardedIdentity,
  log: FastifyBaseLogger,
): Promise<WebSocket | null> {
  const name = identity.documentName
  for (let attempt = 0; attempt < 3; attempt++) {
    let placement = await routing.placement.place(name)
    if (placement.here) return null
    const connected = await connectToHolder(routing, placement.holder, identity)
    if (connected instanceof WebSocket) {
      if (routing.observer) observers.set(connected, routing.observer)
      return connected
    }
    if (connected === 'unreachable') {
      log.warn(
        { room: name, holder: placement.holder.nodeId },
        'the node holding a document does not answer',
      )
      placement = await routing.placement.takeOver(name, placement.holder)
      if (placement.here) return null
    }
  }
  throw new Error(`no node could be found to serve ${name}`)
}

/**
 * Relays between the person's socket and the holder's. A close on either side closes the other;
 * the holder's code goes to the person as it is (4401, 4403 ... say why), and an abnormal end of
 * the holder (it died) becomes 4503, on which clients reconnect, to the node that takes over.
 */
export function relayForwarded(
  client: WebSocket,
  upstream: WebSocket,
  log: FastifyBaseLogger,
  observer: ForwardObserver | undefined = observers.get(upstream),
): void {
  let closed = false
  observer?.relayOpened()
  const closeBoth = (code: number, reason: string) => {
    if (closed) return
    closed = true
    observer?.relayClosed()
    const forClient = code === 1005 || code === 1006 || code < 1000 ? 4503 : code
    if (client.readyState === client.OPEN)
      client.close(forClient, reason || 'the document moved to another node')
    if (upstream.readyState === upstream.OPEN || upstream.readyState === upstream.CONNECTING) {
      upstream.close(1000, 'the person left')
    }
  }
  const kept = early.get(upstream)
  if (kept) {
    upstream.off('message', kept.listener)
    early.delete(upstream)
    for (const message of kept.messages) client.send(message, { binary: true })
  }
  // The holder may have gone while the person's upgrade completed: then they reconnect.
  if (upstream.readyState !== upstream.OPEN) {
    closeBoth(1006, '')
    return
  }
  client.on('message', (data, isBinary) => {
    if (!isBinary) {
      closeBoth(4400, 'binary messages only')
      return
    }
    if (upstream.readyState === upstream.OPEN) upstream.send(data, { binary: true })
  })
  upstream.on('message', (data) => {
    if (client.readyState === client.OPEN) client.send(data, { binary: true })
  })
  client.on('close', () => closeBoth(1000, ''))
  upstream.on('close', (code, reason) => closeBoth(code, reason.toString()))
  client.on('error', (error) => log.warn({ err: error }, 'websocket error'))
  upstream.on('error', (error) => log.warn({ err: error }, 'forwarded websocket error'))
}
