// The kinds of placement and the ways one ends (issue 28), with their words: one definition, read
// by the case workflow, the API's schemas, the console and the reports.
//
// Free of any library: the workflow bundle imports it.
import type { Bilingual } from './stages';

/** temporary_separation is the law's (Decree 56/2017): a limit of its own (P1); the others have visits. */
export const PLACEMENT_KINDS = ['temporary_separation', 'foster_care', 'residential_care', 'kinship_care', 'shelter_stay'] as const;
export type PlacementKind = (typeof PLACEMENT_KINDS)[number];

export const PLACEMENT_OUTCOMES = ['returned_home', 'moved', 'long_term_care', 'ran_away', 'other'] as const;
export type PlacementOutcome = (typeof PLACEMENT_OUTCOMES)[number];

export const PLACEMENT_KIND_LABELS: Record<PlacementKind, Bilingual> = {
  temporary_separation: { vi: 'Tạm thời cách ly khỏi người gây hại', en: 'Temporary separation' },
  foster_care: { vi: 'Chăm sóc thay thế bởi gia đình nhận chăm sóc', en: 'Foster care' },
  residential_care: { vi: 'Chăm sóc tại cơ sở trợ giúp xã hội', en: 'Residential care' },
  kinship_care: { vi: 'Chăm sóc bởi người thân thích', en: 'Kinship care' },
  shelter_stay: { vi: 'Lưu trú tại nhà tạm lánh', en: 'Shelter stay' },
};

export const PLACEMENT_OUTCOME_LABELS: Record<PlacementOutcome, Bilingual> = {
  returned_home: { vi: 'Trở về gia đình', en: 'Returned home' },
  moved: { vi: 'Chuyển nơi chăm sóc khác', en: 'Moved to another carer' },
  long_term_care: { vi: 'Chuyển chăm sóc lâu dài', en: 'Long-term care' },
  ran_away: { vi: 'Bỏ đi', en: 'Ran away' },
  other: { vi: 'Khác', en: 'Other' },
};
