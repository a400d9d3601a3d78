// Nơi chăm sóc thay thế / Carers (issue 28): where a person can be placed tonight — foster families,
// kin, shelters, residential centres, health facilities — with their free places, found by kind,
// commune and "has room now". Managers and administrators add and change them here with the forms
// the directory uses (made from domain/carers.ts). A carer's page lists its current placements
// whose case the reader may see.
import { html } from 'hono/html';
import type { Carer, CarerPlacement } from '../../domain/carers';
import { CARER_KINDS, CarerPatchSchema, NewCarerSchema } from '../../domain/carers';
import { CARER_FIELD_LABELS, CARER_KIND_LABELS } from '../../domain/labels';
import { daysLeft, PLACEMENT_KINDS, PLACEMENT_STATUSES } from '../../domain/placements';
import type { Bilingual } from '../../domain/stages';
import { recordForm, type Outcome } from './directory-page';
import { dateOnly } from './format';
import { placementBadge, type PlacedBrief } from './placement-bits';
import { consolePage, type View } from './view';

export const CARER_SCHEMAS = { resource: 'carers', create: NewCarerSchema, update: CarerPatchSchema };
const TITLE: Bilingual = { vi: 'Nơi chăm sóc thay thế', en: 'Carers' };
const label = (place: Array<string | number>) => CARER_FIELD_LABELS[String(place.at(-1))];

export interface CarerFilter {
  kind?: string;
  commune?: string;
  available?: boolean;
}

/** How full a carer is, in the words of a worker looking for a place. */
function places(v: View, c: Carer) {
  const free = Math.max(0, c.capacity - c.placesTaken);
  const state = !c.active
    ? { vi: 'ngừng nhận', en: 'inactive' }
    : c.approvedUntil !== null && !c.available && free > 0
      ? { vi: 'hết hạn công nhận', en: 'approval expired' }
      : free === 0
        ? { vi: 'hết chỗ', en: 'full' }
        : { vi: `còn ${free} chỗ`, en: `${free} place${free === 1 ? '' : 's'} free` };
  return html`<span class="badge ${c.available ? 'level-low' : 'level-high'}">${v.say(state)}</span> <span class="muted">${c.placesTaken}/${c.capacity}</span>`;
}

