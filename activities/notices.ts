// The words of every notice the case workflow sends, in Vietnamese and English. The workflow says
// who hears what kind of notice; the text is composed here, from the case as the database has it.
import type { DeadlineStep } from '../domain/deadlines';
import { STAGE_LABELS, type Bilingual } from '../domain/stages';

/** A notice the workflow decided on: to whom, of what kind, under a key that makes it once. */
export interface NoticeDraft {
  key: string;
  recipientId: string;
  kind: 'case.assigned';
}

const STEP_LABELS: Record<DeadlineStep, Bilingual> = {
  emergency_response: STAGE_LABELS.emergency_response,
  assessment: STAGE_LABELS.assessment,
  planning: STAGE_LABELS.planning,
  plan_approval: STAGE_LABELS.plan_review,
  review: { vi: 'Rà soát định kỳ', en: 'Periodic review' },
  closure_approval: STAGE_LABELS.closure_review,
};

export function caseAssigned(workerName: string): Bilingual {
  return { vi: `Trường hợp được phân công lại cho ${workerName}`, en: `Case reassigned to ${workerName}` };
}

export function deadlineStep(step: DeadlineStep, level: 'reminder' | 'supervisor' | 'manager'): Bilingual {
  const label = STEP_LABELS[step];
  if (level === 'reminder') return { vi: `Đã đến hạn "${label.vi}"`, en: `"${label.en}" is due now` };
  return {
    vi: `Quá hạn "${label.vi}": chuyển lên ${level === 'supervisor' ? 'trưởng phòng' : 'Ban Giám đốc'}`,
    en: `"${label.en}" is overdue: escalated to the ${level}`,
  };
}
