// The domain schemas as named OpenAPI components, plus the shapes only the HTTP API has.
import { z } from '@hono/zod-openapi';
import { CaseSchema as DomainCase, CaseStatusSchema, RiskDecisionSchema } from '../domain/case';
import { IntakeSchema as DomainIntake } from '../domain/intake';
import { DUE_WINDOWS } from '../domain/deadlines';
import { PATHS, RISK_LEVELS, STAGES } from '../domain/stages';
import { CursorSchema } from './cursor';
import { ErrorSchema } from './errors';

/** A JSON response of a route, for createRoute's responses. */
export const jsonContent = <T>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });

/** A route's `{id}` path parameter, checked by the handler so that a malformed id is a plain 404. */
export const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) });

/** The error responses a route declares, all in the one envelope. */
export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, { description: 'Error', content: { 'application/json': { schema: ErrorSchema } } }]));

export const IntakeSchema = DomainIntake.openapi('Intake');
export const RiskDecision = RiskDecisionSchema.openapi('RiskDecision');
const CaseSchema = DomainCase.openapi('Case');
export const CaseStatus = CaseStatusSchema.openapi('CaseStatus');
/** Staff get the case; a collaborator gets only the status of what they reported. */
export const CaseView = z.union([CaseSchema, CaseStatus]).openapi('CaseView');

// Strict: a filter this API does not have is refused and named, never silently ignored.
export const CaseListQuery = z.strictObject({
  path: z.enum(PATHS).optional(),
  level: z.enum(RISK_LEVELS).optional(),
  stage: z.enum(STAGES).optional(),
  assignedTo: z
    .union([z.literal('me'), z.uuid()])
    .optional()
    .openapi({ description: 'Cases assigned to this social worker, or to you ("me")' }),
  clientId: z.uuid().optional().openapi({ description: 'Cases of one client (GET /clients)' }),
  due: z
    .enum(DUE_WINDOWS)
    .optional()
    .openapi({ description: 'Open cases whose current deadline is past (overdue), or falls before the end of today or of this week in Vietnam (today, week)' }),
  pendingRisk: z.enum(['true']).optional().openapi({ description: 'Only cases with a lower risk awaiting a supervisor’s or manager’s confirmation' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: CursorSchema.optional(),
});

export const CaseListSchema = z.object({ items: z.array(CaseView), nextCursor: z.string().nullable() }).openapi('CaseList');

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces')
    .optional()
    .openapi({ description: 'Repeat a create safely: the same key and body return the same case' }),
});

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    checks: z.object({ postgres: z.string(), temporal: z.string() }),
  })
  .openapi('Health');
