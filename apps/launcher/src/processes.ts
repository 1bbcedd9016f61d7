import { ChildProcess, spawn, SpawnOptions } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Copies a child's output line by line with a prefix, so interleaved logs stay attributable. */
export function forwardLines(input: Readable | null, prefix: string, output: Writable): void {
  if (!input) return;
  createInterface({ input, crlfDelay: Infinity }).on('line', (line) => output.write(`${prefix} ${line}\n`));
}

/**
 * Children get their own process group: Ctrl-C in a terminal signals the whole foreground group,
 * and a worker that saw SIGINT would take our SIGTERM as a second "force exit" signal. The launcher
 * alone receives it and forwards exactly one SIGTERM, in order.
 */
export const CHILD_SPAWN_OPTIONS: SpawnOptions = { detached: true, stdio: ['ignore', 'pipe', 'pipe'] };

export function spawnNodeScript(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(process.execPath, [script], { ...CHILD_SPAWN_OPTIONS, env });
  forwardLines(child.stdout, `[${name}]`, process.stdout);
  forwardLines(child.stderr, `[${name}]`, process.stderr);
  return child;
}

export function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** The shell convention: a child killed by a signal counts as 128 + the signal number. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return signal ? 128 + (constants.signals[signal] ?? 0) : 1;
}

/** SIGTERM, then SIGKILL when the child has not exited within the grace period. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.pid === undefined || hasExited(child)) return; // never spawned, or already gone
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Polls until `url` answers 200, the timeout passes or `abort` fires (e.g. the server process died). */
export async function waitForHttpOk(url: string, timeoutMs: number, abort?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (abort?.aborted) throw new Error(`gave up waiting for ${url}: ${String(abort.reason)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause; // fetch hides the reason there
      last = cause?.code ?? cause?.message ?? (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}
