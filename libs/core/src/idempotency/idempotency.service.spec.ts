import { stableJson } from './idempotency.service';

describe('stableJson', () => {
  it('ignores key order and undefined fields', () => {
    expect(stableJson({ b: 1, a: { d: [1, 2], c: 'x' }, z: undefined })).toBe(stableJson({ a: { c: 'x', d: [1, 2] }, b: 1 }));
  });

  it('keeps array order significant', () => {
    expect(stableJson([1, 2])).not.toBe(stableJson([2, 1]));
  });
});
