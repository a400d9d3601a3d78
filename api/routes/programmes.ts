// /programmes (issue 29): group and community work — programmes of a unit, the people enrolled
// (tied to their case when there is one), sessions with their attendance, and what became of
// each member. Managers create and change programmes; social workers, supervisors and managers
// enrol; a session is recorded by the programme's facilitators, its unit's supervisor or a
// manager, whole or not at all (G2), and flags members who stop coming (G1). Collaborators and
// administrators have no part in it. Rules: domain/programmes.ts.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { unitExistsInProvince } from '../../db/directory';
import { applyingSchedule, sessionsToRecord } from '../../db/programme-occurrences';
import {
  enrolmentSubject,
  findProgramme,
  insertEnrolment,
  insertProgramme,
  insertSession,
  listEnrolments,
  listProgrammes,
  listSessions,
  ProgrammeRefused,
  recordOutcome,
  staffOfProvince,
  updateProgramme,
} from '../../db/programmes';
import { ERRORS } from '../../domain/errors';
import { isUuid } from '../../domain/ids';
import {
  EnrolmentOutcomeSchema,
  EnrolmentSchema,
  NewEnrolmentSchema,
  NewProgrammeSchema,
  NewSessionSchema,
  PROGRAMME_KINDS,
  ProgrammePatchSchema,
  ProgrammeSchema,
  SessionSchema,
  SessionToRecordSchema,
  type Programme,
  type ProgrammeScheduleSpec,
} from '../../domain/programmes';
import { durationMs } from '../../domain/deadlines';
import type { Bilingual } from '../../domain/stages';
import { vietnamDay } from '../../domain/vietnam-time';
import { allow } from '../auth';
import { keepProgrammeSchedule } from '../programme-schedule';
import { newRouter, type ApiDeps, type AppEnv } from '../context';
import { ApiError } from '../errors';
import { errorResponses, IdParam, jsonContent } from '../schemas';

const STAFF = ['social_worker', 'supervisor', 'manager'] as const;
const ProgrammeDetail = ProgrammeSchema.extend({ enrolments: z.array(EnrolmentSchema), recentSessions: z.array(SessionSchema) }).openapi('ProgrammeDetail');
const ListQuery = z.strictObject({
  unit: z.uuid().optional(),
  kind: z.enum(PROGRAMME_KINDS).optional(),
  open: z.enum(['true']).optional(),
  client: z.uuid().optional().describe('Only the programmes this person is enrolled in, each with the enrolment, when you may know who they are (G3)'),
});
const ListedProgramme = ProgrammeSchema.extend({ enrolment: EnrolmentSchema.optional().describe('With `client`: their enrolment') });
const EnrolmentParams = z.object({ id: z.string(), eid: z.string() });

const field = (code: 'unknown_reference' | 'validation_failed' | 'not_found', path: string, message: Bilingual) =>
  new ApiError(code, [{ path, message }], message);

