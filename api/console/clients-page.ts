// /app/clients: find a person by name (accents and case folded), phone or birth year; and a
// client's page, listing every case of theirs the reader may see.
import { html } from 'hono/html';
import type { Case, CaseStatus } from '../../domain/case';
import type { Bilingual } from '../../domain/stages';
import type { ApiError } from './api-call';
import { caseItem } from './case-bits';
import { dateOnly } from './format';
import type { ClientMatch } from './intake-page';
import { clientProgrammes, type ClientProgramme } from './programmes-page';
import { consolePage, refusalOf, type View } from './view';

const TITLE: Bilingual = { vi: 'Tìm người được trợ giúp', en: 'Find a client' };

export function clientsPage(v: View, o: { query: { name?: string; phone?: string; birthYear?: string }; found?: ClientMatch[]; refused?: ApiError }) {
  const { say } = v;
  const q = o.query;
  return consolePage(
    v,
    TITLE,
    html`<h1>${say(TITLE)}</h1>
      <form method="get" action="/app/clients" role="search">
        <label for="q-name">${say({ vi: 'Họ tên (có dấu hoặc không)', en: 'Name (with or without accents)' })}</label>
        <input type="search" id="q-name" name="name" value="${q.name ?? ''}" autocomplete="off" />
        <label for="q-phone">${say({ vi: 'Điện thoại', en: 'Phone' })}</label>
        <input type="tel" id="q-phone" name="phone" value="${q.phone ?? ''}" />
        <label for="q-year">${say({ vi: 'Năm sinh', en: 'Birth year' })}</label>
        <input type="number" inputmode="numeric" id="q-year" name="birthYear" min="1900" max="2100" value="${q.birthYear ?? ''}" />
        <button type="submit" class="primary">${say({ vi: 'Tìm', en: 'Search' })}</button>
      </form>
      ${o.refused ? refusalOf(o.refused).alert : ''}
      ${
        o.found
          ? html`<h2>${say({ vi: 'Kết quả', en: 'Results' })} (${o.found.length})</h2>
              ${
                o.found.length
                  ? html`<ul class="items">
                      ${o.found.map(
                        (m) =>
                          html`<li>
                            <a href="/app/clients/${m.id}"><strong>${m.fullName}</strong></a>
                            ${m.birthYear ? html` · ${m.birthYear}` : ''}${m.commune ? html` · ${m.commune}` : ''}${m.phone ? html` · ${m.phone}` : ''}<br />
                            <span class="muted">${m.cases} ${say({ vi: 'trường hợp, gần nhất', en: 'case(s), latest' })} ${dateOnly(m.lastCaseAt)}</span>
                          </li>`,
                      )}
                    </ul>`
                  : html`<p class="muted">${say({ vi: 'Không tìm thấy ai', en: 'Nobody found' })}</p>`
              }`
          : ''
      }`,
  );
}

export function clientPage(
  v: View,
  client: ClientMatch & { district: string | null },
  cases: Array<Case | CaseStatus>,
  holidays: ReadonlySet<string>,
  now: Date,
  programmes?: ClientProgramme[],
) {
  const { say } = v;
  const title: Bilingual = { vi: client.fullName, en: client.fullName };
  return consolePage(
    v,
    title,
    html`<h1>${client.fullName}</h1>
      <dl>
        <dt>${say({ vi: 'Năm sinh', en: 'Birth year' })}</dt>
        <dd>${client.birthYear ?? '—'}</dd>
        <dt>${say({ vi: 'Điện thoại', en: 'Phone' })}</dt>
        <dd>${client.phone ?? '—'}</dd>
        <dt>${say({ vi: 'Nơi ở', en: 'Address' })}</dt>
        <dd>${[client.commune, client.district].filter(Boolean).join(', ') || '—'}</dd>
      </dl>
      <h2>${say({ vi: 'Các trường hợp', en: 'Cases' })} (${cases.length})</h2>
      <ul class="items">
        ${cases.map((c) => caseItem(v, c, holidays, now))}
      </ul>
      ${programmes ? clientProgrammes(v, programmes) : ''}
      <p><a href="/app/intake">${say({ vi: 'Báo cáo mới', en: 'New report' })}</a></p>`,
  );
}

export function clientMissing(v: View) {
  const title: Bilingual = { vi: 'Không tìm thấy người này', en: 'Client not found' };
  return consolePage(
    v,
    title,
    html`<h1>${v.say(title)}</h1>
      <p>
        ${v.say({ vi: 'Không có, hoặc không có trường hợp nào của người này trong phạm vi bạn được xem.', en: 'Nobody, or none of their cases is yours to see.' })}
      </p>`,
  );
}
