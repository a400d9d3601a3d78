// /units: the teams that cases are assigned to, and the areas each covers.
import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { normaliseArea, type UnitRow } from '../../db/directory';
import { isUuid } from '../../domain/ids';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

export const UnitSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    areas: z.array(z.string()).describe('District or commune names, compared without case or administrative prefix'),
    isDefault: z.boolean().describe('Takes the cases no other unit covers'),
    supervisorId: z.uuid().nullable(),
    onCallWorkerId: z.uuid().nullable(),
    province: z.string(),
  })
  .openapi('Unit');

const UnitFields = {
  areas: z.array(z.string().trim().min(1).max(100)).max(500),
  isDefault: z.boolean(),
  supervisorId: z.uuid().nullable(),
  onCallWorkerId: z.uuid().nullable(),
};
const NewUnitSchema = z
  .object({ name: z.string().trim().min(1).max(200), ...UnitFields })
  .partial({ areas: true, isDefault: true, supervisorId: true, onCallWorkerId: true })
  .openapi('NewUnit');
const UnitPatchSchema = z.object(UnitFields).partial().openapi('UnitPatch');


const toUnit = (u: UnitRow) => ({
  id: u.id,
  name: u.name,
  areas: u.areas,
  isDefault: u.is_default,
  supervisorId: u.supervisor_id,
  onCallWorkerId: u.on_call_worker_id,
  province: u.province,
});

export function unitsRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;

  async function checkStaff(fields: { supervisorId?: string | null; onCallWorkerId?: string | null }, province: string) {
    for (const [path, id] of Object.entries(fields)) {
      if (!id) continue;
      const [row] = await sql`select 1 from staff where id = ${id} and province = ${province} and active`;
      if (!row) throw new ApiError(422, 'validation_failed', 'No such staff member', [{ path, message: 'no active staff member with this id in your province' }]);
    }
  }

  async function save(write: () => Promise<UnitRow[]>): Promise<UnitRow | undefined> {
    try {
      return (await write())[0];
    } catch (err) {
      if ((err as { code?: string }).code === '23505') {
        throw new ApiError(409, 'conflict', 'Another unit has this name, or the province already has a default unit', [
          { path: 'name', message: 'name and default unit are unique per province' },
        ]);
      }
      throw err;
    }
  }

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Units of your province',
      middleware: [allow('supervisor', 'manager', 'admin')] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(UnitSchema) }), 'Units'), ...errorResponses(401, 403) },
    }),
    async (c) => {
      const rows = await sql<UnitRow[]>`select * from units where province = ${c.get('principal').province} order by name`;
      c.set('audit', { action: 'unit.list', detail: { count: rows.length } });
      return c.json({ items: rows.map(toUnit) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Add a unit',
      middleware: [allow('admin')] as const,
      request: { body: { required: true, content: { 'application/json': { schema: NewUnitSchema } } } },
      responses: { 201: jsonContent(UnitSchema, 'Created'), ...errorResponses(401, 403, 409, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const p = c.get('principal');
      c.set('audit', { action: 'unit.create', detail: { name: body.name } });
      await checkStaff({ supervisorId: body.supervisorId, onCallWorkerId: body.onCallWorkerId }, p.province);
      const row = await save(
        () => sql<UnitRow[]>`
          insert into units (id, province, name, areas, is_default, supervisor_id, on_call_worker_id)
          values (${randomUUID()}, ${p.province}, ${body.name}, ${(body.areas ?? []).map(normaliseArea)}, ${body.isDefault ?? false},
                  ${body.supervisorId ?? null}, ${body.onCallWorkerId ?? null})
          returning *`,
      );
      return c.json(toUnit(row!), 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      summary: 'Change the areas, supervisor, on-call worker or default flag of a unit',
      middleware: [allow('admin')] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: UnitPatchSchema } } } },
      responses: { 200: jsonContent(UnitSchema, 'Changed'), ...errorResponses(401, 403, 404, 409, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      const p = c.get('principal');
      c.set('audit', { action: 'unit.update', detail: { unitId: id, ...patch } });
      await checkStaff({ supervisorId: patch.supervisorId, onCallWorkerId: patch.onCallWorkerId }, p.province);
      const keep = (column: string) => sql(column);
      const row = isUuid(id)
        ? await save(
            () => sql<UnitRow[]>`
              update units set
                areas = ${patch.areas === undefined ? keep('areas') : patch.areas.map(normaliseArea)},
                is_default = ${patch.isDefault === undefined ? keep('is_default') : patch.isDefault},
                supervisor_id = ${patch.supervisorId === undefined ? keep('supervisor_id') : patch.supervisorId},
                on_call_worker_id = ${patch.onCallWorkerId === undefined ? keep('on_call_worker_id') : patch.onCallWorkerId}
              where id = ${id} and province = ${p.province}
              returning *`,
          )
        : undefined;
      if (!row) throw new ApiError(404, 'not_found', `No unit with id ${id}`, [{ path: 'id', message: 'not found' }]);
      return c.json(toUnit(row), 200);
    },
  );

  return router;
}
