// The register format: the README's sample file read with English or Vietnamese headers; good rows
// become intakes, bad ones are named by row, column and reason.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { csvRecords, readRegisterCsv, readRegisterXlsx, toCsv } from '../../api/register-file';
import { IntakeSchema } from '../../domain/intake';
import { registerIntake } from '../../domain/register';
import { demoRegister } from '../../system/demo-register';

const sample = readFileSync(new URL('../../docs/register-sample.csv', import.meta.url), 'utf8');

describe('a register file', () => {
  it('reads the sample: three good rows, three rejected with why, and an unknown column said', () => {
    const read = readRegisterCsv(sample);
    expect(read.rows.map((r) => [r.row, r.value.registerNo, r.value.stage])).toEqual([
      [2, 'QN-2019-0012', 'closed'],
      [3, 'QN-2021-0107', 'implementation'],
      [4, 'QN-2024-0033', 'assessment'],
    ]);
    expect(read.rejected).toEqual([
      { row: 5, column: 'Kênh', message: expect.stringContaining('') },
      { row: 6, column: 'Năm sinh', message: 'a birth year or an age' },
      { row: 6, column: 'Ngày kết thúc', message: 'a closed case needs the day it closed' },
      { row: 7, column: 'Số hồ sơ', message: 'the same register number as row 4' },
    ]);
    expect(read.ignoredColumns).toEqual(['Ghi chú nội bộ']);
    const [closed, open] = read.rows.map((r) => r.value);
    expect(closed).toMatchObject({ gender: 'female', riskLevel: 'high', path: 'emergency', categories: ['child_at_risk', 'domestic_violence_victim'] });
    expect(open).toMatchObject({ age: 82, riskLevel: 'medium', path: 'standard' });
    expect(open?.ethnicMinority).toBeUndefined();
    // A good row is an intake the API itself would accept.
    for (const r of read.rows) expect(IntakeSchema.safeParse(registerIntake(r.value, 'Quảng Ninh')).success).toBe(true);
  });

  it('takes the English headers, semicolons as separators, and names a missing column', () => {
    const english =
      'registerNo;receivedAt;channel;clientName;age;gender;riskLevel;path;stage\nA-1;2025-01-02;hotline;Lê Văn F;40;male;low;standard;assessment\n';
    expect(readRegisterCsv(english).rows).toHaveLength(1);
    expect(readRegisterCsv('registerNo,clientName\nA-1,X\n').rejected.map((p) => p.column)).toEqual([
      'receivedAt',
      'channel',
      'gender',
      'riskLevel',
      'path',
      'stage',
    ]);
    expect(readRegisterCsv('').rejected[0]).toMatchObject({ row: 1, column: '(file)' });
  });

  it('reads the same register from a workbook, with its dates as dates', async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Sổ đăng ký');
    for (const [i, record] of csvRecords(sample).entries()) {
      // A spreadsheet keeps the day received as a date, not as text.
      sheet.addRow(i > 0 && record[1] ? [record[0], new Date(`${record[1]}T00:00:00Z`), ...record.slice(2)] : record);
    }
    const fromXlsx = await readRegisterXlsx((await book.xlsx.writeBuffer()) as ArrayBuffer);
    const fromCsv = readRegisterCsv(sample);
    expect(fromXlsx.rows).toEqual(fromCsv.rows);
    expect(fromXlsx.rejected).toEqual(fromCsv.rejected);
    expect((await readRegisterXlsx(new TextEncoder().encode('not a workbook').buffer as ArrayBuffer)).rejected[0]).toMatchObject({ row: 1, column: '(file)' });
  });

  it('reads the demo’s open caseload (npm run demo -- --open N) as open cases of the last half year, none refused, beside the two-year register', () => {
    const open = readRegisterCsv(toCsv(demoRegister(500, 2026, true)));
    expect(open.rejected).toEqual([]);
    expect(open.rows).toHaveLength(500);
    expect(open.rows.filter((r) => r.value.stage === 'closed')).toEqual([]);
    const halfYearAgo = new Date(Date.now() - 182 * 86_400_000).toISOString().slice(0, 10);
    expect(open.rows.every((r) => r.value.receivedAt >= halfYearAgo)).toBe(true);
    // Its numbers are its own: brought in after `--cases`, it adds cases instead of clashing.
    const twoYears = new Set(readRegisterCsv(toCsv(demoRegister(500, 2026))).rows.map((r) => r.value.registerNo));
    expect(open.rows.filter((r) => twoYears.has(r.value.registerNo))).toEqual([]);
  });
});
