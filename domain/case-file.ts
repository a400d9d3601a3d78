// The case file (issue 31): the forms Decree 56/2017 sets for a child-protection case, in the
// law's order, each with the step that must have happened before it can be printed; and the
// whole record as JSON, for the province that receives a transferred case or a court.
import { CaseEventSchema, CaseSchema } from './case';
import { ReferralSchema } from './referral-view';
import type { Bilingual } from './stages';
import { z } from './zod';

export interface FormSpec {
  title: Bilingual;
  /** The step of the process the form records, named in a 409 form_not_ready. */
  step: { code: string; label: Bilingual };
  /** Timeline events of which one must exist before the form can be printed; none: from intake on. */
  after: readonly string[];
}

/** The case's own forms, in the order of the process; a referral's form is added per referral. */
export const CASE_FORMS = {
  intake: {
    title: { vi: 'Phiếu tiếp nhận thông tin, thông báo', en: 'Report received' },
    step: { code: 'intake', label: { vi: 'tiếp nhận thông tin', en: 'intake' } },
    after: [],
  },
  'initial-risk': {
    title: { vi: 'Phiếu đánh giá nguy cơ ban đầu', en: 'Initial risk assessment' },
    step: { code: 'intake', label: { vi: 'tiếp nhận thông tin', en: 'intake' } },
    after: [],
  },
  assessment: {
    title: { vi: 'Phiếu đánh giá toàn diện và nhu cầu', en: 'Comprehensive assessment and needs' },
    step: { code: 'assessment', label: { vi: 'xác minh, đánh giá toàn diện', en: 'comprehensive assessment' } },
    after: ['assessment.recorded'],
  },
  plan: {
    title: { vi: 'Kế hoạch hỗ trợ, can thiệp', en: 'Support and intervention plan' },
    step: { code: 'plan', label: { vi: 'xây dựng kế hoạch hỗ trợ, can thiệp', en: 'the support plan' } },
    after: ['plan.submitted'],
  },
  review: {
    title: { vi: 'Phiếu rà soát, điều chỉnh kế hoạch', en: 'Review and adjustment of the plan' },
    step: { code: 'review', label: { vi: 'rà soát kế hoạch', en: 'a review of the plan' } },
    after: ['review.recorded'],
  },
  closure: {
    title: { vi: 'Phiếu kết thúc trường hợp', en: 'Case closure' },
    step: { code: 'closure', label: { vi: 'đề xuất kết thúc', en: 'a closure proposed' } },
    after: ['closure.proposed'],
  },
} as const satisfies Record<string, FormSpec>;
export type CaseFormName = keyof typeof CASE_FORMS;
export const CASE_FORM_NAMES = Object.keys(CASE_FORMS) as CaseFormName[];

/** A referral's form for its partner: only what the person consented to share (R1). */
export const REFERRAL_FORM: Omit<FormSpec, 'after'> = {
  title: { vi: 'Phiếu chuyển gửi', en: 'Referral' },
  step: { code: 'referral', label: { vi: 'chuyển gửi', en: 'referral' } },
};
export const REFERRAL_FORM_PREFIX = 'referral-';

/** How a form or the file may be asked for. */
export const FORM_FORMATS = ['html', 'pdf'] as const;
export const FILE_FORMATS = ['pdf', 'zip', 'json'] as const;
export const PRINT_LANGUAGES = ['vi', 'en'] as const;

export const CaseFormSchema = z
  .object({
    form: z.string().describe('Its name in GET /cases/{id}/forms/{form}'),
    title: z.object({ vi: z.string(), en: z.string() }),
    step: z.string().describe('The step of the process it records'),
    href: z.string().describe('Its page; add ?format=pdf for the PDF'),
  })
  .openapi('CaseForm');
export type CaseForm = z.infer<typeof CaseFormSchema>;

/** The JSON export of a case file: what another system imports. Erased facts stay erased. */
export const CaseFileExportSchema = z
  .object({
    format: z.literal('case-flow/case-file').describe('What this document is'),
    version: z.literal(1),
    exportedAt: z.iso.datetime(),
    exportedBy: z.object({ id: z.uuid(), name: z.string() }),
    restricted: z.boolean().describe('Its pages carry MẬT: for those the case is restricted to'),
    case: CaseSchema,
    timeline: z.array(CaseEventSchema).describe('Every event of the case, oldest first (its prints among them)'),
    referrals: z.array(ReferralSchema.omit({ partnerUrl: true })).describe('Oldest first, without the partner’s link (a secret of the centre)'),
  })
  .openapi('CaseFileExport');
export type CaseFileExport = z.infer<typeof CaseFileExportSchema>;
