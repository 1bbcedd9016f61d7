import { ValidationError } from '../errors/domain-error';
import { canMove, COMPLAINT_STATUSES, COMPLAINT_TRANSITIONS, planComplaintStep } from './complaint-lifecycle';
import { ComplaintTransitionError } from './complaints.errors';

describe('complaint lifecycle', () => {
  it('follows received → acknowledged → investigating → answered → closed, with reopen', () => {
    expect(planComplaintStep('received', 'acknowledged', undefined)).toMatchObject({ stops: ['acknowledge'], stamp: 'acknowledged_at' });
    expect(planComplaintStep('acknowledged', 'investigating', undefined)).toMatchObject({ stops: [], stamp: 'investigating_at' });
    expect(planComplaintStep('investigating', 'answered', 'Remboursement')).toMatchObject({
      stops: ['acknowledge', 'answer'],
      setsAnswer: true,
      stamp: 'answered_at',
    });
    expect(planComplaintStep('answered', 'closed', undefined)).toMatchObject({ stops: [], restartsAnswer: false });
    expect(planComplaintStep('closed', 'reopened', undefined)).toMatchObject({ restartsAnswer: true, stamp: 'reopened_at' });
    expect(planComplaintStep('answered', 'reopened', undefined)).toMatchObject({ restartsAnswer: true });
    expect(planComplaintStep('reopened', 'answered', 'Nouvelle réponse')).toMatchObject({ stops: ['acknowledge', 'answer'] });
  });

  it('answers on the spot (received → answered also acknowledges)', () => {
    expect(planComplaintStep('received', 'answered', 'Excuses et geste commercial').stops).toEqual(['acknowledge', 'answer']);
  });

  it('refuses every move outside the table, received → closed among them', () => {
    const refused: [string, string][] = [];
    for (const from of COMPLAINT_STATUSES) {
      for (const to of COMPLAINT_STATUSES) {
        if (canMove(from, to)) continue;
        refused.push([from, to]);
        expect(() => planComplaintStep(from, to, to === 'answered' ? 'x' : undefined)).toThrow(ComplaintTransitionError);
      }
    }
    expect(refused).toContainEqual(['received', 'closed']);
    expect(refused).toContainEqual(['received', 'investigating']);
    expect(refused).toContainEqual(['closed', 'answered']);
    expect(Object.values(COMPLAINT_TRANSITIONS).flat()).not.toContain('received');
  });

  it('requires the answer text to answer, and only then', () => {
    expect(() => planComplaintStep('investigating', 'answered', undefined)).toThrow(ValidationError);
    expect(() => planComplaintStep('investigating', 'answered', '   ')).toThrow(ValidationError);
    expect(() => planComplaintStep('received', 'acknowledged', 'Bien reçu')).toThrow(ValidationError);
  });
});
