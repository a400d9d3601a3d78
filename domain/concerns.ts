// What a report or a review says endangers the person: the concerns, and how what is known about a
// case grows. Free of any library: the workflow bundle imports it.
//
// The rule (I1 in docs/process.md): concerns accumulate over the life of a case. A review or a
// merged report adds to what is known; a concern once true stays true until a supervisor or a
// manager clears it, with a reason, and another confirms what that does to the risk.

export const CONCERN_KEYS = [
  'immediateDanger',
  'injury',
  'sexualAbuse',
  'trafficking',
  'violenceOngoing',
  'perpetratorHasAccess',
  'selfHarmRisk',
  'noSafeShelter',
  'noCaregiver',
  'livesAlone',
  'medicalUrgent',
  'basicNeedsUnmet',
] as const;
export type ConcernKey = (typeof CONCERN_KEYS)[number];

/** As a report states them: yes, no, or not said. */
export type Concerns = Partial<Record<ConcernKey, boolean>>;

/** The concerns that are true, in catalogue order. */
export function trueConcerns(c: Concerns): ConcernKey[] {
  return CONCERN_KEYS.filter((k) => c[k] === true);
}

/** Known concerns as a case keeps them: only the true ones. */
export function known(c: Concerns): Concerns {
  return Object.fromEntries(trueConcerns(c).map((k) => [k, true]));
}

/** What is known after a report: everything known before, and whatever it says is true. */
export function withAdded(before: Concerns, added: Concerns): Concerns {
  return known({ ...known(before), ...known(added) });
}

export function without(before: Concerns, cleared: readonly ConcernKey[]): Concerns {
  return known(
    Object.fromEntries(
      trueConcerns(before)
        .filter((k) => !cleared.includes(k))
        .map((k) => [k, true]),
    ),
  );
}

/** Concerns true in `after` that were not in `before`: newly reported danger. */
export function newlyTrue(before: Concerns, after: Concerns): ConcernKey[] {
  return trueConcerns(after).filter((k) => before[k] !== true);
}
