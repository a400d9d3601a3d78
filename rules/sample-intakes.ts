// Intakes a new draft ruleset is simulated on until its author writes their own: the kinds of
// report the centre takes most (../docs/process.md), one per path.
import type { Intake } from '../domain/intake';

export const SAMPLE_INTAKES: Intake[] = [
  {
    channel: 'hotline',
    reporter: { name: 'Giáo viên chủ nhiệm' },
    client: { fullName: 'Mẫu: trẻ em bị xâm hại', age: 11, gender: 'female', location: { province: 'Quảng Ninh', commune: 'Hoành Bồ' } },
    categories: ['child_at_risk', 'sexual_abuse_victim'],
    concerns: { sexualAbuse: true, perpetratorHasAccess: true },
    summary: 'Em bị người quen xâm hại, người này vẫn đến nhà',
  },
  {
    channel: 'collaborator',
    client: { fullName: 'Mẫu: cụ sống một mình', age: 78, gender: 'male', location: { province: 'Quảng Ninh', commune: 'Đồng Văn', remote: true } },
    categories: ['older_person_alone'],
    concerns: { livesAlone: true },
    summary: 'Cụ sống một mình, con đi làm xa',
  },
  {
    channel: 'walk_in',
    client: { fullName: 'Mẫu: người sau chấp hành án', age: 34, gender: 'male', location: { province: 'Quảng Ninh', commune: 'Hạ Long' } },
    categories: ['post_sentence'],
    concerns: {},
    summary: 'Cần tư vấn học nghề sau khi chấp hành án',
  },
];
