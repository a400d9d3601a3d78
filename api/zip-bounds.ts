// How much an uploaded ZIP (an XLSX workbook is one) would become once unzipped, found before
// anything parses it (issue 32). ExcelJS unzips every part of a workbook into memory and parses
// it whole: a 50-KB file of zeros that inflates to gigabytes (a "zip bomb") would take the server's
// memory and minutes of its time, so it is measured first and refused quickly.
//
// The central directory is what ExcelJS's unzipper (JSZip) follows, so it is what is measured:
// - the number of its entries;
// - the sizes it declares, summed, refused at once past the bound;
// - and, since a declared size may lie, each entry inflated as a stream and counted, stopping the
//   moment the running total passes the bound. Entries that share their bytes (a directory whose
//   entries all point at one compressed part, the "overlapping" bomb) are counted each time, as
//   JSZip would inflate them each time.
import { Inflate } from 'fflate';

export interface ZipBounds {
  maxEntries: number;
  maxUnzippedBytes: number;
}

export type ZipMeasure =
  | { ok: true; entries: number; unzippedBytes: number }
  | { ok: false; problem: 'unreadable'; why: string }
  | { ok: false; problem: 'too_many_entries'; entries: number }
  | { ok: false; problem: 'too_large'; atLeast: number };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;
/** Compressed bytes given to the inflater at a time: at most about 1,000 times this comes out of one push. */
const CHUNK = 4096;

/** Measures a ZIP against the bounds without keeping any of what it holds. */
export function measureZip(bytes: Uint8Array, bounds: ZipBounds): ZipMeasure {
  try {
    return measure(bytes, bounds);
  } catch (err) {
    // Our words for a broken directory, or fflate's for a broken deflate stream.
    return { ok: false, problem: 'unreadable', why: (err as Error).message };
  }
}

function measure(bytes: Uint8Array, bounds: ZipBounds): ZipMeasure {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => (at + 2 <= bytes.length ? view.getUint16(at, true) : fail('cut short'));
  const u32 = (at: number) => (at + 4 <= bytes.length ? view.getUint32(at, true) : fail('cut short'));
  const u64 = (at: number) => {
    const n = u32(at) + u32(at + 4) * 2 ** 32;
    return Number.isSafeInteger(n) ? n : fail('a size beyond reason');
  };

  // The end of central directory record: the last 22 bytes, or earlier by a comment of up to 64 KB.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (view.getUint32(at, true) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('not a ZIP file (no central directory)');
  let entries = u16(eocd + 10);
  let directorySize = u32(eocd + 12);
  let directoryAt = u32(eocd + 16);
  // Where the directory's end was expected, to find bytes put before the archive (JSZip allows them).
  let directoryEnd = eocd;
  if (entries === 0xffff || directorySize === 0xffffffff || directoryAt === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || u32(locator) !== ZIP64_LOCATOR) fail('a ZIP64 archive without its locator');
    const zip64 = u64(locator + 8);
    if (u32(zip64) !== ZIP64_EOCD) fail('a ZIP64 archive without its directory record');
    entries = u64(zip64 + 32);
    directorySize = u64(zip64 + 40);
    directoryAt = u64(zip64 + 48);
    directoryEnd = zip64;
  }
  if (entries > bounds.maxEntries) return { ok: false, problem: 'too_many_entries', entries };
  const shift = directoryEnd - (directoryAt + directorySize);
  if (shift < 0) fail('the central directory is not where it says');

  const parts: Array<{ method: number; compressed: number; declared: number; local: number }> = [];
  let declaredTotal = 0;
  for (let n = 0, at = directoryAt + shift; n < entries; n++) {
    if (u32(at) !== CENTRAL) fail(`entry ${n + 1} of the central directory is broken`);
    const method = u16(at + 10);
    let compressed = u32(at + 20);
    let declared = u32(at + 24);
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    let local = u32(at + 42);
    // ZIP64 sizes and offset, in that order, for each field the entry left at its maximum.
    const extraEnd = at + 46 + nameLength + extraLength;
    for (let x = at + 46 + nameLength; x + 4 <= extraEnd; x += 4 + u16(x + 2)) {
      if (u16(x) !== 0x0001) continue;
      let field = x + 4;
      if (declared === 0xffffffff) {
        declared = u64(field);
        field += 8;
      }
      if (compressed === 0xffffffff) {
        compressed = u64(field);
        field += 8;
      }
      if (local === 0xffffffff) local = u64(field);
    }
    declaredTotal += declared;
    if (declaredTotal > bounds.maxUnzippedBytes) return { ok: false, problem: 'too_large', atLeast: declaredTotal };
    parts.push({ method, compressed, declared, local: local + shift });
    at = extraEnd + commentLength;
  }

  let total = 0;
  for (const part of parts) {
    if (u32(part.local) !== LOCAL) fail('an entry points at no file');
    const start = part.local + 30 + u16(part.local + 26) + u16(part.local + 28);
    if (start + part.compressed > bytes.length) fail('an entry runs past the end of the file');
    const data = bytes.subarray(start, start + part.compressed);
    if (part.method === STORED) total += data.length;
    else if (part.method === DEFLATED) total += inflated(data, bounds.maxUnzippedBytes - total);
    else fail(`compression method ${part.method}, which a workbook does not use`);
    if (total > bounds.maxUnzippedBytes) return { ok: false, problem: 'too_large', atLeast: total };
  }
  return { ok: true, entries, unzippedBytes: total };
}

/** How many bytes a deflate stream inflates to, counting no further than just past `budget`. */
function inflated(data: Uint8Array, budget: number): number {
  let out = 0;
  const inflater = new Inflate((chunk) => {
    out += chunk.length;
  });
  for (let at = 0; at < data.length && out <= budget; at += CHUNK) {
    inflater.push(data.subarray(at, at + CHUNK), at + CHUNK >= data.length);
  }
  return out;
}

function fail(why: string): never {
  throw new Error(why);
}
