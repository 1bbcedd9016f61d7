import { escapeLike, expectedVersion } from './directory';

describe('directory helpers', () => {
  it('takes the expected version from If-Match or the body, and refuses two different ones', () => {
    expect(expectedVersion(undefined, undefined)).toBeUndefined();
    expect(expectedVersion(3, undefined)).toBe(3);
    expect(expectedVersion(undefined, 4)).toBe(4);
    expect(expectedVersion(5, 5)).toBe(5);
    expect(() => expectedVersion(5, 6)).toThrow(expect.objectContaining({ status: 400, errors: [expect.objectContaining({ field: 'version' })] }));
  });

  it('escapes LIKE wildcards so search words match literally', () => {
    expect(escapeLike('100%_sûr\\')).toBe('100\\%\\_sûr\\\\');
  });
});
