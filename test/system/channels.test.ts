// N1: which channels a notice goes out on, given a person's contacts and choice.
import { describe, expect, it } from 'vitest';
import { channelsFor, URGENT_NOTICES } from '../../domain/channels';

const both = { email: 'a@b.vn', phone: '0912 345 678' };

describe('channels a notice goes out on', () => {
  it('sends urgent notices by e-mail and SMS by default, and everything else by e-mail', () => {
    for (const kind of URGENT_NOTICES) expect(channelsFor(kind, both, {})).toEqual(['email', 'sms']);
    expect(channelsFor('case.assigned', both, {})).toEqual(['email']);
  });

  it('follows a person’s choice, per kind or for every kind', () => {
    expect(channelsFor('case.assigned', both, { '*': ['sms'] })).toEqual(['sms']);
    expect(channelsFor('case.assigned', both, { 'case.assigned': [], '*': ['sms'] })).toEqual([]);
    expect(channelsFor('deadline.manager', both, { 'deadline.manager': ['sms'] })).toEqual(['sms']);
  });

  it('keeps one channel for an urgent notice whatever was chosen, when the person can be reached at all', () => {
    expect(channelsFor('deadline.manager', both, { 'deadline.manager': [] })).toEqual(['email']);
    expect(channelsFor('case.new_emergency', { email: null, phone: '0912' }, { '*': [] })).toEqual(['sms']);
    expect(channelsFor('risk.emergency', { email: null, phone: null }, {})).toEqual([]);
  });

  it('never picks a channel the person has no contact for', () => {
    expect(channelsFor('case.assigned', { email: null, phone: '0912' }, {})).toEqual([]);
    expect(channelsFor('deadline.supervisor', { email: 'a@b.vn', phone: null }, {})).toEqual(['email']);
  });
});
