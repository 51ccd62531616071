export const queryKeys = {
  me: ['me'] as const,
  deck: (deckId: string) => ['deck', deckId] as const,
  cards: (deckId: string) => ['deck', deckId, 'cards'] as const,
  members: (deckId: string) => ['deck', deckId, 'members'] as const,
  focalPersons: (deckId: string) => ['deck', deckId, 'focal-persons'] as const,
  visits: (deckId: string) => ['deck', deckId, 'visits'] as const,
  rakorSessions: (deckId: string) => ['deck', deckId, 'sessions'] as const,
  /** A deck's or a card's activity, every ministry filter (for invalidating them all). */
  activityOf: (scope: { deckId: string } | { cardId: string }) =>
    'cardId' in scope
      ? (['card', scope.cardId, 'activity'] as const)
      : (['deck', scope.deckId, 'activity'] as const),
  activity: (scope: { deckId: string } | { cardId: string }, ministry: string) =>
    [...queryKeys.activityOf(scope), ministry] as const,
  card: (cardId: string) => ['card', cardId] as const,
  versions: (cardId: string) => ['card', cardId, 'versions'] as const,
  sinceVisit: (cardId: string) => ['card', cardId, 'since-visit'] as const,
  version: (cardId: string, versionId: string) => ['card', cardId, 'versions', versionId] as const,
  comparison: (cardId: string, fromId: string, toId: string | null) =>
    ['card', cardId, 'versions', fromId, 'compare', toId ?? 'now'] as const,
}
