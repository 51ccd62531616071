/**
 * A person's inbox over REST, its unread count live as server-sent events, and their
 * notification settings. Everything here is the caller's own: there is no way to name another
 * person.
 */
import {
  inboxQuerySchema,
  inboxReadRequestSchema,
  inboxReadResponseSchema,
  inboxResponseSchema,
  notificationSettingsRequestSchema,
  notificationSettingsResponseSchema,
} from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import type { Services } from '../services.ts'
import { requireUser, signedInFirst } from './guards.ts'
import { errorResponses, signedIn } from './routeSchemas.ts'

/** A comment line every so often keeps proxies from closing a quiet stream. */
const KEEP_ALIVE_MS = 25_000

export function registerInboxRoutes(app: FastifyInstance, services: Services): void {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = { preValidation: signedInFirst(services) }
  const schema = { security: signedIn, tags: ['inbox'] }

  api.get(
    '/api/me/inbox',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'The caller’s inbox, newest first, with the unread count.',
        querystring: inboxQuerySchema,
        response: { 200: inboxResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const items = await services.inbox.list(user.id, {
        unreadOnly: request.query.unread,
        limit: request.query.limit ?? 100,
      })
      return { items, unread: await services.inbox.unread(user.id) }
    },
  )

  api.post(
    '/api/me/inbox/read',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Mark inbox items read (these, or all).',
        body: inboxReadRequestSchema,
        response: { 200: inboxReadResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { ids, all } = request.body
      const unread = await services.inbox.markRead(user.id, all === true ? 'all' : (ids ?? []))
      return { unread }
    },
  )

  api.get(
    '/api/me/events',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'Server-sent events: `inbox` with the unread count (and the new item) whenever it changes, or `{ resync: true }` when events may have been lost (ask again).',
        response: {
          200: {
            description: 'An event stream (text/event-stream) that stays open.',
            content: { 'text/event-stream': { schema: z.string() } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const user = await requireUser(services, request)
      const unread = await services.inbox.unread(user.id)
      // The stream is written by hand from here on: Fastify must not answer for us.
      reply.hijack()
      const raw = reply.raw
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        // nginx buffers answers unless told not to; an event must reach the tab at once.
        'x-accel-buffering': 'no',
      })
      const send = (data: unknown) => raw.write(`event: inbox\ndata: ${JSON.stringify(data)}\n\n`)
      raw.write('retry: 5000\n\n')
      send({ unread })
      const unsubscribe = services.inbox.subscribe(user.id, send)
      const keepAlive = setInterval(() => raw.write(': keep-alive\n\n'), KEEP_ALIVE_MS)
      keepAlive.unref()
      const end = () => {
        clearInterval(keepAlive)
        unsubscribe()
      }
      request.raw.on('close', end)
      // On shutdown the stream ends, so that Fastify's close does not wait for it.
      services.inboxStreams.add(raw)
      raw.on('close', () => services.inboxStreams.delete(raw))
    },
  )

  api.get(
    '/api/me/notification-settings',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'The caller’s notification settings, and whether this server sends e-mail.',
        response: { 200: notificationSettingsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      return {
        settings: await services.inbox.settingsOf(user.id),
        emailAvailable: services.config.smtpUrl !== null,
      }
    },
  )

  api.put(
    '/api/me/notification-settings',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Change the caller’s notification settings (the fields given).',
        body: notificationSettingsRequestSchema,
        response: { 200: notificationSettingsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const change = Object.fromEntries(
        Object.entries(request.body).filter(([, value]) => value !== undefined),
      )
      return {
        settings: await services.inbox.changeSettings(user.id, change),
        emailAvailable: services.config.smtpUrl !== null,
      }
    },
  )
}
