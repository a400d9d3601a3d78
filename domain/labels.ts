// The words people read for the intake's codes, in Vietnamese and English: categories of people
// served (../shared/DOMAIN.md, "Who is served"), concerns and channels. The partner's page shows
// them now; the console will too. Free of any library.
import type { CarerKind } from './carers';
import type { ClosureReason, GoalsMet } from './closure';
import type { ConcernKey } from './concerns';
import type { CallerRelation, CallType, ContactChannel, ContactOutcome } from './contacts';
import { ROLE_LABELS } from './access';
import type { DeadlineStep } from './deadlines';
import type { CategoryCode, Channel } from './intake';
import type { WEEKDAYS } from './programmes';
import { REFERRAL_STATUS_LABELS, SHAREABLE_LABELS, type PartnerKind, type ShareablePath } from './referrals';
import type { Bilingual, InterventionStatus, Path, RiskLevel } from './stages';

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

export const RISK_LEVEL_LABELS: Record<RiskLevel, Bilingual> = {
  critical: { vi: 'Rất nghiêm trọng', en: 'Critical' },
  high: { vi: 'Cao', en: 'High' },
  medium: { vi: 'Trung bình', en: 'Medium' },
  low: { vi: 'Thấp', en: 'Low' },
};

export const PATH_LABELS: Record<Path, Bilingual> = {
  emergency: { vi: 'Luồng khẩn cấp', en: 'Emergency path' },
  standard: { vi: 'Luồng thông thường', en: 'Standard path' },
};

export const INTERVENTION_STATUS_LABELS: Record<InterventionStatus, Bilingual> = {
  planned: { vi: 'Đã lên kế hoạch', en: 'Planned' },
  in_progress: { vi: 'Đang thực hiện', en: 'In progress' },
  done: { vi: 'Đã xong', en: 'Done' },
  cancelled: { vi: 'Đã dừng', en: 'Cancelled' },
};

export const DEADLINE_STEP_LABELS: Record<DeadlineStep, Bilingual> = {
  emergency_response: { vi: 'Can thiệp khẩn cấp', en: 'Emergency response' },
  assessment: { vi: 'Xác minh, đánh giá', en: 'Assessment' },
  planning: { vi: 'Lập kế hoạch', en: 'Planning' },
  plan_approval: { vi: 'Duyệt kế hoạch', en: 'Plan approval' },
  review: { vi: 'Rà soát định kỳ', en: 'Periodic review' },
  closure_approval: { vi: 'Duyệt kết thúc', en: 'Closure approval' },
  referral_response: { vi: 'Đối tác trả lời chuyển gửi', en: 'Partner’s answer to a referral' },
  callback: { vi: 'Gọi lại như đã hẹn (tính từ giờ hẹn)', en: 'Promised callback (counted from the time promised)' },
  separation_limit: { vi: 'Hết thời hạn tạm thời cách ly trẻ (tối đa 15 ngày)', en: 'Limit of a temporary separation (15 days at most)' },
  placement_visit: { vi: 'Thăm nơi chăm sóc thay thế', en: 'Monitoring visit of a placement' },
  session_record: { vi: 'Ghi buổi sinh hoạt nhóm đã đến lịch', en: 'Recording a scheduled group session' },
};

export const PARTNER_KIND_LABELS: Record<PartnerKind, Bilingual> = {
  health: { vi: 'Y tế', en: 'Health' },
  police: { vi: 'Công an', en: 'Police' },
  justice: { vi: 'Tư pháp, trợ giúp pháp lý', en: 'Justice and legal aid' },
  education: { vi: 'Giáo dục', en: 'Education' },
  shelter: { vi: 'Nhà tạm lánh, cơ sở bảo trợ', en: 'Shelter' },
  vocational: { vi: 'Dạy nghề, việc làm', en: 'Vocational training' },
  programme: { vi: 'Chương trình, dự án', en: 'Programme' },
  commune: { vi: 'UBND xã, phường', en: 'Commune authority' },
  other: { vi: 'Khác', en: 'Other' },
};

/**
 * The words for the values a form offers, by the name of the field that takes them: an intake's
 * codes and an action's choices (domain/action-bodies.ts).
 */
