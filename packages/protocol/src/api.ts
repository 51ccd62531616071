/**
 * The REST API's request and response shapes, as zod schemas and the types inferred from them.
 * The server validates requests with these; the client parses responses with them.
 */
import { z } from 'zod'
// Before any schema is built: see validation.ts.
import './validation.ts'

export const Role = {
  Chair: 'chair',
  Editor: 'editor',
  Suggester: 'suggester',
  Commenter: 'commenter',
  Viewer: 'viewer',
} as const
export type Role = (typeof Role)[keyof typeof Role]
export const roleSchema = z.enum(['chair', 'editor', 'suggester', 'commenter', 'viewer'])

export const CardStatus = {
  Draft: 'draft',
  InReview: 'in_review',
  NeedsRevision: 'needs_revision',
  AwaitingData: 'awaiting_data',
  Agreed: 'agreed',
  /** Every assigned ministry cleared the text (or the chair overrode, with a reason); locked. */
  Final: 'final',
} as const
export type CardStatus = (typeof CardStatus)[keyof typeof CardStatus]
export const cardStatusSchema = z.enum([
  'draft',
  'in_review',
  'needs_revision',
  'awaiting_data',
  'agreed',
  'final',
])

/** A stable id such as KP2MI or CC-01: letters, digits, dash, underscore, dot. */
export const idSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, dot, dash or underscore')

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
})
export type ErrorResponse = z.infer<typeof errorResponseSchema>

export const ministrySchema = z.object({
  id: idSchema,
  short: z.string(),
  nameId: z.string(),
  nameEn: z.string(),
  aliases: z.array(z.string()),
  /** CSS colour used for carets, suggestions and badges of this ministry. */
  color: z.string(),
})
export type Ministry = z.infer<typeof ministrySchema>

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  ministryId: z.string(),
})
export type User = z.infer<typeof userSchema>

export const signInRequestSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(1024),
})
export type SignInRequest = z.infer<typeof signInRequestSchema>

/** Passwords are at least 8 characters; the upper bound keeps argon2's input reasonable. */
export const passwordSchema = z.string().min(8).max(1024)

/** `POST /api/me/password`: the signed-in person changes their own password. */
export const passwordChangeRequestSchema = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword: passwordSchema,
})
export type PasswordChangeRequest = z.infer<typeof passwordChangeRequestSchema>

export const deckMembershipSchema = z.object({
  id: z.string(),
  title: z.string(),
  role: roleSchema,
})
export type DeckMembership = z.infer<typeof deckMembershipSchema>

export const meResponseSchema = z.object({
  user: userSchema,
  ministry: ministrySchema.nullable(),
  decks: z.array(deckMembershipSchema),
})
export type MeResponse = z.infer<typeof meResponseSchema>

export const clusterSchema = z.object({
  id: idSchema,
  nameId: z.string(),
  nameEn: z.string(),
})
export type Cluster = z.infer<typeof clusterSchema>

export const deckSchema = z.object({
  id: z.string(),
  title: z.string(),
  titleEn: z.string(),
  committee: z.string(),
  stateParty: z.string(),
  clusters: z.array(clusterSchema),
  ministries: z.array(ministrySchema),
  createdAt: z.string(),
  /**
   * "Everyone suggests" for every card of the deck (a rakor switch the chair sets): editors'
   * changes become suggestions, as a suggester's. Absent from answers cached before the switch
   * existed, which read it as off.
   */
  suggestOnly: z.boolean().default(false),
})
export type Deck = z.infer<typeof deckSchema>

export const deckResponseSchema = z.object({ deck: deckSchema, role: roleSchema })
export type DeckResponse = z.infer<typeof deckResponseSchema>

export const decksResponseSchema = z.object({ decks: z.array(deckMembershipSchema) })
export type DecksResponse = z.infer<typeof decksResponseSchema>

