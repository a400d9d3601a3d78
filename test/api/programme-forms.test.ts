// A programme's forms in the console (issue 29): the schedule, a union the schema-made forms cannot
// draw, is a piece by hand shared by the create and edit forms and read back into what the API
// takes (null for none); the edit form sends only what was changed, emptied fields as null.
import { describe, expect, it } from 'vitest';
import type { Programme } from '../../domain/programmes';
import { NewProgrammeSchema, ProgrammePatchSchema } from '../../domain/programmes';
import type { Bilingual } from '../../domain/stages';
import { editForm, editedOf, programmeShape, readNewProgramme, readProgrammeEdit } from '../../api/console/programme-edit';
import { nextSessionText, readScheduleInput, scheduleInputOf, scheduleOf, scheduleText } from '../../api/console/programme-schedule';
import type { View } from '../../api/console/view';

const say = (w: Bilingual) => w.vi;
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

const programme = {
  id: '33333333-3333-4333-8333-333333333333',
  name: 'CLB "Tuổi vàng"',
  kind: 'club',
  unit: { id: '44444444-4444-4444-8444-444444444444', name: 'Hạ Long' },
  description: 'Sinh hoạt văn nghệ',
  facilitators: [
    { id: A, displayName: 'Chị Hoa' },
    { id: B, displayName: 'Anh Nam' },
  ],
  capacity: 15,
  members: 9,
  startsOn: '2026-03-02',
  endsOn: '2026-12-31',
  schedule: { weekday: 'saturday', time: '08:00' },
  closedAt: null,
  sessions: 3,
  lastSessionOn: '2026-05-30',
  createdAt: '2026-03-01T02:00:00.000Z',
  updatedAt: '2026-03-01T02:00:00.000Z',
} as Programme;

/** The edit form as the page draws it, posted back with some fields changed. */
function posted(changes: Record<string, string | string[]>): Record<string, string | string[]> {
  const was = JSON.stringify(editedOf(programme));
  return {
    was,
    name: programme.name,
    kind: programme.kind,
    description: programme.description!,
    facilitators: [B, A],
    capacity: '15',
    startsOn: programme.startsOn,
    endsOn: programme.endsOn!,
    'schedule.kind': 'weekly',
    'schedule.weekday': 'saturday',
    'schedule.time': '08:00',
    'schedule.every': '',
    'schedule.other': '',
    ...changes,
  };
}

describe('a programme’s schedule in a form', () => {
  it('reads none, weekly and every N days into what the API takes', () => {
    const read = (form: Record<string, string>) => scheduleOf(readScheduleInput(form));
    expect(read({ 'schedule.kind': 'none', 'schedule.weekday': 'monday', 'schedule.time': '10:00' })).toEqual({ ok: true, schedule: null });
    expect(read({})).toEqual({ ok: true, schedule: null });
    expect(read({ 'schedule.kind': 'weekly', 'schedule.weekday': 'sunday', 'schedule.time': '09:00', 'schedule.every': '3' })).toEqual({
      ok: true,
      schedule: { weekday: 'sunday', time: '09:00' },
    });
    expect(read({ 'schedule.kind': 'interval', 'schedule.every': '14' })).toEqual({ ok: true, schedule: { every: 'P14D' } });
    for (const schedule of [{ weekday: 'sunday', time: '09:00' }, { every: 'P14D' }]) expect(ProgrammePatchSchema.safeParse({ schedule }).success).toBe(true);
  });

  it('names what is missing or wrong at the API’s path for it', () => {
    const read = (form: Record<string, string>) => scheduleOf(readScheduleInput(form));
    expect(read({ 'schedule.kind': 'weekly', 'schedule.time': '09:00' })).toMatchObject({ ok: false, path: 'schedule.weekday' });
    expect(read({ 'schedule.kind': 'weekly', 'schedule.weekday': 'sunday' })).toMatchObject({ ok: false, path: 'schedule.time' });
    for (const days of ['', '0', '367', '2.5', 'abc'])
      expect(read({ 'schedule.kind': 'interval', 'schedule.every': days })).toMatchObject({ ok: false, path: 'schedule.every' });
  });

  it('keeps an interval of no whole number of days while its field is left empty', () => {
    const input = scheduleInputOf({ every: 'PT30S' });
    expect(input).toMatchObject({ kind: 'interval', days: '', other: 'PT30S' });
    expect(scheduleOf(input)).toEqual({ ok: true, schedule: { every: 'PT30S' } });
    expect(scheduleOf({ ...input, days: '7' })).toEqual({ ok: true, schedule: { every: 'P7D' } });
    expect(scheduleInputOf({ every: 'P2W' })).toMatchObject({ kind: 'interval', days: '14', other: '' });
  });

  it('says a schedule and the next session in words', () => {
    expect(scheduleText(say, { weekday: 'sunday', time: '09:00' })).toBe('Chủ Nhật 09:00');
    expect(scheduleText(say, { every: 'P14D' })).toBe('Cứ 14 ngày một lần');
    expect(scheduleText(say, { every: 'PT30S' })).toBe('mỗi PT30S');
    expect(scheduleText(say, null)).toBe('—');
    // Saturday 13 June 2026, 08:00 in Vietnam.
    expect(nextSessionText(say, '2026-06-13T01:00:00.000Z')).toBe('Thứ Bảy 13/06/2026 08:00');
    // 05:00 on a Monday in Vietnam is still Sunday in UTC.
    expect(nextSessionText(say, '2026-06-14T22:00:00.000Z')).toBe('Thứ Hai 15/06/2026 05:00');
    expect(nextSessionText(say, null)).toBe('—');
  });
});

