// /app/directory, for administrators: the province's staff, units, partners and integration tokens,
// each listed with a form to change it and one to add another. The forms are made from the API's
// own request schemas (api/routes/staff.ts, units.ts, tokens.ts, domain/partners.ts) and posted to
// its routes, so the directory has one set of rules.
import { html } from 'hono/html';
import type { z } from '../../domain/zod';
import { DIRECTORY_FIELD_LABELS, NESTED_FIELD_LABELS } from '../../domain/labels';
import type { Bilingual } from '../../domain/stages';
import type { ApiError } from './api-call';
import type { Choices } from './choices';
import { fields, shapeOf } from './schema-form';
import { consolePage, csrfField, refusalOf, type View } from './view';

export type Resource = 'staff' | 'units' | 'partners' | 'tokens';

/** A directory record as the page lists it: its id, a line of words, and what its change form starts from. */
export interface Entry {
  id: string;
  title: string;
  detail: string;
  inactive?: boolean;
  values?: Record<string, unknown>;
}

export interface Section {
  resource: Resource;
  title: Bilingual;
  entries: Entry[];
  create: z.ZodType;
  /** Changes an entry (PATCH); tokens are revoked instead. */
  update?: z.ZodType;
  revoke?: boolean;
}

/** What the last post did: done, refused (with its form open again), or a token to show once. */
export interface Outcome {
  resource: Resource;
  op: 'create' | 'update' | 'revoke';
  id?: string;
  refused?: { error: ApiError; values: unknown };
  issuedToken?: { name: string; token: string };
}

const directoryLabel = (place: Array<string | number>) => DIRECTORY_FIELD_LABELS[String(place.at(-1))] ?? NESTED_FIELD_LABELS[String(place.at(-1))];

/**
 * The form that adds a record or changes one, posted to `action` (the directory's page, or another
 * page that keeps records the same way: the carers' register).
 */
export function recordForm(
  v: View,
  s: { resource: string; create: z.ZodType; update?: z.ZodType },
  op: 'create' | 'update',
  o: {
    entry?: Entry;
    outcome?: Omit<Outcome, 'resource'> & { resource: string };
    choices: Choices;
    action?: string;
    label?: (place: Array<string | number>) => Bilingual | undefined;
  },
) {
  const label = o.label ?? directoryLabel;
  const { say } = v;
  const schema = op === 'create' ? s.create : s.update!;
  const mine = o.outcome && o.outcome.resource === s.resource && o.outcome.op === op && o.outcome.id === o.entry?.id ? o.outcome : undefined;
  const refusal = mine?.refused && refusalOf(mine.refused.error);
  const prefix = `${s.resource}-${op}-${o.entry?.id ?? 'new'}`;
  const words: Bilingual = op === 'create' ? { vi: 'Thêm mới', en: 'Add' } : { vi: 'Sửa', en: 'Change' };
  return html`<details id="${prefix}" ${refusal ? 'open' : ''}>
    <summary>${say(words)}${o.entry ? html` · ${o.entry.title}` : ''}</summary>
    ${refusal?.alert ?? ''}
    <form method="post" action="${o.action ?? '/app/directory'}">
      ${csrfField(v)}
      <input type="hidden" name="resource" value="${s.resource}" />
      <input type="hidden" name="op" value="${op}" />
      ${o.entry ? html`<input type="hidden" name="id" value="${o.entry.id}" />` : ''}
      ${fields(shapeOf(schema), { say, prefix, label, values: mine?.refused?.values ?? o.entry?.values, errors: refusal?.errors, choices: o.choices })}
      <button type="submit" class="primary">${say(words)}</button>
    </form>
  </details>`;
}

export function directoryPage(v: View, sections: Section[], choices: Choices, o: { outcome?: Outcome; saved?: boolean } = {}) {
  const { say } = v;
  const { outcome } = o;
  const title: Bilingual = { vi: 'Danh bạ', en: 'Directory' };
  return consolePage(
    v,
    title,
    html`<h1>${say(title)}</h1>
      ${o.saved ? html`<p class="notice" role="status">${say({ vi: 'Đã lưu', en: 'Saved' })}</p>` : ''}
      ${
        outcome?.issuedToken
          ? html`<div class="notice" role="status">
              <p>
                ${say({ vi: 'Mã truy cập cho', en: 'The token for' })} <strong>${outcome.issuedToken.name}</strong>
                ${say({ vi: '— chỉ hiện một lần, hãy chép ngay:', en: '— shown only now, copy it:' })}
              </p>
              <p><code>${outcome.issuedToken.token}</code></p>
            </div>`
          : ''
      }
      ${sections.map(
        (s) =>
          html`<h2 id="${s.resource}">${say(s.title)} (${s.entries.length})</h2>
            ${recordForm(v, s, 'create', { outcome, choices })}
            <ul class="items">
              ${s.entries.map(
                (e) =>
                  html`<li>
                    <strong>${e.title}</strong>${e.inactive ? html` <span class="badge">${say({ vi: 'ngừng', en: 'inactive' })}</span>` : ''}<br />
                    <span class="muted">${e.detail}</span>
                    ${s.update ? recordForm(v, s, 'update', { entry: e, outcome, choices }) : ''}
                    ${
                      s.revoke && !e.inactive
                        ? html`<form method="post" action="/app/directory">
                            ${csrfField(v)}<input type="hidden" name="resource" value="${s.resource}" /><input type="hidden" name="op" value="revoke" />
                            <input type="hidden" name="id" value="${e.id}" />
                            <button type="submit" class="decline">${say({ vi: 'Thu hồi', en: 'Revoke' })} · ${e.title}</button>
                          </form>`
                        : ''
                    }
                  </li>`,
              )}
            </ul>`,
      )}`,
  );
}
