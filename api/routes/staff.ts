// /staff: the directory of people. Admins change it; supervisors and managers may read it.
import { createRoute, z } from '@hono/zod-openapi';
import { emailAddress, exact, phoneNumber, text } from '../../domain/input';
import { insertStaff, listStaff, revokeSessions, unitExistsInProvince, updateStaff, type StaffRow } from '../../db/directory';
import { ROLES } from '../../domain/access';
import { isUuid } from '../../domain/ids';
import { hashPassword } from '../../security/passwords';
import { allow } from '../auth';
import { newRouter, type ApiDeps } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

export const NO_UNIT = { vi: 'không có đơn vị này trong tỉnh của bạn', en: 'no unit with this id in your province' };

export const StaffSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    unitId: z.uuid().nullable(),
    active: z.boolean(),
    province: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    language: z.enum(['vi', 'en']),
  })
  .openapi('Staff');

/** How notices reach the person (each may change their own at /me). */
const ContactFields = { email: emailAddress().nullable(), phone: phoneNumber().nullable(), language: z.enum(['vi', 'en']) };

const password = exact(10, 200);
export const NewStaffSchema = z
  .strictObject({
    username: z.string().regex(/^[a-z0-9._-]{3,50}$/, '3–50 lower-case letters, digits, dot, dash or underscore'),
    displayName: text(200),
    role: z.enum(ROLES),
    unitId: z.uuid().nullable().optional(),
    password,
    ...ContactFields,
  })
  .partial({ email: true, phone: true, language: true })
  .openapi('NewStaff');
export const StaffPatchSchema = z
  .strictObject({
    displayName: text(200).optional(),
    role: z.enum(ROLES).optional(),
    unitId: z.uuid().nullable().optional(),
    active: z.boolean().optional(),
    password: password.optional(),
    email: ContactFields.email.optional(),
    phone: ContactFields.phone.optional(),
    language: ContactFields.language.optional(),
  })
  .openapi('StaffPatch');

export const SessionsRevokedSchema = z
  .object({
    staffId: z.uuid(),
    revokedAt: z.iso.datetime().describe('Every session token issued up to this instant no longer works; a login after it does'),
  })
  .openapi('SessionsRevoked');

const toStaff = (r: StaffRow) => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  unitId: r.unit_id,
  active: r.active,
  province: r.province,
  email: r.email,
  phone: r.phone,
  language: r.language,
});

export function staffRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;

  async function checkUnit(unitId: string | null | undefined, province: string) {
    if (!unitId) return;
    if (!(await unitExistsInProvince(sql, unitId, province)))
      throw new ApiError('validation_failed', [{ path: 'unitId', message: NO_UNIT }], { vi: 'Không có đơn vị này', en: 'No such unit' });
  }

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Staff of your province',
      middleware: [allow('supervisor', 'manager', 'admin')] as const,
      responses: { 200: jsonContent(z.object({ items: z.array(StaffSchema) }), 'Staff'), ...errorResponses(401, 403) },
    }),
    async (c) => {
      const p = c.get('principal');
      const rows = await listStaff(sql, p.province);
      c.set('audit', { action: 'staff.list', detail: { count: rows.length } });
      return c.json({ items: rows.map(toStaff) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Add a staff member',
      middleware: [allow('admin')] as const,
      request: { body: { required: true, content: { 'application/json': { schema: NewStaffSchema } } } },
      responses: { 201: jsonContent(StaffSchema, 'Created'), ...errorResponses(401, 403, 409, 422) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const p = c.get('principal');
      c.set('audit', { action: 'staff.create', detail: { username: body.username, role: body.role } });
      await checkUnit(body.unitId, p.province);
      const row = await insertStaff(sql, {
        province: p.province,
        username: body.username,
        displayName: body.displayName,
        role: body.role,
        unitId: body.unitId ?? null,
        passwordHash: await hashPassword(body.password),
        email: body.email,
        phone: body.phone,
        language: body.language,
      });
      if (!row)
        throw new ApiError('username_taken', [{ path: 'username', message: { vi: 'đã có người dùng', en: 'taken' } }], {
          vi: `Tên đăng nhập ${body.username} đã có người dùng`,
          en: `The username ${body.username} is taken`,
        });
      return c.json(toStaff(row), 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      summary: 'Change a staff member: name, role, unit, password, contacts, or disable them',
      middleware: [allow('admin')] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: StaffPatchSchema } } } },
      responses: { 200: jsonContent(StaffSchema, 'Changed'), ...errorResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      const p = c.get('principal');
      const { password: newPassword, ...visible } = patch;
      c.set('audit', { action: 'staff.update', detail: { staffId: id, ...visible, passwordChanged: newPassword !== undefined } });
      await checkUnit(patch.unitId, p.province);
      const hash = newPassword === undefined ? undefined : await hashPassword(newPassword);
      const row = isUuid(id)
        ? await updateStaff(sql, id, p.province, {
            displayName: patch.displayName,
            role: patch.role,
            unitId: patch.unitId,
            active: patch.active,
            passwordHash: hash,
            email: patch.email,
            phone: patch.phone,
            language: patch.language,
          })
        : undefined;
      if (!row)
        throw new ApiError('not_found', [{ path: 'id', message: { vi: 'không tìm thấy', en: 'not found' } }], {
          vi: `Không có nhân viên ${id}`,
          en: `No staff member with id ${id}`,
        });
      return c.json(toStaff(row), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/sessions/revoke',
      summary: 'End every session of a staff member at once (a lost phone, a shared password)',
      description:
        'Every session token issued to the person up to now stops working at once, as a bearer token and as the console’s cookie; logging in again works. API tokens are not sessions and are unaffected (DELETE /tokens/{id}). Another province’s staff member is 404.',
      middleware: [allow('admin')] as const,
      request: { params: IdParam },
      responses: { 200: jsonContent(SessionsRevokedSchema, 'Sessions ended'), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'staff.sessions_revoke', detail: { staffId: id } });
      const revokedAt = isUuid(id) ? await revokeSessions(sql, id, c.get('principal').province, new Date()) : undefined;
      if (!revokedAt)
        throw new ApiError('not_found', [{ path: 'id', message: { vi: 'không tìm thấy', en: 'not found' } }], {
          vi: `Không có nhân viên ${id}`,
          en: `No staff member with id ${id}`,
        });
      c.set('audit', { action: 'staff.sessions_revoke', detail: { staffId: id, revokedAt: revokedAt.toISOString() } });
      return c.json({ staffId: id, revokedAt: revokedAt.toISOString() }, 200);
    },
  );

  return router;
}
