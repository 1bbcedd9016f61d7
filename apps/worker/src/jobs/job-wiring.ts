export class JobWiringError extends Error {
  constructor(readonly problems: string[]) {
    super(`Job wiring is inconsistent; the worker refuses to start:\n  - ${problems.join('\n  - ')}`);
    this.name = 'JobWiringError';
  }
}

/**
 * Every declared job has exactly one handler and every declared queue exactly one processor;
 * nothing handles or processes an undeclared name. Throws JobWiringError listing every problem.
 */
export function checkJobWiring(
  declared: { jobs: readonly string[]; queues: readonly string[] },
  registered: { handlers: readonly string[]; processors: readonly string[] },
): void {
  const problems = [
    ...exactlyOnce(declared.jobs, registered.handlers, 'job', 'handler'),
    ...exactlyOnce(declared.queues, registered.processors, 'queue', 'processor'),
  ];
  if (problems.length > 0) throw new JobWiringError(problems);
}

function exactlyOnce(declared: readonly string[], registered: readonly string[], kind: string, by: string): string[] {
  const problems: string[] = [];
  for (const name of declared) {
    const count = registered.filter((r) => r === name).length;
    if (count === 0) problems.push(`${kind} "${name}" has no ${by}`);
    if (count > 1) problems.push(`${kind} "${name}" has ${count} ${by}s`);
  }
  for (const name of new Set(registered)) {
    if (!declared.includes(name)) problems.push(`${by} for unknown ${kind} "${name}" (declare it in libs/jobs/src/jobs.ts)`);
  }
  return problems;
}
