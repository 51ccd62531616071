/**
 * The REST API client: same origin, JSON, the session cookie set by the server. Every response is
 * parsed with its zod schema from @kartu/protocol, so a mismatch fails loudly here.
 */
import {
  type ActivityKind,
  type ActivityResponse,
  activityResponseSchema,
  type CardImportResponse,
  type CardResponse,
  type CardsResponse,
  type CardUpdateRequest,
  type ChangesResponse,
  cardImportResponseSchema,
  cardResponseSchema,
  cardsResponseSchema,
  changesResponseSchema,
  type DeckImportFromWordResponse,
  type DeckResponse,
  type DecksResponse,
  type DeckUpdateRequest,
  type DeckVisitsResponse,
  deckImportFromWordResponseSchema,
  deckResponseSchema,
  decksResponseSchema,
  deckVisitsResponseSchema,
  type ExportJob,
  type ExportJobRequest,
  errorResponseSchema,
  exportJobSchema,
  type FocalPersonsRequest,
  type FocalPersonsResponse,
  focalPersonsResponseSchema,
  type ImportMode,
  type InboxResponse,
  inboxReadResponseSchema,
  inboxResponseSchema,
  type MemberResponse,
  type MembersResponse,
  type MemberUpsertRequest,
  type MeResponse,
  memberResponseSchema,
  membersResponseSchema,
  meResponseSchema,
  type NotificationSettings,
  type NotificationSettingsResponse,
  notificationSettingsResponseSchema,
  type PasswordChangeRequest,
  type RakorSessionsResponse,
  rakorSessionsResponseSchema,
  type SearchResponse,
  type SessionCloseResponse,
  type SignInRequest,
  searchResponseSchema,
  sessionCloseResponseSchema,
  type VersionComparison,
  type VersionDetailResponse,
  type VersionRestoreResponse,
  type VersionsResponse,
  versionComparisonSchema,
  versionCreatedResponseSchema,
  versionDetailResponseSchema,
  versionRestoreResponseSchema,
  versionsResponseSchema,
} from '@kartu/protocol'

type Parser<T> = { parse(data: unknown): T }

export class ApiError extends Error {
  override readonly name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The server's Retry-After (a 429), in seconds, or null. */
    readonly retryAfterSec: number | null = null,
  ) {
    super(message)
  }
}

/** Retry-After in seconds; the HTTP-date form (which Kartu does not send) counts as absent. */
export function parseRetryAfter(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null
  return Number(value)
}

/** The server could not be reached, or answered in a shape we do not understand. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError'
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

async function request<T>(
  method: Method,
  path: string,
  parser: Parser<T> | null,
  body?: unknown,
): Promise<T | undefined> {
  let response: Response
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch (cause) {
    throw new NetworkError('network', { cause })
  }
  if (!response.ok) {
    const payload: unknown = await response.json().catch(() => null)
    const parsed = errorResponseSchema.safeParse(payload)
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'))
    if (parsed.success) {
      const { code, message } = parsed.data.error
      throw new ApiError(response.status, code, message, retryAfter)
    }
    throw new ApiError(response.status, `http_${response.status}`, response.statusText, retryAfter)
  }
  if (parser === null || response.status === 204) return undefined
  const payload: unknown = await response.json()
  return parser.parse(payload)
}

/** A JSON answer, parsed with its schema; for features that keep their calls beside them. */
export async function requestJson<T>(
  method: Method,
  path: string,
  parser: Parser<T>,
  body?: unknown,
): Promise<T> {
  const result = await request(method, path, parser, body)
  if (result === undefined) throw new ApiError(204, 'no_content', 'empty response')
  return result
}

const segment = (value: string): string => encodeURIComponent(value)

export function signIn(credentials: SignInRequest): Promise<MeResponse> {
  return requestJson('POST', '/api/auth/sign-in', meResponseSchema, credentials)
}

export async function signOut(): Promise<void> {
  await request('POST', '/api/auth/sign-out', null)
}

/**
 * Changes the signed-in person's password (204). This browser stays signed in; every other
 * session of the person ends.
 */
export async function changePassword(change: PasswordChangeRequest): Promise<void> {
  await request('POST', '/api/me/password', null, change)
}

export function fetchMe(): Promise<MeResponse> {
  return requestJson('GET', '/api/me', meResponseSchema)
}

export function fetchDecks(): Promise<DecksResponse> {
  return requestJson('GET', '/api/decks', decksResponseSchema)
}

export function fetchDeck(deckId: string): Promise<DeckResponse> {
  return requestJson('GET', `/api/decks/${segment(deckId)}`, deckResponseSchema)
}

/** The deck's cards; `query` (workListFilters.ts `cardListQuery`) keeps those that match. */
export function fetchCards(deckId: string, query = ''): Promise<CardsResponse> {
  return requestJson('GET', `/api/decks/${segment(deckId)}/cards${query}`, cardsResponseSchema)
}

