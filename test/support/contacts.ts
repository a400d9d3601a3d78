// Calls the contact tests record (issue 27): one that stays advice, and one C1 must turn into a case.

/** An older woman calling about her pension papers for herself: information, nothing to score. */
export const benefitCall = (extra: Record<string, unknown> = {}) => ({
  channel: 'hotline',
  durationMinutes: 6,
  caller: { anonymous: false, fullName: 'Trần Thị Mai', phone: '0912 345 678', relation: 'self' },
  callType: 'benefit_guidance',
  topics: ['older_person'],
  summary: 'Hỏi thủ tục hưởng trợ cấp xã hội hằng tháng cho người cao tuổi',
  outcome: 'advice_given',
  ...extra,
});

/** A teacher's call about a girl of 9 abused by someone who can still reach her: what an intake would route to the emergency path. */
export const abuseCall = (extra: Record<string, unknown> = {}) => ({
  channel: 'hotline',
  caller: { anonymous: false, fullName: 'Cô giáo Lan', relation: 'teacher' },
  about: { fullName: 'Phạm Thị Hồng', age: 9, gender: 'female', location: { commune: 'Hoành Bồ' } },
  callType: 'report_of_concern',
  topics: ['child_at_risk'],
  concerns: { sexualAbuse: true, perpetratorHasAccess: true },
  summary: 'Cô giáo báo em bị người quen xâm hại; người đó vẫn ở gần nhà em',
  outcome: 'advice_given',
  ...extra,
});
