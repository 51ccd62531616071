/**
 * The words of inbox e-mails: escaped HTML, one-line comments, both languages, links.
 */
import { describe, expect, it } from 'vitest'
import {
  digestMail,
  escapeHtml,
  itemLink,
  type MailEntry,
  mentionMail,
  unsubscribeLink,
} from './mailTemplates.ts'

const ORIGIN = 'https://kartu.example'

const entry = (overrides: Partial<MailEntry> = {}): MailEntry => ({
  kind: 'mention',
  deckTitle: 'Dialog CMW',
  cardRef: 'CC-01',
  actorName: 'Budi',
  excerpt: null,
  link: `${ORIGIN}/cards/c1?thread=t1`,
  ...overrides,
})

const input = (entries: MailEntry[], language: 'id' | 'en' = 'id') => ({
  language,
  recipientName: 'Ana',
  entries,
  unsubscribeUrl: unsubscribeLink(ORIGIN, 'tok'),
})

describe('mail templates', () => {
  it('escapes what people wrote in the HTML, and keeps it as written in the text', () => {
    const mail = mentionMail(
      input([
        entry({
          excerpt: 'Lihat <script>alert("x")</script> & "catatan" Pasal 5',
          actorName: 'Budi <b>&</b>',
          deckTitle: 'Dek <i>CMW</i>',
        }),
      ]),
    )
    expect(mail.html).not.toContain('<script>')
    expect(mail.html).not.toContain('<b>')
    expect(mail.html).not.toContain('<i>')
    expect(mail.html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;catatan&quot; Pasal 5',
    )
    expect(mail.html).toContain('oleh Budi &lt;b&gt;&amp;&lt;/b&gt;')
    expect(mail.html).toContain('Dek &lt;i&gt;CMW&lt;/i&gt;')
    expect(mail.text).toContain('“Lihat <script>alert("x")</script> & "catatan" Pasal 5”')
    // A subject is plain text (the mail library encodes it), on one line.
    expect(mail.subject).toBe('[Kartu] Budi <b>&</b> menyebut Anda di CC-01')
  })

  it('keeps a comment on one line, cut when long', () => {
    const long = `baris satu\nbaris dua\r\n${'x'.repeat(400)}`
    const mail = digestMail(input([entry({ kind: 'reply', excerpt: long })], 'en'))
    const quoted = mail.text.split('\n').find((line) => line.startsWith('  “'))
    expect(quoted?.startsWith('  “baris satu baris dua xxx')).toBe(true)
    expect(quoted?.endsWith('…”')).toBe(true)
    expect(quoted?.length).toBeLessThan(290)
  })

  it('writes Indonesian and English', () => {
    const entries = [entry(), entry({ kind: 'due_soon', actorName: null })]
    expect(mentionMail(input(entries)).subject).toBe('[Kartu] Anda disebut di 2 komentar')
    expect(mentionMail(input(entries, 'en')).subject).toBe(
      '[Kartu] You were mentioned in 2 comments',
    )
    expect(digestMail(input(entries)).subject).toBe('[Kartu] Ringkasan: 2 hal menunggu Anda')
    const english = digestMail(input(entries, 'en'))
    expect(english.subject).toBe('[Kartu] Digest: 2 items waiting for you')
    expect(english.text).toContain('Hello Ana,')
    expect(english.text).toContain('- Due date near · Dialog CMW · CC-01\n')
    expect(english.html).toContain('<html lang="en">')
    expect(english.text).toContain(`Stop e-mails from Kartu: ${ORIGIN}/api/unsubscribe?token=tok`)
  })

  it('links to the card, at the thread or the suggestion', () => {
    const at = { cardId: 'c 1', threadId: null, suggestionId: null }
    expect(itemLink(ORIGIN, at)).toBe(`${ORIGIN}/cards/c%201`)
    expect(itemLink(ORIGIN, { ...at, threadId: 't1', suggestionId: 's1' })).toBe(
      `${ORIGIN}/cards/c%201?thread=t1`,
    )
    expect(itemLink(ORIGIN, { ...at, suggestionId: 's&1' })).toBe(
      `${ORIGIN}/cards/c%201?suggestion=s%261`,
    )
    expect(escapeHtml(`a'b`)).toBe('a&#39;b')
  })
})
