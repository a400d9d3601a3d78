// A centre's past register (sổ đăng ký đối tượng): one row per case, as centres keep them in
// spreadsheets, with English or Vietnamese column headers. Each row is checked with the intake's
// own rules (domain/intake.ts) and the register's: a closed case has its closing date, an open one
// none, a person has a birth year or an age. The importer turns a good row into an intake and an
// imported starting state; a bad row is reported by row, column and reason, and nothing of it is kept.
import { CLOSURE_REASONS, type ClosureReason } from './closure';
import { CATEGORY_CODES, CHANNELS, GENDERS, type Intake } from './intake';
import { CLOSURE_REASON_LABELS } from './labels';
import { calendarDay, text } from './input';
import { PATHS, RISK_LEVELS, STAGES } from './stages';
import { z } from './zod';

/** Stages a register row may be in: any open one, or closed. */
export const REGISTER_STAGES = STAGES.filter((s) => s !== 'erased');

/** Each field with the headers it is recognised by (compared without case, accents or spaces). */
export const REGISTER_COLUMNS = {
  registerNo: ['Số hồ sơ', 'Số đăng ký', 'Mã hồ sơ'],
  receivedAt: ['Ngày tiếp nhận', 'Ngày nhận'],
  incidentDate: ['Ngày xảy ra', 'Ngày xảy ra sự việc'],
  channel: ['Kênh', 'Kênh tiếp nhận'],
  clientName: ['Họ tên', 'Họ và tên'],
  birthYear: ['Năm sinh'],
  age: ['Tuổi'],
  gender: ['Giới tính'],
  commune: ['Xã', 'Xã/Phường', 'Phường/Xã'],
  district: ['Huyện', 'Quận/Huyện'],
  phone: ['Điện thoại', 'Số điện thoại'],
  ethnicMinority: ['Dân tộc thiểu số', 'DTTS'],
  categories: ['Nhóm đối tượng', 'Đối tượng'],
  riskLevel: ['Mức nguy cơ', 'Mức độ nguy cơ'],
  path: ['Luồng', 'Luồng xử lý'],
  stage: ['Bước', 'Tình trạng', 'Giai đoạn'],
  closedAt: ['Ngày kết thúc', 'Ngày đóng'],
  closureReason: ['Lý do kết thúc'],
  outcome: ['Kết quả'],
  summary: ['Tóm tắt', 'Nội dung'],
} as const;
export type RegisterField = keyof typeof REGISTER_COLUMNS;

/** A header or a word as compared: no accents, no case, no spaces or punctuation (the contact log's too). */
export const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/gi, 'd')
    .replace(/[^a-z0-9]/gi, '')
    .toLowerCase();
const BY_HEADER = new Map<string, RegisterField>(
  (Object.entries(REGISTER_COLUMNS) as Array<[RegisterField, readonly string[]]>).flatMap(([field, names]) =>
    [field, ...names].map((name) => [fold(name), field] as const),
  ),
);

/** The field a column header names, whatever its case, accents or spacing; undefined for any other column. */
export function registerField(header: string): RegisterField | undefined {
  return BY_HEADER.get(fold(header));
}

/** Words centres write for a value, to the product's codes. */
const WORDS: Partial<Record<RegisterField, Record<string, string>>> = {
  gender: { nu: 'female', nam: 'male', khac: 'other', khongro: 'unknown' },
  ethnicMinority: { co: 'true', khong: 'false', x: 'true', '1': 'true', '0': 'false', yes: 'true', no: 'false' },
  riskLevel: { ratcao: 'critical', nghiemtrong: 'critical', cao: 'high', trungbinh: 'medium', thap: 'low' },
  path: { khancap: 'emergency', thuong: 'standard', thongthuong: 'standard' },
  stage: { daketthuc: 'closed', ketthuc: 'closed', dong: 'closed' },
};
/** A register's reason for closing as the reports count it: a code, or its words in either language; anything else is "other". */
export function closureReasonCode(written: string | undefined): ClosureReason {
  const key = fold(written ?? '');
  return CLOSURE_REASONS.find((code) => [code, CLOSURE_REASON_LABELS[code].vi, CLOSURE_REASON_LABELS[code].en].some((w) => fold(w) === key)) ?? 'other';
}
const word = (field: RegisterField) => (v: unknown) => (typeof v === 'string' ? (WORDS[field]?.[fold(v)] ?? v) : v);
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