/** Why a case was closed (domain/closure.ts). */
export const CLOSURE_REASON_LABELS: Record<ClosureReason, Bilingual> = {
  goals_met: { vi: 'Đã đạt mục tiêu kế hoạch', en: 'Plan goals met' },
  family_care: { vi: 'Chuyển về gia đình chăm sóc', en: 'Returned to family care' },
  transferred: { vi: 'Chuyển tới cơ sở hoặc địa phương khác quản lý', en: 'Transferred to another centre or locality' },
  moved_away: { vi: 'Chuyển nơi ở', en: 'Moved away' },
  lost_contact: { vi: 'Mất liên lạc', en: 'Contact lost' },
  declined_services: { vi: 'Từ chối nhận hỗ trợ', en: 'Declined services' },
  no_longer_eligible: { vi: 'Không cần hoặc không còn thuộc diện hỗ trợ', en: 'No longer needs or qualifies for support' },
  died: { vi: 'Đã qua đời', en: 'Died' },
  other: { vi: 'Lý do khác', en: 'Other reason' },
};

/** How far the plan's goals were met when the case closed. */
export const GOALS_MET_LABELS: Record<GoalsMet, Bilingual> = {
  all: { vi: 'Đạt tất cả mục tiêu', en: 'All goals met' },
  most: { vi: 'Đạt phần lớn mục tiêu', en: 'Most goals met' },
  some: { vi: 'Đạt một số mục tiêu', en: 'Some goals met' },
  none: { vi: 'Chưa đạt mục tiêu', en: 'No goal met' },
};

/** Where a person can be placed (issue 28, domain/carers.ts). */
export const CARER_KIND_LABELS: Record<CarerKind, Bilingual> = {
  foster_family: { vi: 'Gia đình nhận chăm sóc thay thế', en: 'Foster family' },
  kinship: { vi: 'Người thân, họ hàng', en: 'Kin' },
  shelter: { vi: 'Nhà tạm lánh', en: 'Shelter' },
  residential_centre: { vi: 'Cơ sở trợ giúp xã hội', en: 'Residential centre' },
  health_facility: { vi: 'Cơ sở y tế', en: 'Health facility' },
  other: { vi: 'Khác', en: 'Other' },
};

/** A programme's weekly day (issue 29, domain/programmes.ts). */
export const WEEKDAY_LABELS: Record<(typeof WEEKDAYS)[number], Bilingual> = {
  monday: { vi: 'Thứ Hai', en: 'Monday' },
  tuesday: { vi: 'Thứ Ba', en: 'Tuesday' },
  wednesday: { vi: 'Thứ Tư', en: 'Wednesday' },
  thursday: { vi: 'Thứ Năm', en: 'Thursday' },
  friday: { vi: 'Thứ Sáu', en: 'Friday' },
  saturday: { vi: 'Thứ Bảy', en: 'Saturday' },
  sunday: { vi: 'Chủ Nhật', en: 'Sunday' },
};

/** The contact log's codes (issue 27), as the hotline page, its reports and its import say them. */
export const CONTACT_CHANNEL_LABELS: Record<ContactChannel, Bilingual> = {
  hotline: CHANNEL_LABELS.hotline,
  walk_in: CHANNEL_LABELS.walk_in,
  counselling_cafe: CHANNEL_LABELS.counselling_cafe,
  outreach: CHANNEL_LABELS.outreach,
  other: { vi: 'Khác', en: 'Other' },
};

/**
 * Each call type's words begin with a letter of their own in each language, so the hotline page
 * picks a call type by its first letter (H C T B X G I Q N K; I B C R A F S P W O).
 */
export const CALL_TYPE_LABELS: Record<CallType, Bilingual> = {
  information: { vi: 'Hỏi thông tin', en: 'Information' },
  benefit_guidance: { vi: 'Chế độ, chính sách', en: 'Benefit guidance' },
  counselling: { vi: 'Tư vấn, tham vấn', en: 'Counselling' },
  report_of_concern: { vi: 'Báo tin có nguy cơ', en: 'Report of concern' },
  referral_request: { vi: 'Xin kết nối dịch vụ', en: 'Asking for a referral' },
  follow_up: { vi: 'Gọi lại, theo dõi', en: 'Follow-up' },
  silent: { vi: 'Im lặng', en: 'Silent call' },
  prank: { vi: 'Quấy rối', en: 'Prank call' },
  wrong_number: { vi: 'Nhầm số', en: 'Wrong number' },
  other: { vi: 'Khác', en: 'Other' },
};

