import { describe, expect, it } from 'vitest'
import { gatewayDownIsOffline } from './gatewayDown.ts'

const request = new Request('https://kartu.example/api/me')
// Workbox hands each callback the fetch event; these callbacks do not read it.
const event = new Event('fetch') as ExtendableEvent

describe('gatewayDownIsOffline', () => {
  it('fails the fetch on 502-504, so that the cached answer is served', async () => {
    for (const status of [502, 503, 504]) {
      // Workbox gives each plugin one state object per request.
      const state = {}
      const response = new Response('proxy error', { status })
      await expect(
        gatewayDownIsOffline.fetchDidSucceed?.({ request, response, event, state }),
      ).rejects.toThrow(String(status))
      // Nothing cached: the proxy's answer is what the page gets.
      const error = new Error('no-response')
      expect(await gatewayDownIsOffline.handlerDidError?.({ request, event, error, state })).toBe(
        response,
      )
    }
  })

  it('passes every other answer on, the server’s own errors included', async () => {
    for (const status of [200, 401, 404, 500]) {
      const state = {}
      const response = new Response(null, { status })
      expect(
        await gatewayDownIsOffline.fetchDidSucceed?.({ request, response, event, state }),
      ).toBe(response)
      const error = new Error('offline')
      expect(
        await gatewayDownIsOffline.handlerDidError?.({ request, event, error, state }),
      ).toBeUndefined()
    }
  })
})
