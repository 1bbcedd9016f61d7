import { ValidationError } from '../errors/domain-error';
import { checkRange } from './stats.service';

describe('statistics date range', () => {
  it('accepts one day and up to 400 days, both ends included', () => {
    expect(() => checkRange('2026-03-01', '2026-03-01')).not.toThrow();
    // 2024 is a leap year: 1 Jan 2024 to 4 Feb 2025 is exactly 401 days.
    expect(() => checkRange('2024-01-01', '2025-02-03')).not.toThrow();
    expect(() => checkRange('2024-01-01', '2025-02-04')).toThrow(ValidationError);
  });

  it('refuses a range that ends before it starts, naming the field', () => {
    try {
      checkRange('2026-03-10', '2026-03-09');
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).errors).toEqual([{ field: 'to', message: 'must be on or after from' }]);
    }
  });
});
