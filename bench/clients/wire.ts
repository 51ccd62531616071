/**
 * A light client: raw y-protocols over ws, in the dialect of each server.
 *   kartu  /collab/<name>?token=T; plus Persisted (100), Rejected (101), Permission (102)
 *   yws    /<name>
 *   hocus  one socket, every frame prefixed with the document name; an Auth (token) frame first
 * A typist keeps a Y.Doc (synced, then only its own keystrokes applied); an observer keeps none:
 * it reads only the ids in each update (no Yjs apply), which is what lets one process hold
 * hundreds of clients.
 */
import * as decoding from 'lib0/decoding'
import * as encoding from 'lib0/encoding'
import WebSocket from 'ws'
import * as Y from 'yjs'

export type Protocol = 'kartu' | 'yws' | 'hocus'

const SYNC = 0
const AWARENESS = 1
const AUTH = 2
const HOCUS_SYNC_REPLY = 4
const STEP1 = 0
const STEP2 = 1
const UPDATE = 2
const PERSISTED = 100
const REJECTED = 101

/** Receives, for each update, the Yjs (client, clock) ranges it carries. */
export type RangeSink = (client: number, from: number, to: number, now: number) => void

export type ClientOptions = {
  protocol: Protocol
  baseUrl: string
  docName: string
  token?: string
  /** Keep a Y.Doc (typists). */
  keepDoc: boolean
  onRange?: RangeSink
  onPersisted?: (seq: number, now: number) => void
  /** Receives each awareness update (y-protocols awareness encoding), undecoded. */
  onAwareness?: (update: Uint8Array, now: number) => void
}

const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc())

export class LightClient {
  readonly doc: Y.Doc | null
  socket!: WebSocket
  /** Document-changing messages sent (Kartu's Persisted/Rejected count these). */
  sentSeq = 0
  rejected = 0
  closedEarly = false
  /** Bytes received until the sync answer (SyncStep2) arrived, and when it did. */
  bytesUntilSynced = 0
  /** Everything received so far: messages and bytes (the frames, as the socket handed them). */
  messagesReceived = 0
  bytesReceived = 0
  syncedAt = 0
  private synced = false
  private onSynced: (() => void) | null = null
  private readonly prefix: Uint8Array

  constructor(readonly options: ClientOptions) {
    this.doc = options.keepDoc ? new Y.Doc() : null
    const encoder = encoding.createEncoder()
    if (options.protocol === 'hocus') encoding.writeVarString(encoder, options.docName)
    this.prefix = encoding.toUint8Array(encoder)
  }

  private url(): string {
    const { protocol, baseUrl, docName, token } = this.options
    if (protocol === 'kartu')
      return `${baseUrl}/collab/${encodeURIComponent(docName)}?token=${token}`
    if (protocol === 'yws') return `${baseUrl}/${docName}`
    return baseUrl
  }

  private frame(write: (encoder: encoding.Encoder) => void): Uint8Array {
    const encoder = encoding.createEncoder()
    encoding.writeUint8Array(encoder, this.prefix)
    write(encoder)
    return encoding.toUint8Array(encoder)
  }

