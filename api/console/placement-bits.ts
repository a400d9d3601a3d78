// Nơi chăm sóc thay thế / where the person sleeps tonight (issue 28), as the console shows it: the
// words of a placement's limit (said here once, for the case page, the case lists, the escalations
// board and the carers' pages), its badge, the carers a worker may pick (available ones, those of
// the case's commune first), and the case page's placement section with the catalogue's forms.
import { html } from 'hono/html';
import { normaliseArea } from '../../db/directory';
import type { Case } from '../../domain/case';
import type { Carer } from '../../domain/carers';
import { CARER_KIND_LABELS } from '../../domain/labels';
import type { PlacementView } from '../../domain/placement-view';
import { PLACEMENT_KIND_LABELS, PLACEMENT_OUTCOME_LABELS, PLACEMENT_STATUS_LABELS, type PlacementKind, type PlacementStatus } from '../../domain/placements';
import type { Bilingual } from '../../domain/stages';
import { vietnamDay } from '../../domain/vietnam-time';
import { actionForm, type Offer, type Refused } from './action-form';
import type { Choices } from './choices';
import { dateOnly, dateTime, type Say } from './format';
import type { View } from './view';

/** Days before a temporary separation's limit when it turns amber, for one with no warning time: the shipped policy's (P2D). */
export const PLACEMENT_WARNING_DAYS = 2;

/** A placement's kind in a few words, for a badge in a list on a phone. */
const KIND_SHORT: Record<PlacementKind, Bilingual> = {
  temporary_separation: { vi: 'Tạm thời cách ly', en: 'Temporary separation' },
  foster_care: { vi: 'Gia đình nhận chăm sóc', en: 'Foster care' },
  residential_care: { vi: 'Cơ sở trợ giúp xã hội', en: 'Residential care' },
  kinship_care: { vi: 'Người thân chăm sóc', en: 'Kinship care' },
  shelter_stay: { vi: 'Nhà tạm lánh', en: 'Shelter stay' },
};

/** What the console needs of a placement to say its limit: `placedNow` of any case is one. */
export interface PlacedBrief {
  kind: PlacementKind;
  status: PlacementStatus;
  daysLeft: number | null;
  /** When the policy in force warns of the limit: amber from then on. */
  warningAt?: string | null;
}

export type PlacementTone = 'overdue' | 'warning' | 'ok';

/**
 * A temporary separation's limit in words (P1): "còn 5 ngày", "hết hạn hôm nay", "quá hạn 2 ngày";
 * red once past it (overdue, or the days left below zero), amber within the warning. Other kinds
 * have no legal limit: nothing to say.
 */
export function placementTerm(p: PlacedBrief, now: Date = new Date()): { tone: PlacementTone; words: Bilingual } | undefined {
  if (p.status === 'ended') return undefined;
  const days = p.daysLeft;
  if (p.status === 'overdue' || (days !== null && days < 0)) {
    const past = days !== null && days < 0 ? -days : 0;
    return {
      tone: 'overdue',
      words:
        past > 0
          ? { vi: `quá hạn ${past} ngày`, en: `${past} day${past === 1 ? '' : 's'} past its limit` }
          : { vi: 'quá hạn từ hôm nay', en: 'past its limit today' },
    };
  }
  if (p.kind !== 'temporary_separation' || days === null) return undefined;
  const warned = p.warningAt ? now.getTime() >= Date.parse(p.warningAt) : days <= PLACEMENT_WARNING_DAYS;
  const tone: PlacementTone = warned ? 'warning' : 'ok';
  if (days === 0) return { tone, words: { vi: 'hết hạn hôm nay', en: 'ends today' } };
  return { tone, words: { vi: `còn ${days} ngày`, en: `${days} day${days === 1 ? '' : 's'} left` } };
}

const TONE_CLASS: Record<PlacementTone, string> = { overdue: 'level-high', warning: 'level-medium', ok: '' };

/** The badge of a placed case in any list: its kind, and a temporary separation's days left or past. */
export function placementBadge(v: View, p: PlacedBrief | null | undefined) {
  if (!p || p.status === 'ended') return '';
  const term = placementTerm(p);
  const words = [v.say(KIND_SHORT[p.kind]), term && v.say(term.words)].filter(Boolean).join(' · ');
  return html`<span class="badge placed ${term ? TONE_CLASS[term.tone] : ''}" data-placement="${term?.tone ?? 'ok'}">${words}</span>`;
}

