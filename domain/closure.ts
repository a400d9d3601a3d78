// Why a case was closed and how far its plan's goals were met, as codes the reports can count
// (issue 18: closures by reason and outcome, Primero's closure form); the words stay free text.
export const CLOSURE_REASONS = [
  'goals_met',
  'family_care',
  'transferred',
  'moved_away',
  'lost_contact',
  'declined_services',
  'no_longer_eligible',
  'died',
  'other',
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export const GOALS_MET = ['all', 'most', 'some', 'none'] as const;
export type GoalsMet = (typeof GOALS_MET)[number];
