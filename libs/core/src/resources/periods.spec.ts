import { ValidationError } from '../errors/domain-error';
import { isFree, parsePeriod } from './periods';

const fields = { start: 'startsAt', end: 'endsAt' };

describe('parsePeriod', () => {
  it('accepts an end after the start', () => {
    const p = parsePeriod('2026-03-02T10:00:00+01:00', '2026-03-02T11:00:00+01:00', 1, fields);
    expect(p.start.toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(p.end.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it.each([
    ['end before start', '2026-03-02T11:00:00Z', '2026-03-02T10:00:00Z'],
    ['empty period', '2026-03-02T10:00:00Z', '2026-03-02T10:00:00Z'],
    ['too long', '2026-03-02T10:00:00Z', '2026-03-04T10:00:01Z'],
    ['not an instant', 'soon', '2026-03-02T10:00:00Z'],
  ])('refuses %s with a field error', (_, start, end) => {
    expect(() => parsePeriod(start, end, 2, fields)).toThrow(ValidationError);
  });
});

describe('isFree', () => {
  const at = (h: number) => new Date(Date.UTC(2026, 2, 2, h));
  const busy = [{ startsAt: at(10), endsAt: at(11) }];

  it('treats touching periods as free (half-open)', () => {
    expect(isFree({ start: at(11), end: at(12) }, busy)).toBe(true);
    expect(isFree({ start: at(9), end: at(10) }, busy)).toBe(true);
  });

  it('sees any overlap', () => {
    expect(isFree({ start: at(9), end: at(12) }, busy)).toBe(false);
    expect(isFree({ start: at(10), end: at(11) }, busy)).toBe(false);
  });
});
