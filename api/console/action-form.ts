// One action of the catalogue as a form: its button's words, its summary, and the fields of its
// body (domain/action-bodies.ts) with their labels (domain/actions.ts). Posted to the case's page,
// which sends it to the action's own API route; the case page, the approvals inbox and the
// escalations board all offer actions this way.
import { html } from 'hono/html';
import { ACTION_BODIES } from '../../domain/action-bodies';
import { ACTIONS, type ActionName } from '../../domain/actions';
import { NESTED_FIELD_LABELS } from '../../domain/labels';
import { PLACEMENT_KIND_LABELS, PLACEMENT_OUTCOME_LABELS } from '../../domain/placement-labels';
import type { Bilingual } from '../../domain/stages';
import type { ApiError } from './api-call';
import { fields, shapeOf } from './schema-form';
import { csrfField, refusalOf, type View } from './view';

/** An action offered on the page: on the case, or on one of its interventions or referrals. */
export interface Offer {
  name: ActionName;
  /** The intervention's or referral's id, for an action on one of them. */
  param?: string;
  /** What is filled in already: the current plan, for re-submitting it. */
  values?: unknown;
}

/** What went wrong with a posted action, shown in its form. */
export interface Refused {
  offer: Offer;
  values: unknown;
  error: ApiError;
}

export const formKey = (o: Offer) => (o.param ? `${o.name}-${o.param}` : o.name);

/** The words of codes the shared VALUE_LABELS give another meaning (a partner's `kind`, a call's `outcome`). */
const PLACEMENT_VALUES = { kind: PLACEMENT_KIND_LABELS, outcome: PLACEMENT_OUTCOME_LABELS };
const ACTION_VALUE_LABELS: Partial<Record<ActionName, Record<string, Record<string, Bilingual>>>> = {
  place: PLACEMENT_VALUES,
  movePlacement: PLACEMENT_VALUES,
  endPlacement: PLACEMENT_VALUES,
};
/** A placement decision's own fields, by their path. */
const DECISION_LABELS: Record<string, Bilingual> = {
  'decision.number': { vi: 'Số quyết định', en: 'Decision number' },
  'decision.by': { vi: 'Người ký (Chủ tịch UBND xã…)', en: 'Signed by' },
  'decision.on': { vi: 'Ngày ký', en: 'Signed on' },
};

/** A plan's place in a programme (issue 29), in each of its interventions. */
const GROUP_LABELS: Record<string, Bilingual> = { programmeId: ACTIONS.addIntervention.fields.programmeId, consent: ACTIONS.addIntervention.fields.consent };

/** Where the form came from, to return to after the action: a page of the console. */
export const BACK = /^\/app(\/[\w-]+)*$/;

export function actionForm(
  v: View,
  caseId: string,
  offer: Offer,
  o: { choices?: Record<string, Array<{ value: string; label: string; group?: string }>>; refused?: Refused; back?: string; open?: boolean },
) {
  const spec = ACTIONS[offer.name];
  const refused = o.refused && formKey(o.refused.offer) === formKey(offer) ? o.refused : undefined;
  const refusal = refused && refusalOf(refused.error);
  const prefix = `${caseId}-${formKey(offer)}`;
  return html`<details id="act-${prefix}" ${refused || o.open ? 'open' : ''}>
    <summary>${v.say(spec.label)}</summary>
    <p class="hint">${v.say(spec.summary)}</p>
    ${refusal?.alert ?? ''}
    <form method="post" action="/app/cases/${caseId}" data-draft="${prefix}" ${refused ? 'data-refused' : ''}>
      ${csrfField(v)}
      <input type="hidden" name="action" value="${offer.name}" />
      ${offer.param ? html`<input type="hidden" name="param" value="${offer.param}" />` : ''}
      ${o.back ? html`<input type="hidden" name="back" value="${o.back}" />` : ''}
      ${fields(shapeOf(ACTION_BODIES[offer.name]), {
        say: v.say,
        prefix,
        label: (place) =>
          place.length === 1
            ? (spec.fields as Record<string, Bilingual>)[String(place[0])]
            : (DECISION_LABELS[place.join('.')] ?? GROUP_LABELS[String(place.at(-1))] ?? NESTED_FIELD_LABELS[String(place.at(-1))]),
        values: refused?.values ?? offer.values,
        errors: refusal?.errors,
        choices: o.choices,
        valueLabels: ACTION_VALUE_LABELS[offer.name],
      })}
      <button type="submit" class="primary">${v.say(spec.label)}</button>
    </form>
  </details>`;
}