/** A speaker of the delegation: the role as the deck names it, and their ministry's id. */
export const briefingSpeakerSchema = z.object({
  role: z.string(),
  ministry: z.string().nullable(),
  note: z.string().default(''),
})
export type BriefingSpeaker = z.infer<typeof briefingSpeakerSchema>

/**
 * What the delegate needs beside the answer, as the deck gives it (read-only in Kartu): who
 * speaks, the figures the answer relies on, the follow-up questions to expect and what to be
 * careful about.
 */
export const cardBriefingSchema = z.object({
  speaker: briefingSpeakerSchema.nullable(),
  backupSpeaker: briefingSpeakerSchema.nullable(),
  keyData: z.array(
    z.object({
      label: z.string(),
      value: z.string(),
      unit: z.string(),
      sourceMinistry: z.string().nullable(),
      asOf: z.string().nullable(),
      confirmed: z.boolean(),
    }),
  ),
  followUps: z.array(z.object({ question: z.string(), hint: z.string() })),
  sensitivities: z.array(z.string()),
  references: z.array(z.string()),
})
export type CardBriefing = z.infer<typeof cardBriefingSchema>

export const EMPTY_BRIEFING: CardBriefing = {
  speaker: null,
  backupSpeaker: null,
  keyData: [],
  followUps: [],
  sensitivities: [],
  references: [],
}

/**
 * A ministry's clearance of a card's answer ("Disetujui Kemnaker"): who cleared which text, and
 * whether that is still the answer's text. `current` turns false once the agreed text (the answer
 * as if every pending suggestion were rejected) changes: an edit, an accepted suggestion, a
 * restore; never a comment or a pending suggestion. `versionId` holds the text cleared, to compare
 * with the answer now.
 */
export const clearanceSchema = z.object({
  ministryId: z.string(),
  userId: z.string(),
  /** The person's name, as the server knows it. */
  name: z.string(),
  at: z.number().int(),
  current: z.boolean(),
  versionId: z.string(),
})
export type Clearance = z.infer<typeof clearanceSchema>

/** A due date: a calendar day (YYYY-MM-DD) in the delegation's time zone. */
export const dueDateSchema = z.iso.date()

export const cardSchema = z.object({
  id: z.string(),
  deckId: z.string(),
  /** The card's reference as the delegation uses it, e.g. CC-01. */
  ref: z.string(),
  cluster: z.string(),
  /** The paragraph asked about, e.g. "CMW/C/IDN/QPR/2, para. 1(a)". */
  questionRef: z.string(),
  /** The question in the Committee's language. */
  question: z.string(),
  /** The question in Bahasa Indonesia. */
  questionId: z.string(),
  articles: z.array(z.string()),
  leadMinistry: z.string(),
  contributingMinistries: z.array(z.string()),
  status: cardStatusSchema,
  timeBudgetSec: z.number().int(),
  /** Words in the answer as last stored on the server. */
  wordCount: z.number().int(),
  /** Pending suggestions in the answer, as last stored. */
  openSuggestions: z.number().int(),
  /** Unresolved comment threads, as last stored. */
  openThreads: z.number().int(),
  /** Ministries mentioned (@KP2MI) in unresolved threads. */
  mentionedMinistries: z.array(z.string()),
  /** Agreed text: while locked, the server refuses every change to the answer. */
  locked: z.boolean(),
  /**
   * The card's own "everyone suggests" switch. It is on for the card when this or its deck's
   * switch (`Deck.suggestOnly`) is on. Absent from answers cached before the switch existed.
   */
  suggestOnly: z.boolean().default(false),
  position: z.number().int(),
  updatedAt: z.string(),
  /** Absent from answers cached before the briefing was served. */
  briefing: cardBriefingSchema.default(EMPTY_BRIEFING),
  /** When the answer is due from its ministries; null when the chair set none. */
  dueDate: dueDateSchema.nullable().default(null),
  /** The ministries' clearances, one per ministry at most (absent from older cached answers). */
  clearances: z.array(clearanceSchema).default([]),
})
export type Card = z.infer<typeof cardSchema>

