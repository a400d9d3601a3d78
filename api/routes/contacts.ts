// /contacts (issue 27): the hotline's and the office's contacts — calls, visits, conversations —
// that stay advice unless they become a case. C1 (domain/contacts.ts): a contact whose facts the
// published ruleset routes to the emergency path becomes a case at once. A promised callback has a
// clock of its own (workflows/callback.ts) on the deadline policy's step `callback`.
import { randomUUID } from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { hashJson } from '../../db/canonical-json';
import { findCase, toStatus } from '../../db/cases';
import { possibleClient } from '../../db/clients';
import { reserveIdempotencyKey } from '../../db/idempotency';
import { provinceName } from '../../db/directory';
import {
  claimCase,
  contactExists,
  contactHistory,
  correctContact,
  findContact,
  insertContact,
  listContacts,
  recordCallback,
  type StoredContact,
} from '../../db/contacts';
import { ROLES, type Principal } from '../../domain/access';
import {
  CALL_TYPES,
  CallbackRecordSchema,
  CONTACT_CHANNELS,
  CONTACT_OUTCOMES,
  ContactCaseSchema,
  ContactCorrectionSchema,
  ContactEventSchema,
  contactIntake,
  ContactSchema,
  NewContactSchema,
  PossibleClientSchema,
  ContactDraftSchema,
  type ContactCase,
  type ContactDraft,
  type NewContact,
} from '../../domain/contacts';
import { DeadlinePolicySchema, dayStartInVietnam, planDeadline, type Deadline } from '../../domain/deadlines';
import { isUuid } from '../../domain/ids';
import { RiskDecisionSchema } from '../../domain/case';
import { calendarDay } from '../../domain/input';
import { loadDefaultDeadlinePolicy } from '../../rules/default-deadlines';
import { routeContact } from '../../rules/contact-routing';
import { publishedPolicies } from '../../rules/published-policy';
import { publishedRulesets } from '../../rules/ruleset-source';
import { callbackRecordedSignal, callbackWorkflow } from '../../workflows/callback';
import { allow } from '../auth';
import { startCase } from '../case-start';
import { caseIntakeOf } from '../contact-case';
import { presentCase } from '../case-view';
import { newRouter, type ApiDeps } from '../context';
import { CursorSchema, decodeCursor, encodeCursor } from '../cursor';
import { ApiError } from '../errors';
import { CaseView, errorResponses, IdempotencyHeaders, IdParam, jsonContent } from '../schemas';

/** Who keeps the contact log: the hotline and office staff, their supervisors and managers. */
const CONTACT_ROLES = ROLES.filter((r) => r === 'social_worker' || r === 'supervisor' || r === 'manager');

const Contact = ContactSchema.openapi('Contact');
const ContactDetail = ContactSchema.extend({
  possibleClient: PossibleClientSchema.nullable().describe('A known client the person matches, as far as your scope lets you know'),
  history: z.array(ContactEventSchema).describe('Every change, who made it and when, oldest first'),
}).openapi('ContactDetail');

