// A placement as the API answers it (GET /cases/{id}, GET /placements, the placement actions):
// the workflow's record (domain/placements.ts) with its carer and case named, and the days left
// of a temporary separation counted in Vietnam's days. The contract other clients depend on:
// extend, never rename.
import { CARER_KINDS } from './carers';
import { PLACEMENT_KINDS, PLACEMENT_OUTCOMES, PLACEMENT_STATUSES } from './placements';
import { z } from './zod';

const Decision = z.object({ number: z.string(), by: z.string(), on: z.string() });

export const PlacementSchema = z
  .object({
    id: z.uuid(),
    caseId: z.uuid(),
    caseRef: z.string(),
    carer: z.object({ id: z.uuid(), name: z.string(), kind: z.enum(CARER_KINDS), commune: z.string(), phone: z.string().nullable() }),
    kind: z.enum(PLACEMENT_KINDS),
    status: z.enum(PLACEMENT_STATUSES).describe('overdue: a temporary separation past its limit, neither ended nor extended (P1)'),
    startsAt: z.iso.datetime(),
    endsBy: z.iso.datetime().nullable().describe('A temporary separation’s limit now; for other kinds the planned end, if any'),
    daysLeft: z.int().nullable().describe('Calendar days in Vietnam until endsBy (negative once past), while not ended'),
    warningAt: z.iso.datetime().nullable().describe('A temporary separation: when those concerned are told its limit is near'),
    nextVisitBy: z.iso.datetime().nullable().describe('Foster and kinship care: when the next monitoring visit is due'),
    reason: z.string(),
    decision: Decision.nullable(),
    extensions: z.array(z.object({ decision: Decision, until: z.string(), reason: z.string(), by: z.string(), at: z.string() })),
    overdueAt: z.iso.datetime().nullable().describe('When it first went past its limit, if it did'),
    endedAt: z.iso.datetime().nullable(),
    outcome: z.enum(PLACEMENT_OUTCOMES).nullable(),
    note: z.string().nullable(),
    visits: z.int(),
    lastVisitOn: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Placement');
export type PlacementView = z.infer<typeof PlacementSchema>;

export const PlacementQuery = z.object({
  active: z.enum(['true', 'false']).optional().describe('true: only those not ended (where people are tonight); false: only ended ones'),
  kind: z.enum(PLACEMENT_KINDS).optional(),
  carerId: z.uuid().optional(),
  caseId: z.uuid().optional(),
  status: z.enum(PLACEMENT_STATUSES).optional(),
  assignedTo: z.enum(['me']).optional().describe('me: only the cases assigned to you (My work)'),
});
export type PlacementFilter = z.infer<typeof PlacementQuery>;
