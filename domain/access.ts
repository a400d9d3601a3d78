// Who is acting: a staff member (by session token) or an integration (by API token).
export const ROLES = ['social_worker', 'supervisor', 'manager', 'admin', 'collaborator'] as const;
export type Role = (typeof ROLES)[number];

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

