import { JOB_NAMES, JOB_QUEUE, QUEUE_NAMES } from './jobs';

describe('job names', () => {
  it('names each job <queue>.<verb-object> after the queue that carries it', () => {
    for (const name of JOB_NAMES) {
      expect(name).toMatch(/^[a-z]+(-[a-z]+)*\.[a-z]+(-[a-z]+)*$/);
      expect(name.split('.')[0]).toBe(JOB_QUEUE[name]);
    }
  });

  it('uses only declared queues, with names BullMQ accepts in its keys', () => {
    for (const queue of Object.values(JOB_QUEUE)) expect(QUEUE_NAMES).toContain(queue);
    for (const queue of QUEUE_NAMES) expect(queue).toMatch(/^[a-z][a-z-]*$/);
  });
});
