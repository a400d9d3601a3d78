// Plain constants of the process, free of any library so that workflow code can import them.

// Stages of the case-management process (../shared/DOMAIN.md), in order.
// `erased` is terminal: the person's data is gone and the case takes no more actions (I5).
export const STAGES = ['emergency_response', 'assessment', 'planning', 'plan_review', 'implementation', 'closure_review', 'closed', 'erased'] as const;
export type Stage = (typeof STAGES)[number];

export const RISK_LEVELS = ['critical', 'high', 'medium', 'low'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const PATHS = ['emergency', 'standard'] as const;
export type Path = (typeof PATHS)[number];

/** An intervention of a plan, from planned to done or cancelled. */
export const INTERVENTION_STATUSES = ['planned', 'in_progress', 'done', 'cancelled'] as const;
export type InterventionStatus = (typeof INTERVENTION_STATUSES)[number];
/** Still to be done: a plan may not close over these. */
export const OPEN_INTERVENTION_STATUSES: readonly InterventionStatus[] = ['planned', 'in_progress'];

/** I6: an intervention's status moves forward only: planned → in progress → done or cancelled. */
export function interventionMayMove(from: InterventionStatus, to: InterventionStatus): boolean {
  const rank = { planned: 0, in_progress: 1, done: 2, cancelled: 2 };
  return from === to || (!OPEN_INTERVENTION_STATUSES.includes(from) ? false : rank[to] > rank[from]);
}

export interface Bilingual {
  vi: string;
  en: string;
}

export function firstStage(path: Path): Stage {
  return path === 'emergency' ? 'emergency_response' : 'assessment';
}

// Labels for the console and for messages; staff in the field use the Vietnamese words.
export const STAGE_LABELS: Record<Stage, Bilingual> = {
  emergency_response: { vi: 'Can thiệp khẩn cấp', en: 'Emergency response' },
  assessment: { vi: 'Xác minh và đánh giá toàn diện', en: 'Verification and assessment' },
  planning: { vi: 'Xây dựng kế hoạch can thiệp', en: 'Intervention planning' },
  plan_review: { vi: 'Chờ thông qua kế hoạch', en: 'Plan awaiting approval' },
  implementation: { vi: 'Thực hiện và rà soát', en: 'Implementation and review' },
  closure_review: { vi: 'Chờ duyệt kết thúc', en: 'Closure awaiting approval' },
  closed: { vi: 'Đã kết thúc', en: 'Closed' },
  erased: { vi: 'Đã xoá dữ liệu cá nhân', en: 'Personal data erased' },
};
