/**
 * Guards shared by the REST routes: who is signed in, and which role they hold in a deck.
 */
import type { Role } from '@kartu/protocol'
import type { FastifyRequest } from 'fastify'
import type { Services } from '../services.ts'
import type { UserRecord } from '../store/types.ts'
import { forbidden, notFound, unauthorized } from './errors.ts'
import { identify } from './requestAuth.ts'

export async function requireUser(
  services: Services,
  request: FastifyRequest,
): Promise<UserRecord> {
  // A cookie request that changes something has passed the Origin check already, in one hook
  // for every route (http/originCheck.ts).
  const identity = await identify(services, request)
  if (!identity) throw unauthorized()
  return identity.user
}

/** The caller's role in the deck; 404 when the deck does not exist or they are not a member. */
export async function requireDeckRole(
  services: Services,
  userId: string,
  deckId: string,
  allowed?: readonly Role[],
): Promise<Role> {
  const role = await services.storage.repository.getRole(deckId, userId)
  // Not a member looks like "no such deck": it does not reveal which decks exist.
  if (!role) throw notFound('Deck')
  if (allowed && !allowed.includes(role)) throw forbidden(`Your role (${role}) may not do this.`)
  return role
}