/** The ministries that must clear a card: its lead ministry, then its contributing ones. */
export function assignedMinistries(
  card: Pick<Card, 'leadMinistry' | 'contributingMinistries'>,
): string[] {
  const ids = [card.leadMinistry, ...card.contributingMinistries].filter((id) => id !== '')
  return [...new Set(ids)]
}

/** The assigned ministries without a current clearance of the card's text. */
export function missingClearances(
  card: Pick<Card, 'leadMinistry' | 'contributingMinistries' | 'clearances'>,
): string[] {
  const cleared = new Set(card.clearances.filter((c) => c.current).map((c) => c.ministryId))
  return assignedMinistries(card).filter((id) => !cleared.has(id))
}

export const cardResponseSchema = z.object({ card: cardSchema, role: roleSchema })
export type CardResponse = z.infer<typeof cardResponseSchema>

export const cardsResponseSchema = z.object({ cards: z.array(cardSchema) })
export type CardsResponse = z.infer<typeof cardsResponseSchema>

const text = (max: number) => z.string().trim().max(max)

export const cardCreateRequestSchema = z.object({
  ref: text(32).min(1),
  cluster: idSchema,
  questionRef: text(200).default(''),
  question: text(4000).min(1),
  questionId: text(4000).default(''),
  articles: z.array(text(16)).max(50).default([]),
  leadMinistry: idSchema,
  contributingMinistries: z.array(idSchema).max(50).default([]),
  status: cardStatusSchema.default('draft'),
  timeBudgetSec: z.number().int().min(10).max(1800).default(120),
})
export type CardCreateRequest = z.input<typeof cardCreateRequestSchema>