export const CONTACT_OUTCOME_LABELS: Record<ContactOutcome, Bilingual> = {
  advice_given: { vi: 'Đã tư vấn', en: 'Advice given' },
  referred: { vi: 'Đã giới thiệu nơi hỗ trợ', en: 'Referred' },
  callback_promised: { vi: 'Hẹn gọi lại', en: 'Callback promised' },
  case_opened: { vi: 'Đã mở trường hợp', en: 'Case opened' },
  no_action: { vi: 'Không cần làm gì thêm', en: 'No action' },
};

export const CALLER_RELATION_LABELS: Record<CallerRelation, Bilingual> = {
  self: { vi: 'Chính người cần hỗ trợ', en: 'The person themselves' },
  family: { vi: 'Người nhà', en: 'Family' },
  neighbour: { vi: 'Hàng xóm', en: 'Neighbour' },
  teacher: { vi: 'Giáo viên', en: 'Teacher' },
  health_worker: { vi: 'Nhân viên y tế', en: 'Health worker' },
  police: { vi: 'Công an', en: 'Police' },
  commune_official: { vi: 'Cán bộ xã, phường', en: 'Commune official' },
  other: { vi: 'Khác', en: 'Other' },
};

export const VALUE_LABELS: Record<string, Record<string, Bilingual>> = {
  // The intake's channels and the contact log's one more ("other").
  channel: { ...CHANNEL_LABELS, ...CONTACT_CHANNEL_LABELS },
  callType: CALL_TYPE_LABELS,
  relation: CALLER_RELATION_LABELS,
  outcome: CONTACT_OUTCOME_LABELS,
  topics: CATEGORY_LABELS,
  gender: GENDER_LABELS,
  categories: CATEGORY_LABELS,
  concern: CONCERN_LABELS,
  scope: SHAREABLE_LABELS,
  decision: {
    approve: { vi: 'Thông qua', en: 'Approve' },
    reject: { vi: 'Không thông qua', en: 'Reject' },
    confirm: { vi: 'Xác nhận', en: 'Confirm' },
  },
  progress: {
    on_track: { vi: 'Đúng tiến độ', en: 'On track' },
    at_risk: { vi: 'Có nguy cơ chậm', en: 'At risk' },
    off_track: { vi: 'Chậm, lệch kế hoạch', en: 'Off track' },
  },
  status: { ...INTERVENTION_STATUS_LABELS, ...REFERRAL_STATUS_LABELS },
  role: ROLE_LABELS,
  reasonCode: CLOSURE_REASON_LABELS,
  goalsMet: GOALS_MET_LABELS,
  // A partner's kind and a carer's (issue 28) share the field's name, never a code but "other".
  kind: { ...PARTNER_KIND_LABELS, ...CARER_KIND_LABELS },
  language: { vi: { vi: 'Tiếng Việt', en: 'Vietnamese' }, en: { vi: 'Tiếng Anh', en: 'English' } },
};

/** Labels of the directory's fields (staff, units, partners, integration tokens), by name. */
export const DIRECTORY_FIELD_LABELS: Record<string, Bilingual> = {
  username: { vi: 'Tên đăng nhập', en: 'Username' },
  displayName: { vi: 'Họ tên hiển thị', en: 'Display name' },
  role: { vi: 'Vai trò', en: 'Role' },
  unitId: { vi: 'Đơn vị', en: 'Unit' },
  password: { vi: 'Mật khẩu (ít nhất 10 ký tự)', en: 'Password (10 characters or more)' },
  email: { vi: 'Thư điện tử', en: 'E-mail' },
  phone: { vi: 'Điện thoại', en: 'Phone' },
  language: { vi: 'Ngôn ngữ', en: 'Language' },
  active: { vi: 'Đang làm việc', en: 'Active' },
  name: { vi: 'Tên', en: 'Name' },
  areas: { vi: 'Xã, phường, huyện phụ trách', en: 'Communes and districts covered' },
  isDefault: { vi: 'Đơn vị mặc định (nhận trường hợp không thuộc đơn vị nào)', en: 'Default unit (takes cases no other unit covers)' },
  supervisorId: { vi: 'Trưởng phòng', en: 'Supervisor' },
  onCallWorkerId: { vi: 'Nhân viên trực', en: 'On-call worker' },
  kind: { vi: 'Loại đối tác', en: 'Kind of partner' },
  services: { vi: 'Dịch vụ', en: 'Services' },
  communes: { vi: 'Xã, phường phục vụ (để trống: cả tỉnh)', en: 'Communes served (none: the whole province)' },
  contact: { vi: 'Liên hệ', en: 'Contact' },
  webhook: { vi: 'Webhook (hệ thống của đối tác)', en: 'Webhook (the partner’s system)' },
  url: { vi: 'Địa chỉ URL', en: 'URL' },
  secret: { vi: 'Khoá bí mật (chỉ ghi, không hiện lại)', en: 'Secret (write-only, never shown again)' },
};