  /** Opens the socket and resolves once the server's SyncStep2 arrived. */
  connect(timeoutMs = 30_000): Promise<void> {
    const socket = new WebSocket(this.url(), { perMessageDeflate: false })
    this.socket = socket
    socket.binaryType = 'nodebuffer'
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no sync within ${timeoutMs} ms`)), timeoutMs)
      this.onSynced = () => {
        clearTimeout(timer)
        resolve()
      }
      socket.once('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      socket.once('close', (code) => {
        if (!this.synced) {
          clearTimeout(timer)
          reject(new Error(`closed with ${code} before sync`))
        }
      })
    })
    socket.on('message', (data: Buffer) => this.receive(data))
    socket.on('close', () => {
      this.closedEarly = true
    })
    socket.once('open', () => {
      if (this.options.protocol === 'hocus') {
        socket.send(
          this.frame((e) => {
            encoding.writeVarUint(e, AUTH)
            encoding.writeVarUint(e, 0)
            encoding.writeVarString(e, this.options.token ?? 'bench')
          }),
        )
      }
      const stateVector = this.doc ? Y.encodeStateVector(this.doc) : new Uint8Array([0])
      socket.send(
        this.frame((e) => {
          encoding.writeVarUint(e, SYNC)
          encoding.writeVarUint(e, STEP1)
          encoding.writeVarUint8Array(e, stateVector)
        }),
      )
    })
    return done
  }

  private receive(data: Buffer): void {
    const now = performance.now()
    this.messagesReceived++
    this.bytesReceived += data.length
    if (!this.synced) this.bytesUntilSynced += data.length
    const decoder = decoding.createDecoder(data)
    if (this.options.protocol === 'hocus') decoding.readVarString(decoder)
    const type = decoding.readVarUint(decoder)
    if (type === SYNC || type === HOCUS_SYNC_REPLY) {
      const sub = decoding.readVarUint(decoder)
      if (sub === UPDATE) {
        const update = decoding.readVarUint8Array(decoder)
        if (this.options.onRange) readRanges(update, this.options.onRange, now)
      } else if (sub === STEP2) {
        const update = decoding.readVarUint8Array(decoder)
        if (this.doc) Y.applyUpdate(this.doc, update)
        if (!this.synced) {
          this.synced = true
          this.syncedAt = now
          this.onSynced?.()
        }
      } else if (sub === STEP1) {
        const stateVector = decoding.readVarUint8Array(decoder)
        const answer = this.doc ? Y.encodeStateAsUpdate(this.doc, stateVector) : EMPTY_UPDATE
        this.sendSync(STEP2, answer)
      }
    } else if (type === AWARENESS) {
      this.options.onAwareness?.(decoding.readVarUint8Array(decoder), now)
    } else if (type === PERSISTED && this.options.protocol === 'kartu') {
      this.options.onPersisted?.(decoding.readVarUint(decoder), now)
    } else if (type === REJECTED && this.options.protocol === 'kartu') {
      this.rejected++
    }
  }

  private sendSync(sub: number, update: Uint8Array): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    this.sentSeq++
    this.socket.send(
      this.frame((e) => {
        encoding.writeVarUint(e, SYNC)
        encoding.writeVarUint(e, sub)
        encoding.writeVarUint8Array(e, update)
      }),
    )
  }

  /** Sends a document update; returns its sequence number (Kartu's Persisted counts these). */
  sendUpdate(update: Uint8Array): number {
    this.sendSync(UPDATE, update)
    return this.sentSeq
  }

  /** Sends an awareness update (presence); not a document change, so no sequence number. */
  sendAwareness(update: Uint8Array): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    this.socket.send(
      this.frame((e) => {
        encoding.writeVarUint(e, AWARENESS)
        encoding.writeVarUint8Array(e, update)
      }),
    )
  }

  close(): Promise<void> {
    if (!this.socket || this.socket.readyState === WebSocket.CLOSED) return Promise.resolve()
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve())
      this.socket.close()
      setTimeout(() => {
        this.socket.terminate()
        resolve()
      }, 2000).unref()
    })
  }
}

/**
 * Reports the (client, clock) ranges of a v1 update without applying it. Fast path: one client,
 * one struct holding a string (a keystroke, or keystrokes merged into one run); anything else
 * is read with Yjs's own parser.
 */
export function readRanges(update: Uint8Array, sink: RangeSink, now: number): void {
  const decoder = decoding.createDecoder(update)
  const clients = decoding.readVarUint(decoder)
  if (clients === 1) {
    const structs = decoding.readVarUint(decoder)
    const client = decoding.readVarUint(decoder)
    const clock = decoding.readVarUint(decoder)
    if (structs === 1) {
      const info = decoding.readUint8(decoder)
      if ((info & 0x1f) === 4) {
        if (info & 0x80) {
          decoding.readVarUint(decoder)
          decoding.readVarUint(decoder)
        }
        if (info & 0x40) {
          decoding.readVarUint(decoder)
          decoding.readVarUint(decoder)
        }
        if ((info & 0xc0) === 0) {
          if (decoding.readVarUint(decoder) === 1) decoding.readVarString(decoder)
          else {
            decoding.readVarUint(decoder)
            decoding.readVarUint(decoder)
          }
          if (info & 0x20) decoding.readVarString(decoder)
        }
        sink(client, clock, clock + decoding.readVarString(decoder).length, now)
        return
      }
    }
  } else if (clients === 0) return
  const meta = Y.parseUpdateMeta(update)
  for (const [client, from] of meta.from) sink(client, from, meta.to.get(client) ?? from, now)
}
