import { cardDocumentName, deckDocumentName } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { recordingLogger } from '../testing/collabFixtures.ts'
import { busyFor } from '../testing/loopTurns.ts'
import { type CardValues, StoredCardBatch } from './storedCardBatch.ts'

function cardDoc(text: string): Y.Doc {
  const doc = new Y.Doc()
  doc.getText('t').insert(0, text)
  return doc
}

describe('StoredCardBatch', () => {
  it('lets the event loop run between slices of reads, and writes the batch once', async () => {
    const events: string[] = []
    const written: Array<CardValues<string>> = []
    const batch = new StoredCardBatch<string>(
      {
        what: 'test',
        read: (cardId, doc) => {
          busyFor(3)
          events.push(`read ${cardId}`)
          return doc.getText('t').toString()
        },
        write: async (cards) => {
          events.push('write')
          written.push(cards)
        },
      },
      recordingLogger(),
      { delayMs: 60_000, sliceMs: 5 },
    )
    for (let i = 1; i <= 6; i++)
      batch.stored({ name: cardDocumentName(`C${i}`), doc: cardDoc(`t${i}`) })
    // What a socket would deliver meanwhile: it must not wait for all six reads.
    setImmediate(() => events.push('loop ran'))
    await batch.flush()

    expect(written).toHaveLength(1)
    expect(written[0]?.map(({ cardId, value }) => `${cardId}=${value}`)).toEqual([
      'C1=t1',
      'C2=t2',
      'C3=t3',
      'C4=t4',
      'C5=t5',
      'C6=t6',
    ])
    const looped = events.indexOf('loop ran')
    // 3 ms per read and 5 ms slices: the loop runs before the third read at the latest.
    expect(looped).toBeGreaterThanOrEqual(0)
    expect(looped).toBeLessThanOrEqual(2)
    expect(events.at(-1)).toBe('write')
  })

  it('writes a large batch in several transactions, each about a slice long, letting the loop run between them', async () => {
    const events: string[] = []
    const chunks: Array<CardValues<string>> = []
    const batch = new StoredCardBatch<string>(
      {
        what: 'test',
        read: (_cardId, doc) => doc.getText('t').toString(),
        write: async (cards) => {
          // About 1 ms per card, as tokenizing answers for the search index costs.
          busyFor(cards.length)
          chunks.push(cards)
          events.push(`write ${cards.length}`)
          if (chunks.length === 1) setImmediate(() => events.push('loop ran'))
        },
      },
      recordingLogger(),
      { delayMs: 60_000, sliceMs: 4 },
    )
    for (let i = 1; i <= 20; i++)
      batch.stored({ name: cardDocumentName(`C${i}`), doc: cardDoc(`t${i}`) })
    await batch.flush()

    expect(chunks.flat().map(({ cardId }) => cardId)).toEqual(
      Array.from({ length: 20 }, (_, i) => `C${i + 1}`),
    )
    // The first write, before the pace is known, takes 8; then as many as fit in 4 ms.
    expect(chunks[0]).toHaveLength(8)
    expect(chunks.length).toBeGreaterThanOrEqual(4)
    for (const chunk of chunks.slice(1)) expect(chunk.length).toBeLessThanOrEqual(4)
    expect(events[1]).toBe('loop ran')
  })

  it('reads a card edited between slices as it is then, and marks it for the next batch', async () => {
    const written: Array<CardValues<string>> = []
    const first = cardDoc('lama')
    let edited = false
    const batch: StoredCardBatch<string> = new StoredCardBatch<string>(
      {
        what: 'test',
        read: (_cardId, doc) => {
          busyFor(2)
          return doc.getText('t').toString()
        },
        write: async (cards) => {
          written.push(cards)
        },
      },
      recordingLogger(),
      { delayMs: 60_000, sliceMs: 1 },
    )
    batch.stored({ name: cardDocumentName('A'), doc: cardDoc('a') })
    batch.stored({ name: cardDocumentName('B'), doc: first })
    setImmediate(() => {
      // Typed into while the batch let the loop go: stored again, as the room would tell it.
      first.getText('t').insert(4, ' baru')
      batch.stored({ name: cardDocumentName('B'), doc: first })
      edited = true
    })
    await batch.flush()
    expect(edited).toBe(true)
    expect(written[0]).toEqual([
      { cardId: 'A', value: 'a' },
      { cardId: 'B', value: 'lama baru' },
    ])
    await batch.flush()
    expect(written[1]).toEqual([{ cardId: 'B', value: 'lama baru' }])
  })

  it('leaves out a card that cannot be read, logs it, and writes the others', async () => {
    const logger = recordingLogger()
    const written: Array<CardValues<string>> = []
    const batch = new StoredCardBatch<string>(
      {
        what: 'clearance hashes',
        read: (cardId, doc) => {
          if (cardId === 'BAD') throw new Error('not an answer')
          return doc.getText('t').toString()
        },
        write: async (cards) => {
          written.push(cards)
        },
      },
      logger,
      { delayMs: 60_000 },
    )
    batch.stored({ name: cardDocumentName('OK1'), doc: cardDoc('satu') })
    batch.stored({ name: cardDocumentName('BAD'), doc: cardDoc('x') })
    batch.stored({ name: cardDocumentName('OK2'), doc: cardDoc('dua') })
    batch.stored({ name: deckDocumentName('D1'), doc: cardDoc('not a card') })
    await batch.flush()
    expect(written).toEqual([
      [
        { cardId: 'OK1', value: 'satu' },
        { cardId: 'OK2', value: 'dua' },
      ],
    ])
    expect(logger.entries).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'clearance hashes: card not read',
        fields: expect.objectContaining({ card: 'BAD' }),
      }),
    ])
  })

  it('logs a failed write and goes on with the rest of the batch and the next batch', async () => {
    const logger = recordingLogger()
    let fail = true
    const written: Array<CardValues<string>> = []
    const batch = new StoredCardBatch<string>(
      {
        what: 'search index',
        read: (_cardId, doc) => doc.getText('t').toString(),
        write: async (cards) => {
          if (fail) throw new Error('disk full')
          written.push(cards)
        },
      },
      logger,
      { delayMs: 60_000 },
    )
    batch.stored({ name: cardDocumentName('A'), doc: cardDoc('a') })
    await batch.flush()
    expect(logger.entries.map((entry) => entry.msg)).toEqual(['search index not updated'])
    fail = false
    batch.stored({ name: cardDocumentName('A'), doc: cardDoc('a2') })
    await batch.flush()
    expect(written).toEqual([[{ cardId: 'A', value: 'a2' }]])
  })
})
