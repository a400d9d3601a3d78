// The intake of the case a contact becomes (issue 27): the contact's facts, what the person opening
// it adds, and the link back, checked as any intake is. Shared by the contact routes and the sweep
// that starts a contact's case whose start was cut short.
import type { Sql } from '../db/connect';
import type { StoredContact } from '../db/contacts';
import { provinceName } from '../db/directory';
import { contactIntake, type ContactCase } from '../domain/contacts';
import { IntakeSchema, type CaseIntake } from '../domain/intake';
import { ApiError, zodDetails } from './errors';

export async function caseIntakeOf(sql: Sql, contact: StoredContact, added: ContactCase = {}): Promise<CaseIntake> {
  const intake = contactIntake({ ...contact, about: contact.about ?? undefined }, (await provinceName(sql, contact.province)) ?? contact.province, added);
  const checked = IntakeSchema.safeParse(intake);
  if (!checked.success) throw new ApiError('validation_failed', zodDetails(checked.error));
  return { ...checked.data, contactId: contact.id };
}
