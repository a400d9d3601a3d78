// A centre's past hotline log brought in through POST /imports?kind=contacts (issue 27, 8), over
// HTTP against the Temporal dev server and PostgreSQL: the sample log all in, recorded as the
// importer at the log's times with its numbers; a second run that adds nothing and a changed row
// reported, not overwritten; C1 at import (a row that routes to the emergency path is imported as
// the log says and listed until a case is opened from it); bad rows named by row and column; a
// workbook's times; and who may import.
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvRecords, XLSX_TYPE } from '../../api/register-file';
import { freshProvince, type TestProvince } from '../support/province';
import { startTestSystem, type TestSystem } from '../support/system';

let system: TestSystem;
let province: TestProvince;
const tokens: Record<string, string> = {};
const sample = readFileSync(new URL('../../docs/contact-log-sample.csv', import.meta.url), 'utf8');
const sampleLogNos = csvRecords(sample)
  .slice(1)
  .map((r) => r[0]!);

beforeAll(async () => {
  system = await startTestSystem();
  province = await freshProvince(system.sql);
  for (const who of ['manager', 'supervisor', 'worker', 'admin'] as const) tokens[who] = await system.login(province[who]);
});

afterAll(async () => {
  await system?.close();
});

const call = (who: string, method: string, path: string, body?: unknown) => system.call(method, path, { token: tokens[who], body });
const importLog = (who: string, csv: string, headers: Record<string, string> = {}) =>
  system.call('POST', '/imports?kind=contacts', { token: tokens[who], body: csv, headers: { 'content-type': 'text/csv; charset=utf-8', ...headers } });

type Listed = { id: string; logNo: string; ref: string; outcome: string; caseId: string | null; callback: unknown; routing: { path: string } | null };
async function provinceContacts(): Promise<Listed[]> {
  const res = await call('manager', 'GET', '/contacts?limit=100');
  expect(res.status).toBe(200);
  return res.body.items;
}

