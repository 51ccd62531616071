/**
 * Guards shared by the REST routes: who is signed in, and which role they hold in a deck.
 */
import type { Card, Role } from '@kartu/protocol'
import { type Authorization, authorize } from '../access.ts'
import { type IdentifiableRequest, identify } from '../http/requestAuth.ts'
import type { Services } from '../services.ts'
import type { UserRecord } from '../store/types.ts'
import { forbidden, type HttpError, notFound, unauthorized } from './errors.ts'

export async function requireUser(
  services: Services,
  request: IdentifiableRequest,
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
  const granted = await authorize(
    services.storage.repository,
    userId,
    { kind: 'deck', id: deckId },
    allowed,
  )
  if (!granted.ok) throw refusal(granted)
  return granted.role
}

/** The card and the caller's role on it; 404 when it does not exist or they are not a member. */
export async function requireCardRole(
  services: Services,
  userId: string,
  cardId: string,
  allowed?: readonly Role[],
): Promise<{ card: Card; role: Role }> {
  const granted = await authorize(
    services.storage.repository,
    userId,
    { kind: 'card', id: cardId },
    allowed,
  )
  if (!granted.ok) throw refusal(granted)
  if (!granted.card) throw notFound('Card')
  return { card: granted.card, role: granted.role }
}

function refusal(refused: Exclude<Authorization, { ok: true }>): HttpError {
  if (refused.reason === 'role') return forbidden(`Your role (${refused.role}) may not do this.`)
  return notFound(refused.kind === 'card' ? 'Card' : 'Deck')
}

/**
 * A route's `preValidation` hook for signed-in routes: who is asking is checked before the
 * request is validated against its schema, so a caller who is not signed in gets 401 whatever
 * they sent, never a description of what the route expects. The handler's `requireUser` then
 * finds the same identity, looked up once per request.
 */
export function signedInFirst(services: Services): (request: IdentifiableRequest) => Promise<void> {
  return async (request) => {
    await requireUser(services, request)
  }
}
