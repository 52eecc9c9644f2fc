/**
 * The Content-Security-Policy of every renderer page, in the desktop app and in serve mode:
 * only our own scripts, no eval, no remote content; images may be data:/blob: (previews, charts).
 * The renderer's index.html carries the same policy in a meta tag (see test/unit/security).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')
