import { CloseCode } from '@kartu/protocol'
import { describe, expect, it } from 'vitest'
import {
  closeCodeName,
  isTooLargeClose,
  reconnectsAfter,
  unauthorizedReasonName,
  WS_MESSAGE_TOO_BIG,
} from './closeCodes.ts'

describe('close codes', () => {
  it('names Kartu close codes and nothing else', () => {
    expect(closeCodeName(4401)).toBe('Unauthorized')
    expect(closeCodeName(4413)).toBe('MessageTooLarge')
    expect(closeCodeName(4503)).toBe('ShuttingDown')
    expect(closeCodeName(1006)).toBeNull()
    expect(closeCodeName(WS_MESSAGE_TOO_BIG)).toBeNull()
  })

  it('treats 4413 and 1009 as too large, nothing else', () => {
    expect(isTooLargeClose(CloseCode.MessageTooLarge)).toBe(true)
    expect(isTooLargeClose(1009)).toBe(true)
    for (const code of [1000, 1006, 1011, 4400, 4401, 4429, 4500, 4503]) {
      expect(isTooLargeClose(code)).toBe(false)
    }
  })

  it('reconnects after transient closes only: not 4400-4499, not 1009', () => {
    for (const code of [1000, 1001, 1006, 1011, 4000, 4399, 4500, 4503, 4507]) {
      expect(reconnectsAfter(code)).toBe(true)
    }
    for (const code of [1009, 4400, 4401, 4403, 4413, 4422, 4429, 4499]) {
      expect(reconnectsAfter(code)).toBe(false)
    }
  })

  it('knows the reasons of a 4401', () => {
    expect(unauthorizedReasonName('signed out')).toBe('SignedOut')
    expect(unauthorizedReasonName('session expired')).toBe('SessionExpired')
    expect(unauthorizedReasonName('token revoked')).toBe('TokenRevoked')
    expect(unauthorizedReasonName('account disabled')).toBe('AccountDisabled')
    expect(unauthorizedReasonName('')).toBeNull()
    expect(unauthorizedReasonName('Signed Out')).toBeNull()
  })
})
