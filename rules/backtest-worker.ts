// A thread that scores fact sets for a backtest, so a long replay uses every core.
import { parentPort } from 'node:worker_threads';
import type { VersionedRuleset } from '../domain/ruleset';
import { evaluateRisk } from './engine';
import type { RoutingFacts } from '../domain/routing-facts';

let ruleset: VersionedRuleset | undefined;

parentPort!.on('message', async (message: { ruleset?: VersionedRuleset; id?: number; facts?: RoutingFacts[] }) => {
  if (message.ruleset) {
    ruleset = message.ruleset;
    return;
  }
  const decisions = [];
  for (const facts of message.facts ?? []) decisions.push(await evaluateRisk(ruleset!, facts));
  parentPort!.postMessage({ id: message.id, decisions });
});
