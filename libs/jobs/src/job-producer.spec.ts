import { Queue } from 'bullmq';
import { assertCustomId, DEFAULT_JOB_OPTIONS, JobProducer } from './job-producer';
import { QUEUES, QueueName } from './jobs';

function fakeQueue() {
  return {
    name: QUEUES.maintenance,
    on: jest.fn(),
    add: jest.fn().mockResolvedValue({ id: 'job-1' }),
    upsertJobScheduler: jest.fn().mockResolvedValue({}),
  };
}

function producerWith(queue: ReturnType<typeof fakeQueue>): JobProducer {
  return new JobProducer(new Map<QueueName, Queue>([[QUEUES.maintenance, queue as unknown as Queue]]));
}

describe('JobProducer', () => {
  it('adds the job to its queue with the default retry and retention options', async () => {
    const queue = fakeQueue();
    await producerWith(queue).enqueue('maintenance.purge-auth', {});
    expect(queue.add).toHaveBeenCalledWith('maintenance.purge-auth', {}, DEFAULT_JOB_OPTIONS);
    expect(DEFAULT_JOB_OPTIONS).toMatchObject({ attempts: expect.any(Number), backoff: { type: 'exponential' } });
  });

  it('passes a deterministic jobId and a delay', async () => {
    const queue = fakeQueue();
    await producerWith(queue).enqueue('maintenance.purge-auth', {}, { jobId: 'purge.2025-01-01', delay: 500 });
    expect(queue.add).toHaveBeenCalledWith('maintenance.purge-auth', {}, { ...DEFAULT_JOB_OPTIONS, jobId: 'purge.2025-01-01', delay: 500 });
  });

  it.each(['a:b', 'escalation:1:2', '42', '', 'x'.repeat(129), 'with space'])('refuses the job id %p before touching Redis', async (jobId) => {
    const queue = fakeQueue();
    await expect(producerWith(queue).enqueue('maintenance.purge-auth', {}, { jobId })).rejects.toThrow(/Invalid jobId/);
    expect(queue.add).not.toHaveBeenCalled();
  });

  it('lets a failed add reach the caller', async () => {
    const queue = fakeQueue();
    queue.add.mockRejectedValue(new Error('Connection is closed.'));
    await expect(producerWith(queue).enqueue('maintenance.purge-auth', {})).rejects.toThrow('Connection is closed.');
  });

  it('upserts a scheduler with the job template', async () => {
    const queue = fakeQueue();
    await producerWith(queue).schedule('purge-auth', 'maintenance.purge-auth', {}, { pattern: '17 3 * * *', tz: 'Europe/Paris' });
    expect(queue.upsertJobScheduler).toHaveBeenCalledWith(
      'purge-auth',
      { pattern: '17 3 * * *', tz: 'Europe/Paris' },
      { name: 'maintenance.purge-auth', data: {}, opts: DEFAULT_JOB_OPTIONS },
    );
  });

  it('accepts ids built from uuids and dates', () => {
    expect(() => assertCustomId('escalation.3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b.2')).not.toThrow();
    expect(() => assertCustomId('survey_2025-01-31')).not.toThrow();
  });
});
