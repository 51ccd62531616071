import { useTranslation } from 'react-i18next'
import { budgetWords } from './wordBudget.ts'

/** "182 / 260 kata": the answer's length against what fits in its time budget. */
export function WordBudget({ words, timeBudgetSec }: { words: number; timeBudgetSec: number }) {
  const { t } = useTranslation()
  const budget = budgetWords(timeBudgetSec)
  const over = words > budget
  return (
    <span
      className={over ? 'word-budget word-budget--over' : 'word-budget'}
      title={t('words.budget', { seconds: timeBudgetSec, budget })}
      data-words={words}
      data-budget={budget}
    >
      {t('words.count', { count: words, budget })}
      {over ? <span className="visually-hidden"> ({t('words.over')})</span> : null}
    </span>
  )
}
