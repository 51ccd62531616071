import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { it } from 'vitest'
import { launchBrowser } from './helpers/browser.ts'
import { seed } from './helpers/seed.ts'
import { startServer } from './helpers/serverProcess.ts'

const clientDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist')
it('dump', async () => {
  const seeded = await seed()
  const server = await startServer(seeded.dataDir, { KARTU_CLIENT_DIR: clientDist })
  const browser = await launchBrowser()
  const page = await (await browser.newContext()).newPage()
  await page.goto(`${server.httpUrl}/`)
  const u = seeded.users.kp2mi!
  await page.getByTestId('signin-email').fill(u.email)
  await page.getByTestId('signin-password').fill(u.password)
  await page.getByTestId('signin-submit').click()
  await page.getByTestId('card-row').first().waitFor()
  await page.goto(`${server.httpUrl}/cards/${seeded.cardIds[0]}`)
  await page.locator('.ProseMirror').first().waitFor()
  await page.waitForTimeout(2000)
  await page.getByTestId('mode-switch').click()
  await page.waitForTimeout(1000)
  console.log('mode', await page.getByTestId('mode-switch').getAttribute('data-mode'))
  const para = page
    .locator('.ProseMirror')
    .first()
    .locator('p', { hasText: 'Kerangka hukum kami berubah secara mendasar sejak 2017.' })
  console.log('count', await para.count())
  console.log(
    await page.locator('.ProseMirror').count(),
    (await page.locator('.ProseMirror').first().innerHTML()).slice(0, 3000),
  )
  await page.screenshot({ path: '/tmp/dbg/card.png', fullPage: true })
  await browser.close()
  await server.stop()
})
