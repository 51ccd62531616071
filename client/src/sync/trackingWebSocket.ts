/**
 * A WebSocket that reports every binary frame it sends, handed to y-websocket as its
 * WebSocketPolyfill. The provider sends from several places (its update listener, replies to
 * server messages, awareness), so the socket is the one place that sees every frame, in order.
 */
type SendData = Parameters<WebSocket['send']>[0]

export type SentFrameObserver = (frame: Uint8Array) => void

export function createTrackingWebSocket(onSent: SentFrameObserver): typeof WebSocket {
  return class TrackingWebSocket extends WebSocket {
    override send(data: SendData): void {
      // A frame sent while CLOSING or CLOSED is dropped by the browser without an error, and the
      // server never counts it; so count only what goes out on an open socket (send throws while
      // CONNECTING, before we would count).
      const open = this.readyState === WebSocket.OPEN
      super.send(data)
      if (!open) return
      if (data instanceof Uint8Array) onSent(data)
      else if (data instanceof ArrayBuffer) onSent(new Uint8Array(data))
    }
  }
}
