import { CHECK_IN_ALPHABET, CHECK_IN_CODE_PATTERN, newCheckInCode, normaliseCheckInCode } from './check-in-code';

describe('check-in codes', () => {
  it('are six characters of the unambiguous alphabet', () => {
    for (let i = 0; i < 500; i++) expect(newCheckInCode()).toMatch(CHECK_IN_CODE_PATTERN);
    expect(CHECK_IN_ALPHABET).not.toMatch(/[01ILOU]/);
  });

  it('rarely repeat (the database refuses a repeat among booked appointments; booking draws again)', () => {
    const codes = new Set(Array.from({ length: 1000 }, newCheckInCode));
    expect(codes.size).toBeGreaterThan(990);
  });

  it('ignore case, spaces and dashes when typed', () => {
    expect(normaliseCheckInCode(' ab3-k9z ')).toBe('AB3K9Z');
  });
});
