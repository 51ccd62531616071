/**
 * Stock y-websocket clients in Node, as a third-party integration would use them, plus the two
 * Kartu message handlers (Persisted, Rejected) registered the documented way.
 */
import {
  isDocumentChangingMessage,
  MessageType,
  readPersisted,
  readRejected,
} from '@kartu/protocol'
import { ANSWER_FIELD } from '@kartu/schema'
import type * as decoding from 'lib0/decoding'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { eventually } from '../../src/testing/eventually.ts'

export type TestClient = {
  doc: Y.Doc
  provider: WebsocketProvider
  /** Document-changing messages sent on the current connection. */
  sent(): number
  /** Highest Persisted seq received on the current connection. */
  persisted(): number
  persistedMessages: number
  rejected: Array<{ seq: number; code: string }>
  synced(): Promise<void>
  /** Resolves when every document-changing message sent so far is acknowledged as Persisted. */
  saved(timeoutMs?: number): Promise<void>
  destroy(): void
}

/** A client's state, changed by the server's messages: polled every 10 ms (see eventually.ts). */
export function waitFor(
  check: () => boolean,
  timeoutMs = 10_000,
  what = 'condition',
): Promise<void> {
  return eventually(check, what, { timeoutMs, intervalMs: 10 })
}

export function connectClient(
  wsUrl: string,
  documentName: string,
  token: string,
  options: { doc?: Y.Doc; connect?: boolean } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc()
  const counters = { sent: 0, persisted: 0, messages: 0 }
  // Counts what y-websocket writes to the socket, as the Kartu client does.
  class CountingWebSocket extends WebSocket {
    override send(data: Uint8Array): void {
      if (isDocumentChangingMessage(data)) counters.sent++
      super.send(data)
    }
  }
  const provider = new WebsocketProvider(wsUrl, documentName, doc, {
    WebSocketPolyfill: CountingWebSocket as unknown as typeof globalThis.WebSocket,
    params: { token },
    connect: options.connect ?? true,
    disableBc: true,
    maxBackoffTime: 300,
  })
  const rejected: Array<{ seq: number; code: string }> = []
  provider.messageHandlers[MessageType.Persisted] = (_encoder, decoder: decoding.Decoder) => {
    const message = readPersisted(decoder)
    counters.persisted = Math.max(counters.persisted, message.seq)
    counters.messages++
  }
  provider.messageHandlers[MessageType.Rejected] = (_encoder, decoder: decoding.Decoder) => {
    const message = readRejected(decoder)
    rejected.push({ seq: message.seq, code: message.code })
  }
  // The role and lock are not needed here, but a stock client logs unknown types.
  provider.messageHandlers[MessageType.Permission] = () => undefined
  provider.on('status', ({ status }) => {
    if (status === 'disconnected' || status === 'connecting') {
      counters.sent = 0
      counters.persisted = 0
    }
  })
  return {
    doc,
    provider,
    sent: () => counters.sent,
    persisted: () => counters.persisted,
    get persistedMessages() {
      return counters.messages
    },
    rejected,
    synced: () => waitFor(() => provider.synced, 10_000, `sync of ${documentName}`),
    saved: (timeoutMs = 10_000) =>
      waitFor(
        () => provider.synced && counters.persisted >= counters.sent,
        timeoutMs,
        'Persisted for every update',
      ),
    destroy: () => {
      provider.destroy()
      doc.destroy()
    },
  }
}

/** The text of the answer's first text node (imported cards start with a heading). */
export function firstText(doc: Y.Doc): Y.XmlText {
  const fragment = doc.getXmlFragment(ANSWER_FIELD)
  const first = fragment.get(0)
  if (!(first instanceof Y.XmlElement)) throw new Error('answer has no first block')
  const text = first.get(0)
  if (!(text instanceof Y.XmlText)) throw new Error('first block has no text')
  return text
}

export function answerXml(doc: Y.Doc): string {
  return doc.getXmlFragment(ANSWER_FIELD).toString()
}
