// Intakes drawn from the kinds of report in ../shared/seeds, for tests to start from.
import { randomUUID } from 'node:crypto';
import type { Intake } from '../../domain/intake';

type IntakePatch = Omit<Partial<Intake>, 'client'> & { client?: Partial<Intake['client']> };

export function intake(patch: IntakePatch = {}): Intake {
  const base: Intake = {
    channel: 'walk_in',
    client: {
      fullName: 'Trần Văn Minh',
      age: 34,
      gender: 'male',
      location: { province: 'Quảng Ninh', commune: 'Hạ Long' },
    },
    categories: ['post_sentence'],
    concerns: {},
    summary: 'Cần tư vấn học nghề sau khi chấp hành án (needs vocational counselling after serving a sentence)',
  };
  return { ...base, ...patch, client: { ...base.client, ...patch.client } } as Intake;
}

// Each sample is a different person unless a test says otherwise: a second report about the
// same person is, rightly, a repeat, and scores higher.
const someone = (name: string) => `${name} ${randomUUID().slice(0, 4)}`;

/** A child abused by someone who can still reach her: must go the emergency path. */
export const abusedChild = (): Intake =>
  intake({
    channel: 'hotline',
    reporter: { name: 'Cô giáo Lan', phone: '0912345678', organisation: 'Trường tiểu học' },
    client: { fullName: someone('Nguyễn Thị Hoa'), age: 11, gender: 'female', location: { province: 'Quảng Ninh', commune: 'Hoành Bồ' } },
    categories: ['child_at_risk', 'sexual_abuse_victim'],
    concerns: { sexualAbuse: true, perpetratorHasAccess: true },
    summary: 'Giáo viên báo: em bị người quen xâm hại, người này vẫn đến nhà',
  });

/** An older man living alone in a remote commune: priority, but the standard path. */
export const lonelyOlderMan = (): Intake =>
  intake({
    channel: 'collaborator',
    reporter: { name: 'Cộng tác viên thôn 3' },
    client: { fullName: someone('Hoàng Văn Sáng'), age: 78, gender: 'male', location: { province: 'Quảng Ninh', commune: 'Đồng Văn', remote: true } },
    categories: ['older_person_alone'],
    concerns: { livesAlone: true },
    summary: 'Cụ sống một mình, con đi làm xa',
  });
