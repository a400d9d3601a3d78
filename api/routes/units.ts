// /units: the teams that cases are assigned to, and the areas each covers.
import { createRoute, z } from '@hono/zod-openapi';
import { text } from '../../domain/input';
import { activeStaffExistsInProvince, insertUnit, listUnits, updateUnit, type UnitRow } from '../../db/directory';
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
  areas: z.array(text(100)).max(500),
  isDefault: z.boolean(),
  supervisorId: z.uuid().nullable(),
  onCallWorkerId: z.uuid().nullable(),
};
export const NewUnitSchema = z
  .strictObject({ name: text(200), ...UnitFields })
  .partial({ areas: true, isDefault: true, supervisorId: true, onCallWorkerId: true })
  .openapi('NewUnit');
export const UnitPatchSchema = z.strictObject(UnitFields).partial().openapi('UnitPatch');

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
      if (!(await activeStaffExistsInProvince(sql, id, province)))
        throw new ApiError(
          'validation_failed',
          [{ path, message: { vi: 'không có nhân viên đang làm việc với mã này trong tỉnh', en: 'no active staff member with this id in your province' } }],
          { vi: 'Không có nhân viên này', en: 'No such staff member' },
        );
    }
  }

  /** A write that broke a per-province uniqueness rule is the client's conflict (409), not a server failure. */
  function saved<T extends UnitRow | undefined>(result: T | 'conflict'): T {
    if (result === 'conflict') {
      throw new ApiError(
        'conflict',
        [{ path: 'name', message: { vi: 'tên và đơn vị mặc định là duy nhất trong tỉnh', en: 'name and default unit are unique per province' } }],
        {
          vi: 'Đã có đơn vị cùng tên, hoặc tỉnh đã có đơn vị mặc định',
          en: 'Another unit has this name, or the province already has a default unit',
        },
      );
    }
    return result;
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
      const rows = await listUnits(sql, c.get('principal').province);
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
      const row = saved(
        await insertUnit(sql, p.province, body.name, {
          areas: body.areas ?? [],
          isDefault: body.isDefault ?? false,
          supervisorId: body.supervisorId ?? null,
          onCallWorkerId: body.onCallWorkerId ?? null,
        }),
      );
      return c.json(toUnit(row), 201);
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
      const row = isUuid(id) ? saved(await updateUnit(sql, id, p.province, patch)) : undefined;
      if (!row)
        throw new ApiError('not_found', [{ path: 'id', message: { vi: 'không tìm thấy', en: 'not found' } }], {
          vi: `Không có đơn vị ${id}`,
          en: `No unit with id ${id}`,
        });
      return c.json(toUnit(row), 200);
    },
  );

  return router;
}
