import { ValidationError } from '../errors/domain-error';
import { CallFacts, checkCall } from './phone-call-rules';

const NOW = new Date('2026-03-10T09:00:00Z');
const SERVICE = '0b9f6c1e-5a4d-4c3b-9a2e-1f0e9d8c7b6a';
const base: CallFacts = { number: '06 12 34 56 78', startedAt: new Date('2026-03-10T08:55:00Z'), outcome: 'answered' };

function fieldsOf(call: CallFacts): string[] {
  try {
    checkCall(call, NOW);
  } catch (error) {
    if (error instanceof ValidationError) return (error.errors ?? []).map((e) => e.field);
    throw error;
  }
  return [];
}

describe('checkCall', () => {
  it.each(['06 12 34 56 78', '+33612345678', '0612345678', '+33 6 12 34 56 78'])('stores %s in E.164', (number) => {
    expect(checkCall({ ...base, number }, NOW)).toEqual({ number: '+33612345678' });
  });

  it('accepts a withheld number', () => {
    expect(checkCall({ ...base, number: null }, NOW)).toEqual({ number: null });
    expect(checkCall({ ...base, number: '  ' }, NOW)).toEqual({ number: null });
  });

  it('ties the transfer target to the transferred outcome', () => {
    expect(fieldsOf({ ...base, outcome: 'transferred' })).toEqual(['transferredToServiceId']);
    expect(fieldsOf({ ...base, outcome: 'answered', transferredToServiceId: SERVICE })).toEqual(['transferredToServiceId']);
    expect(fieldsOf({ ...base, outcome: 'transferred', transferredToServiceId: SERVICE })).toEqual([]);
  });

  it('lists every bad field at once', () => {
    expect(
      fieldsOf({
        number: '06 12',
        startedAt: new Date('2026-03-10T10:00:00Z'),
        outcome: 'missed',
        requestId: SERVICE,
        createRequest: { subject: 'x' },
      }),
    ).toEqual(['number', 'startedAt', 'createRequest']);
  });
});
