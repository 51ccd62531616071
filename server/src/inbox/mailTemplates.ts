/**
 * The words of inbox e-mails (inbox/mailer.ts), in Indonesian and English: a mail of mentions
 * and a digest of the rest, each as a subject, plain text and simple HTML. Every value that came
 * from people (names, deck titles, comments) is escaped in the HTML.
 */
import type { InboxKind, NotificationSettings } from '@kartu/protocol'

export type MailLanguage = NotificationSettings['language']

/** One inbox item as a mail shows it. */
export type MailEntry = {
  kind: InboxKind
  deckTitle: string
  cardRef: string
  /** Who did it; null for what the server did by itself. */
  actorName: string | null
  /** The comment's words, when the item is about a comment. */
  excerpt: string | null
  /** Where the item is in the app. */
  link: string
}

export type MailInput = {
  language: MailLanguage
  recipientName: string
  entries: readonly MailEntry[]
  unsubscribeUrl: string
}

export type MailContent = { subject: string; text: string; html: string }

/** Long comments are cut: the mail points to the card, it does not replace it. */
const EXCERPT_CHARS = 280

const KIND_LABELS: Record<MailLanguage, Record<InboxKind, string>> = {
  id: {
    mention: 'Disebut dalam komentar',
    reply: 'Balasan di utas',
    decision: 'Keputusan atas usulan',
    clearance_stale: 'Persetujuan perlu ditinjau ulang',
    assigned: 'Kartu ditugaskan',
    due_soon: 'Tenggat mendekat',
  },
  en: {
    mention: 'Mentioned in a comment',
    reply: 'Reply in a thread',
    decision: 'Decision on a suggestion',
    clearance_stale: 'Clearance to review again',
    assigned: 'Card assigned',
    due_soon: 'Due date near',
  },
}

const WORDS = {
  id: {
    greeting: (name: string) => `Halo ${name},`,
    by: (name: string) => `oleh ${name}`,
    mentionIntro: 'Anda disebut dalam komentar yang belum Anda baca di Kartu:',
    digestIntro: 'Yang menunggu perhatian Anda di Kartu:',
    mentionSubject: (entries: readonly MailEntry[]) => {
      const [first] = entries
      if (entries.length > 1 || !first) return `Anda disebut di ${entries.length} komentar`
      return first.actorName
        ? `${first.actorName} menyebut Anda di ${first.cardRef}`
        : `Anda disebut di ${first.cardRef}`
    },
    digestSubject: (count: number) => `Ringkasan: ${count} hal menunggu Anda`,
    open: 'Buka',
    sentBy: 'E-mail ini dikirim oleh Kartu.',
    unsubscribe: 'Berhenti menerima e-mail Kartu',
  },
  en: {
    greeting: (name: string) => `Hello ${name},`,
    by: (name: string) => `by ${name}`,
    mentionIntro: 'You were mentioned in comments you have not read yet in Kartu:',
    digestIntro: 'What is waiting for your attention in Kartu:',
    mentionSubject: (entries: readonly MailEntry[]) => {
      const [first] = entries
      if (entries.length > 1 || !first) return `You were mentioned in ${entries.length} comments`
      return first.actorName
        ? `${first.actorName} mentioned you on ${first.cardRef}`
        : `You were mentioned on ${first.cardRef}`
    },
    digestSubject: (count: number) =>
      `Digest: ${count} ${count === 1 ? 'item' : 'items'} waiting for you`,
    open: 'Open',
    sentBy: 'This e-mail was sent by Kartu.',
    unsubscribe: 'Stop e-mails from Kartu',
  },
} as const

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** One line: a comment's line breaks or a name's stray control characters never shape the mail. */
function oneLine(text: string): string {
  return text.replace(/[\s\p{Cc}]+/gu, ' ').trim()
}

function excerptOf(text: string | null): string | null {
  if (text === null) return null
  const line = oneLine(text)
  if (line === '') return null
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : line
}

/** The item's place in the app: its card, opened at the thread or suggestion it is about. */
export function itemLink(
  origin: string,
  item: { cardId: string; threadId: string | null; suggestionId: string | null },
): string {
  const card = `${origin}/cards/${encodeURIComponent(item.cardId)}`
  if (item.threadId) return `${card}?thread=${encodeURIComponent(item.threadId)}`
  if (item.suggestionId) return `${card}?suggestion=${encodeURIComponent(item.suggestionId)}`
  return card
}

export function unsubscribeLink(origin: string, token: string): string {
  return `${origin}/api/unsubscribe?token=${encodeURIComponent(token)}`
}

/** The entry's first line, in parts: what, where, who. */
function entryParts(language: MailLanguage, entry: MailEntry): string[] {
  const parts = [
    KIND_LABELS[language][entry.kind],
    oneLine(entry.deckTitle),
    oneLine(entry.cardRef),
  ]
  if (entry.actorName) parts.push(WORDS[language].by(oneLine(entry.actorName)))
  return parts.filter((part) => part !== '')
}

function compose(input: MailInput, subject: string, intro: string): MailContent {
  const words = WORDS[input.language]
  const name = oneLine(input.recipientName)
  const textEntries = input.entries.map((entry) => {
    const excerpt = excerptOf(entry.excerpt)
    return [
      `- ${entryParts(input.language, entry).join(' · ')}`,
      ...(excerpt ? [`  “${excerpt}”`] : []),
      `  ${entry.link}`,
    ].join('\n')
  })
  const text = [
    words.greeting(name),
    '',
    intro,
    '',
    textEntries.join('\n\n'),
    '',
    '-- ',
    `${words.sentBy} ${words.unsubscribe}: ${input.unsubscribeUrl}`,
    '',
  ].join('\n')

  const htmlEntries = input.entries.map((entry) => {
    const excerpt = excerptOf(entry.excerpt)
    const line = entryParts(input.language, entry).map(escapeHtml).join(' · ')
    return [
      `<li><p>${line}<br>`,
      excerpt ? `<q>${escapeHtml(excerpt)}</q><br>` : '',
      `<a href="${escapeHtml(entry.link)}">${words.open} ${escapeHtml(oneLine(entry.cardRef))}</a></p></li>`,
    ].join('')
  })
  const html = [
    '<!doctype html>',
    `<html lang="${input.language}"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>${escapeHtml(words.greeting(name))}</p>`,
    `<p>${escapeHtml(intro)}</p>`,
    `<ul>${htmlEntries.join('')}</ul>`,
    `<hr><p><small>${words.sentBy} <a href="${escapeHtml(input.unsubscribeUrl)}">${words.unsubscribe}</a></small></p>`,
    '</body></html>',
    '',
  ].join('\n')
  return { subject, text, html }
}

/** The mail of a person's mentions not read in time (one mail for all of them). */
export function mentionMail(input: MailInput): MailContent {
  const words = WORDS[input.language]
  const named = input.entries.map((entry) => ({
    ...entry,
    actorName: entry.actorName === null ? null : oneLine(entry.actorName),
    cardRef: oneLine(entry.cardRef),
  }))
  return compose(input, `[Kartu] ${words.mentionSubject(named)}`, words.mentionIntro)
}

/** The digest: everything else waiting for the person, oldest first. */
export function digestMail(input: MailInput): MailContent {
  const words = WORDS[input.language]
  return compose(input, `[Kartu] ${words.digestSubject(input.entries.length)}`, words.digestIntro)
}
