/**
 * What the audit log records, one builder per kind of event, so that every caller names subjects
 * and details the same way. Subjects are typed ids: `user:<id>`, `deck:<id>`, `card:<id>` (or any
 * document name), `token:<id>`, `email:<address>` (a sign-in for an unknown account has no user).
 * Passwords and secrets never appear in an entry.
 */
import type { Role } from '@kartu/protocol'
import type { RefusalRecord } from '../collab/refusalTally.ts'
import type { JsonObject } from './auditHash.ts'

export const AuditAction = {
  SignIn: 'auth.sign_in',
  SignInFailed: 'auth.sign_in_failed',
  SignOut: 'auth.sign_out',
  /** A sign-in refused without looking at the password: too many failures (HTTP 429). */
  SignInThrottled: 'auth.sign_in_throttled',
  UserCreated: 'user.created',
  PasswordChanged: 'user.password_changed',
  UserDisabled: 'user.disabled',
  UserEnabled: 'user.enabled',
  /** Sessions of a person ended other than by their own sign-out. */
  SessionsEnded: 'session.ended',
  TokenIssued: 'token.issued',
  TokenRevoked: 'token.revoked',
  MemberAdded: 'member.added',
  MemberRoleChanged: 'member.role_changed',
  MemberRemoved: 'member.removed',
  UpdateRefused: 'update.refused',
  SuggestionDecided: 'suggestion.decided',
  LockChanged: 'lock.changed',
  /** "Everyone suggests" turned on or off for a deck or a card. */
  SuggestOnlyChanged: 'suggest_only.changed',
  CardCreated: 'card.created',
  CardUpdated: 'card.updated',
  /** A version of a card's answer named by the chair or an editor. */
  VersionNamed: 'version.named',
  VersionRestored: 'version.restored',
  /** The chair closed a rakor session: a version of every card changed during it. */
  SessionClosed: 'session.closed',
  DeckImported: 'deck.imported',
  /** A stored document rewritten by the server to fit its schema (`pnpm kartu doctor --repair`). */
  DocumentRepaired: 'document.repaired',
  Exported: 'export',
  /** A Word file imported into a card's answer, or into a deck as new cards. */
  WordImported: 'word.imported',
  /** The chair assigned a card's lead and contributing ministries and its due date. */
  CardAssigned: 'card.assigned',
  /** A ministry cleared a card's text (the hash of what it cleared is in the entry). */
  ClearanceGiven: 'clearance.given',
  ClearanceWithdrawn: 'clearance.withdrawn',
  /** The chair marked a card final; with an override reason when a clearance was missing. */
  CardFinalized: 'card.finalized',
  /** The chair named a ministry's focal persons in a deck. */
  FocalPersonsChanged: 'focal_persons.changed',
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

export function signInThrottledEvent(input: {
  email: string
  address: string
  scope: string
}): AuditInput {
  return {
    actorUserId: null,
    action: AuditAction.SignInThrottled,
    subject: `email:${input.email}`,
    details: { email: input.email, address: input.address, scope: input.scope },
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

/**
 * Who acted on an account: the person themselves or another signed-in person (their id), or the
 * command line (null).
 */
function actorDetails(actorUserId: string | null, details: JsonObject): JsonObject {
  return actorUserId === null ? { ...CLI, ...details } : details
}

export function passwordChangedEvent(input: {
  actorUserId: string | null
  userId: string
  sessionsEnded: number
}): AuditInput {
  return {
    actorUserId: input.actorUserId,
    action: AuditAction.PasswordChanged,
    subject: `user:${input.userId}`,
    details: actorDetails(input.actorUserId, { sessionsEnded: input.sessionsEnded }),
  }
}

export function userDisabledEvent(input: {
  actorUserId: string | null
  userId: string
  disabled: boolean
  sessionsEnded: number
}): AuditInput {
  return {
    actorUserId: input.actorUserId,
    action: input.disabled ? AuditAction.UserDisabled : AuditAction.UserEnabled,
    subject: `user:${input.userId}`,
    details: actorDetails(input.actorUserId, { sessionsEnded: input.sessionsEnded }),
  }
}

export function sessionsEndedEvent(input: {
  actorUserId: string | null
  userId: string
  count: number
}): AuditInput {
  return {
    actorUserId: input.actorUserId,
    action: AuditAction.SessionsEnded,
    subject: `user:${input.userId}`,
    details: actorDetails(input.actorUserId, { count: input.count }),
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
  actorUserId: string | null
  deckId: string
  userId: string
  previousRole: Role
}): AuditInput {
  return {
    actorUserId: input.actorUserId,
    action: AuditAction.MemberRemoved,
    subject: `deck:${input.deckId}`,
    details: actorDetails(input.actorUserId, {
      userId: input.userId,
      previousRole: input.previousRole,
    }),
  }
}

/**
 * An update refused by policy (role, lock, size, shape, forged identity). A connection's first
 * refusal of a code in a minute is recorded as it happens; the others of that minute as one
 * entry with their count (collab/refusalTally.ts), so a refusal loop cannot flood the log.
 */
export function updateRefusedEvent(input: {
  userId: string
  documentName: string
  refusal: RefusalRecord
}): AuditInput {
  const { refusal } = input
  const details: JsonObject =
    refusal.kind === 'first'
      ? { code: refusal.code, message: refusal.message, seq: refusal.seq, count: 1 }
      : {
          code: refusal.code,
          count: refusal.count,
          repeated: true,
          firstSeq: refusal.firstSeq,
          lastSeq: refusal.lastSeq,
          minute: new Date(refusal.minute * 60_000).toISOString(),
        }
  return {
    actorUserId: input.userId,
    action: AuditAction.UpdateRefused,
    subject: input.documentName,
    details,
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

/**
 * The chair (or the command line: `actorUserId` null) turned "everyone suggests" on or off, for
 * a whole deck (`deck:<id>`) or one card (`card:<id>`).
 */
export function suggestOnlyChangedEvent(input: {
  actorUserId: string | null
  subject: { kind: 'deck' | 'card'; id: string }
  suggestOnly: boolean
}): AuditInput {
  return {
    actorUserId: input.actorUserId,
    action: AuditAction.SuggestOnlyChanged,
    subject: `${input.subject.kind}:${input.subject.id}`,
    details: actorDetails(input.actorUserId, { suggestOnly: input.suggestOnly }),
  }
}

/** Long texts (a question) are recorded up to this many characters, with their full length. */
const RECORDED_TEXT = 200

function recordedValue(value: unknown): JsonObject[string] {
  if (typeof value === 'string') {
    return value.length <= RECORDED_TEXT
      ? value
      : `${value.slice(0, RECORDED_TEXT)}… (${value.length} characters)`
  }
  if (Array.isArray(value)) return value.map((v) => recordedValue(v))
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value
  return String(value)
}

export function cardCreatedEvent(input: {
  userId: string
  cardId: string
  deckId: string
  ref: string
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.CardCreated,
    subject: `card:${input.cardId}`,
    details: { deckId: input.deckId, ref: input.ref },
  }
}

export function versionNamedEvent(input: {
  userId: string
  cardId: string
  versionId: string
  name: string
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.VersionNamed,
    subject: `card:${input.cardId}`,
    details: { versionId: input.versionId, name: input.name },
  }
}

/**
 * The chair changed a card's metadata (question, status, ministries, ...): each changed field
 * with its value before and after. Null when nothing changed.
 */
export function cardUpdatedEvent(input: {
  userId: string
  cardId: string
  before: Record<string, unknown>
  after: Record<string, unknown>
}): AuditInput | null {
  const changes: JsonObject = {}
  for (const [field, value] of Object.entries(input.after)) {
    const previous = input.before[field]
    if (JSON.stringify(previous) === JSON.stringify(value)) continue
    changes[field] = { from: recordedValue(previous), to: recordedValue(value) }
  }
  if (Object.keys(changes).length === 0) return null
  return {
    actorUserId: input.userId,
    action: AuditAction.CardUpdated,
    subject: `card:${input.cardId}`,
    details: { changes },
  }
}

export function deckImportedEvent(input: {
  deckId: string
  title: string
  cards: number
  ministries: string[]
}): AuditInput {
  return {
    actorUserId: null,
    action: AuditAction.DeckImported,
    subject: `deck:${input.deckId}`,
    details: { ...CLI, title: input.title, cards: input.cards, ministries: input.ministries },
  }
}

/** A stored document the server rewrote to fit its schema, keeping every character of text. */
export function documentRepairedEvent(input: {
  documentName: string
  problems: string[]
  charactersBefore: number
  charactersAfter: number
}): AuditInput {
  return {
    actorUserId: null,
    action: AuditAction.DocumentRepaired,
    subject: input.documentName,
    details: {
      ...CLI,
      problems: input.problems.slice(0, 50),
      problemCount: input.problems.length,
      charactersBefore: input.charactersBefore,
      charactersAfter: input.charactersAfter,
    },
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

export function versionRestoredEvent(input: {
  userId: string
  cardId: string
  versionId: string
  beforeVersionId: string
  reason: string
  orphaned: number
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.VersionRestored,
    subject: `card:${input.cardId}`,
    details: {
      versionId: input.versionId,
      beforeVersionId: input.beforeVersionId,
      reason: input.reason,
      orphanedSuggestions: input.orphaned,
    },
  }
}

export function sessionClosedEvent(input: {
  userId: string
  deckId: string
  name: string
  cardIds: readonly string[]
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.SessionClosed,
    subject: `deck:${input.deckId}`,
    details: { name: input.name, cards: [...input.cardIds] },
  }
}

/**
 * A Word file imported (briefing/importIntoCard.ts, importDeckFromWord.ts): who imported it,
 * and what came in. The suggestions and comments in it are attributed to the Word authors the
 * file names; this entry is what says who brought them in.
 */
export function wordImportedEvent(input: {
  userId: string
  subject: string
  mode: string
  fileBytes: number
  paragraphs?: number
  suggestions: number
  threads: number
  cardIds?: readonly string[]
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.WordImported,
    subject: input.subject,
    details: {
      mode: input.mode,
      fileBytes: input.fileBytes,
      ...(input.paragraphs === undefined ? {} : { paragraphs: input.paragraphs }),
      suggestions: input.suggestions,
      threads: input.threads,
      ...(input.cardIds === undefined ? {} : { cards: [...input.cardIds] }),
    },
  }
}

export function cardAssignedEvent(input: {
  userId: string | null
  cardId: string
  lead: string
  contributing: readonly string[]
  dueDate: string | null
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.CardAssigned,
    subject: `card:${input.cardId}`,
    // Flat values: the activity feed shows them as they are.
    details: {
      lead: input.lead,
      contributing: input.contributing.join(','),
      dueDate: input.dueDate,
    },
  }
}

export function clearanceEvent(input: {
  userId: string
  cardId: string
  ministryId: string
  outcome: 'given' | 'withdrawn'
  textHash: string | null
  versionId: string | null
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: input.outcome === 'given' ? AuditAction.ClearanceGiven : AuditAction.ClearanceWithdrawn,
    subject: `card:${input.cardId}`,
    details: {
      ministry: input.ministryId,
      outcome: input.outcome,
      textHash: input.textHash,
      versionId: input.versionId,
    },
  }
}

export function cardFinalizedEvent(input: {
  userId: string
  cardId: string
  override: string | null
  missing: readonly string[]
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.CardFinalized,
    subject: `card:${input.cardId}`,
    details: { override: input.override, missing: input.missing.join(',') },
  }
}

export function focalPersonsEvent(input: {
  userId: string | null
  deckId: string
  ministryId: string
  userIds: readonly string[]
}): AuditInput {
  return {
    actorUserId: input.userId,
    action: AuditAction.FocalPersonsChanged,
    subject: `deck:${input.deckId}`,
    details: { ministry: input.ministryId, userIds: [...input.userIds] },
  }
}
