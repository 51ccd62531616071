/**
 * Picks the field of a record that matches the interface language.
 */
import type { Card, Cluster, Deck, Ministry } from '@kartu/protocol'
import type { Language } from '../i18n/i18n.ts'

/** The question as the reader reads it: Bahasa Indonesia, or the Committee's text in English. */
export function cardQuestion(card: Card, language: Language): string {
  if (language === 'id') return card.questionId || card.question
  return card.question || card.questionId
}

export function clusterName(cluster: Cluster, language: Language): string {
  return language === 'id' ? cluster.nameId : cluster.nameEn || cluster.nameId
}

export function deckTitle(deck: Deck, language: Language): string {
  return language === 'id' ? deck.title : deck.titleEn || deck.title
}

export function ministryName(ministry: Ministry, language: Language): string {
  return language === 'id' ? ministry.nameId : ministry.nameEn || ministry.nameId
}