export const cardUpdateRequestSchema = z
  .object({
    ref: text(32).min(1),
    cluster: idSchema,
    questionRef: text(200),
    question: text(4000).min(1),
    questionId: text(4000),
    articles: z.array(text(16)).max(50),
    leadMinistry: idSchema,
    contributingMinistries: z.array(idSchema).max(50),
    status: cardStatusSchema,
    timeBudgetSec: z.number().int().min(10).max(1800),
    position: z.number().int().min(0),
    locked: z.boolean(),
    suggestOnly: z.boolean(),
    /**
     * With `status: "final"` while an assigned ministry has not cleared the current text: the
     * chair's reason for finalising anyway (recorded in the audit log and the card's history).
     */
    override: z.object({ reason: text(2000).min(1) }),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'nothing to update')
  .refine((value) => value.override === undefined || value.status === 'final', {
    message: 'an override goes with status "final"',
    path: ['override'],
  })
export type CardUpdateRequest = z.input<typeof cardUpdateRequestSchema>

/** `PATCH /api/decks/:deckId` (chair): the deck's own settings. */
export const deckUpdateRequestSchema = z
  .object({
    suggestOnly: z.boolean(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, 'nothing to update')
export type DeckUpdateRequest = z.input<typeof deckUpdateRequestSchema>

export const memberSchema = z.object({
  userId: z.string(),
  email: z.string(),
  name: z.string(),
  ministryId: z.string(),
  role: roleSchema,
})
export type Member = z.infer<typeof memberSchema>

export const membersResponseSchema = z.object({ members: z.array(memberSchema) })
export type MembersResponse = z.infer<typeof membersResponseSchema>

export const memberUpsertRequestSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  role: roleSchema,
})
export type MemberUpsertRequest = z.infer<typeof memberUpsertRequestSchema>

export const memberResponseSchema = z.object({ member: memberSchema })
export type MemberResponse = z.infer<typeof memberResponseSchema>

/**
 * How a version of a card's answer came to be: after changes and five minutes of quiet (auto),
 * named by the chair or an editor (named), for every card touched when the chair closes a rakor
 * session (session), kept as the text before a restore (restore), or the text a ministry cleared
 * (clearance).
 */
export const versionKindSchema = z.enum(['auto', 'named', 'session', 'restore', 'clearance'])
export type VersionKind = z.infer<typeof versionKindSchema>

/** Who made a version; null for the ones the server makes by itself. */
export const versionAuthorSchema = z.object({
  userId: z.string(),
  name: z.string(),
  ministryId: z.string(),
})

export const versionSchema = z.object({
  id: z.string(),
  kind: versionKindSchema,
  /** The name given to it; null for automatic versions. */
  name: z.string().nullable(),
  createdAt: z.number().int(),
  createdBy: versionAuthorSchema.nullable(),
  /** Words of the answer in this version. */
  words: z.number().int(),
})
export type Version = z.infer<typeof versionSchema>

/**
 * `GET /api/cards/:cardId/versions`: newest first, with the bytes they take and the budget over
 * which the card's history warns (absent from answers cached before it was served).
 */
export const versionsResponseSchema = z.object({
  versions: z.array(versionSchema),
  budget: z.object({ usedBytes: z.number(), limitBytes: z.number() }).optional(),
})
export type VersionsResponse = z.infer<typeof versionsResponseSchema>

/** `POST /api/cards/:cardId/versions`. */
export const versionCreateRequestSchema = z.object({ name: text(120).min(1) })
export type VersionCreateRequest = z.infer<typeof versionCreateRequestSchema>

export const versionCreatedResponseSchema = z.object({ id: z.string() })

/**
 * `GET /api/cards/:cardId/versions/:versionId`: the answer as it was, as plain text and as the
 * editor's document (ProseMirror JSON, suggestions and comment anchors included).
 */
export const versionDetailResponseSchema = versionSchema.extend({
  text: z.string(),
  doc: z.record(z.string(), z.unknown()),
})
export type VersionDetailResponse = z.infer<typeof versionDetailResponseSchema>

/** A person as history names them: who made a change, from the server's records. */
export const personRefSchema = versionAuthorSchema
export type PersonRef = z.infer<typeof personRefSchema>

/**
 * One attributed change of the answer: words inserted or deleted, or formatting changed (with
 * the formatting keys that differ, e.g. `bold`). `author` and `at` are null where the server has
 * no record (changes made before history recorded edits).
 */
/**
 * Where a change is in the newer document, for highlighting it in the editor: the Yjs ids of its
 * characters as `[client, clock, length]` runs (a deletion's are tombstones, which Yjs still
 * places; a deleted paragraph's are gone, and have no place).
 */
const yjsIdRunsSchema = z.array(z.tuple([z.number().int(), z.number().int(), z.number().int()]))

export const textChangeSchema = z.object({
  kind: z.enum(['insert', 'delete', 'format']),
  text: z.string(),
  author: personRefSchema.nullable(),
  at: z.number().int().nullable(),
  format: z.array(z.string()).optional(),
  ids: yjsIdRunsSchema.optional(),
})
export type TextChange = z.infer<typeof textChangeSchema>

/** A run of a compared line: unchanged text, or one attributed change. */
export const comparedSegmentSchema = z.object({
  kind: z.enum(['same', 'insert', 'delete', 'format']),
  text: z.string(),
  author: personRefSchema.nullable(),
  at: z.number().int().nullable(),
  format: z.array(z.string()).optional(),
  ids: yjsIdRunsSchema.optional(),
})
export type ComparedSegment = z.infer<typeof comparedSegmentSchema>

/** A paragraph or heading of the compared answer; `state` says whether the block itself is new or gone. */
export const comparedLineSchema = z.object({
  block: z.string(),
  level: z.number().int().nullable(),
  list: z.enum(['bullet', 'ordered']).nullable(),
  depth: z.number().int(),
  state: z.enum(['same', 'insert', 'delete']),
  segments: z.array(comparedSegmentSchema),
})
export type ComparedLine = z.infer<typeof comparedLineSchema>

/**
 * `GET /api/cards/:cardId/versions/:versionId/compare?to=<versionId>`: the version compared with
 * a later one (`to`), or with the answer as stored now when `to` is left out (`to: null`).
 */
export const versionComparisonSchema = z.object({
  from: versionSchema,
  to: versionSchema.nullable(),
  lines: z.array(comparedLineSchema),
  changes: z.array(textChangeSchema),
})
export type VersionComparison = z.infer<typeof versionComparisonSchema>

export const versionCompareQuerySchema = z.object({ to: z.string().max(100).optional() })

/**
 * `GET /api/cards/:cardId/changes?since=<versionId>`: what changed since that version; with
 * `since=last-visit`, since the caller's last visit of the card (`since` and `visitedAt` null,
 * and no changes, when they never opened it).
 */
export const changesQuerySchema = z.object({ since: z.string().min(1).max(100) })
export const changesResponseSchema = z.object({
  since: versionSchema.nullable(),
  visitedAt: z.number().int().nullable(),
  changes: z.array(textChangeSchema),
})
export type ChangesResponse = z.infer<typeof changesResponseSchema>

/** `GET /api/decks/:deckId/visits`: the caller's last visit of each card, and others' changes since. */
export const deckVisitsResponseSchema = z.object({
  visits: z.array(
    z.object({
      cardId: z.string(),
      visitedAt: z.number().int(),
      /** Edits by others since (one per person and minute of typing). */
      changes: z.number().int(),
    }),
  ),
})
export type DeckVisitsResponse = z.infer<typeof deckVisitsResponseSchema>

/**
 * One entry of a deck's activity (or a card's timeline), newest first: text edited (with how
 * much, and suggestions and comments written, one entry per person and minute), a suggestion
 * decided, a lock set or lifted, a version named or restored, a rakor session closed, the card's
 * details or "everyone suggests" changed.
 */
export const activityKindSchema = z.enum([
  'edit',
  'decision',
  'lock',
  'version',
  'restore',
  'session',
  'card',
  'suggestOnly',
  /** The card's ministries or due date assigned. */
  'assignment',
  /** A ministry cleared the text, or withdrew its clearance. */
  'clearance',
  /** The chair marked the card final (with an override reason when a clearance was missing). */
  'final',
])
export type ActivityKind = z.infer<typeof activityKindSchema>

export const activityEventSchema = z.object({
  kind: activityKindSchema,
  at: z.number().int(),
  cardId: z.string(),
  cardRef: z.string(),
  /** Who; null for what the server did by itself (or someone since removed). */
  person: personRefSchema.nullable(),
  counts: z
    .object({
      insertedChars: z.number().int(),
      deletedChars: z.number().int(),
      suggestions: z.number().int(),
      comments: z.number().int(),
    })
    .optional(),
  /** What the entry says beyond its kind: a decision's outcome, a version's name, a reason. */
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
})
export type ActivityEvent = z.infer<typeof activityEventSchema>

/** `GET /api/decks/:deckId/activity` and `GET /api/cards/:cardId/activity`. */
export const activityQuerySchema = z.object({
  /** Only what happened after this time (ms since 1970). */
  after: z.coerce.number().int().nonnegative().optional(),
  /** Only what people of this ministry did. */
  ministry: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** Only these kinds, comma-separated (a card's decision log asks for its sign-off events). */
  kinds: z
    .string()
    .max(200)
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined
      const kinds: ActivityKind[] = []
      for (const name of value.split(',').map((part) => part.trim())) {
        const parsed = activityKindSchema.safeParse(name)
        if (!parsed.success) {
          context.addIssue({ code: 'custom', message: `unknown kind ${name}` })
          return z.NEVER
        }
        kinds.push(parsed.data)
      }
      return kinds
    }),
})
export const activityResponseSchema = z.object({ events: z.array(activityEventSchema) })
export type ActivityResponse = z.infer<typeof activityResponseSchema>

