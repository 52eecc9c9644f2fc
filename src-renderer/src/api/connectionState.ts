/**
 * Whether the window can reach the lab service right now. The desktop bridge is always `open`;
 * the WebSocket of serve mode moves through the other states when the service goes away.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed'

export type ConnectionListener = (state: ConnectionState) => void