/** Labels of the fields inside an action's body fields (the catalogue labels the top ones), by name. */
export const NESTED_FIELD_LABELS: Record<string, Bilingual> = {
  givenBy: { vi: 'Người đồng ý (người được trợ giúp, cha mẹ hoặc người giám hộ)', en: 'Who consented (the person, a parent or guardian)' },
  scope: { vi: 'Thông tin được chia sẻ', en: 'What may be shared' },
  id: { vi: 'Mã hoạt động', en: 'Intervention id' },
  type: { vi: 'Loại hoạt động', en: 'Type' },
  description: { vi: 'Mô tả', en: 'Description' },
  reason: { vi: 'Lý do', en: 'Reason' },
  concern: { vi: 'Mối lo ngại', en: 'Concern' },
  person: { vi: 'Bản thân người được trợ giúp', en: 'The person' },
  family: { vi: 'Gia đình', en: 'The family' },
  community: { vi: 'Cộng đồng', en: 'The community' },
  ...CONCERN_LABELS,
};

/** Labels of an intake's fields, by their path (domain/intake.ts). */
export const INTAKE_FIELD_LABELS: Record<string, Bilingual> = {
  channel: { vi: 'Kênh tiếp nhận', en: 'Channel' },
  reporter: { vi: 'Người báo tin', en: 'Reporter' },
  'reporter.name': { vi: 'Họ tên người báo tin', en: 'Reporter’s name' },
  'reporter.phone': { vi: 'Điện thoại người báo tin', en: 'Reporter’s phone' },
  'reporter.organisation': { vi: 'Cơ quan, tổ chức', en: 'Organisation' },
  client: { vi: 'Người cần trợ giúp', en: 'The person needing help' },
  'client.fullName': { vi: 'Họ và tên', en: 'Full name' },
  'client.birthYear': { vi: 'Năm sinh', en: 'Birth year' },
  'client.age': { vi: 'Tuổi (nếu không rõ năm sinh)', en: 'Age (if the birth year is unknown)' },
  'client.gender': { vi: 'Giới tính', en: 'Gender' },
  'client.ethnicity': { vi: 'Dân tộc', en: 'Ethnicity' },
  'client.ethnicMinority': { vi: 'Người dân tộc thiểu số', en: 'Ethnic minority' },
  'client.location': { vi: 'Nơi ở', en: 'Where they live' },
  'client.location.province': { vi: 'Tỉnh, thành phố', en: 'Province' },
  'client.location.district': { vi: 'Huyện (nếu có)', en: 'District (if any)' },
  'client.location.commune': { vi: 'Xã, phường', en: 'Commune' },
  'client.location.remote': { vi: 'Vùng sâu, vùng xa, miền núi, hải đảo', en: 'Remote, mountain or island area' },
  'client.phone': { vi: 'Điện thoại', en: 'Phone' },
  categories: { vi: 'Nhóm đối tượng', en: 'Categories' },
  concerns: { vi: 'Dấu hiệu nguy hiểm', en: 'Concerns' },
  summary: { vi: 'Nội dung sự việc', en: 'What happened' },
  incidentDate: { vi: 'Sự việc xảy ra ngày', en: 'Date it happened' },
  ...Object.fromEntries(Object.entries(CONCERN_LABELS).map(([key, label]) => [`concerns.${key}`, label])),
};

