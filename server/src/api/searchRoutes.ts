/**
 * Search over a deck's questions and answers (search/deckSearch.ts): members only, and never a
 * card of another deck.
 */
import { searchQuerySchema, searchResponseSchema } from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Services } from '../services.ts'
import { requireDeckRole, requireUser, signedInFirst } from './guards.ts'
import { deckParams, errorResponses, signedIn } from './routeSchemas.ts'

export function registerSearchRoutes(app: FastifyInstance, services: Services): void {
  const api = app.withTypeProvider<ZodTypeProvider>()
  api.get(
    '/api/decks/:deckId/search',
    {
      preValidation: signedInFirst(services),
      schema: {
        security: signedIn,
        tags: ['cards'],
        summary:
          'The deck’s cards whose question (English or Indonesian) or answer has every word of `q`.',
        params: deckParams,
        querystring: searchQuerySchema,
        response: { 200: searchResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId)
      return { hits: await services.search.search(deckId, request.query.q, request.query.limit) }
    },
  )
}
