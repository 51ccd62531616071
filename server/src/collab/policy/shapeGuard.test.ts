/**
 * The schema guard inside the update policy: each attack beside its legal twin (a twin that
 * passes shows the refusal is the guard's, not a broken update), for the chair, since the guard
 * binds every role.
 */
import { Role } from '@kartu/protocol'
import {
  ANSWER_FIELD,
  answerMarkFormat,
  DECISIONS_FIELD,
  SUGGESTIONS_FIELD,
  THREADS_FIELD,
} from '@kartu/schema'
import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { clientOf, roomDoc, updateFrom } from '../../testing/policyFixtures.ts'
import { PolicyCode, UpdatePolicy } from './UpdatePolicy.ts'

/** The policy tests' room, with a comment thread. */
function roomWithThread(): Y.Doc {
  const doc = roomDoc()
  const thread = new Y.Map<unknown>()
  doc.getMap(THREADS_FIELD).set('t1', thread)
  thread.set('quote', 'pekerja')
  thread.set('createdAt', 1)
  thread.set('resolved', false)
  const comments = new Y.Array<Y.Map<unknown>>()
  thread.set('comments', comments)
  const first = new Y.Map<unknown>()
  comments.push([first])
  first.set('id', 'c1')
  first.set('body', 'Sumber?')
  first.set('createdAt', 1)
  return doc
}

/** The update a copy of the room under client 50 makes with `change`, judged for the chair. */
function judgeChange(change: (doc: Y.Doc) => void): { code: string; message?: string } {
  const room = roomWithThread()
  const update = updateFrom(clientOf(room, 50), (doc) => doc.transact(() => change(doc)))
  const verdict = new UpdatePolicy(room).check(update, { userId: 'chair', role: Role.Chair })
  return verdict.ok ? { code: 'ok' } : { code: verdict.code, message: verdict.message }
}

const firstText = (doc: Y.Doc) =>
  (doc.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement).get(0) as Y.XmlText
const thread = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(THREADS_FIELD).get('t1') as Y.Map<unknown>
const decision = {
  suggestionId: 's1',
  kind: 'insert',
  outcome: 'accepted',
  text: 'kata',
  suggestedBy: 'Budi (KEMNAKER)',
  reason: '',
  at: 5,
}

