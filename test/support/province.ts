// A province of its own for a test that changes province-wide things (the published ruleset or
// deadline policy), so other test files sharing the database never see it.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../../db/connect';

export interface TestProvince {
  code: string;
  manager: string;
  manager2: string;
  supervisor: string;
  worker: string;
  admin: string;
}

export async function freshProvince(sql: Sql): Promise<TestProvince> {
  const code = `test-${randomUUID().slice(0, 8)}`;
  const unit = randomUUID();
  const people = {
    manager: `manager.${code}`,
    manager2: `manager2.${code}`,
    supervisor: `supervisor.${code}`,
    worker: `worker.${code}`,
    admin: `admin.${code}`,
  };
  await sql.begin(async (tx) => {
    await tx`insert into provinces (code, name) values (${code}, ${`Tỉnh thử ${code}`})`;
    await tx`insert into units (id, province, name, is_default) values (${unit}, ${code}, 'Đơn vị thử', true)`;
    for (const [username, role, unitId] of [
      [people.manager, 'manager', null],
      [people.manager2, 'manager', null],
      [people.supervisor, 'supervisor', unit],
      [people.worker, 'social_worker', unit],
      [people.admin, 'admin', null],
    ] as const) {
      await tx`
        insert into staff (id, province, username, display_name, role, unit_id, password_hash)
        select ${randomUUID()}, ${code}, ${username}, ${username}, ${role}, ${unitId}, password_hash from staff where username = 'worker1'`;
    }
    await tx`
      update units set supervisor_id = (select id from staff where username = ${people.supervisor}),
                       on_call_worker_id = (select id from staff where username = ${people.worker})
      where id = ${unit}`;
  });
  return { code, ...people };
}
