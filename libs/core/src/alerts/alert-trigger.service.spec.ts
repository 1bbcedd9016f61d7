import { assertCustomId, JobProducer } from '@guichet/jobs/job-producer';
import { AlertTrigger, EVALUATION_BUCKET_MS, evaluationJob } from './alert-trigger.service';

const Q = 'a0a0a0a0-0000-4000-8000-000000000001';

describe('evaluationJob', () => {
  it('gives every trigger of one 10-second bucket the same job, run when the bucket ends', () => {
    const start = 1_764_288_500_000; // a bucket boundary
    const first = evaluationJob(Q, start);
    const last = evaluationJob(Q, start + EVALUATION_BUCKET_MS - 1);
    expect(last.jobId).toBe(first.jobId);
    expect(first.delay).toBe(EVALUATION_BUCKET_MS);
    expect(last.delay).toBe(1);
    expect(start + first.delay).toBe(start + EVALUATION_BUCKET_MS - 1 + last.delay);
  });

  it('starts a new job in the next bucket and keeps queues apart', () => {
    const now = 1_764_288_503_000;
    expect(evaluationJob(Q, now + EVALUATION_BUCKET_MS).jobId).not.toBe(evaluationJob(Q, now).jobId);
    expect(evaluationJob('b0b0b0b0-0000-4000-8000-000000000002', now).jobId).not.toBe(evaluationJob(Q, now).jobId);
  });

  it('builds ids BullMQ accepts (no colon)', () => {
    expect(() => assertCustomId(evaluationJob(Q, Date.now()).jobId)).not.toThrow();
  });
});

describe('AlertTrigger', () => {
  it('enqueues the evaluation of the queue with the bucket job id and delay', async () => {
    const enqueue = jest.fn().mockResolvedValue({});
    jest.spyOn(Date, 'now').mockReturnValue(1_764_288_504_000);
    try {
      await new AlertTrigger({ enqueue } as unknown as JobProducer).queueChanged(Q);
    } finally {
      jest.restoreAllMocks();
    }
    expect(enqueue).toHaveBeenCalledWith('alerts.evaluate-queue', { queueId: Q }, evaluationJob(Q, 1_764_288_504_000));
    expect(enqueue.mock.calls[0][2]).toEqual({ jobId: `alerts-eval-${Q}-176428850`, delay: 6000 });
  });
});
