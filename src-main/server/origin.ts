/**
 * Which names the server answers to. Serve mode listens on 127.0.0.1 only, but a page on any
 * origin can still make the browser talk to it: through another port of 127.0.0.1 (a WebSocket
 * carries that page's Origin) or through DNS rebinding (a hostile name resolving to 127.0.0.1,
 * which shows in the Host header). So both are compared exactly: scheme, host and port.
 */

/** The Host values that name this server: 127.0.0.1, localhost or [::1] with its own port. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false
  const name = host.toLowerCase()
  return name === `127.0.0.1:${port}` || name === `localhost:${port}` || name === `[::1]:${port}`
}

/**
 * The Origin of a page allowed to open the lab's WebSocket: exactly the origin the app was served
 * from, `http://` plus the (already checked) Host. A missing Origin is a non-browser client (the
 * CLI, tests), which holds the token itself; browsers always send one.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, port: number): boolean {
  if (origin === undefined) return true
  if (!hostAllowed(host, port)) return false
  return origin.toLowerCase() === `http://${host!.toLowerCase()}`
}
