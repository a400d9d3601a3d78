// The case file's record, read once for a print: the case as this reader may see it (its
// placements and programmes), its whole timeline and its referrals — the same facts every form,
// the whole file and the JSON export are made of, so they cannot disagree.
import { displayNames, provinceName } from '../../db/directory';
import { caseEventKinds, caseTimeline } from '../../db/lifecycle';
import { listCaseReferrals } from '../../db/referrals';
import type { Sql } from '../../db/connect';
import type { Principal } from '../../domain/access';
import type { Case } from '../../domain/case';
import type { CaseFileExport } from '../../domain/case-file';
import { isUuid } from '../../domain/ids';
import type { PartnerKind } from '../../domain/referrals';
import { caseInScope } from '../case-scope';
import { presentCase } from '../case-view';
import type { PrintHeader, PrintLanguage } from './document';
import type { FormFacts } from './forms';

/** The record of a case in the reader's scope (404 outside it, as reading the case). */
export async function caseFileRecord(sql: Sql, id: string, p: Principal, now = new Date()): Promise<CaseFileExport> {
  const subject = await caseInScope(sql, id, p);
  const [shown, timeline, referrals] = await Promise.all([presentCase(sql, subject, p), caseTimeline(sql, id), listCaseReferrals(sql, id)]);
  return {
    format: 'case-flow/case-file',
    version: 1,
    exportedAt: now.toISOString(),
    exportedBy: { id: p.id, name: p.name },
    restricted: subject.restricted,
    // Staff only reach here (the routes allow no collaborator), who are shown the whole case.
    case: shown as Case,
    timeline,
    referrals: referrals.map((r) => ({ ...r, partner: { ...r.partner, kind: r.partner.kind as PartnerKind } })),
  };
}

/** Only what the list of a case's forms needs (the case page asks at every view): not the whole record. */
export async function caseFormFacts(sql: Sql, id: string, p: Principal): Promise<FormFacts> {
  await caseInScope(sql, id, p);
  const [kinds, referrals] = await Promise.all([caseEventKinds(sql, id), listCaseReferrals(sql, id)]);
  return { kinds, referrals };
}

/** What every page of this print says: the centre, the case, MẬT when restricted, who printed it and when. */
export async function printHeader(sql: Sql, r: CaseFileExport, lang: PrintLanguage): Promise<PrintHeader> {
  const named = (await provinceName(sql, r.case.province)) ?? r.case.province;
  // As the centres name themselves: "Trung tâm Công tác xã hội tỉnh Quảng Ninh" (a name may carry its "Tỉnh" already).
  const city = /^thành phố\s/i.test(named);
  const bare = named.replace(/^(tỉnh|thành phố)\s+/i, '');
  const kind = city ? 'thành phố' : 'tỉnh';
  return {
    lang,
    provinceName: lang === 'vi' ? `${kind[0]!.toUpperCase()}${kind.slice(1)} ${bare}` : bare,
    centreName: lang === 'vi' ? `Trung tâm Công tác xã hội ${kind} ${bare}` : `Social Work Centre of ${bare}`,
    caseRef: r.case.ref,
    restricted: r.restricted,
    printedBy: r.exportedBy.name,
    printedAt: r.exportedAt,
  };
}

/**
 * The record as paper says it: people by the names they sign with (the timeline and the API say
 * usernames). Only for printing; the JSON export keeps the API's words.
 */
export async function onPaper(sql: Sql, r: CaseFileExport): Promise<CaseFileExport> {
  const ids = new Set([r.exportedBy.id, ...r.timeline.map((e) => e.actorId).filter((id): id is string => !!id)]);
  const names = await displayNames(sql, [...ids].filter(isUuid));
  return {
    ...r,
    exportedBy: { ...r.exportedBy, name: names.get(r.exportedBy.id) ?? r.exportedBy.name },
    timeline: r.timeline.map((e) => (e.actorId && names.has(e.actorId) ? { ...e, actor: names.get(e.actorId)! } : e)),
  };
}
