// A centre's past hotline log (sổ tổng đài, issue 27 item 8): one row per call or visit, as centres
// keep them in spreadsheets, with Vietnamese or English headers and the centres' own words for
// values (the product's labels in either language, the codes, and the words logs use). A row
// becomes the contact the product would have recorded (domain/contacts.ts), checked with
// NewContactSchema's own rules: a log's time is in the past ("not after now"), an anonymous caller
// has no name. One rule does not apply: a callback the log promised is imported as the outcome
// `callback_promised` with no clock, because the callback rules (a promise ahead, within 90 days)
// are about a clock to start and a promise of years ago is no work for today's ladder; the row is
// checked as if none was made. A log says what the operator did, never that a case was opened: a
// case comes in with the register import or is opened from the contact (POST /contacts/{id}/case),
// and "case opened" is refused saying so. C1 at import is api/imports.ts's: the row is imported as
// the log says. A log without a channel column is a hotline's; a caller it does not name is anonymous.
import { CATEGORY_CODES, GENDERS } from './intake';
import { CONCERN_KEYS } from './concerns';
import { CALL_TYPES, CALLER_RELATIONS, CONTACT_CHANNELS, CONTACT_OUTCOMES, NewContactSchema, type NewContact } from './contacts';
import {
  CALL_TYPE_LABELS,
  CALLER_RELATION_LABELS,
  CATEGORY_LABELS,
  CONCERN_LABELS,
  CONTACT_CHANNEL_LABELS,
  CONTACT_OUTCOME_LABELS,
  GENDER_LABELS,
} from './labels';
import { saidWords } from './input';
import { fold } from './register';
import type { Bilingual } from './stages';

/** Each field with the headers it is recognised by (compared without case, accents or spaces), besides its own name. */
export const CONTACT_LOG_COLUMNS = {
  logNo: ['Số sổ', 'Số cuộc gọi', 'Số thứ tự', 'STT'],
  startedAt: ['Ngày giờ', 'Thời gian', 'Ngày gọi', 'Ngày'],
  /** A log that keeps the time of day apart from the day: without it, every call would be at midnight. */
  time: ['Giờ', 'Giờ gọi'],
  durationMinutes: ['Thời lượng', 'Thời lượng (phút)', 'Số phút'],
  channel: ['Kênh', 'Hình thức'],
  callerName: ['Người gọi', 'Tên người gọi', 'Họ tên người gọi'],
  anonymous: ['Ẩn danh'],
  phone: ['Số điện thoại', 'Điện thoại', 'SĐT'],
  relation: ['Quan hệ', 'Quan hệ với người được nói đến'],
  callType: ['Loại cuộc gọi', 'Loại'],
  aboutName: ['Người được nói đến', 'Người cần hỗ trợ'],
  age: ['Tuổi'],
  birthYear: ['Năm sinh'],
  gender: ['Giới tính'],
  commune: ['Xã', 'Xã/Phường', 'Phường/Xã'],
  district: ['Huyện', 'Quận/Huyện'],
  topics: ['Vấn đề', 'Nhóm vấn đề'],
  concerns: ['Dấu hiệu nguy cơ', 'Nguy cơ'],
  summary: ['Nội dung', 'Tóm tắt', 'Nội dung cuộc gọi'],
  outcome: ['Kết quả', 'Kết quả xử lý'],
} as const;
export type ContactLogField = keyof typeof CONTACT_LOG_COLUMNS;

/** The columns a log must have; a hotline log may leave out the channel (then every row is a hotline call). */
export const REQUIRED_LOG_FIELDS = ['logNo', 'startedAt', 'callType', 'summary', 'outcome'] as const satisfies readonly ContactLogField[];

const BY_HEADER = new Map<string, ContactLogField>(
  (Object.entries(CONTACT_LOG_COLUMNS) as Array<[ContactLogField, readonly string[]]>).flatMap(([field, names]) =>
    [field, ...names].map((name) => [fold(name), field] as const),
  ),
);

