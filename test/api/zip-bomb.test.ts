// An XLSX upload is a ZIP, measured before anything parses it (issue 32): a workbook that would
// unzip to hundreds of megabytes — honestly declared, lying about its sizes, or one compressed
// part pointed at by many entries — is refused with 413 in well under two seconds, the body named
// and said in both languages; a real workbook passes. ZIPs written here by hand, so the test says
// exactly what each holds.
import { createDeflateRaw, crc32 } from 'node:zlib';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XLSX_BOUNDS, XLSX_TYPE } from '../../api/register-file';
import { measureZip } from '../../api/zip-bounds';
import { inProcessApi, type InProcessApi } from '../support/app';

const MB = 1024 * 1024;

/** n MB of zeros as a raw deflate stream (about 1 KB a megabyte), with its CRC-32. */
async function zeros(n: number): Promise<{ deflated: Uint8Array; size: number; crc: number }> {
  const deflate = createDeflateRaw({ level: 9 });
  const out: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => out.push(chunk));
  const ended = new Promise((done) => deflate.on('end', done));
  const mb = Buffer.alloc(MB);
  let crc = 0;
  for (let i = 0; i < n; i++) {
    deflate.write(mb);
    crc = crc32(mb, crc);
  }
  deflate.end();
  await ended;
  return { deflated: new Uint8Array(Buffer.concat(out)), size: n * MB, crc };
}

/**
 * A ZIP of one deflated part, listed in the central directory `copies` times (each entry pointing
 * at the same bytes: the "overlapping" bomb), each declaring `declared` bytes (the truth by default).
 */
