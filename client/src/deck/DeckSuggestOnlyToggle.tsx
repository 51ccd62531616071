import type { Deck } from '@kartu/protocol'
import { SuggestOnlySwitch } from '../app/SuggestOnlySwitch.tsx'
import { useUpdateDeck } from '../app/useUpdateDeck.ts'

/** The chair's "everyone suggests" for every card of the deck, on the dashboard. */
export function DeckSuggestOnlyToggle({ deck }: { deck: Deck }) {
  const update = useUpdateDeck(deck.id)
  return (
    <SuggestOnlySwitch
      on={deck.suggestOnly}
      scope="deck"
      pending={update.isPending}
      error={update.error ? update.error.message : null}
      onChange={(next) => update.mutate({ suggestOnly: next })}
      testId="suggest-only-deck"
    />
  )
}
