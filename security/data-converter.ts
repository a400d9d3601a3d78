// The one data converter every Temporal client and worker of the product uses: payloads sealed
// per case by the codec, failure messages encoded so they are sealed too.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defaultPayloadConverter, type DataConverter, type FailureConverter, type LoadedDataConverter } from '@temporalio/common';
import type { CaseCodec } from './case-codec';

export const FAILURE_CONVERTER_PATH = fileURLToPath(new URL('./failure-converter.cjs', import.meta.url));
const { failureConverter } = createRequire(import.meta.url)(FAILURE_CONVERTER_PATH) as { failureConverter: FailureConverter };

/** For clients (the API, tests): the converter objects themselves. */
export function clientDataConverter(codec: CaseCodec): LoadedDataConverter {
  return { payloadConverter: defaultPayloadConverter, failureConverter, payloadCodecs: [codec] };
}

/** For workers: the failure converter by path, since the workflow sandbox loads its own copy. */
export function workerDataConverter(codec: CaseCodec): DataConverter {
  return { failureConverterPath: FAILURE_CONVERTER_PATH, payloadCodecs: [codec] };
}
