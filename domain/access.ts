// Who is acting: a staff member (by session token) or an integration (by API token).
import { z } from './zod';

export const ROLES = ['social_worker', 'supervisor', 'manager', 'admin', 'collaborator'] as const;
export type Role = (typeof ROLES)[number];

export const INTEGRATION_ROLES = ['social_worker', 'collaborator'] as const;

export const ROLE_LABELS: Record<Role, { vi: string; en: string }> = {
  social_worker: { vi: 'Nhân viên CTXH', en: 'Social worker' },
  supervisor: { vi: 'Trưởng phòng', en: 'Supervisor' },
  manager: { vi: 'Ban Giám đốc', en: 'Manager' },
  admin: { vi: 'Quản trị hệ thống', en: 'Administrator' },
  collaborator: { vi: 'Cộng tác viên CTXH', en: 'Community collaborator' },
};

export interface Principal {
  id: string;
  kind: 'staff' | 'token';
  name: string;
  role: Role;
  /** The tenant: nobody sees data of another province. */
  province: string;
  unitId: string | null;
}

export const PrincipalSchema = z.object({
  id: z.uuid(),
  kind: z.enum(['staff', 'token']),
  name: z.string(),
  role: z.enum(ROLES),
  province: z.string(),
  unitId: z.uuid().nullable(),
});