/** What each event of a case's timeline says happened (workflows/case.ts records them). */
export const EVENT_LABELS: Record<string, Bilingual> = {
  'case.routed': { vi: 'Tiếp nhận và phân luồng', en: 'Received and routed' },
  'case.imported': { vi: 'Nhập từ sổ theo dõi', en: 'Imported from the register' },
  'case.closed_in_register': { vi: 'Đã kết thúc (theo sổ theo dõi)', en: 'Closed (as the register says)' },
  'case.assigned': { vi: 'Phân công nhân viên', en: 'Assigned' },
  'case.transferred': { vi: 'Chuyển đơn vị', en: 'Transferred' },
  'case.restriction_changed': { vi: 'Đổi quyền xem', en: 'Access restriction changed' },
  'case.note': { vi: 'Ghi chú', en: 'Note' },
  'case.merged': { vi: 'Gộp vào trường hợp khác', en: 'Merged into another case' },
  'case.merge_received': { vi: 'Nhận báo cáo gộp vào', en: 'A report was merged in' },
  'case.reopened': { vi: 'Mở lại', en: 'Reopened' },
  'case.erased': { vi: 'Xoá dữ liệu cá nhân', en: 'Personal data erased' },
  'case.printed': { vi: 'In hồ sơ, biểu mẫu', en: 'Form or file printed' },
  'safety.confirmed': { vi: 'Xác nhận đã an toàn', en: 'Safety confirmed' },
  'assessment.recorded': { vi: 'Ghi đánh giá toàn diện', en: 'Assessment recorded' },
  'plan.submitted': { vi: 'Trình kế hoạch', en: 'Plan submitted' },
  'plan.approved': { vi: 'Kế hoạch được thông qua', en: 'Plan approved' },
  'plan.rejected': { vi: 'Kế hoạch bị trả lại', en: 'Plan sent back' },
  'intervention.added': { vi: 'Thêm hoạt động can thiệp', en: 'Intervention added' },
  'intervention.updated': { vi: 'Cập nhật hoạt động can thiệp', en: 'Intervention updated' },
  'review.recorded': { vi: 'Rà soát định kỳ', en: 'Review recorded' },
  'risk.pending': { vi: 'Mức nguy cơ thấp hơn chờ xác nhận', en: 'Lower risk awaiting confirmation' },
  'risk.confirmed': { vi: 'Xác nhận mức nguy cơ thấp hơn', en: 'Lower risk confirmed' },
  'risk.rejected': { vi: 'Bác bỏ mức nguy cơ thấp hơn', en: 'Lower risk rejected' },
  'closure.proposed': { vi: 'Đề xuất kết thúc', en: 'Closure proposed' },
  'closure.approved': { vi: 'Kết thúc được duyệt', en: 'Closure approved' },
  'closure.rejected': { vi: 'Không đồng ý kết thúc', en: 'Closure rejected' },
  'referral.drafted': { vi: 'Soạn chuyển gửi', en: 'Referral drafted' },
  ...Object.fromEntries(
    Object.entries(REFERRAL_STATUS_LABELS).map(([status, label]) => [`referral.${status}`, { vi: `Chuyển gửi: ${label.vi}`, en: `Referral: ${label.en}` }]),
  ),
};

/** What each event of a contact's history says happened (db/contacts.ts records them). */
export const CONTACT_EVENT_LABELS: Record<string, Bilingual> = {
  'contact.recorded': { vi: 'Ghi nhận cuộc gọi', en: 'Contact recorded' },
  'contact.imported': { vi: 'Nhập từ sổ tổng đài', en: 'Imported from the hotline log' },
  'contact.corrected': { vi: 'Sửa nội dung', en: 'Corrected' },
  'contact.case_opened': { vi: 'Mở trường hợp', en: 'Case opened' },
  'callback.reminder': { vi: 'Đến giờ gọi lại', en: 'Callback due' },
  'callback.supervisor': { vi: 'Quá hạn gọi lại: báo trưởng phòng', en: 'Callback overdue: supervisor told' },
  'callback.manager': { vi: 'Quá hạn gọi lại: báo Ban Giám đốc', en: 'Callback overdue: managers told' },
  'callback.recorded': { vi: 'Đã gọi lại', en: 'Callback made' },
};