export const RegisterRowSchema = z
  .strictObject({
    registerNo: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/, 'letters, digits and . _ / - (at most 40), unique in the province'),
    receivedAt: calendarDay(),
    incidentDate: optional(calendarDay()),
    channel: z.enum(CHANNELS),
    clientName: text(200),
    birthYear: optional(z.coerce.number().int().min(1900).max(2100)),
    age: optional(z.coerce.number().int().min(0).max(130)),
    gender: z.preprocess(word('gender'), z.enum(GENDERS)),
    commune: optional(text(100)),
    district: optional(text(100)),
    phone: optional(text(30)),
    ethnicMinority: optional(
      z.preprocess(
        word('ethnicMinority'),
        z.enum(['true', 'false']).transform((v) => v === 'true'),
      ),
    ),
    categories: z.preprocess(
      (v) =>
        v === undefined
          ? []
          : typeof v === 'string'
            ? v
                .split(/[;,]/)
                .map((c) => c.trim())
                .filter(Boolean)
            : v,
      z.array(z.enum(CATEGORY_CODES)).max(CATEGORY_CODES.length),
    ),
    riskLevel: z.preprocess(word('riskLevel'), z.enum(RISK_LEVELS)),
    path: z.preprocess(word('path'), z.enum(PATHS)),
    stage: z.preprocess(word('stage'), z.enum(REGISTER_STAGES)),
    closedAt: optional(calendarDay()),
    closureReason: optional(text(5000)),
    outcome: optional(text(5000)),
    summary: optional(text(10_000)),
  })
  .superRefine((row, ctx) => {
    if (row.birthYear === undefined && row.age === undefined) ctx.addIssue({ code: 'custom', path: ['birthYear'], message: 'a birth year or an age' });
    if (row.stage === 'closed' && !row.closedAt) ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'a closed case needs the day it closed' });
    if (row.stage !== 'closed' && row.closedAt) ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'an open case has no closing day' });
    if (row.closedAt && row.closedAt < row.receivedAt) ctx.addIssue({ code: 'custom', path: ['closedAt'], message: 'before the day it was received' });
    if (row.incidentDate && row.incidentDate > row.receivedAt)
      ctx.addIssue({ code: 'custom', path: ['incidentDate'], message: 'after the day it was received' });
    if (row.path === 'emergency' && row.stage === 'emergency_response' && row.riskLevel === 'low')
      ctx.addIssue({ code: 'custom', path: ['riskLevel'], message: 'an emergency at low risk' });
  });
export type RegisterRow = z.infer<typeof RegisterRowSchema>;

/** How an imported routing decision says where it came from: the register's risk, not a ruleset's score (rulesetVersion 0). */
export const IMPORTED_REASON = {
  rule: 'imported_from_register',
  points: 0,
  forcesEmergency: false,
  note: { vi: 'Mức nguy cơ và luồng ghi trong sổ đăng ký cũ; không chấm lại', en: 'Risk and path as the past register recorded them; not re-scored' },
};

/** A register row as the intake the product would have recorded. */
export function registerIntake(row: RegisterRow, provinceName: string): Intake {
  return {
    channel: row.channel,
    client: {
      fullName: row.clientName,
      ...(row.birthYear !== undefined ? { birthYear: row.birthYear } : {}),
      ...(row.age !== undefined ? { age: row.age } : {}),
      gender: row.gender,
      ...(row.ethnicMinority !== undefined ? { ethnicMinority: row.ethnicMinority } : {}),
      location: { province: provinceName, ...(row.district ? { district: row.district } : {}), ...(row.commune ? { commune: row.commune } : {}) },
      ...(row.phone ? { phone: row.phone } : {}),
    },
    categories: row.categories,
    concerns: {},
    summary: row.summary ?? `Nhập từ sổ đăng ký, hồ sơ ${row.registerNo}`,
    ...(row.incidentDate ? { incidentDate: row.incidentDate } : {}),
  };
}
