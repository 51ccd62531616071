import { type Member, type Ministry, type Role, Role as RoleValue } from '@kartu/protocol'
import { type FormEvent, useId, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link, useParams } from 'react-router'
import { AppHeader } from '../app/AppHeader.tsx'
import { Loading } from '../app/Loading.tsx'
import { deckTitle } from '../app/localized.ts'
import { MinistryBadge } from '../app/MinistryBadge.tsx'
import { QueryError } from '../app/QueryError.tsx'
import { useDeck } from '../app/useDeck.ts'
import { useDocumentTitle } from '../app/useDocumentTitle.ts'
import { useMe } from '../app/useMe.ts'
import { useRemoveMember, useUpsertMember } from '../app/useMemberMutations.ts'
import { useMembers } from '../app/useMembers.ts'
import { useLanguage } from '../i18n/useLanguage.ts'
import { FocalProblem, focalProblemOf, isFocal, withFocalToggled } from './focalPersons.ts'
import {
  checkRoleChange,
  findByEmail,
  MemberProblem,
  parseNewMember,
  parseRole,
  problemOf,
  RoleChange,
  roles,
  sortMembers,
} from './members.ts'
import { useFocalPersons, useSaveFocalPersons } from './useFocalPersons.ts'

/**
 * What the last action came to: an error (role="alert") or a confirmation (role="status"). The
 * text is made at render time, so that it follows a change of language.
 */
type Feedback =
  | { kind: 'error'; text: () => string; fromAddForm: boolean }
  | { kind: 'done'; text: () => string }
  | null

