// The secret that signs session tokens and makes partners' links (AUTH_SECRET), and, after a
// rotation, the one before it (AUTH_SECRET_PREVIOUS): what the old one made keeps working for a
// grace period, while everything new is made with the current one only. A bare string is the
// current secret alone, which is what every caller had before rotation existed.
export type AuthSecrets = string | { current: string; previous?: string };

/** The secret new tokens and links are made with. */
export function currentSecret(secrets: AuthSecrets): string {
  return typeof secrets === 'string' ? secrets : secrets.current;
}

/** The secrets a token or a link may have been made with, the current one first. */
export function honouredSecrets(secrets: AuthSecrets): string[] {
  if (typeof secrets === 'string') return [secrets];
  return secrets.previous && secrets.previous !== secrets.current ? [secrets.current, secrets.previous] : [secrets.current];
}
