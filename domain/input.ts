// What input the product accepts, stated once and shown in the OpenAPI document, so a client
// learns the bounds from the schema instead of from a refusal.
//
// Text: PostgreSQL cannot hold NUL in text or jsonb, and half of a UTF-16 pair is no text at all
// (one NUL in a summary once wedged a case for good). What is accepted is kept as typed, in Unicode
// NFC, so Vietnamese typed on different keyboards (precomposed "ộ", or "o" with two combining
// marks) compares, searches and sorts as the same word.
//
// Numbers and instants: no larger than the database's columns (integer, bigint, timestamptz).
import type { Bilingual } from './stages';
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

// The characters String.prototype.trim() removes, spelt out so the pattern means the same to
// every regular-expression engine that reads the OpenAPI document (JavaScript's and Python's \s differ).
const SPACE = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
/** Something besides spaces, and no NUL. */
const WORDS = new RegExp(`^[${SPACE}]*[^${SPACE}\\u0000][^\\u0000]*$`);
/** No NUL; may be empty or spaces (passwords, names given as typed). */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this pattern keeps out
const NO_NUL = /^[^\u0000]*$/;

/** What a refused pattern means, keyed as zod names it in an issue (its own message would print the pattern). */
export const PATTERN_MEANINGS: ReadonlyMap<string, Bilingual> = new Map([
  [String(WORDS), { vi: 'cần có chữ (không chỉ khoảng trắng) và không có ký tự NUL', en: 'needs some text besides spaces, and no NUL character' }],
  [String(NO_NUL), { vi: 'không được có ký tự NUL', en: 'must not contain a NUL character' }],
]);

/** Free text a person writes: at most `max` characters as sent, not blank; kept trimmed and in NFC. */
export const text = (max: number) => z.string().max(max).regex(WORDS).trim().normalize('NFC');

/** Text taken exactly as sent (a password, a login name): no NUL, nothing else changed. */
export const exact = (min: number, max: number) => z.string().min(min).max(max).regex(NO_NUL);

/** PostgreSQL's `integer`. */
export const INT4_MAX = 2_147_483_647;

/** A policy version number in a body. */
export const versionNumber = () => z.int().min(1).max(INT4_MAX);
/** A policy version number in a path or a query, where it arrives as text. */
export const versionText = () => z.coerce.number().int().min(1).max(INT4_MAX);

/** A position in a `bigint` sequence (the audit trail's seq), as decimal text: 18 digits always fit. */
export const sequenceText = () => z.string().regex(/^[0-9]{1,18}$/, 'a seq from a previous page');

const YEAR_ONE_OR_LATER = { error: 'the year must be 0001 or later' };
/** An instant with its offset, from the year 1 on: PostgreSQL's timestamptz has no year 0. */
export const instant = () =>
  z.iso
    .datetime({ offset: true })
    .refine((s) => !s.startsWith('0000'), YEAR_ONE_OR_LATER)
    .describe('RFC 3339 date-time with offset, year 0001–9999');

/** A calendar day, from the year 1 on. */
export const calendarDay = () =>
  z.iso
    .date()
    .refine((s) => !s.startsWith('0000'), YEAR_ONE_OR_LATER)
    .describe('YYYY-MM-DD, year 0001–9999');

/** An e-mail address, said as a pattern: the checkers of format "email" disagree on what one is. */
export const emailAddress = () =>
  z
    .string()
    .max(254)
    .regex(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'an e-mail address such as ctxh@benhvien.vn');

/** A phone number: 3 digits or more (113 is one), spaces, ( ) . - and an optional leading +. */
export const phoneNumber = () =>
  z.string().regex(/^\+?[0-9][0-9 ().-]{2,24}$/, 'a phone number (3 digits or more: 113 is one): digits, spaces, ( ) . - and an optional leading +');

/**
 * A rule of our own (a refine), said in both languages: zod keeps the English as the issue's message
 * and the words in its params; the API answers in the language of the request (api/errors.ts).
 */
export const said = (words: Bilingual) => ({ message: words.en, params: { words } });

/** The words of a rule said with `said`, if the issue is one. */
export function saidWords(issue: { code: string; params?: unknown }): Bilingual | undefined {
  const words = (issue.params as { words?: Bilingual } | undefined)?.words;
  return issue.code === 'custom' && typeof words?.vi === 'string' && typeof words.en === 'string' ? words : undefined;
}
