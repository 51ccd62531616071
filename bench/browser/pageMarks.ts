/**
 * The moments the client scenario measures, taken inside the page (its own clock, so that the
 * harness's polling adds nothing): a MutationObserver notes the first time each state holds, and a
 * capturing click listener notes the clicks that start the next step. A string: the bench's
 * tsconfig has no DOM library. Init scripts run through the DevTools protocol, which the page's
 * Content-Security-Policy does not govern.
 */

/** Epoch milliseconds (performance.timeOrigin + the page's clock), each set once. */
export type PageMarks = {
  /** Navigation start of the document (the app keeps one document from sign-in to the card). */
  navigationStart: number
  /** The sign-in form's email field and submit button are there and enabled. */
  signInUsable?: number
  submitClick?: number
  /** The first card row of the dashboard is laid out. */
  dashboardListed?: number
  cardClick?: number
  /** The answer's ProseMirror is contenteditable and the save status says "saved" (synced). */
  cardEditable?: number
  /** Others' changes since the last visit are highlighted in the answer. */
  sinceVisitShown?: number
}

export const MARKS_GLOBAL = '__kartuBenchMarks'

export const MARKS_SCRIPT = `(() => {
  const marks = { navigationStart: performance.timeOrigin }
  Object.defineProperty(window, ${JSON.stringify(MARKS_GLOBAL)}, { value: marks })
  const now = () => performance.timeOrigin + performance.now()
  const enabled = (selector) => {
    const element = document.querySelector(selector)
    return element !== null && !element.disabled
  }
  const laidOut = (selector) => {
    const element = document.querySelector(selector)
    return element !== null && element.getClientRects().length > 0
  }
  const check = () => {
    if (marks.signInUsable === undefined && enabled('[data-testid="signin-email"]') &&
        enabled('[data-testid="signin-submit"]')) marks.signInUsable = now()
    if (marks.dashboardListed === undefined && laidOut('[data-testid="card-row"]')) {
      marks.dashboardListed = now()
    }
    if (marks.cardEditable === undefined &&
        document.querySelector('[data-testid="answer-editor"] .ProseMirror[contenteditable="true"]') &&
        document.querySelector('[data-testid="save-status"][data-state="saved"]')) {
      marks.cardEditable = now()
    }
    if (marks.sinceVisitShown === undefined &&
        document.querySelector('[data-testid="answer-editor"] .since-visit')) {
      marks.sinceVisitShown = now()
    }
  }
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['contenteditable', 'data-state', 'disabled'],
  })
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null
    if (target === null) return
    // The input event's own time: a busy main thread delays the listener, not the person.
    const at = performance.timeOrigin + event.timeStamp
    if (target.closest('[data-testid="signin-submit"]')) marks.submitClick = at
    if (target.closest('[data-testid="card-row"] a')) marks.cardClick = at
  }, true)
})()`

/**
 * Runs in the page (page.evaluate, waitForFunction): the marks so far. Self-contained, since
 * Playwright sends its source; the global is passed in.
 */
export function readMarks(name: string): PageMarks | undefined {
  return (globalThis as unknown as Record<string, PageMarks | undefined>)[name]
}