describe('the create form', () => {
  it('draws every field of NewProgrammeSchema but the schedule from the schema, and adds the schedule read by hand', () => {
    expect(Object.keys(programmeShape([]).properties!)).toEqual(Object.keys(NewProgrammeSchema.shape ?? {}).filter((k) => k !== 'schedule'));
    const { body, refusal } = readNewProgramme(say, { name: 'Lớp may', 'schedule.kind': 'interval', 'schedule.every': '7' }, []);
    expect(refusal).toBeUndefined();
    expect(body).toMatchObject({ name: 'Lớp may', schedule: { every: 'P7D' } });
    expect(readNewProgramme(say, { name: 'Lớp may', 'schedule.kind': 'none' }, []).body).not.toHaveProperty('schedule');
    expect(readNewProgramme(say, { 'schedule.kind': 'weekly' }, []).refusal?.details).toEqual([
      { path: 'schedule.weekday', message: 'hãy chọn thứ trong tuần' },
    ]);
  });
});

describe('the edit form', () => {
  const staff = [A, B];

  it('sends only what was changed: the facilitators ticked in another order are no change', () => {
    const { patch } = readProgrammeEdit(say, posted({ capacity: '25', 'schedule.weekday': 'sunday', 'schedule.time': '09:00' }), staff);
    expect(patch).toEqual({ capacity: 25, schedule: { weekday: 'sunday', time: '09:00' } });
    expect(readProgrammeEdit(say, posted({}), staff).patch).toEqual({});
  });

  it('sends an emptied description, capacity or end day, and a schedule cleared, as null', () => {
    const { patch } = readProgrammeEdit(say, posted({ description: '', capacity: '', endsOn: '', 'schedule.kind': 'none' }), staff);
    expect(patch).toEqual({ description: null, capacity: null, endsOn: null, schedule: null });
    expect(ProgrammePatchSchema.safeParse(patch).success).toBe(true);
  });

  it('sends every field when it cannot tell what the form was drawn with, and a required one emptied as "" for the API to name', () => {
    const { patch } = readProgrammeEdit(say, { ...posted({ name: '' }), was: 'not json' }, staff);
    expect(Object.keys(patch).sort()).toEqual(['capacity', 'description', 'endsOn', 'facilitators', 'kind', 'name', 'schedule', 'startsOn']);
    expect(patch.name).toBe('');
    expect(ProgrammePatchSchema.safeParse(patch).success).toBe(false);
  });

  it('is drawn with the programme’s values, every control labelled, and what it was drawn with', async () => {
    const v = { lang: 'vi', say, principal: {}, displayName: 'Giám đốc', csrf: 't', path: '/app/programmes/x' } as unknown as View;
    const form = String(
      await editForm(v, programme, {
        staff: [
          { id: A, label: 'Chị Hoa' },
          { id: B, label: 'Anh Nam' },
        ],
      }),
    );
    const ids = [...form.matchAll(/<(?:input|select|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"/g)].map((m) => m[1]);
    const labelled = new Set([...form.matchAll(/<label[^>]*\bfor="([^"]+)"/g)].map((m) => m[1]));
    for (const id of ids) expect(labelled.has(id), id).toBe(true);
    expect(form).toMatch(/id="programme-edit-name"[^>]*value="CLB &quot;Tuổi vàng&quot;"/);
    expect(form).toMatch(/id="programme-edit-capacity"[^>]*value="15"/);
    expect(form).toMatch(/id="programme-edit-schedule-kind-weekly"[^>]*checked/);
    expect(form).toMatch(/<option value="saturday" selected>Thứ Bảy<\/option>/);
    expect(form).toMatch(/id="programme-edit-schedule-time"[^>]*value="08:00"/);
    expect(form).toContain('name="was"');
  });
});
