/**
 * What a websocket close means for a document's session: retry, stop, and what to tell the
 * person. Pure: no DOM, no provider.
 */
import { CloseCode, UnauthorizedReason } from '@kartu/protocol'

/**
 * RFC 6455 "message too big": what `ws` closes with when a frame exceeds the server's
 * KARTU_MAX_MESSAGE_BYTES (the server's own 4413 says the same).
 */
export const WS_MESSAGE_TOO_BIG = 1009

export type CloseCodeName = keyof typeof CloseCode

export function closeCodeName(code: number): CloseCodeName | null {
  for (const name of Object.keys(CloseCode) as CloseCodeName[]) {
    if (CloseCode[name] === code) return name
  }
  return null
}

/** The change we sent is larger than the server takes: resending it can never pass. */
export function isTooLargeClose(code: number): boolean {
  return code === CloseCode.MessageTooLarge || code === WS_MESSAGE_TOO_BIG
}

/**
 * The provider's `shouldReconnect`. y-websocket's own rule (none after 4400-4499, the server
 * decided) plus 1009, which it would retry for ever: every retry's first Sync Step2 carries the
 * same too-large change and is closed again.
 */
export function reconnectsAfter(code: number): boolean {
  if (code >= 4400 && code < 4500) return false
  return code !== WS_MESSAGE_TOO_BIG
}

export type UnauthorizedReasonName = keyof typeof UnauthorizedReason

/** The known reason of a 4401 close, or null (an older server sends none). */
export function unauthorizedReasonName(reason: string): UnauthorizedReasonName | null {
  for (const name of Object.keys(UnauthorizedReason) as UnauthorizedReasonName[]) {
    if (UnauthorizedReason[name] === reason) return name
  }
  return null
}
