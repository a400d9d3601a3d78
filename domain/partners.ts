// Partner agencies a province refers cases to (bệnh viện, công an, trường học, nhà tạm lánh…): what
// staff send to register or change one, and what anyone in the province reads. The webhook's
// secret is write-only: it signs what the product sends, and is never read back.
import { exact, text } from './input';
import { PARTNER_KINDS } from './referrals';
import { z } from './zod';

const Contact = z
  .strictObject({
    email: z.email().max(254).optional(),
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ().-]{2,24}$/, 'a phone number (3 digits or more: 113 is one): digits, spaces, ( ) . - and an optional leading +')
      .optional(),
  })
  .openapi('PartnerContact');

const Webhook = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).max(2000),
    secret: exact(16, 200).describe('Signs every delivery (HMAC-SHA256); never returned'),
  })
  .openapi('PartnerWebhookInput');

const PartnerFields = {
  name: text(200),
  kind: z.enum(PARTNER_KINDS),
  services: z.array(text(200)).min(1).max(50).describe('What the partner offers, as referrals name it'),
  communes: z.array(text(200)).max(500).describe('Communes it serves; none means the whole province'),
  contact: Contact,
  webhook: Webhook,
};

export const NewPartnerSchema = z.strictObject(PartnerFields).partial({ communes: true, webhook: true }).openapi('NewPartner');
export type NewPartner = z.infer<typeof NewPartnerSchema>;

export const PartnerPatchSchema = z
  .strictObject({ ...PartnerFields, webhook: Webhook.nullable().describe('null removes it'), active: z.boolean() })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'send at least one field')
  .openapi({ minProperties: 1 })
  .openapi('PartnerPatch');
export type PartnerPatch = z.infer<typeof PartnerPatchSchema>;

export const PartnerSchema = z
  .object({
    id: z.uuid(),
    province: z.string(),
    name: z.string(),
    kind: z.enum(PARTNER_KINDS),
    services: z.array(z.string()),
    communes: z.array(z.string()),
    contact: z.object({ email: z.string().optional(), phone: z.string().optional() }),
    webhook: z.object({ url: z.string() }).nullable().describe('Its secret is never shown'),
    active: z.boolean(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  })
  .openapi('Partner');
export type Partner = z.infer<typeof PartnerSchema>;