function zipOf(part: { deflated: Uint8Array; size: number; crc: number }, o: { copies?: number; declared?: number; name?: string } = {}): Uint8Array {
  const name = Buffer.from(o.name ?? 'xl/worksheets/sheet1.xml');
  const declared = o.declared ?? part.size;
  const header = (signature: number, length: number) => {
    const b = Buffer.alloc(length);
    b.writeUInt32LE(signature, 0);
    return b;
  };
  const local = header(0x04034b50, 30);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt16LE(0x21, 12);
  local.writeUInt32LE(part.crc >>> 0, 14);
  local.writeUInt32LE(part.deflated.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(name.length, 26);
  const central: Buffer[] = [];
  for (let n = 0; n < (o.copies ?? 1); n++) {
    const own = n === 0 ? name : Buffer.from(`xl/worksheets/sheet${n + 1}.xml`);
    const entry = header(0x02014b50, 46);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(0x21, 14);
    entry.writeUInt32LE(part.crc >>> 0, 16);
    entry.writeUInt32LE(part.deflated.length, 20);
    entry.writeUInt32LE(declared, 24);
    entry.writeUInt16LE(own.length, 28);
    entry.writeUInt32LE(0, 42);
    central.push(entry, own);
  }
  const directory = Buffer.concat(central);
  const start = local.length + name.length + part.deflated.length;
  const end = header(0x06054b50, 22);
  end.writeUInt16LE(o.copies ?? 1, 8);
  end.writeUInt16LE(o.copies ?? 1, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(start, 16);
  return new Uint8Array(Buffer.concat([local, name, part.deflated, directory, end]));
}

let api: InProcessApi;
let admin: string;
let bomb: { deflated: Uint8Array; size: number; crc: number };
let kernel: { deflated: Uint8Array; size: number; crc: number };
let workbook: Uint8Array;

beforeAll(async () => {
  api = inProcessApi();
  admin = await api.tokenFor('admin1');
  bomb = await zeros(300);
  kernel = await zeros(8);
  const book = new ExcelJS.Workbook();
  book.addWorksheet('Sổ đăng ký').addRow(['Số hồ sơ', 'Họ tên']);
  workbook = new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer);
});

afterAll(async () => {
  await api?.close();
});

describe('an uploaded ZIP, measured before it is parsed', () => {
  it('passes a real workbook, counting what it unzips to', () => {
    const measured = measureZip(workbook, XLSX_BOUNDS);
    const unzipped = Object.values(unzipSync(workbook)).reduce((n, f) => n + f.length, 0);
    expect(measured).toEqual({ ok: true, entries: Object.keys(unzipSync(workbook)).length, unzippedBytes: unzipped });
  });

  it('refuses 300 MB of zeros in 300 KB, whether its sizes are declared, lied about, or its part listed many times', () => {
    expect(bomb.deflated.length).toBeLessThan(400 * 1024);
    const started = performance.now();
    expect(measureZip(zipOf(bomb), XLSX_BOUNDS)).toEqual({ ok: false, problem: 'too_large', atLeast: 300 * MB });
    // A directory that says 1,000 bytes: inflated and counted, and stopped past the bound.
    const lying = measureZip(zipOf(bomb, { declared: 1000 }), XLSX_BOUNDS);
    expect(lying).toMatchObject({ ok: false, problem: 'too_large' });
    expect(lying.ok === false && lying.problem === 'too_large' && lying.atLeast).toBeGreaterThan(XLSX_BOUNDS.maxUnzippedBytes);
    expect(lying.ok === false && lying.problem === 'too_large' && lying.atLeast).toBeLessThan(XLSX_BOUNDS.maxUnzippedBytes + 8 * MB);
    // 8 MB under 100 names: each entry is inflated again by an unzipper, so each is counted again.
    expect(measureZip(zipOf(kernel, { copies: 100 }), XLSX_BOUNDS)).toMatchObject({ ok: false, problem: 'too_large' });
    expect(measureZip(zipOf(kernel, { copies: 100, declared: 10 }), XLSX_BOUNDS)).toMatchObject({ ok: false, problem: 'too_large' });
    expect(measureZip(zipOf(kernel, { copies: 2_000, declared: 10 }), XLSX_BOUNDS)).toEqual({ ok: false, problem: 'too_many_entries', entries: 2_000 });
    expect(performance.now() - started).toBeLessThan(2_000);
    // Not a ZIP, or one cut short: unreadable, for the file's own row problem (register-file.ts).
    expect(measureZip(new TextEncoder().encode('not a workbook'), XLSX_BOUNDS)).toMatchObject({ ok: false, problem: 'unreadable' });
    expect(measureZip(zipOf(bomb).subarray(0, 2000), XLSX_BOUNDS)).toMatchObject({ ok: false, problem: 'unreadable' });
  });
});

describe('POST /imports with an XLSX zip bomb', () => {
  for (const [kind, path] of [
    ['a register', '/imports'],
    ['a hotline log', '/imports?kind=contacts'],
  ] as const) {
    it(`answers 413 within two seconds for ${kind}, naming the body in both languages`, async () => {
      for (const file of [zipOf(bomb), zipOf(bomb, { declared: 1000 }), zipOf(kernel, { copies: 100, declared: 10 })]) {
        for (const lang of ['vi', 'en'] as const) {
          const started = performance.now();
          const res = await api.call('POST', path, { token: admin, body: file, headers: { 'content-type': XLSX_TYPE, 'accept-language': lang } });
          expect(performance.now() - started).toBeLessThan(2_000);
          expect(res.status).toBe(413);
          expect(res.body.error.code).toBe('payload_too_large');
          expect(res.body.error.details).toEqual([{ path: '(body)', message: expect.stringContaining('40 MB') }]);
          expect(res.body.error.details[0].message).toContain(lang === 'vi' ? 'giải nén' : 'unzips');
        }
      }
    });
  }

  it('still reads a real workbook: its rows, not a refusal', async () => {
    const res = await api.call('POST', '/imports', { token: admin, body: workbook, headers: { 'content-type': XLSX_TYPE } });
    expect(res.status).toBe(200);
    // A header without the register's columns: named as missing, row 1.
    expect(res.body.accepted).toBe(0);
    expect(res.body.rejected[0]).toMatchObject({ row: 1 });
  });
});
