// What a person reads and changes of themselves at /me: how to reach them, in which language, and
// on which channels each kind of notice goes out (N1 keeps urgent ones going out regardless).
import { STAFF_CHANNELS } from './channels';
import { ROLES } from './access';
import { emailAddress, phoneNumber, text } from './input';
import { LADDER_NOTICE_KINDS, NOTICE_KINDS } from './notices';
import { z } from './zod';

const KINDS = ['*', ...NOTICE_KINDS, ...LADDER_NOTICE_KINDS] as const;
// Each kind a named, optional property (not a record keyed by an enum: OpenAPI 3.0 cannot say which keys).
const ChannelChoiceSchema = z
  .strictObject(Object.fromEntries(KINDS.map((kind) => [kind, z.array(z.enum(STAFF_CHANNELS)).max(STAFF_CHANNELS.length).optional()])))
  .describe('Channels besides in-app per kind of notice; "*" for every kind not named. Urgent notices keep at least one.');

export const MeSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: z.enum(ROLES),
    province: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    language: z.enum(['vi', 'en']),
    channels: ChannelChoiceSchema,
  })
  .openapi('Me');
export type Me = z.infer<typeof MeSchema>;

export const MePatchSchema = z
  .strictObject({
    displayName: text(200),
    email: emailAddress().nullable(),
    phone: phoneNumber().nullable(),
    language: z.enum(['vi', 'en']),
    channels: ChannelChoiceSchema,
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'send at least one field')
  .openapi({ minProperties: 1 })
  .openapi('MePatch');
export type MePatch = z.infer<typeof MePatchSchema>;
