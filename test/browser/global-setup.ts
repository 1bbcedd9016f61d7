import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import databaseSetup from '../global-setup';

const ROOT = join(__dirname, '..', '..');
const CONSOLE = join(ROOT, 'apps', 'console');
const BUILT = join(CONSOLE, 'dist', 'index.html');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** The API serves apps/console/dist: build it when it is missing or older than its sources. */
function buildConsoleIfStale(): void {
  const sources = [join(CONSOLE, 'src'), join(CONSOLE, 'index.html'), join(CONSOLE, 'vite.config.mts'), join(ROOT, 'libs', 'live', 'src')];
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(CONSOLE, 'vite.config.mts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

/** Shares the run's database with the e2e project when both run (`npm test`), else creates it. */
export default async function globalSetup(): Promise<void> {
  buildConsoleIfStale();
  if (!process.env.GUICHET_TEST_RUN) await databaseSetup();
}
