/**
 * Decks and their cards.
 */
import { randomUUID } from 'node:crypto'
import {
  type CardResponse,
  type CardsResponse,
  cardCreateRequestSchema,
  cardUpdateRequestSchema,
  type DeckResponse,
  type DecksResponse,
  deckUpdateRequestSchema,
  Role,
} from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { cardCreatedEvent, cardUpdatedEvent, lockChangedEvent } from '../audit/auditEvents.ts'
import type { Services } from '../services.ts'
import { HttpError, notFound } from './errors.ts'
import { requireCardRole, requireDeckRole, requireUser } from './guards.ts'

const deckParams = z.object({ deckId: z.string().min(1).max(64) })
const cardParams = z.object({ cardId: z.string().min(1).max(64) })

export function registerDeckRoutes(app: FastifyInstance, services: Services): void {
  const { repository } = services.storage

  app.get('/api/decks', async (request): Promise<DecksResponse> => {
    const user = await requireUser(services, request)
    return { decks: await repository.listDecksOf(user.id) }
  })

  app.get('/api/decks/:deckId', async (request): Promise<DeckResponse> => {
    const user = await requireUser(services, request)
    const { deckId } = deckParams.parse(request.params)
    const role = await requireDeckRole(services, user.id, deckId)
    const deck = await repository.getDeck(deckId)
    if (!deck) throw notFound('Deck')
    return { deck, role }
  })

  app.patch('/api/decks/:deckId', async (request): Promise<DeckResponse> => {
    const user = await requireUser(services, request)
    const { deckId } = deckParams.parse(request.params)
    const role = await requireDeckRole(services, user.id, deckId, [Role.Chair])
    const patch = deckUpdateRequestSchema.parse(request.body)
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
  })

  app.get('/api/decks/:deckId/cards', async (request): Promise<CardsResponse> => {
    const user = await requireUser(services, request)
    const { deckId } = deckParams.parse(request.params)
    await requireDeckRole(services, user.id, deckId)
    return { cards: await repository.listCards(deckId) }
  })

  app.post('/api/decks/:deckId/cards', async (request, reply) => {
    const user = await requireUser(services, request)
    const { deckId } = deckParams.parse(request.params)
    const role = await requireDeckRole(services, user.id, deckId, [Role.Chair])
    const body = cardCreateRequestSchema.parse(request.body)
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
  })

  app.get('/api/cards/:cardId', async (request): Promise<CardResponse> => {
    const user = await requireUser(services, request)
    const { cardId } = cardParams.parse(request.params)
    return requireCardRole(services, user.id, cardId)
  })

  app.patch('/api/cards/:cardId', async (request): Promise<CardResponse> => {
    const user = await requireUser(services, request)
    const { cardId } = cardParams.parse(request.params)
    const { card: existing, role } = await requireCardRole(services, user.id, cardId, [Role.Chair])
    const { suggestOnly, ...patch } = cardUpdateRequestSchema.parse(request.body)
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
  })
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
