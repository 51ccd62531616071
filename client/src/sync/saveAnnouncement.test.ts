import { describe, expect, it } from 'vitest'
import {
  type Announcement,
  FRESH_ANNOUNCER,
  nextAnnouncement,
  type StatusKind,
} from './saveAnnouncement.ts'

/** What is said, status by status. */
function said(statuses: StatusKind[]): Array<Announcement | null> {
  let memory = FRESH_ANNOUNCER
  return statuses.map((status) => {
    const next = nextAnnouncement(memory, status)
    memory = next.memory
    return next.say
  })
}

describe('nextAnnouncement', () => {
  it('says nothing while the person types and every change is stored', () => {
    const typing: StatusKind[] = ['connecting', 'saved']
    for (let i = 0; i < 20; i++) typing.push('saving', 'saved')
    expect(said(typing).filter((say) => say !== null)).toEqual([])
  })

  it('says "offline" once, however the count grows, and "saved" once all is stored again', () => {
    expect(
      said([
        'saved',
        'saving',
        'offline',
        'offline',
        'offline',
        'saving',
        'saved',
        'saving',
        'saved',
      ]),
    ).toEqual([null, null, 'offline', null, null, null, 'saved', null, null])
  })

  it('says when the server stops storing, and leaves refusals and halts to their alerts', () => {
    expect(said(['saved', 'saving', 'stalled', 'saving', 'saved'])).toEqual([
      null,
      null,
      'stalled',
      null,
      'saved',
    ])
    expect(said(['saved', 'reloading', 'connecting', 'saved', 'stopped'])).toEqual([
      null,
      null,
      null,
      'saved',
      null,
    ])
  })
})
