// The routing facts of an intake as the province's records stand when it is received: the intake's
// own facts and how many earlier cases its client has. One place for the intake's scoring, an
// imported open case's routing and an imported closed case alike.
import { priorCaseCount } from '../db/clients';
import type { Sql } from '../db/connect';
import type { Intake } from '../domain/intake';
import type { RoutingFacts } from '../domain/routing-facts';
import { routingFacts } from './facts';

export async function factsAtIntake(sql: Sql, province: string, intake: Intake, receivedAt: Date): Promise<RoutingFacts> {
  return routingFacts(intake, receivedAt, await priorCaseCount(sql, province, intake, receivedAt));
}
