/**
 * A raw Chrome DevTools Protocol connection over Chromium's debugging websocket, beside the pipe
 * that playwright-core drives the pages through. Playwright's own CDP sessions reach a page, but
 * not a service worker: the worker's precache fetches would run outside the throttled network,
 * unseen. This connection auto-attaches (flat sessions) to pages and service workers alike.
 */
import WebSocket from 'ws'

export type CdpParams = Record<string, unknown>
export type CdpEvent = { method: string; params: CdpParams; sessionId?: string }

export type Cdp = {
  /** Sends a command to the browser, or to an attached target when `sessionId` is given. */
  send(method: string, params?: CdpParams, sessionId?: string): Promise<CdpParams>
  onEvent(listener: (event: CdpEvent) => void): void
  close(): void
}

type Pending = { resolve: (result: CdpParams) => void; reject: (error: Error) => void }

export async function connectCdp(webSocketUrl: string): Promise<Cdp> {
  const socket = new WebSocket(webSocketUrl, { perMessageDeflate: false, maxPayload: 2 ** 30 })
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve())
    socket.once('error', reject)
  })
  let nextId = 1
  const pending = new Map<number, Pending>()
  const listeners: Array<(event: CdpEvent) => void> = []
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString()) as {
      id?: number
      result?: CdpParams
      error?: { message: string }
      method?: string
      params?: CdpParams
      sessionId?: string
    }
    if (message.id !== undefined) {
      const waiting = pending.get(message.id)
      pending.delete(message.id)
      if (message.error) waiting?.reject(new Error(message.error.message))
      else waiting?.resolve(message.result ?? {})
      return
    }
    if (message.method) {
      const event: CdpEvent = {
        method: message.method,
        params: message.params ?? {},
        sessionId: message.sessionId,
      }
      for (const listener of listeners) listener(event)
    }
  })
  socket.on('close', () => {
    for (const waiting of pending.values()) waiting.reject(new Error('CDP connection closed'))
    pending.clear()
  })
  return {
    send(method, params = {}, sessionId) {
      const id = nextId++
      return new Promise<CdpParams>((resolve, reject) => {
        pending.set(id, { resolve, reject })
        socket.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }))
      })
    },
    onEvent(listener) {
      listeners.push(listener)
    },
    close() {
      socket.close()
    },
  }
}

/** The browser's debugging websocket, from the DevToolsActivePort file in its profile folder. */
export function browserWebSocketUrl(devToolsActivePort: string): string {
  const [port, path] = devToolsActivePort.trim().split('\n')
  if (!port || !path) throw new Error(`unexpected DevToolsActivePort: ${devToolsActivePort}`)
  return `ws://127.0.0.1:${port}${path}`
}
