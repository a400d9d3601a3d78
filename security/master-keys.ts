// Master keys come from configuration as "id:base64key,id:base64key". The active one wraps new
// case keys; the others stay to unwrap what they wrapped before a rotation.
export interface MasterKeys {
  activeId: string;
  /** Every configured key's id, in MASTER_KEYS's order. */
  ids: readonly string[];
  has(id: string): boolean;
  get(id: string): Buffer;
}

export function parseMasterKeys(spec: string, activeId?: string): MasterKeys {
  const keys = new Map<string, Buffer>();
  for (const entry of spec.split(',')) {
    const [id = '', encoded = ''] = entry.split(':');
    const key = Buffer.from(encoded, 'base64');
    if (key.length !== 32) throw new Error(`MASTER_KEYS: key "${id}" must be 32 bytes, base64-encoded (got ${key.length})`);
    if (keys.has(id)) throw new Error(`MASTER_KEYS: key id "${id}" appears twice`);
    keys.set(id, key);
  }
  const active = activeId ?? [...keys.keys()][0];
  if (!active || !keys.has(active)) throw new Error(`MASTER_KEY_ID: no key "${activeId}" in MASTER_KEYS`);
  return {
    activeId: active,
    ids: [...keys.keys()],
    has: (id) => keys.has(id),
    get(id) {
      const key = keys.get(id);
      if (!key) throw new Error(`master key "${id}" is not configured (MASTER_KEYS); data sealed with it cannot be read`);
      return key;
    },
  };
}
