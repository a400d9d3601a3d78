// The engine's ceiling for an intake, as the intake benchmark measures it beside the product: a
// workflow started with an update that answers once one activity has run, then waits as a case
// waits for its deadline. Nothing of the product: no rules, no database, no encryption.
import { condition, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';

export const admittedUpdate = defineUpdate<string>('admitted');

const { admit } = proxyActivities<{ admit(id: string): Promise<string> }>({ startToCloseTimeout: '10 seconds' });

export async function bareIntake(id: string): Promise<void> {
  const admitted = admit(id);
  setHandler(admittedUpdate, () => admitted);
  await admitted;
  await condition(() => false, '30 days');
}
