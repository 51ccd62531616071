import type { Card } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { deckProgress } from './deckProgress.ts'

/** "9 dari 16 kartu disetujui semua kementerian", with a bar: the whole deck, whatever is filtered. */
export function DeckProgress({ cards }: { cards: readonly Card[] }) {
  const { t } = useTranslation()
  const { cleared, total } = deckProgress(cards)
  const text = t('workList.progress', { cleared, count: total })
  return (
    <div className="deck-progress" data-testid="deck-progress" data-cleared={cleared}>
      <p className="deck-progress__text">{text}</p>
      {total > 0 ? (
        // The words above say it; the bar is for the eye.
        <progress className="deck-progress__bar" max={total} value={cleared} aria-hidden="true" />
      ) : null}
      <p className="deck-progress__hint">{t('workList.progressHint')}</p>
    </div>
  )
}
