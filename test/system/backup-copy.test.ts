// The backup reads each table with COPY inside one snapshot transaction. postgres.js 3.4 can leave
// its connection paused after a COPY whose last data came in the same read as a full buffer
// (porsager/postgres#499): the transaction's next query then never answers, and `npm run backup`
// hangs on real data (a note of some pages, Temporal's task_queues row). db/backup.ts's copyOut
// works around it; this holds it with rows larger than the stream's buffer, read slowly.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { copyOut } from '../../db/backup';
import { connectDatabase, createDatabaseIfMissing, type Sql } from '../../db/connect';

let admin: Sql;
let sql: Sql;
const name = `copy_${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  const server = inject('databaseUrl');
  await createDatabaseIfMissing(server, name);
  sql = connectDatabase(server.replace(/\/[^/]*$/, `/${name}`), { max: 1 });
  await sql`create table pages (n int, body text)`;
  // Rows of 20 to 200 KiB, each over the 16 KiB a stream buffers before it pauses the socket.
  for (let n = 1; n <= 10; n++) await sql`insert into pages values (${n}, ${'x'.repeat(n * 20_480)})`;
  admin = connectDatabase(server, { max: 1 });
});

afterAll(async () => {
  await sql?.end();
  await admin?.unsafe(`drop database if exists "${name}"`);
  await admin?.end();
});

/** Reads a stream a chunk at a time with a pause between, as a writer behind a slow disk would. */
async function readSlowly(rows: Readable): Promise<number> {
  let bytes = 0;
  for await (const chunk of rows) {
    bytes += (chunk as Buffer).length;
    await delay(5);
  }
  return bytes;
}

describe('a COPY read in a snapshot transaction', () => {
  it('ends, and the next query of the same transaction answers, with rows over the buffer read slowly', async () => {
    const table = { name: 'pages', columns: ['n', 'body'] };
    const read = await Promise.race([
      sql.begin('isolation level repeatable read, read only', async (tx) => {
        const sizes: number[] = [];
        for (let round = 0; round < 5; round++) {
          sizes.push(await readSlowly(await copyOut(tx, table)));
          // The query that hung: the next one on the transaction's connection.
          const [row] = await tx<{ n: number }[]>`select count(*)::int as n from pages`;
          expect(row!.n).toBe(10);
        }
        return sizes;
      }),
      delay(20_000).then(() => 'hung' as const),
    ]);
    expect(read).not.toBe('hung');
    // Every round read every byte: 10 rows of n × 20 KiB, a number, a tab and a newline each.
    const expected = Array.from({ length: 10 }, (_, i) => (i + 1) * 20_480 + String(i + 1).length + 2).reduce((a, b) => a + b, 0);
    expect(read).toEqual([expected, expected, expected, expected, expected]);
  });
});
