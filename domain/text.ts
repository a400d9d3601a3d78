// What text the product accepts, once. PostgreSQL cannot hold NUL in text or jsonb, and half of a
// UTF-16 pair is no text at all: one NUL in a summary once wedged a case for good. Everything else
// is kept as typed, in Unicode NFC, so Vietnamese typed on different keyboards (precomposed "ộ" or
// "o" + two combining marks) compares, searches and sorts as the same word.
import { z } from './zod';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** NUL, or half of a UTF-16 pair. */
export function unsafeText(s: string): boolean {
  return s.includes('\u0000') || LONE_SURROGATE.test(s);
}

/** The text with what the database refuses replaced by U+FFFD, for the record of a refused request. */
export function printable(s: string, max = 200): string {
  return s.replace(new RegExp(`\u0000|${LONE_SURROGATE.source}`, 'g'), '\uFFFD').slice(0, max);
}
