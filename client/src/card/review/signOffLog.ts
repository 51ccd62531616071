/**
 * The sign-off events of a card (assignments, clearances given or withdrawn, "final") as entries
 * of its decision log, beside the suggestions' decisions and the version restores. Those two come
 * from the card's Yjs document in the order of its log; the sign-off events come from the
 * server's audit (the card's activity), so they are placed among them by time. Pure: the decision
 * log renders what this returns.
 */
import type { ActivityEvent, Ministry } from '@kartu/protocol'
import type { DecisionView, RestoreView } from './decisions.ts'

export const SIGN_OFF_KINDS = ['assignment', 'clearance', 'final'] as const
export type SignOffKind = (typeof SIGN_OFF_KINDS)[number]

/** What a sign-off event says, read from its audit details (server: audit/auditEvents.ts). */
export type SignOffFacts =
  | { kind: 'assignment'; lead: string; contributing: string[]; dueDate: string | null }
  | { kind: 'clearance'; ministry: string; outcome: 'given' | 'withdrawn' }
  | { kind: 'final'; override: string | null; missing: string[] }

export type SignOffEntry = {
  at: number
  person: ActivityEvent['person']
  facts: SignOffFacts
}

export type DecisionLogEntry =
  | { type: 'decision'; key: string; at: number; decision: DecisionView }
  | { type: 'restore'; key: string; at: number; restore: RestoreView }
  | { type: 'signOff'; key: string; at: number; signOff: SignOffEntry }

function isSignOffKind(kind: string): kind is SignOffKind {
  return (SIGN_OFF_KINDS as readonly string[]).includes(kind)
}

function text(value: ActivityEvent['details'][string] | undefined): string {
  return value === null || value === undefined ? '' : String(value)
}

/** Ministry ids as the audit writes them: one, or comma-separated; '' for none. */
export function ministryIds(value: ActivityEvent['details'][string] | undefined): string[] {
  return text(value)
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '')
}

/** Ministry ids by the deck's short names ("Kemlu, KP2MI"); an id the deck lacks as it is. */
export function ministryShorts(ids: readonly string[], ministries: readonly Ministry[]): string {
  return ids.map((id) => ministries.find((ministry) => ministry.id === id)?.short ?? id).join(', ')
}

/** The facts of a sign-off event; null for any other kind of activity. */
export function signOffFacts(event: ActivityEvent): SignOffFacts | null {
  if (!isSignOffKind(event.kind)) return null
  const { details } = event
  switch (event.kind) {
    case 'assignment':
      return {
        kind: 'assignment',
        lead: text(details.lead),
        contributing: ministryIds(details.contributing),
        dueDate: text(details.dueDate) || null,
      }
    case 'clearance':
      return {
        kind: 'clearance',
        ministry: text(details.ministry),
        outcome: details.outcome === 'withdrawn' ? 'withdrawn' : 'given',
      }
    case 'final':
      return {
        kind: 'final',
        override: text(details.override).trim() || null,
        missing: ministryIds(details.missing),
      }
  }
}

/**
 * The card's sign-off events, oldest first. The server lists newest first; reversed before the
 * (stable) sort, events of the same millisecond keep the order they happened in.
 */
export function signOffEntries(events: readonly ActivityEvent[]): SignOffEntry[] {
  const entries: SignOffEntry[] = []
  for (const event of [...events].reverse()) {
    const facts = signOffFacts(event)
    if (facts) entries.push({ at: event.at, person: event.person, facts })
  }
  return entries.sort((a, b) => a.at - b.at)
}

/**
 * The decision log, newest first. Decisions and restores keep their order in the Yjs log (their
 * `at` is the clock of whoever wrote them, which may disagree with that order); each sign-off
 * entry goes in before the first of them that is later than it, so one of the same millisecond
 * as a decision counts as after it.
 */
export function decisionLogEntries(
  decisions: readonly DecisionView[],
  restores: readonly RestoreView[],
  signOffs: readonly SignOffEntry[],
): DecisionLogEntry[] {
  // Decisions and restores share one Yjs array: its index is their key and their order.
  const logged = [
    ...decisions.map((decision) => ({
      index: decision.index,
      entry: { type: 'decision', key: `log-${decision.index}`, at: decision.at, decision } as const,
    })),
    ...restores.map((restore) => ({
      index: restore.index,
      entry: { type: 'restore', key: `log-${restore.index}`, at: restore.at, restore } as const,
    })),
  ]
    .sort((a, b) => a.index - b.index)
    .map(({ entry }): DecisionLogEntry => entry)
  const seen = new Map<string, number>()
  const waiting = [...signOffs]
    .sort((a, b) => a.at - b.at)
    .map((signOff): DecisionLogEntry => {
      // Audit rows carry no id: kind, time and person, counted when they repeat.
      const base = `sign-off-${signOff.facts.kind}-${signOff.at}-${signOff.person?.userId ?? ''}`
      const count = seen.get(base) ?? 0
      seen.set(base, count + 1)
      return { type: 'signOff', key: `${base}-${count}`, at: signOff.at, signOff }
    })
  const merged: DecisionLogEntry[] = []
  for (const entry of logged) {
    while ((waiting[0]?.at ?? Number.POSITIVE_INFINITY) < entry.at) {
      merged.push(...waiting.splice(0, 1))
    }
    merged.push(entry)
  }
  merged.push(...waiting)
  return merged.reverse()
}
