// The words of a placement's limit in the console (api/console/placement-bits.ts), said once for
// the case page, every list, the escalation board and the carers' pages; and the carers a worker
// is offered for a case: available ones only, those of the case's commune first, however written.
import { describe, expect, it } from 'vitest';
import { carerChoices, placementTerm } from '../../api/console/placement-bits';
import type { Carer } from '../../domain/carers';

const separation = (daysLeft: number | null, status: 'active' | 'overdue' | 'ended' = 'active') => ({
  kind: 'temporary_separation' as const,
  status,
  daysLeft,
});

describe('a temporary separation’s limit in words (P1)', () => {
  it('counts the days left, turns amber within the warning and red past the limit', () => {
    expect(placementTerm(separation(15))).toEqual({ tone: 'ok', words: { vi: 'còn 15 ngày', en: '15 days left' } });
    expect(placementTerm(separation(2))?.tone).toBe('warning');
    expect(placementTerm(separation(0))).toEqual({ tone: 'warning', words: { vi: 'hết hạn hôm nay', en: 'ends today' } });
    expect(placementTerm(separation(0, 'overdue'))).toEqual({ tone: 'overdue', words: { vi: 'quá hạn từ hôm nay', en: 'past its limit today' } });
    expect(placementTerm(separation(-3, 'overdue'))?.words.vi).toBe('quá hạn 3 ngày');
  });

  it('turns amber when the policy in force warns, not at a fixed number of days', () => {
    const now = new Date('2026-12-07T03:00:00Z');
    expect(placementTerm({ ...separation(5), warningAt: '2026-12-07T02:00:00Z' }, now)?.tone).toBe('warning');
    expect(placementTerm({ ...separation(1), warningAt: '2026-12-07T09:00:00Z' }, now)?.tone).toBe('ok');
  });

  it('says nothing of a limit for an ended placement or a kind the law gives none', () => {
    expect(placementTerm(separation(5, 'ended'))).toBeUndefined();
    expect(placementTerm({ kind: 'foster_care', status: 'active', daysLeft: null })).toBeUndefined();
  });
});

describe('the carers offered for a case', () => {
  const carer = (name: string, commune: string, patch: Partial<Carer> = {}): Carer => ({
    ...{ id: name, province: 'qn', kind: 'foster_family', name, commune, capacity: 2, contact: {}, approvedUntil: null, trainedOn: null, notes: null },
    ...{ active: true, placesTaken: 0, available: true, createdAt: '', updatedAt: '' },
    ...patch,
  });
  const subject = { intake: { client: { location: { commune: 'Hoành Bồ', province: 'Quảng Ninh' } } } } as never;

  it('lists available carers only, those of the case’s commune first, with their free places', () => {
    const offered = carerChoices(
      [carer('Xa', 'Hạ Long'), carer('Gần', 'Xã Hoành Bồ', { placesTaken: 1 }), carer('Đầy', 'Hoành Bồ', { placesTaken: 2, available: false })],
      subject,
      (w) => w.vi,
    );
    expect(offered.map((o) => [o.value, o.group])).toEqual([
      ['Gần', 'Cùng địa bàn (Hoành Bồ)'],
      ['Xa', 'Nơi khác trong tỉnh'],
    ]);
    expect(offered[0]!.label).toContain('còn 1 chỗ');
    expect(carerChoices([carer('Gần', 'Hoành Bồ')], subject, (w) => w.vi, 'Gần')).toEqual([]);
  });
});
