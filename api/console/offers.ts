// Which actions of the catalogue a person is offered on a case now: those their role may take in
// the case's stage (the same lists the API and the workflow check), on the case itself or on one
// of its interventions or referrals, or in the placement section: `place` when the person is placed
// nowhere, the others on the current placement (an extension only for a temporary separation). The
// workflow still decides (a plan's author may not approve it); the page then shows its refusal in words.
import type { Principal } from '../../domain/access';
import { ACTION_NAMES, ACTIONS, type ActionName } from '../../domain/actions';
import type { Case } from '../../domain/case';
import type { ReferralView } from '../../domain/referral-view';
import { referralMayMove, type ReferralMove } from '../../domain/referrals';
import { OPEN_INTERVENTION_STATUSES } from '../../domain/stages';
import type { Offer } from './action-form';

/** The referral moves each action on a referral makes. */
const REFERRAL_ACTION_MOVES: Partial<Record<ActionName, ReferralMove[]>> = {
  sendReferral: ['send'],
  revokeReferral: ['revoke'],
  referralProgress: ['in_service', 'complete'],
};

const onItem = (name: ActionName) => /\{(interventionId|referralId|placementId)\}/.test(ACTIONS[name].path);
/** The actions on the current placement, in the order the section offers them. */
const ON_PLACEMENT: readonly ActionName[] = ['placementVisit', 'movePlacement', 'endPlacement', 'extendPlacement'];

export interface Offers {
  onCase: Offer[];
  onItems: Map<string, Offer[]>;
  /** `place`, offered in the placement section when the person is placed nowhere now. */
  placing?: Offer;
}
const allowed = (p: Principal, c: Case, name: ActionName) =>
  (ACTIONS[name].roles as readonly string[]).includes(p.role) && (ACTIONS[name].stages as readonly string[]).includes(c.stage);

export function offersFor(p: Principal, c: Case, referrals: ReferralView[]): Offers {
  const onCase = ACTION_NAMES.filter((name) => !onItem(name) && name !== 'place' && allowed(p, c, name))
    .filter((name) => name !== 'riskDecision' || c.pendingRisk !== null)
    .filter((name) => name !== 'merge' || c.possibleRepeatOf !== null)
    // The steps of the case's stage first, what may be done at any time after.
    .sort((a, b) => ACTIONS[a].stages.length - ACTIONS[b].stages.length)
    .map((name): Offer => {
      if (name !== 'plan' || !c.plan) return { name };
      // A plan sent back is re-submitted from what it was: its goals, and its interventions by id (a place in a programme keeps it).
      const interventions = c.interventions.map(({ id, type, description, programmeId }) => ({
        id,
        type,
        description,
        ...(programmeId ? { programmeId } : {}),
      }));
      return { name, values: { goals: c.plan.goals, interventions } };
    });
  const onItems = new Map<string, Offer[]>();
  if (allowed(p, c, 'updateIntervention')) {
    for (const i of c.interventions) {
      if (OPEN_INTERVENTION_STATUSES.includes(i.status)) onItems.set(i.id, [{ name: 'updateIntervention', param: i.id }]);
    }
  }
  for (const r of referrals) {
    const offers = (Object.entries(REFERRAL_ACTION_MOVES) as Array<[ActionName, ReferralMove[]]>)
      .filter(([name, moves]) => allowed(p, c, name) && moves.some((m) => referralMayMove(r.status, m)))
      .map(([name]): Offer => ({ name, param: r.id }));
    if (offers.length) onItems.set(r.id, offers);
  }
  const placed = c.placedNow;
  if (placed) {
    const offers = ON_PLACEMENT.filter((name) => allowed(p, c, name) && (name !== 'extendPlacement' || placed.kind === 'temporary_separation')).map(
      (name): Offer => ({ name, param: placed.id }),
    );
    if (offers.length) onItems.set(placed.id, offers);
  }
  const placing: Offer | undefined = !placed && allowed(p, c, 'place') ? { name: 'place' } : undefined;
  return { onCase, onItems, placing };
}
