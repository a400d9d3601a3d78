// Carers (issue 28): where a person can be placed — a trained foster family, kin, a shelter, a
// residential centre, a health facility. Managers and administrators keep the register; everyone
// of the province reads it, to find a place tonight. A carer is deactivated, never deleted: past
// placements keep pointing at it. The contract other clients depend on: extend, never rename.
import { calendarDay, emailAddress, phoneNumber, text } from './input';
import { z } from './zod';

export const CARER_KINDS = ['foster_family', 'kinship', 'shelter', 'residential_centre', 'health_facility', 'other'] as const;
export type CarerKind = (typeof CARER_KINDS)[number];

const CarerContact = z.strictObject({ phone: phoneNumber().optional(), email: emailAddress().optional() });

const fields = {
  kind: z.enum(CARER_KINDS),
  name: text(200),
  commune: text(100).describe('Where the carer is; a placement looks first at carers of the case’s commune'),
  capacity: z.int().min(1).max(1000).describe('How many people it can take at once'),
  contact: CarerContact,
  approvedUntil: calendarDay().describe('The last day its approval holds (Vietnam’s day); none: no expiry'),
  trainedOn: calendarDay().describe('The day its training was completed'),
  notes: text(2000),
};

export const NewCarerSchema = z.strictObject(fields).partial({ approvedUntil: true, trainedOn: true, notes: true }).openapi('NewCarer');
export type NewCarer = z.infer<typeof NewCarerSchema>;

export const CarerPatchSchema = z
  .strictObject({
    ...fields,
    approvedUntil: fields.approvedUntil.nullable().describe('null: no expiry'),
    trainedOn: fields.trainedOn.nullable(),
    notes: fields.notes.nullable(),
    active: z.boolean().describe('false: no new placement with it; its current ones go on'),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'send at least one field')
  .openapi({ minProperties: 1 })
  .openapi('CarerPatch');
export type CarerPatch = z.infer<typeof CarerPatchSchema>;

export const CarerSchema = z
  .object({
    id: z.uuid(),
    province: z.string(),
    kind: z.enum(CARER_KINDS),
    name: z.string(),
    commune: z.string(),
    capacity: z.int(),
    contact: z.object({ phone: z.string().optional(), email: z.string().optional() }),
    approvedUntil: z.string().nullable(),
    trainedOn: z.string().nullable(),
    notes: z.string().nullable(),
    active: z.boolean(),
    placesTaken: z.int().describe('Current placements with it (of every case, counted whoever reads)'),
    available: z.boolean().describe('Active, approval not expired, and fewer current placements than its capacity'),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Carer');
export type Carer = z.infer<typeof CarerSchema>;

/** A current placement with a carer, as a reader who may see its case sees it on the carer's page. */
export const CarerPlacementSchema = z.object({
  id: z.uuid(),
  caseId: z.uuid(),
  caseRef: z.string(),
  kind: z.string(),
  status: z.string(),
  startsAt: z.iso.datetime(),
  endsBy: z.iso.datetime().nullable(),
});
export type CarerPlacement = z.infer<typeof CarerPlacementSchema>;
