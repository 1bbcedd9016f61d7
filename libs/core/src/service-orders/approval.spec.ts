import { needsApproval } from './service-orders.service';

describe('approval threshold', () => {
  const settings = { approvalThresholdCents: 50_000, currency: 'EUR' };

  it('asks for approval strictly above the threshold', () => {
    expect(needsApproval(50_000, 'EUR', settings)).toBe(false);
    expect(needsApproval(50_001, 'EUR', settings)).toBe(true);
  });

  it('asks for approval of any paid order in another currency than the threshold’s, never of a free one', () => {
    expect(needsApproval(100, 'CHF', settings)).toBe(true);
    expect(needsApproval(0, 'CHF', settings)).toBe(false);
  });
});
