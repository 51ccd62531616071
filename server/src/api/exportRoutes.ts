/**
 * The briefing book over REST: a card or a deck as Word (review or clean) and as PDF cue cards,
 * a rakor's minutes as Word and PDF, and deck exports as jobs whose progress the page shows.
 * Every member of the deck may export (404 for anyone else, as everywhere); every export is
 * audited with what was exported, in which form.
 */
import {
  type ExportFormat,
  exportJobRequestSchema,
  exportJobSchema,
  exportQuerySchema,
  minutesQuerySchema,
  rakorSessionsResponseSchema,
} from '@kartu/protocol'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { exportedEvent } from '../audit/auditEvents.ts'
import { TooManyExports } from '../briefing/exportJobs.ts'
import { CONTENT_TYPES, type ExportFile, type ExportRequest } from '../briefing/exportTypes.ts'
import type { Services } from '../services.ts'
import { HttpError, notFound } from './errors.ts'
import { requireCardRole, requireDeckRole, requireUser, signedInFirst } from './guards.ts'
import { cardParams, deckParams, errorResponses, signedIn } from './routeSchemas.ts'

/** A file answer, described with its media type (Fastify sends the bytes as they are). */
const fileResponse = (format: ExportFormat) => ({
  description: `The ${format === 'docx' ? 'Word' : 'PDF'} file, as an attachment.`,
  content: { [CONTENT_TYPES[format]]: { schema: z.string().meta({ format: 'binary' }) } },
})

const jobParams = deckParams.extend({ jobId: z.string().min(1).max(64) })

function sendFile(reply: FastifyReply, file: ExportFile): FastifyReply {
  return reply
    .header('content-type', file.contentType)
    .header('content-disposition', `attachment; filename="${file.fileName}"`)
    .header('cache-control', 'no-store')
    .send(Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength))
}

export function registerExportRoutes(app: FastifyInstance, services: Services): void {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = { preValidation: signedInFirst(services) }
  const schema = { security: signedIn, tags: ['briefing book'] }
  const audited = (userId: string, subject: string, format: string, details: string) =>
    services.audit.append(exportedEvent({ userId, subject, format: `${format}:${details}` }))
  // Made in the export worker: a book's layout never holds up the rooms.
  const exported = (request: ExportRequest) => services.exportRunner.run(request)

  for (const format of ['docx', 'pdf'] as const) {
    api.get(
      `/api/cards/:cardId/export.${format}`,
      {
        ...common,
        schema: {
          ...schema,
          summary:
            format === 'docx'
              ? 'The card as Word: review (suggestions as tracked changes, threads as comments) or clean (the agreed text).'
              : 'The card as a PDF cue card (the agreed text).',
          params: cardParams,
          querystring: exportQuerySchema,
          response: { 200: fileResponse(format), ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = await requireUser(services, request)
        const { cardId } = request.params
        await requireCardRole(services, user.id, cardId)
        const { mode, marking } = request.query
        const file = await exported({ kind: 'card', id: cardId, format, mode, marking })
        if (!file) throw notFound('Card')
        await audited(user.id, `card:${cardId}`, format, format === 'docx' ? mode : 'cue-card')
        return sendFile(reply, file)
      },
    )

    api.get(
      `/api/decks/:deckId/export.${format}`,
      {
        ...common,
        schema: {
          ...schema,
          summary:
            format === 'docx'
              ? 'The deck as a Word briefing book (cover, contents, every card), review or clean.'
              : 'The deck as PDF cue cards: a cover, contents, one card per page.',
          params: deckParams,
          querystring: exportQuerySchema,
          response: { 200: fileResponse(format), ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = await requireUser(services, request)
        const { deckId } = request.params
        await requireDeckRole(services, user.id, deckId)
        const { mode, marking } = request.query
        const file = await exported({ kind: 'deck', id: deckId, format, mode, marking })
        if (!file) throw notFound('Deck')
        await audited(user.id, `deck:${deckId}`, format, format === 'docx' ? mode : 'cue-cards')
        return sendFile(reply, file)
      },
    )

    api.get(
      `/api/decks/:deckId/minutes.${format}`,
      {
        ...common,
        schema: {
          ...schema,
          summary:
            'The minutes of a rakor: its decisions with reasons, who proposed and who decided, and the ministries present.',
          params: deckParams,
          querystring: minutesQuerySchema,
          response: { 200: fileResponse(format), ...errorResponses },
        },
      },
      async (request, reply) => {
        const user = await requireUser(services, request)
        const { deckId } = request.params
        await requireDeckRole(services, user.id, deckId)
        const { session, marking } = request.query
        const file = await exported({ kind: 'minutes', id: deckId, format, session, marking })
        if (!file) throw notFound('Session')
        await audited(user.id, `deck:${deckId}`, format, `minutes:${session ?? 'last'}`)
        return sendFile(reply, file)
      },
    )
  }

  api.get(
    '/api/decks/:deckId/sessions',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'The deck’s closed rakor sessions, newest first (whose minutes can be printed).',
        params: deckParams,
        response: { 200: rakorSessionsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId)
      const sessions = await services.briefing.sessionsOf(deckId)
      return {
        sessions: sessions.map((session) => ({
          id: String(session.seq),
          name: session.name,
          at: session.at,
        })),
      }
    },
  )

  api.post(
    '/api/decks/:deckId/exports',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'Start a deck export whose progress can be followed; the file is fetched when done.',
        params: deckParams,
        body: exportJobRequestSchema,
        response: { 202: exportJobSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId)
      const { format, mode, marking } = request.body
      let id: string
      try {
        id = services.exportJobs.start(user.id, deckId, async (progress) => {
          const file = await services.exportRunner.run(
            { kind: 'deck', id: deckId, format, mode, marking },
            (done, total) => progress({ done, total }),
          )
          if (!file) throw notFound('Deck')
          await audited(user.id, `deck:${deckId}`, format, format === 'docx' ? mode : 'cue-cards')
          return file
        })
      } catch (error) {
        if (error instanceof TooManyExports) {
          throw new HttpError(429, 'too_many_exports', 'An export of yours is still running.')
        }
        throw error
      }
      const view = services.exportJobs.view(user.id, id)
      if (!view) throw new Error('an export job just started is not there')
      return reply.code(202).send(view)
    },
  )

  api.get(
    '/api/decks/:deckId/exports/:jobId',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'How far a deck export has come.',
        params: jobParams,
        response: { 200: exportJobSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId, jobId } = request.params
      await requireDeckRole(services, user.id, deckId)
      const view = services.exportJobs.view(user.id, jobId)
      if (!view) throw notFound('Export')
      return view
    },
  )

  api.get(
    '/api/decks/:deckId/exports/:jobId/file',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'The finished export’s file (once).',
        params: jobParams,
        response: {
          200: {
            description: 'The exported file (Word or PDF, as the export asked), as an attachment.',
            content: {
              [CONTENT_TYPES.docx]: { schema: z.string().meta({ format: 'binary' }) },
              [CONTENT_TYPES.pdf]: { schema: z.string().meta({ format: 'binary' }) },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const user = await requireUser(services, request)
      const { deckId, jobId } = request.params
      await requireDeckRole(services, user.id, deckId)
      const file = services.exportJobs.take(user.id, jobId)
      if (!file) throw notFound('Export')
      return sendFile(reply, file)
    },
  )
}
