import { type FormEvent, type RefObject, useEffect, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useChangePassword } from '../app/useChangePassword.ts'
import { waitParts } from '../app/waitTime.ts'
import {
  checkPasswordChange,
  type FieldProblems,
  firstProblemField,
  MIN_PASSWORD_LENGTH,
  type PasswordField,
  type PasswordFields,
  type ServerProblem,
  serverProblem,
} from './passwordChange.ts'

const empty: PasswordFields = { current: '', next: '', confirm: '' }

/**
 * Current password, new password, the new one again. Problems are checked before sending and
 * shown beside their field (the first one gets the focus); the server's refusals likewise, or
 * for the whole form. The result is announced (role="status"). Texts are made at render time, so
 * that they follow a change of language.
 */
export function PasswordChangeForm({ email }: { email: string }) {
  const { t } = useTranslation()
  const mutation = useChangePassword()
  const [fields, setFields] = useState<PasswordFields>(empty)
  const [problems, setProblems] = useState<FieldProblems>({})
  const [formProblem, setFormProblem] = useState<ServerProblem | null>(null)
  const [done, setDone] = useState(false)
  const refs: Record<PasswordField, RefObject<HTMLInputElement | null>> = {
    current: useRef<HTMLInputElement>(null),
    next: useRef<HTMLInputElement>(null),
    confirm: useRef<HTMLInputElement>(null),
  }
  const formErrorRef = useRef<HTMLParagraphElement>(null)
  const resultRef = useRef<HTMLDivElement>(null)
  const ids = {
    current: useId(),
    next: useId(),
    confirm: useId(),
    hint: useId(),
    formError: useId(),
  }

  // After the render that shows them: a refusal for the whole form takes the focus, and a
  // success (below the fold on a phone) is brought into sight; both are announced as well.
  useEffect(() => {
    if (formProblem) formErrorRef.current?.focus()
  }, [formProblem])
  useEffect(() => {
    if (done) resultRef.current?.scrollIntoView({ block: 'nearest' })
  }, [done])

  const change = (field: PasswordField, value: string): void => {
    setFields((previous) => ({ ...previous, [field]: value }))
    // The announcement of a success is about the last change, not the one being typed.
    setDone(false)
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault()
    if (mutation.isPending) return
    setDone(false)
    setFormProblem(null)
    const found = checkPasswordChange(fields)
    setProblems(found)
    const first = firstProblemField(found)
    if (first) {
      refs[first].current?.focus()
      return
    }
    mutation.mutate(
      { currentPassword: fields.current, newPassword: fields.next },
      {
        onSuccess: () => {
          setFields(empty)
          setProblems({})
          setDone(true)
        },
        onError: (error) => {
          const refused = serverProblem(error)
          if (refused.field) {
            setProblems({ [refused.field]: refused.problem })
            refs[refused.field].current?.select()
            refs[refused.field].current?.focus()
          } else {
            setFormProblem(refused)
          }
        },
      },
    )
  }

  const wait = (seconds: number): string => {
    const { unit, count } = waitParts(seconds)
    return t(`wait.${unit}`, { count })
  }
  const problemText = (problem: ServerProblem): string => {
    if (problem.problem === 'tooMany') {
      return problem.retryAfterSec === null
        ? t('account.password.problem.tooManyLater')
        : t('account.password.problem.tooMany', { wait: wait(problem.retryAfterSec) })
    }
    return t(`account.password.problem.${problem.problem}`, { code: problem.code })
  }

  const field = (name: PasswordField, label: string, autoComplete: string, hint?: string) => {
    const problem = problems[name]
    const errorId = `${ids[name]}-error`
    const describedBy = [hint ? ids.hint : null, problem ? errorId : null].filter(Boolean)
    return (
      <div className="form__field">
        <label htmlFor={ids[name]}>{label}</label>
        <input
          ref={refs[name]}
          id={ids[name]}
          data-testid={`password-${name}`}
          type="password"
          name={name === 'current' ? 'current-password' : `${name}-password`}
          autoComplete={autoComplete}
          required
          minLength={name === 'current' ? undefined : MIN_PASSWORD_LENGTH}
          value={fields[name]}
          onChange={(event) => change(name, event.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={describedBy.length > 0 ? describedBy.join(' ') : undefined}
        />
        {hint ? (
          <p className="form__hint" id={ids.hint}>
            {hint}
          </p>
        ) : null}
        {problem ? (
          <p className="form__error" id={errorId} data-testid={`password-${name}-error`}>
            {t(`account.password.problem.${problem}`)}
          </p>
        ) : null}
      </div>
    )
  }

  return (
    // Our own checks speak the person's language; the browser's bubbles would not.
    <form className="form" onSubmit={onSubmit} noValidate data-testid="password-form">
      {/* Lets a password manager file the new password under the right account. */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      {field('current', t('account.password.current'), 'current-password')}
      {field('next', t('account.password.new'), 'new-password', t('account.password.newHint'))}
      {field('confirm', t('account.password.confirm'), 'new-password')}
      {formProblem ? (
        <p
          className="notice notice--error form__summary"
          role="alert"
          tabIndex={-1}
          ref={formErrorRef}
          id={ids.formError}
          data-testid="password-error"
        >
          {problemText(formProblem)}
        </p>
      ) : null}
      <div className="form-actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid="password-submit"
          disabled={mutation.isPending}
        >
          {mutation.isPending ? t('account.password.submitting') : t('account.password.submit')}
        </button>
      </div>
      {/* Always in the page, so that screen readers announce what appears in it. */}
      <div role="status" aria-live="polite" data-testid="password-result" ref={resultRef}>
        {done ? <p className="notice notice--ok">{t('account.password.success')}</p> : null}
      </div>
    </form>
  )
}
