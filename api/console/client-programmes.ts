// A client's programmes, for their page (issue 29): GET /programmes?client=, which lists them only
// where the reader may know who the person is (G3), each with the person's enrolment.
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import { listOf, type Api } from './api-call';
import type { ClientProgramme } from './programmes-page';
import type { Enrolment, Programme } from '../../domain/programmes';

const READERS = new Set(['social_worker', 'supervisor', 'manager']);

/** The client's enrolments, or undefined for a reader who has no programmes. */
export async function programmesOfClient(api: Api, c: Context<AppEnv>, clientId: string): Promise<ClientProgramme[] | undefined> {
  if (!READERS.has(c.get('principal').role)) return undefined;
  const listed = await listOf<Programme & { enrolment: Enrolment }>(api, c, `/programmes?client=${encodeURIComponent(clientId)}`);
  return listed.map(({ enrolment, ...programme }): ClientProgramme => ({ programme, enrolment }));
}
