import { AlertEvaluator } from '@guichet/core/alerts/alert-evaluator.service';
import { evaluationJob } from '@guichet/core/alerts/alert-trigger.service';
import { JobProducer } from '@guichet/jobs/job-producer';
import { SweepAlertsHandler } from './sweep-alerts.handler';

describe('SweepAlertsHandler', () => {
  afterEach(() => jest.restoreAllMocks());

  it('enqueues one evaluation per queue with the same bucket job as the API triggers', async () => {
    const queues = ['a0a0a0a0-0000-4000-8000-000000000001', 'b0b0b0b0-0000-4000-8000-000000000002'];
    const evaluator = { queuesToEvaluate: jest.fn().mockResolvedValue(queues) } as unknown as AlertEvaluator;
    const enqueue = jest.fn().mockResolvedValue({});
    jest.spyOn(Date, 'now').mockReturnValue(1_764_288_512_345);

    const result = await new SweepAlertsHandler(evaluator, { enqueue } as unknown as JobProducer).handle();

    expect(result).toEqual({ queues: 2 });
    expect(enqueue.mock.calls).toEqual(queues.map((queueId) => ['alerts.evaluate-queue', { queueId }, evaluationJob(queueId, 1_764_288_512_345)]));
  });

  it('fails (and is retried) when a job cannot be enqueued', async () => {
    const evaluator = { queuesToEvaluate: jest.fn().mockResolvedValue(['a0a0a0a0-0000-4000-8000-000000000001']) } as unknown as AlertEvaluator;
    const enqueue = jest.fn().mockRejectedValue(new Error('Redis is gone'));
    await expect(new SweepAlertsHandler(evaluator, { enqueue } as unknown as JobProducer).handle()).rejects.toThrow('Redis is gone');
  });
});
