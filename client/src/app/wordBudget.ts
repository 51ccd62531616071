/** Speaking pace used to turn a card's time budget into words. */
export const WORDS_PER_MINUTE = 130

export function budgetWords(timeBudgetSec: number): number {
  return Math.round((timeBudgetSec * WORDS_PER_MINUTE) / 60)
}
