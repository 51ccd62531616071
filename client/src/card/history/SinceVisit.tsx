import type { Ministry, TextChange } from '@kartu/protocol'
import { useQuery } from '@tanstack/react-query'
import type { Editor } from '@tiptap/core'
import { useEffect, useId, useState, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import type { WebsocketProvider } from 'y-websocket'
import { fetchChangesSinceVisit } from '../../app/api.ts'
import { browserSetting } from '../../app/browserSetting.ts'
import { formatTime } from '../../app/formatTime.ts'
import { queryKeys } from '../../app/queryKeys.ts'
import { useLanguage } from '../../i18n/useLanguage.ts'
import type { ReviewData } from '../useReviewData.ts'
import { describeChange, ministryShort } from './describeChange.ts'
import { showSinceVisit } from './sinceVisitHighlight.ts'

/**
 * What changed since the person's last visit, asked once per opening of the card: by the card
 * page as soon as it opens (`ask`), in parallel with the card and its document, so that the
 * answer is there when the document is; read by the summary (which does not ask again).
 */
export function useSinceVisitQuery(cardId: string, ask: boolean) {
  return useQuery({
    queryKey: queryKeys.sinceVisit(cardId),
    queryFn: () => fetchChangesSinceVisit(cardId),
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnMount: ask ? 'always' : false,
    refetchOnWindowFocus: false,
  })
}

/** Whether others' changes are highlighted on opening a card: the person's choice, kept. */
export const highlightSetting = browserSetting('kartu:since-visit-highlights')

function useProviderSynced(provider: WebsocketProvider): boolean {
  return useSyncExternalStore(
    (listener) => {
      provider.on('sync', listener)
      return () => provider.off('sync', listener)
    },
    () => provider.synced,
  )
}

/**
 * "Since you last looked": what others changed in the card since the person last had it open
 * (server: history/visitRecorder.ts), summed up by ministry above the answer, with the decisions
 * and comments since, and highlighted in the answer until switched off. Asked once each time the
 * card is opened: the visit the person is making now is recorded when they leave.
 */
export function SinceVisit({
  cardId,
  editor,
  provider,
  ministries,
  data,
}: {
  cardId: string
  editor: Editor
  provider: WebsocketProvider
  ministries: readonly Ministry[]
  data: ReviewData
}) {
  const { t } = useTranslation()
  const language = useLanguage()
  const switchId = useId()
  const synced = useProviderSynced(provider)
  const since = useSinceVisitQuery(cardId, false)
  const highlighted = highlightSetting.use()
  const [closed, setClosed] = useState(false)
  const changes = since.data?.changes ?? null
  const visitedAt = since.data?.visitedAt ?? null

  useEffect(() => {
    // Placed once the answer holds what the server has (the ids name characters in it).
    if (!synced || !changes) return
    const describe = (change: TextChange): string => describeChange(change, t, language, ministries)
    showSinceVisit(editor, highlighted && !closed ? changes : null, ministries, describe)
  }, [synced, changes, highlighted, closed, editor, ministries, t, language])

  if (visitedAt === null || !changes || closed) return null
  const byMinistry = new Map<string, number>()
  for (const change of changes) {
    const ministry = change.author?.ministryId ?? ''
    byMinistry.set(ministry, (byMinistry.get(ministry) ?? 0) + 1)
  }
  const decided =
    data.decisions.filter((decision) => decision.at > visitedAt).length +
    data.restores.filter((restore) => restore.at > visitedAt).length
  const comments = data.threads
    .flatMap((thread) => thread.comments)
    .filter((comment) => comment.createdAt > visitedAt && !comment.mine && !comment.deleted).length
  if (changes.length === 0 && decided === 0 && comments === 0) return null

  const parts = [...byMinistry].map(([ministry, count]) =>
    t('sinceVisit.changesBy', {
      count,
      ministry: ministry ? ministryShort(ministry, ministries) : t('versions.someone'),
    }),
  )
  if (decided > 0) parts.push(t('sinceVisit.decided', { count: decided }))
  if (comments > 0) parts.push(t('sinceVisit.comments', { count: comments }))
  return (
    <section
      className="since-visit-summary"
      aria-labelledby={`${switchId}-title`}
      data-testid="since-visit"
    >
      <p
        id={`${switchId}-title`}
        className="since-visit-summary__text"
        data-testid="since-visit-text"
      >
        <strong>{t('sinceVisit.title', { time: formatTime(visitedAt, language) })}</strong>{' '}
        {parts.join(' · ')}
      </p>
      <div className="since-visit-summary__actions">
        {changes.length > 0 ? (
          <label htmlFor={switchId} className="since-visit-summary__switch">
            <input
              id={switchId}
              type="checkbox"
              checked={highlighted}
              onChange={(event) => highlightSetting.set(event.target.checked)}
              data-testid="since-visit-switch"
            />{' '}
            {t('sinceVisit.highlight')}
          </label>
        ) : null}
        <button
          type="button"
          className="button button--small"
          onClick={() => setClosed(true)}
          data-testid="since-visit-close"
        >
          {t('sinceVisit.close')}
        </button>
      </div>
    </section>
  )
}
