/**
 * The identity one node forwards with a connection to the node that holds the document
 * (decision 0018). The forwarding node authenticated the person and checked their access; the
 * holder takes that answer only when it is signed with the cluster's secret, for this document,
 * and fresh (a captured header cannot be replayed later or for another card). The holder keeps
 * checking the credential and the role itself while the connection is open (PermissionWatcher).
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import { roleSchema } from '@kartu/protocol'
import { z } from 'zod'
import type { Participant } from '../collab/types.ts'

/** The header carrying the signed identity on the internal upgrade. */
export const FORWARDED_IDENTITY_HEADER = 'x-kartu-forwarded-identity'

/** How long a signed identity may be used to open the internal connection. */
const FRESH_MS = 30_000

const forwardedSchema = z.object({
  documentName: z.string().min(1),
  expiresAt: z.number().int(),
  locked: z.boolean().optional(),
  suggestOnly: z.boolean().optional(),
  participant: z.object({
    userId: z.string().min(1),
    credential: z
      .object({ kind: z.enum(['session', 'token']), secretHash: z.string().min(1) })
      .optional(),
    deckId: z.string().min(1),
    role: roleSchema,
    presence: z.object({
      id: z.string(),
      name: z.string(),
      ministryId: z.string(),
      ministry: z.string(),
      color: z.string(),
    }),
  }),
})

export type ForwardedIdentity = {
  documentName: string
  participant: Participant
  locked?: boolean
  suggestOnly?: boolean
}

const mac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(payload).digest('base64url')

/** `payload.signature`, both base64url. */
export function signForwardedIdentity(
  secret: string,
  identity: ForwardedIdentity,
  now = Date.now(),
): string {
  const payload = Buffer.from(
    JSON.stringify({ ...identity, expiresAt: now + FRESH_MS }),
    'utf8',
  ).toString('base64url')
  return `${payload}.${mac(secret, payload)}`
}

/** The identity, or null when the header is missing, forged, stale, or for another document. */
export function verifyForwardedIdentity(
  secret: string,
  header: string | undefined,
  documentName: string,
  now = Date.now(),
): ForwardedIdentity | null {
  if (!header) return null
  const [payload, signature, extra] = header.split('.')
  if (!payload || !signature || extra !== undefined) return null
  const expected = Buffer.from(mac(secret, payload))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  let parsed: z.infer<typeof forwardedSchema>
  try {
    parsed = forwardedSchema.parse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')))
  } catch {
    return null
  }
  if (parsed.documentName !== documentName || parsed.expiresAt < now) return null
  return {
    documentName: parsed.documentName,
    participant: parsed.participant,
    locked: parsed.locked,
    suggestOnly: parsed.suggestOnly,
  }
}