const ContactListQuery = z.strictObject({
  from: calendarDay().optional().describe('First day recorded, in Vietnam (YYYY-MM-DD), included'),
  to: calendarDay().optional().describe('Last day recorded, in Vietnam (YYYY-MM-DD), included'),
  callType: z.enum(CALL_TYPES).optional(),
  channel: z.enum(CONTACT_CHANNELS).optional(),
  outcome: z.enum(CONTACT_OUTCOMES).optional(),
  recordedBy: z.literal('me').optional().describe('Only the contacts you recorded'),
  callback: z.literal('open').optional().describe('Only contacts whose promised callback is not recorded yet'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: CursorSchema.optional(),
});

const notFound = (id: string) =>
  new ApiError('not_found', [{ path: 'id', message: { vi: `không có cuộc gọi ${id} trong phạm vi của bạn`, en: `no contact ${id} in your scope` } }]);

/** The callback's clock is named by the contact and the time promised: a new promise is a new clock. */
const callbackWorkflowId = (contactId: string, dueAt: string) => `callback-${contactId}-${Date.parse(dueAt)}`;

export function contactsRouter(deps: ApiDeps) {
  const router = newRouter();
  const rulesets = publishedRulesets(deps.sql);
  const deadlinePolicies = publishedPolicies(deps.sql, 'deadlines', loadDefaultDeadlinePolicy, (d) => DeadlinePolicySchema.parse(d));

  async function contactInScope(id: string, p: Principal): Promise<StoredContact> {
    const found = isUuid(id) ? await findContact(deps.sql, id, p) : undefined;
    if (!found) throw notFound(id);
    return found;
  }

  /** The clock of a promised callback, started before the promise is stored: a stored promise always has one. */
  async function startCallbackClock(p: Principal, contactId: string, callbackBy: string, routing: StoredContact['routing'], child: boolean): Promise<Deadline> {
    const subject = { step: 'callback' as const, path: routing?.path ?? 'standard', level: routing?.level ?? 'low', child };
    const deadline = planDeadline(await deadlinePolicies(p.province), subject, new Date(callbackBy), `callback:${Date.parse(callbackBy)}`);
    // A clock whose promise is never stored finds no open callback at its first step, and ends.
    await deps.temporal.workflow.start(callbackWorkflow, {
      workflowId: callbackWorkflowId(contactId, deadline.dueAt),
      taskQueue: deps.taskQueue,
      args: [{ contactId, dueAt: deadline.dueAt, supervisorAt: deadline.supervisorAt, managerAt: deadline.managerAt }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    return deadline;
  }

  const intakeOf = (contact: StoredContact, added?: ContactCase) => caseIntakeOf(deps.sql, contact, added);

  /** C1's scoring (rules/contact-routing.ts) in the reader's province. */
  const scoreContact = async (body: ContactDraft, p: Principal, at: Date) =>
    routeContact(deps.sql, rulesets, { province: p.province, provinceName: (await provinceName(deps.sql, p.province)) ?? p.province }, body, at);

  /** Records a new contact: scored (C1), its case claimed when the routing is the emergency path, its callback's clock started. */
  async function record(contactId: string, body: NewContact, p: Principal): Promise<void> {
    const at = new Date();
    const { routing, child } = await scoreContact(body, p, at);
    const emergency = routing?.path === 'emergency';
    const callback = !emergency && body.callbackBy !== undefined ? await startCallbackClock(p, contactId, body.callbackBy, routing, child) : null;
    await insertContact(deps.sql, {
      id: contactId,
      province: p.province,
      recorder: p,
      contact: body,
      outcome: emergency ? 'case_opened' : body.outcome,
      routing,
      caseId: emergency ? randomUUID() : null,
      callback,
      at,
    });
  }

  /** The case a contact names, started now if its workflow has not routed it yet (a retry after a failure). */
  async function ensureCase(contact: StoredContact, p: Principal, added?: ContactCase): Promise<void> {
    if (!contact.caseId || (await findCase(deps.sql, contact.caseId))) return;
    await startCase(deps, contact.caseId, await intakeOf(contact, added), p);
  }

  async function detail(contact: StoredContact, p: Principal) {
    const { province: _province, ...shown } = contact;
    const person = contactIntake({ ...contact, about: contact.about ?? undefined }, '');
    return {
      ...shown,
      possibleClient: contact.about || contact.caller.relation === 'self' ? await possibleClient(deps.sql, p, person, new Date(contact.createdAt)) : null,
      history: await contactHistory(deps.sql, contact.id),
    };
  }

  router.openapi(
    createRoute({
      method: 'post',
      path: '/',
      summary: 'Record a contact (a call, a visit, a conversation); one whose facts route to the emergency path becomes a case at once (C1)',
      middleware: [allow(...CONTACT_ROLES)] as const,
      request: { headers: IdempotencyHeaders, body: { required: true, content: { 'application/json': { schema: NewContactSchema.openapi('NewContact') } } } },
      responses: {
        201: jsonContent(ContactDetail, 'Recorded (with caseId when C1 opened a case)'),
        200: jsonContent(ContactDetail, 'The contact an earlier request with this Idempotency-Key recorded'),
        ...errorResponses(400, 401, 403, 409, 413, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const key = c.req.valid('header')['idempotency-key'];
      const p = c.get('principal');
      let contactId: string = randomUUID();
      let replay = false;
      if (key !== undefined) {
        // Keys are per recorder, as for intakes.
        const reservation = await reserveIdempotencyKey(deps.sql, 'contact', `${p.id}:${key}`, hashJson(body), contactId);
        if (reservation.kind === 'conflict') {
          throw new ApiError('idempotency_key_reused', [
            { path: 'Idempotency-Key', message: { vi: 'đã dùng cho một cuộc gọi khác', en: 'already used for another contact' } },
          ]);
        }
        contactId = reservation.id;
        replay = reservation.kind === 'replay' && (await contactExists(deps.sql, contactId));
      }
      if (!replay) await record(contactId, body, p);
      const contact = await contactInScope(contactId, p);
      await ensureCase(contact, p);
      c.set('audit', {
        action: 'contact.create',
        caseId: contact.caseId,
        detail: { contactId, idempotencyKey: key ?? null, replay, outcome: contact.outcome, c1: contact.caseId !== null },
      });
      return c.json(await detail(contact, p), replay ? 200 : 201);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/preview',
      summary: 'While a call is in progress: the routing its facts would get, and whether saving it will open an emergency case (C1); nothing is stored',
      middleware: [allow(...CONTACT_ROLES)] as const,
      request: { body: { required: true, content: { 'application/json': { schema: ContactDraftSchema.openapi('ContactDraft') } } } },
      responses: {
        200: jsonContent(
          z
            .object({
              routing: RiskDecisionSchema.nullable().describe('null while the facts are too few to score (no age, no concern)'),
              opensCase: z.boolean().describe('Saving it now opens a case on the emergency path (C1)'),
              possibleClient: PossibleClientSchema.nullable(),
            })
            .openapi('ContactPreview'),
          'What saving it would do',
        ),
        ...errorResponses(400, 401, 403, 413, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const p = c.get('principal');
      const at = new Date();
      const { routing } = await scoreContact(body, p, at);
      const person = contactIntake({ ...body, ref: '' }, '');
      const known = body.about?.fullName || body.caller?.phone ? await possibleClient(deps.sql, p, person, at) : null;
      return c.json({ routing, opensCase: routing?.path === 'emergency', possibleClient: known }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/',
      summary: 'Contacts in your scope, newest first, by day recorded, call type, channel or outcome',
      middleware: [allow(...CONTACT_ROLES)] as const,
      request: { query: ContactListQuery },
      responses: {
        200: jsonContent(z.object({ items: z.array(Contact), nextCursor: z.string().nullable() }).openapi('ContactList'), 'A page of contacts'),
        ...errorResponses(400, 401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const p = c.get('principal');
      const page = await listContacts(deps.sql, p, {
        from: q.from ? dayStartInVietnam(q.from) : undefined,
        until: q.to ? new Date(dayStartInVietnam(q.to).getTime() + 86_400_000) : undefined,
        callType: q.callType,
        channel: q.channel,
        outcome: q.outcome,
        recordedBy: q.recordedBy === 'me' ? p.id : undefined,
        openCallback: q.callback === 'open',
        limit: q.limit,
        after: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
      });
      const { cursor: _cursor, ...filter } = q;
      c.set('audit', { action: 'contact.list', detail: { filter, count: page.items.length } });
      return c.json({ items: page.items.map(({ province: _p, ...shown }) => shown), nextCursor: page.next ? encodeCursor(page.next) : null }, 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'get',
      path: '/{id}',
      summary: 'One contact with its history and the known client it may be about (404 outside your scope)',
      middleware: [allow(...CONTACT_ROLES)] as const,
      request: { params: IdParam },
      responses: { 200: jsonContent(ContactDetail, 'The contact'), ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const p = c.get('principal');
      const contact = await contactInScope(id, p);
      c.set('audit', { action: 'contact.read', caseId: contact.caseId, detail: { contactId: id } });
      return c.json(await detail(contact, p), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'patch',
      path: '/{id}',
      summary: 'Correct a contact’s summary or outcome (each change on its history, with who and when)',
      middleware: [allow(...CONTACT_ROLES)] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ContactCorrectionSchema.openapi('ContactCorrection') } } } },
      responses: { 200: jsonContent(ContactDetail, 'The contact as corrected'), ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429, 503) },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const p = c.get('principal');
      const contact = await contactInScope(id, p);
      // Checked before a clock is started for a change that would be refused; the database checks again under the row's lock.
      const outcomeChanges = body.outcome !== undefined && body.outcome !== contact.outcome;
      if (outcomeChanges && contact.outcome === 'case_opened') throw new ApiError('contact_case_opened');
      // An open promise is recorded, not moved: a new time for it would otherwise be dropped unsaid.
      if ((outcomeChanges || body.callbackBy !== undefined) && contact.callback?.status === 'open') throw new ApiError('callback_open');
      const promised = body.outcome === 'callback_promised' && body.callbackBy !== undefined && contact.outcome !== 'callback_promised';
      const callback = promised
        ? await startCallbackClock(
            p,
            id,
            body.callbackBy!,
            contact.routing,
            (await scoreContact({ ...contact, about: contact.about ?? undefined }, p, new Date())).child,
          )
        : undefined;
      const result = await correctContact(deps.sql, id, p, { summary: body.summary, outcome: body.outcome, callback }, new Date());
      if (result.kind === 'case_opened') throw new ApiError('contact_case_opened');
      if (result.kind === 'callback_open') throw new ApiError('callback_open');
      c.set('audit', { action: 'contact.correct', caseId: contact.caseId, detail: { contactId: id, fields: Object.keys(body) } });
      return c.json(await detail(await contactInScope(id, p), p), 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/case',
      summary: 'Open a case from a contact, adding only what its facts lack; a second call answers the same case',
      middleware: [allow(...CONTACT_ROLES)] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: ContactCaseSchema.openapi('ContactCase') } } } },
      responses: {
        201: jsonContent(CaseView, 'The case opened, as POST /cases answers'),
        200: jsonContent(CaseView, 'The case this contact already became'),
        ...errorResponses(400, 401, 403, 404, 413, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const added = c.req.valid('json');
      const p = c.get('principal');
      const contact = await contactInScope(id, p);
      // Checked before anything is stored: a refused intake leaves the contact as it was.
      const intake = await intakeOf(contact, added);
      const { caseId, claimed } = contact.caseId ? { caseId: contact.caseId, claimed: false } : await claimCase(deps.sql, id, randomUUID(), p, new Date());
      if (claimed) await startCase(deps, caseId, intake, p);
      else await ensureCase({ ...contact, caseId }, p, added);
      c.set('audit', { action: 'contact.open_case', caseId, detail: { contactId: id, replay: !claimed } });
      const visible = await findCase(deps.sql, caseId, p);
      const created = visible ?? (await findCase(deps.sql, caseId));
      if (!created) throw new Error(`case ${caseId} was routed but is not in the database`);
      return c.json(visible ? await presentCase(deps.sql, visible, p) : toStatus(created), claimed ? 201 : 200);
    },
  );

  router.openapi(
    createRoute({
      method: 'post',
      path: '/{id}/callback',
      summary: 'Record the promised callback: its clock stops',
      middleware: [allow(...CONTACT_ROLES)] as const,
      request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: CallbackRecordSchema.openapi('CallbackRecord') } } } },
      responses: {
        200: jsonContent(ContactDetail, 'The contact with its callback recorded'),
        ...errorResponses(400, 401, 403, 404, 409, 413, 415, 422, 429, 503),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const body = c.req.valid('json');
      const p = c.get('principal');
      const contact = await contactInScope(id, p);
      const result = await recordCallback(deps.sql, id, p, body, new Date());
      if (result === 'none') throw new ApiError('no_callback');
      if (result === 'already') throw new ApiError('callback_recorded');
      // The database has it: the clock's next step finds it recorded even if this signal is lost.
      if (contact.callback) {
        await deps.temporal.workflow
          .getHandle(callbackWorkflowId(id, contact.callback.dueAt))
          .signal(callbackRecordedSignal)
          .catch(() => undefined);
      }
      c.set('audit', { action: 'contact.callback', caseId: contact.caseId, detail: { contactId: id, reachedPerson: body.reachedPerson } });
      return c.json(await detail(await contactInScope(id, p), p), 200);
    },
  );

  return router;
}
