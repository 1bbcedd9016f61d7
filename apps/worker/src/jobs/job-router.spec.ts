import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { AnyJobHandler, JobRouter } from './job-router';

function job(name: string, data: object = {}): Job {
  return { name, data, id: '7', attemptsMade: 0, opts: { attempts: 3 } } as unknown as Job;
}

describe('JobRouter', () => {
  beforeAll(() => Logger.overrideLogger(false));

  const handler = { job: 'maintenance.purge-auth', handle: jest.fn() } as AnyJobHandler & { handle: jest.Mock };
  const router = new JobRouter([handler]);

  beforeEach(() => handler.handle.mockReset());

  it('runs the handler of the job name with the payload and returns its result', async () => {
    handler.handle.mockResolvedValue({ sessions: 2 });
    const j = job('maintenance.purge-auth', {});
    await expect(router.dispatch('maintenance', j)).resolves.toEqual({ sessions: 2 });
    expect(handler.handle).toHaveBeenCalledWith({}, j);
  });

  it('fails (retryably) a job it has no handler for, or that came through the wrong queue', async () => {
    await expect(router.dispatch('maintenance', job('maintenance.unknown'))).rejects.toThrow('No handler for job "maintenance.unknown"');
    await expect(router.dispatch('flow' as never, job('maintenance.purge-auth'))).rejects.toThrow('on queue "flow"');
    expect(handler.handle).not.toHaveBeenCalled();
  });

  it('rethrows the handler error so BullMQ retries the job', async () => {
    handler.handle.mockRejectedValue(new Error('database is down'));
    await expect(router.dispatch('maintenance', job('maintenance.purge-auth'))).rejects.toThrow('database is down');
  });

  it('exposes the handled job names, duplicates included, for the wiring check', () => {
    expect(new JobRouter([handler, handler]).handledJobs).toEqual(['maintenance.purge-auth', 'maintenance.purge-auth']);
  });
});
