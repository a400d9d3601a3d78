import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Intake } from '../../domain/intake';
import type { RulesetDocument } from '../../domain/ruleset';
import { loadDefaultRuleset } from '../../rules/default-ruleset';
import { evaluateRisk, levelFor } from '../../rules/engine';
import { ageAt, routingFacts } from '../../rules/facts';
import { abusedChild, intake, lonelyOlderMan } from '../support/intakes';

const ruleset = loadDefaultRuleset();
const receivedAt = new Date('2026-11-23T03:00:00Z');
const decide = (i: Intake) => evaluateRisk(ruleset, routingFacts(i, receivedAt));
const adult = { age: 30 };

// One intake per default rule that should make exactly that rule fire (and maybe others).
const triggers: Record<string, { intake: Intake; forcesEmergency: boolean; priorCases?: number }> = {
  immediate_danger: { intake: intake({ concerns: { immediateDanger: true } }), forcesEmergency: true },
  sexual_abuse: { intake: intake({ categories: ['sexual_abuse_victim'] }), forcesEmergency: true },
  trafficking: { intake: intake({ concerns: { trafficking: true } }), forcesEmergency: true },
  self_harm_risk: { intake: intake({ categories: ['depression'], concerns: { selfHarmRisk: true } }), forcesEmergency: true },
  ongoing_violence_perpetrator_access: {
    intake: intake({ concerns: { violenceOngoing: true, perpetratorHasAccess: true } }),
    forcesEmergency: true,
  },
  child_without_safe_care: { intake: intake({ client: { age: 9 }, concerns: { noCaregiver: true } }), forcesEmergency: true },
  medical_urgent: { intake: intake({ concerns: { medicalUrgent: true } }), forcesEmergency: true },
  domestic_violence: { intake: intake({ categories: ['domestic_violence_victim'] }), forcesEmergency: false },
  injury: { intake: intake({ concerns: { injury: true } }), forcesEmergency: false },
  no_safe_shelter: { intake: intake({ client: adult, concerns: { noSafeShelter: true } }), forcesEmergency: false },
  child: { intake: intake({ client: { age: 12 }, categories: [] }), forcesEmergency: false },
  child_special_circumstances: { intake: intake({ categories: ['child_special_circumstances'] }), forcesEmergency: false },
  older_person_alone: { intake: intake({ client: { age: 70 }, concerns: { livesAlone: true } }), forcesEmergency: false },
  basic_needs_unmet: { intake: intake({ concerns: { basicNeedsUnmet: true } }), forcesEmergency: false },
  homeless: { intake: intake({ categories: ['homeless'] }), forcesEmergency: false },
  mental_health: { intake: intake({ categories: ['mental_disorder'] }), forcesEmergency: false },
  remote_area: { intake: intake({ client: { location: { province: 'Quảng Ninh', remote: true } } }), forcesEmergency: false },
  ethnic_minority: { intake: intake({ client: { ethnicity: 'Dao', ethnicMinority: true } }), forcesEmergency: false },
  repeat_report: { intake: intake(), priorCases: 2, forcesEmergency: false },
};

describe('the default ruleset', () => {
  it('has a trigger in this file for every rule it ships', () => {
    const shipped: RulesetDocument = JSON.parse(readFileSync(new URL('../../rules/risk-routing.json', import.meta.url), 'utf8'));
    expect(Object.keys(triggers).sort()).toEqual(shipped.rules.map((r) => r.name).sort());
  });

  it('fires no rule for a plain request for vocational counselling', async () => {
    const decision = await decide(intake());
    expect(decision).toMatchObject({ score: 0, level: 'low', path: 'standard', reasons: [], rulesetVersion: 1 });
  });

  it.each(Object.entries(triggers))('fires %s with its points and bilingual note', async (name, { intake: i, forcesEmergency, priorCases }) => {
    const decision = await evaluateRisk(ruleset, routingFacts(i, receivedAt, priorCases));
    const reason = decision.reasons.find((r) => r.rule === name);
    const rule = ruleset.document.rules.find((r) => r.name === name);
    expect(reason).toEqual({ rule: name, points: rule?.event.params.points, forcesEmergency, note: rule?.note });
    expect(reason?.note.vi).not.toEqual(reason?.note.en);
    if (forcesEmergency) {
      expect(decision.path).toBe('emergency');
      expect(['critical', 'high']).toContain(decision.level);
    }
  });

  it('sends an abused child whose abuser still has access down the emergency path, and says why', async () => {
    const decision = await decide(abusedChild());
    expect(decision.path).toBe('emergency');
    expect(decision.reasons.map((r) => r.rule)).toEqual(['sexual_abuse', 'child', 'child_special_circumstances']);
    expect(decision.score).toBe(65);
  });

  it('gives a lonely older man in a remote commune priority points but the standard path', async () => {
    const decision = await decide(lonelyOlderMan());
    expect(decision).toMatchObject({ score: 25, level: 'medium', path: 'standard' });
    expect(decision.reasons.map((r) => r.rule).sort()).toEqual(['older_person_alone', 'remote_area']);
  });

  it('lets points alone reach the emergency path: domestic violence with injuries', async () => {
    const decision = await decide(intake({ categories: ['domestic_violence_victim'], concerns: { injury: true } }));
    expect(decision).toMatchObject({ score: 45, level: 'high', path: 'emergency' });
    expect(decision.reasons.every((r) => !r.forcesEmergency)).toBe(true);
  });

  it('orders reasons by points, highest first', async () => {
    const decision = await decide(abusedChild());
    const points = decision.reasons.map((r) => r.points);
    expect(points).toEqual([...points].sort((a, b) => b - a));
  });
});