/**
 * The carers a worker may pick for this case: available ones only (active, approved, a free place),
 * those of the case's commune (or district), however written, first; then the province's others.
 * Each says its kind, commune and free places. The current carer is no choice for a move.
 */
export function carerChoices(carers: Carer[], subject: Pick<Case, 'intake'>, say: Say, except?: string): Choices[string] {
  const location = subject.intake?.client.location;
  const home = new Set([location?.commune, location?.district].filter((a): a is string => !!a).map(normaliseArea));
  const offered = carers.filter((r) => r.available && r.id !== except);
  const near = offered.filter((r) => home.has(normaliseArea(r.commune)));
  const far = offered.filter((r) => !home.has(normaliseArea(r.commune)));
  const choice = (group: string) => (r: Carer) => {
    const free = Math.max(0, r.capacity - r.placesTaken);
    const room = say({ vi: `còn ${free} chỗ`, en: `${free} place${free === 1 ? '' : 's'} free` });
    return { value: r.id, label: `${r.name} · ${say(CARER_KIND_LABELS[r.kind])} · ${r.commune} · ${room}`, group };
  };
  const area = location?.commune ?? location?.district;
  return [
    ...near.map(choice(say({ vi: `Cùng địa bàn${area ? ` (${area})` : ''}`, en: `Near the person${area ? ` (${area})` : ''}` }))),
    ...far.map(choice(say({ vi: 'Nơi khác trong tỉnh', en: 'Elsewhere in the province' }))),
  ];
}

/** What a placement form starts with: now, today in Vietnam. */
function defaults(o: Offer, now: Date): Offer {
  if (o.values !== undefined) return o;
  const today = vietnamDay(now);
  const at = now.toISOString();
  const values: Partial<Record<Offer['name'], unknown>> = {
    place: { startsAt: at },
    movePlacement: { startsAt: at },
    endPlacement: { endedAt: at },
    placementVisit: { visitedOn: today },
    extendPlacement: { decision: { on: today } },
  };
  return { ...o, values: values[o.name] };
}

const day = (d: string) => dateOnly(`${d}T00:00:00+07:00`);

function carerLine(v: View, p: PlacementView) {
  const { carer } = p;
  return html`<a href="/app/carers/${carer.id}"><strong>${carer.name}</strong></a> · ${v.say(CARER_KIND_LABELS[carer.kind])} ·
    ${carer.commune}${carer.phone ? html` · <a href="tel:${carer.phone.replace(/[^\d+]/g, '')}">${carer.phone}</a>` : ''}`;
}

function currentView(v: View, p: PlacementView, now: Date) {
  const { say } = v;
  const term = placementTerm(p);
  const urgent = term && term.tone !== 'ok';
  const visitLate = p.nextVisitBy !== null && Date.parse(p.nextVisitBy) < now.getTime();
  return html`${
      urgent
        ? html`<p class="alert" role="alert">
            <strong
              >${say(
                term.tone === 'overdue'
                  ? { vi: 'Tạm thời cách ly đã quá thời hạn', en: 'The temporary separation is past its limit' }
                  : { vi: 'Tạm thời cách ly sắp hết thời hạn', en: 'The temporary separation nears its limit' },
              )}:
              ${say(term.words)}</strong
            >
            — ${say({ vi: 'kết thúc, chuyển nơi khác hoặc xin gia hạn theo quyết định mới', en: 'end it, move the person, or extend it by a new decision' })}
          </p>`
        : ''
    }
    <p>${carerLine(v, p)}</p>
    <dl>
      <dt>${say({ vi: 'Hình thức', en: 'Kind' })}</dt>
      <dd>${say(PLACEMENT_KIND_LABELS[p.kind])} · ${say(PLACEMENT_STATUS_LABELS[p.status])}</dd>
      <dt>${say({ vi: 'Từ', en: 'Since' })}</dt>
      <dd>${dateTime(p.startsAt)}</dd>
      ${
        p.endsBy
          ? html`<dt>${say(p.kind === 'temporary_separation' ? { vi: 'Thời hạn', en: 'Limit' } : { vi: 'Dự kiến đến', en: 'Planned until' })}</dt>
              <dd>
                ${dateTime(p.endsBy)}
                ${term ? html`<strong class="${term.tone === 'ok' ? '' : TONE_CLASS[term.tone]}" data-days-left>(${say(term.words)})</strong>` : ''}
              </dd>`
          : ''
      }
      ${
        p.nextVisitBy
          ? html`<dt>${say({ vi: 'Lần thăm tới', en: 'Next visit due' })}</dt>
              <dd class="${visitLate ? 'overdue' : ''}">${say({ vi: 'trước', en: 'by' })} ${dateTime(p.nextVisitBy)}</dd>`
          : ''
      }
      ${
        p.decision
          ? html`<dt>${say({ vi: 'Quyết định', en: 'Decision' })}</dt>
              <dd>${p.decision.number} · ${p.decision.by} · ${day(p.decision.on)}</dd>`
          : ''
      }
      ${
        p.extensions.length
          ? html`<dt>${say({ vi: 'Gia hạn', en: 'Extensions' })}</dt>
              <dd>${p.extensions.map((e) => html`${e.decision.number} · ${say({ vi: 'đến', en: 'until' })} ${dateTime(e.until)} · ${e.reason}<br />`)}</dd>`
          : ''
      }
      <dt>${say({ vi: 'Lần thăm', en: 'Visits' })}</dt>
      <dd>${p.visits}${p.lastVisitOn ? html` · ${say({ vi: 'gần nhất', en: 'last' })} ${day(p.lastVisitOn)}` : ''}</dd>
      <dt>${say({ vi: 'Lý do', en: 'Reason' })}</dt>
      <dd>${p.reason || '—'}</dd>
    </dl>`;
}

