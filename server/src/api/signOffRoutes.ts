/**
 * Sign-off over REST: a card's assignment (chair), ministries' clearances of its text, and a
 * deck's focal persons. "Final" is a status change: PATCH /api/cards/:cardId (deckRoutes.ts).
 */
import {
  assignmentRequestSchema,
  type CardResponse,
  type ClearanceResponse,
  cardResponseSchema,
  clearanceParams,
  clearanceResponseSchema,
  focalPersonsRequestSchema,
  focalPersonsResponseSchema,
  idSchema,
  Role,
} from '@kartu/protocol'
import type { FastifyInstance } from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { focalPersonsEvent } from '../audit/auditEvents.ts'
import type { Services } from '../services.ts'
import { SignOffError } from '../signoff/signOff.ts'
import { HttpError, notFound } from './errors.ts'
import { requireCardRole, requireDeckRole, requireUser, signedInFirst } from './guards.ts'
import { cardParams, deckParams, errorResponses, signedIn } from './routeSchemas.ts'

/** Who may clear or withdraw a clearance: those who may change the text, as their ministry. */
const CLEARING_ROLES = [Role.Chair, Role.Editor, Role.Suggester] as const

const STATUS_OF: Record<SignOffError['code'], number> = {
  card_not_found: 404,
  unknown_ministry: 400,
  not_assigned: 403,
  not_your_ministry: 403,
  card_final: 409,
  clearance_missing: 409,
}

/** The answer to a sign-off the service refused. */
export async function answerSignOffError<T>(change: Promise<T>): Promise<T> {
  try {
    return await change
  } catch (error) {
    if (!(error instanceof SignOffError)) throw error
    throw new HttpError(STATUS_OF[error.code], error.code, error.message)
  }
}

export function registerSignOffRoutes(app: FastifyInstance, services: Services): void {
  const api = app.withTypeProvider<ZodTypeProvider>()
  const common = { preValidation: signedInFirst(services) }
  const schema = { security: signedIn, tags: ['sign-off'] }

  api.put(
    '/api/cards/:cardId/assignment',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Assign the card’s lead and contributing ministries and its due date (chair).',
        params: cardParams,
        body: assignmentRequestSchema,
        response: { 200: cardResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId } = request.params
      const { role } = await requireCardRole(services, user.id, cardId, [Role.Chair])
      const card = await answerSignOffError(
        services.signOff.assign({ actorUserId: user.id, cardId, change: request.body }),
      )
      const response: CardResponse = { card, role }
      return response
    },
  )

  api.post(
    '/api/cards/:cardId/clearances',
    {
      ...common,
      schema: {
        ...schema,
        summary:
          'Clear the card’s current text for the caller’s ministry (a lead or contributing ministry).',
        params: cardParams,
        response: { 201: clearanceResponseSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = await requireUser(services, request)
      const { cardId } = request.params
      const { role } = await requireCardRole(services, user.id, cardId, CLEARING_ROLES)
      const { clearance, card } = await answerSignOffError(services.signOff.clear({ user, cardId }))
      const response: ClearanceResponse = { clearance, card, role }
      return reply.code(201).send(response)
    },
  )

  api.delete(
    '/api/cards/:cardId/clearances/:ministryId',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Withdraw a ministry’s clearance (its own people, or the chair).',
        params: clearanceParams,
        response: { 200: cardResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { cardId, ministryId } = request.params
      const { role } = await requireCardRole(services, user.id, cardId, CLEARING_ROLES)
      if (role !== Role.Chair && ministryId !== user.ministryId) {
        throw new HttpError(
          403,
          'not_your_ministry',
          'Only the chair or the ministry’s own people withdraw its clearance.',
        )
      }
      const card = await answerSignOffError(
        services.signOff.withdraw({ actorUserId: user.id, cardId, ministryId }),
      )
      const response: CardResponse = { card, role }
      return response
    },
  )

  api.get(
    '/api/decks/:deckId/focal-persons',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Each ministry’s focal persons in the deck: who gets its inbox items.',
        params: deckParams,
        response: { 200: focalPersonsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId } = request.params
      await requireDeckRole(services, user.id, deckId)
      return { focalPersons: await services.storage.signOff.listFocalPersons(deckId) }
    },
  )

  api.put(
    '/api/decks/:deckId/focal-persons/:ministryId',
    {
      ...common,
      schema: {
        ...schema,
        summary: 'Name a ministry’s focal persons in the deck, members of that ministry (chair).',
        params: deckParams.extend({ ministryId: idSchema }),
        body: focalPersonsRequestSchema,
        response: { 200: focalPersonsResponseSchema, ...errorResponses },
      },
    },
    async (request) => {
      const user = await requireUser(services, request)
      const { deckId, ministryId } = request.params
      await requireDeckRole(services, user.id, deckId, [Role.Chair])
      const deck = await services.storage.repository.getDeck(deckId)
      if (!deck) throw notFound('Deck')
      if (!deck.ministries.some((ministry) => ministry.id === ministryId)) {
        throw new HttpError(400, 'unknown_ministry', `The deck has no ministry ${ministryId}.`)
      }
      const members = await services.storage.repository.listMembers(deckId)
      for (const userId of request.body.userIds) {
        const member = members.find((candidate) => candidate.userId === userId)
        if (!member || member.ministryId !== ministryId) {
          throw new HttpError(
            400,
            'not_a_member',
            `Focal persons are members of the deck from ${ministryId}.`,
          )
        }
      }
      const userIds = [...new Set(request.body.userIds)]
      await services.storage.signOff.setFocalPersons(deckId, ministryId, userIds)
      await services.audit.append(
        focalPersonsEvent({ userId: user.id, deckId, ministryId, userIds }),
      )
      return { focalPersons: await services.storage.signOff.listFocalPersons(deckId) }
    },
  )
}
