// A province of its own for a test that changes province-wide things (the published ruleset),
// so other test files sharing the database never see it.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/connect';

export async function freshProvince(sql: Sql): Promise<{ code: string; manager: string; worker: string }> {
  const code = `test-${randomUUID().slice(0, 8)}`;
  const unit = randomUUID();
  const manager = `manager.${code}`;
  const worker = `worker.${code}`;
  await sql.begin(async (tx) => {
    await tx`insert into provinces (code, name) values (${code}, ${`Tỉnh thử ${code}`})`;
    await tx`insert into units (id, province, name, is_default) values (${unit}, ${code}, 'Đơn vị thử', true)`;
    for (const [username, role, unitId] of [
      [manager, 'manager', null],
      [worker, 'social_worker', unit],
    ] as const) {
      await tx`
        insert into staff (id, province, username, display_name, role, unit_id, password_hash)
        select ${randomUUID()}, ${code}, ${username}, ${username}, ${role}, ${unitId}, password_hash from staff where username = 'worker1'`;
    }
  });
  return { code, manager, worker };
}