export function programmesRouter(deps: ApiDeps) {
  const router = newRouter();
  const { sql } = deps;

  async function programmeOf(c: Context<AppEnv>, id: string): Promise<Programme> {
    const programme = isUuid(id) ? await findProgramme(sql, id, c.get('principal').province) : undefined;
    if (!programme) throw field('not_found', 'id', { vi: `Không có chương trình ${id} trong tỉnh của bạn`, en: `No programme ${id} in your province` });
    return programme;
  }

  /** A unit and facilitators of the caller's province, each named by its field when not. */
  async function checkPeople(c: Context<AppEnv>, unitId: string | undefined, facilitators: string[] | undefined) {
    const { province } = c.get('principal');
    if (unitId !== undefined && !(await unitExistsInProvince(sql, unitId, province))) {
      throw field('unknown_reference', 'unitId', { vi: 'không có đơn vị này trong tỉnh của bạn', en: 'no unit with this id in your province' });
    }
    if (facilitators?.length) {
      const staff = await staffOfProvince(sql, facilitators, province);
      const n = facilitators.findIndex((f) => !staff.has(f));
      if (n >= 0) {
        throw field('unknown_reference', `facilitators[${n}]`, {
          vi: 'không phải nhân viên đang làm việc của tỉnh',
          en: 'not active staff of your province',
        });
      }
    }
  }

  /** An interval shorter than the deployment allows (a live demonstration allows seconds). */
  function checkRhythm(schedule: ProgrammeScheduleSpec | null | undefined) {
    const shortest = deps.programmeShortestInterval ?? 'PT1H';
    if (schedule && 'every' in schedule && durationMs(schedule.every) < durationMs(shortest)) {
      throw field('validation_failed', 'schedule.every', {
        vi: `ngắn hơn mức tối thiểu ${shortest} của hệ thống này`,
        en: `shorter than this deployment's shortest interval, ${shortest}`,
      });
    }
  }

  /**
   * Tells Temporal what the programme's schedule now is; when it cannot (Temporal down), the
   * worker's sweep does it soon after: the programme itself is stored either way.
   */
  async function passOnSchedule(id: string): Promise<boolean> {
    try {
      // Bounded: with Temporal down, the request answers and the sweep takes over.
      await applyingSchedule(sql, id, (p) =>
        deps.temporal.connection.withDeadline(Date.now() + 5000, async () => void (await keepProgrammeSchedule(deps.temporal, deps.taskQueue, p))),
      );
      return true;
    } catch (err) {
      console.warn(`[programmes] the schedule of ${id} waits for the sweep: ${(err as Error).message}`);
      return false;
    }
  }

  router.openapi(
    createRoute({
      method: 'get',
      path: '/sessions/to-record',
      summary: 'Sessions the schedules held that nobody has recorded yet, oldest first',
      description:
        'Of the programmes you may record sessions for: those you facilitate, your unit’s as its supervisor, the province’s as a manager; `mine=true`: only those you facilitate.',
      middleware: [allow(...STAFF)] as const,
      request: { query: z.strictObject({ mine: z.enum(['true']).optional() }) },
      responses: { 200: jsonContent(z.object({ items: z.array(SessionToRecordSchema) }), 'Sessions to record'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const items = await sessionsToRecord(sql, c.get('principal'), { facilitatedBy: c.req.valid('query').mine === 'true', limit: 200 });
      return c.json({ items }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Programmes of your province, by unit and kind; open ones first',
      middleware: [allow(...STAFF)] as const,
      request: { query: ListQuery },
      responses: { 200: jsonContent(z.object({ items: z.array(ListedProgramme) }), 'Programmes'), ...errorResponses(401, 403, 422) },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const p = c.get('principal');
      const programmes = await listProgrammes(sql, p.province, { unitId: q.unit, kind: q.kind, open: q.open === 'true', clientId: q.client });
      // A person's programmes: only where the reader may know it is them (G3).
      const items = q.client
        ? (
            await Promise.all(programmes.map(async (g) => ({ ...g, enrolment: (await listEnrolments(sql, g, p)).find((e) => e.clientId === q.client) })))
          ).filter((g) => g.enrolment)
        : programmes;
      c.set('audit', { action: 'programme.list', detail: { filter: q, count: items.length } });
      return c.json({ items }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Create a programme (a club, a training, a class, a group)',
      middleware: [allow('manager')] as const,
      request: { body: { required: true, content: { 'application/json': { schema: NewProgrammeSchema } } } },
      responses: { 201: jsonContent(ProgrammeSchema, 'Created'), ...errorResponses(401, 403, 409, 413, 415, 422, 429) },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const p = c.get('principal');
      await checkPeople(c, body.unitId, body.facilitators);
      checkRhythm(body.schedule);
      const programme = await insertProgramme(sql, p.province, p.id, body);
      const scheduled = await passOnSchedule(programme.id);
      c.set('audit', { action: 'programme.create', detail: { programmeId: programme.id, kind: body.kind, scheduleKept: scheduled } });
      return c.json(programme, 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      summary: 'One programme, with its members as you may see them (G3) and its latest sessions',
      middleware: [allow(...STAFF)] as const,
      request: { params: IdParam },
      responses: { 200: jsonContent(ProgrammeDetail, 'The programme'), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      c.set('audit', { action: 'programme.read', detail: { programmeId: id } });
      const programme = await programmeOf(c, id);
      const [enrolments, sessions] = await Promise.all([listEnrolments(sql, programme, c.get('principal')), listSessions(sql, programme.id)]);
      return c.json({ ...programme, enrolments, recentSessions: sessions.slice(0, 20) }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      summary: 'Change a programme; `closed: true` closes it (no new enrolment or session)',
      middleware: [allow('manager')] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ProgrammePatchSchema } } } },
      responses: { 200: jsonContent(ProgrammeSchema, 'Changed'), ...errorResponses(401, 403, 404, 409, 413, 415, 422, 429) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const patch = c.req.valid('json');
      c.set('audit', { action: 'programme.update', detail: { programmeId: id, fields: Object.keys(patch) } });
      const before = await programmeOf(c, id);
      await checkPeople(c, patch.unitId, patch.facilitators ?? undefined);
      checkRhythm(patch.schedule);
      const endsOn = patch.endsOn === undefined ? before.endsOn : patch.endsOn;
      if (endsOn && endsOn < (patch.startsOn ?? before.startsOn))
        throw field('validation_failed', 'endsOn', { vi: 'trước ngày bắt đầu', en: 'before startsOn' });
      const updated = (await updateProgramme(sql, id, c.get('principal').province, patch))!;
      const scheduled = await passOnSchedule(id);
      c.set('audit', { action: 'programme.update', detail: { programmeId: id, fields: Object.keys(patch), scheduleKept: scheduled } });
      return c.json(updated, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/enrolments',
      summary: 'Enrol a person, with their consent; tied to their case when one is given',
      middleware: [allow(...STAFF)] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: NewEnrolmentSchema } } } },
      responses: { 201: jsonContent(EnrolmentSchema, 'Enrolled'), ...errorResponses(401, 403, 404, 409, 413, 415, 422, 429) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const p = c.get('principal');
      c.set('audit', { action: 'programme.enrol', detail: { programmeId: id } });
      const programme = await programmeOf(c, id);
      const subject = await enrolmentSubject(sql, p, body.clientId, body.caseId);
      if (!subject.client) throw field('unknown_reference', 'clientId', { vi: 'không có người này trong tỉnh của bạn', en: 'no such person in your province' });
      if (subject.caseOfClient === false)
        throw field('unknown_reference', 'caseId', { vi: 'không có trường hợp này của người đó', en: 'no such case of this person that you may see' });
      if (body.enrolledOn < programme.startsOn)
        throw field('validation_failed', 'enrolledOn', { vi: 'trước ngày chương trình bắt đầu', en: 'before the programme starts' });
      try {
        const eid = await insertEnrolment(sql, id, p.id, body);
        c.set('audit', { action: 'programme.enrol', detail: { programmeId: id, enrolmentId: eid, caseId: body.caseId ?? null } });
        return c.json((await listEnrolments(sql, programme, p, eid))[0]!, 201);
      } catch (err) {
        if (err instanceof ProgrammeRefused)
          throw new ApiError(err.code, [{ path: err.code === 'already_enrolled' ? 'clientId' : 'id', message: ERRORS[err.code].message }]);
        throw err;
      }
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/enrolments/{eid}/outcome',
      summary: 'Record what became of a member: completed, employed, an apprenticeship, back at school…',
      middleware: [allow(...STAFF)] as const,
      request: { params: EnrolmentParams, body: { required: true, content: { 'application/json': { schema: EnrolmentOutcomeSchema } } } },
      responses: { 200: jsonContent(EnrolmentSchema, 'The enrolment'), ...errorResponses(401, 403, 404, 413, 415, 422, 429) },
    }),
    async (c) => {
      const { id, eid } = c.req.valid('param');
      const body = c.req.valid('json');
      c.set('audit', { action: 'programme.outcome', detail: { programmeId: id, enrolmentId: eid, outcome: body.outcome } });
      const programme = await programmeOf(c, id);
      const result = isUuid(eid) ? await recordOutcome(sql, id, eid, body) : 'missing';
      if (result === 'missing') throw field('not_found', 'eid', { vi: 'không có lượt tham gia này', en: 'no such enrolment in this programme' });
      if (result === 'before_enrolment') throw field('validation_failed', 'on', { vi: 'trước ngày tham gia', en: 'before the enrolment' });
      return c.json((await listEnrolments(sql, programme, c.get('principal'), eid))[0]!, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/sessions',
      summary: 'Record a session held, with who came (stored whole or not at all)',
      description:
        'The programme’s facilitators, its unit’s supervisor or a manager. A member with an open case who misses three in a row is flagged to their case’s worker (G1).',
      middleware: [allow(...STAFF)] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: NewSessionSchema } } } },
      responses: { 201: jsonContent(SessionSchema, 'Recorded'), ...errorResponses(401, 403, 404, 409, 413, 415, 422, 429) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const p = c.get('principal');
      c.set('audit', { action: 'programme.session', detail: { programmeId: id } });
      const programme = await programmeOf(c, id);
      const runs = programme.facilitators.some((f) => f.id === p.id) || p.role === 'manager' || (p.role === 'supervisor' && p.unitId === programme.unit.id);
      if (!runs) {
        throw new ApiError('forbidden', [], {
          vi: 'Chỉ người phụ trách chương trình, trưởng phòng của đơn vị hoặc Ban Giám đốc được ghi buổi sinh hoạt',
          en: 'only the programme’s facilitators, its unit’s supervisor or a manager record its sessions',
        });
      }
      if (programme.closedAt) throw new ApiError('programme_closed');
      if (body.heldOn > vietnamDay()) throw field('validation_failed', 'heldOn', { vi: 'không được ở tương lai', en: 'cannot be in the future' });
      if (body.heldOn < programme.startsOn)
        throw field('validation_failed', 'heldOn', { vi: 'trước ngày chương trình bắt đầu', en: 'before the programme starts' });
      if (!(await staffOfProvince(sql, [body.facilitator], p.province)).has(body.facilitator))
        throw field('unknown_reference', 'facilitator', { vi: 'không phải nhân viên đang làm việc của tỉnh', en: 'not active staff of your province' });
      const stored = await insertSession(sql, id, p.id, body);
      if ('unknownEnrolments' in stored) {
        const n = stored.unknownEnrolments[0]!;
        throw field('unknown_reference', `attendance[${n}].enrolmentId`, {
          vi: 'không phải thành viên của chương trình này, hoặc đã ghi ở trên',
          en: 'not an enrolment of this programme, or named twice',
        });
      }
      c.set('audit', { action: 'programme.session', detail: { programmeId: id, sessionId: stored.id, attendance: body.attendance.length } });
      return c.json(
        (await listSessions(sql, id)).find((s) => s.id === stored.id)!,
        201,
      );
    },
  );

  return router;
}
