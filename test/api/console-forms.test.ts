// The console's forms are made from the request schemas: every action of the catalogue gets a
// form with a labelled control per field, and a form filled in the browser reads back into the
// body the API validates. The API refusing what the form sends is tested in the browser journeys.
import { describe, expect, it } from 'vitest';
import { ACTION_BODIES } from '../../domain/action-bodies';
import { ACTION_NAMES, ACTIONS } from '../../domain/actions';
import { IntakeSchema } from '../../domain/intake';
import { INTAKE_FIELD_LABELS, NESTED_FIELD_LABELS } from '../../domain/labels';
import type { Bilingual } from '../../domain/stages';
import { dateTime, remaining } from '../../api/console/format';
import { reportingPeriods } from '../../api/console/reports-page';
import { fields, readForm, shapeOf } from '../../api/console/schema-form';

const say = (w: Bilingual) => w.vi;

async function render(name: (typeof ACTION_NAMES)[number]) {
  const spec = ACTIONS[name];
  return String(
    await fields(shapeOf(ACTION_BODIES[name]), {
      say,
      prefix: name,
      label: (place) => (place.length === 1 ? (spec.fields as Record<string, Bilingual>)[String(place[0])] : NESTED_FIELD_LABELS[String(place.at(-1))]),
    }),
  );
}

describe('forms made from the action catalogue', () => {
  it('gives every field of every action a control with a label of its own', async () => {
    for (const name of ACTION_NAMES) {
      const form = await render(name);
      const ids = [...form.matchAll(/<(?:input|select|textarea)[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
      const labelled = new Set([...form.matchAll(/<label[^>]*\bfor="([^"]+)"/g)].map((m) => m[1]));
      expect(ids.length, name).toBeGreaterThan(0);
      for (const id of ids) expect(labelled.has(id), `${name}: ${id}`).toBe(true);
      // No field is shown by its code: each has words from the catalogue or the labels.
      for (const label of Object.values(ACTIONS[name].fields as Record<string, Bilingual>)) expect(form, name).toContain(say(label));
    }
  });

  it('offers a referral’s progress as one choice of the union’s constants, the outcome needed only for one', async () => {
    const shape = shapeOf(ACTION_BODIES.referralProgress);
    expect(shape.properties?.status?.enum).toEqual(['in_service', 'completed']);
    expect(shape.required).toEqual(['status']);
    const form = await render('referralProgress');
    expect(form).toContain('Đang cung cấp dịch vụ');
  });

  it('reads a posted plan back into the body the API takes: lines into lists, empty rows dropped', () => {
    const body = readForm(shapeOf(ACTION_BODIES.plan), {
      goals: 'An toàn\r\n\r\n  Hồi phục  ',
      'interventions.rows': '3',
      'interventions.0.type': 'Tham vấn',
      'interventions.0.description': 'Hằng tuần',
      'interventions.1.type': '',
      'interventions.1.description': '',
      'interventions.2.id': 'i2',
      'interventions.2.type': 'Y tế',
      'interventions.2.description': 'Khám',
    });
    expect(body).toEqual({
      goals: ['An toàn', 'Hồi phục'],
      interventions: [
        { type: 'Tham vấn', description: 'Hằng tuần' },
        { id: 'i2', type: 'Y tế', description: 'Khám' },
      ],
    });
    expect(ACTION_BODIES.plan.safeParse(body).success).toBe(true);
  });

  it('reads an intake: numbers as numbers, ticked boxes as true or as the chosen codes, an untouched reporter left out', () => {
    const body = readForm(shapeOf(IntakeSchema), {
      channel: 'hotline',
      'reporter.name': '',
      'client.fullName': 'Nguyễn Văn An',
      'client.birthYear': '2017',
      'client.gender': 'male',
      'client.location.province': 'Quảng Ninh',
      'client.location.commune': 'Hồng Gai',
      categories: ['child_at_risk', 'sexual_abuse_victim'],
      'concerns.sexualAbuse': 'true',
      summary: 'Báo tin',
    });
    expect(body).toEqual({
      channel: 'hotline',
      client: { fullName: 'Nguyễn Văn An', birthYear: 2017, gender: 'male', location: { province: 'Quảng Ninh', commune: 'Hồng Gai' } },
      categories: ['child_at_risk', 'sexual_abuse_victim'],
      concerns: { sexualAbuse: true },
      summary: 'Báo tin',
    });
    expect(IntakeSchema.safeParse(body).success).toBe(true);
    // What is typed that is not a number goes as typed, for the API to name the field.
    expect(readForm(shapeOf(IntakeSchema), { 'client.age': 'mười' })).toMatchObject({ client: { age: 'mười' } });
  });

  it('labels every field of the intake form', async () => {
    const form = String(await fields(shapeOf(IntakeSchema), { say, prefix: 'intake', label: (place) => INTAKE_FIELD_LABELS[place.join('.')] }));
    for (const label of Object.values(INTAKE_FIELD_LABELS)) expect(form).toContain(label.vi);
  });
});

describe('dates and deadlines in words', () => {
  it('says dates as dd/MM/yyyy HH:mm in Vietnam’s time', () => {
    expect(dateTime('2026-12-02T17:05:00Z')).toBe('03/12/2026 00:05');
  });

  it('says what remains in hours within a day, in working days beyond, and how long a deadline is overdue', () => {
    const now = new Date('2026-12-02T03:00:00Z'); // Wednesday 10:00 in Vietnam
    expect(remaining('2026-12-02T08:30:00Z', now, new Set()).words.vi).toBe('còn 5 giờ 30 phút');
    expect(remaining('2026-12-04T03:00:00Z', now, new Set()).words).toEqual({ vi: 'còn 2 ngày làm việc', en: '2 working days left' });
    expect(remaining('2026-12-07T03:00:00Z', now, new Set(['2026-12-03']))).toEqual({
      overdue: false,
      words: expect.objectContaining({ vi: 'còn 2 ngày làm việc' }),
    });
    expect(remaining('2026-11-30T03:00:00Z', now, new Set())).toEqual({ overdue: true, words: expect.objectContaining({ vi: 'quá hạn 2 ngày làm việc' }) });
    expect(remaining('2026-12-02T01:00:00Z', now, new Set()).words.vi).toBe('quá hạn 2 giờ');
  });
});

describe('reporting periods', () => {
  it('offers this and last month, the quarter, the half and the year around a day, with their last days', () => {
    const periods = reportingPeriods('2026-02-10').map((p) => `${p.words.vi}: ${p.from}..${p.to}`);
    expect(periods).toEqual([
      'Tháng này: 2026-02-01..2026-02-28',
      'Tháng trước: 2026-01-01..2026-01-31',
      'Quý 1: 2026-01-01..2026-03-31',
      '6 tháng đầu năm: 2026-01-01..2026-06-30',
      'Năm 2026: 2026-01-01..2026-12-31',
    ]);
    expect(reportingPeriods('2027-01-05')[1]).toMatchObject({ from: '2026-12-01', to: '2026-12-31' });
  });
});
