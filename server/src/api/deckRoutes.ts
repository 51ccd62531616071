/**
 * Decks and their cards.
 */
import {
  type CardResponse,
  cardCreateRequestSchema,
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
import { HttpError, notFound } from './errors.ts'
import { requireCardRole, requireDeckRole, requireUser, signedInFirst } from './guards.ts'
import { cardParams, deckParams, errorResponses, signedIn } from './routeSchemas.ts'

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
        summary: 'The deck’s cards, in order.',
        tags: ['cards'],
        params: deckParams,
        response: { 200: cardsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId)
      return { cards: await repository.listCards(deckId) }
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
        summary: 'Change a card’s metadata, lock or “everyone suggests” switch (chair).',
        tags: ['cards'],
        params: cardParams,
        body: cardUpdateRequestSchema,
        response: { 200: cardResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId } = request.params
      const { role } = await requireCardRole(services, user.id, cardId, [Role.Chair])
      const { suggestOnly, ...change } = request.body
      // Metadata and lock, then "everyone suggests": each service writes its own audit entries.
      let card = await answerCardError(
        services.cards.update({ actorUserId: user.id, cardId, change }),
      )
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
