// Partner agencies a province refers cases to (bệnh viện, công an, trường học, nhà tạm lánh…): what
// staff send to register or change one, and what anyone in the province reads. The webhook's
// secret is write-only: it signs what the product sends, and is never read back.
import { emailAddress, exact, phoneNumber, text } from './input';
import { PARTNER_KINDS } from './referrals';
import { z } from './zod';

const Contact = z.strictObject({ email: emailAddress().optional(), phone: phoneNumber().optional() }).openapi('PartnerContact');

/**
 * A webhook may only name a host the operator allowed (WEBHOOK_ALLOWED_HOSTS): the schema says so
 * with a pattern built from that list, so the API document is honest about what it accepts.
 */
function webhookSchema(allowedHosts: readonly string[]) {
  const hosts = allowedHosts.map((h) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  // Not a named component: OpenAPI 3.0 ignores `nullable` beside a $ref, and PATCH takes null.
  // A port is 0–65535, said in the pattern so a client never sends one the URL parser refuses.
  const port = '([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])';
  const allowed = hosts ? new RegExp(`^https?://(${hosts})(:${port})?([/?#][^\\s]*)?$`) : /^$/;
  return z.strictObject({
    url: z
      .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
      .max(2000)
      .regex(allowed, `a URL on a host the operator allowed: ${allowedHosts.join(', ') || 'none (WEBHOOK_ALLOWED_HOSTS is empty)'}`),
    secret: exact(16, 200).describe('Signs every delivery (HMAC-SHA256); never returned'),
  });
}

/** What staff send to register or change a partner, for this installation's allowed webhook hosts. */
export function partnerSchemas(allowedHosts: readonly string[]) {
  const fields = {
    name: text(200),
    kind: z.enum(PARTNER_KINDS),
    services: z.array(text(200)).min(1).max(50).describe('What the partner offers, as referrals name it'),
    communes: z.array(text(200)).max(500).describe('Communes it serves; none means the whole province'),
    contact: Contact,
    webhook: webhookSchema(allowedHosts),
  };
  return {
    NewPartnerSchema: z.strictObject(fields).partial({ communes: true, webhook: true }).openapi('NewPartner'),
    PartnerPatchSchema: z
      .strictObject({ ...fields, webhook: fields.webhook.nullable().describe('null removes it'), active: z.boolean() })
      .partial()
      .refine((p) => Object.keys(p).length > 0, 'send at least one field')
      .openapi({ minProperties: 1 })
      .openapi('PartnerPatch'),
  };
}
type PartnerSchemas = ReturnType<typeof partnerSchemas>;
export type NewPartner = z.infer<PartnerSchemas['NewPartnerSchema']>;
export type PartnerPatch = z.infer<PartnerSchemas['PartnerPatchSchema']>;

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
