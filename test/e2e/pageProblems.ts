/**
 * Collects what a user would never want to happen in a page: uncaught errors, console errors and
 * Content-Security-Policy violations (caught ones too, e.g. a library probing for eval).
 * Call before the first navigation; `problems()` gives the list at the end of the test.
 */
import type { Page } from '@playwright/test'

export async function watchPageProblems(page: Page, allowed: RegExp[] = []): Promise<{ problems(): Promise<string[]> }> {
  const seen: string[] = []
  page.on('pageerror', (error) => seen.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') seen.push(`console error: ${message.text()}`)
  })
  await page.addInitScript(() => {
    // Runs in the page; the Node project these tests compile in has no DOM types, hence the casts.
    const page = globalThis as unknown as {
      __cspViolations: string[]
      addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void
    }
    const log: string[] = (page.__cspViolations = [])
    page.addEventListener('securitypolicyviolation', (e) => log.push(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`))
  })
  return {
    async problems() {
      const csp = await page.evaluate(() => (globalThis as unknown as { __cspViolations?: string[] }).__cspViolations ?? [])
      return [...seen, ...csp].filter((text) => !allowed.some((pattern) => pattern.test(text)))
    }
  }
}
