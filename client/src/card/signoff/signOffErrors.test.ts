import { describe, expect, it } from 'vitest'
import { ApiError, NetworkError } from '../../app/api.ts'
import { isClearanceMissing, signOffRefusal } from './signOffErrors.ts'

describe('signOffRefusal', () => {
  it('names the refusals the panel explains', () => {
    expect(signOffRefusal(new ApiError(403, 'not_assigned', 'x'))).toBe('not_assigned')
    expect(signOffRefusal(new ApiError(409, 'card_final', 'x'))).toBe('card_final')
    expect(isClearanceMissing(new ApiError(409, 'clearance_missing', 'KP2MI'))).toBe(true)
  })

  it('reads any other 403 as a role refusal', () => {
    expect(signOffRefusal(new ApiError(403, 'role', 'x'))).toBe('forbidden')
  })

  it('leaves other errors to their own message', () => {
    expect(signOffRefusal(new ApiError(500, 'constructor', 'x'))).toBeNull()
    expect(signOffRefusal(new NetworkError('network'))).toBeNull()
    expect(signOffRefusal(new Error('boom'))).toBeNull()
  })
})
