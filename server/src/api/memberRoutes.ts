/**
 * Deck membership: who may open the deck's documents, and with which role.
 */
import {
  type MemberResponse,
  type MembersResponse,
  memberUpsertRequestSchema,
  Role,
} from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { Services } from '../services.ts'
import { HttpError, notFound } from './errors.ts'
import { requireDeckRole, requireUser } from './guards.ts'

const deckParams = z.object({ deckId: z.string().min(1).max(64) })
const memberParams = deckParams.extend({ userId: z.string().min(1).max(64) })

export function registerMemberRoutes(app: FastifyInstance, services: Services): void {
  const { repository } = services.storage

  app.get('/api/decks/:deckId/members', async (request): Promise<MembersResponse> => {
    const user = await requireUser(services, request)
    const { deckId } = deckParams.parse(request.params)
    await requireDeckRole(services, user.id, deckId)
    return { members: await repository.listMembers(deckId) }
  })

  app.put('/api/decks/:deckId/members', async (request): Promise<MemberResponse> => {
    const user = await requireUser(services, request)
    const { deckId } = deckParams.parse(request.params)
    await requireDeckRole(services, user.id, deckId, [Role.Chair])
    const body = memberUpsertRequestSchema.parse(request.body)
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
  })

  app.delete('/api/decks/:deckId/members/:userId', async (request, reply) => {
    const user = await requireUser(services, request)
    const { deckId, userId } = memberParams.parse(request.params)
    await requireDeckRole(services, user.id, deckId, [Role.Chair])
    if (userId === user.id) {
      throw new HttpError(400, 'cannot_remove_self', 'A chair cannot remove themselves.')
    }
    if (!(await services.members.remove({ actorUserId: user.id, deckId, userId }))) {
      throw notFound('Member')
    }
    request.log.info({ deckId, userId }, 'member removed')
    return reply.code(204).send()
  })
}
