// Where a notice goes beyond the product itself: the channels, which notices are urgent, and which
// channels a person gets a notice on given their contacts and their choice.
//
// N1 Urgent notices leave the product: an escalation, an emergency, an expired referral reaches
//    the person by at least one channel besides in-app whenever they have a contact, whatever
//    they chose.
// N2 Nothing is sent twice: a delivery is keyed by what it carries, its channel and its recipient;
//    its id travels with it (Message-ID, Idempotency-Key) so a receiver can drop a repeat.
//
// Free of any library.

export const DELIVERY_CHANNELS = ['email', 'webhook', 'sms'] as const;
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number];
/** The channels a staff member may choose (webhooks are for partners and integrations). */
export const STAFF_CHANNELS = ['email', 'sms'] as const;
export type StaffChannel = (typeof STAFF_CHANNELS)[number];

export const DELIVERY_STATUSES = ['pending', 'sent', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** N1: the notices that always leave the product. */
export const URGENT_NOTICES: readonly string[] = [
  'deadline.supervisor',
  'deadline.manager',
  'case.new_emergency',
  'risk.emergency',
  'referral.expired',
  // P1: a temporary separation's legal limit is two days away.
  'placement.limit_near',
];

/** A person's choice: channels per kind of notice, `*` for every other kind. */
export type ChannelChoice = Record<string, StaffChannel[]>;

/** What a person gets by default: e-mail for everything, and SMS too for what is urgent. */
const DEFAULT_CHOICE: ChannelChoice = { '*': ['email'], ...Object.fromEntries(URGENT_NOTICES.map((k) => [k, ['email', 'sms']])) };

/** The channels a notice of this kind goes out on to this person, besides in-app (N1). */
export function channelsFor(kind: string, contact: { email: string | null; phone: string | null }, choice: ChannelChoice): StaffChannel[] {
  const reachable = (c: StaffChannel) => (c === 'email' ? !!contact.email : !!contact.phone);
  const chosen = (choice[kind] ?? DEFAULT_CHOICE[kind] ?? choice['*'] ?? DEFAULT_CHOICE['*']!).filter(reachable);
  if (chosen.length > 0 || !URGENT_NOTICES.includes(kind)) return [...new Set(chosen)];
  return STAFF_CHANNELS.filter(reachable).slice(0, 1);
}
