/**
 * The websocket transport: `/collab/<documentName>` over @fastify/websocket. Thin on purpose:
 * it authenticates the upgrade, then adapts the `ws` socket to SocketLike and hands it to the
 * CollabServer. Refusals happen in preValidation, so they are plain HTTP answers (401, 403, 404)
 * given before any upgrade and before any document is loaded.
 */

import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { PresenceUser } from '@kartu/protocol'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { WebSocket } from 'ws'
import { documentAccess } from '../access.ts'
import { FORWARDED_IDENTITY_HEADER, verifyForwardedIdentity } from '../cluster/forwardedIdentity.ts'
import type { Participant, SocketLike } from '../collab/types.ts'
import type { Services } from '../services.ts'
import { relayForwarded, routeConnection } from './forwardedConnection.ts'
import { isAllowedOrigin } from './originCheck.ts'
import { identify } from './requestAuth.ts'

type Upgrade = {
  participant: Participant
  name: string
  locked?: boolean
  suggestOnly?: boolean
  /** The upgrade's response object, which holds the socket until it is detached. */
  response: ServerResponse
  /** Several nodes: the open connection to the node holding the document, to relay to. */
  upstream?: WebSocket
}

const participants = new WeakMap<FastifyRequest, Upgrade>()

function documentNameOf(request: FastifyRequest): string {
  const params = request.params as Record<string, string | undefined>
  return decodeURIComponent(params['*'] ?? '')
}

export function registerCollabTransport(app: FastifyInstance, services: Services): void {
  const { repository } = services.storage

  app.get(
    '/collab/*',
    {
      websocket: true,
      preValidation: async (request, reply) => {
        const identity = await identify(services, request, true)
        if (!identity) {
          return reply
            .code(401)
            .send({ error: { code: 'unauthorized', message: 'Sign in first.' } })
        }
        if (identity.via === 'session' && !isAllowedOrigin(services.config, request)) {
          request.log.warn({ origin: request.headers.origin }, 'websocket from a foreign origin')
          return reply
            .code(403)
            .send({ error: { code: 'forbidden_origin', message: 'Foreign origin.' } })
        }
        if (
          services.collab.connectionsOf(identity.user.id) >= services.config.maxConnectionsPerUser
        ) {
          return reply.code(429).send({
            error: { code: 'too_many_connections', message: 'Too many open connections.' },
          })
        }
        const name = documentNameOf(request)
        const access = await documentAccess(repository, identity.user.id, name)
        if (!access.ok) {
          return reply
            .code(access.status)
            .send({ error: { code: 'no_access', message: access.reason } })
        }
        const ministry = (await repository.listMinistries()).find(
          (m) => m.id === identity.user.ministryId,
        )
        const presence: PresenceUser = {
          id: identity.user.id,
          name: identity.user.name,
          ministryId: identity.user.ministryId,
          ministry: ministry?.short ?? identity.user.ministryId,
          color: ministry?.color ?? '#444444',
        }
        const upgrade: Upgrade = {
          response: reply.raw,
          name,
          locked: access.locked,
          suggestOnly: access.suggestOnly,
          participant: {
            userId: identity.user.id,
            credential: identity.credential,
            deckId: access.deckId,
            role: access.role,
            presence,
          },
        }
        if (services.cluster) {
          // Another node may hold the document: then this connection is relayed to it.
          try {
            const upstream = await routeConnection(
              services.cluster,
              {
                documentName: name,
                participant: upgrade.participant,
                locked: upgrade.locked,
                suggestOnly: upgrade.suggestOnly,
              },
              request.log,
            )
            if (upstream) {
              upgrade.upstream = upstream
              // The upgrade may still fail (the person went away meanwhile): then the relay
              // never starts, and the holder's end is closed here rather than left open.
              request.raw.socket.once('close', () => {
                if (participants.get(request)?.upstream === upstream) upstream.close(1000)
              })
            }
          } catch (error) {
            request.log.error({ err: error, room: name }, 'no node to serve the document')
            return reply.code(503).send({
              error: { code: 'unavailable', message: 'The card cannot be opened now; try again.' },
            })
          }
        }
        participants.set(request, upgrade)
      },
    },
    (socket: WebSocket, request) => attach(socket, request),
  )

  // Several nodes: a connection another node took and relays here, where the document is held.
  app.get(
    '/collab-internal/*',
    {
      websocket: true,
      preValidation: async (request, reply) => {
        const cluster = services.cluster
        if (!cluster)
          return reply.code(404).send({ error: { code: 'not_found', message: 'Not found.' } })
        const name = documentNameOf(request)
        const header = request.headers[FORWARDED_IDENTITY_HEADER]
        const forwarded = verifyForwardedIdentity(
          cluster.secret,
          typeof header === 'string' ? header : undefined,
          name,
        )
        if (!forwarded) {
          request.log.warn({ room: name }, 'a forwarded connection without a valid identity')
          return reply.code(401).send({ error: { code: 'unauthorized', message: 'Not signed.' } })
        }
        if (!cluster.placement.holds(name) && !(await cluster.placement.place(name)).here) {
          return reply
            .code(409)
            .send({ error: { code: 'not_holder', message: 'Another node holds it.' } })
        }
        participants.set(request, {
          response: reply.raw,
          name,
          locked: forwarded.locked,
          suggestOnly: forwarded.suggestOnly,
          participant: forwarded.participant,
        })
      },
    },
    (socket: WebSocket, request) => attach(socket, request),
  )

  function attach(socket: WebSocket, request: FastifyRequest): void {
    const found = participants.get(request)
    participants.delete(request)
    if (!found) {
      socket.close(1011, 'not authenticated')
      return
    }
    // Nothing below holds the request (its headers, params, raw message and child logger), and
    // nothing else is left holding it: held for the connection's lifetime, the request and the
    // upgrade's response object were most of a connection's memory (a heap snapshot with 300
    // connections: about 17 KB each, against 3.4 KB for the y-websocket server). The upgrade
    // response holds the TCP socket until detached; @fastify/websocket's error listener holds
    // the request and the reply (it hands errors to the plugin's error handler, which Kartu
    // does not set: this module logs them itself, below).
    const tcp = request.raw.socket
    const requestId = request.id
    found.response.detachSocket(tcp)
    socket.removeAllListeners('error')
    if (found.upstream) {
      relayForwarded(socket, found.upstream, app.log)
      return
    }
    const adapter = new WsSocket(socket, tcp)
    const handle = services.collab.handleConnection(adapter, found.participant, found.name, {
      locked: found.locked,
      suggestOnly: found.suggestOnly,
    })
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        socket.close(4400, 'binary messages only')
        return
      }
      handle.onMessage(toUint8Array(data))
    })
    socket.on('close', () => handle.onClose())
    socket.on('error', (error) => app.log.warn({ reqId: requestId, err: error }, 'websocket error'))
  }
}

/** ws as the room core's SocketLike (a class: one is kept per open connection). */
class WsSocket implements SocketLike {
  constructor(
    private readonly ws: WebSocket,
    private readonly tcp: Socket,
  ) {}

  send(message: Uint8Array): void {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(message)
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason)
  }

  batch(sends: () => void): void {
    // ws writes each frame to the TCP socket at once; corked, Node writes them together.
    this.tcp.cork()
    try {
      sends()
    } finally {
      this.tcp.uncork()
    }
  }
}

function toUint8Array(data: Buffer | ArrayBuffer | Buffer[]): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}
