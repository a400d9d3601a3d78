// The words of every notice the case workflow sends, in Vietnamese and English. The workflow says
// who hears what kind of notice; the text is composed here, from the case as the database has it.
import { absencesNotice } from '../domain/programmes';
import type { DeadlineStep } from '../domain/deadlines';
import { DEADLINE_STEP_LABELS } from '../domain/labels';
import type { NoticeKind } from '../domain/notices';
import { STAGE_LABELS, type Bilingual } from '../domain/stages';

const STEP_LABELS: Record<DeadlineStep, Bilingual> = {
  emergency_response: STAGE_LABELS.emergency_response,
  assessment: STAGE_LABELS.assessment,
  planning: STAGE_LABELS.planning,
  plan_approval: STAGE_LABELS.plan_review,
  review: { vi: 'Rà soát định kỳ', en: 'Periodic review' },
  closure_approval: STAGE_LABELS.closure_review,
  referral_response: { vi: 'Đối tác trả lời chuyển gửi', en: 'Partner’s answer to a referral' },
  callback: { vi: 'Gọi lại như đã hẹn', en: 'Promised callback' },
  separation_limit: DEADLINE_STEP_LABELS.separation_limit,
  placement_visit: DEADLINE_STEP_LABELS.placement_visit,
  session_record: DEADLINE_STEP_LABELS.session_record,
};

export function noticeText(kind: NoticeKind, about: { assigneeName?: string; programmeName?: string }): Bilingual {
  switch (kind) {
    case 'case.new':
      return { vi: 'Bạn được phân công một trường hợp mới', en: 'A new case was assigned to you' };
    case 'case.new_emergency':
      return { vi: 'Trường hợp khẩn cấp mới: cần bảo đảm an toàn ngay', en: 'A new emergency case: safety comes first, now' };
    case 'case.assigned':
      return { vi: `Trường hợp được phân công lại cho ${about.assigneeName}`, en: `Case reassigned to ${about.assigneeName}` };
    case 'case.repeat_reported':
      return {
        vi: 'Có báo cáo mới về cùng người này; báo cáo được đánh dấu để xem có gộp không',
        en: 'A new report about the same person arrived; it is flagged for a worker to merge or not',
      };
    case 'case.transferred':
      return { vi: 'Trường hợp được chuyển giữa hai đơn vị; đơn vị nhận cần phân công', en: 'A case moved between units; the receiving unit must assign it' };
    case 'report.received':
      return { vi: 'Trung tâm đã nhận báo cáo của bạn', en: 'The centre received your report' };
    case 'report.in_progress':
      return { vi: 'Báo cáo của bạn đang được xử lý', en: 'Your report is being handled' };
    case 'report.closed':
      return { vi: 'Trường hợp bạn báo cáo đã kết thúc', en: 'The case you reported is closed' };
    case 'risk.pending':
      return {
        vi: 'Đánh giá lại cho thấy nguy cơ thấp hơn: cần trưởng phòng hoặc Ban Giám đốc xác nhận trước khi áp dụng',
        en: 'A re-assessment would lower the risk: a supervisor or manager must confirm it before it applies',
      };
    case 'referral.accepted':
      return { vi: 'Đối tác đã nhận chuyển gửi', en: 'The partner accepted the referral' };
    case 'referral.declined':
      return { vi: 'Đối tác từ chối chuyển gửi: hãy chuyển gửi nơi khác', en: 'The partner declined the referral: refer elsewhere' };
    case 'referral.completed':
      return { vi: 'Đối tác báo đã hoàn thành dịch vụ', en: 'The partner reports the service completed' };
    case 'referral.expired':
      return {
        vi: 'Đối tác không trả lời chuyển gửi trước hạn: chuyển gửi đã hết hiệu lực, hãy chuyển gửi nơi khác',
        en: 'The partner did not answer the referral in time: it expired; refer elsewhere',
      };
    case 'placement.limit_near':
      return {
        vi: 'Tạm thời cách ly sắp hết thời hạn luật định: kết thúc, hoặc đề nghị Ban Giám đốc gia hạn bằng quyết định mới',
        en: 'A temporary separation nears its legal limit: end it, or ask a manager to extend it by a new decision',
      };
    case 'placement.not_seen':
      return {
        vi: 'Lần thăm nơi chăm sóc thay thế không gặp được người được chăm sóc: vẫn cần thăm lại',
        en: 'A monitoring visit did not see the person in placement: a visit is still owed',
      };
    case 'programme.absences':
      return absencesNotice(about.programmeName ?? '');
    case 'risk.emergency':
      return {
        vi: 'Có nguy hiểm mới: trường hợp quay lại bước can thiệp khẩn cấp',
        en: 'New danger was reported: the case is back in emergency response',
      };
  }
}

export function deadlineStep(step: DeadlineStep, level: 'reminder' | 'supervisor' | 'manager'): Bilingual {
  const label = STEP_LABELS[step];
  if (level === 'reminder') return { vi: `Đã đến hạn "${label.vi}"`, en: `"${label.en}" is due now` };
  return {
    vi: `Quá hạn "${label.vi}": chuyển lên ${level === 'supervisor' ? 'trưởng phòng' : 'Ban Giám đốc'}`,
    en: `"${label.en}" is overdue: escalated to the ${level}`,
  };
}