/**
 * `POST /api/decks/:deckId/sessions` (the chair): closes a rakor session, "Rakor 3 Desember": a
 * version of that name for every card of the deck changed since the last session was closed.
 */
export const sessionCloseRequestSchema = z.object({ name: text(120).min(1) })
export const sessionCloseResponseSchema = z.object({
  versions: z.array(z.object({ cardId: z.string(), versionId: z.string() })),
})
export type SessionCloseResponse = z.infer<typeof sessionCloseResponseSchema>

/** `POST /api/cards/:cardId/versions/:versionId/restore` (the chair): why, for the decision log. */
export const versionRestoreRequestSchema = z.object({ reason: text(2000).min(1) })
export type VersionRestoreRequest = z.infer<typeof versionRestoreRequestSchema>

/** The version the text before the restore was kept as, and how many suggestions it orphaned. */
export const versionRestoreResponseSchema = z.object({
  beforeVersionId: z.string(),
  orphanedSuggestions: z.number().int(),
})
export type VersionRestoreResponse = z.infer<typeof versionRestoreResponseSchema>

/** The briefing book (issue 15): Word and PDF out, Word in. */
export const exportModeSchema = z.enum(['review', 'clean'])
export type ExportModeName = z.infer<typeof exportModeSchema>
export const exportFormatSchema = z.enum(['docx', 'pdf'])
export type ExportFormat = z.infer<typeof exportFormatSchema>