/** The deck's cards whose question or answer has every word, best first. */
export function searchDeck(deckId: string, words: string, limit = 20): Promise<SearchResponse> {
  const query = `?q=${encodeURIComponent(words)}&limit=${limit}`
  return requestJson('GET', `/api/decks/${segment(deckId)}/search${query}`, searchResponseSchema)
}

export function fetchCard(cardId: string): Promise<CardResponse> {
  return requestJson('GET', `/api/cards/${segment(cardId)}`, cardResponseSchema)
}

export function updateCard(cardId: string, update: CardUpdateRequest): Promise<CardResponse> {
  return requestJson('PATCH', `/api/cards/${segment(cardId)}`, cardResponseSchema, update)
}

/** The versions of a card's answer, newest first. */
export function fetchVersions(cardId: string): Promise<VersionsResponse> {
  return requestJson('GET', `/api/cards/${segment(cardId)}/versions`, versionsResponseSchema)
}

/** Names the answer as stored now as a version (chair and editors; the server checks). */
export function createVersion(cardId: string, name: string): Promise<{ id: string }> {
  return requestJson(
    'POST',
    `/api/cards/${segment(cardId)}/versions`,
    versionCreatedResponseSchema,
    { name },
  )
}

/** One version, with its answer as text. */
export function fetchVersion(cardId: string, versionId: string): Promise<VersionDetailResponse> {
  return requestJson(
    'GET',
    `/api/cards/${segment(cardId)}/versions/${segment(versionId)}`,
    versionDetailResponseSchema,
  )
}

/** A version compared with a later one, or with the answer now (`to` null). */
export function compareVersions(
  cardId: string,
  fromId: string,
  toId: string | null,
): Promise<VersionComparison> {
  const query = toId === null ? '' : `?to=${encodeURIComponent(toId)}`
  return requestJson(
    'GET',
    `/api/cards/${segment(cardId)}/versions/${segment(fromId)}/compare${query}`,
    versionComparisonSchema,
  )
}

/** Restores a version as the current answer (the chair; the server checks). */
export function restoreVersion(
  cardId: string,
  versionId: string,
  reason: string,
): Promise<VersionRestoreResponse> {
  return requestJson(
    'POST',
    `/api/cards/${segment(cardId)}/versions/${segment(versionId)}/restore`,
    versionRestoreResponseSchema,
    { reason },
  )
}

/** What others changed in the card since the caller last had it open. */
export function fetchChangesSinceVisit(cardId: string): Promise<ChangesResponse> {
  return requestJson(
    'GET',
    `/api/cards/${segment(cardId)}/changes?since=last-visit`,
    changesResponseSchema,
  )
}

/** The caller's last visit of each card of the deck, with others' changes since. */
export function fetchDeckVisits(deckId: string): Promise<DeckVisitsResponse> {
  return requestJson('GET', `/api/decks/${segment(deckId)}/visits`, deckVisitsResponseSchema)
}

/** What happened on a deck's cards, or on one card, newest first. */
export function fetchActivity(
  scope: { deckId: string } | { cardId: string },
  ministryId: string | null,
  kinds: readonly ActivityKind[] = [],
): Promise<ActivityResponse> {
  const base =
    'cardId' in scope
      ? `/api/cards/${segment(scope.cardId)}/activity`
      : `/api/decks/${segment(scope.deckId)}/activity`
  const params = new URLSearchParams()
  if (ministryId !== null) params.set('ministry', ministryId)
  if (kinds.length > 0) params.set('kinds', kinds.join(','))
  const query = params.size > 0 ? `?${params}` : ''
  return requestJson('GET', `${base}${query}`, activityResponseSchema)
}

/** Closes a rakor session: a version of every card changed during it (the chair). */
export function closeSession(deckId: string, name: string): Promise<SessionCloseResponse> {
  return requestJson('POST', `/api/decks/${segment(deckId)}/sessions`, sessionCloseResponseSchema, {
    name,
  })
}

/** The deck's own settings ("everyone suggests"); chair only, the server checks. */
export function updateDeck(deckId: string, update: DeckUpdateRequest): Promise<DeckResponse> {
  return requestJson('PATCH', `/api/decks/${segment(deckId)}`, deckResponseSchema, update)
}

export function fetchMembers(deckId: string): Promise<MembersResponse> {
  return requestJson('GET', `/api/decks/${segment(deckId)}/members`, membersResponseSchema)
}

/** Adds a member by email, or changes the role of one (chair only; the server checks). */
export function upsertMember(deckId: string, member: MemberUpsertRequest): Promise<MemberResponse> {
  return requestJson('PUT', `/api/decks/${segment(deckId)}/members`, memberResponseSchema, member)
}

export async function removeMember(deckId: string, userId: string): Promise<void> {
  await request('DELETE', `/api/decks/${segment(deckId)}/members/${segment(userId)}`, null)
}

/** Each ministry's focal persons in the deck: who of it gets its inbox items. */
export function fetchFocalPersons(deckId: string): Promise<FocalPersonsResponse> {
  return requestJson(
    'GET',
    `/api/decks/${segment(deckId)}/focal-persons`,
    focalPersonsResponseSchema,
  )
}