/** The field a column header names, whatever its case, accents or spacing; undefined for any other column. */
export function contactLogField(header: string): ContactLogField | undefined {
  return BY_HEADER.get(fold(header));
}

/** A catalogue's words: each code, its Vietnamese and English labels, and the centres' other words for it. */
function words<C extends string>(codes: readonly C[], labels: Record<C, Bilingual>, more: Record<string, C> = {}) {
  const byWord = new Map<string, C>();
  for (const code of codes) for (const w of [code, labels[code].vi, labels[code].en]) byWord.set(fold(w), code);
  for (const [w, code] of Object.entries(more)) byWord.set(fold(w), code);
  const listed = (lang: keyof Bilingual) => codes.map((c) => `${c} (${labels[c][lang]})`).join(', ');
  return { byWord, unknown: { vi: `không có trong danh mục; ghi một trong: ${listed('vi')}`, en: `not one of: ${listed('en')}` } };
}

// Beside the labels, the words logs are kept in (docs/contact-log-sample.csv), so a relabelling of
// the product does not turn away a log written in yesterday's words.
const CHANNEL_WORDS = words(CONTACT_CHANNELS, CONTACT_CHANNEL_LABELS, {
  'Tổng đài': 'hotline',
  'Điện thoại': 'hotline',
  'Gọi điện': 'hotline',
  'Đến trực tiếp': 'walk_in',
  'Trực tiếp': 'walk_in',
  'Cà phê tư vấn': 'counselling_cafe',
  'Tiếp cận cộng đồng': 'outreach',
});
const CALL_TYPE_WORDS = words(CALL_TYPES, CALL_TYPE_LABELS, {
  'Hỏi thông tin': 'information',
  'Thông tin': 'information',
  'Hướng dẫn chế độ, chính sách': 'benefit_guidance',
  'Chế độ, chính sách': 'benefit_guidance',
  'Chế độ chính sách': 'benefit_guidance',
  'Chính sách': 'benefit_guidance',
  'Tư vấn, tham vấn': 'counselling',
  'Tư vấn': 'counselling',
  'Tham vấn': 'counselling',
  'Tư vấn tâm lý': 'counselling',
  'Báo tin có nguy cơ': 'report_of_concern',
  'Báo tin': 'report_of_concern',
  'Tố giác': 'report_of_concern',
  'Đề nghị kết nối dịch vụ': 'referral_request',
  'Kết nối dịch vụ': 'referral_request',
  'Gọi lại, theo dõi': 'follow_up',
  'Theo dõi': 'follow_up',
  'Cuộc gọi im lặng': 'silent',
  'Im lặng': 'silent',
  'Cuộc gọi quấy rối': 'prank',
  'Quấy rối': 'prank',
  'Trêu đùa': 'prank',
  'Nhầm số': 'wrong_number',
  'Nhầm máy': 'wrong_number',
});
const RELATION_WORDS = words(CALLER_RELATIONS, CALLER_RELATION_LABELS, {
  'Chính người cần hỗ trợ': 'self',
  'Bản thân': 'self',
  'Chính mình': 'self',
  'Người nhà': 'family',
  'Hàng xóm': 'neighbour',
  'Giáo viên': 'teacher',
  'Nhân viên y tế': 'health_worker',
  'Công an': 'police',
  'Cán bộ xã, phường': 'commune_official',
  Bố: 'family',
  Mẹ: 'family',
  Cha: 'family',
  'Ông bà': 'family',
  Vợ: 'family',
  Chồng: 'family',
  'Cô giáo': 'teacher',
  'Thầy giáo': 'teacher',
  'Nhà trường': 'teacher',
  'Y tế': 'health_worker',
  'Bác sĩ': 'health_worker',
  'Cán bộ xã': 'commune_official',
  'Cán bộ phường': 'commune_official',
  'Trưởng thôn': 'commune_official',
});
const GENDER_WORDS = words(GENDERS, GENDER_LABELS);
const OUTCOME_WORDS = words(CONTACT_OUTCOMES, CONTACT_OUTCOME_LABELS, {
  'Đã tư vấn': 'advice_given',
  'Tư vấn': 'advice_given',
  'Đã giới thiệu nơi hỗ trợ': 'referred',
  'Giới thiệu': 'referred',
  'Chuyển gửi': 'referred',
  'Kết nối': 'referred',
  'Hẹn gọi lại': 'callback_promised',
  'Gọi lại': 'callback_promised',
  'Đã mở trường hợp': 'case_opened',
  'Mở hồ sơ': 'case_opened',
  'Không cần làm gì thêm': 'no_action',
  Không: 'no_action',
});
const TOPIC_WORDS = words(CATEGORY_CODES, CATEGORY_LABELS);
const CONCERN_WORDS = words(CONCERN_KEYS, CONCERN_LABELS);
const YES = new Set(['co', 'x', '1', 'yes', 'true', 'andanh'].map(fold));
const NO = new Set(['khong', '0', 'no', 'false'].map(fold));
/** What a log writes for a caller who gave no name. */
const NAMELESS = new Set(['Ẩn danh', 'Giấu tên', 'Không nêu tên', 'Không xưng tên', 'Không rõ', 'anonymous'].map(fold));