/** The handling marking printed on every page (e.g. TERBATAS); absent: the server's default. */
const markingSchema = text(40).optional()

/** `GET …/export.docx?mode=review|clean` and `…/export.pdf`. */
export const exportQuerySchema = z.object({
  mode: exportModeSchema.default('review'),
  marking: markingSchema,
})

/** `POST /api/decks/:deckId/exports`: a deck export whose progress the page shows. */
export const exportJobRequestSchema = z.object({
  format: exportFormatSchema,
  mode: exportModeSchema.default('review'),
  marking: markingSchema,
})
export type ExportJobRequest = z.input<typeof exportJobRequestSchema>

export const exportJobSchema = z.object({
  id: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  /** Cards read so far, of `total` (then the file is written). */
  done: z.number().int(),
  total: z.number().int(),
  fileName: z.string().nullable(),
  error: z.string().nullable(),
})
export type ExportJob = z.infer<typeof exportJobSchema>

/**
 * `GET /api/decks/:deckId/minutes.docx?session=`: a closed session's id, a date (YYYY-MM-DD),
 * `current` (since the last one closed); absent: the last session closed.
 */
export const minutesQuerySchema = z.object({
  session: z
    .string()
    .regex(/^(\d{1,12}|\d{4}-\d{2}-\d{2}|current)$/, 'a session id, a date (YYYY-MM-DD) or current')
    .optional(),
  marking: markingSchema,
})

/** A deck's closed rakor sessions, for choosing the minutes to print. */
export const rakorSessionsResponseSchema = z.object({
  sessions: z.array(z.object({ id: z.string(), name: z.string(), at: z.number().int() })),
})
export type RakorSessionsResponse = z.infer<typeof rakorSessionsResponseSchema>

/** `POST /api/cards/:cardId/import` (multipart `file`, `mode`): what came in. */
export const importModeSchema = z.enum(['replace', 'append'])
export type ImportMode = z.infer<typeof importModeSchema>
export const cardImportResponseSchema = z.object({
  paragraphs: z.number().int(),
  suggestions: z.number().int(),
  threads: z.number().int(),
})
export type CardImportResponse = z.infer<typeof cardImportResponseSchema>
export const deckImportFromWordResponseSchema = z.object({
  cardIds: z.array(z.string()),
  suggestions: z.number().int(),
  threads: z.number().int(),
  /** Paragraphs before the first question heading, which belong to no card. */
  skippedParagraphs: z.number().int(),
})
export type DeckImportFromWordResponse = z.infer<typeof deckImportFromWordResponseSchema>
