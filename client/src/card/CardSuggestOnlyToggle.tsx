import type { Card, Deck } from '@kartu/protocol'
import { SuggestOnlySwitch } from '../app/SuggestOnlySwitch.tsx'
import { useUpdateCard } from '../app/useUpdateCard.ts'

type Props = {
  card: Card
  deck: Deck
  /** On for the card as the connection last reported it (newer than the page's copies). */
  on: boolean
}

/** The chair's "everyone suggests" for this card, beside the card's lock. */
export function CardSuggestOnlyToggle({ card, deck, on }: Props) {
  const update = useUpdateCard(card.id)
  return (
    <SuggestOnlySwitch
      on={on}
      scope="card"
      heldByDeck={deck.suggestOnly}
      pending={update.isPending}
      error={update.error ? update.error.message : null}
      onChange={(next) => update.mutate({ suggestOnly: next })}
      testId="suggest-only-card"
    />
  )
}