export function carersPage(
  v: View,
  o: { carers: Carer[]; filter: CarerFilter; canEdit: boolean; outcome?: Omit<Outcome, 'resource'> & { resource: string }; saved?: boolean },
) {
  const { say } = v;
  const edit = (carer?: Carer) =>
    o.canEdit
      ? recordForm(v, CARER_SCHEMAS, carer ? 'update' : 'create', {
          entry: carer && {
            id: carer.id,
            title: carer.name,
            detail: '',
            values: { ...carer, approvedUntil: carer.approvedUntil ?? undefined, trainedOn: carer.trainedOn ?? undefined, notes: carer.notes ?? undefined },
          },
          outcome: o.outcome,
          choices: {},
          action: '/app/carers',
          label,
        })
      : '';
  return consolePage(
    v,
    TITLE,
    html`<h1>${say(TITLE)}</h1>
      ${o.saved ? html`<p class="notice" role="status">${say({ vi: 'Đã lưu', en: 'Saved' })}</p>` : ''}
      <form method="get" action="/app/carers" class="filters">
        <label for="carers-kind">${say(CARER_FIELD_LABELS.kind!)}</label>
        <select id="carers-kind" name="kind">
          <option value="">${say({ vi: '— tất cả —', en: '— all —' })}</option>
          ${CARER_KINDS.map((k) => html`<option value="${k}" ${o.filter.kind === k ? 'selected' : ''}>${say(CARER_KIND_LABELS[k])}</option>`)}
        </select>
        <label for="carers-commune">${say(CARER_FIELD_LABELS.commune!)}</label>
        <input type="text" id="carers-commune" name="commune" maxlength="100" value="${o.filter.commune ?? ''}" />
        <label class="check" for="carers-available"
          ><input type="checkbox" id="carers-available" name="available" value="true" ${o.filter.available ? 'checked' : ''} />
          ${say({ vi: 'Chỉ nơi còn chỗ và còn hạn công nhận', en: 'Only those with a free place and a valid approval' })}</label
        >
        <button type="submit">${say({ vi: 'Tìm', en: 'Find' })}</button>
      </form>
      ${edit()}
      <h2>${say({ vi: 'Danh sách', en: 'List' })} (${o.carers.length})</h2>
      ${
        o.carers.length
          ? html`<ul class="items">
              ${o.carers.map(
                (c) =>
                  html`<li>
                    <a href="/app/carers/${c.id}"><strong>${c.name}</strong></a> · ${say(CARER_KIND_LABELS[c.kind])} · ${c.commune} ${places(v, c)} <br /><span
                      class="muted"
                      >${[
                        c.contact.phone,
                        c.approvedUntil && `${say({ vi: 'công nhận đến', en: 'approved until' })} ${dateOnly(`${c.approvedUntil}T00:00:00+07:00`)}`,
                      ]
                        .filter(Boolean)
                        .join(' · ')}</span
                    >
                    ${edit(c)}
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">${say({ vi: 'Không có nơi nào phù hợp', en: 'None found' })}</p>`
      }`,
  );
}

/** A carer's placement as the badge reads it: its kind, and a temporary separation's days left. */
function brief(p: CarerPlacement, now: Date): PlacedBrief | undefined {
  const kind = PLACEMENT_KINDS.find((k) => k === p.kind);
  const status = PLACEMENT_STATUSES.find((s) => s === p.status);
  return kind && status ? { kind, status, daysLeft: p.endsBy ? daysLeft(p.endsBy, now) : null } : undefined;
}

export function carerPage(v: View, c: Carer & { placements: CarerPlacement[] }, now = new Date()) {
  const { say } = v;
  const title: Bilingual = { vi: c.name, en: c.name };
  return consolePage(
    v,
    title,
    html`<h1>${c.name}</h1>
      <p>${say(CARER_KIND_LABELS[c.kind])} · ${c.commune} ${places(v, c)}</p>
      <dl>
        <dt>${say(CARER_FIELD_LABELS.contact!)}</dt>
        <dd>${[c.contact.phone, c.contact.email].filter(Boolean).join(' · ') || '—'}</dd>
        <dt>${say(CARER_FIELD_LABELS.approvedUntil!)}</dt>
        <dd>${c.approvedUntil ? dateOnly(`${c.approvedUntil}T00:00:00+07:00`) : '—'}</dd>
        <dt>${say(CARER_FIELD_LABELS.trainedOn!)}</dt>
        <dd>${c.trainedOn ? dateOnly(`${c.trainedOn}T00:00:00+07:00`) : '—'}</dd>
        <dt>${say(CARER_FIELD_LABELS.notes!)}</dt>
        <dd>${c.notes ?? '—'}</dd>
      </dl>
      <h2>${say({ vi: 'Đang chăm sóc', en: 'Current placements' })}</h2>
      ${
        c.placements.length
          ? html`<ul class="items">
              ${c.placements.map(
                (p) =>
                  html`<li>
                    <a href="/app/cases/${p.caseId}"><strong>${p.caseRef}</strong></a> ${placementBadge(v, brief(p, now))} · ${say({ vi: 'từ', en: 'since' })}
                    ${dateOnly(p.startsAt)} ${p.endsBy ? html` · ${say({ vi: 'hạn', en: 'ends by' })} ${dateOnly(p.endsBy)}` : ''}
                  </li>`,
              )}
            </ul>`
          : html`<p class="muted">${say({ vi: 'Không có trường hợp nào bạn được xem', en: 'None you may see' })}</p>`
      }
      <p><a href="/app/carers">${say({ vi: 'Về danh sách', en: 'Back to the list' })}</a></p>`,
  );
}