/** The deck's members: everyone reads the list; the chair adds, removes and changes roles. */
export function MembersPage() {
  const { deckId = '' } = useParams()
  const { t } = useTranslation()
  const { user } = useMe()
  const deck = useDeck(deckId)
  const members = useMembers(deckId, { staleTime: 0 })
  const upsert = useUpsertMember(deckId, user.id)
  const remove = useRemoveMember(deckId)
  const focal = useFocalPersons(deckId)
  const saveFocal = useSaveFocalPersons(deckId)
  const focalHelpId = useId()
  const [feedback, setFeedback] = useState<Feedback>(null)
  const listHeadingRef = useRef<HTMLHeadingElement>(null)
  const isChair = deck.data?.role === RoleValue.Chair
  const list = members.data?.members ?? []
  const language = useLanguage()
  useDocumentTitle(t('members.title'), deck.data ? deckTitle(deck.data.deck, language) : null)

  const roleName = (role: Role): string => t(`role.${role}`)
  const fail = (error: unknown, fromAddForm: boolean): void => {
    const { problem, detail } = problemOf(error)
    // Someone else changed the list meanwhile: show it as it is now.
    if (problem === MemberProblem.NotFound) void members.refetch()
    setFeedback({
      kind: 'error',
      text: () => t(`members.problem.${problem}`, { message: detail }),
      fromAddForm,
    })
  }

  /** Applies the rules that keep the deck chaired; false when the change must not be sent. */
  const mayChange = (userId: string, role: Role, fromAddForm: boolean): boolean => {
    const check = checkRoleChange(list, user.id, userId, role)
    if (check === RoleChange.LastChair) {
      setFeedback({ kind: 'error', text: () => t('members.problem.lastChair'), fromAddForm })
      return false
    }
    if (check === RoleChange.ConfirmSelf && !window.confirm(t('members.confirmStepDown'))) {
      return false
    }
    return true
  }

  const changeRole = (member: Member, role: Role): void => {
    if (checkRoleChange(list, user.id, member.userId, role) === RoleChange.Unchanged) return
    if (!mayChange(member.userId, role, false)) return
    setFeedback(null)
    upsert.mutate(
      { email: member.email, role },
      {
        onSuccess: () =>
          setFeedback({
            kind: 'done',
            text: () => t('members.roleChanged', { name: member.name, role: roleName(role) }),
          }),
        onError: (error) => fail(error, false),
      },
    )
  }

  const removeOne = (member: Member): void => {
    if (!window.confirm(t('members.confirmRemove', { name: member.name, email: member.email }))) {
      return
    }
    setFeedback(null)
    remove.mutate(member.userId, {
      onSuccess: () => {
        setFeedback({ kind: 'done', text: () => t('members.removed', { name: member.name }) })
        // Its row (and the focused button in it) is gone: keep the keyboard user in the list.
        listHeadingRef.current?.focus()
      },
      onError: (error) => fail(error, false),
    })
  }

  const ministryShort = (ministryId: string): string | null =>
    deck.data?.deck.ministries.find((ministry) => ministry.id === ministryId)?.short ?? null

  /** Names the member a focal person of their ministry, or takes them off its list. */
  const toggleFocal = (member: Member, on: boolean): void => {
    if (!focal.data) return
    const ministry = ministryShort(member.ministryId) ?? member.ministryId
    const userIds = withFocalToggled(focal.data.focalPersons, list, member, on)
    setFeedback(null)
    saveFocal.mutate(
      { ministryId: member.ministryId, userIds },
      {
        onSuccess: () =>
          setFeedback({
            kind: 'done',
            text: () =>
              t(on ? 'members.focal.added' : 'members.focal.removed', {
                name: member.name,
                ministry,
              }),
          }),
        onError: (error) => {
          const { problem, detail } = focalProblemOf(error)
          // Someone left the deck or changed ministry meanwhile: show the members as they are.
          if (problem === FocalProblem.NotAMember) void members.refetch()
          setFeedback({
            kind: 'error',
            text: () => t(`members.focal.problem.${problem}`, { ministry, message: detail }),
            fromAddForm: false,
          })
        },
      },
    )
  }

  const addOne = (email: string, role: Role, onAdded: () => void, onInvalid: () => void): void => {
    const request = parseNewMember(email, role)
    if (!request) {
      setFeedback({
        kind: 'error',
        text: () => t('members.problem.invalidEmail'),
        fromAddForm: true,
      })
      onInvalid()
      return
    }
    const existing = findByEmail(list, request.email)
    if (existing?.role === request.role) {
      setFeedback({
        kind: 'done',
        text: () =>
          t('members.alreadyMember', { name: existing.name, role: roleName(existing.role) }),
      })
      return
    }
    if (existing && !mayChange(existing.userId, request.role, true)) return
    setFeedback(null)
    upsert.mutate(request, {
      onSuccess: ({ member }) => {
        setFeedback({
          kind: 'done',
          text: () =>
            existing
              ? t('members.roleChanged', { name: member.name, role: roleName(member.role) })
              : t('members.added', { name: member.name, role: roleName(member.role) }),
        })
        onAdded()
      },
      onError: (error) => {
        fail(error, true)
        onInvalid()
      },
    })
  }

  const error = (deck.data ? null : deck.error) ?? (members.data ? null : members.error)
  const pendingUserId = remove.isPending ? remove.variables : undefined
  const pendingEmail = upsert.isPending ? upsert.variables?.email : undefined
  const focalList = focal.data?.focalPersons
  return (
    <>
      <AppHeader deck={deck.data?.deck} />
      <main className="page members-page" id="main">
        <p className="card-page__back">
          <Link to={`/decks/${encodeURIComponent(deckId)}`}>← {t('members.back')}</Link>
        </p>
        <h1>{t('members.title')}</h1>
        <p className="members-page__intro">
          {t('members.intro')} {isChair ? null : t('members.chairOnly')}
        </p>
        {feedback?.kind === 'error' ? (
          <p
            className="notice notice--error members-page__feedback"
            role="alert"
            data-testid="members-error"
            id="members-error"
          >
            {feedback.text()}
          </p>
        ) : null}
        {feedback?.kind === 'done' ? (
          <p
            className="notice notice--info members-page__feedback"
            role="status"
            data-testid="members-status"
          >
            {feedback.text()}
          </p>
        ) : null}
        {error ? (
          <QueryError
            error={error}
            onRetry={() => {
              void deck.refetch()
              void members.refetch()
            }}
          />
        ) : !deck.data || !members.data ? (
          <Loading />
        ) : (
          <>
            <h2 className="members-page__count" ref={listHeadingRef} tabIndex={-1}>
              {t('members.count', { count: list.length })}
            </h2>
            <table className="members-table">
              <caption className="visually-hidden">{t('members.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('members.columns.name')}</th>
                  <th scope="col">{t('members.columns.email')}</th>
                  <th scope="col">{t('members.columns.ministry')}</th>
                  <th scope="col">{t('members.columns.role')}</th>
                  <th scope="col">{t('members.columns.focal')}</th>
                  {isChair ? <th scope="col">{t('members.columns.actions')}</th> : null}
                </tr>
              </thead>
              <tbody>
                {sortMembers(list).map((member) => (
                  <MemberRow
                    key={member.userId}
                    member={member}
                    ministries={deck.data.deck.ministries}
                    isMe={member.userId === user.id}
                    editable={isChair}
                    pending={pendingUserId === member.userId || pendingEmail === member.email}
                    onRoleChange={(role) => changeRole(member, role)}
                    onRemove={() => removeOne(member)}
                    focal={
                      // Nothing to show until the lists are in, nor for a ministry not the
                      // deck's (the server would refuse to name anyone of it).
                      focalList && ministryShort(member.ministryId) !== null
                        ? {
                            named: isFocal(focalList, member),
                            label: t('members.focal.label', {
                              ministry: ministryShort(member.ministryId),
                            }),
                            describedBy: focalHelpId,
                            onChange: (on) => toggleFocal(member, on),
                          }
                        : null
                    }
                  />
                ))}
              </tbody>
            </table>
            <p className="members-page__focal-help" id={focalHelpId}>
              {t('members.focal.explain')} {isChair ? t('members.focal.explainChair') : null}
            </p>
            {focal.error && !focal.data ? (
              <QueryError error={focal.error} onRetry={() => void focal.refetch()} />
            ) : null}
            {isChair ? (
              <AddMemberForm
                pending={upsert.isPending}
                invalid={feedback?.kind === 'error' && feedback.fromAddForm}
                onAdd={addOne}
              />
            ) : null}
          </>
        )}
      </main>
    </>
  )
}

type RowProps = {
  member: Member
  ministries: readonly Ministry[]
  isMe: boolean
  editable: boolean
  pending: boolean
  onRoleChange: (role: Role) => void
  onRemove: () => void
  /** The member's focal-person mark; null while the lists load, or outside the deck's ministries. */
  focal: FocalCell | null
}

type FocalCell = {
  /** Named a focal person of their ministry in the deck. */
  named: boolean
  /** "Narahubung Kemlu": the checkbox's words and the badge's. */
  label: string
  /** The line under the table that says what focal persons are. */
  describedBy: string
  onChange: (on: boolean) => void
}

function MemberRow({
  member,
  ministries,
  isMe,
  editable,
  pending,
  onRoleChange,
  onRemove,
  focal,
}: RowProps) {
  const { t } = useTranslation()
  const selectId = useId()
  return (
    <tr
      className="members-table__row"
      data-testid="member-row"
      data-user-id={member.userId}
      data-role={member.role}
      aria-busy={pending || undefined}
    >
      <th scope="row" data-label={t('members.columns.name')}>
        {member.name}
        {isMe ? <span className="members-table__you"> ({t('members.you')})</span> : null}
      </th>
      <td data-label={t('members.columns.email')} className="members-table__email">
        {member.email}
      </td>
      <td data-label={t('members.columns.ministry')}>
        <MinistryBadge ministryId={member.ministryId} ministries={ministries} />
      </td>
      <td data-label={t('members.columns.role')}>
        {editable ? (
          <>
            <label htmlFor={selectId} className="visually-hidden">
              {t('members.roleOf', { name: member.name })}
            </label>
            <select
              id={selectId}
              data-testid="member-role"
              value={member.role}
              onChange={(event) => {
                const role = parseRole(event.target.value)
                if (role) onRoleChange(role)
              }}
            >
              {roles.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </select>
          </>
        ) : (
          <span data-testid="member-role-text">{t(`role.${member.role}`)}</span>
        )}
      </td>
      <td data-label={t('members.columns.focal')} className="members-table__focal">
        {focal && editable ? (
          <label className="members-table__focal-choice">
            <input
              type="checkbox"
              data-testid="member-focal"
              checked={focal.named}
              onChange={(event) => focal.onChange(event.target.checked)}
              aria-describedby={focal.describedBy}
            />
            {focal.label}
            {/* Every row of a ministry has the same words: the name tells the boxes apart. */}
            <span className="visually-hidden">, {member.name}</span>
          </label>
        ) : null}
        {focal?.named && !editable ? (
          <span className="focal-badge" data-testid="member-focal-badge">
            {focal.label}
          </span>
        ) : null}
      </td>
      {editable ? (
        <td data-label={t('members.columns.actions')}>
          <button
            type="button"
            className="button button--small"
            data-testid="member-remove"
            aria-label={t('members.removeLabel', { name: member.name })}
            onClick={onRemove}
          >
            {t('members.remove')}
          </button>
        </td>
      ) : null}
    </tr>
  )
}

type AddProps = {
  pending: boolean
  /** The last error came from this form: the email field is marked and described by it. */
  invalid: boolean
  onAdd: (email: string, role: Role, onAdded: () => void, onInvalid: () => void) => void
}

function AddMemberForm({ pending, invalid, onAdd }: AddProps) {
  const { t } = useTranslation()
  const [email, setEmail] = useState('')
  const [role, setRole] = useState<Role>(RoleValue.Viewer)
  const headingId = useId()
  const emailId = useId()
  const roleId = useId()
  const hintId = useId()
  const emailRef = useRef<HTMLInputElement>(null)
  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault()
    onAdd(
      email,
      role,
      () => {
        setEmail('')
        emailRef.current?.focus()
      },
      () => emailRef.current?.focus(),
    )
  }
  return (
    <form className="form members-add" aria-labelledby={headingId} onSubmit={submit} noValidate>
      <h2 id={headingId} className="members-add__title">
        {t('members.add.title')}
      </h2>
      <p className="members-add__hint" id={hintId}>
        {t('members.add.hint')}
      </p>
      <div className="members-add__fields">
        <div className="form__field members-add__email">
          <label htmlFor={emailId}>{t('members.add.email')}</label>
          <input
            id={emailId}
            ref={emailRef}
            data-testid="member-add-email"
            type="email"
            name="email"
            autoComplete="off"
            spellCheck={false}
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? `members-error ${hintId}` : hintId}
          />
        </div>
        <div className="form__field">
          <label htmlFor={roleId}>{t('members.add.role')}</label>
          <select
            id={roleId}
            data-testid="member-add-role"
            value={role}
            onChange={(event) => setRole(parseRole(event.target.value) ?? RoleValue.Viewer)}
          >
            {roles.map((option) => (
              <option key={option} value={option}>
                {t(`role.${option}`)}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="button button--primary members-add__submit"
          data-testid="member-add-submit"
          disabled={pending}
        >
          {pending ? t('members.add.submitting') : t('members.add.submit')}
        </button>
      </div>
    </form>
  )
}