/**
 * Names a ministry's focal persons, members of the deck from it (the chair; the server checks).
 * The whole list: an empty one hands the ministry's items back to all of its members.
 */
export function saveFocalPersons(
  deckId: string,
  ministryId: string,
  request: FocalPersonsRequest,
): Promise<FocalPersonsResponse> {
  return requestJson(
    'PUT',
    `/api/decks/${segment(deckId)}/focal-persons/${segment(ministryId)}`,
    focalPersonsResponseSchema,
    request,
  )
}

/** Where a card's or a deck's export is downloaded (the browser saves the attachment). */
export const exportUrls = {
  card: (cardId: string, format: 'docx' | 'pdf', mode: 'review' | 'clean' = 'review') =>
    `/api/cards/${segment(cardId)}/export.${format}${format === 'docx' ? `?mode=${mode}` : ''}`,
  deck: (deckId: string, format: 'docx' | 'pdf', mode: 'review' | 'clean' = 'review') =>
    `/api/decks/${segment(deckId)}/export.${format}${format === 'docx' ? `?mode=${mode}` : ''}`,
  minutes: (deckId: string, format: 'docx' | 'pdf', session: string | null) =>
    `/api/decks/${segment(deckId)}/minutes.${format}${
      session === null ? '' : `?session=${encodeURIComponent(session)}`
    }`,
  jobFile: (deckId: string, jobId: string) =>
    `/api/decks/${segment(deckId)}/exports/${segment(jobId)}/file`,
}

/** Starts a deck export whose progress the page follows. */
export function startDeckExport(deckId: string, job: ExportJobRequest): Promise<ExportJob> {
  return requestJson('POST', `/api/decks/${segment(deckId)}/exports`, exportJobSchema, job)
}

export function fetchExportJob(deckId: string, jobId: string): Promise<ExportJob> {
  return requestJson(
    'GET',
    `/api/decks/${segment(deckId)}/exports/${segment(jobId)}`,
    exportJobSchema,
  )
}

/** The deck's closed rakor sessions, newest first. */
export function fetchRakorSessions(deckId: string): Promise<RakorSessionsResponse> {
  return requestJson('GET', `/api/decks/${segment(deckId)}/sessions`, rakorSessionsResponseSchema)
}

/** The signed-in person's inbox, newest first, with their unread count. */
export function fetchInbox(query: { unreadOnly: boolean; limit: number }): Promise<InboxResponse> {
  const search = `?unread=${query.unreadOnly}&limit=${query.limit}`
  return requestJson('GET', `/api/me/inbox${search}`, inboxResponseSchema)
}

/** Marks these inbox items read, or all of them; answers the unread count left. */
export function markInboxRead(which: { ids: string[] } | { all: true }): Promise<number> {
  return requestJson('POST', '/api/me/inbox/read', inboxReadResponseSchema, which).then(
    (response) => response.unread,
  )
}

export function fetchNotificationSettings(): Promise<NotificationSettingsResponse> {
  return requestJson('GET', '/api/me/notification-settings', notificationSettingsResponseSchema)
}

/** Changes the settings named; the others stay. */
export function updateNotificationSettings(
  settings: Partial<NotificationSettings>,
): Promise<NotificationSettingsResponse> {
  return requestJson(
    'PUT',
    '/api/me/notification-settings',
    notificationSettingsResponseSchema,
    settings,
  )
}

/** Where the server pushes the person's unread count (server-sent events, event `inbox`). */
export const INBOX_EVENTS_URL = '/api/me/events'

/** Sends one file as multipart form data; the answer is JSON like every other. */
async function upload<T>(path: string, form: FormData, parser: Parser<T>): Promise<T> {
  let response: Response
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json' },
      body: form,
    })
  } catch (cause) {
    throw new NetworkError('network', { cause })
  }
  const payload: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    const parsed = errorResponseSchema.safeParse(payload)
    if (parsed.success) {
      throw new ApiError(response.status, parsed.data.error.code, parsed.data.error.message)
    }
    throw new ApiError(response.status, `http_${response.status}`, response.statusText)
  }
  return parser.parse(payload)
}

/** Imports a Word file into the card's answer: replacing it, or after it. */
export function importIntoCard(
  cardId: string,
  file: File,
  mode: ImportMode,
): Promise<CardImportResponse> {
  const form = new FormData()
  form.append('mode', mode)
  form.append('file', file)
  return upload(`/api/cards/${segment(cardId)}/import`, form, cardImportResponseSchema)
}

/** Makes cards of a Word file, one per question heading, in the deck (the chair). */
export function importDeckFromWord(
  deckId: string,
  file: File,
): Promise<DeckImportFromWordResponse> {
  const form = new FormData()
  form.append('file', file)
  return upload(`/api/decks/${segment(deckId)}/import`, form, deckImportFromWordResponseSchema)
}