const LOG_NO = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;

/**
 * A log's day and time as an instant: in Vietnam's time (UTC+7) unless it gives its offset.
 * `2024-03-05 14:30`, `05/03/2024 14:30` (day first, as Vietnamese write it), or a day alone (its start).
 */
export function logTime(written: string): string | undefined {
  const s = written.trim();
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    const at = Date.parse(s);
    return Number.isNaN(at) ? undefined : new Date(at).toISOString();
  }
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(s);
  const vn = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ ,]+(\d{1,2})[:h](\d{2})(?::(\d{2}))?)?$/.exec(s);
  const [y, mo, d, h, mi, sec] = iso ? [iso[1], iso[2], iso[3], iso[4], iso[5], iso[6]] : vn ? [vn[3], vn[2], vn[1], vn[4], vn[5], vn[6]] : [];
  if (y === undefined) return undefined;
  const [year, month, day, hour, minute, second] = [y, mo, d, h ?? '0', mi ?? '0', sec ?? '0'].map(Number) as [number, number, number, number, number, number];
  if (year < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  // 31/02 is no day: the calendar must give back what was written.
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return new Date(Date.UTC(year, month - 1, day, hour - 7, minute, second)).toISOString();
}

/** A row of the log as the contact it becomes, with the log's own number. */
export interface ContactLogRow {
  logNo: string;
  /** Its time is the log's, always given. */
  contact: NewContact & { startedAt: string };
}

export interface LogProblem {
  field: ContactLogField;
  message: string | Bilingual;
}

export type CheckedLogRow = { ok: true; value: ContactLogRow } | { ok: false; problems: LogProblem[] };

/** Which column a field of NewContact comes from, to name it in a problem. */
const FIELD_OF_PATH: Array<[string, ContactLogField]> = [
  ['caller.fullName', 'callerName'],
  ['caller.anonymous', 'anonymous'],
  ['caller.phone', 'phone'],
  ['caller.relation', 'relation'],
  ['about.fullName', 'aboutName'],
  ['about.age', 'age'],
  ['about.birthYear', 'birthYear'],
  ['about.gender', 'gender'],
  ['about.location.commune', 'commune'],
  ['about.location.district', 'district'],
  ['callbackBy', 'outcome'],
];
const fieldOfPath = (path: PropertyKey[]): ContactLogField => {
  const dotted = path.map(String).join('.');
  const found = FIELD_OF_PATH.find(([prefix]) => dotted === prefix || dotted.startsWith(`${prefix}.`));
  const field = found?.[1] ?? String(path[0] ?? '');
  // Anything else is about the row as a whole, named by its number as the register names its rows.
  return field in CONTACT_LOG_COLUMNS ? (field as ContactLogField) : 'logNo';
};

