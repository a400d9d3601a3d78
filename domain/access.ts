// Who is acting: a staff member (by session token) or an integration (by API token).
export const ROLES = ['social_worker', 'supervisor', 'manager', 'admin', 'collaborator'] as const;
export type Role = (typeof ROLES)[number];

// The words staff use for each role (../docs/process.md).
export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  social_worker: { vi: 'nhân viên công tác xã hội', en: 'social worker' },
  supervisor: { vi: 'trưởng phòng', en: 'supervisor' },
  manager: { vi: 'Ban Giám đốc', en: 'manager' },
  admin: { vi: 'quản trị hệ thống', en: 'administrator' },
  collaborator: { vi: 'cộng tác viên', en: 'collaborator' },
};

export const INTEGRATION_ROLES = ['social_worker', 'collaborator'] as const;

export interface Principal {
  id: string;
  kind: 'staff' | 'token';
  name: string;
  role: Role;
  /** The tenant: nobody sees data of another province. */
  province: string;
  unitId: string | null;
}
