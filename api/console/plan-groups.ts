// Group work in a case's plan, on the case's page (issue 29, domain/plan-enrolments.ts): an
// intervention that is a place in a programme links to the programme, with its enrolment once
// made; an enrolment made with the case's id from the programme's side shows in the plan too, as
// group work. The programmes to choose from (a plan's or a new intervention's `programmeId`) are
// the province's open ones, read through the API like every other choice.
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ActionName } from '../../domain/actions';
import type { Case, Intervention } from '../../domain/case';
import { GROUP_WORK } from '../../domain/plan-enrolments';
import { ENROLMENT_OUTCOME_LABELS, PROGRAMME_KIND_LABELS, type Programme } from '../../domain/programmes';
import type { AppEnv } from '../context';
import { listOf, type Api } from './api-call';
import type { Choices } from './choices';
import { dateOnly } from './format';
import type { View } from './view';

/** Programme names by id, for the interventions whose enrolment is not made yet. */
export type ProgrammeNames = ReadonlyMap<string, string>;

const day = (d: string) => dateOnly(`${d}T00:00:00+07:00`);
const link = (v: View, id: string, name: string | undefined) =>
  html`<a href="/app/programmes/${id}">${v.say(GROUP_WORK)}: ${name ?? v.say({ vi: 'chương trình', en: 'a programme' })}</a>`;

function enrolmentLine(v: View, e: NonNullable<Case['programmes']>[number]) {
  const outcome = e.outcome
    ? html` · ${v.say(ENROLMENT_OUTCOME_LABELS[e.outcome])}${e.outcomeOn ? html` ${day(e.outcomeOn)}` : ''}`
    : html` · ${v.say({ vi: 'đang tham gia', en: 'taking part' })}`;
  return html`${v.say({ vi: 'tham gia từ', en: 'enrolled on' })} ${day(e.enrolledOn)}${outcome}`;
}

/** An intervention's programme, under its description: the link, and its enrolment or that it waits for the plan's approval. */
export function interventionProgramme(v: View, c: Case, i: Intervention, names: ProgrammeNames) {
  if (!i.programmeId) return '';
  const enrolment = i.enrolmentId ? c.programmes?.find((e) => e.enrolmentId === i.enrolmentId) : undefined;
  const state = enrolment ? enrolmentLine(v, enrolment) : v.say({ vi: 'ghi danh khi kế hoạch được duyệt', en: 'enrolled when the plan is approved' });
  return html`<br />${link(v, i.programmeId, enrolment?.programme.name ?? names.get(i.programmeId))} · <span class="muted">${state}</span>`;
}

/** Enrolments with the case's id that no intervention stands for (made from the programme's side): group work in the plan all the same. */
export function otherGroupWork(v: View, c: Case) {
  const linked = new Set(c.interventions.map((i) => i.enrolmentId));
  return (c.programmes ?? [])
    .filter((e) => !linked.has(e.enrolmentId))
    .map(
      (e) =>
        html`<li>
          <strong>${link(v, e.programme.id, e.programme.name)}</strong> · ${v.say(PROGRAMME_KIND_LABELS[e.programme.kind])}<br /><span class="muted"
            >${enrolmentLine(v, e)}</span
          >
        </li>`,
    );
}

/**
 * The province's programmes, when the page needs them: names for interventions not enrolled yet,
 * and the open ones as the choices of `programmeId` when a plan or an intervention may be sent.
 */
export async function programmeChoices(api: Api, c: Context<AppEnv>, subject: Case, offered: readonly ActionName[]) {
  const choosing = offered.includes('plan') || offered.includes('addIntervention');
  const naming = subject.interventions.some((i) => i.programmeId && !i.enrolmentId);
  if (!choosing && !naming) return { names: new Map<string, string>(), choices: {} };
  const programmes = await listOf<Programme>(api, c, '/programmes');
  const choices: Choices = choosing
    ? { programmeId: programmes.filter((g) => !g.closedAt).map((g) => ({ value: g.id, label: `${g.name} (${g.unit.name})` })) }
    : {};
  return { names: new Map(programmes.map((g) => [g.id, g.name])), choices };
}
