import { describe, expect, it } from 'vitest'
import { ApiError, NetworkError } from '../app/api.ts'
import {
  checkPasswordChange,
  firstProblemField,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  serverProblem,
} from './passwordChange.ts'

const fields = (current: string, next: string, confirm = next) => ({ current, next, confirm })

describe('checkPasswordChange', () => {
  it('takes the server schema limits: 8 to 1024 characters', () => {
    expect(MIN_PASSWORD_LENGTH).toBe(8)
    expect(MAX_PASSWORD_LENGTH).toBe(1024)
  })

  it('lets a good change go out', () => {
    expect(checkPasswordChange(fields('old secret', 'new secret 1'))).toEqual({})
    expect(checkPasswordChange(fields('x', '12345678'))).toEqual({})
  })

  it('asks for the current password', () => {
    expect(checkPasswordChange(fields('', 'new secret 1'))).toEqual({ current: 'currentMissing' })
  })

  it('refuses a new password under 8 or over 1024 characters, or the current one again', () => {
    expect(checkPasswordChange(fields('old secret', '1234567'))).toEqual({ next: 'tooShort' })
    expect(checkPasswordChange(fields('old secret', 'a'.repeat(1025)))).toEqual({
      next: 'tooLong',
    })
    expect(checkPasswordChange(fields('old secret', 'old secret'))).toEqual({
      next: 'sameAsCurrent',
    })
  })

  it('wants the confirmation to match, once the new password itself is fine', () => {
    expect(checkPasswordChange(fields('old secret', 'new secret 1', 'new secret 2'))).toEqual({
      confirm: 'mismatch',
    })
    expect(checkPasswordChange(fields('old secret', 'short', 'other'))).toEqual({
      next: 'tooShort',
    })
  })

  it('names the first field with a problem, in the order of the form', () => {
    expect(firstProblemField(checkPasswordChange(fields('', 'short')))).toBe('current')
    expect(firstProblemField({ confirm: 'mismatch', next: 'tooShort' })).toBe('next')
    expect(firstProblemField({})).toBeNull()
  })
})

describe('serverProblem', () => {
  it('puts a wrong current password on its field', () => {
    expect(serverProblem(new ApiError(400, 'wrong_password', 'The current password…'))).toEqual({
      problem: 'wrongPassword',
      field: 'current',
      retryAfterSec: null,
      code: '',
    })
  })

  it('keeps the wait of too many attempts', () => {
    const problem = serverProblem(new ApiError(429, 'too_many_attempts', 'Too many…', 840))
    expect(problem).toMatchObject({ problem: 'tooMany', field: null, retryAfterSec: 840 })
    expect(serverProblem(new ApiError(429, 'too_many_attempts', 'Too many…'))).toMatchObject({
      problem: 'tooMany',
      retryAfterSec: null,
    })
  })

  it('puts an invalid request on the new password', () => {
    expect(serverProblem(new ApiError(400, 'invalid_request', 'bad'))).toMatchObject({
      problem: 'invalid',
      field: 'next',
    })
  })

  it('tells a network failure from anything else, which keeps its code', () => {
    expect(serverProblem(new NetworkError('network'))).toMatchObject({ problem: 'network' })
    expect(serverProblem(new ApiError(500, 'internal', 'boom'))).toMatchObject({
      problem: 'other',
      code: 'internal',
    })
  })
})