describe('scoring', () => {
  const scoring = ruleset.document.scoring;
  it.each([
    [0, 'low'],
    [19, 'low'],
    [20, 'medium'],
    [39, 'medium'],
    [40, 'high'],
    [69, 'high'],
    [70, 'critical'],
    [500, 'critical'],
  ])('maps %i points to %s', (points, level) => {
    expect(levelFor(points, scoring)).toBe(level);
  });

  it('raises a forced emergency to at least high even with few points', async () => {
    const lowPoints: RulesetDocument = {
      ...ruleset.document,
      rules: [
        { ...ruleset.document.rules.find((r) => r.name === 'immediate_danger')!, event: { type: 'risk', params: { points: 1, forcePath: 'emergency' } } },
      ],
    };
    const decision = await evaluateRisk({ version: 9, document: lowPoints }, routingFacts(intake({ concerns: { immediateDanger: true } }), receivedAt));
    expect(decision).toMatchObject({ score: 1, level: 'high', path: 'emergency', rulesetVersion: 9 });
  });
});

describe('routing facts', () => {
  it('treats a client as a child under 16 (Law on Children 2016)', () => {
    expect(routingFacts(intake({ client: { age: 15 } }), receivedAt).isChild).toBe(true);
    expect(routingFacts(intake({ client: { age: 16 } }), receivedAt).isChild).toBe(false);
  });

  it('takes the younger possible age from a birth year, so a borderline child stays a child', () => {
    const client = { ...intake().client, age: undefined, birthYear: 2010 };
    expect(ageAt(client, receivedAt)).toBe(15);
  });

  it('counts the year in Vietnam time: 31 December 18:00 UTC is already the new year in Hà Nội', () => {
    const client = { ...intake().client, age: undefined, birthYear: 2000 };
    expect(ageAt(client, new Date('2026-12-31T18:00:00Z'))).toBe(26);
    expect(ageAt(client, new Date('2026-12-31T16:00:00Z'))).toBe(25);
  });

  it('falls back on a child category when no age is known', () => {
    const noAge = { ...intake().client, age: undefined };
    expect(routingFacts({ ...intake({ categories: ['child_at_risk'] }), client: noAge }, receivedAt).isChild).toBe(true);
    expect(routingFacts({ ...intake({ categories: ['homeless'] }), client: noAge }, receivedAt)).toMatchObject({ isChild: false, age: null });
  });

  it('reads every missing concern as false, never as unknown', () => {
    const facts = routingFacts(intake({ concerns: { injury: true } }), receivedAt);
    expect(facts.injury).toBe(true);
    expect(facts.immediateDanger).toBe(false);
  });
});

describe('concurrent evaluation', () => {
  it('gives 1,000 overlapping evaluations the same answers as one at a time', async () => {
    // Three priority tiers and a fact that answers after a variable delay: the conditions under
    // which a shared json-rules-engine Engine silently drops the lower tiers of overlapping runs.
    const tiered: RulesetDocument = {
      ...ruleset.document,
      rules: [
        ...ruleset.document.rules.map((r, i) => ({ ...r, priority: 1 + (i % 3) })),
        {
          name: 'repeat_report',
          note: { vi: 'Đã có báo cáo trước đây', en: 'Reported before' },
          priority: 3,
          conditions: { all: [{ fact: 'priorCases', operator: 'greaterThan', value: 0 }] },
          event: { type: 'risk', params: { points: 5 } },
        },
      ],
    };
    const tieredRuleset = { version: 2, document: tiered };
    const intakes = Object.values(triggers).map((t) => t.intake);
    const jobs = Array.from({ length: 1000 }, (_, n) => ({ intake: intakes[n % intakes.length]!, prior: n % 3 }));
    const lazy = (prior: number, n: number) => ({
      priorCases: () => new Promise<number>((resolve) => setTimeout(() => resolve(prior), n % 7)),
    });
    const sequential = [];
    for (const [n, job] of jobs.entries()) sequential.push(await evaluateRisk(tieredRuleset, routingFacts(job.intake, receivedAt), lazy(job.prior, n)));
    const concurrent = await Promise.all(jobs.map((job, n) => evaluateRisk(tieredRuleset, routingFacts(job.intake, receivedAt), lazy(job.prior, n))));
    expect(concurrent).toEqual(sequential);
    expect(sequential.filter((d) => d.reasons.some((r) => r.rule === 'repeat_report')).length).toBeGreaterThan(600);
  });
});
