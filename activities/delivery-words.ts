// The words of what leaves the product: an e-mail or SMS to a staff member about a notice, and an
// e-mail or webhook to a partner about its referral. Bilingual, the recipient's language first;
// the case's reference, what happened, what to do, and a link. SMS is not private (a phone's lock
// screen): the case reference and what to do, no initials, no names.
import type { DeliveryToSend } from '../db/deliveries';
import { sharedData } from '../domain/referrals';
import type { Bilingual } from '../domain/stages';

/** What to do about each kind of notice; any other kind: look at the case. */
const TO_DO: Record<string, Bilingual> = {
  'case.new': { vi: 'Mở trường hợp và liên hệ người được trợ giúp', en: 'Open the case and contact the person' },
  'case.new_emergency': { vi: 'Bảo đảm an toàn cho người được trợ giúp ngay bây giờ', en: 'Make the person safe now' },
  'risk.emergency': {
    vi: 'Bảo đảm an toàn ngay: trường hợp quay lại can thiệp khẩn cấp',
    en: 'Make the person safe now: the case is back in emergency response',
  },
  'deadline.reminder': { vi: 'Làm việc đã đến hạn, hôm nay', en: 'Do the work that is due, today' },
  'deadline.supervisor': { vi: 'Xem trường hợp quá hạn; hỗ trợ hoặc phân công lại', en: 'Look at the overdue case; support or reassign its worker' },
  'deadline.manager': {
    vi: 'Trường hợp quá hạn đã lên Ban Giám đốc: quyết định việc cần làm',
    en: 'An overdue case reached the managers: decide what happens now',
  },
  'referral.declined': { vi: 'Chuyển gửi tới đối tác khác', en: 'Refer to another partner' },
  'referral.expired': { vi: 'Chuyển gửi tới đối tác khác', en: 'Refer to another partner' },
  'risk.pending': { vi: 'Xác nhận hoặc bác bỏ mức nguy cơ thấp hơn', en: 'Confirm or reject the lower risk' },
};
const LOOK: Bilingual = { vi: 'Mở trường hợp để xem', en: 'Open the case to see it' };

/** "Nguyễn Thị Hoa" → "N.T.H.": enough for a worker to know which case, not who. */
export function initials(fullName: string | undefined): string {
  return (fullName ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => `${w[0]!.toLocaleUpperCase('vi')}.`)
    .join('');
}

const order = (lang: 'vi' | 'en') => (lang === 'vi' ? (['vi', 'en'] as const) : (['en', 'vi'] as const));
const vietnamTime = (iso: string) => new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' });

export interface Mail {
  subject: string;
  text: string;
}

/** An e-mail to a staff member about a notice. */
export function staffMail(d: DeliveryToSend, consoleUrl: string): Mail {
  const notice = d.notice!;
  const todo = TO_DO[notice.kind] ?? LOOK;
  const who = initials(d.intake?.client.fullName);
  const link = d.caseId ? `${consoleUrl}/cases/${d.caseId}` : consoleUrl;
  const block = (l: 'vi' | 'en') =>
    [
      `${d.caseRef ?? ''} — ${notice.message[l]}`,
      who ? `${l === 'vi' ? 'Người được trợ giúp' : 'Client'}: ${who}` : '',
      `${l === 'vi' ? 'Cần làm' : 'To do'}: ${todo[l]}`,
      `${l === 'vi' ? 'Mở' : 'Open'}: ${link}`,
    ]
      .filter(Boolean)
      .join('\n');
  const [first, second] = order(d.language);
  return {
    subject: `[${d.caseRef ?? 'case-flow'}] ${notice.message[first]}`,
    text: `${block(first)}\n\n— ${second === 'en' ? 'English' : 'Tiếng Việt'} —\n${block(second)}\n`,
  };
}

/** An SMS to a staff member: Vietnamese, short, the reference and what to do, nothing personal. */
export function staffSms(d: DeliveryToSend): string {
  const notice = d.notice!;
  const todo = TO_DO[notice.kind] ?? LOOK;
  return `${d.caseRef ?? 'case-flow'}: ${notice.message.vi}. ${todo.vi}.`.slice(0, 320);
}

/** An e-mail to a partner about its referral: what is asked, by when, and the link to answer. */
export function partnerMail(d: DeliveryToSend, respondUrl: string): Mail {
  const r = d.referral!;
  const ref = d.caseRef ?? '';
  if (d.event === 'referral.sent') {
    const due = r.respondBy ? vietnamTime(r.respondBy) : '—';
    return {
      subject: `Chuyển gửi ${ref}: ${r.service} · Referral ${ref}`,
      text: [
        `Trung tâm công tác xã hội chuyển gửi trường hợp ${ref} tới ${d.recipientName}.`,
        `Dịch vụ: ${r.service}`,
        `Lý do: ${r.reason}`,
        `Xin trả lời trước: ${due}`,
        `Xem thông tin được chia sẻ và trả lời (nhận, từ chối, hoàn thành): ${respondUrl}`,
        '',
        '— English —',
        `The social work centre refers case ${ref} to ${d.recipientName}.`,
        `Service: ${r.service}`,
        `Reason: ${r.reason}`,
        `Please answer by: ${due} (Vietnam time)`,
        `See what is shared and answer (accept, decline, complete): ${respondUrl}`,
        '',
      ].join('\n'),
    };
  }
  const ended: Bilingual =
    d.event === 'referral.revoked'
      ? { vi: 'đã được trung tâm rút lại', en: 'was withdrawn by the centre' }
      : { vi: 'đã hết hạn trả lời', en: 'expired without an answer' };
  return {
    subject: `Chuyển gửi ${ref} ${ended.vi} · Referral ${ref} ${ended.en}`,
    text: `Chuyển gửi ${ref} (${r.service}) ${ended.vi}; đường dẫn không còn hiệu lực.\n\nReferral ${ref} (${r.service}) ${ended.en}; its link no longer works.\n`,
  };
}

/** A webhook's body for a referral event: what the consent lets the partner see, and where to answer. */
export function referralWebhookBody(d: DeliveryToSend, respondUrl: string) {
  const r = d.referral!;
  return {
    event: d.event,
    deliveryId: d.id,
    referral: {
      id: r.id,
      caseRef: d.caseRef,
      status: r.status,
      service: r.service,
      reason: r.reason,
      respondBy: r.respondBy,
      sharedData: d.intake ? sharedData(d.intake as unknown as Record<string, unknown>, r.consent.scope) : {},
    },
    respondUrl,
  };
}
