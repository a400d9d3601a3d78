// The whole case file (issue 31): a summary, every form the case can print now, then what the
// forms do not hold — referrals and their answers, placements, programmes, notes and the whole
// timeline — as one printed document with a table of contents.
import { CASE_FORMS, type CaseFileExport } from '../../domain/case-file';
import { EVENT_LABELS, PATH_LABELS, RISK_LEVEL_LABELS } from '../../domain/labels';
import { PLACEMENT_KIND_LABELS, PLACEMENT_OUTCOME_LABELS } from '../../domain/placement-labels';
import { PLACEMENT_STATUS_LABELS } from '../../domain/placements';
import { ENROLMENT_OUTCOME_LABELS, PROGRAMME_KIND_LABELS } from '../../domain/programmes';
import { REFERRAL_STATUS_LABELS, SHAREABLE_LABELS } from '../../domain/referrals';
import { STAGE_LABELS, type Bilingual } from '../../domain/stages';
import { dateOnly, dateTime } from '../console/format';
import type { PrintedForm, PrintLanguage } from './document';
import { buildForm, factsOf, offeredForms } from './forms';

export const FILE_TITLE: Bilingual = { vi: 'Hồ sơ trường hợp', en: 'Case file' };
const NONE: Bilingual = { vi: 'Không có', en: 'None' };

