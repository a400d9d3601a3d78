// Encrypts every payload Temporal stores — workflow and activity inputs and results, update
// arguments, failure details — with the data key of the case it belongs to (the workflow id is
// the case id). Payloads of anything else use the active master key. Metadata says which, so
// decoding needs no context, and payloads written before encryption pass through unchanged.
import type { Payload, PayloadCodec, SerializationContext } from '@temporalio/common';
import proto from '@temporalio/proto';
import { isUuid } from '../domain/ids';
import { open, seal } from './aead';
import type { CaseKeyStore } from './case-keys';
import type { MasterKeys } from './master-keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
// A CommonJS module whose named exports Node's ESM loader cannot see.
const { Payload: PayloadProto } = proto.temporal.api.common.v1;
const text = new TextEncoder();
const fromText = new TextDecoder();

const meta = (payload: Payload, key: string) => {
  const value = payload.metadata?.[key];
  return value ? fromText.decode(value) : undefined;
};

function caseIdOf(context?: SerializationContext): string | undefined {
  const id = context?.workflowId;
  return id && isUuid(id) ? id : undefined;
}

export class CaseCodec implements PayloadCodec {
  constructor(
    private readonly caseKeys: CaseKeyStore,
    private readonly masterKeys: MasterKeys,
  ) {}

  async encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    const caseId = caseIdOf(context);
    const key = caseId ? await this.caseKeys.keyFor(caseId) : this.masterKeys.get(this.masterKeys.activeId);
    const scope = caseId ? `case:${caseId}` : `master:${this.masterKeys.activeId}`;
    return payloads.map((payload) => ({
      metadata: {
        encoding: text.encode(ENCRYPTED_ENCODING),
        'encryption-key-id': text.encode(scope),
      },
      data: seal(key, PayloadProto.encode(payload).finish(), scope),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return await Promise.all(payloads.map((payload) => this.decodeOne(payload)));
  }

  /** The case whose key sealed this payload, if a case's key did. */
  caseOf(payload: Payload): string | undefined {
    if (meta(payload, 'encoding') !== ENCRYPTED_ENCODING) return undefined;
    const [kind, id = ''] = (meta(payload, 'encryption-key-id') ?? '').split(/:(.*)/s);
    return kind === 'case' ? id : undefined;
  }

  private async decodeOne(payload: Payload): Promise<Payload> {
    if (meta(payload, 'encoding') !== ENCRYPTED_ENCODING) return payload;
    const scope = meta(payload, 'encryption-key-id') ?? '';
    const [kind, id = ''] = scope.split(/:(.*)/s);
    const key = kind === 'case' ? await this.caseKeys.existingKey(id) : this.masterKeys.get(id);
    if (!payload.data) throw new Error('encrypted payload without data');
    return PayloadProto.decode(open(key, payload.data, scope));
  }
}
