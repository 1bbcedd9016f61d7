import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { InvalidConfigError, loadEnv } from '@guichet/config/env';
import { createWorkerApp } from './bootstrap';

const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT'] as const;

async function main(): Promise<void> {
  process.env.GUICHET_PROCESS ??= 'guichet-worker';
  try {
    loadEnv();
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const app = await createWorkerApp();
  // First signal: Nest closes the context (WorkerRunner lets running jobs finish first) then exits 0.
  app.enableShutdownHooks([...SHUTDOWN_SIGNALS], { useProcessExit: true });
  // Nest ignores further signals; a second one means the operator will not wait.
  const logger = new Logger('Worker');
  let stopping = false;
  for (const signal of SHUTDOWN_SIGNALS) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn(`Second ${signal}: exiting now; interrupted jobs will be picked up again as stalled`);
        process.exit(1);
      }
      stopping = true;
      logger.log(`${signal} received: finishing running jobs (send it again to force exit)`);
    });
  }
}

main().catch((error: unknown) => {
  console.error('Worker failed to start:', error);
  process.exit(1);
});
