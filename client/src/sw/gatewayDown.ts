/**
 * A Workbox plugin for the network-first routes: a proxy in front of a server that is down
 * answers 502-504, which is as good as offline, so the cached answer is served instead. Workbox's
 * NetworkFirst falls back to its cache only when the fetch fails; this plugin makes such an
 * answer fail the fetch, and gives it back when there is no cached answer to serve.
 */
import type { WorkboxPlugin } from 'workbox-core/types'

export const isGatewayDown = (response: Response): boolean =>
  response.status >= 502 && response.status <= 504

/** Thrown in place of a gateway's answer, so that NetworkFirst tries its cache. */
class GatewayDown extends Error {}

export const gatewayDownIsOffline: WorkboxPlugin = {
  async fetchDidSucceed({ response, state }) {
    if (!isGatewayDown(response)) return response
    // Kept for handlerDidError: the state object is this plugin's, for this one request.
    if (state) state.gatewayAnswer = response
    throw new GatewayDown(`the gateway answered ${response.status}`)
  },
  // Nothing cached either: the person sees what the proxy said rather than a network error.
  async handlerDidError({ state }) {
    const answer: unknown = state?.gatewayAnswer
    return answer instanceof Response ? answer : undefined
  },
}
