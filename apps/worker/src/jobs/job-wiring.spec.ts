import { checkJobWiring, JobWiringError } from './job-wiring';

const declared = { jobs: ['maintenance.purge-auth', 'flow.close-day'], queues: ['maintenance', 'flow'] };

function problems(handlers: string[], processors: string[] = ['maintenance', 'flow']): string[] {
  try {
    checkJobWiring(declared, { handlers, processors });
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(JobWiringError);
    return (error as JobWiringError).problems;
  }
}

describe('checkJobWiring', () => {
  it('accepts one handler per job and one processor per queue', () => {
    expect(problems(['flow.close-day', 'maintenance.purge-auth'])).toEqual([]);
  });

  it('reports a job without handler', () => {
    expect(problems(['maintenance.purge-auth'])).toEqual(['job "flow.close-day" has no handler']);
  });

  it('reports a job with two handlers', () => {
    expect(problems(['maintenance.purge-auth', 'flow.close-day', 'flow.close-day'])).toEqual(['job "flow.close-day" has 2 handlers']);
  });

  it('reports a handler for an unknown job', () => {
    expect(problems(['maintenance.purge-auth', 'flow.close-day', 'flow.open-day'])).toEqual([
      'handler for unknown job "flow.open-day" (declare it in libs/jobs/src/jobs.ts)',
    ]);
  });

  it('reports queues without, with two or with an unknown processor, all at once', () => {
    expect(problems(['maintenance.purge-auth', 'flow.close-day'], ['maintenance', 'maintenance', 'mail'])).toEqual([
      'queue "maintenance" has 2 processors',
      'queue "flow" has no processor',
      'processor for unknown queue "mail" (declare it in libs/jobs/src/jobs.ts)',
    ]);
  });

  it('names every problem in the error message', () => {
    expect(() => checkJobWiring(declared, { handlers: [], processors: [] })).toThrow(
      /refuses to start:\n  - job "maintenance.purge-auth" has no handler\n  - job "flow.close-day" has no handler/,
    );
  });
});
