// The headers every answer carries (issue 32): what keeps a page of ours from being turned against
// the person reading it, even if some text slipped through unescaped.
//
// - Content-Security-Policy: scripts only from our own files (no inline script, no eval), so text
//   a person wrote can never run as code; no plugins; no <base> to re-point relative links; forms
//   post only to us; and no other site may frame a page (clickjacking a "publish" button). No page
//   needs an inline script — each lives in a file (console.js, offline.js, partner.js) — so there
//   is no nonce. Styles keep 'unsafe-inline': the pages carry their own <style> and the server-drawn
//   ECharts SVG sets `style` attributes; a style cannot run code.
// - Referrer-Policy: no-referrer. A partner's link carries its credential in the path (/r/{token}):
//   no request from any page may carry it elsewhere in a Referer, not even to us.
// - X-Frame-Options: DENY, frame-ancestors' older word for browsers that predate it.
// - X-Content-Type-Options: nosniff, so an answer is only ever what its Content-Type says.
// Set on every answer, JSON and files included: harmless there, and no page can be forgotten.
import { secureHeaders } from 'hono/secure-headers';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
};

/** The header as browsers read it, for the tests that check every page carries it. */
export const CSP_HEADER = Object.entries(CONTENT_SECURITY_POLICY)
  .map(([directive, sources]) => `${directive.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} ${sources.join(' ')}`)
  .join('; ');

export const securityHeaders = () =>
  secureHeaders({
    contentSecurityPolicy: CONTENT_SECURITY_POLICY,
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
  });