describe('a past hotline log', () => {
  it('imports every row of the sample as the importer, at the log’s times, with its numbers, and opens no case', async () => {
    const first = await importLog('admin', sample);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ accepted: sampleLogNos.length, unchanged: 0, rejected: [], ignoredColumns: ['Người trực'] });
    // The neighbour's report of a beaten child routes to the emergency path: imported as the log says, and listed.
    expect(first.body.emergencies).toEqual([{ row: 8, logNo: '2023/0418', contactId: expect.any(String), ref: expect.any(String) }]);

    const contacts = await provinceContacts();
    expect(contacts.map((c) => c.logNo).sort()).toEqual([...sampleLogNos].sort());
    // The log is the default unit's, as it was on paper: its supervisor and workers read it too.
    for (const who of ['supervisor', 'worker']) {
      const theirs = await call(who, 'GET', '/contacts?limit=100');
      expect(theirs.body.items.map((c: Listed) => c.logNo).sort(), who).toEqual([...sampleLogNos].sort());
    }
    for (const c of contacts) expect(c.ref).toMatch(new RegExp(`^${province.code.toUpperCase()}-TV-2023-\\d{6}$`));
    const cases = await system.sql`select count(*)::int as n from cases where province = ${province.code}`;
    expect(cases[0]!.n).toBe(0);

    const report = await call('manager', 'GET', `/contacts/${first.body.emergencies[0].contactId}`);
    expect(report.body).toMatchObject({
      logNo: '2023/0418',
      startedAt: '2023-04-04T09:45:00.000Z',
      channel: 'hotline',
      callType: 'report_of_concern',
      outcome: 'referred',
      caseId: null,
      routing: { path: 'emergency' },
      caller: { anonymous: true, relation: 'neighbour' },
      about: { age: 10, gender: 'male', location: { commune: 'Hạ Long' } },
      concerns: { violenceOngoing: true, injury: true, immediateDanger: true },
      recordedBy: { displayName: province.admin },
    });
    expect(report.body.history).toMatchObject([{ kind: 'contact.imported', at: '2023-04-04T09:45:00.000Z', data: { logNo: '2023/0418' } }]);

    // A callback promised in 2023 is its outcome, with no clock.
    const promised = contacts.find((c) => c.logNo === '2023/0417')!;
    expect(promised).toMatchObject({ outcome: 'callback_promised', callback: null });
    const clocks =
      await system.sql`select count(*)::int as n from contact_callbacks cb join contacts k on k.id = cb.contact_id where k.province = ${province.code}`;
    expect(clocks[0]!.n).toBe(0);
    // Silent and prank calls and the information call had nothing to score.
    expect(
      contacts
        .filter((c) => c.routing === null)
        .map((c) => c.logNo)
        .sort(),
    ).toEqual(['2023/0413', '2023/0414', '2023/0416', '2023/0420', '2023/0422']);
  });

  it('adds nothing on a second run, reports a changed row, and lists an emergency until a case is opened from it', async () => {
    const again = await importLog('admin', sample);
    expect(again.body).toMatchObject({ accepted: 0, unchanged: sampleLogNos.length, rejected: [] });
    expect(again.body.emergencies.map((e: { logNo: string }) => e.logNo)).toEqual(['2023/0418']);
    expect(await provinceContacts()).toHaveLength(sampleLogNos.length);

    const changed = await importLog('admin', sample.replace('hỏi số hãng taxi', 'hỏi số taxi sân bay'));
    expect(changed.body.unchanged).toBe(sampleLogNos.length - 1);
    expect(changed.body.rejected).toEqual([{ row: 10, column: 'Số sổ', message: expect.stringContaining('not overwritten') }]);
    const wrongNumber = (await provinceContacts()).find((c) => c.logNo === '2023/0420')!;
    expect((await call('manager', 'GET', `/contacts/${wrongNumber.id}`)).body.summary).toBe('Gọi nhầm, hỏi số hãng taxi');

    // The manager reads the listed row and opens a case from it: then it is listed no more.
    const opened = await call('manager', 'POST', `/contacts/${again.body.emergencies[0].contactId}/case`, { client: { fullName: 'Chưa rõ tên, 10 tuổi' } });
    expect(opened.status).toBe(201);
    expect(opened.body.intake).toMatchObject({ contactId: again.body.emergencies[0].contactId, client: { age: 10 } });
    expect((await importLog('admin', sample)).body).toMatchObject({ unchanged: sampleLogNos.length, emergencies: [] });
  });

  it('rejects bad rows, each named by row and column, in the caller’s language, and keeps the good ones', async () => {
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const log = [
      'Số sổ,Ngày giờ,Người gọi,Ẩn danh,Loại cuộc gọi,Nội dung,Kết quả',
      'X-1,2024-05-02 09:00,,,Tán gẫu,Gọi hỏi thăm,Đã tư vấn',
      `X-2,${future} 09:00,,,Hỏi thông tin,Hỏi giờ làm việc,Đã tư vấn`,
      'X-3,2024-05-02 10:00,Nguyễn Văn Nam,có,Hỏi thông tin,Hỏi giờ làm việc,Đã tư vấn',
      'X-4,2024-05-02 11:00,,,Hỏi thông tin,,Đã tư vấn',
      'X-5,2024-05-02 12:00,Nguyễn Văn Nam,không,Hỏi thông tin,Hỏi giờ làm việc,Đã tư vấn',
      'X-5,2024-05-02 13:00,,,Hỏi thông tin,Hỏi lại,Đã tư vấn',
    ].join('\n');
    const res = await importLog('admin', log);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ accepted: 1, unchanged: 0, emergencies: [] });
    expect(res.body.rejected.map((p: { row: number; column: string }) => `${p.row}:${p.column}`)).toEqual([
      '2:Loại cuộc gọi',
      '3:Ngày giờ',
      '4:Người gọi',
      '5:Nội dung',
      '7:Số sổ',
    ]);
    expect(res.body.rejected[1].message).toBe('not after now');
    expect(res.body.rejected[2].message).toContain('an anonymous caller has no name');

    const vietnamese = await importLog('admin', log, { 'accept-language': 'vi' });
    expect(vietnamese.body).toMatchObject({ accepted: 0, unchanged: 1 });
    const vi = vietnamese.body.rejected.map((p: { message: string }) => p.message);
    expect(vi).toHaveLength(5);
    expect(vi[0]).toContain('không có trong danh mục');
    expect([vi[3], vi[4]]).toEqual(['bắt buộc, không được để trống', 'trùng số sổ với dòng 6']);
    // NewContactSchema's own rules, in their own Vietnamese.
    expect(vi[1]).not.toBe(res.body.rejected[1].message);
    expect(vi[2]).not.toBe(res.body.rejected[2].message);
    // A log without its required columns is refused whole, each missing column named.
    const bare = await importLog('admin', 'Số sổ,Nội dung\nY-1,Hỏi\n');
    expect(bare.body.rejected.map((p: { row: number; column: string }) => `${p.row}:${p.column}`)).toEqual(['1:startedAt', '1:callType', '1:outcome']);
  });

  it('reads a workbook’s times as the log’s wall clock in Vietnam, in one column or in two', async () => {
    const send = async (rows: unknown[][]) => {
      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Sổ tổng đài');
      for (const row of rows) sheet.addRow(row);
      // A workbook is bytes: sent as they are, not as the test helper's text or JSON.
      const res = await fetch(`${system.url}/imports?kind=contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.admin}`, 'content-type': XLSX_TYPE },
        body: new Uint8Array(await book.xlsx.writeBuffer()),
      });
      expect(res.status).toBe(200);
      return await res.json();
    };
    // A spreadsheet's date has no zone: 14:30 as written is 14:30 in Vietnam.
    const oneColumn = await send([
      ['Số sổ', 'Ngày giờ', 'Loại cuộc gọi', 'Nội dung', 'Kết quả'],
      ['XL-1', new Date('2024-06-03T14:30:00Z'), 'Hỏi thông tin', 'Hỏi thủ tục cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi', 'Đã tư vấn'],
    ]);
    expect(oneColumn).toMatchObject({ accepted: 1, rejected: [] });
    // A log that keeps the hour apart: a time cell is a time of the spreadsheet's day zero.
    const twoColumns = await send([
      ['Số sổ', 'Ngày', 'Giờ', 'Loại cuộc gọi', 'Nội dung', 'Kết quả'],
      ['XL-2', new Date('2024-06-04T00:00:00Z'), new Date('1899-12-30T08:05:00Z'), 'Nhầm số', 'Gọi nhầm', 'Không cần làm gì thêm'],
    ]);
    expect(twoColumns).toMatchObject({ accepted: 1, rejected: [] });
    const contacts = await provinceContacts();
    expect(contacts.find((c) => c.logNo === 'XL-1')).toMatchObject({ startedAt: '2024-06-03T07:30:00.000Z', channel: 'hotline', caller: { anonymous: true } });
    expect(contacts.find((c) => c.logNo === 'XL-2')).toMatchObject({ startedAt: '2024-06-04T01:05:00.000Z', callType: 'wrong_number' });
  });

  it('is for administrators, as the register import is; the register stays the default kind', async () => {
    for (const who of ['worker', 'supervisor', 'manager'] as const) expect((await importLog(who, sample)).status).toBe(403);
    const collaborator = await system.login('collaborator1');
    expect((await system.call('POST', '/imports?kind=contacts', { token: collaborator, body: sample, headers: { 'content-type': 'text/csv' } })).status).toBe(
      403,
    );
    const unknownKind = await system.call('POST', '/imports?kind=cases', { token: tokens.admin, body: sample, headers: { 'content-type': 'text/csv' } });
    expect(unknownKind.status).toBe(422);
    // Without a kind, a log is read as a register: its columns are not a register's.
    const asRegister = await system.call('POST', '/imports', { token: tokens.admin, body: sample, headers: { 'content-type': 'text/csv' } });
    expect(asRegister.status).toBe(200);
    expect(asRegister.body.accepted).toBe(0);
    expect(asRegister.body.rejected.map((p: { column: string }) => p.column)).toContain('registerNo');
    expect(asRegister.body.emergencies).toBeUndefined();
  });
});