function history(v: View, past: PlacementView[]) {
  const { say } = v;
  if (!past.length) return '';
  return html`<details>
    <summary>${say({ vi: 'Nơi đã ở trước đây', en: 'Earlier placements' })} (${past.length})</summary>
    <ul class="items">
      ${[...past].reverse().map(
        (p) =>
          html`<li>
            ${carerLine(v, p)}<br />
            ${say(PLACEMENT_KIND_LABELS[p.kind])} · ${dateOnly(p.startsAt)} – ${p.endedAt ? dateOnly(p.endedAt) : '…'}
            ${p.outcome ? html` · ${say(PLACEMENT_OUTCOME_LABELS[p.outcome])}` : ''}
            ${p.overdueAt ? html` · <span class="overdue">${say({ vi: 'đã từng quá hạn', en: 'once past its limit' })}</span>` : ''}
            ${p.note ? html`<br /><span class="muted">${p.note}</span>` : ''}
          </li>`,
      )}
    </ul>
  </details>`;
}

export interface PlacementSectionData {
  /** `place`, when the person is placed nowhere and the stage and role allow it. */
  placing?: Offer;
  /** The actions on the current placement (move, visit, end, extend). */
  onCurrent: Offer[];
  choices: Choices;
  refused?: Refused;
  now: Date;
}

/**
 * The case page's section: where the person is now and was before, and the forms to place, move,
 * visit, end or extend (the catalogue's actions, posted like any other on the page). It sits beside
 * the free-text "safety confirmed", which stays as it is.
 */
export function placementSection(v: View, c: Case, d: PlacementSectionData) {
  const { say } = v;
  const current = c.placement ?? null;
  const past = (c.placements ?? []).filter((p) => p.status === 'ended');
  const form = (o: Offer) => actionForm(v, c.id, defaults(o, d.now), { choices: d.choices, refused: d.refused });
  const noCarer = (d.choices.carerId ?? []).length === 0 && (d.placing || d.onCurrent.some((o) => o.name === 'movePlacement'));
  return html`<section id="placement" aria-labelledby="placement-title">
    <h2 id="placement-title">${say({ vi: 'Nơi chăm sóc thay thế', en: 'Placement' })}</h2>
    ${current ? currentView(v, current, d.now) : html`<p class="muted">${say({ vi: 'Hiện không ở nơi chăm sóc thay thế nào', en: 'Not placed anywhere now' })}</p>`}
    ${
      noCarer
        ? html`<p class="alert">
            ${say({ vi: 'Không còn nơi chăm sóc nào có chỗ trong tỉnh', en: 'No carer of the province has a free place' })} ·
            <a href="/app/carers">${say({ vi: 'Xem danh sách nơi chăm sóc', en: 'See the carers' })}</a>
          </p>`
        : ''
    }
    ${d.placing ? form(d.placing) : ''} ${d.onCurrent.map(form)} ${history(v, past)}
  </section>`;
}