/** Every part of the whole file, in order. */
export function fileParts(r: CaseFileExport, lang: PrintLanguage): PrintedForm[] {
  const w = (b: Bilingual) => b[lang];
  const forms = offeredForms(factsOf(r))
    .filter((f) => Object.hasOwn(CASE_FORMS, f.name))
    .map((f) => buildForm(r, f.name, lang))
    .filter((f): f is PrintedForm => !!f && 'blocks' in f);
  const part = (name: string, title: Bilingual, blocks: PrintedForm['blocks']): PrintedForm => ({
    name,
    title: w(title).toUpperCase(),
    subtitle: `${w({ vi: 'Mã trường hợp', en: 'Case reference' })} ${r.case.ref}`,
    blocks,
  });
  const c = r.case;
  const summary = part('summary', FILE_TITLE, [
    {
      kind: 'fields',
      rows: [
        [w({ vi: 'Người được trợ giúp', en: 'The person' }), c.intake?.client.fullName ?? w({ vi: '(đã xoá theo yêu cầu)', en: '(erased on request)' })],
        [w({ vi: 'Bước hiện nay', en: 'Stage' }), w(STAGE_LABELS[c.stage])],
        [w({ vi: 'Mức nguy cơ', en: 'Risk' }), `${w(RISK_LEVEL_LABELS[c.risk.level])} · ${w(PATH_LABELS[c.risk.path])}`],
        [w({ vi: 'Đơn vị', en: 'Unit' }), c.unit?.name ?? ''],
        [w({ vi: 'Nhân viên phụ trách', en: 'Case worker' }), c.assignedWorker?.displayName ?? ''],
        [w({ vi: 'Tiếp nhận', en: 'Received' }), dateTime(c.createdAt)],
        [w({ vi: 'Hạn chế quyền xem', en: 'Restricted' }), c.restricted ? w({ vi: 'Có (MẬT)', en: 'Yes (MẬT)' }) : w({ vi: 'Không', en: 'No' })],
      ].map(([label, value]) => ({ label: label!, value: value! })),
    },
  ]);
  const referrals = part('referrals', { vi: 'Chuyển gửi và phản hồi của đối tác', en: 'Referrals and the partners’ answers' }, [
    {
      kind: 'table',
      columns: [
        w({ vi: 'Ngày', en: 'On' }),
        w({ vi: 'Đối tác, dịch vụ', en: 'Partner, service' }),
        w({ vi: 'Chia sẻ (đồng ý của)', en: 'Shared (consent of)' }),
        w({ vi: 'Trạng thái', en: 'Status' }),
        w({ vi: 'Phản hồi', en: 'Answer' }),
      ],
      rows: r.referrals.map((f) => [
        dateOnly(f.createdAt),
        `${f.partner.name} — ${f.service}`,
        `${f.consent.scope.map((s) => w(SHAREABLE_LABELS[s])).join(', ')} (${f.consent.givenBy})`,
        w(REFERRAL_STATUS_LABELS[f.status]),
        [f.declineReason, f.outcome, f.revokeReason].filter(Boolean).join(' — '),
      ]),
      empty: w(NONE),
    },
  ]);
  const placements = part('placements', { vi: 'Nơi chăm sóc thay thế', en: 'Placements' }, [
    {
      kind: 'table',
      columns: [
        w({ vi: 'Hình thức', en: 'Kind' }),
        w({ vi: 'Nơi chăm sóc', en: 'Carer' }),
        w({ vi: 'Từ', en: 'From' }),
        w({ vi: 'Đến', en: 'Until' }),
        w({ vi: 'Tình trạng, kết thúc', en: 'Status, end' }),
      ],
      rows: (c.placements ?? []).map((p) => [
        w(PLACEMENT_KIND_LABELS[p.kind]),
        p.carer.name,
        dateOnly(p.startsAt),
        p.endedAt ? dateOnly(p.endedAt) : p.endsBy ? dateOnly(p.endsBy) : '',
        [w(PLACEMENT_STATUS_LABELS[p.status]), p.outcome ? w(PLACEMENT_OUTCOME_LABELS[p.outcome]) : '', p.note ?? ''].filter(Boolean).join(' — '),
      ]),
      empty: w(NONE),
    },
  ]);
  const programmes = part('programmes', { vi: 'Sinh hoạt nhóm, câu lạc bộ', en: 'Group work' }, [
    {
      kind: 'table',
      columns: [
        w({ vi: 'Chương trình', en: 'Programme' }),
        w({ vi: 'Loại', en: 'Kind' }),
        w({ vi: 'Tham gia từ', en: 'Enrolled on' }),
        w({ vi: 'Kết quả', en: 'Outcome' }),
      ],
      rows: (c.programmes ?? []).map((p) => [
        p.programme.name,
        w(PROGRAMME_KIND_LABELS[p.programme.kind]),
        p.enrolledOn,
        p.outcome ? `${w(ENROLMENT_OUTCOME_LABELS[p.outcome])} (${p.outcomeOn ?? ''})` : '',
      ]),
      empty: w(NONE),
    },
  ]);
  const notes = part('notes', { vi: 'Ghi chú', en: 'Notes' }, [
    {
      kind: 'table',
      columns: [w({ vi: 'Lúc', en: 'At' }), w({ vi: 'Người ghi', en: 'By' }), w({ vi: 'Nội dung', en: 'Note' })],
      rows: r.timeline.filter((e) => e.kind === 'case.note').map((e) => [dateTime(e.at), e.actor ?? '', typeof e.data.text === 'string' ? e.data.text : '']),
      empty: w(NONE),
    },
  ]);
  const timeline = part('timeline', { vi: 'Diễn biến trường hợp', en: 'Timeline' }, [
    {
      kind: 'table',
      columns: [w({ vi: 'Lúc', en: 'At' }), w({ vi: 'Sự việc', en: 'Event' }), w({ vi: 'Người thực hiện', en: 'By' }), w({ vi: 'Nội dung', en: 'Detail' })],
      rows: r.timeline.map((e) => [dateTime(e.at), EVENT_LABELS[e.kind] ? w(EVENT_LABELS[e.kind]!) : e.kind, e.actor ?? '', detailOf(e.data)]),
      empty: w(NONE),
    },
  ]);
  return [summary, ...forms, referrals, placements, programmes, notes, timeline];
}

/** An event's words in one line: what a person wrote with it (a comment, a reason, a summary…). */
function detailOf(data: Record<string, unknown>): string {
  const said = ['text', 'comment', 'reason', 'summary', 'outcome', 'note', 'form']
    .map((key) => data[key])
    .filter((v): v is string => typeof v === 'string' && v.length > 0);
  const joined = said.join(' — ');
  return joined.length > 300 ? `${joined.slice(0, 297)}…` : joined;
}
