/**
 * Versions of a card's answer over REST (history/cardVersions.ts): listed and read by every
 * member of the deck, named by the chair and editors. 404 to anyone else, as everywhere.
 */
import {
  type ActivityKind,
  activityQuerySchema,
  activityResponseSchema,
  changesQuerySchema,
  changesResponseSchema,
  deckVisitsResponseSchema,
  Role,
  sessionCloseRequestSchema,
  sessionCloseResponseSchema,
  versionCompareQuerySchema,
  versionComparisonSchema,
  versionCreatedResponseSchema,
  versionCreateRequestSchema,
  versionDetailResponseSchema,
  versionRestoreRequestSchema,
  versionRestoreResponseSchema,
  versionsResponseSchema,
} from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { sessionClosedEvent, versionNamedEvent } from '../audit/auditEvents.ts'
import { ACTIVITY_DEFAULT_LIMIT } from '../history/activity.ts'
import type { Services } from '../services.ts'
import { notFound } from './errors.ts'
import { requireCardRole, requireDeckRole, requireUser, signedInFirst } from './guards.ts'
import { cardParams, deckParams, errorResponses, signedIn, versionParams } from './routeSchemas.ts'

/** `?since=last-visit`: the version the caller last saw. */
const LAST_VISIT = 'last-visit'

export function registerVersionRoutes(app: FastifyInstance, services: Services): void {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = { preValidation: signedInFirst(services) }
  const schema = { security: signedIn, tags: ['versions'] }

  api.get(
    '/api/cards/:cardId/versions',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'The versions of a card’s answer, newest first.',
        params: cardParams,
        response: { 200: versionsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId } = request.params
      await requireCardRole(services, user.id, cardId)
      return {
        versions: await services.versions.list(cardId),
        budget: await services.versions.budget(cardId),
      }
    },
  )

  api.post(
    '/api/cards/:cardId/versions',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Name the answer as it is stored now as a version (chair and editors).',
        params: cardParams,
        body: versionCreateRequestSchema,
        response: { 201: versionCreatedResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await requireUser(services, request)
      const { cardId } = request.params
      await requireCardRole(services, user.id, cardId, [Role.Chair, Role.Editor])
      const { name } = request.body
      const version = await services.versions.take({
        cardId,
        kind: 'named',
        name,
        createdBy: user.id,
        onlyIfChanged: false,
      })
      if (!version) throw notFound('Card')
      await services.audit.append(
        versionNamedEvent({ userId: user.id, cardId, versionId: version.id, name }),
      )
      return reply.code(201).send({ id: version.id })
    },
  )

  api.get(
    '/api/cards/:cardId/versions/:versionId',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'One version: its answer as text and as the editor’s document.',
        params: versionParams,
        response: { 200: versionDetailResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId, versionId } = request.params
      await requireCardRole(services, user.id, cardId)
      const version = await services.versions.get(cardId, versionId)
      if (!version) throw notFound('Version')
      return version
    },
  )

  api.get(
    '/api/cards/:cardId/versions/:versionId/compare',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'A version compared word by word with a later one (`to`) or with the answer now, each change with who made it and when.',
        params: versionParams,
        querystring: versionCompareQuerySchema,
        response: { 200: versionComparisonSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId, versionId } = request.params
      await requireCardRole(services, user.id, cardId)
      const comparison = await services.versions.compare(
        cardId,
        versionId,
        request.query.to ?? null,
      )
      if (!comparison) throw notFound('Version')
      return comparison
    },
  )

  api.get(
    '/api/cards/:cardId/changes',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'What changed in the answer since a version, or since the caller last saw the card (`since=last-visit`): each change with who and when.',
        params: cardParams,
        querystring: changesQuerySchema,
        response: { 200: changesResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId } = request.params
      await requireCardRole(services, user.id, cardId)
      let since = request.query.since
      let visitedAt: number | null = null
      if (since === LAST_VISIT) {
        const visit = await services.storage.repository.getVisit(user.id, cardId)
        if (!visit) return { since: null, visitedAt: null, changes: [] }
        since = visit.versionId
        visitedAt = visit.at
      }
      const comparison = await services.versions.compare(cardId, since, null)
      if (!comparison) throw notFound('Version')
      return { since: comparison.from, visitedAt, changes: comparison.changes }
    },
  )

  api.post(
    '/api/cards/:cardId/versions/:versionId/restore',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'Make a version the current answer, as a forward change everyone sees live (the chair). The text before is kept as a version; the restore is recorded in the decision log with the reason.',
        params: versionParams,
        body: versionRestoreRequestSchema,
        response: { 200: versionRestoreResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId, versionId } = request.params
      await requireCardRole(services, user.id, cardId, [Role.Chair])
      const restored = await services.restore.restore({
        cardId,
        versionId,
        reason: request.body.reason,
        userId: user.id,
      })
      if (!restored) throw notFound('Version')
      return { beforeVersionId: restored.beforeVersionId, orphanedSuggestions: restored.orphaned }
    },
  )

  api.get(
    '/api/decks/:deckId/visits',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'The caller’s last visit of each card of the deck, with how many changes others made since.',
        params: deckParams,
        response: { 200: deckVisitsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId)
      return { visits: await services.versions.visitsOfDeck(user.id, deckId) }
    },
  )

  const activity = async (
    deckId: string,
    cardId: string | null,
    query: {
      after?: number | undefined
      ministry?: string | undefined
      limit?: number | undefined
      kinds?: ActivityKind[] | undefined
    },
  ) => ({
    events: await services.activity.list({
      deckId,
      cardId,
      kinds: query.kinds ?? null,
      ministryId: query.ministry ?? null,
      after: query.after ?? 0,
      limit: query.limit ?? ACTIVITY_DEFAULT_LIMIT,
    }),
  })

  api.get(
    '/api/decks/:deckId/activity',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'What happened on the deck’s cards, newest first: edits, suggestions and comments, decisions, locks, versions (filter by ministry and time).',
        params: deckParams,
        querystring: activityQuerySchema,
        response: { 200: activityResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId)
      return activity(deckId, null, request.query)
    },
  )

  api.get(
    '/api/cards/:cardId/activity',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'The card’s timeline, newest first (as the deck’s activity, for one card).',
        params: cardParams,
        querystring: activityQuerySchema,
        response: { 200: activityResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId } = request.params
      const { card } = await requireCardRole(services, user.id, cardId)
      return activity(card.deckId, cardId, request.query)
    },
  )

  api.post(
    '/api/decks/:deckId/sessions',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'Close a rakor session (the chair): a version of that name for every card changed since the last session was closed.',
        params: deckParams,
        body: sessionCloseRequestSchema,
        response: { 201: sessionCloseResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId, [Role.Chair])
      const { name } = request.body
      const versions = await services.versions.closeSession(deckId, name, user.id)
      await services.audit.append(
        sessionClosedEvent({
          userId: user.id,
          deckId,
          name,
          cardIds: versions.map((version) => version.cardId),
        }),
      )
      return reply.code(201).send({ versions })
    },
  )
}
