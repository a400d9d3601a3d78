// Every error code the product answers with, once: its HTTP status and what it means, in
// Vietnamese and English. The API renders the message in the language the request asks for;
// the OpenAPI document lists these codes; the workflow refuses staff actions with the same codes.
// Free of any library: the workflow bundle imports it.
import type { Bilingual } from './stages';

export interface ErrorSpec {
  status: 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503;
  /** The message when the code says it all; a route may give a more precise one. */
  message: Bilingual;
}

export const ERRORS = {
  malformed_json: { status: 400, message: { vi: 'Nội dung yêu cầu không phải JSON hợp lệ', en: 'The request body is not valid JSON' } },
  bad_request: { status: 400, message: { vi: 'Yêu cầu không đọc được', en: 'The request cannot be read' } },
  unauthenticated: {
    status: 401,
    message: {
      vi: 'Hãy đăng nhập (POST /auth/login) và gửi Authorization: Bearer <token>',
      en: 'Log in (POST /auth/login) and send Authorization: Bearer <token>',
    },
  },
  token_expired: { status: 401, message: { vi: 'Phiên làm việc đã hết hạn; hãy đăng nhập lại', en: 'The session has expired; log in again' } },
  invalid_credentials: { status: 401, message: { vi: 'Sai tên đăng nhập hoặc mật khẩu', en: 'Wrong username or password' } },
  forbidden: { status: 403, message: { vi: 'Vai trò của bạn không được làm việc này', en: 'Your role may not do this' } },
  own_approval: { status: 403, message: { vi: 'Không thể tự duyệt đề xuất của chính mình', en: 'You cannot decide on a request you made yourself' } },
  not_found: { status: 404, message: { vi: 'Không tìm thấy', en: 'Not found' } },
  method_not_allowed: {
    status: 405,
    message: { vi: 'Đường dẫn này không nhận phương thức này; xem tiêu đề Allow', en: 'This path does not take this method; see the Allow header' },
  },
  unknown_form: {
    status: 404,
    message: {
      vi: 'Trường hợp này không có biểu mẫu tên này; xem danh sách trong details',
      en: 'This case has no form of that name; the forms are listed in details',
    },
  },
  form_not_ready: {
    status: 409,
    message: { vi: 'Chưa in được biểu mẫu này: bước của nó chưa diễn ra', en: 'This form cannot be printed yet: its step has not happened' },
  },
  no_draft: { status: 404, message: { vi: 'Chưa có bản nháp nào', en: 'There is no draft' } },
  out_of_stage: { status: 409, message: { vi: 'Trường hợp đang ở bước không cho phép việc này', en: 'The case is not at a stage that allows this' } },
  case_erased: {
    status: 409,
    message: { vi: 'Dữ liệu của trường hợp này đã bị xoá; không thể thao tác', en: 'This case was erased: it takes no more actions' },
  },
  case_not_running: {
    status: 409,
    message: {
      vi: 'Trường hợp này không nhận thêm thao tác (đã bị xoá hoặc đã dừng)',
      en: 'This case takes no more actions (it was erased or its workflow ended)',
    },
  },
  invalid_transition: {
    status: 409,
    message: {
      vi: 'Trạng thái hoạt động chỉ đi tới: dự kiến → đang làm → xong hoặc huỷ',
      en: 'An intervention moves forward only: planned → in progress → done or cancelled',
    },
  },
  open_interventions: {
    status: 409,
    message: { vi: 'Còn hoạt động can thiệp chưa xong hoặc chưa huỷ', en: 'Some interventions are still planned or in progress' },
  },
  open_referrals: {
    status: 409,
    message: { vi: 'Còn chuyển gửi đang chờ đối tác trả lời', en: 'Some referrals are still waiting for their partner’s answer' },
  },
  referral_closed: {
    status: 410,
    message: {
      vi: 'Chuyển gửi này đã kết thúc (hoàn thành, bị từ chối, quá hạn hoặc đã rút lại); đường dẫn không còn hiệu lực',
      en: 'This referral has ended (completed, declined, expired or revoked); the link no longer works',
    },
  },
  other_unit: {
    status: 409,
    message: { vi: 'Nhân viên thuộc đơn vị khác; hãy chuyển trường hợp trước', en: 'The worker belongs to another unit; transfer the case first' },
  },
  no_pending_risk: { status: 409, message: { vi: 'Không có mức nguy cơ nào đang chờ xác nhận', en: 'There is no lower risk waiting for a decision' } },
  not_a_draft: { status: 409, message: { vi: 'Phiên bản này không còn là bản nháp', en: 'This version is not a draft' } },
  backtest_required: {
    status: 409,
    message: { vi: 'Hãy chạy thử trên các trường hợp cũ trước khi ban hành', en: 'Backtest the draft as it is now before publishing it' },
  },
  downgrades_unconfirmed: {
    status: 409,
    message: {
      vi: 'Bản nháp chuyển trường hợp từ luồng khẩn cấp sang luồng thường; cần xác nhận',
      en: 'The draft moves cases from the emergency to the standard path; confirm it',
    },
  },
  unknown_reference: {
    status: 409,
    message: {
      vi: 'Nội dung nhắc tới một mục không có (hoặc bạn không được xem)',
      en: 'The body names something that does not exist, or that you may not see',
    },
  },
  username_taken: { status: 409, message: { vi: 'Tên đăng nhập đã có người dùng', en: 'The username is taken' } },
  contact_case_opened: {
    status: 409,
    message: { vi: 'Cuộc gọi này đã thành một trường hợp: kết quả không đổi được nữa', en: 'This contact became a case: its outcome cannot change' },
  },
  callback_open: {
    status: 409,
    message: {
      vi: 'Còn một cuộc gọi lại đã hẹn: hãy ghi lại cuộc gọi lại (POST /contacts/{id}/callback) trước',
      en: 'A promised callback is still open: record it first (POST /contacts/{id}/callback)',
    },
  },
  no_callback: { status: 409, message: { vi: 'Cuộc gọi này không có hẹn gọi lại', en: 'No callback was promised on this contact' } },
  callback_recorded: { status: 409, message: { vi: 'Cuộc gọi lại này đã được ghi', en: 'This callback was already recorded' } },
  active_placement: {
    status: 409,
    message: {
      vi: 'Người được trợ giúp đang ở một nơi chăm sóc thay thế: hãy kết thúc hoặc chuyển nơi đó trước',
      en: 'The person is in a placement now: end it or move them first',
    },
  },
  carer_full: { status: 409, message: { vi: 'Nơi chăm sóc này đã hết chỗ', en: 'This carer has no free place' } },
  carer_not_approved: {
    status: 409,
    message: { vi: 'Nơi chăm sóc này đã hết hạn công nhận hoặc ngừng hoạt động', en: 'This carer’s approval has expired, or it is no longer active' },
  },
  programme_full: { status: 409, message: { vi: 'Chương trình đã đủ người', en: 'The programme is full' } },
  already_enrolled: { status: 409, message: { vi: 'Người này đã tham gia chương trình', en: 'This person is already enrolled in the programme' } },
  programme_closed: { status: 409, message: { vi: 'Chương trình đã kết thúc', en: 'The programme is closed' } },
  conflict: { status: 409, message: { vi: 'Trùng với dữ liệu đã có', en: 'This conflicts with existing data' } },
  payload_too_large: { status: 413, message: { vi: 'Nội dung yêu cầu quá lớn', en: 'The request body is too large' } },
  unsupported_media_type: {
    status: 415,
    message: { vi: 'Hãy gửi nội dung dạng JSON với Content-Type: application/json', en: 'Send the body as JSON with Content-Type: application/json' },
  },
  validation_failed: { status: 422, message: { vi: 'Yêu cầu không hợp lệ', en: 'The request is not valid' } },
  idempotency_key_reused: {
    status: 409,
    message: { vi: 'Idempotency-Key này đã dùng cho một nội dung khác', en: 'This Idempotency-Key was already used with a different body' },
  },
  invalid_ruleset: { status: 422, message: { vi: 'Bộ quy tắc có lỗi', en: 'The ruleset has problems' } },
  invalid_policy: { status: 422, message: { vi: 'Quy định thời hạn có lỗi', en: 'The deadline policy has problems' } },
  too_many_attempts: { status: 429, message: { vi: 'Đăng nhập sai quá nhiều lần; hãy thử lại sau', en: 'Too many failed logins; try again later' } },
  rate_limited: { status: 429, message: { vi: 'Quá nhiều thay đổi trong một phút; hãy chậm lại', en: 'Too many changes a minute; slow down' } },
  record_refused: {
    status: 422,
    message: {
      vi: 'Cơ sở dữ liệu không nhận dữ liệu này; trường hợp vẫn giữ nguyên như trước',
      en: 'The database refused this data; the case is as it was',
    },
  },
  internal: {
    status: 500,
    message: { vi: 'Có lỗi phía hệ thống; yêu cầu này không thay đổi gì', en: 'Something went wrong on our side; nothing was changed by this request' },
  },
  dependency_unavailable: {
    status: 503,
    message: {
      vi: 'Một phần của hệ thống (cơ sở dữ liệu hoặc Temporal) đang khởi động lại hoặc không trả lời; hãy thử lại sau ít giây',
      en: 'A part of the system (the database or Temporal) is restarting or not answering; try again in a few seconds',
    },
  },
  audit_unavailable: {
    status: 503,
    message: { vi: 'Không ghi được nhật ký truy cập lúc này; không trả dữ liệu', en: 'The audit trail cannot be written right now; nothing was returned' },
  },
  action_delayed: {
    status: 503,
    message: {
      vi: 'Đã gửi thao tác nhưng trường hợp chưa trả lời; hãy xem lại trường hợp trước khi gửi lại',
      en: 'The action was sent but the case has not answered yet; look at the case before sending it again',
    },
  },
  routing_delayed: {
    status: 503,
    message: {
      vi: 'Đã nhận trường hợp nhưng chưa phân luồng xong; hãy gửi lại với cùng Idempotency-Key',
      en: 'The case was received but its routing is not ready yet; repeat the request with the same Idempotency-Key',
    },
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERRORS;

/** The type of an activity failure whose data PostgreSQL refused: no retry can change the data. */
export const BAD_DATA_FAILURE = 'bad_data';
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** The codes with which the case workflow refuses a staff action (its validators and handlers). */
export type RefusalCode = Extract<
  ErrorCode,
  | 'forbidden'
  | 'out_of_stage'
  | 'case_erased'
  | 'unknown_reference'
  | 'own_approval'
  | 'validation_failed'
  | 'no_pending_risk'
  | 'not_found'
  | 'invalid_transition'
  | 'open_interventions'
  | 'open_referrals'
  | 'referral_closed'
  | 'active_placement'
>;
/** The type of the activity failure by which the database refuses a placement with a full carer (P3). */
export const CARER_FULL_FAILURE = 'carer_full' satisfies ErrorCode;
