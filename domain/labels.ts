// The words people read for the intake's codes, in Vietnamese and English: categories of people
// served (../shared/DOMAIN.md, "Who is served"), concerns and channels. The partner's page shows
// them now; the console will too. Free of any library.
import type { ConcernKey } from './concerns';
import type { CategoryCode, Channel } from './intake';
import type { Bilingual } from './stages';

export const CATEGORY_LABELS: Record<CategoryCode, Bilingual> = {
  child_special_circumstances: { vi: 'Trẻ em có hoàn cảnh đặc biệt', en: 'Child in special circumstances' },
  child_at_risk: { vi: 'Trẻ em có nguy cơ rơi vào hoàn cảnh đặc biệt', en: 'Child at risk' },
  child_in_conflict_with_law: { vi: 'Trẻ em vi phạm pháp luật', en: 'Child in conflict with the law' },
  post_sentence: { vi: 'Người sau chấp hành án', en: 'Person after serving a sentence' },
  older_person: { vi: 'Người cao tuổi', en: 'Older person' },
  older_person_alone: { vi: 'Người cao tuổi neo đơn', en: 'Older person living alone' },
  disability: { vi: 'Người khuyết tật', en: 'Person with a disability' },
  deaf: { vi: 'Người khiếm thính', en: 'Deaf person' },
  mental_illness: { vi: 'Người tâm thần', en: 'Person with mental illness' },
  mental_disorder: { vi: 'Người rối nhiễu tâm trí', en: 'Person with a mental disorder' },
  autism: { vi: 'Trẻ tự kỷ', en: 'Autistic child' },
  depression: { vi: 'Người trầm cảm', en: 'Person with depression' },
  domestic_violence_victim: { vi: 'Nạn nhân bạo lực gia đình', en: 'Victim of domestic violence' },
  sexual_abuse_victim: { vi: 'Nạn nhân xâm hại tình dục', en: 'Victim of sexual abuse' },
  trafficking_victim: { vi: 'Nạn nhân mua bán người', en: 'Victim of trafficking' },
  homeless: { vi: 'Người lang thang, cơ nhỡ', en: 'Homeless or wandering person' },
  drug_use: { vi: 'Người sử dụng ma tuý', en: 'Person who uses drugs' },
  hiv: { vi: 'Người sống chung với HIV', en: 'Person living with HIV' },
  poor_household: { vi: 'Hộ nghèo, cận nghèo', en: 'Poor or near-poor household' },
  agent_orange: { vi: 'Nạn nhân chất độc da cam', en: 'Agent Orange beneficiary' },
  other: { vi: 'Khác', en: 'Other' },
};

export const CONCERN_LABELS: Record<ConcernKey, Bilingual> = {
  immediateDanger: { vi: 'Đang gặp nguy hiểm trực tiếp', en: 'In immediate danger' },
  injury: { vi: 'Bị thương tích', en: 'Injured' },
  sexualAbuse: { vi: 'Bị xâm hại tình dục', en: 'Sexual abuse' },
  trafficking: { vi: 'Bị mua bán', en: 'Trafficking' },
  violenceOngoing: { vi: 'Bạo lực đang tiếp diễn', en: 'Violence ongoing' },
  perpetratorHasAccess: { vi: 'Người gây hại vẫn tiếp cận được', en: 'The perpetrator can still reach them' },
  selfHarmRisk: { vi: 'Nguy cơ tự gây hại', en: 'Risk of self-harm' },
  noSafeShelter: { vi: 'Không có chỗ ở an toàn', en: 'No safe shelter' },
  noCaregiver: { vi: 'Không có người chăm sóc', en: 'No caregiver' },
  livesAlone: { vi: 'Sống một mình', en: 'Lives alone' },
  medicalUrgent: { vi: 'Cần chăm sóc y tế khẩn cấp', en: 'Needs urgent medical care' },
  basicNeedsUnmet: { vi: 'Thiếu ăn, mặc, ở', en: 'Basic needs unmet' },
};

export const CHANNEL_LABELS: Record<Channel, Bilingual> = {
  hotline: { vi: 'Tổng đài', en: 'Hotline' },
  walk_in: { vi: 'Đến trực tiếp', en: 'Walk-in' },
  collaborator: { vi: 'Cộng tác viên', en: 'Collaborator' },
  referral: { vi: 'Cơ quan chuyển đến', en: 'Referred by an agency' },
  outreach: { vi: 'Tiếp cận cộng đồng', en: 'Outreach' },
  counselling_cafe: { vi: 'Cà phê tư vấn', en: 'Counselling café' },
};

export const GENDER_LABELS: Record<'female' | 'male' | 'other' | 'unknown', Bilingual> = {
  female: { vi: 'Nữ', en: 'Female' },
  male: { vi: 'Nam', en: 'Male' },
  other: { vi: 'Khác', en: 'Other' },
  unknown: { vi: 'Không rõ', en: 'Unknown' },
};
