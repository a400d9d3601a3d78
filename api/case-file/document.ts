// A printed case document, as a small model that both renderers draw (html.ts for the page the
// browser prints, pdf.ts for the PDF): a form is written once, as blocks, and looks the same on
// paper either way. The words every page carries (the heading, MẬT, the footer) are here too.
import { dateTime } from '../console/format';

export type PrintLanguage = 'vi' | 'en';

/** What every page of one print says about itself. */
export interface PrintHeader {
  lang: PrintLanguage;
  provinceName: string;
  centreName: string;
  caseRef: string;
  /** Every page carries MẬT (restricted case). */
  restricted: boolean;
  printedBy: string;
  /** ISO instant. */
  printedAt: string;
}

export type Block =
  /** A numbered part of a form: "1. Thông tin về người được trợ giúp". */
  | { kind: 'section'; title: string }
  /** Label and value, one row each; an empty value prints as a line to write on. */
  | { kind: 'fields'; rows: Array<{ label: string; value: string }> }
  | { kind: 'table'; columns: string[]; rows: string[][]; empty: string }
  | { kind: 'text'; text: string }
  /** The signatures' places, side by side: who signs (role), their name and the date when known. */
  | { kind: 'signatures'; places: Array<{ role: string; name: string | null; date: string | null }> };

export interface PrintedForm {
  /** Its name in the API (intake, plan, referral-<id>…), or a part of the whole file (timeline…). */
  name: string;
  title: string;
  /** Under the title: "Mã trường hợp QN-2026-000123", a referral's partner… */
  subtitle: string;
  blocks: Block[];
}

/** One print: a single form, or the whole file (a table of contents, then every part). */
export interface PrintedDocument {
  header: PrintHeader;
  /** The document's own title (the form's, or "Hồ sơ trường hợp"). */
  title: string;
  /** With a table of contents (the whole file). */
  contents: boolean;
  parts: PrintedForm[];
}

type Words = Record<PrintLanguage, string>;
const WORDS = {
  nation: { vi: 'CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM', en: 'SOCIALIST REPUBLIC OF VIET NAM' },
  motto: { vi: 'Độc lập - Tự do - Hạnh phúc', en: 'Independence - Freedom - Happiness' },
  secret: { vi: 'MẬT', en: 'MẬT (CONFIDENTIAL)' },
  contents: { vi: 'MỤC LỤC', en: 'CONTENTS' },
  page: { vi: 'Trang', en: 'Page' },
  caseRef: { vi: 'Mã trường hợp', en: 'Case reference' },
  signed: { vi: '(Ký, ghi rõ họ tên)', en: '(Signature and full name)' },
} satisfies Record<string, Words>;

export function word(key: keyof typeof WORDS, lang: PrintLanguage): string {
  return WORDS[key][lang];
}

/** The footer of every page: who printed it and when (and, in the PDF, the page's number). */
export function footerText(h: PrintHeader, page?: { number: number; of: number }): string {
  const who =
    h.lang === 'vi'
      ? `In bởi ${h.printedBy} lúc ${dateTime(h.printedAt)} · ${h.caseRef}`
      : `Printed by ${h.printedBy} at ${dateTime(h.printedAt)} (Vietnam time) · ${h.caseRef}`;
  return page ? `${who} · ${word('page', h.lang)} ${page.number}/${page.of}` : who;
}
