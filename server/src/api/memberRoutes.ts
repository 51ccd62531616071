/**
 * Deck membership: who may open the deck's documents, and with which role.
 */
import {
  memberResponseSchema,
  membersResponseSchema,
  memberUpsertRequestSchema,
  Role,
} from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import type { Services } from '../services.ts'
import { HttpError, notFound } from './errors.ts'
import { requireDeckRole, requireUser, signedInFirst } from './guards.ts'
import { deckParams, errorResponses, memberParams, noContent, signedIn } from './routeSchemas.ts'

export function registerMemberRoutes(app: FastifyInstance, services: Services): void {
  const { repository } = services.storage
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = { preValidation: signedInFirst(services) }
  const schema = { security: signedIn, tags: ['members'] }

  api.get(
    '/api/decks/:deckId/members',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'The deck’s members and their roles.',
        params: deckParams,
        response: { 200: membersResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId)
      return { members: await repository.listMembers(deckId) }
    },
  )

  api.put(
    '/api/decks/:deckId/members',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Add an account to the deck, or change its role (chair).',
        params: deckParams,
        body: memberUpsertRequestSchema,
        response: { 200: memberResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId, [Role.Chair])
      const body = request.body
      const member = await repository.findUserByEmail(body.email)
      if (!member) throw new HttpError(404, 'unknown_user', `No account for ${body.email}.`)
      await services.members.set({ actorUserId: user.id, deckId, user: member, role: body.role })
      request.log.info({ deckId, userId: member.id, role: body.role }, 'member set')
      return {
        member: {
          userId: member.id,
          email: member.email,
          name: member.name,
          ministryId: member.ministryId,
          role: body.role,
        },
      }
    },
  )

  api.delete(
    '/api/decks/:deckId/members/:userId',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Remove a member from the deck (chair; not oneself).',
        params: memberParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await requireUser(services, request)
      const { deckId, userId } = request.params
      await requireDeckRole(services, user.id, deckId, [Role.Chair])
      if (userId === user.id) {
        throw new HttpError(400, 'cannot_remove_self', 'A chair cannot remove themselves.')
      }
      if (!(await services.members.remove({ actorUserId: user.id, deckId, userId }))) {
        throw notFound('Member')
      }
      request.log.info({ deckId, userId }, 'member removed')
      return reply.code(204).send(null)
    },
  )
}
