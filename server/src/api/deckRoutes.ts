/**
 * Decks and their cards.
 */
import {
  type CardResponse,
  cardCreateRequestSchema,
  cardListQuerySchema,
  cardResponseSchema,
  cardsResponseSchema,
  cardUpdateRequestSchema,
  deckResponseSchema,
  decksResponseSchema,
  deckUpdateRequestSchema,
  Role,
} from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { CardError } from '../services/cards.ts'
import type { Services } from '../services.ts'
import { filterCards, listParameter, workListContext } from '../signoff/workList.ts'
import { HttpError, notFound } from './errors.ts'
import { requireCardRole, requireDeckRole, requireUser, signedInFirst } from './guards.ts'
import { cardParams, deckParams, errorResponses, signedIn } from './routeSchemas.ts'
import { answerSignOffError } from './signOffRoutes.ts'

export function registerDeckRoutes(app: FastifyInstance, services: Services): void {
  const { repository } = services.storage
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = { preValidation: signedInFirst(services) }
  const schema = { security: signedIn }

  api.get(
    '/api/decks',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'The decks the caller is a member of, with their role in each.',
        tags: ['decks'],
        response: { 200: decksResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      return { decks: await repository.listDecksOf(user.id) }
    },
  )

  api.get(
    '/api/decks/:deckId',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'A deck and the caller’s role in it (404 to a non-member).',
        tags: ['decks'],
        params: deckParams,
        response: { 200: deckResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      const role = await requireDeckRole(services, user.id, deckId)
      const deck = await repository.getDeck(deckId)
      if (!deck) throw notFound('Deck')
      return { deck, role }
    },
  )

  api.patch(
    '/api/decks/:deckId',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Change the deck’s settings (chair).',
        tags: ['decks'],
        params: deckParams,
        body: deckUpdateRequestSchema,
        response: { 200: deckResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      const role = await requireDeckRole(services, user.id, deckId, [Role.Chair])
      const patch = request.body
      if (patch.suggestOnly !== undefined) {
        const result = await services.suggestOnly.setDeck({
          actorUserId: user.id,
          deckId,
          on: patch.suggestOnly,
        })
        if (result === 'not_found') throw notFound('Deck')
      }
      const deck = await repository.getDeck(deckId)
      if (!deck) throw notFound('Deck')
      return { deck, role }
    },
  )

  api.get(
    '/api/decks/:deckId/cards',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'The deck’s cards, in order; as a work list with `filter` (mine, waiting, mentions, changed, due_soon, open: all must hold), `status` and `cluster` (comma-separated).',
        tags: ['cards'],
        params: deckParams,
        querystring: cardListQuerySchema,
        response: { 200: cardsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId)
      const cards = await repository.listCards(deckId)
      const { filter: filters, status, cluster } = request.query
      const statuses = listParameter(status)
      const clusters = listParameter(cluster)
      if (filters.length === 0 && statuses.length === 0 && clusters.length === 0) return { cards }
      // Only this filter reads the visits: the others need nothing but the cards.
      const changedSinceVisit = new Set<string>()
      if (filters.includes('changed')) {
        for (const visit of await services.versions.visitsOfDeck(user.id, deckId)) {
          if (visit.changes > 0) changedSinceVisit.add(visit.cardId)
        }
      }
      const context = workListContext({
        ministryId: user.ministryId,
        changedSinceVisit,
        timeZone: services.config.timeZone,
        now: Date.now(),
      })
      return { cards: filterCards(cards, { filters, statuses, clusters }, context) }
    },
  )

  api.post(
    '/api/decks/:deckId/cards',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Add a card at the end of the deck (chair).',
        tags: ['cards'],
        params: deckParams,
        body: cardCreateRequestSchema,
        response: { 201: cardResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      const role = await requireDeckRole(services, user.id, deckId, [Role.Chair])
      const card = await answerCardError(
        services.cards.create({ actorUserId: user.id, deckId, fields: request.body }),
      )
      const response: CardResponse = { card, role }
      return reply.code(201).send(response)
    },
  )

  api.get(
    '/api/cards/:cardId',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'A card’s metadata and the caller’s role on it (the answer is edited over /collab/).',
        tags: ['cards'],
        params: cardParams,
        response: { 200: cardResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId } = request.params
      return requireCardRole(services, user.id, cardId)
    },
  )

  api.patch(
    '/api/cards/:cardId',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'Change a card’s metadata, status, lock or “everyone suggests” switch (chair). Status "final" needs every assigned ministry’s clearance of the current text (409 clearance_missing), or `override.reason`; it locks the card.',
        tags: ['cards'],
        params: cardParams,
        body: cardUpdateRequestSchema,
        response: { 200: cardResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId } = request.params
      const { role, card: before } = await requireCardRole(services, user.id, cardId, [Role.Chair])
      const { suggestOnly, override, status, ...change } = request.body
      const finalising = status === 'final' && before.status !== 'final'
      if (status !== undefined && status !== 'final') {
        // Leaving final lifts the lock final set, unless the request says otherwise.
        const unlock = before.status === 'final' && change.locked === undefined
        Object.assign(change, { status }, unlock ? { locked: false } : {})
      }
      // Metadata and lock, then final, then "everyone suggests": each service writes its own
      // audit entries.
      let card = await answerCardError(
        services.cards.update({ actorUserId: user.id, cardId, change }),
      )
      if (finalising) {
        card = await answerSignOffError(
          services.signOff.finalize({
            actorUserId: user.id,
            cardId,
            override: override?.reason ?? null,
          }),
        )
      }
      if (suggestOnly !== undefined) {
        await services.suggestOnly.setCard({ actorUserId: user.id, cardId, on: suggestOnly })
        const switched = await repository.getCard(cardId)
        if (!switched) throw notFound('Card')
        card = switched
      }
      return { card, role }
    },
  )
}

/** The answer to a change the card service refused: 404 for what is not there, 400 otherwise. */
async function answerCardError<T>(change: Promise<T>): Promise<T> {
  try {
    return await change
  } catch (error) {
    if (!(error instanceof CardError)) throw error
    if (error.code === 'deck_not_found' || error.code === 'card_not_found') {
      throw new HttpError(404, 'not_found', error.message)
    }
    throw new HttpError(400, error.code, error.message)
  }
}