const cases: Array<{
  name: string
  legal: (doc: Y.Doc) => void
  attack: (doc: Y.Doc) => void
  reason: RegExp
}> = [
  {
    name: 'an iframe added to the answer by the chair',
    legal: (d) => d.getXmlFragment(ANSWER_FIELD).push([new Y.XmlElement('paragraph')]),
    attack: (d) => d.getXmlFragment(ANSWER_FIELD).push([new Y.XmlElement('iframe')]),
    reason: /iframe/,
  },
  {
    name: 'an onclick set on an existing paragraph',
    legal: (d) =>
      (d.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement).setAttribute(
        'locked',
        true as unknown as string,
      ),
    attack: (d) =>
      (d.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement).setAttribute('onclick', 'x()'),
    reason: /onclick/,
  },
  {
    name: 'a javascript: link typed into the text',
    legal: (d) => firstText(d).insert(0, 'Ya ', { bold: {} }),
    attack: (d) => firstText(d).insert(0, 'klik ', { link: { href: 'javascript:alert(1)' } }),
    reason: /unknown mark "link"/,
  },
  {
    name: 'a paragraph nested inside the existing one',
    legal: (d) =>
      (d.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement).push([new Y.XmlElement('hardBreak')]),
    attack: (d) =>
      (d.getXmlFragment(ANSWER_FIELD).get(0) as Y.XmlElement).push([new Y.XmlElement('paragraph')]),
    reason: /Invalid content/,
  },
  {
    name: 'bare text in the answer',
    legal: (d) => {
      const p = new Y.XmlElement('paragraph')
      d.getXmlFragment(ANSWER_FIELD).push([p])
      p.push([new Y.XmlText('lepas')])
    },
    attack: (d) => d.getXmlFragment(ANSWER_FIELD).push([new Y.XmlText('lepas')]),
    reason: /text cannot stand in the answer/,
  },
  {
    name: 'plain JSON pushed into the answer',
    legal: (d) => d.getXmlFragment(ANSWER_FIELD).push([new Y.XmlElement('paragraph')]),
    attack: (d) => (d.getXmlFragment(ANSWER_FIELD) as unknown as Y.Array<unknown>).push([{ p: 1 }]),
    reason: /cannot stand in the answer|blocks only/,
  },
  {
    name: 'an unknown key in suggestion metadata',
    legal: (d) => d.getMap(SUGGESTIONS_FIELD).set('s9', { kind: 'insert', createdAt: 1 }),
    attack: (d) =>
      d.getMap(SUGGESTIONS_FIELD).set('s9', { kind: 'insert', createdAt: 1, html: '<b>' }),
    reason: /suggestion/,
  },
  {
    name: 'a suggestion kind that does not exist',
    legal: (d) => d.getMap(SUGGESTIONS_FIELD).set('s9', { kind: 'delete', createdAt: 1 }),
    attack: (d) => d.getMap(SUGGESTIONS_FIELD).set('s9', { kind: 'rewrite', createdAt: 1 }),
    reason: /kind/,
  },
  {
    name: 'a shared type as suggestion metadata',
    legal: (d) => d.getMap(SUGGESTIONS_FIELD).set('s9', { kind: 'delete', createdAt: 1 }),
    attack: (d) => d.getMap(SUGGESTIONS_FIELD).set('s9', new Y.Map()),
    reason: /shared type/,
  },
  {
    name: 'a suggestion id that is not an id',
    legal: (d) => d.getMap(SUGGESTIONS_FIELD).set('s-9', { kind: 'insert', createdAt: 1 }),
    attack: (d) => d.getMap(SUGGESTIONS_FIELD).set('<img src=x>', { kind: 'insert', createdAt: 1 }),
    reason: /not an id/,
  },
  {
    name: 'a decision with a wrong type',
    legal: (d) => d.getArray(DECISIONS_FIELD).push([decision]),
    attack: (d) => d.getArray(DECISIONS_FIELD).push([{ ...decision, at: 'yesterday' }]),
    reason: /decision: at/,
  },
  {
    name: 'an oversized reason in a decision',
    legal: (d) => d.getArray(DECISIONS_FIELD).push([{ ...decision, reason: 'r'.repeat(2_000) }]),
    attack: (d) => d.getArray(DECISIONS_FIELD).push([{ ...decision, reason: 'r'.repeat(2_001) }]),
    reason: /reason/,
  },
  {
    name: 'an entry under a key in the decision log',
    legal: (d) => d.getArray(DECISIONS_FIELD).push([decision]),
    // The attacker's copy types the log as a map: Yjs sends entries under keys.
    attack: (d) => d.getMap(DECISIONS_FIELD).set('x', decision),
    reason: /in order only/,
  },
  {
    name: 'an unknown field in a thread',
    legal: (d) => thread(d).set('resolved', true),
    attack: (d) => thread(d).set('onclick', 'x'),
    reason: /unknown field/,
  },
  {
    name: 'an oversized comment body in a reply',
    legal: (d) => {
      const reply = new Y.Map<unknown>()
      ;(thread(d).get('comments') as Y.Array<Y.Map<unknown>>).push([reply])
      reply.set('id', 'c2')
      reply.set('body', 'b'.repeat(10_000))
    },
    attack: (d) => {
      const reply = new Y.Map<unknown>()
      ;(thread(d).get('comments') as Y.Array<Y.Map<unknown>>).push([reply])
      reply.set('id', 'c2')
      reply.set('body', 'b'.repeat(10_001))
    },
    reason: /body/,
  },
  {
    name: 'a comment that is not a map',
    legal: (d) => {
      const reply = new Y.Map<unknown>()
      ;(thread(d).get('comments') as Y.Array<unknown>).push([reply])
      reply.set('id', 'c3')
    },
    attack: (d) => (thread(d).get('comments') as Y.Array<unknown>).push(['<script>']),
    reason: /not a map/,
  },
  {
    name: 'a mention that is not a ministry id',
    legal: (d) => {
      const mentions = new Y.Array<string>()
      mentions.push(['KP2MI'])
      thread(d).set('mentions', mentions)
    },
    attack: (d) => {
      const mentions = new Y.Array<string>()
      mentions.push(['<b>KP2MI</b>'])
      thread(d).set('mentions', mentions)
    },
    reason: /mention/,
  },
  {
    name: 'a thread that is plain JSON',
    legal: (d) => {
      const fresh = new Y.Map<unknown>()
      d.getMap(THREADS_FIELD).set('t2', fresh)
      fresh.set('quote', 'q')
    },
    attack: (d) => d.getMap(THREADS_FIELD).set('t2', { quote: 'q' }),
    reason: /not a map/,
  },
]

describe('the schema guard refuses, for the chair too, what the card cannot hold', () => {
  for (const { name, legal, attack, reason } of cases) {
    it(`${name} (and not its legal twin)`, () => {
      expect(judgeChange(legal)).toEqual({ code: 'ok' })
      const refused = judgeChange(attack)
      expect(refused.code).toBe(PolicyCode.SchemaViolation)
      expect(refused.message).toMatch(reason)
    })
  }

  it('refuses a suggester’s unknown mark inside their own suggestion', () => {
    const room = roomWithThread()
    const doc = clientOf(room, 60)
    const suggest = (extra: Record<string, unknown>) => {
      const copy = new Y.Doc()
      copy.clientID = 60
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
      const before = Y.encodeStateVector(copy)
      copy.transact(() => {
        firstText(copy).insert(0, 'Usul ', {
          ...answerMarkFormat('insertion', { id: 'u1' }),
          ...extra,
        })
        copy.getMap(SUGGESTIONS_FIELD).set('u1', { kind: 'insert', createdAt: 1 })
      })
      const update = Y.encodeStateAsUpdate(copy, before)
      const verdict = new UpdatePolicy(room).check(update, { userId: 'pmk', role: Role.Suggester })
      return verdict.ok ? 'ok' : verdict.code
    }
    expect(suggest({})).toBe('ok')
    expect(suggest({ 'highlight--AAAAAAAA': { color: 'red' } })).toBe(PolicyCode.SchemaViolation)
  })
})
