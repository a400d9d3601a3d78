// What `npm run backup` and `npm run restore` both need before they touch anything: the
// configuration, and BACKUP_KEY (refused, in Vietnamese and English, when missing or malformed),
// and the one way they refuse.
import { parseBackupKey } from './archive';
import { ConfigError, loadConfig, type Config } from './config';

/** A refusal a person reads: what is wrong and what to do, in Vietnamese and in English; exits 2. */
export type Refuse = (vi: string, en: string) => never;

/** Says a refusal on stderr, Vietnamese first. */
export function sayRefusal(command: 'backup' | 'restore', vi: string, en: string): void {
  const [viLead, enLead] = command === 'backup' ? ['Không sao lưu được', 'Cannot back up'] : ['Không khôi phục được', 'Cannot restore'];
  console.error(`[${command}] ${viLead}: ${vi}\n[${command}] ${enLead}: ${en}`);
}

/** For refusals before anything is started: said, then the command ends. */
export function refuser(command: 'backup' | 'restore'): Refuse {
  return (vi, en) => {
    sayRefusal(command, vi, en);
    process.exit(2);
  };
}

/** A refusal met once the work began: said the same way, after what was started is stopped. */
export class Refusal extends Error {
  constructor(
    readonly vi: string,
    readonly en: string,
  ) {
    super(en);
  }
}

/** The configuration and BACKUP_KEY; `missingKey` says, in both languages, why the key is needed here. */
export function backupConfig(refuse: Refuse, missingKey: { vi: string; en: string }): { config: Config; key: Buffer } {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(2);
  }
  let key: Buffer | undefined;
  try {
    key = parseBackupKey(process.env.BACKUP_KEY);
  } catch (err) {
    refuse(`BACKUP_KEY không hợp lệ: cần 32 byte ngẫu nhiên ở dạng base64 (${(err as Error).message}).`, `${(err as Error).message}.`);
  }
  if (!key) refuse(missingKey.vi, missingKey.en);
  return { config, key };
}
