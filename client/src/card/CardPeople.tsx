import type { PresenceUser } from '@kartu/protocol'
import { useTranslation } from 'react-i18next'
import { PresenceBadge } from '../app/PresenceBadge.tsx'
import { AnnounceToggle } from './announcements/AnnounceToggle.tsx'

/** Who else has this card open now, and the switch for announcing their comings and goings. */
export function CardPeople({ people }: { people: readonly PresenceUser[] }) {
  const { t } = useTranslation()
  return (
    <section className="card-people" aria-labelledby="card-people-heading">
      <div className="card-people__head">
        <h2 id="card-people-heading" className="card-people__title">
          {t('presence.others')}
        </h2>
        <AnnounceToggle />
      </div>
      {people.length === 0 ? (
        <p className="card-people__empty">{t('presence.alone')}</p>
      ) : (
        <ul className="card-people__list" data-testid="card-people">
          {people.map((person) => (
            <li key={person.id}>
              <PresenceBadge user={person} showMinistry />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