/** Labels of a contact's fields, by their path (domain/contacts.ts). */
export const CONTACT_FIELD_LABELS: Record<string, Bilingual> = {
  channel: INTAKE_FIELD_LABELS.channel!,
  startedAt: { vi: 'Bắt đầu lúc', en: 'Started at' },
  durationMinutes: { vi: 'Thời lượng (phút)', en: 'Duration (minutes)' },
  caller: { vi: 'Người gọi', en: 'Caller' },
  'caller.anonymous': { vi: 'Người gọi giấu tên', en: 'The caller gives no name' },
  'caller.fullName': { vi: 'Họ tên người gọi', en: 'Caller’s name' },
  'caller.phone': { vi: 'Điện thoại người gọi', en: 'Caller’s phone' },
  'caller.relation': { vi: 'Là gì với người được nói đến', en: 'Relation to the person' },
  about: { vi: 'Người được nói đến', en: 'The person it is about' },
  'about.fullName': INTAKE_FIELD_LABELS['client.fullName']!,
  'about.age': INTAKE_FIELD_LABELS['client.age']!,
  'about.birthYear': INTAKE_FIELD_LABELS['client.birthYear']!,
  'about.gender': INTAKE_FIELD_LABELS['client.gender']!,
  'about.location': INTAKE_FIELD_LABELS['client.location']!,
  'about.location.province': INTAKE_FIELD_LABELS['client.location.province']!,
  'about.location.district': INTAKE_FIELD_LABELS['client.location.district']!,
  'about.location.commune': INTAKE_FIELD_LABELS['client.location.commune']!,
  'about.location.remote': INTAKE_FIELD_LABELS['client.location.remote']!,
  callType: { vi: 'Loại cuộc gọi', en: 'Call type' },
  topics: { vi: 'Vấn đề (nhóm đối tượng)', en: 'Topics (categories)' },
  concerns: INTAKE_FIELD_LABELS.concerns!,
  summary: { vi: 'Nội dung', en: 'Summary' },
  outcome: { vi: 'Kết quả', en: 'Outcome' },
  callbackBy: { vi: 'Hẹn gọi lại lúc', en: 'Call back by' },
  reachedPerson: { vi: 'Đã nói chuyện được với người đó', en: 'The person was reached' },
  ...Object.fromEntries(Object.entries(CONCERN_LABELS).map(([key, label]) => [`concerns.${key}`, label])),
};

/** Labels of a carer's fields (domain/carers.ts), for its forms and page. */
export const CARER_FIELD_LABELS: Record<string, Bilingual> = {
  kind: { vi: 'Loại nơi chăm sóc', en: 'Kind of carer' },
  name: { vi: 'Tên (gia đình, cơ sở)', en: 'Name (family, facility)' },
  commune: { vi: 'Xã, phường', en: 'Commune' },
  capacity: { vi: 'Số người nhận được cùng lúc', en: 'How many at once' },
  contact: { vi: 'Liên hệ', en: 'Contact' },
  phone: { vi: 'Điện thoại', en: 'Phone' },
  email: { vi: 'Thư điện tử', en: 'E-mail' },
  approvedUntil: { vi: 'Công nhận đến ngày', en: 'Approved until' },
  trainedOn: { vi: 'Ngày hoàn thành tập huấn', en: 'Trained on' },
  notes: { vi: 'Ghi chú', en: 'Notes' },
  active: { vi: 'Đang nhận chăm sóc', en: 'Active' },
};

/** What a partner is shown of a referral's shared data (R1), a row per shareable path present, in words. */
export function sharedRows(shared: Record<string, unknown>): Array<{ path: ShareablePath; label: Bilingual; words: Bilingual }> {
  return (Object.entries(SHAREABLE_LABELS) as Array<[ShareablePath, Bilingual]>).flatMap(([path, label]) => {
    const [head, field] = path.split('.') as [string, string | undefined];
    const holder = shared[head];
    const value = field ? (holder as Record<string, unknown> | undefined)?.[field] : holder;
    return value === undefined ? [] : [{ path, label, words: sharedWords(path, value) }];
  });
}

function sharedWords(path: ShareablePath, value: unknown): Bilingual {
  const both = (vi: string, en = vi): Bilingual => ({ vi, en });
  const join = (labels: Bilingual[]) => both(labels.map((l) => l.vi).join(', '), labels.map((l) => l.en).join(', '));
  if (path === 'categories' && Array.isArray(value)) return join(value.map((c: string) => CATEGORY_LABELS[c as CategoryCode] ?? both(c)));
  if (path === 'concerns' && value && typeof value === 'object') {
    return join(
      Object.entries(value)
        .filter(([, v]) => v === true)
        .map(([k]) => CONCERN_LABELS[k as ConcernKey] ?? both(k)),
    );
  }
  if (path === 'client.gender') return GENDER_LABELS[value as keyof typeof GENDER_LABELS] ?? both(String(value));
  if (path === 'client.location' && value && typeof value === 'object') {
    const { commune, district, province } = value as Record<string, string | undefined>;
    return both([commune, district, province].filter(Boolean).join(', '));
  }
  return both(String(value));
}
