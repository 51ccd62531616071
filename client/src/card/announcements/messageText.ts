/** The words of an activity message, in the person's language: "Rina (KP2MI) bergabung". */
import type { TFunction } from 'i18next'
import type { ActivityMessage } from './activity.ts'

export function messageText(message: ActivityMessage, t: TFunction, language: string): string {
  const names = message.people.map((person) =>
    t('announce.person', { name: person.name, ministry: person.ministry }),
  )
  const people = new Intl.ListFormat(language, { style: 'long', type: 'conjunction' }).format(names)
  return t(`announce.${message.kind}`, { people, count: names.length })
}