const REQUIRED: Bilingual = { vi: 'bắt buộc, không được để trống', en: 'required: it may not be blank' };

/** Checks one row of a log (its cells by field, blanks left out) and makes it the contact it records. */
export function checkLogRow(raw: Partial<Record<ContactLogField, string>>): CheckedLogRow {
  const problems: LogProblem[] = [];
  const problem = (field: ContactLogField, message: string | Bilingual) => {
    problems.push({ field, message });
    return undefined;
  };
  const cell = (field: ContactLogField) => {
    const v = raw[field]?.trim();
    return v === '' ? undefined : v;
  };
  for (const f of REQUIRED_LOG_FIELDS) if (cell(f) === undefined) problem(f, REQUIRED);
  const word = <C extends string>(field: ContactLogField, catalogue: { byWord: Map<string, C>; unknown: Bilingual }) => {
    const v = cell(field);
    return v === undefined ? undefined : (catalogue.byWord.get(fold(v)) ?? problem(field, catalogue.unknown));
  };
  const list = <C extends string>(field: ContactLogField, catalogue: { byWord: Map<string, C>; unknown: Bilingual }) => {
    const v = cell(field);
    if (v === undefined) return undefined;
    // Labels may hold commas ("Hộ nghèo, cận nghèo"): split on ';' first, then on ',' what is not a word whole.
    const pieces = v
      .split(/[;\n]/)
      .flatMap((p) => (catalogue.byWord.has(fold(p)) ? [p] : p.split(',')))
      .map((p) => p.trim())
      .filter(Boolean);
    const codes = pieces.map((p) => catalogue.byWord.get(fold(p)));
    if (codes.some((c) => c === undefined)) return problem(field, catalogue.unknown);
    return [...new Set(codes as C[])];
  };
  const whole = (field: ContactLogField, what: Bilingual) => {
    const v = cell(field);
    if (v === undefined) return undefined;
    return /^\d{1,6}$/.test(v) ? Number(v) : problem(field, what);
  };

  const logNo = cell('logNo');
  if (logNo !== undefined && !LOG_NO.test(logNo)) {
    problem('logNo', {
      vi: 'chữ, số và . _ / - (tối đa 40), không trùng trong tỉnh (sổ đánh số lại mỗi năm: ghi cả năm, như 2019/125)',
      en: 'letters, digits and . _ / - (at most 40), unique in the province (a log numbered afresh each year: write the year in it, as 2019/125)',
    });
  }
  const day = cell('startedAt');
  const time = cell('time');
  // A time of day written alone; a workbook's time cell comes as 1899-12-30 14:30 (its day zero).
  const clock = time === undefined ? undefined : /(?:^|\s)(\d{1,2})[:h](\d{2})(?::\d{2})?$/.exec(time);
  if (time !== undefined && !clock) problem('time', { vi: 'giờ và phút: 14:30', en: 'hours and minutes: 14:30' });
  const timed = day !== undefined && /\d[:h]\d/.test(day);
  if (clock && timed) problem('time', { vi: 'cột ngày đã ghi giờ', en: 'the day column has its time already' });
  const writtenAt = clock && day !== undefined && !timed ? `${day} ${clock[1]}:${clock[2]}` : day;
  const startedAt =
    writtenAt === undefined
      ? undefined
      : (logTime(writtenAt) ??
        problem('startedAt', {
          vi: 'ngày giờ theo giờ Việt Nam: 2024-03-05 14:30 hoặc 05/03/2024 14:30, hoặc chỉ ngày',
          en: 'a day and time in Vietnam: 2024-03-05 14:30 or 05/03/2024 14:30, or a day alone',
        }));
  const durationMinutes = whole('durationMinutes', { vi: 'số phút, một số nguyên', en: 'minutes, a whole number' });
  const age = whole('age', { vi: 'số tuổi, một số nguyên', en: 'years, a whole number' });
  const birthYear = whole('birthYear', { vi: 'năm sinh, bốn chữ số', en: 'a year of four digits' });
  const channel = word('channel', CHANNEL_WORDS) ?? 'hotline';
  const relation = word('relation', RELATION_WORDS);
  const callType = word('callType', CALL_TYPE_WORDS);
  const gender = word('gender', GENDER_WORDS);
  const outcome = word('outcome', OUTCOME_WORDS);
  if (outcome === 'case_opened') {
    problem('outcome', {
      vi: 'nhập sổ không mở trường hợp: ghi việc tổng đài viên đã làm (như đã giới thiệu nơi hỗ trợ); trường hợp được nhập theo sổ đăng ký, hoặc mở từ cuộc gọi (POST /contacts/{id}/case)',
      en: 'an import opens no case: write what the operator did (such as referred); the case comes in with the register, or is opened from the contact (POST /contacts/{id}/case)',
    });
  }
  const topics = list('topics', TOPIC_WORDS);
  const concerns = list('concerns', CONCERN_WORDS);
  const anonymousCell = cell('anonymous');
  const saidAnonymous =
    anonymousCell === undefined
      ? undefined
      : YES.has(fold(anonymousCell))
        ? true
        : NO.has(fold(anonymousCell))
          ? false
          : problem('anonymous', { vi: 'có hoặc không', en: 'yes or no (có/không)' });
  const callerCell = cell('callerName');
  const callerName = callerCell !== undefined && NAMELESS.has(fold(callerCell)) ? undefined : callerCell;

  const about = {
    ...(cell('aboutName') ? { fullName: cell('aboutName') } : {}),
    ...(age !== undefined ? { age } : {}),
    ...(birthYear !== undefined ? { birthYear } : {}),
    ...(gender ? { gender } : {}),
    ...(cell('commune') || cell('district')
      ? { location: { ...(cell('commune') ? { commune: cell('commune') } : {}), ...(cell('district') ? { district: cell('district') } : {}) } }
      : {}),
  };
  // A column already found wrong gets a stand-in below, so the row's other rules are still
  // checked and every problem of the row is said at once.
  const contact = {
    channel,
    ...(startedAt ? { startedAt } : {}),
    ...(durationMinutes !== undefined ? { durationMinutes } : {}),
    caller: {
      // A caller the log names is not anonymous unless the log says so; one it does not name is.
      anonymous: saidAnonymous ?? callerName === undefined,
      ...(callerName ? { fullName: callerName } : {}),
      ...(cell('phone') ? { phone: cell('phone') } : {}),
      ...(relation ? { relation } : {}),
    },
    ...(Object.keys(about).length > 0 ? { about } : {}),
    callType: callType ?? 'other',
    ...(topics ? { topics } : {}),
    ...(concerns ? { concerns: Object.fromEntries(concerns.map((k) => [k, true])) } : {}),
    summary: cell('summary') ?? '-',
    // A past promise starts no clock: checked as if none was made (see the header), imported as it was.
    outcome: outcome === undefined || outcome === 'callback_promised' || outcome === 'case_opened' ? 'no_action' : outcome,
  };
  const checked = NewContactSchema.safeParse(contact);
  if (!checked.success) {
    const flagged = new Set(problems.map((p) => p.field));
    for (const issue of checked.error.issues) {
      const field = fieldOfPath(issue.path);
      // A column already said to be wrong is said once.
      if (flagged.has(field)) continue;
      // The rule's own words in both languages (said), or zod's, already in the request's language.
      problem(field, saidWords(issue) ?? issue.message);
    }
  }
  if (problems.length > 0 || !checked.success || logNo === undefined || startedAt === undefined) return { ok: false, problems };
  return { ok: true, value: { logNo, contact: { ...checked.data, startedAt, outcome: outcome === 'callback_promised' ? outcome : checked.data.outcome } } };
}
