// The choices of the action fields that take an id — a social worker, a unit, a partner, a case to
// merge into — read through the API, so a person is offered only what they may name.
import type { Context } from 'hono';
import type { ActionName } from '../../domain/actions';
import type { Case, CaseStatus } from '../../domain/case';
import { PARTNER_KIND_LABELS } from '../../domain/labels';
import type { PartnerKind } from '../../domain/referrals';
import { STAGE_LABELS } from '../../domain/stages';
import type { AppEnv } from '../context';
import { listOf, type Api } from './api-call';
import type { Say } from './format';

/** The options of each id field, by its name; a `group` heads options in the list (the carers near the person). */
export type Choices = Record<string, Array<{ value: string; label: string; group?: string }>>;

/** A staff member as GET /staff lists them, for the forms' choices. */
export interface StaffItem {
  id: string;
  displayName: string;
  role: string;
  active: boolean;
  unitId: string | null;
}
interface UnitItem {
  id: string;
  name: string;
}
interface PartnerItem {
  id: string;
  name: string;
  kind: PartnerKind;
  services: string[];
  active: boolean;
}

/** The directory lists the offered actions need, read once for a page of several cases. */
export interface Directory {
  staff: StaffItem[];
  units: UnitItem[];
  partners: PartnerItem[];
}

export async function readDirectory(api: Api, c: Context<AppEnv>, offered: readonly ActionName[]): Promise<Directory> {
  const none = Promise.resolve([]);
  const [staff, units, partners] = await Promise.all([
    offered.includes('assign') ? listOf<StaffItem>(api, c, '/staff') : none,
    offered.includes('transfer') ? listOf<UnitItem>(api, c, '/units') : none,
    offered.includes('refer') ? listOf<PartnerItem>(api, c, '/partners') : none,
  ]);
  return { staff, units, partners };
}

/** One case's choices: the active social workers of its unit, the other units, active partners. */
export function choicesFor(dir: Directory, subject: Pick<Case, 'unit'>, say: Say): Choices {
  return {
    workerId: dir.staff
      .filter((s) => s.role === 'social_worker' && s.active && (!subject.unit || s.unitId === subject.unit.id))
      .map((s) => ({ value: s.id, label: s.displayName })),
    unitId: dir.units.filter((u) => u.id !== subject.unit?.id).map((u) => ({ value: u.id, label: u.name })),
    partnerId: dir.partners
      .filter((p) => p.active)
      .map((p) => ({ value: p.id, label: `${p.name} (${say(PARTNER_KIND_LABELS[p.kind])}): ${p.services.join(', ')}` })),
  };
}

/** The client's other open cases, for a repeat report to be merged into. */
export async function mergeChoices(api: Api, c: Context<AppEnv>, subject: Case, say: Say): Promise<Choices> {
  if (!subject.clientId) return {};
  const cases = await listOf<Case | CaseStatus>(api, c, `/cases?clientId=${subject.clientId}&limit=50`);
  return {
    intoCaseId: cases
      .filter((o) => o.id !== subject.id && o.stage !== 'closed' && o.stage !== 'erased')
      .map((o) => ({ value: o.id, label: `${o.ref} · ${say(STAGE_LABELS[o.stage])}` })),
  };
}
