/**
 * Whether the card page announces other people’s activity (ActivityAnnouncer.tsx): on unless the
 * person turned it off, remembered in this browser and the same in all its tabs.
 */
import { browserSetting } from '../../app/browserSetting.ts'

const setting = browserSetting('kartu:announce-activity')

export const announcesActivity = setting.get
export const setAnnouncesActivity = setting.set
export const useAnnouncesActivity = setting.use
