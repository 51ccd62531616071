/**
 * What the audit log records, one builder per kind of event, so that every caller names subjects
 * and details the same way. Subjects are typed ids: `user:<id>`, `deck:<id>`, `card:<id>` (or any
 * document name), `token:<id>`, `email:<address>` (a sign-in for an unknown account has no user).
 * Passwords and secrets never appear in an entry.
 */
import type { Role } from '@kartu/protocol'
import type { JsonObject } from './auditHash.ts'

export const AuditAction = {
  SignIn: 'auth.sign_in',
  SignInFailed: 'auth.sign_in_failed',
  SignOut: 'auth.sign_out',
  UserCreated: 'user.created',
  TokenIssued: 'token.issued',
  TokenRevoked: 'token.revoked',
  MemberAdded: 'member.added',
  MemberRoleChanged: 'member.role_changed',
  MemberRemoved: 'member.removed',
  UpdateRefused: 'update.refused',
  SuggestionDecided: 'suggestion.decided',
  LockChanged: 'lock.changed',
  Exported: 'export',
} as const
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction]

/** An entry before the log gives it a place: seq, time and hashes are added by AuditLog. */
export type AuditInput = {
  /** Who did it; null for the command line and for sign-ins that did not identify anyone. */
  actorUserId: string | null
  action: AuditAction
  subject: string
  details?: JsonObject
}

/** Where an admin command came from, for entries written by `pnpm kartu`. */
const CLI = { via: 'cli' } as const

export function signInEvent(input: { userId: string; email: string; address: string }): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.SignIn,
    subject: `user:${input.userId}`,
    details: { email: input.email, address: input.address },
  }
}

export function signInFailedEvent(input: { email: string; address: string }): AuditInput {
  // No user id even when the account exists: the entry must not tell a reader of the log more
  // than the sign-in answer told the person trying.
  return {
    actorUserId: null,
    action: AuditAction.SignInFailed,
    subject: `email:${input.email}`,
    details: { email: input.email, address: input.address },
  }
}

export function signOutEvent(input: { userId: string; address: string }): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.SignOut,
    subject: `user:${input.userId}`,
    details: { address: input.address },
  }
}

export function userCreatedEvent(input: {
  userId: string
  email: string
  ministryId: string
}): AuditInput {
  return {
    actorUserId: null,
    action: AuditAction.UserCreated,
    subject: `user:${input.userId}`,
    details: { ...CLI, email: input.email, ministryId: input.ministryId },
  }
}

export function tokenIssuedEvent(input: {
  tokenId: string
  userId: string
  label: string
  expiresAt: number
}): AuditInput {
  return {
    actorUserId: null,
    action: AuditAction.TokenIssued,
    subject: `token:${input.tokenId}`,
    details: {
      ...CLI,
      userId: input.userId,
      label: input.label,
      expiresAt: new Date(input.expiresAt).toISOString(),
    },
  }
}

export function tokenRevokedEvent(input: { tokenId: string; userId: string }): AuditInput {
  return {
    actorUserId: null,
    action: AuditAction.TokenRevoked,
    subject: `token:${input.tokenId}`,
    details: { ...CLI, userId: input.userId },
  }
}

/**
 * A member added or given another role; null when the role is what it was (nothing happened).
 * `actorUserId` null means the command line.
 */
export function memberSetEvent(input: {
  actorUserId: string | null
  deckId: string
  userId: string
  email: string
  role: Role
  previousRole: Role | null
}): AuditInput | null {
  if (input.previousRole === input.role) return null
  const details: JsonObject = { userId: input.userId, email: input.email, role: input.role }
  if (input.previousRole) details.previousRole = input.previousRole
  if (input.actorUserId === null) details.via = CLI.via
  return {
    actorUserId: input.actorUserId,
    action: input.previousRole ? AuditAction.MemberRoleChanged : AuditAction.MemberAdded,
    subject: `deck:${input.deckId}`,
    details,
  }
}

export function memberRemovedEvent(input: {
  actorUserId: string
  deckId: string
  userId: string
  previousRole: Role
}): AuditInput {
  return {
    actorUserId: input.actorUserId,
    action: AuditAction.MemberRemoved,
    subject: `deck:${input.deckId}`,
    details: { userId: input.userId, previousRole: input.previousRole },
  }
}

/** An update refused by policy (role, lock, size, forged identity). */
export function updateRefusedEvent(input: {
  userId: string
  documentName: string
  code: string
  message: string
  /** The connection's message number, as in the Rejected message. */
  seq: number
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.UpdateRefused,
    subject: input.documentName,
    details: { code: input.code, message: input.message, seq: input.seq },
  }
}

/** The chair accepted or rejected a suggestion. */
export function suggestionDecidedEvent(input: {
  userId: string
  documentName: string
  suggestionId: string
  decision: 'accepted' | 'rejected' | 'withdrawn'
  /** Who made the suggestion, as the server recorded it. */
  authorUserId?: string
}): AuditInput {
  const details: JsonObject = { suggestionId: input.suggestionId, decision: input.decision }
  if (input.authorUserId) details.authorUserId = input.authorUserId
  return {
    actorUserId: input.userId,
    action: AuditAction.SuggestionDecided,
    subject: input.documentName,
    details,
  }
}

/** A card, or a part of it, locked as agreed text or unlocked. */
export function lockChangedEvent(input: {
  userId: string
  cardId: string
  locked: boolean
  /** What was locked when it is not the whole card (e.g. a paragraph id). */
  part?: string
}): AuditInput {
  const details: JsonObject = { locked: input.locked }
  if (input.part) details.part = input.part
  return {
    actorUserId: input.userId,
    action: AuditAction.LockChanged,
    subject: `card:${input.cardId}`,
    details,
  }
}

/** A deck or card exported (DOCX, print). */
export function exportedEvent(input: {
  userId: string
  subject: string
  format: string
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.Exported,
    subject: input.subject,
    details: { format: input.format },
  }
}
