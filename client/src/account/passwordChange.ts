/**
 * The password change form as pure logic: what to check before sending, and what the server's
 * answer means to the person and which field it belongs to. The server decides for real (the
 * same schema, @kartu/protocol's passwordSchema); this keeps a request that would be refused from
 * going out, and says why in the person's language.
 */
import { passwordSchema } from '@kartu/protocol'
import { ApiError, NetworkError } from '../app/api.ts'

export type PasswordFields = { current: string; next: string; confirm: string }
export type PasswordField = keyof PasswordFields

/** The fields in the order the form shows them: the first with a problem gets the focus. */
export const passwordFieldOrder: readonly PasswordField[] = ['current', 'next', 'confirm']

export const PasswordProblem = {
  CurrentMissing: 'currentMissing',
  TooShort: 'tooShort',
  TooLong: 'tooLong',
  SameAsCurrent: 'sameAsCurrent',
  Mismatch: 'mismatch',
  WrongPassword: 'wrongPassword',
  TooMany: 'tooMany',
  Invalid: 'invalid',
  Network: 'network',
  Other: 'other',
} as const
export type PasswordProblem = (typeof PasswordProblem)[keyof typeof PasswordProblem]

export type FieldProblems = Partial<Record<PasswordField, PasswordProblem>>

export const MIN_PASSWORD_LENGTH = passwordSchema.minLength ?? 8
export const MAX_PASSWORD_LENGTH = passwordSchema.maxLength ?? 1024

/** What is wrong before sending, by field; empty when the change may go out. */
export function checkPasswordChange(fields: PasswordFields): FieldProblems {
  const problems: FieldProblems = {}
  if (fields.current.length === 0) problems.current = PasswordProblem.CurrentMissing
  if (fields.next.length < MIN_PASSWORD_LENGTH) problems.next = PasswordProblem.TooShort
  else if (fields.next.length > MAX_PASSWORD_LENGTH) problems.next = PasswordProblem.TooLong
  else if (fields.next === fields.current) problems.next = PasswordProblem.SameAsCurrent
  // A mismatch is only worth saying once the new password itself is acceptable.
  if (problems.next === undefined && fields.confirm !== fields.next) {
    problems.confirm = PasswordProblem.Mismatch
  }
  return problems
}

export function firstProblemField(problems: FieldProblems): PasswordField | null {
  return passwordFieldOrder.find((field) => problems[field] !== undefined) ?? null
}

/** A refused change: what to say, next to which field (or for the whole form). */
export type ServerProblem = {
  problem: PasswordProblem
  field: PasswordField | null
  /** For `tooMany`: the server's Retry-After in seconds, when it gave one. */
  retryAfterSec: number | null
  /** For `other`: the code or HTTP status, so that support can tell what happened. */
  code: string
}

export function serverProblem(error: unknown): ServerProblem {
  const none = { retryAfterSec: null, code: '' }
  if (error instanceof ApiError) {
    if (error.code === 'wrong_password') {
      return { ...none, problem: PasswordProblem.WrongPassword, field: 'current' }
    }
    if (error.status === 429) {
      return {
        ...none,
        problem: PasswordProblem.TooMany,
        field: null,
        retryAfterSec: error.retryAfterSec,
      }
    }
    if (error.code === 'invalid_request') {
      return { ...none, problem: PasswordProblem.Invalid, field: 'next' }
    }
    return { ...none, problem: PasswordProblem.Other, field: null, code: error.code }
  }
  if (error instanceof NetworkError)
    return { ...none, problem: PasswordProblem.Network, field: null }
  return { ...none, problem: PasswordProblem.Other, field: null, code: 'client' }
}
