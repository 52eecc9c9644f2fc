/**
 * After a navigation the user asked for (Launch), keyboard and screen-reader focus goes to the new
 * screen's heading — otherwise it stays on the button that no longer exists and falls back to the
 * top of the document. A screen that loads first (run detail) shows its heading a moment later, so
 * this waits for it, up to `timeoutMs`, and then settles for the main region.
 */
export async function focusHeading(timeoutMs = 3000): Promise<Element | null> {
  const main = document.getElementById('main-content')
  if (!main) return null
  const heading = await new Promise<HTMLElement | null>((resolve) => {
    const found = () => main.querySelector<HTMLElement>('h1')
    if (found()) return resolve(found())
    const observer = new MutationObserver(() => {
      if (!found()) return
      observer.disconnect()
      clearTimeout(timer)
      resolve(found())
    })
    const timer = setTimeout(() => {
      observer.disconnect()
      resolve(null)
    }, timeoutMs)
    observer.observe(main, { childList: true, subtree: true })
  })
  const target = heading ?? main
  // A heading is not focusable by itself; -1 makes it focusable by script only, not a Tab stop.
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1')
  target.focus()
  return target
}
