/**
 * Decks and their cards.
 */
import { randomUUID } from 'node:crypto'
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
import { cardCreatedEvent, cardUpdatedEvent, lockChangedEvent } from '../audit/auditEvents.ts'
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
      const body = request.body
      await checkReferences(services, deckId, body)
      const position = (await repository.listCards(deckId)).length
      const id = randomUUID()
      await repository.createCard({ ...body, id, deckId, position, extra: {} })
      const card = await repository.getCard(id)
      if (!card) throw notFound('Card')
      await services.audit.append(
        cardCreatedEvent({ userId: user.id, cardId: id, deckId, ref: card.ref }),
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
      const { card: existing, role } = await requireCardRole(services, user.id, cardId, [
        Role.Chair,
      ])
      const { suggestOnly, ...patch } = request.body
      await checkReferences(services, existing.deckId, patch)
      let card = await repository.updateCard(cardId, patch)
      if (!card) throw notFound('Card')
      // A lock (or unlock) applies to open editors at once, not at the next poll.
      if (patch.locked !== undefined && patch.locked !== existing.locked) {
        await services.permissions.refresh()
        await services.audit.append(
          lockChangedEvent({ userId: user.id, cardId, locked: patch.locked }),
        )
      }
      // "Everyone suggests" goes through the service the command line uses too (it audits).
      if (suggestOnly !== undefined) {
        await services.suggestOnly.setCard({ actorUserId: user.id, cardId, on: suggestOnly })
        card = await repository.getCard(cardId)
        if (!card) throw notFound('Card')
      }
      const { locked: _lock, ...metadata } = patch
      const updated = cardUpdatedEvent({
        userId: user.id,
        cardId,
        before: existing,
        after: metadata,
      })
      if (updated) await services.audit.append(updated)
      return { card, role }
    },
  )
}

/** Refuses clusters and ministries that the deck does not have. */
async function checkReferences(
  services: Services,
  deckId: string,
  body: { cluster?: string; leadMinistry?: string; contributingMinistries?: string[] },
): Promise<void> {
  const deck = await services.storage.repository.getDeck(deckId)
  if (!deck) throw notFound('Deck')
  if (body.cluster !== undefined && !deck.clusters.some((c) => c.id === body.cluster)) {
    throw new HttpError(400, 'unknown_cluster', `The deck has no cluster ${body.cluster}.`)
  }
  const ministryIds = new Set(deck.ministries.map((m) => m.id))
  for (const id of [body.leadMinistry, ...(body.contributingMinistries ?? [])]) {
    if (id !== undefined && !ministryIds.has(id)) {
      throw new HttpError(400, 'unknown_ministry', `The deck has no ministry ${id}.`)
    }
  }
}
