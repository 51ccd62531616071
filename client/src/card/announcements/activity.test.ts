import type { PresenceUser } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import {
  type ActivityMemory,
  type ActivityMessage,
  dueAt,
  EDIT_QUIET_MS,
  FRESH_ACTIVITY,
  GATHER_MS,
  observeEdit,
  observePeople,
  takeDue,
} from './activity.ts'

const person = (id: string, name: string, ministry: string): PresenceUser => ({
  id,
  name,
  ministryId: ministry.toUpperCase(),
  ministry,
  color: '#1f6f43',
})
const rina = person('u-rina', 'Rina', 'KP2MI')
const budi = person('u-budi', 'Budi', 'Kemlu')
const sari = person('u-sari', 'Sari', 'KemenHAM')

/** What is said, in short: "joined Rina, Budi". */
const words = (say: readonly ActivityMessage[]): string[] =>
  say.map((message) => `${message.kind} ${message.people.map((p) => p.name).join(', ')}`)

/** A page's clock and memory, driven by hand: nothing here waits for real time. */
function card(start: ActivityMemory = FRESH_ACTIVITY) {
  let memory = start
  let now = 1_000_000
  const said: string[] = []
  const flush = (): void => {
    const next = takeDue(memory, now)
    memory = next.memory
    said.push(...words(next.say))
  }
  return {
    said,
    at: (ms: number) => {
      now = 1_000_000 + ms
      flush()
    },
    people: (people: PresenceUser[], live = true) => {
      memory = observePeople(memory, people, live, now)
    },
    edit: (editors: PresenceUser[]) => {
      const next = observeEdit(memory, editors, now)
      memory = next.memory
      said.push(...words(next.say))
    },
    memory: () => memory,
  }
}

describe('joins and leaves', () => {
  it('says nothing of the people already there when the card is opened', () => {
    const page = card()
    // Presence arrives before the first sync: not live yet.
    page.people([rina], false)
    page.people([rina, budi], false)
    page.people([rina, budi], true)
    page.at(GATHER_MS * 10)
    expect(page.said).toEqual([])
    expect(dueAt(page.memory())).toBeNull()
  })

  it('says a join and a leave after the first sync, once gathered', () => {
    const page = card()
    page.people([rina], true)
    page.at(100)
    page.people([rina, budi])
    page.at(100 + GATHER_MS - 1)
    expect(page.said).toEqual([])
    page.at(100 + GATHER_MS)
    expect(page.said).toEqual(['joined Budi'])
    page.at(5000)
    page.people([budi])
    page.at(5000 + GATHER_MS)
    expect(page.said).toEqual(['joined Budi', 'left Rina'])
  })

  it('says several that arrive together in one message, joins before leaves', () => {
    const page = card()
    page.people([sari], true)
    page.at(0)
    page.people([sari, rina])
    page.at(300)
    page.people([rina, budi])
    page.at(GATHER_MS)
    expect(page.said).toEqual(['joined Rina, Budi', 'left Sari'])
  })

  it('says nothing of someone who comes and goes within the gathering (a reconnecting tab)', () => {
    const page = card()
    page.people([rina], true)
    page.at(0)
    page.people([])
    page.at(200)
    page.people([rina])
    page.people([rina, budi])
    page.at(400)
    page.people([rina])
    page.at(GATHER_MS * 5)
    expect(page.said).toEqual([])
    expect(dueAt(page.memory())).toBeNull()
  })

  it('is quiet while disconnected, and says the difference once synced again', () => {
    const page = card()
    page.people([rina, budi], true)
    // y-websocket drops everyone's presence when the connection goes.
    page.at(1000)
    page.people([rina, budi], false)
    page.people([], false)
    page.at(10_000)
    expect(page.said).toEqual([])
    // Back: the server sends presence before the sync; Budi left, Sari came meanwhile.
    page.people([rina, sari], false)
    page.people([rina, sari], true)
    page.at(10_000 + GATHER_MS)
    expect(page.said).toEqual(['joined Sari', 'left Budi'])
  })

  it('counts a person once, by user id, and uses their newest name', () => {
    const page = card()
    page.people([], true)
    page.people([rina])
    page.people([{ ...rina, ministry: 'BP2MI' }])
    page.at(GATHER_MS)
    expect(page.said).toEqual(['joined Rina'])
    expect(takeDue(page.memory(), 0).say).toEqual([])
  })

  it('due time is from the first change gathered, not pushed back by later ones', () => {
    const page = card()
    page.people([], true)
    page.at(0)
    page.people([rina])
    page.at(GATHER_MS - 100)
    page.people([rina, budi])
    expect(dueAt(page.memory())).toBe(1_000_000 + GATHER_MS)
  })
})

describe('editing near the caret', () => {
  it('says it at once, then not again for the same person within EDIT_QUIET_MS', () => {
    const page = card()
    page.people([budi, rina], true)
    page.at(0)
    page.edit([budi])
    expect(page.said).toEqual(['editingNear Budi'])
    // Budi types on: one keystroke every 100 ms for 9.9 s.
    for (let ms = 100; ms < EDIT_QUIET_MS; ms += 100) {
      page.at(ms)
      page.edit([budi])
    }
    expect(page.said).toEqual(['editingNear Budi'])
    page.at(EDIT_QUIET_MS)
    page.edit([budi])
    expect(page.said).toEqual(['editingNear Budi', 'editingNear Budi'])
  })

  it('holds back each person on their own', () => {
    const page = card()
    page.people([budi, rina], true)
    page.at(0)
    page.edit([budi])
    page.at(2000)
    page.edit([rina, budi])
    page.at(4000)
    page.edit([budi, rina])
    expect(page.said).toEqual(['editingNear Budi', 'editingNear Rina'])
  })

  it('says two people editing together in one message, each once', () => {
    const page = card()
    page.people([budi, rina], true)
    page.edit([budi, rina, budi])
    expect(page.said).toEqual(['editingNear Budi, Rina'])
  })

  it('says nothing before the first sync or while disconnected, or when nobody is named', () => {
    const page = card()
    page.edit([budi])
    page.people([budi], true)
    page.edit([])
    page.people([], false)
    page.edit([budi])
    expect(page.said).toEqual([])
  })
})
